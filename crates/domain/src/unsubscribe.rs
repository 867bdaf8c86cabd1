//! The token of a one-click unsubscribe link (RFC 8058): it names a person and a kind
//! of email, signed with an HMAC under a server secret, so it works for that person
//! and that kind only, cannot be made up, and signs nobody in.

use crate::PersonId;
use crate::email::optional_kind;
use hmac::{Hmac, KeyInit, Mac};
use sha2_hmac::Sha256;

/// The name of the server secret the tokens are signed with.
pub const SECRET_NAME: &str = "unsubscribe";

fn mac(secret: &str, person: PersonId, kind: &str) -> Hmac<Sha256> {
    // HMAC takes a key of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(person.0.simple().to_string().as_bytes());
    mac.update(b".");
    mac.update(kind.as_bytes());
    mac
}

/// `<person>.<kind>.<signature>`, all URL-safe.
pub fn token(secret: &str, person: PersonId, kind: &str) -> String {
    let signature: String = mac(secret, person, kind)
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{}.{kind}.{signature}", person.0.simple())
}

/// The person and the kind of email a token names, if it was signed with `secret`.
pub fn verify(secret: &str, token: &str) -> Option<(PersonId, &'static str)> {
    let mut parts = token.split('.');
    let (person, kind, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || signature.len() != 64 {
        return None;
    }
    let person = PersonId(uuid::Uuid::try_parse(person).ok()?);
    let kind = optional_kind(kind)?;
    let bytes: Vec<u8> = (0..signature.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(signature.get(i..i + 2)?, 16).ok())
        .collect::<Option<_>>()?;
    // Compared in constant time.
    mac(secret, person, kind).verify_slice(&bytes).ok()?;
    Some((person, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_works_only_for_its_person_and_kind_under_its_secret() {
        let kari = PersonId(uuid::Uuid::new_v4());
        let ola = PersonId(uuid::Uuid::new_v4());
        let token = token("s3cret", kari, "deadline_reminder");
        assert_eq!(verify("s3cret", &token), Some((kari, "deadline_reminder")));
        assert_eq!(verify("other", &token), None);
        let for_ola = token.replace(&kari.0.simple().to_string(), &ola.0.simple().to_string());
        assert_eq!(verify("s3cret", &for_ola), None);
        let other_kind = token.replace("deadline_reminder", "comment_notice");
        assert_eq!(verify("s3cret", &other_kind), None);
        assert_eq!(verify("s3cret", "sign_in_link"), None);
        assert_eq!(verify("s3cret", ""), None);
    }

    #[test]
    fn no_token_is_made_for_a_kind_that_cannot_be_turned_off() {
        let kari = PersonId(uuid::Uuid::new_v4());
        let token = token("s3cret", kari, "sign_in_link");
        assert_eq!(verify("s3cret", &token), None);
    }
}
