//! The HTTP client: one [`UserSchemaApi`] trait, one implementation per API generation, a
//! shared transport with timeouts, cancel, certificate checks and token redaction.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};
use ureq::Agent;
use ureq::http::{Method, Request};
use ureq::tls::{PemItem, RootCerts, TlsConfig};
use url::{Host, Url};

use super::error::{ApiStatus, SyncError};
use super::model::{Created, Details, Generation, Page, RemoteSchema};
use super::token::Token;
use crate::schema::UserSchemaDraft;

/// How long to wait, and how much to ask for at once.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// The longest a whole call may take.
    pub timeout: Duration,
    /// The longest connecting may take.
    pub connect_timeout: Duration,
    /// Schemas asked for per list page (generation 2 allows at most 1000).
    pub page_size: u32,
    /// A PEM file of CA certificates to trust instead of the built-in (Mozilla) roots, for an
    /// instance with a private CA. `None` reads `SCHEMADESK_CA_FILE`, if set.
    pub ca_file: Option<PathBuf>,
}

/// The environment variable naming a PEM file of CA certificates to trust.
pub const CA_FILE_ENV: &str = "SCHEMADESK_CA_FILE";

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            page_size: 100,
            ca_file: None,
        }
    }
}

/// A state change on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateAction {
    Deactivate,
    Reactivate,
    Delete,
}

impl StateAction {
    pub fn verb(self) -> &'static str {
        match self {
            StateAction::Deactivate => "deactivate",
            StateAction::Reactivate => "reactivate",
            StateAction::Delete => "delete",
        }
    }
}

/// The user schema API of one server, whatever its generation.
pub trait UserSchemaApi: Send {
    /// Which generation this client speaks.
    fn generation(&self) -> Generation;
    /// The server's base URL.
    fn base_url(&self) -> &Url;
    /// Schemas asked for per list page.
    fn page_size(&self) -> u32;
    /// Creates a schema (201). Revision 1 on the server.
    fn create(&self, draft: &UserSchemaDraft) -> Result<Created, SyncError>;
    /// Replaces type, schema and authenticators of a schema.
    fn update(&self, id: &str, draft: &UserSchemaDraft) -> Result<Details, SyncError>;
    /// Fetches one schema.
    fn get(&self, id: &str) -> Result<RemoteSchema, SyncError>;
    /// One page of the list.
    fn list_page(&self, offset: u64, limit: u32) -> Result<Page, SyncError>;
    /// Deactivates, reactivates or deletes a schema.
    fn change_state(&self, id: &str, action: StateAction) -> Result<Details, SyncError>;

    /// Every schema on the server, following pagination. `progress(fetched, total)` after each page.
    fn list_all(
        &self,
        progress: &mut dyn FnMut(usize, Option<u64>),
    ) -> Result<Vec<RemoteSchema>, SyncError> {
        let limit = self.page_size().max(1);
        let mut all: Vec<RemoteSchema> = Vec::new();
        let mut offset = 0u64;
        // A guard against a server that never stops sending pages.
        for _ in 0..100_000 {
            let page = self.list_page(offset, limit)?;
            let n = page.items.len() as u64;
            all.extend(page.items);
            progress(all.len(), page.total);
            offset += n;
            // A zero total is omitted like any zero value: then a short page ends the list.
            let done = match page.total {
                Some(total) if total > 0 => offset >= total || n == 0,
                _ => n < u64::from(limit),
            };
            if done {
                break;
            }
        }
        Ok(all)
    }
}

