//! Official responses (høyringssvar): a letter on behalf of a person or an
//! organisation, with references to sections of the document on hearing and
//! attached files. One response per organisation (or person) per hearing; every
//! revision is kept as a new version.

use crate::ids::*;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The longest letter text, in characters.
pub const MAX_TEXT_CHARS: usize = 50_000;
/// The largest attached file, in bytes.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
/// At most this many files per version.
pub const MAX_ATTACHMENTS: usize = 5;
/// The longest file name kept (after cleaning), in characters.
pub const MAX_FILE_NAME_CHARS: usize = 200;

/// The file types a response may carry, decided from the file's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    Pdf,
    Docx,
}

impl AttachmentKind {
    pub const ALL: [AttachmentKind; 2] = [AttachmentKind::Pdf, AttachmentKind::Docx];

    pub fn as_str(self) -> &'static str {
        match self {
            AttachmentKind::Pdf => "pdf",
            AttachmentKind::Docx => "docx",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The media type sent with a download.
    pub fn content_type(self) -> &'static str {
        match self {
            AttachmentKind::Pdf => "application/pdf",
            AttachmentKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }

    pub fn extension(self) -> &'static str {
        self.as_str()
    }
}

/// Whom a response speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OnBehalfOf {
    Person(PersonId),
    Organisation(OrganisationId),
}

impl OnBehalfOf {
    /// The key that makes a response unique within a hearing.
    pub fn key(self) -> String {
        match self {
            OnBehalfOf::Person(id) => format!("person:{id}"),
            OnBehalfOf::Organisation(id) => format!("organisation:{id}"),
        }
    }

    pub fn organisation(self) -> Option<OrganisationId> {
        match self {
            OnBehalfOf::Organisation(id) => Some(id),
            OnBehalfOf::Person(_) => None,
        }
    }
}

/// A file attached to a response. The file itself lives in the attachment folder
/// under a generated name; the name the submitter gave it is kept only as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: AttachmentId,
    pub response_id: ResponseId,
    /// Cleaned with [`clean_file_name`].
    pub file_name: String,
    pub kind: AttachmentKind,
    pub size_bytes: u64,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
    /// The generated name of the stored file (a UUID).
    pub storage_name: String,
    pub created_at: Timestamp,
}

/// One version of a response's letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseVersion {
    pub id: ResponseVersionId,
    /// 1, 2, 3, …
    pub number: i32,
    pub text: String,
    pub section_ids: Vec<SectionId>,
    pub attachment_ids: Vec<AttachmentId>,
    /// Who submitted this version.
    pub person_id: PersonId,
    pub person_name: String,
    pub late: bool,
    pub created_at: Timestamp,
}

/// A response with every version, oldest first; the newest is the current one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub id: ResponseId,
    pub hearing_id: HearingId,
    pub organisation_id: Option<OrganisationId>,
    pub organisation_name: Option<String>,
    /// Who gave the first version (for a personal response: whose it is).
    pub person_id: PersonId,
    /// The first version arrived after the deadline.
    pub late: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub versions: Vec<ResponseVersion>,
    /// Every file uploaded to this response, in any version.
    pub attachments: Vec<Attachment>,
}

impl Response {
    pub fn on_behalf_of(&self) -> OnBehalfOf {
        match self.organisation_id {
            Some(organisation) => OnBehalfOf::Organisation(organisation),
            None => OnBehalfOf::Person(self.person_id),
        }
    }

    /// The newest version.
    pub fn current(&self) -> Option<&ResponseVersion> {
        self.versions.last()
    }

    /// The attachments of one version, in the order they were given.
    pub fn attachments_of(&self, version: &ResponseVersion) -> Vec<&Attachment> {
        version
            .attachment_ids
            .iter()
            .filter_map(|id| self.attachments.iter().find(|a| a.id == *id))
            .collect()
    }

