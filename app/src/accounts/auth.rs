//! Accounts, passwords, sessions and login throttling.
//!
//! Passwords are hashed with argon2id on the blocking pool. Sessions live in the database (so
//! several app servers share them) under the SHA-256 of the cookie token. Failed logins are
//! counted per account and per address in the database, for the same reason.

use crate::accounts::identity::{IdentityCache, SessionRow};
use crate::clock::now_ms;
use crate::codes::{Role, SchoolLevel};
use crate::entities::{
    account, class_member, learner, login_throttle, role_grant, school, school_class, session,
};
use crate::error::AppError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::{Rng, RngCore};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use sha2::{Digest, Sha256};
use std::sync::{Arc, OnceLock};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "ks_session";

/// The `Set-Cookie` value carrying a session token; `None` clears the cookie. No `Max-Age`: the
/// session ends with the browser too, which matters on a school's shared computers.
pub fn session_cookie(token: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(token) => format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}"),
        None => format!("{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}"),
    }
}

/// Failed logins allowed per account from one address within [`THROTTLE_WINDOW_MS`]: someone
/// guessing from elsewhere does not lock a pupil out of their own computer room.
pub const MAX_FAILURES_PER_ACCOUNT: i32 = 5;
/// Failed logins allowed per account from all addresses together within the window: guessing
/// spread over many addresses still stops.
pub const MAX_FAILURES_PER_ACCOUNT_ANYWHERE: i32 = 30;
/// Failed logins allowed per address within the window. A school's computer room shares one
/// address, so this is much higher than the per-account limit.
pub const MAX_FAILURES_PER_ADDRESS: i32 = 100;
/// Length of the throttling window.
pub const THROTTLE_WINDOW_MS: i64 = 15 * 60 * 1000;

/// How long sessions last.
#[derive(Clone, Copy, Debug)]
pub struct SessionSettings {
    /// A session unused for this long ends.
    pub idle_ms: i64,
    /// A session ends this long after sign-in, used or not.
    pub absolute_ms: i64,
    /// Add `Secure` to cookies (behind HTTPS).
    pub secure_cookies: bool,
}

/// One role held by the caller, with its scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub role: Role,
    pub school_id: Option<i32>,
    pub commune_id: Option<i32>,
    /// For department officials: the levels they oversee.
    pub levels: Vec<SchoolLevel>,
}

/// The signed-in person making the request. Built by the session middleware; not `Serialize`.
#[derive(Clone, Debug)]
pub struct Caller {
    pub account_id: i32,
    pub username: String,
    pub full_name: String,
    pub learner_id: String,
    pub must_change_password: bool,
    pub grants: Vec<Grant>,
    /// Id (token hash) of the current session.
    pub session_id: String,
}

/// The parts of a school that decide who may read it.
#[derive(Clone, Debug)]
pub struct SchoolScope {
    pub id: i32,
    pub commune_id: i32,
    pub levels: Vec<SchoolLevel>,
}

impl SchoolScope {
    /// Reads the scope of a school row.
    pub fn of(school: &school::Model) -> SchoolScope {
        SchoolScope {
            id: school.id,
            commune_id: school.commune_id,
            levels: SchoolLevel::parse_stored(&school.levels),
        }
    }
}

fn argon2() -> Argon2<'static> {
    // OWASP's first recommendation for argon2id: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Memory cost (KiB) of a one-time password's hash. Its plain text is kept with the account for
/// the login slip until the first sign-in, so a costly hash would protect nothing; a cheap one
/// lets a school import thousands of pupils in seconds. The owner's own password, chosen at the
/// first sign-in, gets the full cost.
const ONE_TIME_MEMORY_KIB: u32 = 256;

fn one_time_argon2() -> Argon2<'static> {
    let params = Params::new(ONE_TIME_MEMORY_KIB, 1, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> Result<String, AppError> {
    hash_with(&argon2(), password)
}

/// Hashes a one-time (slip) password at a low cost; see [`ONE_TIME_MEMORY_KIB`].
pub fn hash_one_time_blocking(password: &str) -> Result<String, AppError> {
    hash_with(&one_time_argon2(), password)
}

fn hash_with(hasher: &Argon2<'static>, password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| {
        tracing::error!(%e, "salt encoding failed");
        AppError::Internal
    })?;
    hasher
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| {
            tracing::error!(%e, "password hashing failed");
            AppError::Internal
        })
}

