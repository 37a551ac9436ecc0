//! The operations over a store and a server: push (create or update, with conflict
//! detection and the offline queue), list beside the local schemas, import, state changes.
//! On any failure the local schemas and revisions are left as they were.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use serde::Serialize;

use super::client::{
    ClientOptions, StateAction, UserSchemaApi, check_id, check_url, connect, probe,
};
use super::error::{Conflict, SyncError};
use super::model::{Details, Generation, RemoteSchema, RemoteState, remote_hash, same_content};
use super::token::Token;
use crate::schema::{Source, UserSchemaDraft, validate};
use crate::store::{
    Binding, BindingUpdate, ListFilter, PushRecord, Revision, SchemaId, SchemaSummary, Server,
    Store, StoreError,
};

/// The state word a binding keeps after a delete on the server.
pub const DELETED: &str = "DELETED";

/// Checks a draft with the one validation engine before anything is sent.
pub fn check_draft(draft: &UserSchemaDraft) -> Result<(), SyncError> {
    let text = draft.schema_pretty();
    let v = validate(Source::Parts {
        type_name: &draft.type_name,
        schema_text: &text,
        authenticators: &draft.possible_authenticators,
    });
    if v.is_valid() {
        Ok(())
    } else {
        Err(SyncError::Invalid(v.diagnostics))
    }
}

/// Connects to a stored server. When its generation is unknown it is probed and recorded.
pub fn open_api(
    store: &mut Store,
    server: &Server,
    token: Token,
    options: &ClientOptions,
    cancel: Option<Arc<AtomicBool>>,
) -> Result<Box<dyn UserSchemaApi>, SyncError> {
    let url = check_url(&server.base_url)?;
    let generation = match server.generation.and_then(Generation::from_number) {
        Some(g) => g,
        None => {
            let report = probe(&url, token.clone(), options, cancel.clone())?;
            let chosen = report.chosen().ok_or_else(|| SyncError::NoGeneration {
                url: server.base_url.clone(),
                tried: "both generations".into(),
            })?;
            store.set_server_generation(server.id, Some(chosen.number()))?;
            chosen
        }
    };
    connect(&url, generation, token, options, cancel)
}

/// Connects to a stored server (probing it when its generation is unknown) and pushes one
/// revision. One queue rule: a failure for lack of network queues the push when asked to,
/// whether it happened while probing or while pushing. An invalid revision is never queued.
pub fn connect_and_push(
    store: &mut Store,
    server: &Server,
    token: Token,
    client: &ClientOptions,
    cancel: Option<Arc<AtomicBool>>,
    rev: &Revision,
    options: PushOptions,
) -> Result<PushReport, SyncError> {
    check_draft(&rev.draft)?;
    let api = match open_api(store, server, token, client, cancel) {
        Ok(api) => api,
        Err(e) => return Err(queue_if_network(store, server, rev, options, e)),
    };
    push_revision(store, api.as_ref(), server, rev, options)
}

/// Queues the push of `rev` when `e` is a failure for lack of network and queueing is asked for.
fn queue_if_network(
    store: &mut Store,
    server: &Server,
    rev: &Revision,
    options: PushOptions,
    e: SyncError,
) -> SyncError {
    if !(e.is_network() && options.queue_on_network_error) {
        return e;
    }
    match store.queue_push(rev.schema_id, server.id, rev.id, &e.to_string()) {
        Ok(_) => SyncError::Queued {
            source: Box::new(e),
        },
        Err(store_error) => {
            tracing::warn!("cannot queue the push: {store_error}");
            e
        }
    }
}

/// Options of a push.
#[derive(Debug, Clone, Copy, Default)]
pub struct PushOptions {
    /// Keep mine: update even if the server's copy moved since the last push or pull.
    pub force: bool,
    /// Queue the push when the network fails (the CLI and the GUI do; retries do not re-queue).
    pub queue_on_network_error: bool,
}

