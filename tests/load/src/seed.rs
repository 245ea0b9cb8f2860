//! A fresh database for one run: migrations, the shipped content (the question bank), one school
//! with classes of pupils that all share one argon2 hash, then (once the servers are up) a
//! contest round that opens after the sign-in window.

use anyhow::{Context, anyhow};
use app::codes::Role;
use app::entities::{account, class_member, learner, role_grant, school_class};
use app::schools::people::Actor;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};
use std::path::{Path, PathBuf};

/// The password of every pupil of the run.
pub const PASSWORD: &str = "khienso-tai-thu";

/// Pupils per class (the app's demo generator keeps classes at 45 or fewer).
const CLASS_SIZE: usize = 40;

/// Username of pupil `index` (0-based).
pub fn username(index: usize) -> String {
    format!("hs{:06}", index + 1)
}

/// Connection options without sqlx's statement logging (DROP DATABASE is "slow").
fn quiet(url: &str) -> sea_orm::ConnectOptions {
    let mut options = sea_orm::ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false);
    options
}

/// Where the run's database lives.
pub enum Store {
    Sqlite { dir: PathBuf },
    Postgres { admin_url: String, name: String },
}

impl Store {
    /// A new SQLite file in a new temporary directory.
    pub fn new_sqlite(run_id: &str) -> anyhow::Result<(Store, String)> {
        let dir = std::env::temp_dir().join(format!("khien-so-load-{run_id}"));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let url = format!("sqlite://{}?mode=rwc", dir.join("khien-so.db").display());
        Ok((Store::Sqlite { dir }, url))
    }

    /// `CREATE DATABASE ks_load_<run id>` on the server of `base` (`postgres://user@host:port`).
    pub async fn new_postgres(base: &str, run_id: &str) -> anyhow::Result<(Store, String)> {
        let base = base.trim_end_matches('/');
        let admin_url = format!("{base}/postgres");
        let name = format!("ks_load_{run_id}");
        let admin = Database::connect(quiet(&admin_url))
            .await
            .with_context(|| format!("connecting to {admin_url}"))?;
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .with_context(|| format!("CREATE DATABASE {name}"))?;
        admin.close().await.ok();
        let url = format!("{base}/{name}");
        Ok((Store::Postgres { admin_url, name }, url))
    }

    /// Where server logs go (SQLite: beside the database; PostgreSQL: a new temporary directory).
    pub fn log_dir(&self, run_id: &str) -> anyhow::Result<PathBuf> {
        let dir = match self {
            Store::Sqlite { dir } => dir.clone(),
            Store::Postgres { .. } => std::env::temp_dir().join(format!("khien-so-load-{run_id}")),
        };
        std::fs::create_dir_all(&dir)?;
        Ok(dir)
    }

    /// Deletes the database (the SQLite files, or `DROP DATABASE`); logs are kept.
    pub async fn remove(&self) -> anyhow::Result<()> {
        match self {
            Store::Sqlite { dir } => {
                for suffix in ["", "-wal", "-shm"] {
                    let file = dir.join(format!("khien-so.db{suffix}"));
                    if file.exists() {
                        std::fs::remove_file(&file)
                            .with_context(|| format!("removing {}", file.display()))?;
                    }
                }
                Ok(())
            }
            Store::Postgres { admin_url, name } => {
                let admin = Database::connect(quiet(admin_url)).await?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await
                    .with_context(|| format!("DROP DATABASE {name}"))?;
                admin.close().await.ok();
                Ok(())
            }
        }
    }

    /// How to name it in the output.
    pub fn describe(&self) -> String {
        match self {
            Store::Sqlite { dir } => format!("SQLite {}", dir.join("khien-so.db").display()),
            Store::Postgres { name, .. } => format!("PostgreSQL database {name}"),
        }
    }
}

/// What [`seed_pupils`] made.
pub struct Seeded {
    pub pupils: usize,
    pub classes: usize,
    pub questions: usize,
}