fn verify_blocking(hash: &str, password: &str) -> bool {
    match PasswordHash::new(hash) {
        // The cost is the one written in the hash.
        Ok(parsed) => {
            let cheap = Params::try_from(&parsed).is_ok_and(|p| p.m_cost() < 19 * 1024);
            let ok = argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            if cheap {
                // A slip password costs as much to check as any other, so timing does not tell
                // which accounts still have one.
                let _ = PasswordHash::new(dummy_hash())
                    .map(|d| argon2().verify_password(password.as_bytes(), &d).is_ok());
            }
            ok
        }
        Err(_) => false,
    }
}

/// A hash of a password nobody knows, verified for unknown usernames so that they take as long
/// as known ones.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let random: String = (0..24)
            .map(|_| rand::rng().random_range('a'..='z'))
            .collect();
        hash_blocking(&random).unwrap_or_default()
    })
}

/// Computes the dummy hash now, so the first unknown username does not take twice as long as
/// the others (call on the blocking pool at start-up).
pub fn warm_up() {
    dummy_hash();
}

/// Password hashes computed at once: one per core. Each takes 19 MiB and a core for tens of
/// milliseconds, so more at once only adds memory (a sign-in burst of 3,000 pupils otherwise ran
/// a dozen at a time) without finishing any sooner.
static PASSWORD_WORK: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    });

/// Waits for a turn to hash a password; keep the permit while hashing.
async fn password_permit() -> Result<tokio::sync::SemaphorePermit<'static>, AppError> {
    PASSWORD_WORK.acquire().await.map_err(|e| {
        tracing::error!(%e, "password semaphore closed");
        AppError::Internal
    })
}

/// Hashes a password with argon2id off the async runtime.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    let _permit = password_permit().await?;
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| {
            tracing::error!(%e, "hashing task failed");
            AppError::Internal
        })?
}

/// Hashes one-time passwords (cheaply, see [`ONE_TIME_MEMORY_KIB`]) in one task on the blocking
/// pool, behind the limit on heavy work, so a large import never occupies the async workers.
pub async fn hash_one_time_passwords(passwords: Vec<String>) -> Result<Vec<String>, AppError> {
    let _permit = crate::platform::db::heavy_work_permit().await?;
    tokio::task::spawn_blocking(move || {
        passwords
            .iter()
            .map(|p| hash_one_time_blocking(p))
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| {
        tracing::error!(%e, "hashing task failed");
        AppError::Internal
    })?
}

/// Checks a password against a stored hash (or the dummy hash when `hash` is `None`) off the
/// async runtime. Always does the same work.
pub async fn verify_password(hash: Option<String>, password: String) -> bool {
    let Ok(_permit) = password_permit().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        let hash = hash.as_deref().unwrap_or_else(|| dummy_hash());
        verify_blocking(hash, &password)
    })
    .await
    .unwrap_or(false)
}

/// Letters and digits that cannot be mistaken for each other on a printed slip.
const SLIP_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A one-time password for a login slip: 8 characters, about 40 bits.
pub fn generate_password() -> String {
    let mut rng = rand::rng();
    (0..8)
        .map(|_| SLIP_ALPHABET[rng.random_range(0..SLIP_ALPHABET.len())] as char)
        .collect()
}

/// Why a new password is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    SameAsUsername,
    OneCharacter,
    /// On a list of common passwords, a keyboard or alphabet run, or only digits.
    Common,
    /// Staff accounts see pupils' data: they need a longer password.
    TooShortForStaff,
    Unchanged,
    WrongCurrent,
    Mismatch,
}

impl PasswordProblem {
    /// Short code carried in the redirect URL (never free text, so a link cannot inject words).
    pub fn code(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "ngan",
            PasswordProblem::TooLong => "dai",
            PasswordProblem::SameAsUsername => "trung-ten",
            PasswordProblem::OneCharacter => "lap",
            PasswordProblem::Common => "pho-bien",
            PasswordProblem::TooShortForStaff => "ngan-can-bo",
            PasswordProblem::Unchanged => "giong-cu",
            PasswordProblem::WrongCurrent => "sai",
            PasswordProblem::Mismatch => "khong-khop",
        }
    }
}

