//! A test ZITADEL server for user schemas, both API generations, following
//! ../shared/zitadel-user-schema-api.md: paths, camelCase, int64s as strings, omitted zero
//! values, 201 on create, the revision and state rules, the error bodies and codes, the
//! bearer-token check and pagination — plus fault injection (delays, 5xx, cut connections,
//! non-JSON bodies, canned answers). It listens on 127.0.0.1, port 0, one thread per
//! connection, and answers each request with `Connection: close`.

#![allow(dead_code)]

use std::collections::{BTreeMap, VecDeque};
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{Map, Value, json};

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
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
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
    let fault = {
        let mut st = lock();
        st.requests.push(Recorded {
            method: req.method.clone(),
            path: req.path.clone(),
            query: req.query.clone(),
            body: req.body.clone(),
        });
        st.faults.pop_front()
    };
    let mut close_after = false;
    match fault {
        Some(Fault::Delay(d)) => std::thread::sleep(d),
        Some(Fault::Reply(status, body)) => {
            write_response(&mut conn, status, "application/json", &body);
            return;
        }
        Some(Fault::CloseMidResponse) => {
            close_mid_response(&mut conn);
            return;
        }
        Some(Fault::NonJson) => {
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
        route(&mut st, &req)
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
/// type, schema and authenticators of a request body.
type Fields = (Option<String>, Option<Value>, Option<Vec<String>>);

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

#[derive(Clone, Copy, PartialEq)]
enum Gen {
    V1,
    V2,
}

fn route(st: &mut State, req: &Request) -> Answer {
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
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let body: Value = if req.body.trim().is_empty() {
        json!({})
    } else {
        match serde_json::from_str(&req.body) {
            Ok(v) => v,
            Err(_) => return error(3, 400, None, "invalid JSON body"),
        }
    };
    let (search, deactivate, reactivate) = match generation {
        Gen::V1 => ("search", "deactivate", "reactivate"),
        Gen::V2 => ("_search", "_deactivate", "_reactivate"),
    };
    let update_method = if generation == Gen::V1 {
        "PUT"
    } else {
        "PATCH"
    };
    match (req.method.as_str(), segments.as_slice()) {
        ("POST", []) => create(st, generation, &body),
        ("POST", [s]) if *s == search => list(st, generation, req, &body),
        ("GET", [id]) => match st.schemas.get(*id) {
            Some(s) => (
                200,
                Some(match generation {
                    Gen::V1 => json!({"schema": v1_schema(st, s)}),
                    Gen::V2 => json!({"userSchema": v2_schema(st, s)}),
                }),
            ),
            None => error(5, 404, Some("QUERY-SAF3t"), "Errors.UserSchema.NotExists"),
        },
        (m, [id]) if m == update_method => update(st, generation, id, &body),
        ("POST", [id, action]) if *action == deactivate => {
            match st.schemas.get(*id).map(|s| s.state) {
                Some(1) => touch_state(st, generation, id, 2),
                _ => error(9, 400, Some("COMMA-E4t4z"), "Errors.UserSchema.NotActive"),
            }
        }
        ("POST", [id, action]) if *action == reactivate => {
            match st.schemas.get(*id).map(|s| s.state) {
                Some(2) => touch_state(st, generation, id, 1),
                _ => error(9, 400, Some("COMMA-DGzh5"), "Errors.UserSchema.NotInactive"),
            }
        }
        ("DELETE", [id]) => {
            if st.schemas.remove(*id).is_none() {
                return error(9, 400, Some("COMMA-Grg41"), "Errors.UserSchema.NotExists");
            }
            st.sequence += 1;
            let seq = st.sequence;
            (
                200,
                Some(json!({"details": details(generation, id, seq, &stamp(seq), &stamp(seq))})),
            )
        }
        _ => (404, None),
    }
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

const KNOWN_AUTHENTICATORS: [&str; 8] = [
    "AUTHENTICATOR_TYPE_USERNAME",
    "AUTHENTICATOR_TYPE_PASSWORD",
    "AUTHENTICATOR_TYPE_WEBAUTHN",
    "AUTHENTICATOR_TYPE_TOTP",
    "AUTHENTICATOR_TYPE_OTP_EMAIL",
    "AUTHENTICATOR_TYPE_OTP_SMS",
    "AUTHENTICATOR_TYPE_AUTHENTICATION_KEY",
    "AUTHENTICATOR_TYPE_IDENTITY_PROVIDER",
];

/// The server-side checks of the contract's field rules (a small stand-in for the meta-schema).
fn check_fields(body: &Value, creating: bool) -> Result<Fields, Answer> {
    let type_name = match body.get("type") {
        Some(Value::String(t)) if !t.is_empty() => {
            if t.chars().count() > 200 {
                return Err(error(
                    3,
                    400,
                    None,
                    "invalid CreateUserSchemaRequest.Type: value length must be between 1 and 200 runes",
                ));
            }
            Some(t.clone())
        }
        None | Some(Value::String(_)) if creating => {
            return Err(error(
                3,
                400,
                Some("COMMA-DGFj3"),
                "Errors.UserSchema.Type.Missing",
            ));
        }
        _ => None,
    };
    let schema = match body.get("schema") {
        Some(s @ Value::Object(_)) => {
            if let Err(why) = check_schema(s, true) {
                return Err(error(
                    3,
                    400,
                    Some("COMMA-W21tg"),
                    &format!("Errors.UserSchema.Schema.Invalid: {why}"),
                ));
            }
            Some(s.clone())
        }
        Some(_) => {
            return Err(error(
                3,
                400,
                Some("COMMA-W21tg"),
                "Errors.UserSchema.Schema.Invalid: not an object",
            ));
        }
        None if creating => {
            return Err(error(
                3,
                400,
                Some("COMMA-W21tg"),
                "Errors.UserSchema.Schema.Invalid: missing",
            ));
        }
        None => None,
    };
    let authenticators = match body.get("possibleAuthenticators") {
        Some(Value::Array(items)) => {
            let mut out: Vec<String> = Vec::new();
            for item in items {
                let Some(text) = item.as_str() else {
                    return Err(error(
                        3,
                        400,
                        None,
                        "invalid value for enum field possibleAuthenticators",
                    ));
                };
                if text == "AUTHENTICATOR_TYPE_UNSPECIFIED" {
                    return Err(error(
                        3,
                        400,
                        Some("COMMA-Gh652"),
                        "Errors.UserSchema.Authenticator.Invalid",
                    ));
                }
                if !KNOWN_AUTHENTICATORS.contains(&text) {
                    return Err(error(
                        3,
                        400,
                        None,
                        "invalid value for enum field possibleAuthenticators",
                    ));
                }
                if out.iter().any(|a| a == text) {
                    return Err(error(3, 400, None, "possibleAuthenticators must be unique"));
                }
                out.push(text.to_string());
            }
            Some(out)
        }
        Some(_) => return Err(error(3, 400, None, "possibleAuthenticators must be a list")),
        None => None,
    };
    Ok((type_name, schema, authenticators))
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

fn create(st: &mut State, generation: Gen, body: &Value) -> Answer {
    let (type_name, schema, authenticators) = match check_fields(body, true) {
        Ok(x) => x,
        Err(e) => return e,
    };
    let type_name = type_name.unwrap_or_default();
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
        schema: schema.unwrap_or_else(|| json!({})),
        authenticators: authenticators.unwrap_or_default(),
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

fn update(st: &mut State, generation: Gen, id: &str, body: &Value) -> Answer {
    if st.schemas.get(id).map(|s| s.state) != Some(1) {
        return error(9, 400, Some("COMMA-HB3e1"), "Errors.UserSchema.NotActive");
    }
    let (type_name, schema, authenticators) = match check_fields(body, false) {
        Ok(x) => x,
        Err(e) => return e,
    };
    if let Some(t) = &type_name
        && st.schemas.values().any(|s| &s.type_name == t && s.id != id)
    {
        return error(6, 409, Some("V3-DKcYh"), "Errors.UserSchema.AlreadyExists");
    }
    // A missing schema is taken as {} (the contract's warning).
    let schema = schema.unwrap_or_else(|| json!({}));
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
    if let Some(a) = authenticators
        && !a.is_empty()
        && a != s.authenticators
    {
        s.authenticators = a;
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

fn list(st: &State, generation: Gen, req: &Request, body: &Value) -> Answer {
    let as_u64 = |v: Option<&Value>| -> Option<u64> {
        match v {
            Some(Value::String(s)) => s.parse().ok(),
            Some(Value::Number(n)) => n.as_u64(),
            _ => None,
        }
    };
    let (offset, limit) = match generation {
        Gen::V1 => {
            let q = body.get("query");
            (
                as_u64(q.and_then(|q| q.get("offset"))).unwrap_or(0),
                as_u64(q.and_then(|q| q.get("limit"))).unwrap_or(0),
            )
        }
        Gen::V2 => (
            req.query_param("query.offset")
                .and_then(|s| s.parse().ok())
                .unwrap_or(0),
            req.query_param("query.limit")
                .and_then(|s| s.parse().ok())
                .unwrap_or(0),
        ),
    };
    let limit = if limit == 0 { 100 } else { limit };
    if generation == Gen::V2 && limit > 1000 {
        return error(
            3,
            400,
            None,
            "invalid SearchUserSchemasRequest.Query: limit must be at most 1000",
        );
    }
    let all: Vec<&StoredSchema> = st.schemas.values().collect();
    let page: Vec<Value> = all
        .iter()
        .skip(offset as usize)
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
    // Zero values omitted: no totalResult when there is nothing.
    if !all.is_empty() {
        d["totalResult"] = json!(all.len().to_string());
    }
    m.insert("details".into(), d);
    // Zero values omitted: an empty result list is left out.
    if !page.is_empty() {
        m.insert("result".into(), Value::Array(page));
    }
    (200, Some(Value::Object(m)))
}
