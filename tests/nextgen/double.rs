//! A strict double of ZITADEL nextgen's schema API, built from ../shared/zitadel-nextgen.md:
//! `POST /schemas`, `GET /schemas`, `GET /schemas/{id}` under a path prefix, project secrets
//! (`sk_proj_…`, Bearer) with `schema.read` / `schema.write`, cursor paging (`limit` default
//! 20, at most 100, no total, no offset, `next_page_token` absent on the last page), the
//! document rules the server checks, snake_case, and `{code, message, details?}` errors.
//! Anything the facts do not allow is refused: unknown query parameters, a bad limit or page
//! token, a body that is not JSON, update and delete.

#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use serde_json::{Map, Value, json};
use tiny_http::{Header, Method, Response, Server};

/// Read and write in project "alpha".
pub const ALPHA_RW: &str = "sk_proj_alpha_rw_5f1c0a";
/// Read only in project "alpha".
pub const ALPHA_RO: &str = "sk_proj_alpha_ro_9e2b7d";
/// Read and write in project "beta".
pub const BETA_RW: &str = "sk_proj_beta_rw_3d4e8f";

#[derive(Debug, Clone)]
pub struct Stored {
    pub project: String,
    pub id: String,
    pub schema: Value,
    pub created_at: String,
}

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub url: String,
    pub authorization: Option<String>,
}

#[derive(Default)]
pub struct State {
    pub schemas: Vec<Stored>,
    pub next: u64,
    /// Answer the next request with (status, code) instead.
    pub faults: VecDeque<(u16, String)>,
    pub requests: Vec<Request>,
}

pub struct Double {
    pub url: String,
    pub state: Arc<Mutex<State>>,
    server: Arc<Server>,
    thread: Option<JoinHandle<()>>,
}

impl Double {
    /// Starts the double on 127.0.0.1 with the API under `prefix` (e.g. `/api/v1`).
    pub fn start(prefix: &str) -> Double {
        let server = Arc::new(Server::http("127.0.0.1:0").expect("bind"));
        let port = server.server_addr().to_ip().expect("ip").port();
        let state = Arc::new(Mutex::new(State::default()));
        let (s, st, pre) = (server.clone(), state.clone(), prefix.to_string());
        let thread = std::thread::spawn(move || {
            for mut req in s.incoming_requests() {
                let (status, body) = handle(&mut req, &st, &pre);
                let text = body.to_string();
                let resp = Response::from_string(text)
                    .with_status_code(status)
                    .with_header(
                        Header::from_bytes("Content-Type", "application/json").expect("header"),
                    );
                let _ = req.respond(resp);
            }
        });
        Double {
            url: format!("http://127.0.0.1:{port}{prefix}"),
            state,
            server,
            thread: Some(thread),
        }
    }

    pub fn inject(&self, status: u16, code: &str) {
        self.state
            .lock()
            .unwrap()
            .faults
            .push_back((status, code.into()));
    }

    /// Registers a document directly (as another client would have).
    pub fn seed(&self, project: &str, schema: Value) -> String {
        let mut st = self.state.lock().unwrap();
        let id = new_id(&mut st);
        let created_at = created_at(st.next);
        st.schemas.push(Stored {
            project: project.into(),
            id: id.clone(),
            schema,
            created_at,
        });
        id
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state.lock().unwrap().requests.clone()
    }
}