/// Parses and checks a server address: https, or plain http for this computer only.
pub fn check_url(text: &str) -> Result<Url, SyncError> {
    let bad = |reason: &str| SyncError::BadUrl {
        url: text.to_string(),
        reason: reason.to_string(),
    };
    let url = Url::parse(text.trim()).map_err(|e| bad(&e.to_string()))?;
    if url.username() != "" || url.password().is_some() {
        return Err(bad("it must not carry a user name or password"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it must not have a query or a fragment"));
    }
    match url.scheme() {
        "https" => {}
        "http" => {
            let loopback = match url.host() {
                Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
                Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
                None => false,
            };
            if !loopback {
                return Err(SyncError::InsecureUrl {
                    url: text.to_string(),
                });
            }
        }
        other => return Err(bad(&format!("the scheme must be https, not {other}"))),
    }
    if url.host().is_none() {
        return Err(bad("it has no host"));
    }
    Ok(url)
}

/// Makes a client for a generation.
pub fn connect(
    base_url: &Url,
    generation: Generation,
    token: Token,
    options: &ClientOptions,
    cancel: Option<Arc<AtomicBool>>,
) -> Result<Box<dyn UserSchemaApi>, SyncError> {
    let http = Http::new(base_url, token, options, cancel)?;
    Ok(match generation {
        Generation::V1 => Box::new(V1 {
            http,
            page_size: options.page_size.max(1),
        }),
        Generation::V2 => Box::new(V2 {
            http,
            page_size: options.page_size.clamp(1, 1000),
        }),
    })
}

/// Which generations answered a probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProbeReport {
    pub v1: bool,
    pub v2: bool,
}

impl ProbeReport {
    /// The generation to use: the newer one when both answer.
    pub fn chosen(self) -> Option<Generation> {
        if self.v2 {
            Some(Generation::V2)
        } else if self.v1 {
            Some(Generation::V1)
        } else {
            None
        }
    }
}

/// Asks each generation's list path for one schema and sees which answer anything but
/// 404/405 (a 401 or a feature-flag error still proves the path exists).
pub fn probe(
    base_url: &Url,
    token: Token,
    options: &ClientOptions,
    cancel: Option<Arc<AtomicBool>>,
) -> Result<ProbeReport, SyncError> {
    let http = Http::new(base_url, token, options, cancel)?;
    let present = |status: u16| status != 404 && status != 405 && status != 501;
    let url1 = http.url(&["v3alpha", "user_schemas", "search"], &[])?;
    let (s1, _) = http.raw(
        Method::POST,
        url1,
        Some(&json!({"query": {"offset": "0", "limit": 1}})),
    )?;
    let url2 = http.url(
        &["resources", "v3alpha", "user_schemas", "_search"],
        &[("query.limit", "1".into())],
    )?;
    let (s2, _) = http.raw(Method::POST, url2, Some(&json!({})))?;
    let report = ProbeReport {
        v1: present(s1),
        v2: present(s2),
    };
    if report.chosen().is_none() {
        return Err(SyncError::NoGeneration {
            url: base_url.to_string(),
            tried:
                "POST /v3alpha/user_schemas/search and POST /resources/v3alpha/user_schemas/_search"
                    .into(),
        });
    }
    Ok(report)
}

/// The shared transport.
struct Http {
    agent: Agent,
    base: Url,
    token: Token,
    cancel: Option<Arc<AtomicBool>>,
    timeout: Duration,
}

impl Http {
    fn new(
        base: &Url,
        token: Token,
        options: &ClientOptions,
        cancel: Option<Arc<AtomicBool>>,
    ) -> Result<Http, SyncError> {
        let base = check_url(base.as_str())?;
        let ca_file = options.ca_file.clone().or_else(|| {
            std::env::var_os(CA_FILE_ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        });
        let mut tls = TlsConfig::builder();
        if let Some(path) = ca_file {
            tls = tls.root_certs(read_roots(&path)?);
        }
        let agent: Agent = Agent::config_builder()
            .tls_config(tls.build())
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(options.timeout))
            .timeout_connect(Some(options.connect_timeout.min(options.timeout)))
            .user_agent(concat!("schemadesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(Http {
            agent,
            base,
            token,
            cancel,
            timeout: options.timeout,
        })
    }

    fn url(&self, segments: &[&str], query: &[(&str, String)]) -> Result<Url, SyncError> {
        let mut url = self.base.clone();
        {
            let mut path = url.path_segments_mut().map_err(|()| SyncError::BadUrl {
                url: self.base.to_string(),
                reason: "it cannot have a path".into(),
            })?;
            path.pop_if_empty();
            path.extend(segments);
        }
        if !query.is_empty() {
            let mut q = url.query_pairs_mut();
            for (k, v) in query {
                q.append_pair(k, v);
            }
        }
        Ok(url)
    }

    fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// Sends a request and returns the status and body text. The call runs on its own
    /// thread so that a cancel takes effect at once; an abandoned call ends by its timeout.
    fn raw(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
    ) -> Result<(u16, String), SyncError> {
        if self.cancelled() {
            return Err(SyncError::Cancelled);
        }
        tracing::debug!(%method, %url, "request");
        let builder = Request::builder()
            .method(method)
            .uri(url.as_str())
            .header("Authorization", format!("Bearer {}", self.token.secret()))
            .header("Accept", "application/json");
        let agent = self.agent.clone();
        let body_text = body.map(Value::to_string);
        let request = match body_text {
            Some(text) => builder
                .header("Content-Type", "application/json")
                .body(text)
                .map(Payload::Json),
            None => builder.body(()).map(Payload::Empty),
        }
        .map_err(|e| SyncError::BadUrl {
            url: url.to_string(),
            reason: self.redact(&e.to_string()),
        })?;
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("schemadesk-http".into())
            .spawn(move || {
                let result = request.send(&agent);
                let _ = tx.send(result);
            })
            .map_err(|e| SyncError::Connect(format!("cannot start a thread: {e}")))?;
        let result = loop {
            match rx.recv_timeout(Duration::from_millis(50)) {
                Ok(result) => break result,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if self.cancelled() {
                        return Err(SyncError::Cancelled);
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(SyncError::ConnectionLost(
                        "the request thread ended without an answer".into(),
                    ));
                }
            }
        };
        result.map_err(|e| self.map_transport(e))
    }

    /// Sends a request; a success gives the JSON body, anything else a mapped error.
    fn call(&self, method: Method, url: Url, body: Option<&Value>) -> Result<Value, SyncError> {
        let (status, text) = self.raw(method, url, body)?;
        read_response(status, &text, &|t| self.redact(t))
    }

    fn redact(&self, text: &str) -> String {
        let secret = self.token.secret();
        if secret.is_empty() {
            text.to_string()
        } else {
            text.replace(secret, "***")
        }
    }

    fn map_transport(&self, e: ureq::Error) -> SyncError {
        use std::io::ErrorKind;
        match e {
            ureq::Error::Timeout(_) => SyncError::Timeout(self.timeout.as_secs().max(1)),
            ureq::Error::HostNotFound => SyncError::Connect("the host name is unknown".into()),
            ureq::Error::ConnectionFailed => SyncError::Connect("the connection failed".into()),
            ureq::Error::Io(io) => match io.kind() {
                ErrorKind::TimedOut | ErrorKind::WouldBlock => {
                    SyncError::Timeout(self.timeout.as_secs().max(1))
                }
                ErrorKind::ConnectionRefused
                | ErrorKind::AddrNotAvailable
                | ErrorKind::NetworkUnreachable
                | ErrorKind::HostUnreachable
                | ErrorKind::NetworkDown => SyncError::Connect(self.redact(&io.to_string())),
                // rustls reports handshake and certificate failures as invalid data.
                ErrorKind::InvalidData if self.base.scheme() == "https" => {
                    SyncError::Tls(self.redact(&io.to_string()))
                }
                _ => SyncError::ConnectionLost(self.redact(&io.to_string())),
            },
            ureq::Error::Protocol(p) => SyncError::ConnectionLost(self.redact(&p.to_string())),
            ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => {
                SyncError::Tls(self.redact(&e.to_string()))
            }
            other => SyncError::BadResponse {
                status: 0,
                detail: self.redact(&other.to_string()),
            },
        }
    }
}

/// Reads the CA certificates of a PEM file.
fn read_roots(path: &Path) -> Result<RootCerts, SyncError> {
    let bad = |reason: String| SyncError::CaFile {
        path: path.to_path_buf(),
        reason,
    };
    let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        match item {
            Ok(PemItem::Certificate(c)) => certs.push(c),
            Ok(_) => {}
            Err(e) => return Err(bad(e.to_string())),
        }
    }
    if certs.is_empty() {
        return Err(bad("it holds no PEM certificate".into()));
    }
    Ok(RootCerts::new_with_certs(&certs))
}

