//! The server's revisions of a nextgen schema, beside the local history (experimental, as the
//! nextgen API client is): every revision the server registered for the open schema's
//! `objectType` (`GET /schemas?object_type=…&revisions=all`, every page), each marked with the
//! local revision that holds the same document, if any. Listing runs on a background thread.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

use super::Controller;
use super::nextgen_task::Task;
use crate::store::{SchemaId, Store};
use crate::sync::Token;
use crate::sync::nextgen::{self as api, ListQuery, NextgenClient, Revisions};

#[derive(Debug, Clone, PartialEq)]
pub enum NextgenServerCommand {
    /// Lists the open schema's revisions on the server at `url`.
    List(String),
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
    /// A secret given directly (tests); otherwise `ZITADEL_TOKEN` or the OS keyring.
    pub(super) token: Option<Token>,
    task: Option<Task<Listing>>,
}

/// A listing's outcome: the schema and its server revisions, or why not.
type Listing = Result<(SchemaId, Vec<ServerRevision>), String>;

impl NextgenServerState {
    pub fn is_idle(&self) -> bool {
        self.task.is_none()
    }

    pub fn is_working(&self) -> bool {
        self.task.is_some()
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

fn list(
    db: PathBuf,
    id: SchemaId,
    object_type: String,
    url: String,
    token: Option<Token>,
) -> Listing {
    let base = url::Url::parse(url.trim()).map_err(|e| format!("{}: {e}", url.trim()))?;
    let token = match token {
        Some(t) => t,
        None => {
            Token::resolve(&api::keyring_user(&base))
                .map_err(|e| e.to_string())?
                .0
        }
    };
    let client =
        NextgenClient::new(&base, token, Duration::from_secs(20)).map_err(|e| e.to_string())?;
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
        let NextgenServerCommand::List(url) = command;
        let Some(editor) = &self.state.editor else {
            return;
        };
        let (id, object_type) = (editor.id, editor.saved.type_name.clone());
        let db = self.state.db_path.clone();
        let s = &mut self.state.nextgen_server;
        if s.task.is_some() {
            return;
        }
        s.url = url.clone();
        s.error = None;
        let token = s.token.clone();
        s.task = Some(Task::spawn(ctx, "nextgen-list", move || {
            list(db, id, object_type, url, token)
        }));
    }

    pub(super) fn poll_nextgen_server(&mut self) {
        let s = &mut self.state.nextgen_server;
        let Some(result) = s.task.as_ref().and_then(Task::poll) else {
            return;
        };
        s.task = None;
        match result {
            Ok(Ok(listed)) => s.listed = Some(listed),
            Ok(Err(e)) => s.error = Some(e),
            Err(_) => s.error = Some("the listing stopped unexpectedly".into()),
        }
    }
}
