//! Errors of server sync, each with a sentence an administrator can act on, worded for the
//! operation that was asked (a list that gets a 400 never says "the schema is invalid").
//! No error text ever holds the token: a server's message is redacted as a whole, then
//! freed of control characters and cut to a readable length, before it is kept.

use crate::schema::diff::unified;
use crate::schema::{Diagnostic, UserSchemaDraft};

use super::Generation;

/// What was asked of the server, for the words of an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Operation {
    /// Not known (an answer read on its own).
    #[default]
    Request,
    Create,
    Update,
    Get,
    List,
    Deactivate,
    Reactivate,
    Delete,
}

impl Operation {
    /// What was asked, as the object of "the server refused to …".
    pub fn describe(self) -> &'static str {
        match self {
            Operation::Request => "answer the request",
            Operation::Create => "create the schema",
            Operation::Update => "update the schema",
            Operation::Get => "send the schema",
            Operation::List => "list its schemas",
            Operation::Deactivate => "deactivate the schema",
            Operation::Reactivate => "reactivate the schema",
            Operation::Delete => "delete the schema",
        }
    }

    /// Whether the request carried a schema the server may refuse as invalid.
    fn sends_schema(self) -> bool {
        matches!(self, Operation::Create | Operation::Update)
    }
}

/// The error body the server sends: `{code, message, details:[{id, message}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiStatus {
    /// What was asked.
    pub op: Operation,
    /// The HTTP status.
    pub http: u16,
    /// The gRPC code, when the body had one.
    pub code: Option<i32>,
    /// The server's message (redacted, control characters removed, cut to a readable length).
    pub message: String,
    /// The error id from the details (`V3-DKcYh`), when there was one.
    pub id: Option<String>,
}

impl ApiStatus {
    /// Why a precondition failed, for the operation that was asked.
    fn precondition(&self) -> &'static str {
        match self.op {
            Operation::Update => {
                "the schema is not active on the server (deactivated or deleted), so it cannot be updated"
            }
            Operation::Deactivate => {
                "the schema is not active on the server (already deactivated, or deleted), so it cannot be deactivated"
            }
            Operation::Reactivate => {
                "the schema is not deactivated on the server (active, or deleted), so it cannot be reactivated"
            }
            Operation::Delete => "the schema does not exist on the server, so it cannot be deleted",
            _ => {
                "the server refused: the schema is not in a state that allows this (update and deactivate need an active schema, reactivate an inactive one, delete an existing one)"
            }
        }
    }

    fn not_found(&self) -> String {
        match self.op {
            Operation::Get => "the schema was not found on the server".to_string(),
            Operation::Request => "not found on the server".to_string(),
            op => format!("the server found nothing when asked to {}", op.describe()),
        }
    }

    fn said(&self) -> String {
        if self.message.is_empty() {
            String::new()
        } else {
            format!(" (the server said: {})", self.message)
        }
    }
}

/// Both sides of a conflict, for a diff and the choice keep-mine / take-theirs.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub type_name: String,
    pub remote_id: String,
    /// The local revision number that was to be pushed.
    pub local_revision: u32,
    pub local: UserSchemaDraft,
    /// The server's copy now.
    pub remote: UserSchemaDraft,
    pub remote_revision: Option<u32>,
    /// The server's revision when it was last pushed to or pulled from.
    pub known_remote_revision: Option<u32>,
}

impl Conflict {
    /// A unified diff from the server's copy to the local draft, as request bodies.
    pub fn unified_diff(&self) -> String {
        unified(
            &self.remote.request_body_pretty(),
            &self.local.request_body_pretty(),
            &format!(
                "server {} (revision {})",
                self.remote_id,
                self.remote_revision.map_or("?".into(), |r| r.to_string())
            ),
            &format!("local {} revision {}", self.type_name, self.local_revision),
        )
    }
}

