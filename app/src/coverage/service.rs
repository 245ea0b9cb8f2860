//! Participation and coverage (plan section II.1). A pupil becomes a participant in a track for
//! the school year when they pass a lesson's practice quiz or submit a contest attempt; the record
//! and the tallies per school × year × level × track are written in the same transaction as the
//! submission, so dashboards read a few thousand tally rows and never scan attempts. The rule
//! (`domain::coverage`) turns tallies, enrolment and approved offline programs into the
//! department's figures.

use crate::clock::{format_vietnam_time, vietnam_date};
use crate::codes::*;
use crate::codes::{AttemptKind, AttemptScope, ProgramStatus};
use crate::coverage::types::*;
use crate::domain::coverage::{
    self as rule_domain, DirectorySchool, Gap, Rule, SchoolRow, Share, Standing, YearCounts,
    required_participants, school_rows, school_year_of, shares, shares_by, vietnamese_date,
};
use crate::entities::{
    account, attempt, class_member, commune, coverage_rule, offline_evidence, offline_program,
    participation, participation_tally, question, role_grant, school, school_class,
    school_enrolment, topic,
};
use crate::error::AppError;
use crate::schools::people::{Actor, audit};
use crate::spreadsheet::export::{Cell, Table};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The tally track of pupils who took part in either track (for reach at universities).
pub const EITHER_TRACK: &str = "*";
/// Largest evidence file accepted.
pub const MAX_EVIDENCE_BYTES: usize = 5 * 1024 * 1024;
/// Rows per page of the list of schools not covered.
pub const UNCOVERED_PAGE: usize = 50;
/// School years shown on the trend chart.
const TREND_YEARS: usize = 6;
/// The levels the province's targets are about.
pub const TARGET_LEVELS: [SchoolLevel; 2] = [SchoolLevel::Thcs, SchoolLevel::Thpt];
/// Levels whose students are counted as reached, without a school target.
pub const REACH_LEVELS: [SchoolLevel; 3] = [
    SchoolLevel::Gdtx,
    SchoolLevel::TrungCapCaoDang,
    SchoolLevel::DaiHoc,
];

fn rule_of(model: &coverage_rule::Model) -> Rule {
    let percent = |v: i32| v.clamp(0, 100) as u32;
    Rule {
        school_year: model.school_year,
        starts_on: model.starts_on.clone(),
        ends_on: model.ends_on.clone(),
        threshold_percent: percent(model.threshold_percent),
        pass_percent: percent(model.pass_percent),
        target_a_percent: percent(model.target_a_percent),
        target_a_strict: model.target_a_strict,
        target_b_percent: percent(model.target_b_percent),
        target_b_strict: model.target_b_strict,
        basis: model
            .basis
            .clone()
            .unwrap_or_else(|| Rule::default_for(model.school_year).basis),
    }
}

/// Every rule the department saved.
pub async fn saved_rules(db: &impl ConnectionTrait) -> Result<Vec<Rule>, AppError> {
    Ok(coverage_rule::Entity::find()
        .order_by_asc(coverage_rule::Column::SchoolYear)
        .all(db)
        .await?
        .iter()
        .map(rule_of)
        .collect())
}

/// The rule of a school year (the plan's defaults when none was saved), and whether it was saved.
pub async fn rule_for(db: &impl ConnectionTrait, year: i32) -> Result<(Rule, bool), AppError> {
    Ok(
        match coverage_rule::Entity::find_by_id(year).one(db).await? {
            Some(model) => (rule_of(&model), true),
            None => (Rule::default_for(year), false),
        },
    )
}

/// The rule as the interface shows it.
pub fn rule_view(rule: &Rule, saved: bool) -> CoverageRuleView {
    CoverageRuleView {
        school_year: rule.school_year,
        label: crate::domain::school_year::label(rule.school_year),
        starts_on: rule.starts_on.clone(),
        ends_on: rule.ends_on.clone(),
        threshold_percent: rule.threshold_percent,
        pass_percent: rule.pass_percent,
        target_a_percent: rule.target_a_percent,
        target_a_strict: rule.target_a_strict,
        target_b_percent: rule.target_b_percent,
        target_b_strict: rule.target_b_strict,
        basis: rule.basis.clone(),
        saved,
        text: rule.describe(),
    }
}