/// Minimum length of a staff account's password (pupils: 8).
pub const STAFF_PASSWORD_MIN: usize = 12;

/// Passwords people choose first, in Vietnam and elsewhere; compared in lower case.
const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "password1",
    "password123",
    "passw0rd",
    "matkhau",
    "matkhau1",
    "matkhau123",
    "matkhaumoi",
    "iloveyou",
    "iloveyou1",
    "anhyeuem",
    "anhyeuem1",
    "emyeuanh",
    "yeuemnhieu",
    "khienso",
    "khienso1",
    "khienso123",
    "khienso-demo",
    "admin123",
    "administrator",
    "abc12345",
    "abc123456",
    "123456abc",
    "qwerty123",
    "1q2w3e4r",
    "1q2w3e4r5t",
    "zaq12wsx",
    "qwertyuiop",
    "asdfghjkl",
    "welcome1",
    "letmein1",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "superman",
    "batman123",
    "dragon123",
    "monkey123",
    "hocsinh",
    "hocsinh1",
    "hocsinh123",
    "giaovien",
    "giaovien1",
    "giaovien123",
    "thanhhoa",
    "thanhhoa1",
    "vietnam1",
    "vietnam123",
    "covid19",
    "changeme",
    "trustno1",
    "starwars",
    "whatever",
];

fn is_run(password: &str) -> bool {
    const RUNS: [&str; 5] = [
        "abcdefghijklmnopqrstuvwxyz",
        "qwertyuiop",
        "asdfghjkl",
        "zxcvbnm",
        "01234567890",
    ];
    let lower = password.to_lowercase();
    let reversed: String = lower.chars().rev().collect();
    RUNS.iter()
        .any(|run| run.contains(lower.as_str()) || run.contains(reversed.as_str()))
}

/// Why a new password is refused; `None` if it is acceptable. `staff`: the account has a role
/// other than pupil.
pub fn password_problem(password: &str, username: &str, staff: bool) -> Option<PasswordProblem> {
    let length = password.chars().count();
    let lower = password.to_lowercase();
    if length < 8 {
        Some(PasswordProblem::TooShort)
    } else if length > 128 {
        Some(PasswordProblem::TooLong)
    } else if password.eq_ignore_ascii_case(username) {
        Some(PasswordProblem::SameAsUsername)
    } else if password
        .chars()
        .all(|c| c == password.chars().next().unwrap_or(' '))
    {
        Some(PasswordProblem::OneCharacter)
    } else if COMMON_PASSWORDS.contains(&lower.as_str())
        || is_run(password)
        || (password.bytes().all(|b| b.is_ascii_digit()) && length < 12)
        || (lower.len() < username.len() + 4 && lower.contains(&username.to_lowercase()))
    {
        Some(PasswordProblem::Common)
    } else if staff && length < STAFF_PASSWORD_MIN {
        Some(PasswordProblem::TooShortForStaff)
    } else {
        None
    }
}

/// The key usernames are stored and looked up by.
pub fn normalise_username(username: &str) -> String {
    username.trim().to_lowercase()
}

/// Hashes a session token for storage.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Starts a session; returns the token for the cookie.
pub async fn create_session(
    db: &impl ConnectionTrait,
    account_id: i32,
    ip: Option<String>,
    settings: &SessionSettings,
) -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = now_ms();
    session::ActiveModel {
        id: Set(token_hash(&token)),
        account_id: Set(account_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + settings.absolute_ms),
        ip: Set(ip),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Ends a session (and this process's caches forget it).
pub async fn end_session(db: &DatabaseConnection, session_id: &str) -> Result<(), AppError> {
    session::Entity::delete_by_id(session_id.to_owned())
        .exec(db)
        .await?;
    crate::accounts::identity::forget_session(session_id);
    Ok(())
}

/// Loads the grants of an account.
pub async fn grants_of(db: &impl ConnectionTrait, account_id: i32) -> Result<Vec<Grant>, AppError> {
    let rows = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(account_id))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|g| stored_grant(&g.role, g.school_id, g.commune_id, g.levels.as_deref()))
        .collect())
}

/// A grant from its stored columns; `None` for a role code this version does not know.
fn stored_grant(
    role: &str,
    school_id: Option<i32>,
    commune_id: Option<i32>,
    levels: Option<&str>,
) -> Option<Grant> {
    Some(Grant {
        role: Role::from_code(role)?,
        school_id,
        commune_id,
        levels: levels.map(SchoolLevel::parse_stored).unwrap_or_default(),
    })
}

