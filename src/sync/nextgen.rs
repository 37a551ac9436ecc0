//! EXPERIMENTAL: a client of ZITADEL nextgen's schema API (REST, snake_case, cursor paging):
//! create, list and get. The scope is the project the secret (`sk_proj_…`, from the keyring or
//! `ZITADEL_TOKEN`) belongs to. Errors are told apart by their `code`, never by the message.
//! Built against nextgen v0.8.0, which no test here can run: the tests use a strict double.

use std::time::Duration;

use serde_json::{Value, json};
use ureq::Agent;
use url::Url;

use super::Token;
use crate::nextgen::dialect;

/// What this client speaks, as shown to the user.
pub const API_VERSION: &str = "ZITADEL nextgen v0.8.0 schema API (experimental)";
/// The largest page the API serves.
pub const MAX_LIMIT: u32 = 100;
/// The keyring user under which a nextgen server's project secret is kept.
pub fn keyring_user(base: &Url) -> String {
    format!("nextgen {}", base.origin().ascii_serialization())
}

/// The stable error codes of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorCode {
    NotFound,
    InvalidRequest,
    AlreadyExists,
    PermissionDenied,
    RequestInvalid,
    Unauthorized,
    Internal,
    NotImplemented,
    Other(String),
}

impl ErrorCode {
    pub fn parse(code: &str) -> ErrorCode {
        match code {
            "sch.not_found" => ErrorCode::NotFound,
            "sch.invalid_request" => ErrorCode::InvalidRequest,
            "sch.already_exists" => ErrorCode::AlreadyExists,
            "sch.permission_denied" => ErrorCode::PermissionDenied,
            "req.invalid" => ErrorCode::RequestInvalid,
            "auth.unauthorized" => ErrorCode::Unauthorized,
            "internal" => ErrorCode::Internal,
            "not_implemented" => ErrorCode::NotImplemented,
            other => ErrorCode::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            ErrorCode::NotFound => "sch.not_found",
            ErrorCode::InvalidRequest => "sch.invalid_request",
            ErrorCode::AlreadyExists => "sch.already_exists",
            ErrorCode::PermissionDenied => "sch.permission_denied",
            ErrorCode::RequestInvalid => "req.invalid",
            ErrorCode::Unauthorized => "auth.unauthorized",
            ErrorCode::Internal => "internal",
            ErrorCode::NotImplemented => "not_implemented",
            ErrorCode::Other(s) => s,
        }
    }

    /// What the code means for the user, and what to do.
    pub fn sentence(&self) -> &'static str {
        match self {
            ErrorCode::NotFound => "the server has no such schema in this project",
            ErrorCode::InvalidRequest => {
                "the server refused the schema as invalid; check it with `schemadesk validate`"
            }
            ErrorCode::AlreadyExists => {
                "the server already holds this schema (same $id or content); nothing new was registered"
            }
            ErrorCode::PermissionDenied => {
                "the project secret lacks the permission (schema.read to list and get, schema.write to create)"
            }
            ErrorCode::RequestInvalid => "the server refused the request's form",
            ErrorCode::Unauthorized => {
                "the project secret was refused (missing, wrong or expired); set ZITADEL_TOKEN or store a new one in the keyring"
            }
            ErrorCode::Internal => "the server failed; try again later",
            ErrorCode::NotImplemented => "this server does not offer that call",
            ErrorCode::Other(_) => {
                "the server answered with an error code this version does not know"
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{} ({}, HTTP {status}: {message})", .code.sentence(), .code.as_str())]
    Api {
        status: u16,
        code: ErrorCode,
        message: String,
        details: Option<Value>,
    },
    #[error("the server answered HTTP {status} with a body that is not the API's: {detail}")]
    BadResponse { status: u16, detail: String },
    #[error("cannot reach the server: {0}")]
    Transport(String),
    #[error("{url} is not a usable server address: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("the server kept sending pages after {0} (the same page token twice); stopped")]
    Paging(usize),
}

impl ApiError {
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            ApiError::Api { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// One registered schema (one immutable revision).
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaRecord {
    pub id: String,
    pub schema: Value,
    pub created_at: Option<String>,
}

impl SchemaRecord {
    pub fn object_type(&self) -> Option<&str> {
        dialect::object_type(&self.schema)
    }
}

/// One page of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub schemas: Vec<SchemaRecord>,
    pub next_page_token: Option<String>,
}

/// Which revisions the list returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Revisions {
    /// Every revision of every user type.
    All,
    /// The newest revision of each user type.
    #[default]
    Latest,
}

/// A list query; `kind=user-schema` is always sent.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub limit: Option<u32>,
    pub page_token: Option<String>,
    pub object_type: Option<String>,
    pub revisions: Option<Revisions>,
}

/// A client of one server.
pub struct NextgenClient {
    agent: Agent,
    base: Url,
    token: Token,
}

type Result<T> = std::result::Result<T, ApiError>;

impl NextgenClient {
    pub fn new(base: &Url, token: Token, timeout: Duration) -> Result<NextgenClient> {
        let base = super::check_url(base.as_str()).map_err(|e| ApiError::BadUrl {
            url: base.to_string(),
            reason: e.to_string(),
        })?;
        let agent: Agent = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(timeout))
            .user_agent(concat!("schemadesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(NextgenClient { agent, base, token })
    }

    pub fn base_url(&self) -> &Url {
        &self.base
    }

    fn url(&self, segments: &[&str], query: &[(&str, String)]) -> Result<Url> {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|()| ApiError::BadUrl {
                url: self.base.to_string(),
                reason: "it cannot have a path".into(),
            })?
            .pop_if_empty()
            .extend(segments);
        if !query.is_empty() {
            let mut q = url.query_pairs_mut();
            for (k, v) in query {
                q.append_pair(k, v);
            }
        }
        Ok(url)
    }