/// Saves a school year's rule. `Ok(Err(message))` when the rule is not acceptable (the message
/// names the field); its dates may not overlap another saved year's.
pub async fn save_rule(
    db: &DatabaseConnection,
    actor: &Actor,
    rule: Rule,
) -> Result<Result<(), String>, AppError> {
    if let Some(problem) = rule.problem() {
        return Ok(Err(problem));
    }
    if rule.starts_on >= rule.ends_on {
        return Ok(Err(
            "Ngày kết thúc năm học phải sau ngày bắt đầu.".to_owned()
        ));
    }
    let txn = crate::platform::db::begin_write(db).await?;
    for other in saved_rules(&txn).await? {
        if other.school_year != rule.school_year
            && other.starts_on <= rule.ends_on
            && rule.starts_on <= other.ends_on
        {
            return Ok(Err(format!(
                "Thời gian năm học trùng với năm học {} ({} – {}).",
                crate::domain::school_year::label(other.school_year),
                vietnamese_date(&other.starts_on),
                vietnamese_date(&other.ends_on)
            )));
        }
    }
    let model = coverage_rule::ActiveModel {
        school_year: Set(rule.school_year),
        starts_on: Set(rule.starts_on.clone()),
        ends_on: Set(rule.ends_on.clone()),
        threshold_percent: Set(rule.threshold_percent as i32),
        pass_percent: Set(rule.pass_percent as i32),
        target_a_percent: Set(rule.target_a_percent as i32),
        target_a_strict: Set(rule.target_a_strict),
        target_b_percent: Set(rule.target_b_percent as i32),
        target_b_strict: Set(rule.target_b_strict),
        basis: Set(Some(rule.basis.clone())),
        updated_by: Set(actor.account_id),
        updated_at: Set(crate::clock::now_ms()),
    };
    coverage_rule::Entity::insert(model)
        .on_conflict(
            OnConflict::column(coverage_rule::Column::SchoolYear)
                .update_columns([
                    coverage_rule::Column::StartsOn,
                    coverage_rule::Column::EndsOn,
                    coverage_rule::Column::ThresholdPercent,
                    coverage_rule::Column::PassPercent,
                    coverage_rule::Column::TargetAPercent,
                    coverage_rule::Column::TargetAStrict,
                    coverage_rule::Column::TargetBPercent,
                    coverage_rule::Column::TargetBStrict,
                    coverage_rule::Column::UpdatedBy,
                    coverage_rule::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    audit(
        &txn,
        actor,
        "bao-cao.quy-tac",
        &format!(
            "năm học {}",
            crate::domain::school_year::label(rule.school_year)
        ),
        serde_json::json!({
            "bat_dau": rule.starts_on,
            "ket_thuc": rule.ends_on,
            "nguong": rule.threshold_percent,
            "dat_bai": rule.pass_percent,
            "chi_tieu_a": rule.target_a_percent,
            "chi_tieu_b": rule.target_b_percent,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(()))
}

// ---------------------------------------------------------------------------------------------
// Recording participation

/// The level a pupil is counted at: their class's grade when the school teaches it, else the
/// school's only level, else (a GDTX centre's grades 10–12) GDTX.
pub fn level_for(school_levels: &[SchoolLevel], grade: Option<i32>) -> Option<SchoolLevel> {
    let by_grade = grade.and_then(crate::schools::service::level_of_grade);
    if let Some(level) = by_grade.filter(|l| school_levels.contains(l)) {
        return Some(level);
    }
    if let [only] = school_levels {
        return Some(*only);
    }
    if by_grade == Some(SchoolLevel::Thpt) && school_levels.contains(&SchoolLevel::Gdtx) {
        return Some(SchoolLevel::Gdtx);
    }
    None
}

/// The tracks an attempt can make its pupil a participant in: every track a contest attempt's or
/// a teacher's quiz's questions (`question_ids`) came from, or the track of a practice quiz's
/// topic (practice counts only if passed under the year's rule, see [`participation_of`]); none
/// for a whole-track practice.
async fn candidate_tracks(
    db: &impl ConnectionTrait,
    attempt: &attempt::Model,
    question_ids: &[String],
) -> Result<Vec<Track>, AppError> {
    let tracks_of_questions = async {
        let tracks: BTreeSet<Track> = question::Entity::find()
            .filter(question::Column::Id.is_in(question_ids.iter().cloned()))
            .all(db)
            .await?
            .iter()
            .filter_map(|q| Track::parse(&q.track))
            .collect();
        Ok::<_, AppError>(tracks.into_iter().collect())
    };
    match AttemptKind::parse(&attempt.kind)? {
        AttemptKind::Contest => tracks_of_questions.await,
        AttemptKind::Practice => match AttemptScope::parse(&attempt.scope)? {
            AttemptScope::Topic(slug) => Ok(topic::Entity::find_by_id(slug)
                .one(db)
                .await?
                .and_then(|t| Track::parse(&t.track))
                .into_iter()
                .collect()),
            // A teacher's quiz counts in the tracks of its questions, if passed.
            AttemptScope::Quiz(_) => tracks_of_questions.await,
            _ => Ok(vec![]),
        },
    }
}

/// What recording a submitted attempt needs that does not depend on its answers: read before the
/// submission takes the write lock, so the lock is held for the writes alone.
#[derive(Clone, Debug)]
pub struct AttemptContext {
    account_id: i32,
    year: i32,
    rule: Rule,
    /// Contest attempts: the tracks of the questions; practice: the topic's track.
    tracks: Vec<Track>,
    place: Place,
    /// A practice attempt made for a teacher's assignment.
    assigned: bool,
}

/// Where a pupil counts: their school, level and class now.
#[derive(Clone, Debug)]
pub struct Place {
    school_id: i32,
    level: crate::codes::SchoolLevel,
    class_id: Option<i32>,
}

/// Reads what [`participation_of`] needs for an attempt submitted at `at` (`question_ids`: the
/// questions it showed). `None`: the attempt counts for nothing (a visitor without an account, an
/// account that is not a pupil of a school, a practice outside a topic).
pub async fn prepare_attempt(
    db: &impl ConnectionTrait,
    attempt: &attempt::Model,
    question_ids: &[String],
    at: i64,
) -> Result<Option<AttemptContext>, AppError> {
    let Some(account) = account::Entity::find()
        .filter(account::Column::LearnerId.eq(attempt.learner_id.clone()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let rules = saved_rules(db).await?;
    let year = school_year_of(&vietnam_date(at), &rules);
    let rule = rules
        .into_iter()
        .find(|r| r.school_year == year)
        .unwrap_or_else(|| Rule::default_for(year));
    // The tracks it would count in (a practice topic quiz only if passed: the rule is applied to
    // the points once they are known).
    let tracks = candidate_tracks(db, attempt, question_ids).await?;
    if tracks.is_empty() {
        return Ok(None);
    }
    let Some(place) = place_of(db, account.id).await? else {
        return Ok(None);
    };
    let assigned = attempt.kind == AttemptKind::Practice.code()
        && crate::classroom::service::is_assigned(db, &attempt.id).await?;
    Ok(Some(AttemptContext {
        account_id: account.id,
        year,
        rule,
        tracks,
        place,
        assigned,
    }))
}

/// What submitting an attempt with these points makes its pupil a participant in, with what
/// [`prepare_attempt`] read (a practice topic quiz only when its points pass the year's rule);
/// `None` when it counts for nothing. The submission writes it with [`write_participations`].
pub fn participation_of<'a>(
    context: &'a AttemptContext,
    kind: AttemptKind,
    attempt: &attempt::Model,
    points: u32,
    at: i64,
) -> Option<Participating<'a>> {
    let counts = match kind {
        AttemptKind::Contest => true,
        AttemptKind::Practice => context.rule.passes(
            points,
            attempt.total.max(0) as u32 * crate::domain::quiz::FULL_MARKS,
        ),
    };
    counts.then(|| Participating {
        account_id: context.account_id,
        place: &context.place,
        tracks: &context.tracks,
        via: match kind {
            AttemptKind::Contest => "contest",
            AttemptKind::Practice if context.assigned => "assignment",
            AttemptKind::Practice => "lesson",
        },
        at,
        year: context.year,
    })
}

/// Records that a pupil took part in `tracks` at moment `at` (the school year it falls in under
/// the department's rules), at the school, class and level they are in now. See
/// [`record_in_year`].
pub async fn record(
    db: &impl ConnectionTrait,
    account_id: i32,
    tracks: &[Track],
    via: &str,
    at: i64,
) -> Result<u32, AppError> {
    let rules = saved_rules(db).await?;
    let year = school_year_of(&vietnam_date(at), &rules);
    record_in_year(db, account_id, tracks, via, at, year).await
}

/// A pupil's school, level and class now; `None` when they are not a pupil of a school or their
/// level cannot be told.
async fn place_of(db: &impl ConnectionTrait, account_id: i32) -> Result<Option<Place>, AppError> {
    let Some(school_id) = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(account_id))
        .filter(role_grant::Column::Role.eq(Role::Pupil.code()))
        .one(db)
        .await?
        .and_then(|g| g.school_id)
    else {
        return Ok(None);
    };
    let Some(school) = school::Entity::find_by_id(school_id).one(db).await? else {
        return Ok(None);
    };
    let class = crate::accounts::auth::current_class(db, account_id).await?;
    let levels = crate::codes::SchoolLevel::parse_stored(&school.levels);
    let Some(level) = level_for(&levels, class.as_ref().map(|c| c.grade)) else {
        return Ok(None);
    };
    Ok(Some(Place {
        school_id,
        level,
        class_id: class.map(|c| c.id),
    }))
}

/// Records that a pupil took part in `tracks` at moment `at` of school year `year`, at the school,
/// class and level they are in now. The first activity of the year in a track creates the record
/// (and counts the pupil in the tallies of that school); later ones only update it, so a pupil
/// who moves school mid-year stays counted where they first took part. Returns how many new
/// records were made.
pub async fn record_in_year(
    db: &impl ConnectionTrait,
    account_id: i32,
    tracks: &[Track],
    via: &str,
    at: i64,
    year: i32,
) -> Result<u32, AppError> {
    let Some(place) = place_of(db, account_id).await? else {
        return Ok(0);
    };
    write_participation(db, account_id, &place, tracks, via, at, year).await
}

/// One pupil taking part in `tracks` at moment `at` of school year `year`, at `place`, by `via`
/// (`lesson` or `contest`): what [`write_participations`] records.
pub struct Participating<'a> {
    account_id: i32,
    place: &'a Place,
    tracks: &'a [Track],
    via: &'a str,
    at: i64,
    year: i32,
}

/// The writes of [`record_in_year`] for one pupil whose place is already read.
async fn write_participation(
    db: &impl ConnectionTrait,
    account_id: i32,
    place: &Place,
    tracks: &[Track],
    via: &str,
    at: i64,
    year: i32,
) -> Result<u32, AppError> {
    let one = Participating {
        account_id,
        place,
        tracks,
        via,
        at,
        year,
    };
    Ok(write_participations(db, &[one])
        .await?
        .first()
        .copied()
        .unwrap_or(0))
}

/// Rows of records or tallies written in one statement at most (10 parameters each at most).
const PARTICIPATION_ROWS: usize = 300;

/// Records many pupils' participation together (the submissions of one shared commit) and says,
/// for each, how many new records of a track it made. At most three statements for the lot,
/// whatever the number of pupils and tracks: the records (one insert that skips those the pupil
/// already has this year), the update of the records that existed, and the tallies of the new
/// ones, added up per school × year × level × track. A pupil twice in `records` is written in a
/// second round of three more, so their second activity counts as one more. Records are written
/// in pupil order and tallies in key order on every server; the tallies come last: on PostgreSQL
/// a school's tally rows are shared by all its pupils and stay locked until the transaction ends,
/// so nothing else should follow them before the commit. (Should two transactions still wait on
/// each other, PostgreSQL ends one and the shared-commit writer writes its batch again.)
pub async fn write_participations(
    db: &impl ConnectionTrait,
    records: &[Participating<'_>],
) -> Result<Vec<u32>, AppError> {
    let mut made = vec![0u32; records.len()];
    let mut remaining: Vec<usize> = (0..records.len()).collect();
    while !remaining.is_empty() {
        let mut seen = HashSet::with_capacity(remaining.len());
        let (mut round, later): (Vec<usize>, Vec<usize>) = remaining
            .into_iter()
            .partition(|&i| seen.insert((records[i].account_id, records[i].year)));
        round.sort_by_key(|&i| records[i].account_id);
        write_round(db, records, &round, &mut made).await?;
        remaining = later;
    }
    Ok(made)
}

/// One round of [`write_participations`]: each pupil (and year) at most once.
async fn write_round(
    db: &impl ConnectionTrait,
    records: &[Participating<'_>],
    round: &[usize],
    made: &mut [u32],
) -> Result<(), AppError> {
    use sea_orm::sea_query::Query;
    // (record, track code) for every track each record counts in, and "either track".
    let mut rows: Vec<(usize, &str)> = Vec::new();
    for &i in round {
        let mut codes: Vec<&str> = records[i].tracks.iter().map(|t| t.code()).collect();
        codes.push(EITHER_TRACK);
        codes.sort_unstable();
        codes.dedup();
        rows.extend(codes.into_iter().map(|c| (i, c)));
    }
    let mut inserted: HashSet<(i32, String)> = HashSet::with_capacity(rows.len());
    for chunk in rows.chunks(PARTICIPATION_ROWS) {
        let mut insert = Query::insert();
        insert
            .into_table(participation::Entity)
            .columns([
                participation::Column::AccountId,
                participation::Column::Track,
                participation::Column::SchoolYear,
                participation::Column::SchoolId,
                participation::Column::Level,
                participation::Column::ClassId,
                participation::Column::Via,
                participation::Column::FirstAt,
                participation::Column::LastAt,
                participation::Column::Activities,
            ])
            .on_conflict(
                OnConflict::columns([
                    participation::Column::AccountId,
                    participation::Column::Track,
                    participation::Column::SchoolYear,
                ])
                .do_nothing()
                .to_owned(),
            )
            .returning(Query::returning().columns([
                participation::Column::AccountId,
                participation::Column::Track,
            ]));
        for &(i, code) in chunk {
            let r = &records[i];
            insert.values_panic([
                r.account_id.into(),
                code.into(),
                r.year.into(),
                r.place.school_id.into(),
                r.place.level.code().into(),
                r.place.class_id.into(),
                r.via.into(),
                r.at.into(),
                r.at.into(),
                1.into(),
            ]);
        }
        for row in db.query_all(&insert).await? {
            inserted.insert((row.try_get("", "account_id")?, row.try_get("", "track")?));
        }
    }
    let is_new =
        |&(i, code): &(usize, &str)| inserted.contains(&(records[i].account_id, code.to_owned()));
    let existing: Vec<Vec<sea_orm::Value>> = rows
        .iter()
        .filter(|row| !is_new(row))
        .map(|&(i, code)| {
            let r = &records[i];
            vec![r.account_id.into(), r.year.into(), code.into(), r.at.into()]
        })
        .collect();
    let backend = db.get_database_backend();
    for chunk in existing.chunks(PARTICIPATION_ROWS) {
        db.execute_raw(crate::platform::db::with_values(
            backend,
            "UPDATE participation SET last_at = v.column4, activities = activities + 1 \
             FROM (VALUES {values}) AS v \
             WHERE participation.account_id = v.column1 AND participation.school_year = v.column2 \
             AND participation.track = v.column3",
            chunk.to_vec(),
        ))
        .await?;
    }
    // New participants per school × year × level × track, in the key's order.
    let mut tallies: BTreeMap<(i32, i32, &str, &str), i32> = BTreeMap::new();
    for row @ &(i, code) in &rows {
        if is_new(row) {
            let r = &records[i];
            *tallies
                .entry((r.place.school_id, r.year, r.place.level.code(), code))
                .or_default() += 1;
            if code != EITHER_TRACK {
                made[i] += 1;
            }
        }
    }
    let tallies: Vec<Vec<sea_orm::Value>> = tallies
        .into_iter()
        .map(|((school, year, level, track), n)| {
            vec![
                school.into(),
                year.into(),
                level.into(),
                track.into(),
                n.into(),
            ]
        })
        .collect();
    for chunk in tallies.chunks(PARTICIPATION_ROWS) {
        db.execute_raw(crate::platform::db::with_values(
            backend,
            "INSERT INTO participation_tally (school_id, school_year, level, track, participants) \
             VALUES {values} ON CONFLICT (school_id, school_year, level, track) \
             DO UPDATE SET participants = participation_tally.participants + excluded.participants",
            chunk.to_vec(),
        ))
        .await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reading the figures

/// The school directory, as the rule needs it, with the rows themselves.
pub struct Directory {
    pub schools: HashMap<i32, school::Model>,
    pub rule_view: HashMap<i32, DirectorySchool>,
    pub communes: HashMap<i32, String>,
}

/// Loads the whole directory (a province has a few thousand schools).
pub async fn directory(db: &impl ConnectionTrait) -> Result<Directory, AppError> {
    let schools: HashMap<i32, school::Model> = school::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let by_code: HashMap<&str, i32> = schools.values().map(|s| (s.code.as_str(), s.id)).collect();
    let rule_view = schools
        .values()
        .map(|s| {
            (
                s.id,
                DirectorySchool {
                    id: s.id,
                    levels: crate::codes::SchoolLevel::parse_stored(&s.levels),
                    valid_from: s.valid_from.clone(),
                    valid_to: s.valid_to.clone(),
                    merged_into: s
                        .merged_into
                        .as_deref()
                        .and_then(|code| by_code.get(code).copied()),
                },
            )
        })
        .collect();
    let communes = commune::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    Ok(Directory {
        schools,
        rule_view,
        communes,
    })
}

/// Enrolment, participants and offline programs of one school year (of some schools, or all).
pub async fn year_counts(
    db: &impl ConnectionTrait,
    year: i32,
    only: Option<&[i32]>,
) -> Result<(YearCounts, HashMap<(i32, SchoolLevel), u32>), AppError> {
    let mut counts = YearCounts::default();
    let mut either: HashMap<(i32, SchoolLevel), u32> = HashMap::new();
    let mut tallies = participation_tally::Entity::find()
        .filter(participation_tally::Column::SchoolYear.eq(year));
    let mut enrolments =
        school_enrolment::Entity::find().filter(school_enrolment::Column::SchoolYear.eq(year));
    let mut programs =
        offline_program::Entity::find().filter(offline_program::Column::SchoolYear.eq(year));
    if let Some(ids) = only {
        tallies = tallies.filter(participation_tally::Column::SchoolId.is_in(ids.to_vec()));
        enrolments = enrolments.filter(school_enrolment::Column::SchoolId.is_in(ids.to_vec()));
        programs = programs.filter(offline_program::Column::SchoolId.is_in(ids.to_vec()));
    }
    for t in tallies.all(db).await? {
        let Some(level) = SchoolLevel::from_code(&t.level) else {
            continue;
        };
        let n = t.participants.max(0) as u32;
        match Track::parse(&t.track) {
            Some(track) => {
                *counts
                    .participants
                    .entry((t.school_id, level, track))
                    .or_default() += n
            }
            None => *either.entry((t.school_id, level)).or_default() += n,
        }
    }
    for e in enrolments.all(db).await? {
        if let Some(level) = SchoolLevel::from_code(&e.level) {
            *counts.enrolled.entry((e.school_id, level)).or_default() += e.pupils.max(0) as u32;
        }
    }
    for p in programs.all(db).await? {
        let Some(track) = Track::parse(&p.track) else {
            continue;
        };
        let map = match ProgramStatus::parse(&p.status)? {
            ProgramStatus::Approved => &mut counts.approved,
            ProgramStatus::Waiting => &mut counts.pending,
            ProgramStatus::Rejected => continue,
        };
        for level in crate::codes::SchoolLevel::parse_stored(&p.levels) {
            *map.entry((p.school_id, level, track)).or_default() += 1;
        }
    }
    Ok((counts, either))
}

/// School years with anything to show, newest first (always including the current one).
pub async fn known_years(db: &impl ConnectionTrait, current: i32) -> Result<Vec<i32>, AppError> {
    use sea_orm::QuerySelect;
    let mut years: BTreeSet<i32> = BTreeSet::from([current]);
    let tally_years: Vec<i32> = participation_tally::Entity::find()
        .select_only()
        .column(participation_tally::Column::SchoolYear)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let enrolment_years: Vec<i32> = school_enrolment::Entity::find()
        .select_only()
        .column(school_enrolment::Column::SchoolYear)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    years.extend(tally_years);
    years.extend(enrolment_years);
    years.extend(saved_rules(db).await?.iter().map(|r| r.school_year));
    Ok(years.into_iter().rev().filter(|y| *y <= current).collect())
}

/// What a school lacks, for the pages and exports to put in words.
pub fn lacks_of(standing: &Standing) -> Lacks {
    let pending = standing.pending_programs;
    match standing.gap {
        Gap::None => Lacks::Nothing {
            by_participation: standing.by_participation,
        },
        Gap::Pupils(needed) => Lacks::Pupils { needed, pending },
        Gap::NoEnrolment => Lacks::NoEnrolment { pending },
    }
}

fn cell(level: SchoolLevel, track: Track, share: Share, rule: &Rule) -> CoverageCell {
    let (target_percent, target_strict) = rule.target(track);
    CoverageCell {
        level,
        track,
        covered: share.covered,
        total: share.total,
        permille: share.permille(),
        target_percent,
        target_strict,
        meets: share.meets(target_percent, target_strict),
        missing: share.missing_for(target_percent, target_strict),
    }
}

fn cells(
    shares: &BTreeMap<(SchoolLevel, Track), Share>,
    levels: &[SchoolLevel],
    rule: &Rule,
) -> Vec<CoverageCell> {
    let mut out = Vec::new();
    for &level in levels {
        for track in [Track::A, Track::B] {
            let share = shares.get(&(level, track)).copied().unwrap_or_default();
            out.push(cell(level, track, share, rule));
        }
    }
    out
}

/// Whose schools a coverage view covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Province,
    Commune(i32),
}

/// Who may read coverage, and over which schools and levels: department officials (the levels
/// they oversee), administrators (everything), commune officials (their schools).
pub fn coverage_scope(
    caller: &crate::accounts::auth::Caller,
) -> Result<(Scope, Vec<SchoolLevel>), AppError> {
    if caller.has(Role::Admin) {
        return Ok((Scope::Province, TARGET_LEVELS.to_vec()));
    }
    if caller.has(Role::Department) {
        let overseen = crate::access::caller_department_levels(caller);
        let levels: Vec<SchoolLevel> = TARGET_LEVELS
            .into_iter()
            .filter(|l| overseen.contains(l))
            .collect();
        return Ok((Scope::Province, levels));
    }
    if let Some(commune) = caller
        .grants
        .iter()
        .find(|g| g.role == Role::Commune)
        .and_then(|g| g.commune_id)
    {
        return Ok((Scope::Commune(commune), TARGET_LEVELS.to_vec()));
    }
    Err(AppError::Forbidden)
}

/// How the list of schools not covered is ordered and filtered.
#[derive(Clone, Debug, Default)]
pub struct ListOptions {
    /// "thieu" (most pupils lacking first, the default), "ten", "xa", "ty-le".
    pub sort: String,
    pub track: Option<Track>,
    pub level: Option<SchoolLevel>,
    /// 1-based.
    pub page: u32,
}

/// Everything one year's report is computed from.
pub struct YearReport {
    pub rule: Rule,
    pub saved: bool,
    pub reference_day: String,
    pub rows: Vec<SchoolRow>,
    pub either: HashMap<(i32, SchoolLevel), u32>,
    pub counts: YearCounts,
}

/// The rows of one school year, for the schools in scope.
pub async fn year_report(
    db: &impl ConnectionTrait,
    dir: &Directory,
    scope: Scope,
    year: i32,
    today: &str,
    levels: &[SchoolLevel],
) -> Result<YearReport, AppError> {
    let (rule, saved) = rule_for(db, year).await?;
    let reference_day = rule.reference_day(today);
    let (counts, either) = year_counts(db, year, None).await?;
    let mut rows = school_rows(&dir.rule_view, &counts, &rule, &reference_day, levels);
    if let Scope::Commune(id) = scope {
        rows.retain(|r| dir.schools.get(&r.school_id).map(|s| s.commune_id) == Some(id));
    }
    Ok(YearReport {
        rule,
        saved,
        reference_day,
        rows,
        either,
        counts,
    })
}

/// The department dashboard (or a commune's) for a school year.
#[allow(clippy::too_many_arguments)]
pub async fn dashboard(
    db: &DatabaseConnection,
    scope: Scope,
    levels: &[SchoolLevel],
    year: i32,
    current_year: i32,
    today: &str,
    options: &ListOptions,
    generated_at: String,
) -> Result<CoverageView, AppError> {
    let dir = directory(db).await?;
    let years = known_years(db, current_year).await?;
    let report = year_report(db, &dir, scope, year, today, levels).await?;
    let rule = &report.rule;
    let summary = cells(&shares(&report.rows), levels, rule);
    let group = |f: &dyn Fn(&school::Model) -> String| {
        shares_by(&report.rows, |id| dir.schools.get(&id).map(f))
            .into_iter()
            .map(|(name, s)| GroupCoverage {
                cells: cells(&s, levels, rule),
                name,
            })
            .collect::<Vec<_>>()
    };
    let by_commune = group(&|s| {
        dir.communes
            .get(&s.commune_id)
            .cloned()
            .unwrap_or_else(|| "(không rõ xã/phường)".to_owned())
    });
    let by_district = group(&|s| {
        s.former_district
            .clone()
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| "(chưa ghi huyện cũ)".to_owned())
    });
    // The trend: the years before, oldest first.
    let mut trend = Vec::new();
    let mut trend_years: Vec<i32> = years
        .iter()
        .copied()
        .filter(|y| *y <= year)
        .take(TREND_YEARS)
        .collect();
    trend_years.reverse();
    for y in trend_years {
        let cells = if y == year {
            summary.clone()
        } else {
            let r = year_report(db, &dir, scope, y, today, levels).await?;
            cells(&shares(&r.rows), levels, &r.rule)
        };
        trend.push(YearCoverage {
            school_year: y,
            label: crate::domain::school_year::label(y),
            cells,
        });
    }
    // Schools not covered.
    let mut uncovered: Vec<UncoveredSchool> = Vec::new();
    for row in &report.rows {
        for track in [Track::A, Track::B] {
            let standing = row.track(track);
            if standing.covered()
                || options.track.is_some_and(|t| t != track)
                || options.level.is_some_and(|l| l != row.level)
            {
                continue;
            }
            let Some(s) = dir.schools.get(&row.school_id) else {
                continue;
            };
            uncovered.push(UncoveredSchool {
                school_id: s.id,
                code: s.code.clone(),
                name: s.name.clone(),
                commune: dir.communes.get(&s.commune_id).cloned().unwrap_or_default(),
                former_district: s.former_district.clone(),
                level: row.level,
                track,
                participants: standing.participants,
                enrolled: standing.enrolled,
                rate_permille: standing.rate_permille,
                needed: match standing.gap {
                    Gap::Pupils(n) => Some(n),
                    _ => None,
                },
                lacks: lacks_of(standing),
                pending_programs: standing.pending_programs,
            });
        }
    }
    sort_uncovered(&mut uncovered, &options.sort);
    let total = uncovered.len();
    let uncovered_schools = uncovered
        .iter()
        .map(|u| u.school_id)
        .collect::<HashSet<i32>>()
        .len() as u32;
    let pages = total.div_ceil(UNCOVERED_PAGE).max(1) as u32;
    let page = options.page.clamp(1, pages);
    let uncovered: Vec<UncoveredSchool> = uncovered
        .into_iter()
        .skip((page as usize - 1) * UNCOVERED_PAGE)
        .take(UNCOVERED_PAGE)
        .collect();
    let reach = reach_rows(&dir, &report, scope);
    let pending_programs = report.counts.pending.values().sum::<u32>();
    let scope_name = match scope {
        Scope::Province => String::new(),
        Scope::Commune(id) => dir.communes.get(&id).cloned().unwrap_or_default(),
    };
    Ok(CoverageView {
        school_year: year,
        label: crate::domain::school_year::label(year),
        scope: scope_name,
        years,
        rule: rule_view(rule, report.saved),
        reference_day: vietnamese_date(&report.reference_day),
        generated_at,
        summary,
        by_commune,
        by_district,
        trend,
        uncovered,
        uncovered_total: total as u32,
        uncovered_schools,
        page,
        pages,
        reach,
        pending_programs,
        can_edit_rule: false,
        can_decide_programs: false,
    })
}

fn sort_uncovered(list: &mut [UncoveredSchool], sort: &str) {
    let key = |u: &UncoveredSchool| crate::domain::text::ascii_fold(&u.name);
    match sort {
        "ten" => list.sort_by_key(|u| (key(u), u.level, u.track)),
        "xa" => {
            list.sort_by_key(|u| (crate::domain::text::ascii_fold(&u.commune), key(u), u.level))
        }
        "ty-le" => list.sort_by_key(|u| (u.rate_permille.unwrap_or(0), key(u), u.level, u.track)),
        // Most lacking first; schools without enrolment (which no number of pupils can fix) last.
        _ => list.sort_by_key(|u| {
            (
                u.needed.is_none(),
                std::cmp::Reverse(u.needed.unwrap_or(0)),
                key(u),
                u.level,
                u.track,
            )
        }),
    }
}

fn reach_rows(dir: &Directory, report: &YearReport, scope: Scope) -> Vec<ReachRow> {
    let day = &report.reference_day;
    let mut out = Vec::new();
    for level in REACH_LEVELS {
        let mut row = ReachRow {
            level,
            schools: 0,
            reached: 0,
            enrolled: 0,
            permille: None,
        };
        for (id, s) in &dir.rule_view {
            if !s.levels.contains(&level) || !s.exists_on(day) {
                continue;
            }
            if let Scope::Commune(c) = scope
                && dir.schools.get(id).map(|s| s.commune_id) != Some(c)
            {
                continue;
            }
            row.schools += 1;
        }
        for ((id, l), n) in &report.counts.enrolled {
            if *l == level && counted(dir, *id, day, scope) {
                row.enrolled += n;
            }
        }
        for ((id, l), n) in &report.either {
            if *l == level && counted(dir, *id, day, scope) {
                row.reached += n;
            }
        }
        if row.schools > 0 || row.enrolled > 0 || row.reached > 0 {
            row.permille = rule_domain::reach(row.enrolled, row.reached).2;
            out.push(row);
        }
    }
    out
}

fn counted(dir: &Directory, id: i32, day: &str, scope: Scope) -> bool {
    let Some(to) = rule_domain::standing_school(id, &dir.rule_view, day) else {
        return false;
    };
    match scope {
        Scope::Province => true,
        Scope::Commune(c) => dir.schools.get(&to).map(|s| s.commune_id) == Some(c),
    }
}

/// Every school row of a year (covered or not), for CSV and XLSX.
pub async fn report_table(
    db: &DatabaseConnection,
    scope: Scope,
    levels: &[SchoolLevel],
    year: i32,
    today: &str,
) -> Result<Table, AppError> {
    let dir = directory(db).await?;
    let report = year_report(db, &dir, scope, year, today, levels).await?;
    let mut table = Table::new(
        &format!("Triển khai {}", crate::domain::school_year::label(year)),
        &[
            "Mã trường",
            "Tên trường",
            "Xã/phường",
            "Huyện cũ",
            "Cấp học",
            "Sĩ số",
            "Số HS cần đạt",
            "Mạch A: số HS tham gia",
            "Mạch A: tỷ lệ",
            "Mạch A: hoạt động trực tiếp được duyệt",
            "Mạch A: đạt",
            "Mạch A: còn thiếu",
            "Mạch B: số HS tham gia",
            "Mạch B: tỷ lệ",
            "Mạch B: hoạt động trực tiếp được duyệt",
            "Mạch B: đạt",
            "Mạch B: còn thiếu",
            "Gồm trường sáp nhập",
        ],
    );
    for row in &report.rows {
        let Some(s) = dir.schools.get(&row.school_id) else {
            continue;
        };
        let mut cells: Vec<Cell> = vec![
            s.code.clone().into(),
            s.name.clone().into(),
            dir.communes
                .get(&s.commune_id)
                .cloned()
                .unwrap_or_default()
                .into(),
            s.former_district.clone().unwrap_or_default().into(),
            row.level.label().to_owned().into(),
            Cell::Count(u64::from(row.enrolled)),
            Cell::Count(u64::from(required_participants(
                row.enrolled,
                report.rule.threshold_percent,
            ))),
        ];
        for track in [Track::A, Track::B] {
            let st = row.track(track);
            cells.push(Cell::Count(u64::from(st.participants)));
            cells.push(match st.rate_permille {
                Some(permille) => Cell::Percent(permille),
                None => String::new().into(),
            });
            cells.push(Cell::Count(u64::from(st.approved_programs)));
            cells.push(
                if st.covered() {
                    "Đạt"
                } else {
                    "Chưa đạt"
                }
                .to_owned()
                .into(),
            );
            cells.push(
                if st.covered() {
                    String::new()
                } else {
                    lacks_of(st).text(crate::i18n::Locale::Vi)
                }
                .into(),
            );
        }
        cells.push(
            row.merged
                .iter()
                .filter_map(|id| dir.schools.get(id).map(|m| m.name.clone()))
                .collect::<Vec<_>>()
                .join("; ")
                .into(),
        );
        table.push_cells(cells);
    }
    Ok(table)
}

/// A school's dashboard for a school year. `names` shows the pupils who have not taken part yet
/// (the school's own staff only).
pub async fn school_dashboard(
    db: &DatabaseConnection,
    school_id: i32,
    year: i32,
    current_year: i32,
    today: &str,
    names: bool,
    generated_at: String,
) -> Result<SchoolCoverageView, AppError> {
    let dir = directory(db).await?;
    let Some(this) = dir.schools.get(&school_id) else {
        return Err(AppError::NotFound);
    };
    let (rule, saved) = rule_for(db, year).await?;
    let reference_day = rule.reference_day(today);
    // The school and the schools merged into it by the reference day.
    let family: Vec<i32> = dir
        .rule_view
        .keys()
        .copied()
        .filter(|id| {
            rule_domain::standing_school(*id, &dir.rule_view, &reference_day) == Some(school_id)
        })
        .collect();
    let mut family = family;
    if !family.contains(&school_id) {
        family.push(school_id);
    }
    let levels = crate::codes::SchoolLevel::parse_stored(&this.levels);
    let (counts, _) = year_counts(db, year, Some(&family)).await?;
    let mut rows = school_rows(&dir.rule_view, &counts, &rule, &reference_day, &levels);
    rows.retain(|r| r.school_id == school_id);
    let (last_counts, _) = year_counts(db, year - 1, Some(&family)).await?;
    let level_views = rows
        .iter()
        .map(|row| SchoolLevelCoverage {
            level: row.level,
            enrolled: row.enrolled,
            required: required_participants(row.enrolled, rule.threshold_percent),
            merged: row
                .merged
                .iter()
                .filter_map(|id| dir.schools.get(id).map(|s| s.name.clone()))
                .collect(),
            tracks: [Track::A, Track::B]
                .into_iter()
                .map(|track| {
                    let st = row.track(track);
                    TrackStandingView {
                        track,
                        participants: st.participants,
                        enrolled: st.enrolled,
                        rate_permille: st.rate_permille,
                        covered: st.covered(),
                        by_participation: st.by_participation,
                        approved_programs: st.approved_programs,
                        pending_programs: st.pending_programs,
                        needed: match st.gap {
                            Gap::Pupils(n) => Some(n),
                            _ => None,
                        },
                        lacks: lacks_of(st),
                        last_year: family
                            .iter()
                            .map(|id| {
                                last_counts
                                    .participants
                                    .get(&(*id, row.level, track))
                                    .copied()
                                    .unwrap_or(0)
                            })
                            .sum(),
                    }
                })
                .collect(),
        })
        .collect();

    // Classes of this year and last, and who took part.
    let classes = school_class::Entity::find()
        .filter(school_class::Column::SchoolId.is_in(family.iter().copied()))
        .filter(school_class::Column::SchoolYear.is_in([year, year - 1]))
        .order_by_asc(school_class::Column::Grade)
        .order_by_asc(school_class::Column::Name)
        .all(db)
        .await?;
    let grade_of: HashMap<i32, i32> = classes.iter().map(|c| (c.id, c.grade)).collect();
    let this_year: Vec<&school_class::Model> = classes
        .iter()
        .filter(|c| c.school_year == year && c.school_id == school_id)
        .collect();
    // The same schools as the totals above (this school and those merged into it).
    let took_part = participation::Entity::find()
        .filter(participation::Column::SchoolId.is_in(family.iter().copied()))
        .filter(participation::Column::SchoolYear.is_in([year, year - 1]))
        .filter(participation::Column::Track.is_in(["A", "B"]))
        .all(db)
        .await?;
    let mut per_activity: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    let mut per_class: HashMap<(i32, Track), u32> = HashMap::new();
    // Grades in order, participants without a class last.
    let mut per_grade: BTreeMap<Option<i32>, GradeComparison> = BTreeMap::new();
    for p in &took_part {
        let Some(track) = Track::parse(&p.track) else {
            continue;
        };
        if let (Some(class_id), true) = (p.class_id, p.school_year == year) {
            *per_class.entry((class_id, track)).or_default() += 1;
        }
        if p.school_year == year {
            let counts = per_activity.entry(p.via.as_str()).or_default();
            match track {
                Track::A => counts.0 += 1,
                Track::B => counts.1 += 1,
            }
        }
        let grade = p.class_id.and_then(|id| grade_of.get(&id).copied());
        let g = per_grade.entry(grade).or_insert(GradeComparison {
            grade,
            this_a: 0,
            this_b: 0,
            last_a: 0,
            last_b: 0,
        });
        match (p.school_year == year, track) {
            (true, Track::A) => g.this_a += 1,
            (true, Track::B) => g.this_b += 1,
            (false, Track::A) => g.last_a += 1,
            (false, Track::B) => g.last_b += 1,
        }
    }
    let class_ids: Vec<i32> = this_year.iter().map(|c| c.id).collect();
    let members = class_member::Entity::find()
        .filter(class_member::Column::ClassId.is_in(class_ids))
        .filter(class_member::Column::LeftAt.is_null())
        .all(db)
        .await?;
    let mut member_count: HashMap<i32, u32> = HashMap::new();
    for m in &members {
        *member_count.entry(m.class_id).or_default() += 1;
    }
    let class_views: Vec<ClassParticipation> = this_year
        .iter()
        .map(|c| ClassParticipation {
            class_id: c.id,
            name: c.name.clone(),
            grade: c.grade,
            members: member_count.get(&c.id).copied().unwrap_or(0),
            track_a: per_class.get(&(c.id, Track::A)).copied().unwrap_or(0),
            track_b: per_class.get(&(c.id, Track::B)).copied().unwrap_or(0),
        })
        .collect();
    // Who has not taken part is a list to act on now: only for the current school year.
    let not_yet = if names && year == current_year {
        let account_ids: Vec<i32> = members.iter().map(|m| m.account_id).collect();
        // Anywhere this year: a pupil who took part at their previous school has taken part.
        let done: HashSet<(i32, String)> = participation::Entity::find()
            .filter(participation::Column::AccountId.is_in(account_ids.clone()))
            .filter(participation::Column::SchoolYear.eq(year))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.account_id, p.track))
            .collect();
        let people: HashMap<i32, String> = account::Entity::find()
            .filter(account::Column::Id.is_in(account_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.id, a.full_name))
            .collect();
        let mut out = Vec::new();
        for class in &this_year {
            for track in [Track::A, Track::B] {
                let mut names: Vec<String> = members
                    .iter()
                    .filter(|m| m.class_id == class.id)
                    .filter(|m| !done.contains(&(m.account_id, track.code().to_owned())))
                    .filter_map(|m| people.get(&m.account_id).cloned())
                    .collect();
                names.sort_by_key(|n| vietnamese_sort_key(n));
                if !names.is_empty() {
                    out.push(ClassNotYet {
                        class_name: class.name.clone(),
                        track,
                        names,
                    });
                }
            }
        }
        Some(out)
    } else {
        None
    };
    let programs = programs_of(db, Some(school_id), year).await?;
    // BTreeMap puts `None` first; the pupils without a class go last.
    let mut grades: Vec<GradeComparison> = per_grade.into_values().collect();
    let without_class = grades.first().is_some_and(|g| g.grade.is_none());
    grades.rotate_left(usize::from(without_class));
    Ok(SchoolCoverageView {
        school_id,
        school_name: this.name.clone(),
        school_year: year,
        label: crate::domain::school_year::label(year),
        years: known_years(db, current_year).await?,
        rule: rule_view(&rule, saved),
        generated_at,
        levels: level_views,
        classes: class_views,
        activities: per_activity
            .into_iter()
            .map(|(via, (track_a, track_b))| ActivityParticipation {
                via: via.to_owned(),
                track_a,
                track_b,
            })
            .collect(),
        grades,
        not_yet,
        programs,
        can_log_programs: false,
    })
}

/// Vietnamese names sort by given name (the last word), then the rest.
pub fn vietnamese_sort_key(full_name: &str) -> (String, String) {
    let folded = crate::domain::text::ascii_fold(full_name);
    let given = folded.split_whitespace().last().unwrap_or("").to_owned();
    (given, folded)
}

// ---------------------------------------------------------------------------------------------
// Offline programs

/// An offline program as a school submits it.
#[derive(Clone, Debug)]
pub struct NewProgram {
    pub track: Option<Track>,
    pub levels: Vec<SchoolLevel>,
    /// As typed: ISO (`2026-10-15`, from a date field) or dd/mm/yyyy.
    pub held_on: String,
    pub title: String,
    pub participants: String,
    pub evidence_url: String,
    /// (file name, bytes).
    pub evidence_file: Option<(String, Vec<u8>)>,
}

/// Reads a date as people type it (`2026-10-15`, `15/10/2026`: the directory import's reader),
/// as an ISO date.
pub fn parse_date(text: &str) -> Option<String> {
    crate::schools::directory::parse_date(text.trim()).map(|d| d.format("%Y-%m-%d").to_string())
}

/// The kind of an evidence file from its first bytes (never from what the browser claims).
pub fn evidence_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G']) {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    } else {
        None
    }
}

/// Checks a submitted program. The error names the field, in Vietnamese.
pub fn check_program(
    new: &NewProgram,
    school_levels: &[SchoolLevel],
    today: &str,
) -> Result<(Track, String, u32, Option<String>), String> {
    let Some(track) = new.track else {
        return Err("Chọn mạch nội dung của hoạt động (A hoặc B).".to_owned());
    };
    if new.levels.is_empty() {
        return Err("Chọn ít nhất một cấp học tham gia hoạt động.".to_owned());
    }
    if let Some(level) = new.levels.iter().find(|l| !school_levels.contains(l)) {
        return Err(format!("Trường không có cấp học {}.", level.label()));
    }
    let Some(held_on) = parse_date(&new.held_on) else {
        return Err(format!(
            "Ngày tổ chức “{}” không hợp lệ (ví dụ: 15/10/2026).",
            new.held_on.trim()
        ));
    };
    if held_on.as_str() > today {
        return Err("Ngày tổ chức không được sau ngày hôm nay.".to_owned());
    }
    let title = crate::domain::text::clean_name(&new.title);
    if title.chars().count() < 5 || title.chars().count() > 200 {
        return Err("Tên hoạt động cần từ 5 đến 200 ký tự.".to_owned());
    }
    if let Some(problem) = crate::domain::text::plain_text_problem(&title) {
        return Err(format!("Tên hoạt động {problem}."));
    }
    let participants: u32 = match new.participants.trim().parse() {
        Ok(n) if (1..=100_000).contains(&n) => n,
        _ => {
            return Err(format!(
                "Số người tham gia “{}” không hợp lệ (một số nguyên từ 1 đến 100000).",
                new.participants.trim()
            ));
        }
    };
    let url = new.evidence_url.trim();
    let url = if url.is_empty() {
        None
    } else if (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() <= 500
        && !url.contains(char::is_whitespace)
        && !url.contains(char::is_control)
    {
        Some(url.to_owned())
    } else {
        return Err(
            "Đường dẫn minh chứng cần bắt đầu bằng https:// (tối đa 500 ký tự).".to_owned(),
        );
    };
    match &new.evidence_file {
        Some((name, bytes)) => {
            if bytes.len() > MAX_EVIDENCE_BYTES {
                return Err(format!("Tệp minh chứng “{name}” quá lớn (tối đa 5 MB)."));
            }
            if evidence_type(bytes).is_none() {
                return Err(format!(
                    "Tệp minh chứng “{name}” cần là PDF, ảnh JPG/PNG hoặc tệp Word (.docx)."
                ));
            }
        }
        None if url.is_none() => {
            return Err("Cần có minh chứng: tải lên một tệp hoặc ghi đường dẫn.".to_owned());
        }
        None => {}
    }
    Ok((track, held_on, participants, url))
}

/// A school's enrolment at some levels in a school year; `None` when none is recorded.
async fn enrolment_at(
    db: &impl ConnectionTrait,
    school_id: i32,
    year: i32,
    levels: &[SchoolLevel],
) -> Result<Option<u32>, AppError> {
    let rows = school_enrolment::Entity::find()
        .filter(school_enrolment::Column::SchoolId.eq(school_id))
        .filter(school_enrolment::Column::SchoolYear.eq(year))
        .all(db)
        .await?;
    Ok(enrolment_among(&rows, school_id, year, levels))
}

/// The enrolment of one school, year and set of levels among enrolment rows.
fn enrolment_among(
    rows: &[school_enrolment::Model],
    school_id: i32,
    year: i32,
    levels: &[SchoolLevel],
) -> Option<u32> {
    let counted: Vec<u32> = rows
        .iter()
        .filter(|e| e.school_id == school_id && e.school_year == year)
        .filter(|e| SchoolLevel::from_code(&e.level).is_some_and(|l| levels.contains(&l)))
        .map(|e| e.pupils.max(0) as u32)
        .collect();
    (!counted.is_empty()).then(|| counted.iter().sum())
}

/// Logs a school's offline program, waiting for the department. `Ok(Err(message))` when the
/// form is not acceptable.
pub async fn log_program(
    db: &DatabaseConnection,
    actor: &Actor,
    submitted_by: i32,
    school_id: i32,
    new: NewProgram,
    today: &str,
) -> Result<Result<i32, String>, AppError> {
    let school = crate::schools::service::school_by_id(db, school_id).await?;
    let levels = crate::codes::SchoolLevel::parse_stored(&school.levels);
    let (track, held_on, participants, url) = match check_program(&new, &levels, today) {
        Ok(v) => v,
        Err(message) => return Ok(Err(message)),
    };
    let year = school_year_of(&held_on, &saved_rules(db).await?);
    // More participants than pupils at those levels cannot be right.
    if let Some(enrolled) = enrolment_at(db, school_id, year, &new.levels).await?
        && participants > enrolled
    {
        return Ok(Err(format!(
            "Số người tham gia ({participants}) nhiều hơn sĩ số của trường ở cấp học đã chọn trong năm học {} ({enrolled} học sinh).",
            crate::i18n::school_year_label(year)
        )));
    }
    let txn = crate::platform::db::begin_write(db).await?;
    let title = crate::domain::text::clean_name(&new.title);
    let program = offline_program::ActiveModel {
        school_id: Set(school_id),
        school_year: Set(year),
        track: Set(track.code().to_owned()),
        levels: Set(crate::codes::SchoolLevel::join(&new.levels)),
        held_on: Set(held_on.clone()),
        title: Set(title.clone()),
        participants: Set(participants as i32),
        evidence_url: Set(url),
        evidence_name: Set(new.evidence_file.as_ref().map(|(n, _)| clean_file_name(n))),
        status: Set(ProgramStatus::Waiting.code().to_owned()),
        reason: Set(None),
        submitted_by: Set(submitted_by),
        submitted_at: Set(crate::clock::now_ms()),
        decided_by: Set(None),
        decided_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if let Some((_, bytes)) = new.evidence_file {
        offline_evidence::ActiveModel {
            program_id: Set(program.id),
            content_type: Set(evidence_type(&bytes)
                .unwrap_or("application/octet-stream")
                .to_owned()),
            data: Set(bytes),
        }
        .insert(&txn)
        .await?;
    }
    audit(
        &txn,
        actor,
        "chuong-trinh.gui",
        &format!("{} — {}", school.name, title),
        serde_json::json!({"id": program.id, "noi_dung": track.code(), "ngay": held_on, "so_nguoi": participants}),
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(program.id))
}

/// Approves or rejects a waiting program (a rejection needs a reason).
/// Whether a program concerns one of `levels` (the levels a department official oversees).
fn program_in_levels(program_levels: &str, levels: &[SchoolLevel]) -> bool {
    crate::codes::SchoolLevel::parse_stored(program_levels)
        .iter()
        .any(|l| levels.contains(l))
}

pub async fn decide_program(
    db: &DatabaseConnection,
    actor: &Actor,
    decided_by: i32,
    levels: &[SchoolLevel],
    program_id: i32,
    approve: bool,
    reason: &str,
) -> Result<Result<(), String>, AppError> {
    let reason = reason.trim();
    if !approve && reason.chars().count() < 5 {
        return Ok(Err(
            "Khi không duyệt, cần ghi lý do (ít nhất 5 ký tự) để nhà trường bổ sung.".to_owned(),
        ));
    }
    let txn = crate::platform::db::begin_write(db).await?;
    let Some(program) = offline_program::Entity::find_by_id(program_id)
        .one(&txn)
        .await?
    else {
        return Err(AppError::NotFound);
    };
    if !program_in_levels(&program.levels, levels) {
        // An official for THCS decides THCS programs only, as they read THCS schools only.
        return Err(AppError::Forbidden);
    }
    if ProgramStatus::parse(&program.status)? != ProgramStatus::Waiting {
        return Ok(Err("Hoạt động này đã được xử lý.".to_owned()));
    }
    let status = if approve {
        ProgramStatus::Approved
    } else {
        ProgramStatus::Rejected
    }
    .code();
    let mut active: offline_program::ActiveModel = program.clone().into();
    active.status = Set(status.to_owned());
    active.reason = Set((!reason.is_empty()).then(|| reason.to_owned()));
    active.decided_by = Set(Some(decided_by));
    active.decided_at = Set(Some(crate::clock::now_ms()));
    active.update(&txn).await?;
    audit(
        &txn,
        actor,
        if approve {
            "chuong-trinh.duyet"
        } else {
            "chuong-trinh.tu-choi"
        },
        &program.title,
        serde_json::json!({"id": program.id, "truong": program.school_id, "ly_do": reason}),
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(()))
}

fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(120)
        .collect();
    if cleaned.trim().is_empty() {
        "minh-chung".to_owned()
    } else {
        cleaned
    }
}

/// The programs of a school (or all schools) in a school year, newest first.
pub async fn programs_of(
    db: &impl ConnectionTrait,
    school_id: Option<i32>,
    year: i32,
) -> Result<Vec<ProgramRow>, AppError> {
    let mut query =
        offline_program::Entity::find().filter(offline_program::Column::SchoolYear.eq(year));
    if let Some(id) = school_id {
        query = query.filter(offline_program::Column::SchoolId.eq(id));
    }
    let programs = query
        .order_by_desc(offline_program::Column::SubmittedAt)
        .all(db)
        .await?;
    let school_ids: Vec<i32> = programs.iter().map(|p| p.school_id).collect();
    let schools: HashMap<i32, String> = school::Entity::find()
        .filter(school::Column::Id.is_in(school_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let people_ids: Vec<i32> = programs
        .iter()
        .flat_map(|p| [Some(p.submitted_by), p.decided_by])
        .flatten()
        .collect();
    let people: HashMap<i32, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(people_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.full_name))
        .collect();
    // Enrolment at each program's levels, from one query.
    let enrolments = school_enrolment::Entity::find()
        .filter(school_enrolment::Column::SchoolId.is_in(programs.iter().map(|p| p.school_id)))
        .filter(school_enrolment::Column::SchoolYear.is_in(programs.iter().map(|p| p.school_year)))
        .all(db)
        .await?;
    let enrolled: HashMap<i32, Option<u32>> = programs
        .iter()
        .map(|p| {
            let levels = crate::codes::SchoolLevel::parse_stored(&p.levels);
            (
                p.id,
                enrolment_among(&enrolments, p.school_id, p.school_year, &levels),
            )
        })
        .collect();
    Ok(programs
        .into_iter()
        .map(|p| ProgramRow {
            enrolled: enrolled.get(&p.id).copied().flatten(),
            id: p.id,
            school_id: p.school_id,
            school_name: schools.get(&p.school_id).cloned().unwrap_or_default(),
            school_year: p.school_year,
            track: Track::parse(&p.track).unwrap_or(Track::A),
            levels: crate::codes::SchoolLevel::parse_stored(&p.levels),
            held_on: vietnamese_date(&p.held_on),
            title: p.title,
            participants: p.participants.max(0) as u32,
            evidence_url: p.evidence_url,
            evidence_file: p.evidence_name,
            status: p.status,
            reason: p.reason,
            submitted_by: people.get(&p.submitted_by).cloned().unwrap_or_default(),
            submitted_at: format_vietnam_time(p.submitted_at),
            decided_by: p.decided_by.and_then(|id| people.get(&id).cloned()),
            decided_at: p.decided_at.map(format_vietnam_time),
        })
        .collect())
}

/// The department's queue: programs waiting, then those decided, of a school year.
pub async fn program_queue(
    db: &DatabaseConnection,
    year: i32,
    current_year: i32,
    levels: &[SchoolLevel],
) -> Result<ProgramQueueView, AppError> {
    let all: Vec<ProgramRow> = programs_of(db, None, year)
        .await?
        .into_iter()
        .filter(|p| p.levels.iter().any(|l| levels.contains(l)))
        .collect();
    let (pending, decided): (Vec<ProgramRow>, Vec<ProgramRow>) = all
        .into_iter()
        .partition(|p| p.status == ProgramStatus::Waiting.code());
    Ok(ProgramQueueView {
        school_year: year,
        label: crate::domain::school_year::label(year),
        years: known_years(db, current_year).await?,
        pending,
        decided,
    })
}

/// A program's evidence file: (school, file name, content type, bytes).
pub async fn evidence(
    db: &DatabaseConnection,
    program_id: i32,
) -> Result<Option<(i32, String, String, Vec<u8>)>, AppError> {
    let Some(program) = offline_program::Entity::find_by_id(program_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(file) = offline_evidence::Entity::find_by_id(program_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some((
        program.school_id,
        program
            .evidence_name
            .unwrap_or_else(|| "minh-chung".to_owned()),
        file.content_type,
        file.data,
    )))
}

// ---------------------------------------------------------------------------------------------
// Demo data

/// For `seed-demo`: a share of each populated school's pupils took part this year and last
/// (different for each school, so some reach the threshold and some do not), last year's
/// enrolment is copied from this year's, and two schools logged offline programs (one approved,
/// one waiting). Clearly synthetic, like the rest of the demo. `None` when already there.
pub async fn seed_demo_participation(
    db: &DatabaseConnection,
    year: i32,
    now: i64,
) -> Result<Option<usize>, AppError> {
    if participation::Entity::find().one(db).await?.is_some() {
        return Ok(None);
    }
    let classes: HashMap<i32, school_class::Model> = school_class::Entity::find()
        .filter(school_class::Column::SchoolYear.eq(year))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let class_ids: Vec<i32> = classes.keys().copied().collect();
    let mut members = Vec::new();
    for chunk in class_ids.chunks(500) {
        members.extend(
            class_member::Entity::find()
                .filter(class_member::Column::ClassId.is_in(chunk.to_vec()))
                .filter(class_member::Column::LeftAt.is_null())
                .all(db)
                .await?,
        );
    }
    let schools: HashMap<i32, school::Model> = school::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut rows: Vec<participation::ActiveModel> = Vec::new();
    let mut tallies: BTreeMap<(i32, i32, String, String), i32> = BTreeMap::new();
    for m in &members {
        let Some(class) = classes.get(&m.class_id) else {
            continue;
        };
        let Some(school) = schools.get(&class.school_id) else {
            continue;
        };
        let levels = crate::codes::SchoolLevel::parse_stored(&school.levels);
        let Some(level) = level_for(&levels, Some(class.grade)) else {
            continue;
        };
        for (y, back) in [(year, 0), (year - 1, 8)] {
            let share_a = 8 + (school.id * 37 % 30) - back;
            let share_b = 4 + (school.id * 53 % 24) - back;
            let at = if y == year {
                now - 86_400_000
            } else {
                now - 400 * 86_400_000
            };
            let drawn: Vec<&str> = [("A", share_a, 11), ("B", share_b, 23)]
                .into_iter()
                .filter(|(_, share, salt)| {
                    (i64::from(m.account_id) * 2_654_435_761 + salt * i64::from(y)) % 100
                        < i64::from(*share)
                })
                .map(|(track, _, _)| track)
                .collect();
            let either = (!drawn.is_empty()).then_some(EITHER_TRACK);
            for code in drawn.into_iter().chain(either) {
                rows.push(participation::ActiveModel {
                    account_id: Set(m.account_id),
                    track: Set(code.to_owned()),
                    school_year: Set(y),
                    school_id: Set(school.id),
                    level: Set(level.code().to_owned()),
                    class_id: Set((y == year).then_some(class.id)),
                    via: Set("lesson".to_owned()),
                    first_at: Set(at),
                    last_at: Set(at),
                    activities: Set(1),
                    ..Default::default()
                });
                *tallies
                    .entry((school.id, y, level.code().to_owned(), code.to_owned()))
                    .or_default() += 1;
            }
        }
    }
    let recorded = rows.len();
    let txn = crate::platform::db::begin_write(db).await?;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<participation::ActiveModel> = rows.by_ref().take(500).collect();
        participation::Entity::insert_many(chunk).exec(&txn).await?;
    }
    let tally_rows: Vec<participation_tally::ActiveModel> = tallies
        .into_iter()
        .map(
            |((school_id, y, level, track), n)| participation_tally::ActiveModel {
                school_id: Set(school_id),
                school_year: Set(y),
                level: Set(level),
                track: Set(track),
                participants: Set(n),
            },
        )
        .collect();
    for chunk in tally_rows.chunks(500) {
        participation_tally::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    // Last year's enrolment, so that the trend has two years.
    let has_last_year = school_enrolment::Entity::find()
        .filter(school_enrolment::Column::SchoolYear.eq(year - 1))
        .one(&txn)
        .await?
        .is_some();
    if !has_last_year {
        let this_year = school_enrolment::Entity::find()
            .filter(school_enrolment::Column::SchoolYear.eq(year))
            .all(&txn)
            .await?;
        for chunk in this_year.chunks(500) {
            school_enrolment::Entity::insert_many(chunk.iter().map(|e| {
                school_enrolment::ActiveModel {
                    school_id: Set(e.school_id),
                    school_year: Set(year - 1),
                    level: Set(e.level.clone()),
                    pupils: Set(e.pupils),
                    ..Default::default()
                }
            }))
            .exec(&txn)
            .await?;
        }
    }
    // Two offline programs from the first populated schools.
    let mut populated: Vec<i32> = classes.values().map(|c| c.school_id).collect();
    populated.sort_unstable();
    populated.dedup();
    for (i, school_id) in populated.iter().take(2).enumerate() {
        let levels = schools
            .get(school_id)
            .map(|s| s.levels.clone())
            .unwrap_or_default();
        offline_program::ActiveModel {
            school_id: Set(*school_id),
            school_year: Set(year),
            track: Set(if i == 0 { "B" } else { "A" }.to_owned()),
            levels: Set(levels),
            held_on: Set(vietnam_date(now - 20 * 86_400_000)),
            title: Set(if i == 0 {
                "Ngoại khóa “Nhận diện tin giả trên mạng xã hội” (minh họa)"
            } else {
                "Chuyên đề “Lừa đảo trực tuyến nhắm vào học sinh” (minh họa)"
            }
            .to_owned()),
            participants: Set(if i == 0 { 420 } else { 310 }),
            evidence_url: Set(Some("https://example.org/minh-hoa".to_owned())),
            evidence_name: Set(None),
            status: Set(if i == 0 {
                ProgramStatus::Approved
            } else {
                ProgramStatus::Waiting
            }
            .code()
            .to_owned()),
            reason: Set(None),
            submitted_by: Set(1),
            submitted_at: Set(now - 19 * 86_400_000),
            decided_by: Set((i == 0).then_some(1)),
            decided_at: Set((i == 0).then_some(now - 18 * 86_400_000)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(Some(recorded))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_level_comes_from_the_class_grade_when_the_school_teaches_it() {
        use SchoolLevel::*;
        assert_eq!(level_for(&[Thcs, Thpt], Some(8)), Some(Thcs));
        assert_eq!(level_for(&[Thcs, Thpt], Some(11)), Some(Thpt));
        assert_eq!(level_for(&[Thcs, Thpt], None), None);
        assert_eq!(level_for(&[Thcs], None), Some(Thcs));
        assert_eq!(level_for(&[Gdtx], Some(10)), Some(Gdtx));
        assert_eq!(level_for(&[Gdtx, TrungCapCaoDang], Some(10)), Some(Gdtx));
        assert_eq!(level_for(&[DaiHoc], None), Some(DaiHoc));
    }

    #[test]
    fn dates_are_read_as_people_type_them() {
        assert_eq!(parse_date("2026-10-15").as_deref(), Some("2026-10-15"));
        assert_eq!(parse_date(" 5/9/2026 ").as_deref(), Some("2026-09-05"));
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_date("15/10/26"), None);
        assert_eq!(parse_date("hôm qua"), None);
    }

    #[test]
    fn a_moment_is_dated_in_vietnam_time() {
        // 2026-08-31T17:30:00Z is already 1 September in Vietnam.
        assert_eq!(vietnam_date(1_788_197_400_000), "2026-09-01");
        assert_eq!(vietnam_date(1_788_197_400_000 - 3_600_000), "2026-08-31");
    }

    fn program() -> NewProgram {
        NewProgram {
            track: Some(Track::A),
            levels: vec![SchoolLevel::Thcs],
            held_on: "15/10/2026".into(),
            title: "Chuyên đề an toàn trên mạng".into(),
            participants: "320".into(),
            evidence_url: String::new(),
            evidence_file: Some(("bien-ban.pdf".into(), b"%PDF-1.7 ...".to_vec())),
        }
    }

    #[test]
    fn a_program_needs_evidence_and_sane_fields() {
        let levels = [SchoolLevel::Thcs];
        let today = "2026-11-28";
        assert!(check_program(&program(), &levels, today).is_ok());
        let mut p = program();
        p.evidence_file = None;
        assert!(
            check_program(&p, &levels, today)
                .unwrap_err()
                .contains("minh chứng")
        );
        p.evidence_url = "https://truong.edu.vn/tin/123".into();
        assert!(check_program(&p, &levels, today).is_ok());
        let mut p = program();
        p.evidence_file = Some(("virus.exe".into(), b"MZ\x90\x00".to_vec()));
        assert!(
            check_program(&p, &levels, today)
                .unwrap_err()
                .contains("virus.exe")
        );
        let mut p = program();
        p.held_on = "01/12/2026".into();
        assert!(
            check_program(&p, &levels, today)
                .unwrap_err()
                .contains("sau ngày hôm nay")
        );
        let mut p = program();
        p.participants = "ba trăm".into();
        assert!(
            check_program(&p, &levels, today)
                .unwrap_err()
                .contains("ba trăm")
        );
        let mut p = program();
        p.levels = vec![SchoolLevel::Thpt];
        assert!(
            check_program(&p, &levels, today)
                .unwrap_err()
                .contains("THPT")
        );
        let mut p = program();
        p.track = None;
        assert!(check_program(&p, &levels, today).is_err());
    }

    #[test]
    fn file_names_are_cleaned_for_the_download_header() {
        assert_eq!(
            clean_file_name("C:\\Users\\gv\\bien \"ban\".pdf"),
            "bien ban.pdf"
        );
        assert_eq!(clean_file_name(""), "minh-chung");
    }
}
