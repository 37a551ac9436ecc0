//! A test ZITADEL server for user schemas, both API generations, following
//! ../shared/zitadel-user-schema-api.md: paths, camelCase, int64s as strings, omitted zero
//! values, 201 on create, the revision and state rules, the error bodies and codes, the
//! bearer-token check, filters, sorting and pagination — plus fault injection (delays, 5xx,
//! cut connections, non-JSON bodies, canned answers, lists that claim too much). It
//! listens on 127.0.0.1, port 0, one thread per connection, and answers each request with
//! `Connection: close`.
//!
//! The transport is written here rather than on `tiny_http` (which the nextgen double uses):
//! the faults `CloseMidResponse` and `ApplyThenClose` must cut the connection halfway through
//! an answer, and tiny_http keeps a kept-alive connection open (it owns the socket and closes
//! only when the client asked for `Connection: close`, which ureq does not), so the client
//! would see a timeout instead of the broken connection these faults stand for.
//!
//! In front of the handlers sits a gateway as strict as ZITADEL's ([`gateway`]): each route
//! decodes its body as its HTTP rule says into typed requests, and a wrong shape is a 400
//! with code 3 before any handler runs. Every request is recorded with what the gateway
//! made of it, so tests can assert that the client sends nothing a real server refuses.

#![allow(dead_code)]

use std::collections::{BTreeMap, VecDeque};
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{Map, Value, json};

pub mod gateway;

use gateway::{Call, Filter, Gen, ListRequest, Refusal, SchemaFields};

pub const TOKEN: &str = "test-token-s3cr3t-9f8e7d";
/// A valid token of an ORG_OWNER: the server refuses it with code 7.
pub const ORG_OWNER_TOKEN: &str = "org-owner-token-4a5b6c";

/// What to do with the next request instead of (or besides) answering it properly.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Answer with this status and body, without touching the state.
    Reply(u16, String),
    /// Send the headers and part of the body, then close the connection (state untouched).
    CloseMidResponse,
    /// Apply the request, then close the connection mid-answer (the answer is lost).
    ApplyThenClose,
    /// 200 with an HTML body.
    NonJson,
}

#[derive(Debug, Clone)]
pub struct StoredSchema {
    pub id: String,
    pub type_name: String,
    /// 1 active, 2 inactive.
    pub state: u8,
    pub revision: u32,
    pub schema: Value,
    pub authenticators: Vec<String>,
    pub sequence: u64,
    pub created: String,
    pub changed: String,
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: String,
    pub body: String,
    /// The RPC the gateway decoded the request into (`None`: not routed, refused or faulted).
    pub rpc: Option<&'static str>,
    /// Why the gateway refused the request (400, code 3), if it did.
    pub refused: Option<String>,
    /// Whether a handler ran (the request passed the gateway and the auth checks).
    pub handled: bool,
    /// The status answered (0 for a cut connection).
    pub status: u16,
}

/// A list that claims more than it has: every search answers with made-up schemas and this
/// `totalResult`, for testing that a client's paging is bounded.
#[derive(Debug, Clone, Copy)]
pub struct ListClaim {
    /// The `totalResult` claimed on every page.
    pub total: u64,
    /// Schemas per answer (`None`: as many as the limit asks).
    pub per_page: Option<usize>,
    /// After this many searches the answer is empty: the test's own stop for a client that
    /// never stops.
    pub give_up_after: usize,
}

#[derive(Debug)]
pub struct State {
    pub v1: bool,
    pub v2: bool,
    pub feature_enabled: bool,
    /// Send AUTHENTICATION_KEY under its older name PUBLIC_KEY.
    pub legacy_public_key: bool,
    pub schemas: BTreeMap<String, StoredSchema>,
    pub next_id: u64,
    pub sequence: u64,
    pub faults: VecDeque<Fault>,
    pub requests: Vec<Recorded>,
    /// Answer searches with made-up pages (see [`ListClaim`]).
    pub list_claim: Option<ListClaim>,
}

pub struct TestServer {
    pub addr: SocketAddr,
    pub url: String,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

impl TestServer {
    /// A server answering both generations.
    pub fn start() -> TestServer {
        Self::with_generations(true, true)
    }

