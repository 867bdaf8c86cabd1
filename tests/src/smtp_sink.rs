//! A small SMTP server on a local TCP port that keeps every message it receives,
//! so tests see exactly what the notification worker put on the wire. On demand it
//! fails like a real mail server: it refuses the next messages or a recipient with
//! a given reply code, or stops answering in the middle of a message.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    /// Headers and body as sent, with dot-stuffing undone.
    pub data: String,
}

impl ReceivedMail {
    /// The decoded plain-text body (transfer encodings such as quoted-printable undone).
    pub fn text(&self) -> String {
        mail_parser::MessageParser::default()
            .parse(self.data.as_bytes())
            .and_then(|m| m.body_text(0).map(|t| t.into_owned()))
            .unwrap_or_default()
    }

    /// The decoded subject.
    pub fn subject(&self) -> String {
        mail_parser::MessageParser::default()
            .parse(self.data.as_bytes())
            .and_then(|m| m.subject().map(str::to_owned))
            .unwrap_or_default()
    }

    /// The decoded display name and address of the sender.
    pub fn from(&self) -> (String, String) {
        mail_parser::MessageParser::default()
            .parse(self.data.as_bytes())
            .and_then(|m| {
                let sender = m.from()?.first()?;
                Some((
                    sender.name().unwrap_or_default().to_owned(),
                    sender.address().unwrap_or_default().to_owned(),
                ))
            })
            .unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.data
            .lines()
            .take_while(|l| !l.is_empty())
            .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
            .map(|l| l[prefix.len()..].trim().to_owned())
    }
}

/// What became of one message the sink was offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Answered 250 and kept.
    Accepted,
    /// Refused with this reply code (at RCPT for a refused recipient, else at the
    /// end of DATA), and not kept.
    Refused(u16),
    /// Received in full, then never answered: the sender cannot know whether it
    /// arrived. Not kept.
    Stalled,
}

/// One message the sink was offered, with what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub to: Vec<String>,
    pub outcome: Outcome,
    /// The `Message-ID` header, when the message got as far as DATA.
    pub message_id: Option<String>,
}

/// How the sink fails on demand.
#[derive(Debug, Default)]
struct Rules {
    /// The replies to the next messages at the end of DATA, in order: a 2xx code
    /// accepts, any other refuses.
    refuse_next: Vec<u16>,
    /// Recipients refused at RCPT, with the reply code.
    refuse_recipients: HashMap<String, u16>,
    /// Stop answering after the next message's data.
    stall_next: bool,
}

#[derive(Default)]
struct State {
    mails: Vec<ReceivedMail>,
    attempts: Vec<Attempt>,
    rules: Rules,
}

#[derive(Clone)]
pub struct SmtpSink {
    address: SocketAddr,
    state: Arc<Mutex<State>>,
    /// Notified at every attempt, accepted or not.
    arrived: Arc<Notify>,
    task: Arc<tokio::task::JoinHandle<()>>,
}

impl SmtpSink {
    pub async fn start() -> std::io::Result<SmtpSink> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State::default()));
        let arrived = Arc::new(Notify::new());
        let (st, a) = (Arc::clone(&state), Arc::clone(&arrived));
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (st, a) = (Arc::clone(&st), Arc::clone(&a));
                tokio::spawn(async move {
                    let _ = session(stream, st, a).await;
                });
            }
        });
        Ok(SmtpSink {
            address,
            state,
            arrived,
            task: Arc::new(task),
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().expect("sink lock")
    }

    /// The messages accepted so far, in order.
    pub fn mails(&self) -> Vec<ReceivedMail> {
        self.state().mails.clone()
    }

    /// Every message offered so far, accepted or not, in order.
    pub fn attempts(&self) -> Vec<Attempt> {
        self.state().attempts.clone()
    }

    /// Refuses the next `count` messages at the end of DATA with `code`: 4xx is a
    /// temporary failure (try again later), 5xx a permanent one.
    pub fn refuse_next(&self, count: usize, code: u16) {
        self.state()
            .rules
            .refuse_next
            .extend(std::iter::repeat_n(code, count));
    }

    /// Answers the next messages at the end of DATA with `codes` in order, one each,
    /// such as `[451, 451, 250]`: refused twice for now, then accepted. Later
    /// messages are accepted.
    pub fn answer_next(&self, codes: &[u16]) {
        self.state().rules.refuse_next.extend_from_slice(codes);
    }

    /// Refuses every message to `address` at RCPT with `code`, until [`Self::accept_all`].
    pub fn refuse_recipient(&self, address: &str, code: u16) {
        self.state()
            .rules
            .refuse_recipients
            .insert(address.to_ascii_lowercase(), code);
    }

    /// Takes the next message in full and then never answers, as a server that hangs
    /// (or a connection that breaks) before it confirms.
    pub fn stall_next(&self) {
        self.state().rules.stall_next = true;
    }

    /// Forgets every refusal and stall still to come.
    pub fn accept_all(&self) {
        self.state().rules = Rules::default();
    }

    /// Waits until `count` messages have been offered (accepted or not).
    pub async fn wait_for_attempts(
        &self,
        count: usize,
        timeout: Duration,
    ) -> anyhow::Result<Vec<Attempt>> {
        self.wait_on(timeout, |state| {
            (state.attempts.len() >= count).then(|| state.attempts.clone())
        })
        .await
        .map_err(|e| anyhow::anyhow!("expected {count} attempts: {e}"))
    }

    async fn wait_on<T>(
        &self,
        timeout: Duration,
        mut found: impl FnMut(&State) -> Option<T>,
    ) -> anyhow::Result<T> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            // Created before looking: `notify_waiters` reaches it from here on, so an
            // arrival in between is not missed.
            let notified = self.arrived.notified();
            if let Some(value) = found(&self.state()) {
                return Ok(value);
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let state = self.state();
                anyhow::bail!("not within {timeout:?}; offered: {:?}", state.attempts);
            }
        }
    }

    /// Waits until `found` finds something in the messages accepted so far (it is
    /// asked again at every arrival), or fails after `timeout`.
    pub async fn wait_until<T>(
        &self,
        timeout: Duration,
        mut found: impl FnMut(&[ReceivedMail]) -> Option<T>,
    ) -> anyhow::Result<T> {
        self.wait_on(timeout, |state| found(&state.mails)).await
    }

    /// Waits until `count` messages have been accepted, or fails after `timeout`.
    pub async fn wait_for(
        &self,
        count: usize,
        timeout: Duration,
    ) -> anyhow::Result<Vec<ReceivedMail>> {
        self.wait_until(timeout, |mails| {
            (mails.len() >= count).then(|| mails.to_vec())
        })
        .await
        .map_err(|e| anyhow::anyhow!("expected {count} emails: {e}"))
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        if Arc::strong_count(&self.task) == 1 {
            self.task.abort();
        }
    }
}

