//! The kinds of security-relevant acts the audit log records. The log keeps who
//! did what to which id, never the content a deletion or forgetting removed.

/// One kind of recorded act; `as_str` is what is stored and what filters use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditKind {
    SignIn,
    SignInFailed,
    SignOut,
    /// A session ended because it was not used for the idle timeout.
    SessionIdle,
    RoleChanged,
    MembershipChanged,
    Hidden,
    Restored,
    /// A screened input was published or rejected.
    Screened,
    AssessmentPublished,
    Exported,
    Deleted,
    Forgotten,
    TokenCreated,
    TokenRevoked,
}

impl AuditKind {
    pub const ALL: [AuditKind; 15] = [
        AuditKind::SignIn,
        AuditKind::SignInFailed,
        AuditKind::SignOut,
        AuditKind::SessionIdle,
        AuditKind::RoleChanged,
        AuditKind::MembershipChanged,
        AuditKind::Hidden,
        AuditKind::Restored,
        AuditKind::Screened,
        AuditKind::AssessmentPublished,
        AuditKind::Exported,
        AuditKind::Deleted,
        AuditKind::Forgotten,
        AuditKind::TokenCreated,
        AuditKind::TokenRevoked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::SignIn => "sign_in",
            AuditKind::SignInFailed => "sign_in_failed",
            AuditKind::SignOut => "sign_out",
            AuditKind::SessionIdle => "session_idle",
            AuditKind::RoleChanged => "role_changed",
            AuditKind::MembershipChanged => "membership_changed",
            AuditKind::Hidden => "hidden",
            AuditKind::Restored => "restored",
            AuditKind::Screened => "screened",
            AuditKind::AssessmentPublished => "assessment_published",
            AuditKind::Exported => "exported",
            AuditKind::Deleted => "deleted",
            AuditKind::Forgotten => "forgotten",
            AuditKind::TokenCreated => "token_created",
            AuditKind::TokenRevoked => "token_revoked",
        }
    }

    pub fn parse(value: &str) -> Option<AuditKind> {
        AuditKind::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_parses_back() {
        for kind in AuditKind::ALL {
            assert_eq!(AuditKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(AuditKind::parse("nonsense"), None);
    }
}
