//! What Samråd keeps about a person and for how long: confirming input given without
//! an account, and forgetting a person who asks for it.

use crate::ids::PersonId;

/// How long the link that confirms input given without an account works.
pub const CONFIRM_LINK_MINUTES: u32 = 24 * 60;

/// Input nobody confirmed is deleted after this many days.
pub const UNCONFIRMED_DAYS: i64 = 7;

/// The address a forgotten person's row keeps: unique, and never deliverable
/// (`.invalid` is reserved by RFC 2606), so no email can reach anyone through it and
/// nobody can sign up with it (it fails [`crate::validate::email`]).
pub fn placeholder_email(person: PersonId) -> String {
    format!("anonymised+{}@invalid", person.0.simple())
}

/// Whether an address is such a placeholder.
pub fn is_placeholder_email(email: &str) -> bool {
    email.starts_with("anonymised+") && email.ends_with("@invalid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_unique_and_cannot_be_typed_in() {
        let a = placeholder_email(PersonId::new());
        let b = placeholder_email(PersonId::new());
        assert_ne!(a, b);
        assert!(is_placeholder_email(&a));
        assert!(!is_placeholder_email("ola@example.org"));
        assert!(
            crate::validate::email("email", &a).is_err(),
            "nobody can sign up with {a}"
        );
    }
}