/// `last_seen_at` is written at most this often (ms): a busy pupil costs one write a minute.
const LAST_SEEN_EVERY_MS: i64 = 60_000;

/// Finds the caller behind a session token: `None` if the session is unknown, expired or idle
/// too long (and then it is deleted). Refreshes `last_seen_at` at most once a minute. The server
/// keeps what it read (`identity`), so most requests ask the database nothing.
pub async fn resolve_session(
    db: &DatabaseConnection,
    cache: &IdentityCache,
    token: &str,
    settings: &SessionSettings,
) -> Result<Option<Caller>, AppError> {
    let id = token_hash(token);
    let now = now_ms();
    let usable = |found: &SessionRow| {
        now < found.expires_at && now - found.last_seen_at < settings.idle_ms && !found.disabled
    };
    if let Some(found) = cache.get(&id, now)
        && usable(&found)
        && now - found.last_seen_at < LAST_SEEN_EVERY_MS
    {
        return Ok(Some(caller_of(&found, id)));
    }
    let generation = cache.generation();
    let Some(mut found) = session_with_account(db, &id).await? else {
        return Ok(None);
    };
    if !usable(&found) {
        end_session(db, &id).await?;
        return Ok(None);
    }
    if now - found.last_seen_at >= LAST_SEEN_EVERY_MS {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(now))
            .filter(session::Column::Id.eq(id.clone()))
            .exec(db)
            .await?;
        found.last_seen_at = now;
    }
    let found = Arc::new(found);
    if let Some(generation) = generation {
        cache.keep(id.clone(), found.clone(), generation, now);
    }
    Ok(Some(caller_of(&found, id)))
}

fn caller_of(found: &SessionRow, session_id: String) -> Caller {
    Caller {
        account_id: found.account_id,
        username: found.username.clone(),
        full_name: found.full_name.clone(),
        learner_id: found.learner_id.clone(),
        must_change_password: found.must_change_password,
        grants: found.grants.clone(),
        session_id,
    }
}

/// Reads a session, its account and the account's grants in one query (one row per grant): every
/// request asks who is calling, so this is the most frequent query there is.
async fn session_with_account(
    db: &DatabaseConnection,
    session_id: &str,
) -> Result<Option<SessionRow>, AppError> {
    use sea_orm::sea_query::{ExprTrait, Query};
    use sea_orm::{ConnectionTrait, Iden};
    let stmt = Query::select()
        .columns([
            (session::Entity, session::Column::ExpiresAt),
            (session::Entity, session::Column::LastSeenAt),
        ])
        .columns([
            (account::Entity, account::Column::Id),
            (account::Entity, account::Column::Username),
            (account::Entity, account::Column::FullName),
            (account::Entity, account::Column::LearnerId),
            (account::Entity, account::Column::MustChangePassword),
            (account::Entity, account::Column::Disabled),
        ])
        .columns([
            (role_grant::Entity, role_grant::Column::Role),
            (role_grant::Entity, role_grant::Column::SchoolId),
            (role_grant::Entity, role_grant::Column::CommuneId),
            (role_grant::Entity, role_grant::Column::Levels),
        ])
        .from(session::Entity)
        .inner_join(
            account::Entity,
            Expr::col((account::Entity, account::Column::Id))
                .equals((session::Entity, session::Column::AccountId)),
        )
        .left_join(
            role_grant::Entity,
            Expr::col((role_grant::Entity, role_grant::Column::AccountId))
                .equals((account::Entity, account::Column::Id)),
        )
        .and_where(Expr::col((session::Entity, session::Column::Id)).eq(session_id))
        .to_owned();
    let rows = db.query_all(&stmt).await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let column = |c: &dyn Iden| c.to_string();
    let mut found = SessionRow {
        expires_at: first.try_get("", &column(&session::Column::ExpiresAt))?,
        last_seen_at: first.try_get("", &column(&session::Column::LastSeenAt))?,
        account_id: first.try_get("", &column(&account::Column::Id))?,
        username: first.try_get("", &column(&account::Column::Username))?,
        full_name: first.try_get("", &column(&account::Column::FullName))?,
        learner_id: first.try_get("", &column(&account::Column::LearnerId))?,
        must_change_password: first.try_get("", &column(&account::Column::MustChangePassword))?,
        disabled: first.try_get("", &column(&account::Column::Disabled))?,
        grants: Vec::with_capacity(rows.len()),
    };
    for row in &rows {
        // No grant: the left join gives one row with a null role.
        let Some(role) = row.try_get::<Option<String>>("", &column(&role_grant::Column::Role))?
        else {
            continue;
        };
        let levels: Option<String> = row.try_get("", &column(&role_grant::Column::Levels))?;
        found.grants.extend(stored_grant(
            &role,
            row.try_get("", &column(&role_grant::Column::SchoolId))?,
            row.try_get("", &column(&role_grant::Column::CommuneId))?,
            levels.as_deref(),
        ));
    }
    Ok(Some(found))
}

