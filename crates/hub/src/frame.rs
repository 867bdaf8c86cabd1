//! A message as it goes over the wire: JSON text in reference-counted bytes, so that
//! every connection sends the same allocation (the websocket layer takes the bytes
//! as they are, without a copy).

use bytes::Bytes;
use std::fmt;

/// UTF-8 JSON text, shared: cloning it counts a reference, never copies the text.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Frame(Bytes);

impl Frame {
    pub fn as_str(&self) -> &str {
        // Only ever made from a `String` or `&'static str`, so always UTF-8.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The shared bytes (a reference, not a copy).
    pub fn bytes(&self) -> Bytes {
        self.0.clone()
    }

    pub fn from_static(text: &'static str) -> Frame {
        Frame(Bytes::from_static(text.as_bytes()))
    }
}

impl From<String> for Frame {
    fn from(text: String) -> Frame {
        Frame(Bytes::from(text))
    }
}

impl std::ops::Deref for Frame {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
