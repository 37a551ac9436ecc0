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

use super::error::{ApiStatus, Operation, SyncError};
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

/// The largest CA file read: a bundle of every public root is about 250 KiB.
const MAX_CA_FILE_BYTES: u64 = 1024 * 1024;

/// The longest timeout a call may be given (a longer one is cut to this).
pub const MAX_TIMEOUT: Duration = Duration::from_secs(3600);

/// The most schemas a list follows pages for: a server claiming more is not believed.
pub const MAX_LISTED: usize = 10_000;

/// The longest server message kept in an error, in characters.
pub const MAX_MESSAGE_CHARS: usize = 300;

/// The longest id a server may give (the contract's path rule).
const MAX_ID_CHARS: usize = 200;

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

    /// The past participle, for "deactivated \"employee\" on prod".
    pub fn past(self) -> &'static str {
        match self {
            StateAction::Deactivate => "deactivated",
            StateAction::Reactivate => "reactivated",
            StateAction::Delete => "deleted",
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
    ///
    /// Bounded whatever the server says: an empty or short page ends the list, so does
    /// reaching its `totalResult`, and more than [`MAX_LISTED`] schemas is an error.
    fn list_all(
        &self,
        progress: &mut dyn FnMut(usize, Option<u64>),
    ) -> Result<Vec<RemoteSchema>, SyncError> {
        let limit = self.page_size().max(1);
        let mut all: Vec<RemoteSchema> = Vec::new();
        let mut offset = 0u64;
        loop {
            let page = self.list_page(offset, limit)?;
            let n = page.items.len();
            all.extend(page.items);
            if all.len() > MAX_LISTED {
                return Err(SyncError::TooMany {
                    limit: MAX_LISTED,
                    claimed: page
                        .total
                        .map_or_else(|| format!("at least {}", all.len()), |t| t.to_string()),
                });
            }
            progress(all.len(), page.total);
            offset = offset.saturating_add(n as u64);
            // A zero total is omitted like any zero value, so only a total that is there ends the list.
            let reached_total = page.total.is_some_and(|t| t > 0 && offset >= t);
            if n == 0 || n < limit as usize || reached_total {
                return Ok(all);
            }
        }
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
            page_size: options.page_size.clamp(1, 1000),
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
    // Each generation's own list request for one schema, shaped as its HTTP rule wants.
    let url1 = http.url(&["v3alpha", "user_schemas", "search"], &[])?;
    let (s1, _) = http.raw(Method::POST, url1, Some(&v1_list_body(0, 1)))?;
    let url2 = http.url(
        &["resources", "v3alpha", "user_schemas", "_search"],
        &v2_list_query(0, 1),
    )?;
    let (s2, _) = http.raw(Method::POST, url2, Some(&json!([])))?;
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
        token.check_sendable()?;
        let timeout = options.timeout.clamp(Duration::from_millis(1), MAX_TIMEOUT);
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
            .timeout_global(Some(timeout))
            .timeout_connect(Some(options.connect_timeout.min(timeout)))
            .user_agent(concat!("schemadesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(Http {
            agent,
            base,
            token,
            cancel,
            timeout,
        })
    }

    /// The base URL with these path segments (each percent-encoded by `url`; ids are checked
    /// with [`check_id`] before they get here, so no segment is `.` or `..`) and query.
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
        // A POST whose rule has no body says so with `Content-Length: 0` (not an empty chunked body).
        let needs_length = matches!(method, Method::POST | Method::PUT | Method::PATCH);
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
            None if needs_length => builder.body(String::new()).map(Payload::Json),
            None => builder.body(()).map(Payload::Empty),
        }
        .map_err(|e| SyncError::BadUrl {
            url: url.to_string(),
            reason: self.clean(&e.to_string()),
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

    /// Sends a request; a success gives the JSON body, anything else an error worded for `op`.
    fn call(
        &self,
        op: Operation,
        method: Method,
        url: Url,
        body: Option<&Value>,
    ) -> Result<Value, SyncError> {
        let (status, text) = self.raw(method, url, body)?;
        read_response(op, status, &text, &|t| self.redact(t))
    }

    fn redact(&self, text: &str) -> String {
        let secret = self.token.secret();
        if secret.is_empty() {
            text.to_string()
        } else {
            text.replace(secret, "***")
        }
    }

    /// A text for an error: redacted as a whole, then cleaned and cut.
    fn clean(&self, text: &str) -> String {
        clean_message(text, &|t| self.redact(t))
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
                | ErrorKind::NetworkDown => SyncError::Connect(self.clean(&io.to_string())),
                // rustls reports handshake and certificate failures as invalid data.
                ErrorKind::InvalidData if self.base.scheme() == "https" => {
                    SyncError::Tls(self.clean(&io.to_string()))
                }
                _ => SyncError::ConnectionLost(self.clean(&io.to_string())),
            },
            ureq::Error::Protocol(p) => SyncError::ConnectionLost(self.clean(&p.to_string())),
            ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => {
                SyncError::Tls(self.clean(&e.to_string()))
            }
            other => SyncError::BadResponse {
                status: 0,
                detail: self.clean(&other.to_string()),
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
    if crate::files::is_stdio(path) {
        return Err(bad("standard input cannot hold the CA file".into()));
    }
    // Bounded, and only a regular file: a stray `/dev/zero` must not fill memory.
    let pem =
        crate::files::read_bounded(path, MAX_CA_FILE_BYTES).map_err(|e| bad(e.to_string()))?;
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(pem.as_bytes()) {
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
    read_response(Operation::Request, status, text, &str::to_string)
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
    check_id(&id).map_err(|e| SyncError::BadResponse {
        status: 200,
        detail: format!("the create was answered with an id that cannot be used: {e}"),
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
    op: Operation,
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
            detail: format!("the body is not JSON: {}", clean_message(text, redact)),
        });
    }
    Err(error_from(op, status, text, redact))
}

fn error_from(
    op: Operation,
    status: u16,
    text: &str,
    redact: &dyn Fn(&str) -> String,
) -> SyncError {
    let mut api = ApiStatus {
        op,
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
            api.id = detail.filter(|id| is_error_id(id)).map(str::to_string);
            let message = m.get("message").and_then(Value::as_str).unwrap_or_default();
            api.message = clean_message(message, redact);
        }
        _ => {
            if (300..400).contains(&status) {
                api.message =
                    "the server answered with a redirect; use the final address".to_string();
            } else if !text.trim().is_empty() {
                api.message = format!("a non-JSON answer: {}", clean_message(text, redact));
            }
        }
    }
    SyncError::from_status(api)
}

/// An error id as ZITADEL writes them (`COMMA-W21tg`, `V3-DKcYh`): short, letters, digits, `-._`.
fn is_error_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A server's text made fit for an error message: the token is redacted from the whole
/// text first (so no cut can leave part of it), then control characters become spaces,
/// runs of white space one space, and the result is cut to [`MAX_MESSAGE_CHARS`].
pub fn clean_message(text: &str, redact: &dyn Fn(&str) -> String) -> String {
    let redacted = redact(text);
    // Invisible format characters (zero-width, bidi overrides) are dropped like control ones.
    let hidden = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
    };
    let flat = redacted
        .split(hidden)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if flat.chars().count() <= MAX_MESSAGE_CHARS {
        flat
    } else {
        let cut: String = flat.chars().take(MAX_MESSAGE_CHARS).collect();
        format!("{cut}…")
    }
}

