//! Who is on the other end of a request: the client's address and whether it came
//! over HTTPS. Behind a reverse proxy the connection's peer is the proxy, so its
//! `Forwarded`, `X-Forwarded-For` and `X-Forwarded-Proto` headers tell the rest —
//! but only a proxy named in `trusted_proxies` is believed; from anyone else those
//! headers are ignored, or a client could pick its own rate-limit bucket.

use crate::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderMap;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// The client as far as it can be believed; every request carries one (set by
/// [`resolve_client`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    /// The client's address; `None` only where no connection address is known.
    pub address: Option<IpAddr>,
    /// The request reached the site over HTTPS (a trusted proxy says so).
    pub https: bool,
}

/// Middleware: works out the [`Client`] of a request and stores it among its extensions.
pub async fn resolve_client(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    let client = client_of(
        peer,
        request.headers(),
        &state.config().security.trusted_proxies,
    );
    request.extensions_mut().insert(client);
    next.run(request).await
}

/// The client of a request from `peer` with `headers`, believing forwarding headers
/// only from `trusted` proxies.
pub fn client_of(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> Client {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let Some(peer) = peer.map(canonical) else {
        return Client {
            address: None,
            https: false,
        };
    };
    if !is_trusted(&peer) {
        return Client {
            address: Some(peer),
            https: false,
        };
    }
    let (chain, proto) = match forwarded(headers) {
        Some(found) => found,
        None => (forwarded_for(headers), forwarded_proto(headers)),
    };
    // From the right: each hop was added by the proxy in front of it, so the first
    // address that is not a trusted proxy is the client. If every hop is trusted, the
    // leftmost is the best there is.
    let address = chain
        .iter()
        .rev()
        .find(|ip| !is_trusted(ip))
        .or(chain.first())
        .copied()
        .unwrap_or(peer);
    Client {
        address: Some(address),
        https: proto.is_some_and(|p| p.eq_ignore_ascii_case("https")),
    }
}

/// An IPv4 address mapped into IPv6 (as a dual-stack socket shows it) as plain IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// Every address of every `X-Forwarded-For` header, in order; empty if any is not an address.
fn forwarded_for(headers: &HeaderMap) -> Vec<IpAddr> {
    let mut chain = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        let Ok(value) = value.to_str() else {
            return Vec::new();
        };
        for hop in value.split(',') {
            match node_address(hop.trim()) {
                Some(ip) => chain.push(ip),
                None => return Vec::new(),
            }
        }
    }
    chain
}

/// The first `X-Forwarded-Proto` value (the one the outermost proxy saw).
fn forwarded_proto(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("x-forwarded-proto")?.to_str().ok()?;
    Some(value.split(',').next()?.trim().to_owned())
}

/// RFC 7239 `Forwarded`: the `for=` addresses in order and the first `proto=`;
/// `None` when there is no such header or it cannot be read whole.
fn forwarded(headers: &HeaderMap) -> Option<(Vec<IpAddr>, Option<String>)> {
    let mut chain = Vec::new();
    let mut proto = None;
    let mut any = false;
    for value in headers.get_all(http::header::FORWARDED) {
        any = true;
        let value = value.to_str().ok()?;
        for element in value.split(',') {
            for pair in element.split(';') {
                let Some((name, raw)) = pair.trim().split_once('=') else {
                    continue;
                };
                let raw = raw.trim().trim_matches('"');
                if name.trim().eq_ignore_ascii_case("for") {
                    chain.push(node_address(raw)?);
                } else if name.trim().eq_ignore_ascii_case("proto") && proto.is_none() {
                    proto = Some(raw.to_owned());
                }
            }
        }
    }
    any.then_some((chain, proto))
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`
/// or `[2001:db8::1]:4711`.
fn node_address(node: &str) -> Option<IpAddr> {
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Some(rest) = node.strip_prefix('[') {
        let (ip, _) = rest.split_once(']')?;
        return ip.parse::<IpAddr>().ok().map(canonical);
    }
    node.parse::<SocketAddr>().ok().map(|s| canonical(s.ip()))
}

/// Parses `trusted_proxies` entries: addresses (`10.0.0.5`) or ranges (`10.0.0.0/8`).
pub fn parse_trusted_proxies(entries: &[String]) -> Result<Vec<IpNet>, String> {
    entries
        .iter()
        .map(|entry| {
            let entry = entry.trim();
            entry
                .parse::<IpNet>()
                .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{entry:?} is neither an address nor an address range"))
        })
        .collect()
}

/// The key of the per-client-address rate limits on routes: the resolved client.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClientKey;

impl tower_governor::key_extractor::KeyExtractor for ClientKey {
    type Key = IpAddr;

    fn extract<T>(
        &self,
        request: &http::Request<T>,
    ) -> Result<Self::Key, tower_governor::GovernorError> {
        request
            .extensions()
            .get::<Client>()
            .and_then(|c| c.address)
            .or_else(|| {
                request
                    .extensions()
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|c| c.0.ip())
            })
            .ok_or(tower_governor::GovernorError::UnableToExtractKey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().expect("a header value"));
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    #[test]
    fn forwarding_headers_from_an_untrusted_peer_are_ignored() {
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.7"),
            ("x-forwarded-proto", "https"),
            ("forwarded", "for=198.51.100.8;proto=https"),
        ]);
        let client = client_of(Some(ip("203.0.113.9")), &h, &[]);
        assert_eq!(client.address, Some(ip("203.0.113.9")));
        assert!(!client.https);
    }

    #[test]
    fn a_trusted_proxy_names_the_client_and_the_scheme() {
        let trusted = parse_trusted_proxies(&["10.0.0.0/8".into(), "192.0.2.1".into()])
            .expect("valid entries");
        // A client that sends its own X-Forwarded-For gets it prefixed, not believed.
        let h = headers(&[
            ("x-forwarded-for", "1.2.3.4, 198.51.100.7, 10.1.1.1"),
            ("x-forwarded-proto", "https"),
        ]);
        let client = client_of(Some(ip("192.0.2.1")), &h, &trusted);
        assert_eq!(client.address, Some(ip("198.51.100.7")));
        assert!(client.https);

        let h = headers(&[(
            "forwarded",
            "for=\"[2001:db8:cafe::17]:4711\";proto=https, for=10.2.2.2",
        )]);
        let client = client_of(Some(ip("10.0.0.1")), &h, &trusted);
        assert_eq!(client.address, Some(ip("2001:db8:cafe::17")));
        assert!(client.https);
    }

    #[test]
    fn unreadable_forwarding_headers_leave_the_peer() {
        let trusted = parse_trusted_proxies(&["127.0.0.1".into()]).expect("valid");
        let h = headers(&[("x-forwarded-for", "not-an-address")]);
        let client = client_of(Some(ip("127.0.0.1")), &h, &trusted);
        assert_eq!(client.address, Some(ip("127.0.0.1")));
        assert!(parse_trusted_proxies(&["10.0.0.0/33".into()]).is_err());
    }
}