    fn redact(&self, text: &str) -> String {
        let secret = self.token.secret();
        if secret.is_empty() {
            text.to_string()
        } else {
            text.replace(secret, "***")
        }
    }

    fn send(&self, method: &str, url: &Url, body: Option<&Value>) -> Result<(u16, Value)> {
        tracing::debug!(%method, %url, "nextgen request");
        let auth = format!("Bearer {}", self.token.secret());
        let result = match body {
            Some(b) => self
                .agent
                .post(url.as_str())
                .header("Authorization", &auth)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .send(b.to_string()),
            None => self
                .agent
                .get(url.as_str())
                .header("Authorization", &auth)
                .header("Accept", "application/json")
                .call(),
        };
        let mut response = result.map_err(|e| ApiError::Transport(self.redact(&e.to_string())))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(16 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| ApiError::Transport(self.redact(&e.to_string())))?;
        let value: Option<Value> = serde_json::from_str(&text).ok();
        if (200..300).contains(&status) {
            return value
                .map(|v| (status, v))
                .ok_or_else(|| ApiError::BadResponse {
                    status,
                    detail: format!("not JSON: {}", self.redact(&snippet(&text))),
                });
        }
        match value
            .as_ref()
            .and_then(|v| v.get("code"))
            .and_then(Value::as_str)
        {
            Some(code) => Err(ApiError::Api {
                status,
                code: ErrorCode::parse(code),
                message: self.redact(
                    value
                        .as_ref()
                        .and_then(|v| v.get("message"))
                        .and_then(Value::as_str)
                        .unwrap_or_default(),
                ),
                details: value.as_ref().and_then(|v| v.get("details")).cloned(),
            }),
            None => Err(ApiError::BadResponse {
                status,
                detail: self.redact(&snippet(&text)),
            }),
        }
    }

    /// Registers a document as a new revision (201 `{"id"}`).
    pub fn create(&self, document: &Value) -> Result<String> {
        let url = self.url(&["schemas"], &[])?;
        let (status, body) = self.send("POST", &url, Some(document))?;
        read_id(status, &body)
    }

    /// Registers the schema a URL serves (the server fetches it once).
    pub fn create_from_url(&self, schema_url: &str) -> Result<String> {
        let url = self.url(&["schemas"], &[])?;
        let (status, body) = self.send(
            "POST",
            &url,
            Some(&json!({"kind": "schema-url", "url": schema_url})),
        )?;
        read_id(status, &body)
    }

    /// One schema (one revision) by id.
    pub fn get(&self, id: &str) -> Result<SchemaRecord> {
        let url = self.url(&["schemas", id], &[])?;
        let (status, body) = self.send("GET", &url, None)?;
        read_record(&body).ok_or_else(|| ApiError::BadResponse {
            status,
            detail: "the answer has no id and schema".into(),
        })
    }

    /// One page of the list.
    pub fn list_page(&self, query: &ListQuery) -> Result<Page> {
        let mut q: Vec<(&str, String)> = Vec::new();
        if let Some(l) = query.limit {
            q.push(("limit", l.clamp(1, MAX_LIMIT).to_string()));
        }
        if let Some(t) = &query.page_token {
            q.push(("page_token", t.clone()));
        }
        if let Some(o) = &query.object_type {
            q.push(("object_type", o.clone()));
        }
        if let Some(r) = query.revisions {
            q.push((
                "revisions",
                match r {
                    Revisions::All => "all".into(),
                    Revisions::Latest => "latest".into(),
                },
            ));
        }
        q.push(("kind", "user-schema".into()));
        let url = self.url(&["schemas"], &q)?;
        let (status, body) = self.send("GET", &url, None)?;
        let bad = |detail: &str| ApiError::BadResponse {
            status,
            detail: detail.to_string(),
        };
        let items = body
            .get("schemas")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("the list has no \"schemas\" array"))?;
        let schemas = items
            .iter()
            .map(|v| read_record(v).ok_or_else(|| bad("a listed schema has no id and schema")))
            .collect::<Result<Vec<_>>>()?;
        let next_page_token = match body.get("next_page_token") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(bad("next_page_token is not a string")),
        };
        Ok(Page {
            schemas,
            next_page_token,
        })
    }

    /// Every page, following `next_page_token` until it is absent. `progress(fetched)` after
    /// each page.
    pub fn list_all(
        &self,
        query: &ListQuery,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Vec<SchemaRecord>> {
        let mut all = Vec::new();
        let mut q = query.clone();
        let mut seen = std::collections::HashSet::new();
        loop {
            let page = self.list_page(&q)?;
            all.extend(page.schemas);
            progress(all.len());
            match page.next_page_token {
                Some(t) if seen.insert(t.clone()) => q.page_token = Some(t),
                Some(_) => return Err(ApiError::Paging(all.len())),
                None => return Ok(all),
            }
        }
    }
}

fn read_id(status: u16, body: &Value) -> Result<String> {
    body.get("id")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| ApiError::BadResponse {
            status,
            detail: "the answer has no \"id\"".into(),
        })
}

fn read_record(v: &Value) -> Option<SchemaRecord> {
    Some(SchemaRecord {
        id: v.get("id")?.as_str()?.to_string(),
        schema: v.get("schema")?.clone(),
        created_at: v
            .get("metadata")
            .and_then(|m| m.get("created_at"))
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

fn snippet(text: &str) -> String {
    let t: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        format!("{t}…")
    } else {
        t
    }
}
