//! Where emails go: an SMTP server, or `.eml` files in the data folder when none is
//! configured (so a fresh install never sends mail by accident).

use crate::RenderedEmail;
use domain::OutboxJobId;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, Message, MultiPart, SinglePart};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("invalid address {0:?}")]
    Address(String),
    #[error("could not build the message: {0}")]
    Build(String),
    /// The server refused for good (a 5xx reply): sending again changes nothing.
    #[error("SMTP: {0}")]
    Refused(String),
    /// A 4xx reply, a broken connection or a timeout: worth another try later.
    #[error("SMTP: {0}")]
    Smtp(String),
    #[error("could not write the email file: {0}")]
    File(String),
}

impl MailerError {
    /// Whether trying again can never succeed: a permanent refusal or an address
    /// or message that cannot be sent as it is.
    pub fn is_permanent(&self) -> bool {
        matches!(
            self,
            MailerError::Address(_) | MailerError::Build(_) | MailerError::Refused(_)
        )
    }

    fn from_smtp(error: &lettre::transport::smtp::Error) -> MailerError {
        if error.is_permanent() {
            MailerError::Refused(error.to_string())
        } else {
            MailerError::Smtp(error.to_string())
        }
    }
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl Mailer {
    /// An SMTP mailer from a URL such as `smtp://host:25`, `smtp://user:pass@host:587?tls=required`
    /// or `smtps://host:465`.
    pub fn smtp(url: &str, from: &str) -> Result<Mailer, MailerError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailerError::Smtp(e.to_string()))?
            .timeout(Some(Duration::from_secs(30)))
            // One connection per concurrent send, kept open between emails.
            .pool_config(
                PoolConfig::new().max_size(u32::try_from(crate::SEND_CONCURRENCY).unwrap_or(32)),
            )
            .build();
        Ok(Mailer {
            transport: Transport::Smtp(transport),
            from: parse_mailbox(from)?,
        })
    }

    /// Writes each email as `<id>.eml` in `dir` (which must exist).
    pub fn files(dir: PathBuf, from: &str) -> Result<Mailer, MailerError> {
        Ok(Mailer {
            transport: Transport::Files(AsyncFileTransport::new(&dir), dir),
            from: parse_mailbox(from)?,
        })
    }

    pub fn describe(&self) -> String {
        match &self.transport {
            Transport::Smtp(_) => "smtp".to_owned(),
            Transport::Files(_, dir) => format!("files in {}", dir.display()),
        }
    }

    pub async fn send(
        &self,
        job: &OutboxJobId,
        to: &str,
        email: &RenderedEmail,
    ) -> Result<(), MailerError> {
        let message = self.message(job, to, email)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| MailerError::from_smtp(&e)),
            Transport::Files(files, _) => files
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| MailerError::File(e.to_string())),
        }
    }
}