/// Checks an id from a server before it goes into a URL: 1 to 200 characters from ZITADEL's
/// id alphabet (ASCII letters, digits, `-`, `_`), so never empty, `.`, `..` or a path.
pub fn check_id(id: &str) -> Result<(), SyncError> {
    let shown = || {
        let cut: String = id.chars().take(40).collect();
        let cut = if cut.len() < id.len() {
            format!("{cut}…")
        } else {
            cut
        };
        format!("{cut:?}")
    };
    let bad = |reason: String| SyncError::BadId {
        id: shown(),
        reason,
    };
    let n = id.chars().count();
    if n == 0 {
        return Err(bad("it is empty".into()));
    }
    if n > MAX_ID_CHARS {
        return Err(bad(format!(
            "it has {n} characters; at most {MAX_ID_CHARS} are allowed"
        )));
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(bad(format!(
            "{c:?} is not one of the characters of a ZITADEL id (letters, digits, - and _)"
        )));
    }
    Ok(())
}

/// Generation 1's list body (`body: "*"`): the whole `ListUserSchemasRequest`, the offset an
/// int64 as a string, the limit a number, in ascending order by id on every page.
fn v1_list_body(offset: u64, limit: u32) -> Value {
    json!({"query": {"offset": offset.to_string(), "limit": limit, "asc": true}})
}

