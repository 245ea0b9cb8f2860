//! Contests and their rounds in the database: the organising committee sets them up; pupils see
//! the rounds open to them and sit them. The questions, answers and score of a contest attempt are
//! an ordinary `attempt` (shared with practice) plus a `contest_entry` row that holds the round,
//! the pupil, where they were, the server's deadline and the prediction.

use crate::accounts::auth::Caller;
use crate::attempt::result::Reserved;
use crate::attempt::start::{self, DrawnItem};
use crate::attempt::submit::{GRACE_MS, submit_any};
use crate::clock::format_vietnam_time;
use crate::clock::now_ms;
use crate::codes::{Role, SchoolLevel};
use crate::contests::types::RoundCard;
use crate::domain::contest::{
    DrawRule, Eligibility, PoolQuestion, PupilPlace, RoundPhase, accepts_answer, attempt_deadline,
    check_rules, draw_round, phase,
};
use crate::domain::ranking::{CountedAttempt, TieBreak, default_order, format_order};
use crate::entities::{attempt, contest, contest_entry, contest_round, question, school};
use crate::error::AppError;
use crate::schools::people::{Actor, audit};
use crate::schools::service::level_of_grade;
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;

/// The settings of a new contest.
#[derive(Clone, Debug)]
pub struct ContestSettings {
    pub title: String,
    pub description: String,
    pub school_year: i32,
    pub ranking_order: Vec<TieBreak>,
    pub counted_attempt: CountedAttempt,
    pub prizes: [i32; 4],
    pub prize_min_score: Option<i32>,
}