/// What a login attempt came to. Expected outcomes are values, not errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Signed in; `token` goes into the session cookie.
    SignedIn {
        token: String,
        must_change_password: bool,
    },
    /// Unknown username or wrong password (the two are not told apart).
    WrongCredentials,
    /// Too many failures recently; try again after this many minutes.
    Throttled { minutes: i64 },
    /// The password was right but the account is disabled.
    Disabled,
}

/// Counts one attempt against `key` *before* it is checked, so that parallel attempts cannot all
/// pass a check made before any of them was recorded. Returns the minutes to wait when the
/// attempt is over `limit` (it is then taken back).
pub async fn reserve_attempt(
    db: &DatabaseConnection,
    key: &str,
    limit: i32,
    now: i64,
) -> Result<Option<i64>, AppError> {
    let (count, window_start) = crate::platform::limits::hit(
        db,
        "login_throttle",
        "failures",
        key,
        now,
        THROTTLE_WINDOW_MS,
    )
    .await?;
    if count > i64::from(limit) {
        release_attempt(db, key).await?;
        let ends = window_start + THROTTLE_WINDOW_MS;
        return Ok(Some((std::cmp::max(ends - now, 0) + 59_999) / 60_000));
    }
    Ok(None)
}

/// Takes back an attempt counted by [`reserve_attempt`] that turned out not to be a failure.
pub async fn release_attempt(db: &DatabaseConnection, key: &str) -> Result<(), AppError> {
    crate::platform::limits::unhit(db, "login_throttle", "failures", key).await
}

/// The minutes to wait when `key` already has `limit` failures in its window (nothing is
/// counted here).
async fn failures_over_limit(
    db: &DatabaseConnection,
    key: &str,
    limit: i32,
    now: i64,
) -> Result<Option<i64>, AppError> {
    let row = login_throttle::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?;
    Ok(row
        .filter(|r| r.window_start > now - THROTTLE_WINDOW_MS && r.failures >= limit)
        .map(|r| ((r.window_start + THROTTLE_WINDOW_MS - now).max(0) + 59_999) / 60_000)
        .map(|minutes| minutes.max(1)))
}

/// Reserves one attempt on each key with its limit; if any is over its limit, takes them all
/// back and returns the longest wait.
async fn reserve_all(
    db: &DatabaseConnection,
    keys: &[(String, i32)],
    now: i64,
) -> Result<Option<i64>, AppError> {
    let mut reserved = Vec::new();
    for (key, limit) in keys {
        match reserve_attempt(db, key, *limit, now).await? {
            None => reserved.push(key),
            Some(minutes) => {
                for key in reserved {
                    release_attempt(db, key).await?;
                }
                return Ok(Some(std::cmp::max(minutes, 1)));
            }
        }
    }
    Ok(None)
}