enum Payload {
    Json(Request<String>),
    Empty(Request<()>),
}

impl Payload {
    fn send(self, agent: &Agent) -> Result<(u16, String), ureq::Error> {
        let mut response = match self {
            Payload::Json(r) => agent.run(r)?,
            Payload::Empty(r) => agent.run(r)?,
        };
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(32 * 1024 * 1024)
            .read_to_string()?;
        Ok((status, text))
    }
}

/// Reads an answer as the client does: a success (2xx) gives its JSON body (an empty body
/// reads as `{}`), anything else the mapped [`SyncError`]. Never panics on any input.
pub fn parse_response(status: u16, text: &str) -> Result<Value, SyncError> {
    read_response(status, text, &str::to_string)
}

/// Reads the answer of a create: the new schema's id and the details.
pub fn parse_created(generation: Generation, v: &Value) -> Result<Created, SyncError> {
    let details = Details::from_value(v.get("details"));
    let top_id = || v.get("id").and_then(Value::as_str).map(str::to_string);
    let id = match generation {
        Generation::V1 => top_id().or_else(|| details.id.clone()),
        Generation::V2 => details.id.clone().or_else(top_id),
    };
    let id = id.ok_or_else(|| {
        missing(match generation {
            Generation::V1 => "id",
            Generation::V2 => "details.id",
        })
    })?;
    Ok(Created { id, details })
}