    /// Who gave the response, as a reader sees it: the organisation, or the person.
    pub fn author_label(&self) -> &str {
        match &self.organisation_name {
            Some(name) => name,
            None => self.versions.first().map_or("", |v| v.person_name.as_str()),
        }
    }
}

/// A file name as submitted, made safe to keep and to send back: only the last
/// path component, no control characters or quotes, trimmed, at most
/// [`MAX_FILE_NAME_CHARS`] characters, and ending in the extension of the type
/// the content was found to be. Never empty.
pub fn clean_file_name(submitted: &str, kind: AttachmentKind) -> String {
    let last = submitted.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | ':' | '*' | '?' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim();
    let extension = format!(".{}", kind.extension());
    let stem = match cleaned.rsplit_once('.') {
        Some((stem, ext)) if ext.eq_ignore_ascii_case(kind.extension()) => stem,
        _ => cleaned,
    };
    // No hidden files.
    let stem = stem.trim().trim_start_matches('.').trim();
    let stem = if stem.is_empty() { "vedlegg" } else { stem };
    let room = MAX_FILE_NAME_CHARS - extension.len();
    let stem: String = stem.chars().take(room).collect();
    format!("{}{extension}", stem.trim_end())
}

/// The `Content-Disposition` value for downloading an attachment: always
/// `attachment`, with an ASCII fallback name and the full name in RFC 5987 form.
pub fn content_disposition(file_name: &str) -> String {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && !matches!(c, '"' | '\\' | ';' | '%') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in file_name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for kind in AttachmentKind::ALL {
            assert_eq!(AttachmentKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(AttachmentKind::parse("html"), None);
    }

    #[test]
    fn file_names_lose_paths_and_dangerous_characters_and_get_the_real_extension() {
        assert_eq!(
            clean_file_name("C:\\Users\\ola\\Høyringssvar.pdf", AttachmentKind::Pdf),
            "Høyringssvar.pdf"
        );
        assert_eq!(
            clean_file_name("../../etc/passwd", AttachmentKind::Pdf),
            "passwd.pdf"
        );
        assert_eq!(
            clean_file_name("<img src=x onerror=alert(1)>.pdf", AttachmentKind::Pdf),
            "_img src=x onerror=alert(1)_.pdf"
        );
        assert_eq!(
            clean_file_name("svar\r\nX-Evil: 1.docx", AttachmentKind::Docx),
            "svar__X-Evil_ 1.docx"
        );
        assert_eq!(clean_file_name("", AttachmentKind::Docx), "vedlegg.docx");
        assert_eq!(clean_file_name(".pdf", AttachmentKind::Pdf), "vedlegg.pdf");
        assert_eq!(
            clean_file_name("brev.html", AttachmentKind::Pdf),
            "brev.html.pdf",
            "the extension follows the content"
        );
        let long = "a".repeat(500);
        let cleaned = clean_file_name(&long, AttachmentKind::Pdf);
        assert_eq!(cleaned.chars().count(), MAX_FILE_NAME_CHARS);
        assert!(cleaned.ends_with(".pdf"));
    }

    #[test]
    fn content_disposition_is_an_attachment_with_safe_names() {
        assert_eq!(
            content_disposition("Svar frå laget.pdf"),
            "attachment; filename=\"Svar fr_ laget.pdf\"; filename*=UTF-8''Svar%20fr%C3%A5%20laget.pdf"
        );
        let evil = content_disposition("a\"; filename=x.html");
        assert!(
            evil.starts_with("attachment; filename=\"a__ filename=x.html\";"),
            "{evil}"
        );
        assert!(!evil.contains('\n'));
    }

    #[test]
    fn owner_keys_differ_for_people_and_organisations() {
        let id = uuid::Uuid::now_v7();
        assert_ne!(
            OnBehalfOf::Person(PersonId(id)).key(),
            OnBehalfOf::Organisation(OrganisationId(id)).key()
        );
    }
}
