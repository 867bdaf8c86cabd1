//! Where emails go: an SMTP server, or `.eml` files in the data folder when none is
//! configured (so a fresh install never sends mail by accident).

use crate::RenderedEmail;
use domain::OutboxJobId;
use lettre::message::{Mailbox, Message, header::ContentType};
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
        let domain = self.from.email.domain().to_owned();
        let message = Message::builder()
            .from(self.from.clone())
            .to(parse_mailbox(to)?)
            .subject(email.subject.clone())
            // Stable per job, so a resent job is recognised as the same message.
            .message_id(Some(format!("<{job}@{domain}>")))
            .header(ContentType::TEXT_PLAIN)
            .body(email.text.clone())
            .map_err(|e| MailerError::Build(e.to_string()))?;
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

fn parse_mailbox(address: &str) -> Result<Mailbox, MailerError> {
    address
        .parse()
        .map_err(|_| MailerError::Address(address.chars().take(100).collect()))
}