/// The reply for a refusal: the code and a line of text, as servers send them.
fn refusal(code: u16) -> Vec<u8> {
    format!("{code} refused by the test sink\r\n").into_bytes()
}

async fn session(
    stream: TcpStream,
    state: Arc<Mutex<State>>,
    arrived: Arc<Notify>,
) -> std::io::Result<()> {
    let record = |attempt: Attempt, mail: Option<ReceivedMail>| {
        let mut state = state.lock().expect("sink lock");
        state.attempts.push(attempt);
        state.mails.extend(mail);
        drop(state);
        arrived.notify_waiters();
    };
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        let upper = command.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            write
                .write_all(b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                .await?;
        } else if upper.starts_with("HELO") {
            write.write_all(b"250 sink.test\r\n").await?;
        } else if upper.starts_with("MAIL FROM:") {
            from = command[10..]
                .trim()
                .trim_matches(['<', '>'])
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .trim_matches(['<', '>'])
                .to_owned();
            to.clear();
            write.write_all(b"250 OK\r\n").await?;
        } else if upper.starts_with("RCPT TO:") {
            let recipient = command[8..].trim().trim_matches(['<', '>']).to_owned();
            let refused = state
                .lock()
                .expect("sink lock")
                .rules
                .refuse_recipients
                .get(&recipient.to_ascii_lowercase())
                .copied();
            match refused {
                Some(code) => {
                    record(
                        Attempt {
                            to: vec![recipient],
                            outcome: Outcome::Refused(code),
                            message_id: None,
                        },
                        None,
                    );
                    write.write_all(&refusal(code)).await?;
                }
                None => {
                    to.push(recipient);
                    write.write_all(b"250 OK\r\n").await?;
                }
            }
        } else if upper == "DATA" {
            write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                let l = line.trim_end_matches(['\r', '\n']);
                if l == "." {
                    break;
                }
                data.push_str(l.strip_prefix('.').unwrap_or(l));
                data.push('\n');
            }
            let mail = ReceivedMail {
                from: from.clone(),
                to: to.clone(),
                data,
            };
            let (stall, refuse) = {
                let mut state = state.lock().expect("sink lock");
                let rules = &mut state.rules;
                let stall = std::mem::take(&mut rules.stall_next);
                let refuse = if stall || rules.refuse_next.is_empty() {
                    None
                } else {
                    Some(rules.refuse_next.remove(0))
                };
                (stall, refuse)
            };
            let outcome = match (stall, refuse) {
                (true, _) => Outcome::Stalled,
                (false, Some(code)) if (200..300).contains(&code) => Outcome::Accepted,
                (false, Some(code)) => Outcome::Refused(code),
                (false, None) => Outcome::Accepted,
            };
            let attempt = Attempt {
                to: mail.to.clone(),
                outcome,
                message_id: mail.header("message-id"),
            };
            match outcome {
                Outcome::Accepted => {
                    record(attempt, Some(mail));
                    write.write_all(b"250 OK queued\r\n").await?;
                }
                Outcome::Refused(code) => {
                    record(attempt, None);
                    write.write_all(&refusal(code)).await?;
                }
                Outcome::Stalled => {
                    record(attempt, None);
                    // Never a word more: read until the sender gives up and goes.
                    while lines.read_line(&mut line).await? != 0 {
                        line.clear();
                    }
                    return Ok(());
                }
            }
        } else if upper == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else if upper == "RSET" || upper == "NOOP" {
            write.write_all(b"250 OK\r\n").await?;
        } else {
            write.write_all(b"502 not implemented\r\n").await?;
        }
    }
}
