//! Problems worded by the server and carried in a redirect (`?loi-chi-tiet=…`, so forms work
//! without JavaScript) are signed: a link from elsewhere cannot make an official-looking alert on
//! our pages say something we did not write.
//!
//! The key is random, made once and kept in the `setting` table, so every app server signs and
//! checks with the same one.

use crate::error::AppError;
use sea_orm::{ConnectionTrait, Statement, Value};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

static KEY: OnceLock<Vec<u8>> = OnceLock::new();

/// Loads the signing key (making it on first start). Call once at start-up.
pub async fn load_key(db: &impl ConnectionTrait) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    let mut fresh = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut fresh);
    let insert = crate::platform::limits::sql(
        backend,
        "INSERT INTO setting (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    );
    let select = crate::platform::limits::sql(backend, "SELECT value FROM setting WHERE name = $1");
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        insert,
        [
            Value::from("message-key".to_owned()),
            Value::from(hex::encode(fresh)),
        ],
    ))
    .await?;
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            select,
            [Value::from("message-key".to_owned())],
        ))
        .await?
        .ok_or(AppError::Internal)?;
    let value: String = row.try_get("", "value")?;
    let key = hex::decode(value).map_err(|e| {
        tracing::error!(%e, "the stored message key is not hex");
        AppError::Internal
    })?;
    let _ = KEY.set(key);
    Ok(())
}

/// HMAC-SHA256 (RFC 2104) of `text`, hex, first 16 bytes.
fn mac(key: &[u8], text: &str) -> String {
    const BLOCK: usize = 64;
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let inner_pad: Vec<u8> = block.iter().map(|b| b ^ 0x36).collect();
    let outer_pad: Vec<u8> = block.iter().map(|b| b ^ 0x5c).collect();
    let inner = Sha256::new()
        .chain_update(&inner_pad)
        .chain_update(text.as_bytes())
        .finalize();
    let outer = Sha256::new()
        .chain_update(&outer_pad)
        .chain_update(inner)
        .finalize();
    hex::encode(&outer[..16])
}

/// `name=<text>&name-ky=<signature>` for a redirect address (percent-encoded).
pub fn signed_param(name: &str, text: &str) -> String {
    let signature = KEY.get().map(|k| mac(k, text)).unwrap_or_default();
    format!("{name}={}&{name}-ky={signature}", crate::urlencode(text))
}

/// Whether `signature` is ours for `text`.
pub fn verify(text: &str, signature: &str) -> bool {
    KEY.get().is_some_and(|k| {
        let expected = mac(k, text);
        // Constant time is not needed for a notice, but costs nothing.
        expected.len() == signature.len()
            && expected
                .bytes()
                .zip(signature.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_the_rfc_4231_test_vector() {
        // RFC 4231, test case 2: key "Jefe".
        assert_eq!(
            mac(b"Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c7"
        );
    }
}