/// Checks a username and password, counting attempts per account and address, per account and
/// per address; on success starts a session and hands the browser's anonymous practice over to
/// the account.
///
/// Every attempt is counted against its account before the password is verified and taken back
/// when it was right, so a burst of parallel guesses at one account meets the same limits as
/// guesses made one after another. Guesses from one address lock only that address out of the
/// account ([`MAX_FAILURES_PER_ACCOUNT`]); the account as a whole closes to new sign-ins only
/// after [`MAX_FAILURES_PER_ACCOUNT_ANYWHERE`] failures from everywhere, and a session already
/// signed in is never ended by failures.
///
/// The address's limit ([`MAX_FAILURES_PER_ADDRESS`]) counts failures only once they are known:
/// a whole school, or a mobile network, signs in from one address at a round's opening while the
/// server hashes a few passwords at a time, and sign-ins waiting for their check must not count
/// as failures. Parallel guesses at many accounts from one address can pass that limit by as many
/// as are checked at once; each account's own limits still hold exactly.
pub async fn login(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
    ip: Option<&str>,
    anonymous_learner: Option<&str>,
    settings: &SessionSettings,
) -> Result<LoginOutcome, AppError> {
    let username = normalise_username(username);
    let now = now_ms();
    let address = ip.unwrap_or("?");
    let keys = [
        (format!("u:{username}@{address}"), MAX_FAILURES_PER_ACCOUNT),
        (format!("u:{username}"), MAX_FAILURES_PER_ACCOUNT_ANYWHERE),
    ];
    let address_key = format!("ip:{address}");
    if let Some(minutes) =
        failures_over_limit(db, &address_key, MAX_FAILURES_PER_ADDRESS, now).await?
    {
        return Ok(LoginOutcome::Throttled { minutes });
    }
    if let Some(minutes) = reserve_all(db, &keys, now).await? {
        return Ok(LoginOutcome::Throttled { minutes });
    }
    let found = account::Entity::find()
        .filter(account::Column::Username.eq(username.clone()))
        .one(db)
        .await?;
    let ok = verify_password(
        found.as_ref().map(|a| a.password_hash.clone()),
        password.to_owned(),
    )
    .await;
    if !ok {
        crate::platform::limits::hit(
            db,
            "login_throttle",
            "failures",
            &address_key,
            now,
            THROTTLE_WINDOW_MS,
        )
        .await?;
    }
    let Some(account) = found else {
        return Ok(LoginOutcome::WrongCredentials);
    };
    if !ok {
        // A locked account says so whatever the password: the answer tells nothing about it.
        return Ok(if account.disabled {
            LoginOutcome::Disabled
        } else {
            LoginOutcome::WrongCredentials
        });
    }
    for (key, _) in &keys {
        release_attempt(db, key).await?;
    }
    if account.disabled {
        return Ok(LoginOutcome::Disabled);
    }
    login_throttle::Entity::delete_by_id(keys[0].0.clone())
        .exec(db)
        .await?;
    let txn = crate::platform::db::begin_write(db).await?;
    if let Some(anonymous) = anonymous_learner {
        hand_over_practice(&txn, anonymous, &account.learner_id).await?;
    }
    account::Entity::update_many()
        .col_expr(account::Column::LastLoginAt, Expr::value(now))
        .filter(account::Column::Id.eq(account.id))
        .exec(&txn)
        .await?;
    let token = create_session(&txn, account.id, ip.map(str::to_owned), settings).await?;
    txn.commit().await?;
    Ok(LoginOutcome::SignedIn {
        token,
        must_change_password: account.must_change_password,
    })
}

/// Moves the attempts of an anonymous browser to an account's learner. Learner ids that belong
/// to an account are never moved.
pub async fn hand_over_practice(
    db: &impl ConnectionTrait,
    anonymous: &str,
    account_learner: &str,
) -> Result<u64, AppError> {
    use crate::entities::attempt;
    if anonymous == account_learner
        || account::Entity::find()
            .filter(account::Column::LearnerId.eq(anonymous))
            .one(db)
            .await?
            .is_some()
    {
        return Ok(0);
    }
    let moved = attempt::Entity::update_many()
        .col_expr(attempt::Column::LearnerId, Expr::value(account_learner))
        .filter(attempt::Column::LearnerId.eq(anonymous))
        .exec(db)
        .await?;
    Ok(moved.rows_affected)
}

/// Fields of a new account.
#[derive(Clone, Debug)]
pub struct NewAccount {
    pub username: String,
    pub full_name: String,
    pub password_hash: String,
    /// Kept for login slips until the owner sets a password.
    pub initial_password: Option<String>,
    pub must_change_password: bool,
    pub birth_year: Option<i32>,
    pub pupil_code: Option<String>,
}

