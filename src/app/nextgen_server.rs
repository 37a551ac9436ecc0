//! The server's revisions of a nextgen schema, beside the local history (experimental, as the
//! nextgen API client is): every revision the server registered for the open schema's
//! `objectType` (`GET /schemas?object_type=…&revisions=all`, every page), each marked with the
//! local revision that holds the same document, if any; and "push", which registers the open
//! schema's saved revision as a new server revision (`POST /schemas`) after checking it against
//! the meta-schemas the editor uses. Listing and pushing run on a background thread.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::Controller;
use super::tasks::{Latest, repaint};
use crate::nextgen::validate::{MetaSet, validate_document};
use crate::store::{SchemaId, Store};
use crate::sync::Token;
use crate::sync::nextgen::{self as api, ListQuery, NextgenClient, Revisions};

/// The API version the client speaks, shown beside the server controls.
pub const API_VERSION: &str = api::API_VERSION;

#[derive(Debug, Clone, PartialEq)]
pub enum NextgenServerCommand {
    /// Lists the open schema's revisions on the server at `url`.
    List(String),
    /// Registers the open schema's saved revision on the server at `url` as a new revision.
    Push(String),
}

/// A push's outcome: which local revision became which server revision.
#[derive(Debug, Clone, PartialEq)]
pub struct Pushed {
    pub schema: SchemaId,
    pub local: u32,
    /// The new server revision's id.
    pub id: String,
}

/// One revision on the server.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerRevision {
    pub id: String,
    pub created_at: Option<String>,
    /// The local revision with the same document.
    pub local: Option<u32>,
}

#[derive(Debug, Default)]
pub struct NextgenServerState {
    /// The API's base address as typed.
    pub url: String,
    /// The schema listed, and its revisions on the server (oldest first, as the server lists).
    pub listed: Option<(SchemaId, Vec<ServerRevision>)>,
    pub error: Option<String>,
    /// The last push that registered a revision.
    pub pushed: Option<Pushed>,
    /// A secret given directly (tests); otherwise `ZITADEL_TOKEN` or the OS keyring.
    pub(super) token: Option<Token>,
    task: Latest<Outcome>,
}

/// A listing's outcome: the schema and its server revisions, or why not.
type Listing = Result<(SchemaId, Vec<ServerRevision>), String>;

#[derive(Debug)]
enum Outcome {
    Listed(Listing),
    Pushed(Result<Pushed, String>),
    /// The job did not answer (its thread could not start, or it panicked).
    Failed(String),
}

impl NextgenServerState {
    pub fn is_idle(&self) -> bool {
        !self.task.is_running()
    }

    pub fn is_working(&self) -> bool {
        self.task.is_running()
    }
}

/// Documents compare without the server's `$id`.
fn same(a: &Value, b: &Value) -> bool {
    let strip = |v: &Value| {
        let mut v = v.clone();
        if let Value::Object(m) = &mut v {
            m.shift_remove("$id");
        }
        v
    };
    strip(a) == strip(b)
}

/// A client for `url` with the given secret, else `ZITADEL_TOKEN` or the OS keyring's.
fn client(url: &str, token: Option<Token>) -> Result<NextgenClient, String> {
    let base = url::Url::parse(url.trim()).map_err(|e| format!("{}: {e}", url.trim()))?;
    let token = match token {
        Some(t) => t,
        None => {
            Token::resolve(&api::keyring_user(&base))
                .map_err(|e| e.to_string())?
                .0
        }
    };
    NextgenClient::new(&base, token, Duration::from_secs(20)).map_err(|e| e.to_string())
}

/// Checks the saved document as the editor does, then registers it (nothing is sent when
/// it is not valid).
fn push(
    url: &str,
    token: Option<Token>,
    (schema, local, text): (SchemaId, u32, String),
    metas: Option<Arc<MetaSet>>,
) -> Result<Pushed, String> {
    let metas = metas.unwrap_or_else(|| Arc::new(MetaSet::bundled()));
    let v = validate_document(&text, &metas);
    let doc = match v.document {
        Some(doc) if v.diagnostics.is_empty() => doc,
        _ => {
            return Err(format!(
                "revision {local} is not valid against {}; nothing was sent: {}",
                metas.describe(),
                v.diagnostics
                    .iter()
                    .map(|d| format!("{}:{} {}", d.line, d.column, d.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
    };
    let id = client(url, token)?
        .create(&doc)
        .map_err(|e| e.to_string())?;
    Ok(Pushed { schema, local, id })
}

fn list(
    db: PathBuf,
    id: SchemaId,
    object_type: String,
    url: String,
    token: Option<Token>,
) -> Listing {
    let client = client(&url, token)?;
    let query = ListQuery {
        object_type: Some(object_type),
        revisions: Some(Revisions::All),
        ..ListQuery::default()
    };
    let records = client
        .list_all(&query, &mut |_| {})
        .map_err(|e| e.to_string())?;
    let store = Store::open(&db).map_err(|e| e.to_string())?;
    let history = store.history(id).map_err(|e| e.to_string())?;
    let mut locals = Vec::new();
    for h in history {
        let rev = store.revision(id, h.number).map_err(|e| e.to_string())?;
        locals.push((h.number, rev.draft.schema));
    }
    Ok((
        id,
        records
            .into_iter()
            .map(|r| ServerRevision {
                local: locals
                    .iter()
                    .filter(|(_, doc)| same(doc, &r.schema))
                    .map(|(n, _)| *n)
                    .max(),
                id: r.id,
                created_at: r.created_at,
            })
            .collect(),
    ))
}

impl Controller {
    /// Uses `token` for the nextgen server instead of `ZITADEL_TOKEN` or the keyring.
    pub fn set_nextgen_token(&mut self, token: Token) {
        self.state.nextgen_server.token = Some(token);
    }

    pub(super) fn run_nextgen_server(
        &mut self,
        command: NextgenServerCommand,
        ctx: &egui::Context,
    ) {
        let Some(editor) = &self.state.editor else {
            return;
        };
        let (id, object_type) = (editor.id, editor.saved.type_name.clone());
        let saved = (id, editor.saved_revision, editor.saved.schema_text.clone());
        let metas = self.state.workspace.metas_of(id);
        let db = self.state.db_path.clone();
        let s = &mut self.state.nextgen_server;
        if s.task.is_running() {
            return;
        }
        s.error = None;
        let token = s.token.clone();
        let lost = |why| Outcome::Failed(format!("the server job did not finish: {why}"));
        match command {
            NextgenServerCommand::List(url) => {
                s.url = url.clone();
                s.task.start(
                    repaint(ctx),
                    "nextgen-list",
                    move || Outcome::Listed(list(db, id, object_type, url, token)),
                    lost,
                );
            }
            NextgenServerCommand::Push(url) => {
                s.url = url.clone();
                s.pushed = None;
                s.task.start(
                    repaint(ctx),
                    "nextgen-push",
                    move || Outcome::Pushed(push(&url, token, saved, metas)),
                    lost,
                );
            }
        }
    }

    pub(super) fn poll_nextgen_server(&mut self) {
        let s = &mut self.state.nextgen_server;
        let Some(outcome) = s.task.poll() else {
            return;
        };
        match outcome {
            Outcome::Listed(Ok(listed)) => s.listed = Some(listed),
            Outcome::Pushed(Ok(pushed)) => s.pushed = Some(pushed),
            Outcome::Listed(Err(e)) | Outcome::Pushed(Err(e)) | Outcome::Failed(e) => {
                s.error = Some(e)
            }
        }
    }
}