    pub fn with_generations(v1: bool, v2: bool) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(Mutex::new(State {
            v1,
            v2,
            feature_enabled: true,
            legacy_public_key: false,
            schemas: BTreeMap::new(),
            next_id: 1,
            sequence: 100,
            faults: VecDeque::new(),
            requests: Vec::new(),
            list_claim: None,
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (state.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if sp.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let st = st.clone();
                std::thread::spawn(move || handle(conn, &st));
            }
        });
        TestServer {
            addr,
            url: format!("http://{addr}"),
            state,
            stop,
        }
    }

    pub fn state(&self) -> MutexGuard<'_, State> {
        match self.state.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    pub fn push_fault(&self, fault: Fault) {
        self.state().faults.push_back(fault);
    }

    /// Requests received so far with this method and a path containing `needle`.
    pub fn count(&self, method: &str, needle: &str) -> usize {
        self.state()
            .requests
            .iter()
            .filter(|r| r.method == method && r.path.contains(needle))
            .count()
    }

    /// Another administrator changes a schema on the server (a schema change: revision + 1).
    pub fn edit_remote(&self, id: &str, schema: Value) {
        let mut st = self.state();
        st.sequence += 1;
        let seq = st.sequence;
        let s = st.schemas.get_mut(id).expect("schema on the test server");
        if s.schema != schema {
            s.schema = schema;
            s.revision += 1;
        }
        s.sequence = seq;
        s.changed = stamp(seq);
    }

    /// Adds a schema directly (as if another administrator created it).
    pub fn seed(&self, type_name: &str, schema: Value, authenticators: &[&str]) -> String {
        let mut st = self.state();
        let id = st.new_id();
        st.sequence += 1;
        let seq = st.sequence;
        st.schemas.insert(
            id.clone(),
            StoredSchema {
                id: id.clone(),
                type_name: type_name.to_string(),
                state: 1,
                revision: 1,
                schema,
                authenticators: authenticators.iter().map(|a| a.to_string()).collect(),
                sequence: seq,
                created: stamp(seq),
                changed: stamp(seq),
            },
        );
        id
    }

    /// Requests the gateway refused (400, code 3), as "METHOD path?query body: why".
    pub fn refused(&self) -> Vec<String> {
        self.state()
            .requests
            .iter()
            .filter_map(|r| {
                r.refused
                    .as_ref()
                    .map(|why| format!("{} {}?{} {}: {why}", r.method, r.path, r.query, r.body))
            })
            .collect()
    }

    pub fn schema(&self, id: &str) -> Option<StoredSchema> {
        self.state().schemas.get(id).cloned()
    }