impl Mailer {
    /// The message as it goes on the wire: from the municipality (its display name,
    /// its address when it has one), with replies to the plan's contact, as text
    /// and HTML alternatives.
    pub fn message(
        &self,
        job: &OutboxJobId,
        to: &str,
        email: &RenderedEmail,
    ) -> Result<Message, MailerError> {
        let address = email
            .from_address
            .as_deref()
            .and_then(|a| a.parse::<lettre::Address>().ok())
            .unwrap_or_else(|| self.from.email.clone());
        let name = email
            .from_name
            .as_deref()
            .map(crate::render::one_line)
            .or_else(|| self.from.name.clone());
        let from = Mailbox::new(name, address);
        let domain = from.email.domain().to_owned();
        let mut builder = Message::builder()
            .from(from)
            .to(parse_mailbox(to)?)
            .subject(crate::render::one_line(&email.subject))
            // Stable per job, so a resent job is recognised as the same message.
            .message_id(Some(format!("<{job}@{domain}>")));
        if let Some(reply_to) = email.reply_to.as_deref().and_then(|a| a.parse().ok()) {
            builder = builder.reply_to(reply_to);
        }
        if let Some(link) = &email.unsubscribe {
            // RFC 2369 and RFC 8058: mail programs show an unsubscribe button that
            // POSTs `List-Unsubscribe=One-Click` to the link.
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{}>", crate::render::one_line(link)),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        let built = match (&email.calendar, email.html.is_empty()) {
            (None, true) => builder
                .header(ContentType::TEXT_PLAIN)
                .body(email.text.clone()),
            (None, false) => builder.multipart(MultiPart::alternative_plain_html(
                email.text.clone(),
                email.html.clone(),
            )),
            // The letter with its event attached as a file, which every mail
            // program offers to add to the calendar.
            (Some(calendar), _) => {
                let content_type = ContentType::parse(&format!(
                    "text/calendar; charset=utf-8; method={}",
                    calendar.method.as_str()
                ))
                .map_err(|e| MailerError::Build(e.to_string()))?;
                let letter = if email.html.is_empty() {
                    MultiPart::mixed().singlepart(SinglePart::plain(email.text.clone()))
                } else {
                    MultiPart::mixed().multipart(MultiPart::alternative_plain_html(
                        email.text.clone(),
                        email.html.clone(),
                    ))
                };
                builder.multipart(
                    letter.singlepart(
                        Attachment::new(calendar.file_name.clone())
                            .body(calendar.ics.clone(), content_type),
                    ),
                )
            }
        };
        built.map_err(|e| MailerError::Build(e.to_string()))
    }
}

fn parse_mailbox(address: &str) -> Result<Mailbox, MailerError> {
    address
        .parse()
        .map_err(|_| MailerError::Address(address.chars().take(100).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(subject: &str, from_name: Option<&str>) -> RenderedEmail {
        RenderedEmail {
            subject: subject.into(),
            text: "Hei!\n".into(),
            html: "<!DOCTYPE html><p>Hei!</p>".into(),
            from_name: from_name.map(Into::into),
            from_address: Some("post@alver.example".into()),
            reply_to: Some("plan@alver.example".into()),
            unsubscribe: None,
            calendar: None,
        }
    }

    fn headers(message: &Message) -> Vec<String> {
        let wire = String::from_utf8(message.formatted()).expect("utf-8");
        let head = wire.split("\r\n\r\n").next().unwrap_or_default().to_owned();
        head.split("\r\n").map(str::to_owned).collect()
    }

    fn mailer() -> Mailer {
        Mailer::files(PathBuf::from("unused"), "Samråd <samrad@test.example>").expect("mailer")
    }

    #[test]
    fn the_municipality_sends_with_reply_to_its_contact_as_text_and_html() {
        let message = mailer()
            .message(
                &OutboxJobId::new(),
                "kari@x.example",
                &rendered("Alver kommune: Hei", Some("Alver kommune")),
            )
            .expect("message");
        let headers = headers(&message);
        assert!(
            headers
                .iter()
                .any(|h| h == "From: \"Alver kommune\" <post@alver.example>"),
            "{headers:?}"
        );
        assert!(
            headers.iter().any(|h| h == "Reply-To: plan@alver.example"),
            "{headers:?}"
        );
        assert!(
            headers
                .iter()
                .any(|h| h.starts_with("Content-Type: multipart/alternative")),
            "{headers:?}"
        );
    }

    #[test]
    fn a_line_break_in_the_subject_or_display_name_adds_no_header() {
        let message = mailer()
            .message(
                &OutboxJobId::new(),
                "kari@x.example",
                &rendered(
                    "Hei\r\nBcc: victim@evil.example",
                    Some("Alver\r\nBcc: other@evil.example"),
                ),
            )
            .expect("message");
        let headers = headers(&message);
        assert!(
            !headers
                .iter()
                .any(|h| h.to_ascii_lowercase().starts_with("bcc")),
            "{headers:?}"
        );
        let envelope = message.envelope();
        assert_eq!(envelope.to().len(), 1, "{:?}", envelope.to());
    }
}