/// Inserts an account and its learner row; returns the account id.
pub async fn insert_account(db: &impl ConnectionTrait, new: NewAccount) -> Result<i32, AppError> {
    let learner_id = uuid::Uuid::new_v4().to_string();
    let now = now_ms();
    learner::ActiveModel {
        id: Set(learner_id.clone()),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    let row = account::ActiveModel {
        username: Set(normalise_username(&new.username)),
        full_name: Set(new.full_name),
        password_hash: Set(new.password_hash),
        initial_password: Set(new.initial_password),
        must_change_password: Set(new.must_change_password),
        birth_year: Set(new.birth_year),
        pupil_code: Set(new.pupil_code),
        learner_id: Set(learner_id),
        disabled: Set(false),
        created_at: Set(now),
        last_login_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// Gives an account a role.
pub async fn insert_grant(
    db: &impl ConnectionTrait,
    account_id: i32,
    grant: &Grant,
) -> Result<(), AppError> {
    role_grant::ActiveModel {
        account_id: Set(account_id),
        role: Set(grant.role.code().to_owned()),
        school_id: Set(grant.school_id),
        commune_id: Set(grant.commune_id),
        levels: Set(
            (!grant.levels.is_empty()).then(|| crate::codes::SchoolLevel::join(&grant.levels))
        ),
        created_at: Set(now_ms()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A fresh one-time password and its hash, made before any transaction opens (hashing takes a
/// while and must not hold the database).
pub struct OneTimePassword {
    password: String,
    hash: String,
}

impl OneTimePassword {
    pub async fn new() -> Result<OneTimePassword, AppError> {
        let password = generate_password();
        let hash = hash_one_time_passwords(vec![password.clone()])
            .await?
            .remove(0);
        Ok(OneTimePassword { password, hash })
    }

    /// Makes it the account's password, kept for the slip until the owner chooses their own,
    /// and ends the account's sessions.
    pub async fn store(self, db: &impl ConnectionTrait, account_id: i32) -> Result<(), AppError> {
        account::Entity::update_many()
            .col_expr(account::Column::PasswordHash, Expr::value(self.hash))
            .col_expr(
                account::Column::InitialPassword,
                Expr::value(Some(self.password)),
            )
            .col_expr(account::Column::MustChangePassword, Expr::value(true))
            .filter(account::Column::Id.eq(account_id))
            .exec(db)
            .await?;
        session::Entity::delete_many()
            .filter(session::Column::AccountId.eq(account_id))
            .exec(db)
            .await?;
        Ok(())
    }
}

/// Sets a new password chosen by the account's owner, clears the slip password, and ends every
/// other session of the account.
pub async fn change_password(
    db: &DatabaseConnection,
    caller: &Caller,
    current: &str,
    new: &str,
) -> Result<Result<(), PasswordProblem>, AppError> {
    let Some(account) = account::Entity::find_by_id(caller.account_id)
        .one(db)
        .await?
    else {
        return Err(AppError::Unauthorized);
    };
    if !verify_password(Some(account.password_hash.clone()), current.to_owned()).await {
        return Ok(Err(PasswordProblem::WrongCurrent));
    }
    let staff = caller.grants.iter().any(|g| g.role != Role::Pupil);
    if let Some(problem) = password_problem(new, &account.username, staff) {
        return Ok(Err(problem));
    }
    if new == current {
        return Ok(Err(PasswordProblem::Unchanged));
    }
    let hash = hash_password(new.to_owned()).await?;
    let txn = crate::platform::db::begin_write(db).await?;
    account::Entity::update_many()
        .col_expr(account::Column::PasswordHash, Expr::value(hash))
        .col_expr(
            account::Column::InitialPassword,
            Expr::value(Option::<String>::None),
        )
        .col_expr(account::Column::MustChangePassword, Expr::value(false))
        .filter(account::Column::Id.eq(account.id))
        .exec(&txn)
        .await?;
    session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account.id))
        .filter(session::Column::Id.ne(caller.session_id.clone()))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    crate::accounts::identity::forget_account(account.id);
    Ok(Ok(()))
}

/// The current class of a pupil, if any.
pub async fn current_class(
    db: &impl ConnectionTrait,
    account_id: i32,
) -> Result<Option<school_class::Model>, AppError> {
    use sea_orm::{QuerySelect, QueryTrait};
    // One query: the class whose current membership is this account's.
    let current = class_member::Entity::find()
        .select_only()
        .column(class_member::Column::ClassId)
        .filter(class_member::Column::AccountId.eq(account_id))
        .filter(class_member::Column::LeftAt.is_null())
        .into_query();
    Ok(school_class::Entity::find()
        .filter(school_class::Column::Id.in_subquery(current))
        .one(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slip_passwords_avoid_lookalike_characters() {
        for _ in 0..200 {
            let p = generate_password();
            assert_eq!(p.len(), 8);
            assert!(!p.contains(['0', 'o', '1', 'l', 'i']), "{p}");
        }
    }

    #[test]
    fn a_hash_verifies_its_password_and_nothing_else() {
        let hash = hash_blocking("mật khẩu dài").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_blocking(&hash, "mật khẩu dài"));
        assert!(!verify_blocking(&hash, "mat khau dai"));
        assert!(!verify_blocking("not a hash", "x"));
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        assert!(password_problem("ngan", "an", false).is_some());
        assert!(password_problem("aaaaaaaaaa", "an", false).is_some());
        assert!(password_problem("nvan1234", "NVAN1234", false).is_some());
        assert!(password_problem("tre-em-an-toan", "an", false).is_none());
        for common in [
            "password",
            "12345678",
            "Password1",
            "20122013",
            "qwertyui",
            "87654321",
            "hs000001x",
        ] {
            assert_eq!(
                password_problem(common, "hs000001", false),
                Some(PasswordProblem::Common),
                "{common}"
            );
        }
        assert_eq!(
            password_problem("tre-em-an-toan", "giaovien", true),
            None,
            "14 characters are enough for staff"
        );
        assert_eq!(
            password_problem("meo-vang-9", "giaovien", true),
            Some(PasswordProblem::TooShortForStaff)
        );
        assert_eq!(password_problem("meo-vang-9", "hs000001", false), None);
    }

    fn caller(grants: Vec<Grant>) -> Caller {
        Caller {
            account_id: 7,
            username: "x".into(),
            full_name: "X".into(),
            learner_id: "l".into(),
            must_change_password: false,
            grants,
            session_id: "s".into(),
        }
    }

    fn grant(
        role: Role,
        school: Option<i32>,
        commune: Option<i32>,
        levels: &[SchoolLevel],
    ) -> Grant {
        Grant {
            role,
            school_id: school,
            commune_id: commune,
            levels: levels.to_vec(),
        }
    }

    #[test]
    fn each_role_reads_only_the_schools_in_its_scope() {
        let school = SchoolScope {
            id: 1,
            commune_id: 10,
            levels: vec![SchoolLevel::Thcs],
        };
        let reads = |g: Grant| crate::access::may_read_school(&caller(vec![g]), &school);
        assert!(reads(grant(Role::Principal, Some(1), None, &[])));
        assert!(!reads(grant(Role::Principal, Some(2), None, &[])));
        assert!(reads(grant(Role::Commune, None, Some(10), &[])));
        assert!(!reads(grant(Role::Commune, None, Some(11), &[])));
        assert!(reads(grant(
            Role::Department,
            None,
            None,
            &[SchoolLevel::Thcs]
        )));
        assert!(!reads(grant(
            Role::Department,
            None,
            None,
            &[SchoolLevel::Thpt]
        )));
        assert!(!reads(grant(Role::Pupil, Some(1), None, &[])));
        assert!(!reads(grant(Role::Committee, None, None, &[])));
        assert!(reads(grant(Role::Admin, None, None, &[])));
    }

    #[test]
    fn a_teacher_manages_only_their_own_classes_or_unassigned_ones() {
        let class = |teacher: Option<i32>| school_class::Model {
            id: 1,
            school_id: 1,
            school_year: 2026,
            name: "8A".into(),
            grade: 8,
            teacher_id: teacher,
            join_code: None,
            created_at: 0,
        };
        let teacher = caller(vec![grant(Role::Teacher, Some(1), None, &[])]);
        assert!(teacher.can_manage_class(&class(Some(7))));
        assert!(teacher.can_manage_class(&class(None)));
        assert!(!teacher.can_manage_class(&class(Some(8))));
        let elsewhere = caller(vec![grant(Role::Teacher, Some(2), None, &[])]);
        assert!(!elsewhere.can_manage_class(&class(Some(7))));
        let principal = caller(vec![grant(Role::Principal, Some(1), None, &[])]);
        assert!(principal.can_manage_class(&class(Some(8))));
    }
}