    pub fn by_type(&self, type_name: &str) -> Option<StoredSchema> {
        self.state()
            .schemas
            .values()
            .find(|s| s.type_name == type_name)
            .cloned()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = TcpStream::connect(self.addr);
    }
}

impl State {
    fn new_id(&mut self) -> String {
        let id = format!("{}", 280_000_000_000_000_000u64 + self.next_id);
        self.next_id += 1;
        id
    }
}

fn stamp(seq: u64) -> String {
    format!("2026-11-27T03:{:02}:{:02}Z", (seq / 60) % 60, seq % 60)
}

struct Request {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn query_param(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(self.query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

fn read_request(conn: &mut TcpStream) -> Option<Request> {
    conn.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = conn.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let mut body = buf[head_end + 4..].to_vec();
    if chunked {
        // Read up to the last chunk, then decode.
        while !body.windows(5).any(|w| w == b"0\r\n\r\n") {
            let n = conn.read(&mut chunk).ok()?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
        body = dechunk(&body)?;
    }
    while !chunked && body.len() < len {
        let n = conn.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target, String::new()),
    };
    Some(Request {
        method,
        path,
        query,
        headers,
        body: String::from_utf8_lossy(&body).to_string(),
    })
}

/// Decodes a chunked body (`SIZE\r\nDATA\r\n` … `0\r\n\r\n`).
fn dechunk(mut raw: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = raw.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&raw[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        raw = &raw[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(raw.get(..size)?);
        raw = raw.get(size + 2..)?;
    }
}

fn write_response(conn: &mut TcpStream, status: u16, content_type: &str, body: &str) {
    let reason = match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    };
    let text = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = conn.write_all(text.as_bytes());
    let _ = conn.flush();
}

fn close_mid_response(conn: &mut TcpStream) {
    let _ = conn.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\nConnection: close\r\n\r\n{\"details\":{\"seq",
    );
    let _ = conn.flush();
    let _ = conn.shutdown(Shutdown::Both);
}

fn handle(mut conn: TcpStream, state: &Arc<Mutex<State>>) {
    let Some(req) = read_request(&mut conn) else {
        return;
    };
    let lock = || match state.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    let (index, fault) = {
        let mut st = lock();
        st.requests.push(Recorded {
            method: req.method.clone(),
            path: req.path.clone(),
            query: req.query.clone(),
            body: req.body.clone(),
            rpc: None,
            refused: None,
            handled: false,
            status: 0,
        });
        (st.requests.len() - 1, st.faults.pop_front())
    };
    let mut close_after = false;
    match fault {
        Some(Fault::Delay(d)) => std::thread::sleep(d),
        Some(Fault::Reply(status, body)) => {
            lock().requests[index].status = status;
            write_response(&mut conn, status, "application/json", &body);
            return;
        }
        Some(Fault::CloseMidResponse) => {
            close_mid_response(&mut conn);
            return;
        }
        Some(Fault::NonJson) => {
            lock().requests[index].status = 200;
            write_response(
                &mut conn,
                200,
                "text/html",
                "<html><body>Welcome to nginx</body></html>",
            );
            return;
        }
        Some(Fault::ApplyThenClose) => close_after = true,
        None => {}
    }
    let (status, body) = {
        let mut st = lock();
        let answer = route(&mut st, &req, index);
        st.requests[index].status = answer.0;
        answer
    };
    if close_after {
        close_mid_response(&mut conn);
        return;
    }
    match body {
        Some(v) => write_response(&mut conn, status, "application/json", &v.to_string()),
        None => write_response(&mut conn, status, "text/plain", "Not Found"),
    }
}

/// A status and a JSON body (None: a plain-text 404).
type Answer = (u16, Option<Value>);

fn error(code: i32, http: u16, id: Option<&str>, text: &str) -> Answer {
    let (message, details) = match id {
        Some(id) => (
            format!("{text} ({id})"),
            json!([{"@type": "type.googleapis.com/zitadel.v1.ErrorDetail", "id": id, "message": text}]),
        ),
        None => (text.to_string(), json!([])),
    };
    (
        http,
        Some(json!({"code": code, "message": message, "details": details})),
    )
}

/// Percent-decodes one path segment, as the gateway does for path parameters.
fn decode_segment(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = segment.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Routing (404), then the gateway's decoding (400 / code 3), then authentication,
/// authorization and the feature flag, then the handler.
fn route(st: &mut State, req: &Request, index: usize) -> Answer {
    let (generation, rest) =
        if let Some(rest) = req.path.strip_prefix("/resources/v3alpha/user_schemas") {
            if !st.v2 {
                return (404, None);
            }
            (Gen::V2, rest)
        } else if let Some(rest) = req.path.strip_prefix("/v3alpha/user_schemas") {
            if !st.v1 {
                return (404, None);
            }
            (Gen::V1, rest)
        } else {
            return (404, None);
        };
    if !(rest.is_empty() || rest.starts_with('/')) {
        return (404, None);
    }
    let mut segments = Vec::new();
    for raw in rest.split('/').filter(|s| !s.is_empty()) {
        match decode_segment(raw) {
            Some(s) => segments.push(s),
            None => return error(3, 400, None, "invalid percent-encoding in the path"),
        }
    }
    let Some(target) = gateway::route_of(generation, &req.method, &segments) else {
        return (404, None);
    };
    let call = match gateway::decode(generation, target, &req.query, &req.body) {
        Ok(call) => call,
        Err(Refusal(message)) => {
            st.requests[index].refused = Some(message.clone());
            return error(3, 400, None, &message);
        }
    };
    st.requests[index].rpc = Some(call.rpc());
    // Authentication, then authorization, then the feature flag.
    match req.header("authorization") {
        Some(h) if h == format!("Bearer {TOKEN}") => {}
        Some(h) if h == format!("Bearer {ORG_OWNER_TOKEN}") => {
            return error(7, 403, Some("AUTH-5mWD2"), "No matching permissions found");
        }
        other => {
            // Deliberately echoes what it got, so tests can prove the client never repeats it.
            let presented = other.unwrap_or("none");
            return error(
                16,
                401,
                None,
                &format!("auth header invalid or token expired: {presented}"),
            );
        }
    }
    if !st.feature_enabled {
        return error(9, 400, Some("SCHEMA-SFjk3"), "Errors.UserSchema.NotEnabled");
    }
    st.requests[index].handled = true;
    match call {
        Call::Create(fields) => create(st, generation, fields),
        Call::List(list) => self::list(st, generation, &list),
        Call::Get { id } => {
            if let Err(e) = check_path_id(&id) {
                return e;
            }
            match st.schemas.get(&id) {
                Some(s) => (
                    200,
                    Some(match generation {
                        Gen::V1 => json!({"schema": v1_schema(st, s)}),
                        Gen::V2 => json!({"userSchema": v2_schema(st, s)}),
                    }),
                ),
                None => error(5, 404, Some("QUERY-SAF3t"), "Errors.UserSchema.NotExists"),
            }
        }
        Call::Update { id, fields } => {
            if let Err(e) = check_path_id(&id) {
                return e;
            }
            update(st, generation, &id, fields)
        }
        Call::Deactivate { id } => {
            if let Err(e) = check_path_id(&id) {
                return e;
            }
            match st.schemas.get(&id).map(|s| s.state) {
                Some(1) => touch_state(st, generation, &id, 2),
                _ => error(9, 400, Some("COMMA-E4t4z"), "Errors.UserSchema.NotActive"),
            }
        }
        Call::Reactivate { id } => {
            if let Err(e) = check_path_id(&id) {
                return e;
            }
            match st.schemas.get(&id).map(|s| s.state) {
                Some(2) => touch_state(st, generation, &id, 1),
                _ => error(9, 400, Some("COMMA-DGzh5"), "Errors.UserSchema.NotInactive"),
            }
        }
        Call::Delete { id } => {
            if let Err(e) = check_path_id(&id) {
                return e;
            }
            if st.schemas.remove(&id).is_none() {
                return error(9, 400, Some("COMMA-Grg41"), "Errors.UserSchema.NotExists");
            }
            st.sequence += 1;
            let seq = st.sequence;
            (
                200,
                Some(json!({"details": details(generation, &id, seq, &stamp(seq), &stamp(seq))})),
            )
        }
    }
}

/// The request validation of a path id: 1 to 200 characters.
fn check_path_id(id: &str) -> Result<(), Answer> {
    let n = id.chars().count();
    if n == 0 || n > 200 {
        return Err(error(
            3,
            400,
            None,
            "invalid request: Id: value length must be between 1 and 200 runes",
        ));
    }
    Ok(())
}

fn details(generation: Gen, id: &str, seq: u64, created: &str, changed: &str) -> Value {
    match generation {
        Gen::V1 => {
            json!({"sequence": seq.to_string(), "changeDate": changed, "resourceOwner": "instance-1"})
        }
        Gen::V2 => json!({"id": id, "created": created, "changed": changed,
                          "owner": {"type": "OWNER_TYPE_INSTANCE", "id": "instance-1"}}),
    }
}

/// A protobuf Struct comes back with its keys sorted.
fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for k in keys {
                out.insert(k.clone(), sorted(&m[k]));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

fn wire_authenticators(st: &State, s: &StoredSchema) -> Vec<String> {
    s.authenticators
        .iter()
        .map(|a| {
            if st.legacy_public_key && a == "AUTHENTICATOR_TYPE_AUTHENTICATION_KEY" {
                "AUTHENTICATOR_TYPE_PUBLIC_KEY".to_string()
            } else {
                a.clone()
            }
        })
        .collect()
}

fn state_name(state: u8) -> &'static str {
    match state {
        1 => "STATE_ACTIVE",
        2 => "STATE_INACTIVE",
        _ => "STATE_UNSPECIFIED",
    }
}

fn v1_schema(st: &State, s: &StoredSchema) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(s.id));
    m.insert(
        "details".into(),
        details(Gen::V1, &s.id, s.sequence, &s.created, &s.changed),
    );
    m.insert("type".into(), json!(s.type_name));
    m.insert("state".into(), json!(state_name(s.state)));
    if s.revision != 0 {
        m.insert("revision".into(), json!(s.revision));
    }
    m.insert("schema".into(), sorted(&s.schema));
    let auth = wire_authenticators(st, s);
    if !auth.is_empty() {
        m.insert("possibleAuthenticators".into(), json!(auth));
    }
    Value::Object(m)
}

fn v2_schema(st: &State, s: &StoredSchema) -> Value {
    let mut config = Map::new();
    config.insert("type".into(), json!(s.type_name));
    config.insert("schema".into(), sorted(&s.schema));
    let auth = wire_authenticators(st, s);
    if !auth.is_empty() {
        config.insert("possibleAuthenticators".into(), json!(auth));
    }
    let mut m = Map::new();
    m.insert(
        "details".into(),
        details(Gen::V2, &s.id, s.sequence, &s.created, &s.changed),
    );
    m.insert("config".into(), Value::Object(config));
    m.insert("state".into(), json!(state_name(s.state)));
    if s.revision != 0 {
        m.insert("revision".into(), json!(s.revision));
    }
    Value::Object(m)
}

/// The server-side checks of the contract's field rules (a small stand-in for the meta-schema),
/// on a request the gateway already decoded.
fn check_fields(fields: &SchemaFields, creating: bool) -> Result<(), Answer> {
    match &fields.type_name {
        Some(t) if t.chars().count() > 200 => {
            return Err(error(
                3,
                400,
                None,
                "invalid CreateUserSchemaRequest.Type: value length must be between 1 and 200 runes",
            ));
        }
        Some(t) if !t.is_empty() => {}
        _ if creating => {
            return Err(error(
                3,
                400,
                Some("COMMA-DGFj3"),
                "Errors.UserSchema.Type.Missing",
            ));
        }
        _ => {}
    }
    match &fields.schema {
        Some(s) => {
            if let Err(why) = check_schema(&Value::Object(s.clone()), true) {
                return Err(error(
                    3,
                    400,
                    Some("COMMA-W21tg"),
                    &format!("Errors.UserSchema.Schema.Invalid: {why}"),
                ));
            }
        }
        None if creating => {
            return Err(error(
                3,
                400,
                Some("COMMA-W21tg"),
                "Errors.UserSchema.Schema.Invalid: missing",
            ));
        }
        None => {}
    }
    for (i, a) in fields.authenticators.iter().enumerate() {
        if a == "AUTHENTICATOR_TYPE_UNSPECIFIED" {
            return Err(error(
                3,
                400,
                Some("COMMA-Gh652"),
                "Errors.UserSchema.Authenticator.Invalid",
            ));
        }
        if fields.authenticators[..i].contains(a) {
            return Err(error(3, 400, None, "possibleAuthenticators must be unique"));
        }
    }
    Ok(())
}

fn check_schema(v: &Value, root: bool) -> Result<(), String> {
    let Value::Object(m) = v else { return Ok(()) };
    if let Some(p) = m.get("urn:zitadel:schema:permission") {
        let Value::Object(pm) = p else {
            return Err("permission must be an object".into());
        };
        for (k, val) in pm {
            if k != "owner" && k != "self" {
                return Err(format!("permission key {k} is not allowed"));
            }
            let Value::String(s) = val else {
                return Err("permission values must be strings".into());
            };
            if !s.chars().all(|c| c == 'r' || c == 'w') || (root && s.len() != 1) {
                return Err(format!("permission value {s} is not allowed"));
            }
        }
    }
    if let Some(Value::Object(props)) = m.get("properties") {
        for prop in props.values() {
            if let Some(Value::Bool(_)) = prop.get("required") {
                return Err("required must be an array".into());
            }
            check_schema(prop, false)?;
        }
    }
    Ok(())
}

fn create(st: &mut State, generation: Gen, fields: SchemaFields) -> Answer {
    if let Err(e) = check_fields(&fields, true) {
        return e;
    }
    let type_name = fields.type_name.unwrap_or_default();
    if st.schemas.values().any(|s| s.type_name == type_name) {
        return error(6, 409, Some("V3-DKcYh"), "Errors.UserSchema.AlreadyExists");
    }
    let id = st.new_id();
    st.sequence += 1;
    let seq = st.sequence;
    let s = StoredSchema {
        id: id.clone(),
        type_name,
        state: 1,
        revision: 1,
        schema: Value::Object(fields.schema.unwrap_or_default()),
        authenticators: fields.authenticators,
        sequence: seq,
        created: stamp(seq),
        changed: stamp(seq),
    };
    let d = details(generation, &id, seq, &s.created, &s.changed);
    st.schemas.insert(id.clone(), s);
    match generation {
        Gen::V1 => (201, Some(json!({"id": id, "details": d}))),
        Gen::V2 => (201, Some(json!({"details": d}))),
    }
}

fn update(st: &mut State, generation: Gen, id: &str, fields: SchemaFields) -> Answer {
    if st.schemas.get(id).map(|s| s.state) != Some(1) {
        return error(9, 400, Some("COMMA-HB3e1"), "Errors.UserSchema.NotActive");
    }
    if let Err(e) = check_fields(&fields, false) {
        return e;
    }
    let type_name = fields.type_name.filter(|t| !t.is_empty());
    if let Some(t) = &type_name
        && st.schemas.values().any(|s| &s.type_name == t && s.id != id)
    {
        return error(6, 409, Some("V3-DKcYh"), "Errors.UserSchema.AlreadyExists");
    }
    // A missing schema is taken as {} (the contract's warning).
    let schema = Value::Object(fields.schema.unwrap_or_default());
    let authenticators = fields.authenticators;
    let next_seq = st.sequence + 1;
    let Some(s) = st.schemas.get_mut(id) else {
        return error(9, 400, Some("COMMA-HB3e1"), "Errors.UserSchema.NotExists");
    };
    let mut changed = false;
    if let Some(t) = type_name
        && t != s.type_name
    {
        s.type_name = t;
        changed = true;
    }
    if schema != s.schema {
        s.schema = schema;
        s.revision += 1;
        changed = true;
    }
    // An empty list does not clear the authenticators.
    if !authenticators.is_empty() && authenticators != s.authenticators {
        s.authenticators = authenticators;
        changed = true;
    }
    if changed {
        s.sequence = next_seq;
        s.changed = stamp(next_seq);
    }
    let d = details(generation, id, s.sequence, &s.created, &s.changed);
    if changed {
        st.sequence = next_seq;
    }
    (200, Some(json!({"details": d})))
}

fn touch_state(st: &mut State, generation: Gen, id: &str, state: u8) -> Answer {
    st.sequence += 1;
    let seq = st.sequence;
    let Some(s) = st.schemas.get_mut(id) else {
        return error(9, 400, Some("COMMA-HB3e1"), "Errors.UserSchema.NotExists");
    };
    s.state = state;
    s.sequence = seq;
    s.changed = stamp(seq);
    (
        200,
        Some(json!({"details": details(generation, id, seq, &s.created, &s.changed)})),
    )
}

/// Whether a text matches by one of the text methods (`EQUALS`, `STARTS_WITH_IGNORE_CASE`, …).
fn text_matches(value: &str, wanted: &str, method: &str) -> bool {
    let (value, wanted, method) = match method.strip_suffix("_IGNORE_CASE") {
        Some(m) => (value.to_lowercase(), wanted.to_lowercase(), m),
        None => (value.to_string(), wanted.to_string(), method),
    };
    match method {
        "EQUALS" => value == wanted,
        "STARTS_WITH" => value.starts_with(&wanted),
        "CONTAINS" => value.contains(&wanted),
        "ENDS_WITH" => value.ends_with(&wanted),
        _ => false,
    }
}

fn filter_matches(s: &StoredSchema, f: &Filter) -> bool {
    match f {
        Filter::Type { type_name, method } => text_matches(&s.type_name, type_name, method),
        Filter::Id { id, method } => text_matches(&s.id, id, method),
        Filter::State { state } => state_name(s.state) == state,
        Filter::Or(all) => all.iter().any(|f| filter_matches(s, f)),
        Filter::And(all) => all.iter().all(|f| filter_matches(s, f)),
        Filter::Not(inner) => !filter_matches(s, inner),
    }
}

fn list(st: &State, generation: Gen, req: &ListRequest) -> Answer {
    let limit = match (generation, req.limit) {
        (Gen::V1, 0) => 1000,
        (Gen::V2, 0) => 100,
        (_, n) => n,
    };
    if limit > 1000 {
        return error(
            3,
            400,
            match generation {
                Gen::V1 => None,
                Gen::V2 => Some("QUERY-4M0fs"),
            },
            "Errors.Query.LimitExceeded: limit must be at most 1000",
        );
    }
    if let Some(claim) = st.list_claim {
        return claimed_page(st, generation, req, limit, claim);
    }
    let mut all: Vec<&StoredSchema> = st
        .schemas
        .values()
        .filter(|s| req.filters.iter().all(|f| filter_matches(s, f)))
        .collect();
    match req.sorting_column.as_deref() {
        Some("FIELD_NAME_TYPE") => all.sort_by(|a, b| a.type_name.cmp(&b.type_name)),
        Some("FIELD_NAME_STATE") => all.sort_by_key(|s| s.state),
        Some("FIELD_NAME_REVISION") => all.sort_by_key(|s| s.revision),
        Some("FIELD_NAME_CHANGE_DATE") => all.sort_by_key(|s| s.sequence),
        // FIELD_NAME_UNSPECIFIED: by id (the ids are numbers of one length).
        _ => all.sort_by(|a, b| a.id.cmp(&b.id)),
    }
    if !req.ascending {
        all.reverse();
    }
    let page: Vec<Value> = all
        .iter()
        .skip(usize::try_from(req.offset).unwrap_or(usize::MAX))
        .take(limit as usize)
        .map(|s| match generation {
            Gen::V1 => v1_schema(st, s),
            Gen::V2 => v2_schema(st, s),
        })
        .collect();
    let mut m = Map::new();
    let mut d = match generation {
        Gen::V1 => {
            json!({"processedSequence": st.sequence.to_string(), "timestamp": stamp(st.sequence)})
        }
        Gen::V2 => json!({"appliedLimit": limit.to_string(), "timestamp": stamp(st.sequence)}),
    };
    // Zero values omitted: no totalResult when nothing matches.
    if !all.is_empty() {
        d["totalResult"] = json!(all.len().to_string());
    }
    m.insert("details".into(), d);
    // The sorting column is echoed; UNSPECIFIED is a zero value and left out.
    if let Some(column) = req
        .sorting_column
        .as_deref()
        .filter(|c| *c != "FIELD_NAME_UNSPECIFIED")
    {
        m.insert("sortingColumn".into(), json!(column));
    }
    // Zero values omitted: an empty result list is left out.
    if !page.is_empty() {
        m.insert("result".into(), Value::Array(page));
    }
    (200, Some(Value::Object(m)))
}

/// A made-up page for a [`ListClaim`].
fn claimed_page(
    st: &State,
    generation: Gen,
    req: &ListRequest,
    limit: u32,
    claim: ListClaim,
) -> Answer {
    let searches = st.requests.iter().filter(|r| r.rpc == Some("List")).count();
    let n = if searches > claim.give_up_after {
        0
    } else {
        claim.per_page.unwrap_or(limit as usize).min(limit as usize)
    };
    let page: Vec<Value> = (0..n as u64)
        .map(|i| {
            let k = req.offset + i;
            let s = StoredSchema {
                id: format!("{}", 900_000_000_000_000_000u64 + k),
                type_name: format!("claimed-{k}"),
                state: 1,
                revision: 1,
                schema: json!({"type": "object"}),
                authenticators: Vec::new(),
                sequence: 1,
                created: stamp(1),
                changed: stamp(1),
            };
            match generation {
                Gen::V1 => v1_schema(st, &s),
                Gen::V2 => v2_schema(st, &s),
            }
        })
        .collect();
    let mut m = Map::new();
    m.insert(
        "details".into(),
        json!({"totalResult": claim.total.to_string(), "timestamp": stamp(1)}),
    );
    if !page.is_empty() {
        m.insert("result".into(), Value::Array(page));
    }
    (200, Some(Value::Object(m)))
}