/// Migrates, syncs the content and inserts `pupils` pupil accounts (usernames from
/// [`username`]) in one school, in classes of 40, all with one hash of [`PASSWORD`].
pub async fn seed_pupils(
    db: &DatabaseConnection,
    content_dir: &Path,
    pupils: usize,
) -> anyhow::Result<Seeded> {
    Migrator::up(db, None).await.context("migrations")?;
    let content = app::content::load::load_content(content_dir).map_err(|errors| {
        anyhow!(
            "content in {} has {} errors, the first: {}",
            content_dir.display(),
            errors.len(),
            errors.first().map(|e| e.to_string()).unwrap_or_default()
        )
    })?;
    app::content::sync::sync_content(db, &content)
        .await
        .context("content sync")?;
    let questions = app::contests::service::question_pool(db)
        .await
        .map_err(|e| anyhow!("question pool: {e}"))?
        .len();

    let csv = "mã trường,tên trường,cấp học,loại hình,xã/phường,huyện cũ,cơ quan quản lý,năm học,sĩ số THCS,sĩ số THPT\n\
               TAI-01,Trường THCS Thử Tải,THCS,Công lập,Phường Thử Tải,Huyện cũ Thử Tải,Sở GD&ĐT,2026-2027,12000,\n";
    let records = app::schools::directory::parse_directory("thu-tai.csv", csv.as_bytes())
        .map_err(|e| anyhow!("directory: {e:?}"))?;
    app::schools::people::import_directory(db, &records, &Actor::command_line(), "thu-tai.csv")
        .await
        .map_err(|e| anyhow!("directory import: {e}"))?
        .map_err(|e| anyhow!("directory refused: {e:?}"))?;
    let school_id = app::schools::people::school_id_by_code(db, "TAI-01")
        .await
        .map_err(|e| anyhow!("{e}"))?
        .ok_or_else(|| anyhow!("school TAI-01 missing after import"))?;

    // One hash for everyone: hashing 10,000 passwords one by one would take minutes.
    let hash = app::accounts::auth::hash_password(PASSWORD.to_owned())
        .await
        .map_err(|e| anyhow!("hashing: {e}"))?;
    let year = app::clock::current_school_year();
    let now = app::clock::now_ms();
    let txn = db.begin().await?;
    let mut classes = 0;
    for (class_no, class) in (0..pupils)
        .collect::<Vec<_>>()
        .chunks(CLASS_SIZE)
        .enumerate()
    {
        let grade = 6 + (class_no % 4) as i32;
        let class_row = school_class::ActiveModel {
            school_id: Set(school_id),
            school_year: Set(year),
            name: Set(format!("{grade}T{:03}", class_no / 4 + 1)),
            grade: Set(grade),
            teacher_id: Set(None),
            join_code: Set(None),
            created_at: Set(now),
            ..Default::default()
        };
        let class_id = school_class::Entity::insert(class_row)
            .exec(&txn)
            .await?
            .last_insert_id;
        classes += 1;
        let mut learners = Vec::with_capacity(class.len());
        let mut accounts = Vec::with_capacity(class.len());
        let mut usernames = Vec::with_capacity(class.len());
        for &index in class {
            let learner_id = uuid::Uuid::new_v4().to_string();
            learners.push(learner::ActiveModel {
                id: Set(learner_id.clone()),
                created_at: Set(now),
            });
            accounts.push(account::ActiveModel {
                username: Set(username(index)),
                full_name: Set(format!("Học Sinh Thử Tải {}", index + 1)),
                password_hash: Set(hash.clone()),
                initial_password: Set(None),
                must_change_password: Set(false),
                birth_year: Set(Some(2012)),
                pupil_code: Set(None),
                learner_id: Set(learner_id),
                disabled: Set(false),
                created_at: Set(now),
                last_login_at: Set(None),
                ..Default::default()
            });
            usernames.push(username(index));
        }
        learner::Entity::insert_many(learners)
            .exec_without_returning(&txn)
            .await?;
        account::Entity::insert_many(accounts)
            .exec_without_returning(&txn)
            .await?;
        let ids: Vec<i32> = account::Entity::find()
            .filter(account::Column::Username.is_in(usernames))
            .all(&txn)
            .await?
            .into_iter()
            .map(|a| a.id)
            .collect();
        role_grant::Entity::insert_many(ids.iter().map(|id| role_grant::ActiveModel {
            account_id: Set(*id),
            role: Set(Role::Pupil.code().to_owned()),
            school_id: Set(Some(school_id)),
            commune_id: Set(None),
            levels: Set(None),
            created_at: Set(now),
            ..Default::default()
        }))
        .exec_without_returning(&txn)
        .await?;
        class_member::Entity::insert_many(ids.iter().map(|id| class_member::ActiveModel {
            class_id: Set(class_id),
            account_id: Set(*id),
            via: Set("roster".to_owned()),
            joined_at: Set(now),
            left_at: Set(None),
            ..Default::default()
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(Seeded {
        pupils,
        classes,
        questions,
    })
}

/// A contest with one round opening at `opens_at` (ms) that draws `questions` questions from the
/// whole bank, open to every pupil, one attempt of 30 minutes. Returns the round id.
pub async fn create_round(
    db: &DatabaseConnection,
    opens_at: i64,
    closes_at: i64,
    questions: u32,
) -> anyhow::Result<i32> {
    use app::contests::service::{ContestSettings, RoundSettings};
    use app::domain::contest::{DrawRule, Eligibility};
    let actor = Actor::command_line();
    let contest = app::contests::service::create_contest(
        db,
        &actor,
        ContestSettings {
            title: "Khiên Số — thử tải".to_owned(),
            description: "Cuộc thi giả lập của bộ thử tải.".to_owned(),
            school_year: app::clock::current_school_year(),
            ranking_order: app::domain::ranking::default_order(),
            counted_attempt: app::domain::ranking::CountedAttempt::Best,
            prizes: [1, 2, 3, 4],
            prize_min_score: None,
        },
    )
    .await
    .map_err(|e| anyhow!("create_contest: {e}"))?;
    app::contests::service::add_round(
        db,
        &actor,
        contest,
        RoundSettings {
            name: "Vòng thử tải".to_owned(),
            opens_at,
            closes_at,
            time_allowed_ms: 30 * 60_000,
            attempts_allowed: 1,
            rules: vec![DrawRule {
                track: None,
                topic: None,
                difficulty: None,
                count: questions,
            }],
            eligibility: Eligibility {
                levels: vec![],
                school_ids: vec![],
                commune_ids: vec![],
            },
            prediction_question: None,
            review_at_once: false,
        },
    )
    .await
    .map_err(|e| anyhow!("add_round: {e}"))?
    .map_err(|problem| anyhow!("add_round refused: {problem}"))
}