/// What a push did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PushKind {
    /// The schema was created on the server (POST).
    Created,
    /// The server's copy was updated (PUT or PATCH).
    Updated,
    /// The server already held this content; nothing was sent, the binding was recorded.
    AlreadyThere,
}

/// The outcome of a successful push.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PushReport {
    pub kind: PushKind,
    pub type_name: String,
    pub local_revision: u32,
    pub remote_id: String,
    pub remote_revision: Option<u32>,
    pub details: Details,
    pub generation: Generation,
    /// Things worth telling the administrator (e.g. that an empty authenticator list does
    /// not clear the server's).
    pub notes: Vec<String>,
}

/// Pushes the latest revision of a schema.
pub fn push(
    store: &mut Store,
    api: &dyn UserSchemaApi,
    server: &Server,
    schema: SchemaId,
    options: PushOptions,
) -> Result<PushReport, SyncError> {
    let rev = store.latest_revision(schema)?;
    push_revision(store, api, server, &rev, options)
}

/// Pushes one revision: validates it, creates or updates on the server, records the push.
/// A failure for lack of network queues the push when asked to.
pub fn push_revision(
    store: &mut Store,
    api: &dyn UserSchemaApi,
    server: &Server,
    rev: &Revision,
    options: PushOptions,
) -> Result<PushReport, SyncError> {
    check_draft(&rev.draft)?;
    let binding = store.binding(rev.schema_id, server.id)?;
    let result = attempt(store, api, server, rev, binding, options);
    if let Err(e) = &result {
        tracing::info!(r#type = ?rev.draft.type_name, revision = rev.number, server = ?server.name, outcome = "failed", error = %e, "push");
    }
    result.map_err(|e| queue_if_network(store, server, rev, options, e))
}

fn attempt(
    store: &mut Store,
    api: &dyn UserSchemaApi,
    server: &Server,
    rev: &Revision,
    binding: Option<Binding>,
    options: PushOptions,
) -> Result<PushReport, SyncError> {
    let local = &rev.draft;
    let bound = binding.filter(|b| b.remote_state.as_deref() != Some(DELETED));
    let Some(b) = bound else {
        return create(store, api, server, rev);
    };
    let remote = match api.get(&b.remote_id) {
        Ok(r) if r.state != RemoteState::Unspecified => Some(r),
        Ok(_) | Err(SyncError::NotFound(_)) => None,
        Err(e) => return Err(e),
    };
    let Some(remote) = remote else {
        if options.force {
            return create(store, api, server, rev);
        }
        return Err(SyncError::RemoteGone {
            remote_id: b.remote_id,
        });
    };
    let remote_draft = remote.draft();
    // Sending no authenticators does not clear the server's: what the server will hold.
    let mut expected = local.clone();
    let mut notes = Vec::new();
    if local.possible_authenticators.is_empty() && !remote.authenticators.is_empty() {
        expected.possible_authenticators = remote.authenticators.clone();
        notes.push(format!(
            "the server keeps its authenticators ({}): an empty list does not clear them",
            remote
                .authenticators
                .iter()
                .map(|a| a.short_name())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if same_content(&remote_draft, &expected) {
        let mut report = record(
            store,
            api,
            server,
            rev,
            PushKind::AlreadyThere,
            &remote.id,
            remote.revision,
            remote.state,
            remote.details,
            &expected,
        )?;
        report.notes = notes;
        return Ok(report);
    }
    let moved = b.remote_revision != remote.revision
        || b.last_content_hash.as_deref() != Some(remote_hash(&remote_draft).as_str());
    if moved && !options.force {
        return Err(SyncError::Conflict(Box::new(Conflict {
            type_name: local.type_name.clone(),
            remote_id: remote.id.clone(),
            local_revision: rev.number,
            local: local.clone(),
            remote: remote_draft,
            remote_revision: remote.revision,
            known_remote_revision: b.remote_revision,
        })));
    }
    let details = api.update(&remote.id, local)?;
    // Only a change of the schema makes a new revision on the server.
    let schema_changed = !same_content(
        &UserSchemaDraft::new("", remote.schema.clone(), []),
        &UserSchemaDraft::new("", local.schema.clone(), []),
    );
    let remote_revision = if schema_changed {
        remote.revision.map(|r| r + 1)
    } else {
        remote.revision
    };
    let mut report = record(
        store,
        api,
        server,
        rev,
        PushKind::Updated,
        &remote.id,
        remote_revision,
        RemoteState::Active,
        details,
        &expected,
    )?;
    report.notes = notes;
    Ok(report)
}

fn create(
    store: &mut Store,
    api: &dyn UserSchemaApi,
    server: &Server,
    rev: &Revision,
) -> Result<PushReport, SyncError> {
    match api.create(&rev.draft) {
        Ok(created) => record(
            store,
            api,
            server,
            rev,
            PushKind::Created,
            &created.id,
            Some(1),
            RemoteState::Active,
            created.details,
            &rev.draft,
        ),
        Err(SyncError::AlreadyExists(status)) => {
            // A create whose answer was lost may have gone through: bind it if it holds this
            // content. A list that fails says so; it is never taken for "already exists".
            let all = api
                .list_all(&mut |_, _| {})
                .map_err(|e| SyncError::LostCreateCheck {
                    source: Box::new(e),
                })?;
            let found = all
                .into_iter()
                .find(|r| r.type_name == rev.draft.type_name)
                .filter(|r| check_id(&r.id).is_ok() && same_content(&r.draft(), &rev.draft));
            match found {
                Some(r) => record(
                    store,
                    api,
                    server,
                    rev,
                    PushKind::AlreadyThere,
                    &r.id,
                    r.revision,
                    r.state,
                    r.details.clone(),
                    &r.draft(),
                ),
                None => Err(SyncError::AlreadyExists(status)),
            }
        }
        Err(e) => Err(e),
    }
}

#[allow(clippy::too_many_arguments)]
fn record(
    store: &mut Store,
    api: &dyn UserSchemaApi,
    server: &Server,
    rev: &Revision,
    kind: PushKind,
    remote_id: &str,
    remote_revision: Option<u32>,
    state: RemoteState,
    details: Details,
    on_server: &UserSchemaDraft,
) -> Result<PushReport, SyncError> {
    let push = PushRecord {
        remote_id: remote_id.to_string(),
        remote_revision,
        sequence: details.sequence.clone(),
        change_date: details.change_date.clone().or(details.created.clone()),
        resource_owner: details.resource_owner.clone(),
    };
    let binding = BindingUpdate {
        remote_id: remote_id.to_string(),
        remote_revision,
        remote_state: Some(state.as_str().to_string()),
        last_details: Some(details.to_json()),
        last_content_hash: Some(remote_hash(on_server)),
    };
    store.record_push(rev.schema_id, rev.id, server.id, &push, &binding)?;
    Ok(PushReport {
        kind,
        type_name: rev.draft.type_name.clone(),
        local_revision: rev.number,
        remote_id: remote_id.to_string(),
        remote_revision,
        details,
        generation: api.generation(),
        notes: Vec::new(),
    })
}

/// How a server's schema relates to the local ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SyncStatus {
    /// Bound, and both hold the same content.
    InSync,
    /// Bound; the local schema changed since the last push or pull.
    LocalAhead,
    /// Bound; the server's copy changed since the last push or pull.
    RemoteAhead,
    /// Bound; both changed.
    Diverged,
    /// On the server only.
    RemoteOnly,
    /// Not bound, but a local schema has the same type (same content or not).
    SameType { same_content: bool },
    /// Local only (never pushed to this server).
    LocalOnly,
    /// Bound, but the server no longer lists it.
    Gone,
}

impl SyncStatus {
    pub fn label(self) -> &'static str {
        match self {
            SyncStatus::InSync => "in sync",
            SyncStatus::LocalAhead => "local changes",
            SyncStatus::RemoteAhead => "server changes",
            SyncStatus::Diverged => "both changed",
            SyncStatus::RemoteOnly => "server only",
            SyncStatus::SameType { same_content: true } => "same type, same content (not bound)",
            SyncStatus::SameType {
                same_content: false,
            } => "same type, other content (not bound)",
            SyncStatus::LocalOnly => "local only",
            SyncStatus::Gone => "gone from server",
        }
    }
}

/// One row of the side-by-side list.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteRow {
    pub remote: Option<RemoteSchema>,
    pub local: Option<SchemaSummary>,
    pub binding: Option<Binding>,
    pub status: SyncStatus,
}

impl RemoteRow {
    pub fn type_name(&self) -> &str {
        self.remote
            .as_ref()
            .map(|r| r.type_name.as_str())
            .or(self.local.as_ref().map(|l| l.type_name.as_str()))
            .unwrap_or_default()
    }
}

/// Puts the server's schemas beside the local ones.
pub fn compare(
    store: &Store,
    server: &Server,
    remotes: Vec<RemoteSchema>,
) -> Result<Vec<RemoteRow>, SyncError> {
    tracing::info!(server = ?server.name, schemas = remotes.len(), outcome = "listed", "pull");
    let locals = store.list_schemas(ListFilter::default())?;
    let bindings = store.bindings_for_server(server.id)?;
    let mut used_locals = std::collections::HashSet::new();
    let mut rows = Vec::new();
    for remote in remotes {
        let binding = bindings.iter().find(|b| b.remote_id == remote.id).cloned();
        let local = match &binding {
            Some(b) => locals.iter().find(|l| l.id == b.schema_id).cloned(),
            None => locals
                .iter()
                .find(|l| {
                    l.type_name == remote.type_name && !bindings.iter().any(|b| b.schema_id == l.id)
                })
                .cloned(),
        };
        let status = match (&binding, &local) {
            (_, None) => SyncStatus::RemoteOnly,
            (Some(b), Some(l)) => {
                // An empty local authenticator list leaves the server's in place when pushed.
                let mut local_draft = store.latest_revision(l.id)?.draft;
                if local_draft.possible_authenticators.is_empty() {
                    local_draft.possible_authenticators = remote.authenticators.clone();
                }
                let local_hash = remote_hash(&local_draft);
                let remote_hash_now = remote_hash(&remote.draft());
                let known = b.last_content_hash.as_deref();
                if local_hash == remote_hash_now {
                    SyncStatus::InSync
                } else {
                    let remote_moved = b.remote_revision != remote.revision
                        || known != Some(remote_hash_now.as_str());
                    let local_moved = known != Some(local_hash.as_str());
                    match (local_moved, remote_moved) {
                        (true, true) => SyncStatus::Diverged,
                        (false, true) => SyncStatus::RemoteAhead,
                        _ => SyncStatus::LocalAhead,
                    }
                }
            }
            (None, Some(l)) => SyncStatus::SameType {
                same_content: same_content(&store.latest_revision(l.id)?.draft, &remote.draft()),
            },
        };
        if let Some(l) = &local {
            used_locals.insert(l.id);
        }
        rows.push(RemoteRow {
            remote: Some(remote),
            local,
            binding,
            status,
        });
    }
    for l in locals {
        if used_locals.contains(&l.id) {
            continue;
        }
        let binding = bindings.iter().find(|b| b.schema_id == l.id).cloned();
        let status = match &binding {
            Some(b) if b.remote_state.as_deref() != Some(DELETED) => SyncStatus::Gone,
            _ => SyncStatus::LocalOnly,
        };
        rows.push(RemoteRow {
            remote: None,
            local: Some(l),
            binding,
            status,
        });
    }
    Ok(rows)
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportReport {
    pub schema_id: i64,
    pub type_name: String,
    pub revision: u32,
    /// False when the local schema already held this content.
    pub changed: bool,
    pub remote_id: String,
    pub remote_revision: Option<u32>,
    /// Things worth telling the administrator (e.g. authenticator types this build does not know).
    pub notes: Vec<String>,
}

/// Imports a server's schema as a local schema (or a new revision of the bound or
/// same-type one) and binds it. This is also "take theirs" after a conflict.
///
/// Two short transactions: the revision first, then the binding. Should the second fail,
/// a repeated import finds the content unchanged and only writes the binding.
pub fn import(
    store: &mut Store,
    server: &Server,
    remote: &RemoteSchema,
) -> Result<ImportReport, SyncError> {
    let draft = remote.draft();
    check_remote(remote)?;
    let bound = match store.binding_by_remote_id(server.id, &remote.id)? {
        Some(b) => match store.schema(b.schema_id) {
            Ok(s) if s.deleted_at.is_none() => Some(s.id),
            _ => None,
        },
        None => None,
    };
    let target = match bound {
        Some(id) => Some(id),
        None => match store.find_by_type(&draft.type_name)? {
            Some(s) => match store.binding(s.id, server.id)? {
                Some(b)
                    if b.remote_id != remote.id && b.remote_state.as_deref() != Some(DELETED) =>
                {
                    return Err(SyncError::Store(StoreError::TypeTaken(format!(
                        "{} (bound to server schema {})",
                        draft.type_name, b.remote_id
                    ))));
                }
                _ => Some(s.id),
            },
            None => None,
        },
    };
    // A v3alpha pull never writes into a nextgen schema (issue 20): its document is another
    // dialect, tied to its user type by its objectType.
    if let Some(id) = target
        && store.target(id)? == crate::nextgen::Target::Nextgen
    {
        return Err(SyncError::NotImported {
            type_name: super::client::clean_message(&remote.type_name, &str::to_string),
            remote_id: super::client::clean_message(&remote.id, &str::to_string),
            reason: format!(
                "the local \"{}\" is a ZITADEL nextgen schema, and a v3alpha pull would overwrite it with another dialect; pull it into a store without it, or convert the local one to v3alpha under another type",
                draft.type_name
            ),
        });
    }
    let message = format!(
        "Pulled from {} (server revision {})",
        server.name,
        remote.revision.map_or("?".into(), |r| r.to_string())
    );
    let outcome = match target {
        Some(id) => store.save_revision(id, &draft, &message)?,
        None => store.save_by_type(&draft, &message)?,
    };
    let rev = outcome.revision();
    tracing::info!(r#type = ?rev.draft.type_name, revision = rev.number, server = ?server.name, remote_revision = remote.revision, outcome = if outcome.created() { "pulled" } else { "unchanged" }, "pull");
    store.set_binding(
        rev.schema_id,
        server.id,
        &BindingUpdate {
            remote_id: remote.id.clone(),
            remote_revision: remote.revision,
            remote_state: Some(remote.state.as_str().to_string()),
            last_details: Some(remote.details.to_json()),
            last_content_hash: Some(remote_hash(&draft)),
        },
    )?;
    Ok(ImportReport {
        schema_id: rev.schema_id.0,
        type_name: rev.draft.type_name.clone(),
        revision: rev.number,
        changed: outcome.created(),
        remote_id: remote.id.clone(),
        remote_revision: remote.revision,
        notes: if remote.unknown_authenticators.is_empty() {
            Vec::new()
        } else {
            vec![format!(
                "authenticator types this version does not know were left out: {}",
                remote.unknown_authenticators.join(", ")
            )]
        },
    })
}

/// Whether a server's schema may be imported: a usable id, and content that passes the same
/// validation as a local save (a schema that is not an object or not valid is refused).
pub fn check_remote(remote: &RemoteSchema) -> Result<(), SyncError> {
    let refuse = |reason: String| SyncError::NotImported {
        type_name: super::client::clean_message(&remote.type_name, &str::to_string),
        remote_id: super::client::clean_message(&remote.id, &str::to_string),
        reason,
    };
    if let Err(e) = check_id(&remote.id) {
        return Err(refuse(e.to_string()));
    }
    if let Err(m) = crate::schema::validate::check_type(&remote.type_name) {
        return Err(refuse(format!("its type is not usable: {m}")));
    }
    match check_draft(&remote.draft()) {
        Ok(()) => Ok(()),
        Err(SyncError::Invalid(diagnostics)) => Err(refuse(format!(
            "it is not valid: {} problem(s), first: {}",
            diagnostics.len(),
            diagnostics
                .first()
                .map(|d| super::client::clean_message(&d.to_string(), &str::to_string))
                .unwrap_or_default()
        ))),
        Err(other) => Err(refuse(other.to_string())),
    }
}

/// Fetches a server's schema by id and imports it.
pub fn import_by_id(
    store: &mut Store,
    api: &dyn UserSchemaApi,
    server: &Server,
    remote_id: &str,
) -> Result<ImportReport, SyncError> {
    let remote = api.get(remote_id)?;
    import(store, server, &remote)
}

/// The outcome of a state change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateReport {
    pub type_name: String,
    pub remote_id: String,
    /// `ACTIVE`, `INACTIVE` or `DELETED`.
    pub state: String,
    pub details: Details,
}

/// Deactivates, reactivates or deletes the server's copy of a bound schema, and records the
/// new state in the binding.
pub fn change_state(
    store: &mut Store,
    api: &dyn UserSchemaApi,
    server: &Server,
    schema: SchemaId,
    action: StateAction,
) -> Result<StateReport, SyncError> {
    let summary = store.schema(schema)?;
    let binding = store
        .binding(schema, server.id)?
        .filter(|b| b.remote_state.as_deref() != Some(DELETED))
        .ok_or_else(|| SyncError::NotBound {
            type_name: summary.type_name.clone(),
            server: server.name.clone(),
        })?;
    let details = api.change_state(&binding.remote_id, action)?;
    let state = match action {
        StateAction::Deactivate => RemoteState::Inactive.as_str(),
        StateAction::Reactivate => RemoteState::Active.as_str(),
        StateAction::Delete => DELETED,
    };
    store.set_binding_state(schema, server.id, state, Some(&details.to_json()))?;
    Ok(StateReport {
        type_name: summary.type_name,
        remote_id: binding.remote_id,
        state: state.to_string(),
        details,
    })
}

/// The outcome of retrying queued pushes.
#[derive(Debug, Default)]
pub struct RetryReport {
    pub pushed: Vec<PushReport>,
    /// Pushes that failed again, by type; they stay queued.
    pub failed: Vec<(String, SyncError)>,
}

/// Retries the queued pushes to one server. Each keeps its place in the queue until it succeeds.
pub fn retry_queued(
    store: &mut Store,
    api: &dyn UserSchemaApi,
    server: &Server,
    force: bool,
) -> Result<RetryReport, SyncError> {
    let mut report = RetryReport::default();
    for item in store.queued_pushes(Some(server.id))? {
        let rev = store.revision_by_id(item.revision_id)?;
        let options = PushOptions {
            force,
            queue_on_network_error: false,
        };
        match push_revision(store, api, server, &rev, options) {
            Ok(r) => report.pushed.push(r),
            Err(SyncError::Cancelled) => return Err(SyncError::Cancelled),
            Err(e) => {
                store.note_queue_attempt(item.id, &e.to_string())?;
                report.failed.push((rev.draft.type_name.clone(), e));
            }
        }
    }
    Ok(report)
}
