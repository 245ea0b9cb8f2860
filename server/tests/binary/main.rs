//! The `khien-so` binary itself, as an operator runs it: one test binary for the CLI and the
//! restart tests, with the helpers they share.

mod cli;
mod restart;

use sea_orm::{ConnectionTrait, Database};
use std::path::{Path, PathBuf};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_khien-so");

/// The repository root (the binary runs there, next to `content/`).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A fresh, empty database for one test: SQLite, or PostgreSQL with `KHIEN_SO_TEST_DB=postgres`
/// (the same choice and names as the integration suite's helper).
pub async fn database_url() -> String {
    let id = uuid::Uuid::new_v4().simple().to_string();
    if std::env::var("KHIEN_SO_TEST_DB").as_deref() == Ok("postgres") {
        let base = std::env::var("KHIEN_SO_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned());
        let admin = Database::connect(format!("{base}/postgres")).await.unwrap();
        admin
            .execute_unprepared(&format!("CREATE DATABASE ks_test_{id}"))
            .await
            .unwrap();
        admin.close().await.ok();
        format!("{base}/ks_test_{id}")
    } else {
        let dir = std::env::temp_dir().join("khien-so-tests");
        std::fs::create_dir_all(&dir).unwrap();
        format!(
            "sqlite://{}?mode=rwc",
            dir.join(format!("{id}.db")).display()
        )
    }
}
