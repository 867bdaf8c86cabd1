//! The load generator's clients: a keep-alive HTTP/1.1 client and a websocket
//! subscriber, both written on tokio's sockets directly so that one process can hold
//! tens of thousands of them cheaply (a few kilobytes each) and spend little CPU per
//! message. They speak only what the benchmark needs.

use anyhow::{Context, Result, anyhow, bail};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpSocket, TcpStream};

/// One keep-alive HTTP/1.1 connection.
pub struct Http {
    stream: BufReader<TcpStream>,
    host: String,
}

impl Http {
    pub async fn connect(addr: SocketAddr) -> Result<Http> {
        let stream = TcpStream::connect(addr)
            .await
            .with_context(|| format!("connecting to {addr}"))?;
        stream.set_nodelay(true)?;
        Ok(Http {
            stream: BufReader::with_capacity(16 * 1024, stream),
            host: addr.to_string(),
        })
    }

    /// Sends a request and reads the whole answer: (status, body).
    pub async fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<(u16, Vec<u8>)> {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n",
            self.host,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(name);
            head.push_str(": ");
            head.push_str(value);
            head.push_str("\r\n");
        }
        head.push_str("\r\n");
        let mut request = head.into_bytes();
        request.extend_from_slice(body);
        self.stream.get_mut().write_all(&request).await?;

        let mut line = String::new();
        self.stream.read_line(&mut line).await?;
        if line.is_empty() {
            bail!("the server closed the connection");
        }
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| anyhow!("not an HTTP answer: {line:?}"))?;
        let mut length = None;
        let mut chunked = false;
        loop {
            line.clear();
            self.stream.read_line(&mut line).await?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.parse::<usize>().ok();
                } else if name.eq_ignore_ascii_case("transfer-encoding")
                    && value.eq_ignore_ascii_case("chunked")
                {
                    chunked = true;
                }
            }
        }
        let mut answer = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.stream.read_line(&mut line).await?;
                let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                    .map_err(|_| anyhow!("bad chunk size {line:?}"))?;
                let mut chunk = vec![0; size + 2];
                self.stream.read_exact(&mut chunk).await?;
                if size == 0 {
                    break;
                }
                answer.extend_from_slice(&chunk[..size]);
            }
        } else {
            let length = length.ok_or_else(|| anyhow!("an answer without Content-Length"))?;
            answer.resize(length, 0);
            self.stream.read_exact(&mut answer).await?;
        }
        Ok((status, answer))
    }
}

/// What a websocket subscriber saw: per comment id, when (µs since `epoch`) it arrived.
pub struct Received {
    pub events: Vec<(String, u64)>,
    pub closed_early: bool,
}

/// Counters shared by all subscribers of one measurement.
#[derive(Default)]
pub struct Progress {
    pub subscribed: AtomicUsize,
    pub deliveries: AtomicUsize,
    pub failed: AtomicUsize,
}

