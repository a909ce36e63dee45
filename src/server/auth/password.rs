//! Password hashing: argon2id with a random salt, verified off the async workers.

use crate::error::AppError;
use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use std::sync::OnceLock;

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            AppError::Internal
        })
}

/// Whether `password` matches `hash`.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Checks a password against a hash on the blocking pool (argon2 is CPU-bound on purpose).
/// Without a hash (no such account) it checks against a dummy one, so answering takes as long
/// as for a real account and timing does not reveal which names exist.
pub async fn verify_off_thread(hash: Option<String>, password: &str) -> bool {
    let real = hash.is_some();
    let hash = hash.unwrap_or_else(|| dummy_hash().to_owned());
    let password = password.to_owned();
    let matches = tokio::task::spawn_blocking(move || verify_password(&hash, &password))
        .await
        .unwrap_or(false);
    real && matches
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not-a-real-password-0").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let hash = hash_password("jiebang2022").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "jiebang2022"));
        assert!(!verify_password(&hash, "jiebang2023"));
        assert!(!verify_password("not a hash", "jiebang2022"));
        assert_ne!(hash, hash_password("jiebang2022").expect("hash"), "salted");
    }

    #[tokio::test]
    async fn no_account_never_matches() {
        assert!(!verify_off_thread(None, "not-a-real-password-0").await);
    }
}
