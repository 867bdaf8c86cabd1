//! Passwords for staff who want one: argon2id with the crate's recommended
//! parameters; only the PHC string is stored.

use crate::DbError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use std::sync::LazyLock;

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 200;

pub fn hash(password: &str) -> Result<String, DbError> {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let salt = SaltString::encode_b64(&bytes)
        .map_err(|e| DbError::Other(format!("could not make a salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| DbError::Other(format!("could not hash a password: {e}")))
}

pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Verified against when the address has no password, so that both cases cost the same.
pub static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash("no password is stored for this address").unwrap_or_default());

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_verify_only_their_password() {
        let h = super::hash("korrekt hest batteri stift").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify("korrekt hest batteri stift", &h));
        assert!(!super::verify("feil passord", &h));
        assert!(!super::verify("x", "not a hash"));
    }
}
