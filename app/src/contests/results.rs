//! Results of a round: the standings (the attempt that counts per pupil, ranked by the contest's
//! order, prizes), publishing them with a certificate code per pupil, the leaderboards (pupils
//! with masked names, schools and communes with participation rates) and the export.

use crate::attempt::stored_indexes;
use crate::clock::format_vietnam_time;
use crate::codes::{corrupt, stored_json};
use crate::contests::types::{
    AreaStanding, Certificate, LeaderboardView, PupilStanding, RoundResultsView, StandingRow,
};
use crate::domain::contest::Eligibility;
use crate::domain::ranking::{
    CountedAttempt, Entry, Prize, PrizeCounts, assign_prizes, parse_order, prediction_distance,
    rank,
};
use crate::entities::{
    account, attempt, commune, contest, contest_award, contest_entry, contest_round, school,
    school_enrolment,
};
use crate::error::AppError;
use crate::schools::classes::mask_name;
use crate::schools::people::{Actor, audit};
use crate::spreadsheet::export::{Cell, Table};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::{BTreeMap, HashMap, HashSet};

/// One pupil's counted attempt in a round, ranked.
#[derive(Clone, Debug)]
pub struct Standing {
    pub rank: u32,
    pub prize: Option<Prize>,
    pub account_id: i32,
    pub attempt_id: String,
    pub full_name: String,
    pub school_id: Option<i32>,
    pub commune_id: Option<i32>,
    pub class_name: Option<String>,
    /// Points in hundredths (what ranks).
    pub points: u32,
    /// Questions answered fully right.
    pub right_answers: u32,
    pub total: u32,
    pub prediction: Option<i64>,
    pub time_used_ms: i64,
    pub submitted_at: i64,
}

/// The round, its contest and the standings computed from the submitted attempts. `actual` is
/// the real figure the prediction question asks for: how many pupils scored full marks.
pub struct Standings {
    pub round: contest_round::Model,
    pub contest: contest::Model,
    pub rows: Vec<Standing>,
    pub actual: u64,
}

/// An award's points in hundredths (awards published before points count 100 per right answer).
fn award_points(award: &contest_award::Model) -> u32 {
    crate::attempt::stored_points(award.points, Some(award.score)).unwrap_or(0)
}