impl Drop for Double {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn error(status: u16, code: &str, message: &str) -> (u16, Value) {
    (status, json!({"code": code, "message": message}))
}

fn new_id(st: &mut State) -> String {
    st.next += 1;
    // A ULID's shape: 26 characters of Crockford base32.
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut n = st.next;
    let mut chars = vec![b'0'; 26];
    for c in chars.iter_mut().rev() {
        *c = ALPHABET[(n % 32) as usize];
        n /= 32;
    }
    format!("sch_{}", String::from_utf8(chars).unwrap_or_default())
}

fn created_at(n: u64) -> String {
    format!("2026-11-30T10:{:02}:{:02}Z", (n / 60) % 60, n % 60)
}

fn handle(req: &mut tiny_http::Request, st: &Mutex<State>, prefix: &str) -> (u16, Value) {
    let authorization = req
        .headers()
        .iter()
        .find(|h| h.field.equiv("Authorization"))
        .map(|h| h.value.as_str().to_string());
    let content_type = req
        .headers()
        .iter()
        .find(|h| h.field.equiv("Content-Type"))
        .map(|h| h.value.as_str().to_string());
    let method = req.method().clone();
    let url = req.url().to_string();
    let mut body = String::new();
    if req.as_reader().read_to_string(&mut body).is_err() {
        return error(400, "req.invalid", "the body is not UTF-8");
    }
    let mut st = st.lock().unwrap();
    st.requests.push(Request {
        method: method.to_string(),
        url: url.clone(),
        authorization: authorization.clone(),
    });
    if let Some((status, code)) = st.faults.pop_front() {
        return error(status, &code, "injected");
    }
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let Some(rest) = path.strip_prefix(prefix) else {
        return error(404, "req.invalid", "no such path");
    };
    // Authentication first: a project secret as a bearer token.
    let (project, read, write) = match authorization
        .as_deref()
        .and_then(|a| a.strip_prefix("Bearer "))
    {
        Some(ALPHA_RW) => ("alpha", true, true),
        Some(ALPHA_RO) => ("alpha", true, false),
        Some(BETA_RW) => ("beta", true, true),
        _ => {
            return error(
                401,
                "auth.unauthorized",
                "missing or unknown project secret",
            );
        }
    };
    let segments: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
    match (method, segments.as_slice()) {
        (Method::Post, ["schemas"]) => {
            if !write {
                return error(403, "sch.permission_denied", "schema.write is required");
            }
            if !query.is_empty() {
                return error(400, "req.invalid", "create takes no query parameters");
            }
            if content_type.as_deref() != Some("application/json") {
                return error(400, "req.invalid", "the body must be application/json");
            }
            create(&mut st, project, &body)
        }
        (Method::Get, ["schemas"]) => {
            if !read {
                return error(403, "sch.permission_denied", "schema.read is required");
            }
            list(&st, project, query)
        }
        (Method::Get, ["schemas", id]) => {
            if !read {
                return error(403, "sch.permission_denied", "schema.read is required");
            }
            match st
                .schemas
                .iter()
                .find(|s| s.id == *id && s.project == project)
            {
                Some(s) => (200, record(s)),
                None => error(404, "sch.not_found", "no such schema"),
            }
        }
        (Method::Put | Method::Patch | Method::Delete, ["schemas", ..]) => error(
            501,
            "not_implemented",
            "schemas are immutable: there is no update, delete or deactivate",
        ),
        _ => error(404, "req.invalid", "no such route"),
    }
}

fn record(s: &Stored) -> Value {
    json!({"id": s.id, "schema": s.schema, "metadata": {"created_at": s.created_at}})
}

fn create(st: &mut State, project: &str, body: &str) -> (u16, Value) {
    let Ok(Value::Object(doc)) = serde_json::from_str::<Value>(body) else {
        return error(400, "req.invalid", "the body must be a JSON object");
    };
    if doc.get("kind").and_then(Value::as_str) == Some("schema-url") {
        return error(
            400,
            "sch.invalid_request",
            "the schema URL cannot be fetched from here",
        );
    }
    let problems = check_document(&doc);
    if !problems.is_empty() {
        return (
            400,
            json!({"code": "sch.invalid_request", "message": "the schema is invalid",
                   "details": problems.iter().map(|p| json!({"message": p})).collect::<Vec<_>>()}),
        );
    }
    let id = match doc.get("$id").and_then(Value::as_str) {
        Some(own) => {
            if st
                .schemas
                .iter()
                .any(|s| s.id == own && s.project == project)
            {
                return error(409, "sch.already_exists", "a schema with this $id exists");
            }
            own.to_string()
        }
        None => new_id(st),
    };
    st.next += 1;
    let created = created_at(st.next);
    st.schemas.push(Stored {
        project: project.into(),
        id: id.clone(),
        schema: Value::Object(doc),
        created_at: created,
    });
    (201, json!({"id": id}))
}

/// The document rules from the facts (the double's own reading, independent of schemadesk's).
fn check_document(doc: &Map<String, Value>) -> Vec<String> {
    let mut p = Vec::new();
    if doc.get("kind").and_then(Value::as_str) != Some("user-schema") {
        p.push("kind must be user-schema".to_string());
    }
    if !doc.get("metaSchema").is_some_and(Value::is_string) {
        p.push("metaSchema is required".into());
    }
    if let Some(o) = doc.get("objectType")
        && o.as_str().is_none_or(|s| s.chars().count() > 256)
    {
        p.push("objectType must be a string of at most 256 characters".into());
    }
    let Some(Value::Object(methods)) = doc.get("x-auth-methods") else {
        p.push("x-auth-methods is required".into());
        return p;
    };
    for (k, v) in methods {
        if !["password", "passkey", "magic_link", "sso", "otp"].contains(&k.as_str()) {
            p.push(format!("unknown method {k}"));
        }
        if !v.get("enabled").is_some_and(Value::is_boolean) {
            p.push(format!("{k}.enabled must be a boolean"));
        }
    }
    if let Some(sso) = methods.get("sso") {
        let on = sso.get("enabled").and_then(Value::as_bool) == Some(true);
        let providers = sso.get("providers").and_then(Value::as_array);
        if on && providers.is_none_or(Vec::is_empty) {
            p.push("sso enabled needs providers".into());
        }
        if !on && sso.get("providers").is_some() {
            p.push("sso disabled may not list providers".into());
        }
    }
    let password = methods
        .get("password")
        .and_then(|m| m.get("enabled"))
        .and_then(Value::as_bool)
        == Some(true);
    match doc.get("x-identifier").and_then(Value::as_str) {
        None if password => p.push("password needs x-identifier".into()),
        None => {}
        Some(path) => {
            let mut node = Value::Object(doc.clone());
            for name in path.split('.') {
                node = node
                    .get("properties")
                    .and_then(|ps| ps.get(name))
                    .cloned()
                    .unwrap_or(Value::Null);
            }
            if node.get("x-unique").and_then(Value::as_str) != Some("project") {
                p.push("x-identifier must name a property with x-unique project".into());
            }
        }
    }
    if let Some(Value::Object(props)) = doc.get("properties") {
        for name in props.keys() {
            if name.contains('.') || name == "id" || name == "metadata" {
                p.push(format!("the property name {name} is refused"));
            }
        }
    }
    p
}

fn list(st: &State, project: &str, query: &str) -> (u16, Value) {
    let mut params: HashMap<String, String> = HashMap::new();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        if params.insert(k.to_string(), v.to_string()).is_some() {
            return error(400, "req.invalid", "a parameter was given twice");
        }
    }
    for k in params.keys() {
        if !["limit", "page_token", "object_type", "revisions", "kind"].contains(&k.as_str()) {
            return error(400, "req.invalid", &format!("unknown parameter {k}"));
        }
    }
    let limit = match params.get("limit") {
        None => 20,
        Some(l) => match l.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => return error(400, "req.invalid", "limit must be 1 to 100"),
        },
    };
    let latest = match params.get("revisions").map(String::as_str) {
        None | Some("latest") => true,
        Some("all") => false,
        Some(_) => return error(400, "req.invalid", "revisions must be all or latest"),
    };
    if params.get("kind").is_some_and(|k| k != "user-schema") {
        return error(400, "req.invalid", "unknown kind");
    }
    let start = match params.get("page_token") {
        None => 0,
        Some(t) => match t.strip_prefix("pt.").and_then(|n| n.parse::<usize>().ok()) {
            Some(n) => n,
            None => return error(400, "req.invalid", "malformed page_token"),
        },
    };
    let object_type = params.get("object_type");
    let mine: Vec<&Stored> = st
        .schemas
        .iter()
        .filter(|s| s.project == project)
        .filter(|s| {
            object_type
                .is_none_or(|o| s.schema.get("objectType").and_then(Value::as_str) == Some(o))
        })
        .collect();
    let chosen: Vec<&Stored> = if latest {
        mine.iter()
            .enumerate()
            .filter(|(i, s)| {
                let t = s.schema.get("objectType");
                !mine[i + 1..]
                    .iter()
                    .any(|later| later.schema.get("objectType") == t)
            })
            .map(|(_, s)| *s)
            .collect()
    } else {
        mine
    };
    if start > chosen.len() {
        return error(400, "req.invalid", "page_token is out of range");
    }
    let page: Vec<Value> = chosen[start..]
        .iter()
        .take(limit)
        .map(|s| record(s))
        .collect();
    let mut body = json!({"schemas": page});
    if start + limit < chosen.len() {
        body["next_page_token"] = json!(format!("pt.{}", start + limit));
    }
    (200, body)
}