/// Reads the answer of a get: the schema the server holds.
pub fn parse_schema(generation: Generation, v: &Value) -> Result<RemoteSchema, SyncError> {
    match generation {
        Generation::V1 => v
            .get("schema")
            .and_then(RemoteSchema::from_v1)
            .ok_or_else(|| missing("schema")),
        Generation::V2 => v
            .get("userSchema")
            .and_then(RemoteSchema::from_v2)
            .ok_or_else(|| missing("userSchema")),
    }
}

/// Reads one page of a list (search) answer.
pub fn parse_page(generation: Generation, v: &Value) -> Result<Page, SyncError> {
    match generation {
        Generation::V1 => read_page(v, RemoteSchema::from_v1),
        Generation::V2 => read_page(v, RemoteSchema::from_v2),
    }
}

fn read_response(
    status: u16,
    text: &str,
    redact: &dyn Fn(&str) -> String,
) -> Result<Value, SyncError> {
    if (200..300).contains(&status) {
        if text.trim().is_empty() {
            return Ok(Value::Object(Default::default()));
        }
        return serde_json::from_str::<Value>(text).map_err(|_| SyncError::BadResponse {
            status,
            detail: format!("the body is not JSON: {}", snippet(text, redact)),
        });
    }
    Err(error_from(status, text, redact))
}

fn error_from(status: u16, text: &str, redact: &dyn Fn(&str) -> String) -> SyncError {
    let mut api = ApiStatus {
        http: status,
        ..ApiStatus::default()
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => {
            api.code = m.get("code").and_then(|c| match c {
                Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
                Value::String(s) => s.parse().ok(),
                _ => None,
            });
            let detail = m
                .get("details")
                .and_then(Value::as_array)
                .and_then(|d| d.iter().find_map(|d| d.get("id").and_then(Value::as_str)));
            api.id = detail.map(str::to_string);
            let message = m.get("message").and_then(Value::as_str).unwrap_or_default();
            api.message = redact(message.trim());
        }
        _ => {
            if (300..400).contains(&status) {
                api.message =
                    "the server answered with a redirect; use the final address".to_string();
            } else if !text.trim().is_empty() {
                api.message = format!("a non-JSON answer: {}", snippet(text, redact));
            }
        }
    }
    SyncError::from_status(api)
}

fn snippet(text: &str, redact: &dyn Fn(&str) -> String) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = flat.chars().take(120).collect();
    let cut = if cut.len() < flat.len() {
        format!("{cut}…")
    } else {
        cut
    };
    redact(&cut)
}

fn check_id(id: &str) -> Result<(), SyncError> {
    let n = id.chars().count();
    if n == 0 || n > 200 {
        return Err(SyncError::BadResponse {
            status: 0,
            detail: format!("a schema id must have 1 to 200 characters, not {n}"),
        });
    }
    Ok(())
}

fn missing(what: &str) -> SyncError {
    SyncError::BadResponse {
        status: 200,
        detail: format!("the answer has no {what}"),
    }
}

/// Generation 1: `/v3alpha/user_schemas`.
struct V1 {
    http: Http,
    page_size: u32,
}

const V1_PATH: [&str; 2] = ["v3alpha", "user_schemas"];

impl V1 {
    fn path(&self, rest: &[&str]) -> Result<Url, SyncError> {
        let mut segments: Vec<&str> = V1_PATH.to_vec();
        segments.extend_from_slice(rest);
        self.http.url(&segments, &[])
    }
}

impl UserSchemaApi for V1 {
    fn generation(&self) -> Generation {
        Generation::V1
    }

    fn base_url(&self) -> &Url {
        &self.http.base
    }

    fn page_size(&self) -> u32 {
        self.page_size
    }

    fn create(&self, draft: &UserSchemaDraft) -> Result<Created, SyncError> {
        let v = self
            .http
            .call(Method::POST, self.path(&[])?, Some(&draft.request_body()))?;
        parse_created(Generation::V1, &v)
    }

    fn update(&self, id: &str, draft: &UserSchemaDraft) -> Result<Details, SyncError> {
        check_id(id)?;
        let v = self
            .http
            .call(Method::PUT, self.path(&[id])?, Some(&draft.request_body()))?;
        Ok(Details::from_value(v.get("details")))
    }

    fn get(&self, id: &str) -> Result<RemoteSchema, SyncError> {
        check_id(id)?;
        let v = self.http.call(Method::GET, self.path(&[id])?, None)?;
        parse_schema(Generation::V1, &v)
    }

    fn list_page(&self, offset: u64, limit: u32) -> Result<Page, SyncError> {
        let body = json!({"query": {"offset": offset.to_string(), "limit": limit, "asc": true}});
        let v = self
            .http
            .call(Method::POST, self.path(&["search"])?, Some(&body))?;
        parse_page(Generation::V1, &v)
    }