/// What went wrong while talking to a server.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(
        "{url} uses plain http, which is only allowed for this computer (localhost, 127.0.0.0/8, ::1); use https://"
    )]
    InsecureUrl { url: String },
    #[error("\"{url}\" is not a usable server address: {reason}")]
    BadUrl { url: String, reason: String },
    #[error(
        "no token for server \"{server}\": set the ZITADEL_TOKEN environment variable or store one in the keyring with `schemadesk remote token {server}`"
    )]
    NoToken { server: String },
    /// The keyring failed (not: it has no entry). Told apart from [`SyncError::NoToken`] so
    /// that a broken keyring is not reported as a token never stored.
    #[error(
        "cannot read the token of server \"{server}\": the keyring could not be used ({reason}); fix the keyring or set the ZITADEL_TOKEN environment variable"
    )]
    KeyringRead { server: String, reason: String },
    #[error("cannot use the CA file {}: {reason}", path.display())]
    CaFile {
        path: std::path::PathBuf,
        reason: String,
    },
    #[error("the keyring could not be used: {0}")]
    Keyring(String),
    #[error("the schema is not valid; nothing was sent. {} problem(s), first: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    Invalid(Vec<Diagnostic>),

    #[error("{}{}", .0.not_found(), .0.said())]
    NotFound(ApiStatus),
    #[error("a schema of this type already exists on the server{}", .0.said())]
    AlreadyExists(ApiStatus),
    #[error(
        "no permission: the token's user needs to be an instance administrator (IAM_OWNER){}",
        .0.said()
    )]
    PermissionDenied(ApiStatus),
    /// Code 3 on a create or an update: the schema (type, content or authenticators) was refused.
    #[error("the server refused the schema as invalid{}", .0.said())]
    InvalidOnServer(ApiStatus),
    /// Code 3 on any other call: the request itself did not suit the server.
    #[error(
        "the server could not read the request to {} (HTTP {}, code 3): this version of schemadesk and the server disagree about the API{}",
        .0.op.describe(), .0.http, .0.said()
    )]
    Malformed(ApiStatus),
    #[error(
        "user schemas are not enabled on this instance: turn on the UserSchema feature flag{}",
        .0.said()
    )]
    FeatureDisabled(ApiStatus),
    #[error("{}{}", .0.precondition(), .0.said())]
    FailedPrecondition(ApiStatus),
    #[error("the server refused the token (bad or expired); get a new one{}", .0.said())]
    Unauthenticated(ApiStatus),
    #[error("the server had an internal error when asked to {} (HTTP {}){}", .0.op.describe(), .0.http, .0.said())]
    ServerError(ApiStatus),
    #[error("the server refused to {} (HTTP {}{}){}", .0.op.describe(), .0.http, .0.code.map(|c| format!(", code {c}")).unwrap_or_default(), .0.said())]
    Refused(ApiStatus),

    #[error("the server did not answer in time ({0} s)")]
    Timeout(u64),
    #[error("cannot reach the server: {0}")]
    Connect(String),
    #[error("the secure connection failed (is the certificate valid for this host?): {0}")]
    Tls(String),
    #[error("the connection broke off: {0}")]
    ConnectionLost(String),
    #[error("the server's answer is not what the API promises (HTTP {status}): {detail}")]
    BadResponse { status: u16, detail: String },
    #[error("cancelled")]
    Cancelled,
    #[error(
        "the token has characters that cannot be sent (only visible ASCII is allowed: no spaces, line breaks or accented letters); copy the token again"
    )]
    BadToken,
    #[error("the server gave a schema id that cannot be used ({id}): {reason}; nothing was sent")]
    BadId { id: String, reason: String },
    #[error(
        "the server lists more than {limit} schemas (it claims {claimed}); schemadesk stops listing there"
    )]
    TooMany { limit: usize, claimed: String },
    #[error("the server's schema \"{type_name}\" ({remote_id}) was not imported: {reason}")]
    NotImported {
        type_name: String,
        remote_id: String,
        reason: String,
    },
    #[error(
        "the server says a schema of this type already exists, and checking whether an earlier push whose answer was lost created it failed: {source}"
    )]
    LostCreateCheck { source: Box<SyncError> },

    #[error(
        "the schema changed on the server since the last push or pull (server revision {}, last known {}); nothing was sent",
        .0.remote_revision.map_or("?".into(), |r| r.to_string()),
        .0.known_remote_revision.map_or("none".into(), |r| r.to_string())
    )]
    Conflict(Box<Conflict>),
    #[error(
        "the schema {remote_id} no longer exists on the server (deleted there?); push with --force to create it anew"
    )]
    RemoteGone { remote_id: String },
    #[error(
        "\"{type_name}\" is not bound to a schema on server \"{server}\"; push it first or import it with `pull --import`"
    )]
    NotBound { type_name: String, server: String },
    #[error("{source}. The push was queued; retry with `schemadesk push --retry-queued`")]
    Queued { source: Box<SyncError> },
    #[error("no API generation of user schemas answers at {url} (tried {tried})")]
    NoGeneration { url: String, tried: String },
    /// A local failure (the store) of the caller that ran the operation. `sync` never makes
    /// one itself; the service layer converts its store errors into it (`From<StoreError>`
    /// lives there, so that `sync` does not depend on the store).
    #[error("{0}")]
    Store(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl SyncError {
    /// A failure for lack of network: the request may be tried again later.
    pub fn is_network(&self) -> bool {
        match self {
            SyncError::Timeout(_) | SyncError::Connect(_) | SyncError::ConnectionLost(_) => true,
            SyncError::LostCreateCheck { source } => source.is_network(),
            _ => false,
        }
    }

    /// The server's status, for errors that came from an answer.
    pub fn status(&self) -> Option<&ApiStatus> {
        match self {
            SyncError::NotFound(s)
            | SyncError::AlreadyExists(s)
            | SyncError::PermissionDenied(s)
            | SyncError::InvalidOnServer(s)
            | SyncError::Malformed(s)
            | SyncError::FeatureDisabled(s)
            | SyncError::FailedPrecondition(s)
            | SyncError::Unauthenticated(s)
            | SyncError::ServerError(s)
            | SyncError::Refused(s) => Some(s),
            SyncError::Queued { source } | SyncError::LostCreateCheck { source } => source.status(),
            _ => None,
        }
    }

    /// Maps an answer that is not a success to an error, by gRPC code first, then HTTP status,
    /// worded for the operation in `status.op`.
    pub fn from_status(status: ApiStatus) -> SyncError {
        let id = status.id.as_deref().unwrap_or("");
        match (status.code, status.http) {
            (_, 401) | (Some(16), _) => SyncError::Unauthenticated(status),
            (Some(9), _) if id == "SCHEMA-SFjk3" || status.message.contains("SCHEMA-SFjk3") => {
                SyncError::FeatureDisabled(status)
            }
            (Some(9), _) => SyncError::FailedPrecondition(status),
            (Some(6), _) | (None, 409) => SyncError::AlreadyExists(status),
            (Some(7), _) | (None, 403) => SyncError::PermissionDenied(status),
            (Some(5), _) | (None, 404) => SyncError::NotFound(status),
            (Some(3), _) if status.op.sends_schema() => SyncError::InvalidOnServer(status),
            (Some(3), _) => SyncError::Malformed(status),
            (_, 500..=599) => SyncError::ServerError(status),
            _ => SyncError::Refused(status),
        }
    }
}

/// The generation a server answered, for messages.
pub fn describe(generation: Generation) -> &'static str {
    match generation {
        Generation::V1 => "generation 1 (/v3alpha/user_schemas)",
        Generation::V2 => "generation 2 (/resources/v3alpha/user_schemas)",
    }
}