/// Computes the standings of a round now (not stored; [`publish`] stores them).
pub async fn standings(db: &DatabaseConnection, round_id: i32) -> Result<Standings, AppError> {
    let round = contest_round::Entity::find_by_id(round_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let contest = contest::Entity::find_by_id(round.contest_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let policy = CountedAttempt::parse(&contest.counted_attempt)
        .ok_or_else(|| corrupt("contest.counted_attempt", &contest.counted_attempt))?;
    let order = parse_order(&contest.ranking_order)
        .map_err(|_| corrupt("contest.ranking_order", &contest.ranking_order))?;
    let mut by_pupil: BTreeMap<i32, Vec<(contest_entry::Model, attempt::Model)>> = BTreeMap::new();
    for (entry, attempt) in contest_entry::Entity::find()
        .filter(contest_entry::Column::RoundId.eq(round_id))
        .find_also_related(attempt::Entity)
        .all(db)
        .await?
    {
        if let Some(attempt) = attempt.filter(|a| crate::attempt::points_of(a).is_some()) {
            by_pupil
                .entry(entry.account_id)
                .or_default()
                .push((entry, attempt));
        }
    }
    let counted: Vec<(contest_entry::Model, attempt::Model)> = by_pupil
        .into_values()
        .filter_map(|attempts| {
            let index = policy.pick(
                &attempts,
                |(_, a)| crate::attempt::points_of(a).unwrap_or(0),
                |(_, a)| a.submitted_at.unwrap_or(0),
            )?;
            attempts.into_iter().nth(index)
        })
        .collect();
    let actual = counted
        .iter()
        .filter(|(_, a)| {
            a.total > 0
                && crate::attempt::points_of(a)
                    == Some(a.total as u32 * crate::domain::quiz::FULL_MARKS)
        })
        .count() as u64;
    let entries: Vec<Entry<usize>> = counted
        .iter()
        .enumerate()
        .map(|(i, (entry, attempt))| Entry {
            key: i,
            score: crate::attempt::points_of(attempt).unwrap_or(0),
            prediction_distance: prediction_distance(
                entry.prediction.map(|p| p.max(0) as u64),
                actual,
            ),
            time_used_ms: attempt.submitted_at.unwrap_or(0) - attempt.started_at,
            submitted_at_ms: attempt.submitted_at.unwrap_or(0),
        })
        .collect();
    let ranked = rank(&entries, &order);
    let prizes: HashMap<usize, Option<Prize>> = assign_prizes(
        &ranked,
        &PrizeCounts {
            first: contest.prize_first.max(0) as u32,
            second: contest.prize_second.max(0) as u32,
            third: contest.prize_third.max(0) as u32,
            consolation: contest.prize_consolation.max(0) as u32,
        },
        // The committee sets the minimum in whole points; points are in hundredths.
        contest
            .prize_min_score
            .map(|m| m.max(0) as u32 * crate::domain::quiz::FULL_MARKS),
    )
    .into_iter()
    .collect();
    let names: HashMap<i32, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(counted.iter().map(|(e, _)| e.account_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.full_name))
        .collect();
    let rows = ranked
        .iter()
        .map(|r| {
            let (entry, attempt) = &counted[r.key];
            Standing {
                rank: r.rank,
                prize: prizes.get(&r.key).copied().flatten(),
                account_id: entry.account_id,
                attempt_id: attempt.id.clone(),
                full_name: names.get(&entry.account_id).cloned().unwrap_or_default(),
                school_id: entry.school_id,
                commune_id: entry.commune_id,
                class_name: entry.class_name.clone(),
                points: crate::attempt::points_of(attempt).unwrap_or(0),
                right_answers: attempt.score.unwrap_or(0).max(0) as u32,
                total: attempt.total.max(0) as u32,
                prediction: entry.prediction,
                time_used_ms: attempt.submitted_at.unwrap_or(0) - attempt.started_at,
                submitted_at: attempt.submitted_at.unwrap_or(0),
            }
        })
        .collect();
    Ok(Standings {
        round,
        contest,
        rows,
        actual,
    })
}

async fn school_names(
    db: &DatabaseConnection,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, school::Model>, AppError> {
    Ok(school::Entity::find()
        .filter(school::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect())
}

/// "12 phút 05 giây".
pub fn duration_label(ms: i64) -> String {
    let seconds = (ms.max(0) + 500) / 1000;
    format!("{} phút {:02} giây", seconds / 60, seconds % 60)
}

/// The committee's view of a round's results: every pupil, full names, prizes.
pub async fn round_results(
    db: &DatabaseConnection,
    round_id: i32,
    now: i64,
) -> Result<RoundResultsView, AppError> {
    crate::attempt::submit::submit_expired(db, now).await?;
    let s = standings(db, round_id).await?;
    let schools = school_names(db, s.rows.iter().filter_map(|r| r.school_id)).await?;
    Ok(RoundResultsView {
        round_id,
        title: format!("{} · {}", s.round.name, s.contest.title),
        closed: now >= s.round.closes_at,
        published_at: s.round.results_published_at.map(format_vietnam_time),
        prediction_question: s.round.prediction_question.clone(),
        actual: s.actual,
        rows: s
            .rows
            .iter()
            .map(|r| StandingRow {
                rank: r.rank,
                prize: r.prize.map(|p| p.label().to_owned()),
                full_name: r.full_name.clone(),
                class_name: r.class_name.clone().unwrap_or_default(),
                school: r
                    .school_id
                    .and_then(|id| schools.get(&id))
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
                points: r.points,
                total: r.total,
                prediction: r.prediction,
                time_used: duration_label(r.time_used_ms),
                submitted_at: format_vietnam_time(r.submitted_at),
            })
            .collect(),
    })
}

/// The results as a table to download (committee).
pub async fn results_table(db: &DatabaseConnection, round_id: i32) -> Result<Table, AppError> {
    let view = round_results(db, round_id, crate::clock::now_ms()).await?;
    let mut table = Table::new(
        "Kết quả",
        &[
            "hạng",
            "giải",
            "họ và tên",
            "lớp",
            "trường",
            "điểm",
            "số câu",
            "dự đoán",
            "thời gian làm bài",
            "nộp bài lúc",
        ],
    );
    for r in view.rows {
        table.push_cells(vec![
            Cell::Count(u64::from(r.rank)),
            r.prize.unwrap_or_default().into(),
            r.full_name.into(),
            r.class_name.into(),
            r.school.into(),
            Cell::Points(r.points),
            Cell::Count(u64::from(r.total)),
            r.prediction
                .map(|p| p.to_string())
                .unwrap_or_default()
                .into(),
            r.time_used.into(),
            r.submitted_at.into(),
        ]);
    }
    Ok(table)
}

/// Why results could not be published.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PublishProblem {
    /// The round has not closed yet.
    NotClosed,
    /// Already published (certificate codes must not change).
    AlreadyPublished,
}

/// A certificate code: 10 characters without look-alikes, grouped for reading aloud.
fn certificate_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let raw: String = (0..10)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{}-{}", &raw[..5], &raw[5..])
}

/// Publishes a closed round's results: stores every pupil's rank, prize and certificate code.
pub async fn publish(
    db: &DatabaseConnection,
    actor: &Actor,
    round_id: i32,
    now: i64,
) -> Result<Result<usize, PublishProblem>, AppError> {
    crate::attempt::submit::submit_expired(db, now).await?;
    let s = standings(db, round_id).await?;
    if now < s.round.closes_at {
        return Ok(Err(PublishProblem::NotClosed));
    }
    if s.round.results_published_at.is_some() {
        return Ok(Err(PublishProblem::AlreadyPublished));
    }
    let schools = school_names(db, s.rows.iter().filter_map(|r| r.school_id)).await?;
    let txn = crate::platform::db::begin_write(db).await?;
    let rows: Vec<contest_award::ActiveModel> = s
        .rows
        .iter()
        .map(|r| contest_award::ActiveModel {
            round_id: Set(round_id),
            account_id: Set(r.account_id),
            attempt_id: Set(r.attempt_id.clone()),
            rank: Set(r.rank as i32),
            prize: Set(r.prize.map(|p| p.code().to_owned())),
            score: Set(r.right_answers as i32),
            total: Set(r.total as i32),
            points: Set(Some(r.points as i32)),
            time_used_ms: Set(r.time_used_ms),
            display_name: Set(r.full_name.clone()),
            school_name: Set(r
                .school_id
                .and_then(|id| schools.get(&id))
                .map(|s| s.name.clone())
                .unwrap_or_default()),
            class_name: Set(r.class_name.clone()),
            code: Set(certificate_code()),
            issued_at: Set(now),
            ..Default::default()
        })
        .collect();
    let count = rows.len();
    for chunk in rows.chunks(500) {
        contest_award::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    contest_round::Entity::update_many()
        .col_expr(
            contest_round::Column::ResultsPublishedAt,
            Expr::value(Some(now)),
        )
        .filter(contest_round::Column::Id.eq(round_id))
        .exec(&txn)
        .await?;
    audit(
        &txn,
        actor,
        "contest.round.publish",
        &format!("round:{round_id}"),
        serde_json::json!({ "pupils": count }),
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(count))
}

/// The public leaderboards of a published round: pupils (masked names), schools and communes
/// with participation (participants ÷ enrolment at the round's levels) and mean score.
pub async fn leaderboard(
    db: &DatabaseConnection,
    round_id: i32,
) -> Result<Option<LeaderboardView>, AppError> {
    let round = contest_round::Entity::find_by_id(round_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if round.results_published_at.is_none() {
        return Ok(None);
    }
    let contest = contest::Entity::find_by_id(round.contest_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let awards = contest_award::Entity::find()
        .filter(contest_award::Column::RoundId.eq(round_id))
        .order_by_asc(contest_award::Column::Rank)
        .order_by_asc(contest_award::Column::Id)
        .all(db)
        .await?;
    let entries: HashMap<String, contest_entry::Model> = contest_entry::Entity::find()
        .filter(contest_entry::Column::AttemptId.is_in(awards.iter().map(|a| a.attempt_id.clone())))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.attempt_id.clone(), e))
        .collect();
    // Per school: participants and score sum.
    let mut per_school: HashMap<i32, (u64, u64)> = HashMap::new();
    for award in &awards {
        if let Some(school_id) = entries.get(&award.attempt_id).and_then(|e| e.school_id) {
            let slot = per_school.entry(school_id).or_default();
            slot.0 += 1;
            slot.1 += u64::from(award_points(award));
        }
    }
    let schools = school_names(db, per_school.keys().copied()).await?;
    let eligibility: Eligibility = stored_json("contest_round.eligibility", &round.eligibility)?;
    // A xã/phường's rate divides by the enrolment of all its schools that could take part (open
    // when the round opened, allowed by the round), not only of those that had participants.
    let opening_day = crate::clock::vietnam_date(round.opens_at);
    let commune_ids: HashSet<i32> = schools.values().map(|s| s.commune_id).collect();
    let mut commune_schools: HashMap<i32, Vec<i32>> = HashMap::new();
    for school in school::Entity::find()
        .filter(school::Column::CommuneId.is_in(commune_ids))
        .all(db)
        .await?
    {
        let open = school
            .valid_from
            .as_deref()
            .is_none_or(|from| from <= opening_day.as_str())
            && school
                .valid_to
                .as_deref()
                .is_none_or(|to| opening_day.as_str() <= to);
        let allowed =
            eligibility.school_ids.is_empty() || eligibility.school_ids.contains(&school.id);
        if open && allowed {
            commune_schools
                .entry(school.commune_id)
                .or_default()
                .push(school.id);
        }
    }
    let mut enrolment: HashMap<i32, u64> = HashMap::new();
    let counted: HashSet<i32> = per_school
        .keys()
        .copied()
        .chain(commune_schools.values().flatten().copied())
        .collect();
    for row in school_enrolment::Entity::find()
        .filter(school_enrolment::Column::SchoolId.is_in(counted))
        .filter(school_enrolment::Column::SchoolYear.eq(contest.school_year))
        .all(db)
        .await?
    {
        if eligibility.levels.is_empty() || eligibility.levels.contains(&row.level) {
            *enrolment.entry(row.school_id).or_default() += row.pupils.max(0) as u64;
        }
    }
    let communes: HashMap<i32, String> = commune::Entity::find()
        .filter(commune::Column::Id.is_in(schools.values().map(|s| s.commune_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    // Sums are in hundredths of a point; the mean is in points.
    let area = |name: String, participants: u64, score_sum: u64, enrolled: u64| AreaStanding {
        name,
        participants,
        enrolment: enrolled,
        rate_permille: crate::domain::coverage::permille(participants, enrolled),
        mean_score: (participants > 0).then(|| score_sum as f64 / 100.0 / participants as f64),
    };
    let mut school_rows: Vec<AreaStanding> = per_school
        .iter()
        .map(|(id, (participants, sum))| {
            let name = schools.get(id).map(|s| s.name.clone()).unwrap_or_default();
            area(
                name,
                *participants,
                *sum,
                enrolment.get(id).copied().unwrap_or(0),
            )
        })
        .collect();
    let mut per_commune: HashMap<i32, (u64, u64, u64)> = HashMap::new();
    for (id, (participants, sum)) in &per_school {
        if let Some(school) = schools.get(id) {
            let slot = per_commune.entry(school.commune_id).or_default();
            slot.0 += participants;
            slot.1 += sum;
        }
    }
    for (commune_id, slot) in per_commune.iter_mut() {
        slot.2 = commune_schools
            .get(commune_id)
            .into_iter()
            .flatten()
            .map(|id| enrolment.get(id).copied().unwrap_or(0))
            .sum();
    }
    let mut commune_rows: Vec<AreaStanding> = per_commune
        .into_iter()
        .map(|(id, (participants, sum, enrolled))| {
            area(
                communes.get(&id).cloned().unwrap_or_default(),
                participants,
                sum,
                enrolled,
            )
        })
        .collect();
    // Highest rate first, compared on exact counts (a/b > c/d ⇔ a·d > c·b); no enrolment last.
    let by_rate = |a: &AreaStanding, b: &AreaStanding| {
        (b.enrolment > 0)
            .cmp(&(a.enrolment > 0))
            .then(
                (u128::from(b.participants) * u128::from(a.enrolment))
                    .cmp(&(u128::from(a.participants) * u128::from(b.enrolment))),
            )
            .then(b.participants.cmp(&a.participants))
            .then(a.name.cmp(&b.name))
    };
    school_rows.sort_by(by_rate);
    commune_rows.sort_by(by_rate);
    Ok(Some(LeaderboardView {
        round_id,
        title: format!("{} · {}", round.name, contest.title),
        published_at: round
            .results_published_at
            .map(format_vietnam_time)
            .unwrap_or_default(),
        pupils: awards
            .iter()
            .map(|a| PupilStanding {
                rank: a.rank.max(0) as u32,
                prize: a
                    .prize
                    .as_deref()
                    .and_then(Prize::parse)
                    .map(|p| p.label().to_owned()),
                // Pupils are minors: "Nguyễn V. A · 8A · THCS Lê Lợi".
                who: [
                    Some(mask_name(&a.display_name)),
                    a.class_name.clone(),
                    Some(a.school_name.clone()).filter(|s| !s.is_empty()),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
                points: award_points(a),
                total: a.total.max(0) as u32,
            })
            .collect(),
        schools: school_rows,
        communes: commune_rows,
    }))
}

/// A certificate by its code, for printing (its owner) or verifying (anyone; name masked).
pub async fn certificate(
    db: &DatabaseConnection,
    code: &str,
    viewer_account: Option<i32>,
) -> Result<Certificate, AppError> {
    let award = contest_award::Entity::find()
        .filter(contest_award::Column::Code.eq(code.trim().to_uppercase()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let round = contest_round::Entity::find_by_id(award.round_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let contest = contest::Entity::find_by_id(round.contest_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let owner = viewer_account == Some(award.account_id);
    let points = award_points(&award);
    Ok(Certificate {
        code: award.code,
        name: if owner {
            award.display_name.clone()
        } else {
            mask_name(&award.display_name)
        },
        class_name: award.class_name.unwrap_or_default(),
        school: award.school_name,
        contest: contest.title,
        round: round.name,
        prize: award
            .prize
            .as_deref()
            .and_then(Prize::parse)
            .map(|p| p.label().to_owned()),
        points,
        total: award.total.max(0) as u32,
        rank: award.rank.max(0) as u32,
        verify_url: String::new(),
        qr_svg: None,
        issued: format_vietnam_time(award.issued_at),
        owner,
    })
}

/// The codes of the caller's certificates, newest first, with what they are for.
pub async fn my_certificates(
    db: &DatabaseConnection,
    account_id: i32,
) -> Result<Vec<(String, String)>, AppError> {
    let awards = contest_award::Entity::find()
        .filter(contest_award::Column::AccountId.eq(account_id))
        .order_by_desc(contest_award::Column::IssuedAt)
        .all(db)
        .await?;
    let rounds: HashMap<i32, contest_round::Model> = contest_round::Entity::find()
        .filter(contest_round::Column::Id.is_in(awards.iter().map(|a| a.round_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    Ok(awards
        .into_iter()
        .map(|a| {
            let what = rounds
                .get(&a.round_id)
                .map(|r| r.name.clone())
                .unwrap_or_default();
            let prize = a
                .prize
                .as_deref()
                .and_then(Prize::parse)
                .map(|p| format!(" — {}", p.label()))
                .unwrap_or_default();
            (a.code, format!("{what}{prize}"))
        })
        .collect())
}

/// Classical item analysis of a round for the committee, over every submitted attempt: facility,
/// discrimination (upper and lower 27%), the share of each option and warnings. Questions are
/// grouped by question id (a question edited during the round counts as one).
pub async fn item_analysis(
    db: &DatabaseConnection,
    round_id: i32,
) -> Result<crate::contests::types::ItemAnalysisView, AppError> {
    use crate::contests::types::{ItemAnalysisView, ItemRow};
    use crate::domain::item_analysis::{ItemFlag, Response, analyse, option_letter};

    let round = contest_round::Entity::find_by_id(round_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let contest = contest::Entity::find_by_id(round.contest_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let attempts: Vec<attempt::Model> = contest_entry::Entity::find()
        .filter(contest_entry::Column::RoundId.eq(round_id))
        .find_also_related(attempt::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(_, a)| a.filter(|a| crate::attempt::points_of(a).is_some()))
        .collect();
    let grid = crate::attempt::answer_grid(db, attempts.iter().map(|a| a.id.clone())).await?;
    let questions = &grid.questions;
    let responses: Vec<Response> = attempts
        .iter()
        .map(|a| Response {
            // Points (hundredths) form the upper and lower groups: a warning-signs answer earns
            // part of its point.
            total_score: crate::attempt::points_of(a).unwrap_or(0),
            answers: grid.row(&a.id),
        })
        .collect();
    let mut option_counts: Vec<usize> = Vec::with_capacity(questions.len());
    let mut keys: Vec<Vec<usize>> = Vec::with_capacity(questions.len());
    let mut signs: Vec<bool> = Vec::with_capacity(questions.len());
    for r in questions.iter() {
        signs.push(crate::content::bank::is_signs(r));
        let options: Vec<String> = stored_json("question_revision.options_json", &r.options_json)?;
        option_counts.push(options.len());
        keys.push(stored_indexes(
            "question_revision.correct_json",
            &r.correct_json,
        )?);
    }
    let stats = analyse(&responses, &option_counts, &keys);
    let percent = |v: f64| format!("{:.0}%", v * 100.0);
    let rows = questions
        .iter()
        .zip(stats)
        .map(|(revision, s)| ItemRow {
            question_id: revision.question_id.clone(),
            stem: revision.stem.clone(),
            shown: s.shown,
            facility: s.facility.map(percent),
            discrimination: s
                .discrimination
                .map(|d| format!("{d:.2}").replace('.', ",")),
            options: s
                .option_share
                .iter()
                .enumerate()
                .map(|(i, share)| {
                    let key = keys[s.question].contains(&i);
                    if signs[s.question] {
                        // A warning-signs question: the share of pupils who chose each part.
                        format!(
                            "phần {}{}: {}",
                            i + 1,
                            if key {
                                " (đáng ngờ)"
                            } else {
                                " (không đáng ngờ)"
                            },
                            percent(*share)
                        )
                    } else {
                        format!(
                            "{}{}: {}",
                            option_letter(i),
                            if key { " (đúng)" } else { "" },
                            percent(*share)
                        )
                    }
                })
                .chain(std::iter::once(format!(
                    "bỏ trống: {}",
                    percent(s.blank_share)
                )))
                .collect(),
            flags: s
                .flags
                .iter()
                .map(|f| match f {
                    ItemFlag::UnusedDistractor(part) if signs[s.question] => format!(
                        "Phần không đáng ngờ gần như không ai chọn nhầm (dưới 5%): phần {}",
                        part + 1
                    ),
                    f => f.label(),
                })
                .collect(),
        })
        .collect();
    Ok(ItemAnalysisView {
        round_id,
        title: format!("{} · {}", round.name, contest.title),
        attempts: responses.len() as u32,
        rows,
    })
}

/// A QR code of `text` as an SVG image (dark modules on white, a quiet zone around), small enough
/// to print in a certificate's corner.
pub fn qr_svg(text: &str) -> Result<String, AppError> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| AppError::internal("making a QR code", e))?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(120, 120)
        .quiet_zone(true)
        .build())
}
