//! Counters and leases shared by every app server through the database.
//!
//! A counter is counted *before* the work it limits, in one atomic statement
//! (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), so parallel requests cannot all pass a check
//! made before any of them was recorded. A lease lets one long job of a kind run at a time.

use crate::error::AppError;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement, Value};

/// Writes `$1, $2, …` as `?` for SQLite (parameters are used once each, in order).
pub(crate) fn sql(backend: DatabaseBackend, text: &str) -> String {
    if backend != DatabaseBackend::Sqlite {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

/// Counts one hit on `key` in `table` (a `rate_limit`-shaped table: key, window_start, and the
/// count column) and returns the count in the current window, this hit included, with the
/// window's start. A window older than `window_ms` starts again at 1.
pub async fn hit(
    db: &impl ConnectionTrait,
    table: &str,
    count_column: &str,
    key: &str,
    now: i64,
    window_ms: i64,
) -> Result<(i64, i64), AppError> {
    let backend = db.get_database_backend();
    let expired = now - window_ms;
    let text = format!(
        "INSERT INTO {table} (\"key\", window_start, {count_column}) VALUES ($1, $2, 1) \
         ON CONFLICT (\"key\") DO UPDATE SET \
         {count_column} = CASE WHEN {table}.window_start <= $3 THEN 1 ELSE {table}.{count_column} + 1 END, \
         window_start = CASE WHEN {table}.window_start <= $4 THEN excluded.window_start ELSE {table}.window_start END \
         RETURNING {count_column}, window_start"
    );
    let statement = Statement::from_sql_and_values(
        backend,
        sql(backend, &text),
        [
            Value::from(key.to_owned()),
            Value::from(now),
            Value::from(expired),
            Value::from(expired),
        ],
    );
    let row = db
        .query_one_raw(statement)
        .await?
        .ok_or(AppError::Internal)?;
    let count: i32 = row.try_get("", count_column)?;
    let window_start: i64 = row.try_get("", "window_start")?;
    Ok((i64::from(count), window_start))
}

/// Takes one hit back (the request it counted turned out not to count, e.g. a right password).
pub async fn unhit(
    db: &impl ConnectionTrait,
    table: &str,
    count_column: &str,
    key: &str,
) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    let text = format!(
        "UPDATE {table} SET {count_column} = {count_column} - 1 WHERE \"key\" = $1 AND {count_column} > 0"
    );
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(backend, &text),
        [Value::from(key.to_owned())],
    ))
    .await?;
    Ok(())
}

/// Whether a rate limit allows one more request now: counts it, then compares.
pub async fn allow(
    db: &DatabaseConnection,
    key: &str,
    limit: i64,
    window_ms: i64,
    now: i64,
) -> Result<bool, AppError> {
    Ok(hit(db, "rate_limit", "hits", key, now, window_ms).await?.0 <= limit)
}

/// Takes the lease `key` for `holder` until `now + ttl_ms`, unless someone else holds it and it
/// has not expired. Returns whether it was taken.
pub async fn take_lease(
    db: &DatabaseConnection,
    key: &str,
    holder: &str,
    now: i64,
    ttl_ms: i64,
) -> Result<bool, AppError> {
    let backend = db.get_database_backend();
    let text = "INSERT INTO lease (\"key\", holder, expires_at) VALUES ($1, $2, $3) \
                ON CONFLICT (\"key\") DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
                WHERE lease.expires_at < $4 RETURNING holder";
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql(backend, text),
            [
                Value::from(key.to_owned()),
                Value::from(holder.to_owned()),
                Value::from(now + ttl_ms),
                Value::from(now),
            ],
        ))
        .await?;
    Ok(row.is_some())
}

/// Gives a lease back (only if `holder` still holds it).
pub async fn release_lease(
    db: &DatabaseConnection,
    key: &str,
    holder: &str,
) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "DELETE FROM lease WHERE \"key\" = $1 AND holder = $2",
        ),
        [Value::from(key.to_owned()), Value::from(holder.to_owned())],
    ))
    .await?;
    Ok(())
}

/// Deletes counters whose window ended more than `older_than_ms` ago and leases that expired:
/// one row per key stays only while it can still matter. Returns how many rows went.
pub async fn prune(
    db: &impl ConnectionTrait,
    now: i64,
    older_than_ms: i64,
) -> Result<u64, AppError> {
    let backend = db.get_database_backend();
    let before = now - older_than_ms;
    let mut removed = 0;
    for (table, column, limit) in [
        ("rate_limit", "window_start", before),
        ("login_throttle", "window_start", before),
        ("lease", "expires_at", now),
    ] {
        removed += db
            .execute_raw(Statement::from_sql_and_values(
                backend,
                sql(backend, &format!("DELETE FROM {table} WHERE {column} < $1")),
                [Value::from(limit)],
            ))
            .await?
            .rows_affected();
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_question_marks_for_sqlite_only() {
        assert_eq!(
            sql(DatabaseBackend::Sqlite, "a = $1 AND b = $12"),
            "a = ? AND b = ?"
        );
        assert_eq!(sql(DatabaseBackend::Postgres, "a = $1"), "a = $1");
    }
}