/// Creates a contest; returns its id.
pub async fn create_contest(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: ContestSettings,
) -> Result<i32, AppError> {
    let txn = crate::platform::db::begin_write(db).await?;
    let row = contest::ActiveModel {
        title: Set(settings.title.clone()),
        description: Set(settings.description),
        school_year: Set(settings.school_year),
        ranking_order: Set(format_order(&settings.ranking_order)),
        counted_attempt: Set(settings.counted_attempt.code().to_owned()),
        prize_first: Set(settings.prizes[0]),
        prize_second: Set(settings.prizes[1]),
        prize_third: Set(settings.prizes[2]),
        prize_consolation: Set(settings.prizes[3]),
        prize_min_score: Set(settings.prize_min_score),
        created_by: Set(actor.account_id),
        created_at: Set(now_ms()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit(
        &txn,
        actor,
        "contest.create",
        &format!("contest:{}", row.id),
        serde_json::json!({ "title": settings.title }),
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// The settings of a new round, as checked values.
#[derive(Clone, Debug)]
pub struct RoundSettings {
    pub name: String,
    pub opens_at: i64,
    pub closes_at: i64,
    pub time_allowed_ms: i64,
    pub attempts_allowed: i32,
    pub rules: Vec<DrawRule>,
    pub eligibility: Eligibility,
    pub prediction_question: Option<String>,
    /// Answers reviewed right after submitting (`true`) or only after the round closes.
    pub review_at_once: bool,
}

/// How long a server keeps the question pool it read: the pool changes only when content is
/// synchronised (at start-up), and every pupil who starts a round draws from it — reading and
/// parsing the whole bank for each of them is what limited how fast a round could fill.
const POOL_TTL: std::time::Duration = std::time::Duration::from_secs(60);

/// When the pool was read, and the pool.
type CachedPool = Option<(std::time::Instant, std::sync::Arc<Vec<PoolQuestion>>)>;

/// The question pool as this server last read it (one per app server; see [`POOL_TTL`]).
#[derive(Clone, Default)]
pub struct PoolCache(std::sync::Arc<std::sync::Mutex<CachedPool>>);

impl PoolCache {
    /// The pool, read again when older than [`POOL_TTL`].
    pub async fn get(
        &self,
        db: &impl ConnectionTrait,
    ) -> Result<std::sync::Arc<Vec<PoolQuestion>>, AppError> {
        if let Some(pool) = self.fresh() {
            return Ok(pool);
        }
        let pool = std::sync::Arc::new(question_pool(db).await?);
        self.store(pool.clone());
        Ok(pool)
    }

    /// The cached pool if it is younger than [`POOL_TTL`]. A request that panicked while holding
    /// the lock leaves the value intact (it is replaced whole), so the poison is ignored rather
    /// than making every later contest start panic.
    fn fresh(&self) -> Option<std::sync::Arc<Vec<PoolQuestion>>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
            .filter(|(at, _)| at.elapsed() < POOL_TTL)
            .map(|(_, pool)| pool.clone())
    }

    fn store(&self, pool: std::sync::Arc<Vec<PoolQuestion>>) {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            Some((std::time::Instant::now(), pool));
    }
}

/// The questions reserved by the rounds open at `now` (see [`Reserved`]).
pub async fn reserved_questions(
    db: &impl ConnectionTrait,
    pool_cache: &PoolCache,
    now: i64,
) -> Result<Reserved, AppError> {
    let open = contest_round::Entity::find()
        .filter(contest_round::Column::OpensAt.lte(now))
        // Attempts may still be submitted for a moment after the close.
        .filter(contest_round::Column::ClosesAt.gt(now - GRACE_MS))
        .all(db)
        .await?;
    if open.is_empty() {
        return Ok(Reserved::default());
    }
    let pool = pool_cache.get(db).await?;
    let mut reserved: HashMap<String, Vec<(i32, i64)>> = HashMap::new();
    for round in open {
        let rules = rules_of(&round)?;
        for question in pool.iter() {
            if rules.iter().any(|rule| rule.matches(question)) {
                reserved
                    .entry(question.id.clone())
                    .or_default()
                    .push((round.id, round.closes_at));
            }
        }
    }
    Ok(Reserved(reserved))
}

/// The active question bank as the draw sees it.
pub async fn question_pool(db: &impl ConnectionTrait) -> Result<Vec<PoolQuestion>, AppError> {
    let questions = question::Entity::find()
        .filter(question::Column::Active.eq(true))
        .order_by_asc(question::Column::Id)
        .all(db)
        .await?;
    let revisions =
        crate::content::bank::revisions_by_id(db, questions.iter().map(|q| q.current_revision))
            .await?;
    Ok(questions
        .into_iter()
        .map(|q| {
            let revision = revisions.get(&q.current_revision);
            let option_count = revision
                .and_then(|r| serde_json::from_str::<Vec<String>>(&r.options_json).ok())
                .map(|o| o.len())
                .unwrap_or(0);
            let keep_order = revision.is_some_and(crate::content::bank::is_signs);
            PoolQuestion {
                revision: q.current_revision,
                id: q.id,
                track: q.track,
                topic: q.topic,
                difficulty: q.difficulty.clamp(0, u8::MAX as i32) as u8,
                option_count,
                keep_order,
            }
        })
        .collect())
}

/// Adds a round to a contest after checking that the bank can fill its draw. Returns the round id,
/// or the problem (in Vietnamese) to show on the form.
pub async fn add_round(
    db: &DatabaseConnection,
    actor: &Actor,
    contest_id: i32,
    settings: RoundSettings,
) -> Result<Result<i32, String>, AppError> {
    contest::Entity::find_by_id(contest_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if settings.closes_at <= settings.opens_at {
        return Ok(Err("Giờ đóng vòng thi phải sau giờ mở.".to_owned()));
    }
    if let Err(error) = check_rules(&question_pool(db).await?, &settings.rules) {
        let titles: HashMap<String, String> = crate::entities::topic::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.slug, t.title))
            .collect();
        let error = error.with_topic_names(&settings.rules, |slug| titles.get(slug).cloned());
        return Ok(Err(error.to_string()));
    }
    let txn = crate::platform::db::begin_write(db).await?;
    let row = contest_round::ActiveModel {
        contest_id: Set(contest_id),
        name: Set(settings.name.clone()),
        opens_at: Set(settings.opens_at),
        closes_at: Set(settings.closes_at),
        time_allowed_ms: Set(settings.time_allowed_ms),
        attempts_allowed: Set(settings.attempts_allowed),
        draw_rules: Set(serde_json::to_string(&settings.rules)
            .map_err(|e| AppError::internal("writing draw rules", e))?),
        eligibility: Set(serde_json::to_string(&settings.eligibility)
            .map_err(|e| AppError::internal("writing eligibility", e))?),
        prediction_question: Set(settings.prediction_question),
        review: Set(if settings.review_at_once {
            "ngay"
        } else {
            "sau-vong"
        }
        .to_owned()),
        results_published_at: Set(None),
        created_at: Set(now_ms()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit(
        &txn,
        actor,
        "contest.round.create",
        &format!("round:{}", row.id),
        serde_json::json!({ "contest": contest_id, "name": settings.name }),
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(row.id))
}

/// Where a pupil is, for eligibility and for the entry row: school, commune, class and level.
#[derive(Clone, Debug, Default)]
pub struct Whereabouts {
    pub school_id: Option<i32>,
    pub commune_id: Option<i32>,
    pub class_name: Option<String>,
    pub level: Option<SchoolLevel>,
}

impl Whereabouts {
    fn place(&self) -> PupilPlace {
        PupilPlace {
            level: self.level.map(|l| l.code().to_owned()),
            school_id: self.school_id,
            commune_id: self.commune_id,
        }
    }
}

/// Where a signed-in pupil is now.
pub async fn whereabouts(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<Whereabouts, AppError> {
    let Some(school_id) = caller
        .grants
        .iter()
        .find(|g| g.role == Role::Pupil)
        .and_then(|g| g.school_id)
    else {
        return Ok(Whereabouts::default());
    };
    let school = school::Entity::find_by_id(school_id).one(db).await?;
    let class = crate::accounts::auth::current_class(db, caller.account_id).await?;
    let school_levels = school
        .as_ref()
        .map(|s| crate::codes::SchoolLevel::parse_stored(&s.levels))
        .unwrap_or_default();
    let level =
        class
            .as_ref()
            .and_then(|c| level_of_grade(c.grade))
            .or(match school_levels.as_slice() {
                [only] => Some(*only),
                _ => None,
            });
    Ok(Whereabouts {
        school_id: Some(school_id),
        commune_id: school.map(|s| s.commune_id),
        class_name: class.map(|c| c.name),
        level,
    })
}

/// Who may sit a round. A stored value that does not parse is an error (logged), never "no
/// restriction": a corrupt row must not open a round to everyone.
fn eligibility_of(round: &contest_round::Model) -> Result<Eligibility, AppError> {
    serde_json::from_str(&round.eligibility).map_err(|e| {
        tracing::error!(round = round.id, %e, "stored eligibility is not valid JSON");
        AppError::Internal
    })
}

/// A round's draw rules; a stored value that does not parse is an error (logged), never "no rules".
fn rules_of(round: &contest_round::Model) -> Result<Vec<DrawRule>, AppError> {
    serde_json::from_str(&round.draw_rules).map_err(|e| {
        tracing::error!(round = round.id, %e, "stored draw rules are not valid JSON");
        AppError::Internal
    })
}

/// The rounds of the current and upcoming contests as a pupil (or a visitor) sees them: upcoming,
/// open and closed, with what the pupil has done in each.
pub async fn rounds_for(
    db: &DatabaseConnection,
    caller: Option<&Caller>,
    now: i64,
) -> Result<Vec<RoundCard>, AppError> {
    let rounds = contest_round::Entity::find()
        .order_by_asc(contest_round::Column::OpensAt)
        .all(db)
        .await?;
    let contests: HashMap<i32, contest::Model> = contest::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let pupil = caller.filter(|c| c.has(Role::Pupil));
    let place = match pupil {
        Some(caller) => Some(whereabouts(db, caller).await?),
        None => None,
    };
    let entries: Vec<(contest_entry::Model, Option<attempt::Model>)> = match pupil {
        Some(caller) => {
            contest_entry::Entity::find()
                .filter(contest_entry::Column::AccountId.eq(caller.account_id))
                .find_also_related(attempt::Entity)
                .all(db)
                .await?
        }
        None => vec![],
    };
    Ok(rounds
        .into_iter()
        .map(|round| {
            let mine: Vec<_> = entries
                .iter()
                .filter(|(e, _)| e.round_id == round.id)
                .collect();
            let open_attempt = mine
                .iter()
                .find(|(e, a)| {
                    e.open_key.is_some()
                        && a.as_ref().is_some_and(|a| a.submitted_at.is_none())
                        && accepts_answer(now, e.deadline_at, GRACE_MS)
                })
                .map(|(e, _)| e.attempt_id.clone());
            let mut submitted: Vec<(i64, String)> = mine
                .iter()
                .filter_map(|(e, a)| {
                    a.as_ref()
                        .and_then(|a| a.submitted_at)
                        .map(|at| (at, e.attempt_id.clone()))
                })
                .collect();
            submitted.sort();
            let round_phase = phase(now, round.opens_at, round.closes_at);
            RoundCard {
                submitted_attempts: submitted.into_iter().map(|(_, id)| id).collect(),
                id: round.id,
                contest_title: contests
                    .get(&round.contest_id)
                    .map(|c| c.title.clone())
                    .unwrap_or_default(),
                name: round.name.clone(),
                phase: round_phase.code().to_owned(),
                phase_label: round_phase.label().to_owned(),
                opens: format_vietnam_time(round.opens_at),
                closes: format_vietnam_time(round.closes_at),
                minutes: (round.time_allowed_ms / 60_000).max(0) as u32,
                questions: rules_of(&round)
                    .unwrap_or_default()
                    .iter()
                    .map(|r| r.count)
                    .sum(),
                attempts_allowed: round.attempts_allowed.max(0) as u32,
                attempts_used: mine.len() as u32,
                open_attempt,
                eligible: place
                    .as_ref()
                    .is_some_and(|p| eligibility_of(&round).is_ok_and(|e| e.allows(&p.place()))),
                prediction_question: round.prediction_question.clone(),
            }
        })
        .collect())
}

/// What pressing “Bắt đầu làm bài” came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartOutcome {
    /// A new attempt; its id.
    Started(String),
    /// The pupil already has an open attempt in this round (another tab, another device): the
    /// same attempt, with the time that is left.
    Resumed(String),
    NotOpen,
    NotEligible,
    NoAttemptsLeft,
}

/// Starts (or resumes) the caller's attempt in a round: the questions and option orders are
/// drawn from a stored seed and frozen; the deadline is the server's.
pub async fn start_round(
    db: &DatabaseConnection,
    pool_cache: &PoolCache,
    starts: &start::StartWriter,
    caller: &Caller,
    round_id: i32,
    prediction: Option<i64>,
    now: i64,
) -> Result<StartOutcome, AppError> {
    if !caller.has(Role::Pupil) {
        return Err(AppError::Forbidden);
    }
    let round = contest_round::Entity::find_by_id(round_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let open_key = format!("{round_id}:{}", caller.account_id);
    // The pupil's entries in the round, in one query: the open one (if any) and how many.
    let entries = contest_entry::Entity::find()
        .filter(contest_entry::Column::RoundId.eq(round_id))
        .filter(contest_entry::Column::AccountId.eq(caller.account_id))
        .all(db)
        .await?;
    if let Some(open) = entries.iter().find(|e| e.open_key.is_some()) {
        if accepts_answer(now, open.deadline_at, GRACE_MS) {
            return Ok(StartOutcome::Resumed(open.attempt_id.clone()));
        }
        submit_any(db, &open.attempt_id).await?;
    }
    if phase(now, round.opens_at, round.closes_at) != RoundPhase::Open {
        return Ok(StartOutcome::NotOpen);
    }
    let place = whereabouts(db, caller).await?;
    if !eligibility_of(&round)?.allows(&place.place()) {
        return Ok(StartOutcome::NotEligible);
    }
    let used = entries.len() as u64;
    if used >= round.attempts_allowed.max(0) as u64 {
        return Ok(StartOutcome::NoAttemptsLeft);
    }
    let pool = pool_cache.get(db).await?;
    let seed: u64 = rand::rng().random();
    let drawn = match draw_round(seed, &pool, &rules_of(&round)?) {
        Ok(drawn) => drawn,
        Err(error) => {
            // The bank changed since the round was set up; the committee must fix the round.
            tracing::error!(round_id, %error, "a round can no longer be drawn");
            return Err(AppError::BadRequest(format!(
                "Vòng thi chưa sẵn sàng: {error} Hãy báo Ban Tổ chức."
            )));
        }
    };
    // The pool knows each question's current revision (as of when it was read).
    let revisions: HashMap<&str, i32> = pool.iter().map(|q| (q.id.as_str(), q.revision)).collect();
    let mut items = Vec::with_capacity(drawn.len());
    for item in &drawn {
        items.push(DrawnItem {
            revision_id: *revisions.get(item.id.as_str()).ok_or(AppError::Internal)?,
            option_order: item.option_order.clone(),
        });
    }
    let entry = contest_entry::ActiveModel {
        attempt_id: NotSet,
        round_id: Set(round_id),
        account_id: Set(caller.account_id),
        school_id: Set(place.school_id),
        commune_id: Set(place.commune_id),
        class_name: Set(place.class_name.clone()),
        level: Set(place.level.map(|l| l.code().to_owned())),
        attempt_no: Set(used as i32 + 1),
        deadline_at: Set(attempt_deadline(
            now,
            round.time_allowed_ms,
            round.closes_at,
        )),
        prediction: Set(prediction.filter(|_| round.prediction_question.is_some())),
        open_key: NotSet,
    };
    let start = start::NewStart::contest(
        &caller.learner_id,
        round_id,
        seed,
        &items,
        entry,
        open_key.clone(),
        now,
    )?;
    let attempt_id = start.attempt_id().to_owned();
    // Written with the other starts arriving together (one commit); acknowledged after it.
    if starts.run(start).await? {
        return Ok(StartOutcome::Started(attempt_id));
    }
    // Another tab or device of the pupil started first: use its attempt.
    match open_entry(db, &open_key, now).await? {
        Some(open) => Ok(StartOutcome::Resumed(open)),
        None => Err(AppError::Internal),
    }
}

/// The open attempt behind an open key, if its time is not up (an expired one is submitted now).
async fn open_entry(
    db: &DatabaseConnection,
    open_key: &str,
    now: i64,
) -> Result<Option<String>, AppError> {
    let Some(entry) = contest_entry::Entity::find()
        .filter(contest_entry::Column::OpenKey.eq(open_key))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if accepts_answer(now, entry.deadline_at, GRACE_MS) {
        return Ok(Some(entry.attempt_id));
    }
    submit_any(db, &entry.attempt_id).await?;
    Ok(None)
}

/// The demo contest (clearly marked as such): round 1 open for two weeks from now, round 2 the
/// fortnight after. Does nothing if any contest exists. Needs the content synced (the draw is
/// checked against the bank). Returns the round ids.
pub async fn seed_demo_contest(
    db: &DatabaseConnection,
    now: i64,
) -> Result<Option<Vec<i32>>, AppError> {
    if contest::Entity::find().count(db).await? > 0 {
        return Ok(None);
    }
    let actor = Actor::command_line();
    let contest = create_contest(
        db,
        &actor,
        ContestSettings {
            title: "Cuộc thi Khiên Số (dữ liệu minh họa)".to_owned(),
            description: "Cuộc thi mẫu để thử hệ thống; không phải cuộc thi thật.".to_owned(),
            school_year: crate::clock::current_school_year(),
            ranking_order: default_order(),
            counted_attempt: CountedAttempt::Best,
            prizes: [3, 8, 15, 50],
            prize_min_score: None,
        },
    )
    .await?;
    const DAY: i64 = 86_400_000;
    // Each round draws from three topics per track, so the other topics stay open for practice
    // while it runs (an open round's questions are held back from practice).
    let rules_of = |topics: [(&str, &str); 6]| -> Vec<DrawRule> {
        topics
            .into_iter()
            .map(|(track, topic)| DrawRule {
                track: Some(track.to_owned()),
                topic: Some(topic.to_owned()),
                difficulty: None,
                count: 4,
            })
            .collect()
    };
    let round_topics = [
        rules_of([
            ("A", "otp-chiem-tai-khoan"),
            ("A", "mat-khau-xac-thuc-hai-lop"),
            ("A", "lua-dao-nham-vao-hoc-sinh"),
            ("B", "kiem-tra-nguon-tin"),
            ("B", "su-that-va-y-kien"),
            ("B", "so-lieu-bieu-do"),
        ]),
        rules_of([
            ("A", "ma-doc-quyen-ung-dung"),
            ("A", "du-lieu-ca-nhan"),
            ("A", "cho-thue-tai-khoan-ngan-hang"),
            ("B", "giat-tit-thao-tung-cam-xuc"),
            ("B", "anh-video-ai"),
            ("B", "chia-se-co-trach-nhiem"),
        ]),
    ];
    let mut rounds = Vec::new();
    for ((n, opens_at), rules) in [(1, now), (2, now + 14 * DAY)]
        .into_iter()
        .zip(round_topics)
    {
        let settings = RoundSettings {
            name: format!("Vòng {n}"),
            opens_at,
            closes_at: opens_at + 14 * DAY,
            time_allowed_ms: 30 * 60_000,
            attempts_allowed: 1,
            rules,
            eligibility: Eligibility {
                levels: vec!["THCS".to_owned(), "THPT".to_owned()],
                school_ids: vec![],
                commune_ids: vec![],
            },
            prediction_question: Some(
                "Có bao nhiêu thí sinh đạt điểm tối đa ở vòng này?".to_owned(),
            ),
            review_at_once: false,
        };
        match add_round(db, &actor, contest, settings).await? {
            Ok(id) => rounds.push(id),
            Err(problem) => {
                tracing::warn!(%problem, "demo round not created");
            }
        }
    }
    Ok(Some(rounds))
}

/// The default tie-break order, as stored.
pub fn default_ranking_order() -> String {
    format_order(&default_order())
}

/// The contests with their rounds and counts, for the committee.
pub async fn contests_admin(
    db: &DatabaseConnection,
    now: i64,
) -> Result<crate::contests::types::ContestAdminView, AppError> {
    use crate::contests::types::{ContestAdminView, ContestSummary, RoundAdminRow};
    use crate::entities::topic;
    let contests = contest::Entity::find()
        .order_by_desc(contest::Column::Id)
        .all(db)
        .await?;
    let rounds = contest_round::Entity::find()
        .order_by_asc(contest_round::Column::OpensAt)
        .all(db)
        .await?;
    let mut entries: HashMap<i32, (u64, u64)> = HashMap::new();
    for (entry, attempt) in contest_entry::Entity::find()
        .find_also_related(attempt::Entity)
        .all(db)
        .await?
    {
        let counts = entries.entry(entry.round_id).or_default();
        counts.0 += 1;
        if attempt.is_some_and(|a| a.submitted_at.is_some()) {
            counts.1 += 1;
        }
    }
    let topics: Vec<(String, String)> = topic::Entity::find()
        .order_by_asc(topic::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.slug, t.title))
        .collect();
    let title_of = |slug: &str| {
        topics
            .iter()
            .find(|(known, _)| known == slug)
            .map(|(_, title)| title.clone())
    };
    let mut summaries = Vec::with_capacity(contests.len());
    for c in contests {
        let mut round_rows = Vec::new();
        for r in rounds.iter().filter(|r| r.contest_id == c.id) {
            let (entries, submitted) = entries.get(&r.id).copied().unwrap_or_default();
            // A round whose stored rules cannot be read is an error (logged), not an empty draw.
            let draw = rules_of(r)?
                .iter()
                .map(|rule| {
                    if rule.track.is_some() || rule.topic.is_some() || rule.difficulty.is_some() {
                        format!("{} câu {}", rule.count, rule.describe_with(title_of))
                    } else {
                        format!("{} câu bất kỳ", rule.count)
                    }
                })
                .collect::<Vec<_>>()
                .join("; ");
            round_rows.push(RoundAdminRow {
                id: r.id,
                name: r.name.clone(),
                phase_label: phase(now, r.opens_at, r.closes_at).label().to_owned(),
                opens: format_vietnam_time(r.opens_at),
                closes: format_vietnam_time(r.closes_at),
                minutes: (r.time_allowed_ms / 60_000).max(0) as u32,
                attempts_allowed: r.attempts_allowed.max(0) as u32,
                draw,
                entries,
                submitted,
            });
        }
        summaries.push(ContestSummary {
            id: c.id,
            title: c.title,
            school_year: crate::domain::school_year::label(c.school_year),
            rounds: round_rows,
        });
    }
    Ok(ContestAdminView {
        contests: summaries,
        topics,
        bank_size: question_pool(db).await?.len() as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poisoned_pool_cache_still_serves_contest_starts() {
        let cache = PoolCache::default();
        let poisoner = cache.clone();
        let _ = std::thread::spawn(move || {
            let _guard = poisoner.0.lock().unwrap();
            panic!("a request panicked while holding the cache");
        })
        .join();
        assert!(cache.0.is_poisoned());
        assert!(cache.fresh().is_none());
        cache.store(std::sync::Arc::new(vec![]));
        assert!(cache.fresh().is_some(), "the cache works on");
    }

    #[test]
    fn a_grade_gives_the_level() {
        assert_eq!(level_of_grade(8), Some(SchoolLevel::Thcs));
        assert_eq!(level_of_grade(11), Some(SchoolLevel::Thpt));
        assert_eq!(level_of_grade(0), None);
        assert_eq!(level_of_grade(-3), None);
    }
}