/// Generation 2's paging and sorting go in the query string; its body is the filter array.
fn v2_list_query(offset: u64, limit: u32) -> Vec<(&'static str, String)> {
    vec![
        ("query.offset", offset.to_string()),
        ("query.limit", limit.clamp(1, 1000).to_string()),
        ("query.desc", "false".into()),
    ]
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
        // body: "*": the object is the whole CreateUserSchemaRequest.
        let v = self.http.call(
            Operation::Create,
            Method::POST,
            self.path(&[])?,
            Some(&draft.request_body()),
        )?;
        parse_created(Generation::V1, &v)
    }

    fn update(&self, id: &str, draft: &UserSchemaDraft) -> Result<Details, SyncError> {
        check_id(id)?;
        let v = self.http.call(
            Operation::Update,
            Method::PUT,
            self.path(&[id])?,
            Some(&draft.request_body()),
        )?;
        Ok(Details::from_value(v.get("details")))
    }

    fn get(&self, id: &str) -> Result<RemoteSchema, SyncError> {
        check_id(id)?;
        let v = self
            .http
            .call(Operation::Get, Method::GET, self.path(&[id])?, None)?;
        parse_schema(Generation::V1, &v)
    }

    fn list_page(&self, offset: u64, limit: u32) -> Result<Page, SyncError> {
        let v = self.http.call(
            Operation::List,
            Method::POST,
            self.path(&["search"])?,
            Some(&v1_list_body(offset, limit)),
        )?;
        parse_page(Generation::V1, &v)
    }

    fn change_state(&self, id: &str, action: StateAction) -> Result<Details, SyncError> {
        check_id(id)?;
        // No body: these rules have none.
        let (op, method, url) = match action {
            StateAction::Deactivate => (
                Operation::Deactivate,
                Method::POST,
                self.path(&[id, "deactivate"])?,
            ),
            StateAction::Reactivate => (
                Operation::Reactivate,
                Method::POST,
                self.path(&[id, "reactivate"])?,
            ),
            StateAction::Delete => (Operation::Delete, Method::DELETE, self.path(&[id])?),
        };
        let v = self.http.call(op, method, url, None)?;
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
        // body: "user_schema": the object is that one field, not wrapped.
        let v = self.http.call(
            Operation::Create,
            Method::POST,
            self.path(&[], &[])?,
            Some(&draft.request_body()),
        )?;
        parse_created(Generation::V2, &v)
    }

    fn update(&self, id: &str, draft: &UserSchemaDraft) -> Result<Details, SyncError> {
        check_id(id)?;
        let v = self.http.call(
            Operation::Update,
            Method::PATCH,
            self.path(&[id], &[])?,
            Some(&draft.request_body()),
        )?;
        Ok(Details::from_value(v.get("details")))
    }

    fn get(&self, id: &str) -> Result<RemoteSchema, SyncError> {
        check_id(id)?;
        let v = self
            .http
            .call(Operation::Get, Method::GET, self.path(&[id], &[])?, None)?;
        parse_schema(Generation::V2, &v)
    }

    fn list_page(&self, offset: u64, limit: u32) -> Result<Page, SyncError> {
        // body: "filters": the JSON is that repeated field, a bare array; no filter here.
        let url = self.path(&["_search"], &v2_list_query(offset, limit))?;
        let v = self
            .http
            .call(Operation::List, Method::POST, url, Some(&json!([])))?;
        parse_page(Generation::V2, &v)
    }

    fn change_state(&self, id: &str, action: StateAction) -> Result<Details, SyncError> {
        check_id(id)?;
        // No body: these rules have none.
        let (op, method, url) = match action {
            StateAction::Deactivate => (
                Operation::Deactivate,
                Method::POST,
                self.path(&[id, "_deactivate"], &[])?,
            ),
            StateAction::Reactivate => (
                Operation::Reactivate,
                Method::POST,
                self.path(&[id, "_reactivate"], &[])?,
            ),
            StateAction::Delete => (Operation::Delete, Method::DELETE, self.path(&[id], &[])?),
        };
        let v = self.http.call(op, method, url, None)?;
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

    /// A small deterministic generator (xorshift64*), so the rules below are checked on many
    /// generated inputs without another dependency. `SCHEMADESK_CASES` asks for more cases.
    struct Cases(u64);

    impl Cases {
        fn count() -> usize {
            std::env::var("SCHEMADESK_CASES")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(256)
        }

        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        fn text(&mut self, alphabet: &[char], max: usize) -> String {
            let n = self.below(max + 1);
            (0..n)
                .map(|_| alphabet[self.below(alphabet.len())])
                .collect()
        }
    }

    #[test]
    fn a_message_never_keeps_the_token_a_control_character_or_its_length() {
        // The text around the token never holds an upper-case letter or a digit, so any run of
        // them in the output could only come from the token.
        let around: Vec<char> =
            "abcxyz .,:;<>/\"{}*\n\r\t\u{1b}\u{7}\u{0}\u{7f}\u{85}é€\u{202e}\u{200b}\u{feff}"
                .chars()
                .collect();
        let token_chars: Vec<char> = ('A'..='Z').chain('0'..='9').collect();
        let mut g = Cases(0x5eed_cafe_f00d_0001);
        for case in 0..Cases::count() {
            let mut token = g.text(&token_chars, 120);
            token.push_str("TOKEN");
            let mut text = g.text(&around, 400);
            for _ in 0..=g.below(3) {
                text.push_str(&token);
                text.push_str(&g.text(&around, 400));
            }
            let secret = token.clone();
            let out = clean_message(&text, &|t| t.replace(&secret, "***"));
            for window in token.as_bytes().windows(6) {
                let part = std::str::from_utf8(window).unwrap_or_default();
                assert!(!out.contains(part), "case {case}: {part} in {out:?}");
            }
            assert!(
                !out.chars()
                    .any(|c| c.is_control() || matches!(c, '\u{200b}' | '\u{202e}' | '\u{feff}')),
                "case {case}: {out:?}"
            );
            assert!(out.chars().count() <= MAX_MESSAGE_CHARS + 1, "case {case}");
            assert_eq!(out.trim(), out, "case {case}");
        }
    }

    #[test]
    fn an_id_passes_exactly_when_it_has_1_to_200_id_characters() {
        let allowed: Vec<char> = ('a'..='z')
            .chain('A'..='Z')
            .chain('0'..='9')
            .chain(['-', '_'])
            .collect();
        let mut mixed = allowed.clone();
        mixed.extend(['.', '/', '%', '?', '#', ' ', '\\', 'é', '\n', '\u{0}']);
        let mut g = Cases(0x1d5_0000_0000_0007);
        for case in 0..Cases::count() {
            let alphabet = if g.below(2) == 0 { &allowed } else { &mixed };
            let id = g.text(alphabet, 210);
            let fits =
                (1..=200).contains(&id.chars().count()) && id.chars().all(|c| allowed.contains(&c));
            assert_eq!(check_id(&id).is_ok(), fits, "case {case}: {id:?}");
        }
        for bad in ["", ".", "..", "a/b", "%2e%2e", "../x"] {
            assert!(check_id(bad).is_err(), "{bad:?}");
        }
        assert!(check_id(&"9".repeat(200)).is_ok());
    }

    /// A server that answers list pages as generated: any claimed total, any page length.
    struct Pages {
        total: Option<u64>,
        per_page: usize,
        calls: std::cell::Cell<usize>,
    }

    impl UserSchemaApi for Pages {
        fn generation(&self) -> Generation {
            Generation::V2
        }
        fn base_url(&self) -> &Url {
            unreachable!("not used by list_all")
        }
        fn page_size(&self) -> u32 {
            100
        }
        fn create(&self, _: &UserSchemaDraft) -> Result<Created, SyncError> {
            Err(SyncError::Cancelled)
        }
        fn update(&self, _: &str, _: &UserSchemaDraft) -> Result<Details, SyncError> {
            Err(SyncError::Cancelled)
        }
        fn get(&self, _: &str) -> Result<RemoteSchema, SyncError> {
            Err(SyncError::Cancelled)
        }
        fn change_state(&self, _: &str, _: StateAction) -> Result<Details, SyncError> {
            Err(SyncError::Cancelled)
        }
        fn list_page(&self, offset: u64, limit: u32) -> Result<Page, SyncError> {
            self.calls.set(self.calls.get() + 1);
            assert!(self.calls.get() < 1000, "the client pages for ever");
            let n = self.per_page.min(limit as usize) as u64;
            let items = (offset..offset + n)
                .map(|i| {
                    RemoteSchema::from_v2(&json!({"details": {"id": format!("id{i}")}}))
                        .unwrap_or_else(|| unreachable!())
                })
                .collect();
            Ok(Page {
                items,
                total: self.total,
            })
        }
    }

    #[test]
    fn paging_ends_whatever_totals_and_page_lengths_a_server_sends() {
        let mut g = Cases(0x9a9e_0000_0000_0003);
        for case in 0..Cases::count() {
            let total = match g.below(4) {
                0 => None,
                1 => Some(0),
                2 => Some(g.next() % 500),
                _ => Some(g.next()),
            };
            let per_page = match g.below(3) {
                0 => 100,
                1 => g.below(101),
                _ => 1 + g.below(99),
            };
            let api = Pages {
                total,
                per_page,
                calls: std::cell::Cell::new(0),
            };
            match api.list_all(&mut |_, _| {}) {
                Ok(all) => {
                    assert!(all.len() <= MAX_LISTED, "case {case}");
                    // A short page always ends the list.
                    if per_page < 100 {
                        assert_eq!(api.calls.get(), 1, "case {case}: {per_page} per page");
                    }
                }
                Err(e) => {
                    assert!(matches!(e, SyncError::TooMany { .. }), "case {case}: {e}");
                    assert_eq!(per_page, 100, "case {case}");
                }
            }
            assert!(api.calls.get() <= MAX_LISTED / 100 + 2, "case {case}");
        }
    }
}