fn masked_frame(opcode: u8, payload: &[u8], mask: [u8; 4]) -> Vec<u8> {
    let mut frame = Vec::with_capacity(payload.len() + 14);
    frame.push(0x80 | opcode);
    if payload.len() < 126 {
        frame.push(0x80 | payload.len() as u8);
    } else if payload.len() <= usize::from(u16::MAX) {
        frame.push(0x80 | 126);
        frame.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    } else {
        frame.push(0x80 | 127);
        frame.extend_from_slice(&(payload.len() as u64).to_be_bytes());
    }
    frame.extend_from_slice(&mask);
    frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    frame
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The comment id of a `comment_posted` event, found without parsing the JSON.
fn posted_comment_id(payload: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(payload).ok()?;
    if !text.contains("\"comment_posted\"") {
        return None;
    }
    let start = text.find("\"comment_id\":\"")? + "\"comment_id\":\"".len();
    let end = text[start..].find('"')? + start;
    Some(text[start..end].to_owned())
}

/// Opens a websocket from `source` to `server`, subscribes to `room` and records every
/// `comment_posted` event until `stop` changes. Answers the server's pings.
pub async fn subscriber(
    server: SocketAddr,
    source: IpAddr,
    room: String,
    epoch: Instant,
    progress: Arc<Progress>,
    permit: tokio::sync::OwnedSemaphorePermit,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> Result<Received> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(source, 0))?;
    socket.set_recv_buffer_size(16 * 1024)?;
    socket.set_send_buffer_size(16 * 1024)?;
    let stream = socket
        .connect(server)
        .await
        .with_context(|| format!("websocket from {source}"))?;
    stream.set_nodelay(true)?;
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::with_capacity(4096, read);
    let key = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        uuid::Uuid::new_v4().as_bytes(),
    );
    write
        .write_all(
            format!(
                "GET /ws HTTP/1.1\r\nHost: {server}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
                 Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            )
            .as_bytes(),
        )
        .await?;
    let mut line = String::new();
    read.read_line(&mut line).await?;
    if !line.contains(" 101 ") {
        bail!("the websocket handshake was refused: {}", line.trim());
    }
    loop {
        line.clear();
        if read.read_line(&mut line).await? == 0 {
            bail!("closed during the handshake");
        }
        if line.trim_end().is_empty() {
            break;
        }
    }
    let mask = *uuid::Uuid::new_v4()
        .as_bytes()
        .first_chunk::<4>()
        .unwrap_or(&[7, 1, 3, 5]);
    let subscribe = serde_json::json!({"type": "subscribe", "room": room}).to_string();
    write
        .write_all(&masked_frame(0x1, subscribe.as_bytes(), mask))
        .await?;

    let mut permit = Some(permit);
    let mut events = Vec::new();
    let mut closed_early = false;
    loop {
        let mut head = [0u8; 2];
        tokio::select! {
            biased;
            _ = stop.changed() => break,
            read_head = read.read_exact(&mut head) => {
                if read_head.is_err() {
                    closed_early = true;
                    break;
                }
            }
        }
        let opcode = head[0] & 0x0F;
        let mut length = u64::from(head[1] & 0x7F);
        if length == 126 {
            length = u64::from(read.read_u16().await?);
        } else if length == 127 {
            length = read.read_u64().await?;
        }
        let mut payload = vec![0u8; usize::try_from(length)?];
        read.read_exact(&mut payload).await?;
        let at = epoch.elapsed().as_micros() as u64;
        match opcode {
            0x1 => {
                if let Some(id) = posted_comment_id(&payload) {
                    events.push((id, at));
                    progress.deliveries.fetch_add(1, Ordering::Relaxed);
                } else if permit.is_some() && contains(&payload, b"\"type\":\"subscribed\"") {
                    permit = None;
                    progress.subscribed.fetch_add(1, Ordering::Relaxed);
                } else if contains(&payload, b"\"type\":\"error\"") {
                    bail!(
                        "the server refused the subscription: {}",
                        String::from_utf8_lossy(&payload)
                    );
                }
            }
            0x8 => {
                closed_early = true;
                break;
            }
            0x9 => write.write_all(&masked_frame(0xA, &payload, mask)).await?,
            _ => {}
        }
    }
    Ok(Received {
        events,
        closed_early,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_comment_id_of_a_posted_event_only() {
        let event = br#"{"type":"event","room":"document:x","seq":3,"event":{"type":"comment_posted","data":{"comment_id":"0193-ab","body":"x"}}}"#;
        assert_eq!(posted_comment_id(event).as_deref(), Some("0193-ab"));
        let other = br#"{"type":"event","event":{"type":"comment_edited","data":{"comment_id":"0193-ab"}}}"#;
        assert_eq!(posted_comment_id(other), None);
    }

    #[test]
    fn masks_client_frames_with_the_length_in_the_right_form() {
        let frame = masked_frame(0x1, b"abc", [1, 2, 3, 4]);
        assert_eq!(frame[..2], [0x81, 0x83]);
        assert_eq!(frame[6..], [b'a' ^ 1, b'b' ^ 2, b'c' ^ 3]);
        let long = masked_frame(0x1, &[0u8; 300], [0; 4]);
        assert_eq!(long[1], 0x80 | 126);
        assert_eq!(u16::from_be_bytes([long[2], long[3]]), 300);
    }
}