    fn change_state(&self, id: &str, action: StateAction) -> Result<Details, SyncError> {
        check_id(id)?;
        let v = match action {
            StateAction::Deactivate => self.http.call(
                Method::POST,
                self.path(&[id, "deactivate"])?,
                Some(&json!({})),
            )?,
            StateAction::Reactivate => self.http.call(
                Method::POST,
                self.path(&[id, "reactivate"])?,
                Some(&json!({})),
            )?,
            StateAction::Delete => self.http.call(Method::DELETE, self.path(&[id])?, None)?,
        };
        Ok(Details::from_value(v.get("details")))
    }
}

/// Generation 2: `/resources/v3alpha/user_schemas`.
struct V2 {
    http: Http,
    page_size: u32,
}

const V2_PATH: [&str; 3] = ["resources", "v3alpha", "user_schemas"];

impl V2 {
    fn path(&self, rest: &[&str], query: &[(&str, String)]) -> Result<Url, SyncError> {
        let mut segments: Vec<&str> = V2_PATH.to_vec();
        segments.extend_from_slice(rest);
        self.http.url(&segments, query)
    }
}

impl UserSchemaApi for V2 {
    fn generation(&self) -> Generation {
        Generation::V2
    }

    fn base_url(&self) -> &Url {
        &self.http.base
    }

    fn page_size(&self) -> u32 {
        self.page_size
    }

    fn create(&self, draft: &UserSchemaDraft) -> Result<Created, SyncError> {
        let v = self.http.call(
            Method::POST,
            self.path(&[], &[])?,
            Some(&draft.request_body()),
        )?;
        parse_created(Generation::V2, &v)
    }

    fn update(&self, id: &str, draft: &UserSchemaDraft) -> Result<Details, SyncError> {
        check_id(id)?;
        let v = self.http.call(
            Method::PATCH,
            self.path(&[id], &[])?,
            Some(&draft.request_body()),
        )?;
        Ok(Details::from_value(v.get("details")))
    }

    fn get(&self, id: &str) -> Result<RemoteSchema, SyncError> {
        check_id(id)?;
        let v = self.http.call(Method::GET, self.path(&[id], &[])?, None)?;
        parse_schema(Generation::V2, &v)
    }

    fn list_page(&self, offset: u64, limit: u32) -> Result<Page, SyncError> {
        let url = self.path(
            &["_search"],
            &[
                ("query.offset", offset.to_string()),
                ("query.limit", limit.clamp(1, 1000).to_string()),
                ("query.desc", "false".into()),
            ],
        )?;
        let v = self.http.call(Method::POST, url, Some(&json!({})))?;
        parse_page(Generation::V2, &v)
    }

    fn change_state(&self, id: &str, action: StateAction) -> Result<Details, SyncError> {
        check_id(id)?;
        let v = match action {
            StateAction::Deactivate => self.http.call(
                Method::POST,
                self.path(&[id, "_deactivate"], &[])?,
                Some(&json!({})),
            )?,
            StateAction::Reactivate => self.http.call(
                Method::POST,
                self.path(&[id, "_reactivate"], &[])?,
                Some(&json!({})),
            )?,
            StateAction::Delete => self
                .http
                .call(Method::DELETE, self.path(&[id], &[])?, None)?,
        };
        Ok(Details::from_value(v.get("details")))
    }
}

fn read_page(v: &Value, read: fn(&Value) -> Option<RemoteSchema>) -> Result<Page, SyncError> {
    let total = v
        .get("details")
        .and_then(|d| super::model::int_text(d.get("totalResult")))
        .and_then(|t| t.parse::<u64>().ok());
    let items = match v.get("result") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| read(item).ok_or_else(|| missing("id on a listed schema")))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(missing("result list")),
    };
    Ok(Page { items, total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_may_use_http() {
        for ok in [
            "https://id.example.com",
            "http://localhost:8080",
            "http://127.0.0.1:1",
            "http://127.8.9.10",
            "http://[::1]:80",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://id.example.com",
            "http://10.0.0.1",
            "http://[::2]",
            "http://localhost.evil.com",
        ] {
            assert!(
                matches!(check_url(bad), Err(SyncError::InsecureUrl { .. })),
                "{bad}"
            );
        }
        assert!(matches!(
            check_url("ftp://x"),
            Err(SyncError::BadUrl { .. })
        ));
        assert!(matches!(
            check_url("https://u:p@x"),
            Err(SyncError::BadUrl { .. })
        ));
    }
}
