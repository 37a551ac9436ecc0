//! Pushing a revision to a server: create or update, conflict detection against the last
//! known server revision, and the offline queue. On any failure the local schemas and
//! revisions are left as they were.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use serde::Serialize;

use super::connect::open_api;
use super::state::DELETED;
use crate::schema::UserSchemaDraft;
use crate::store::{Binding, BindingUpdate, PushRecord, Revision, SchemaId, Server, Store};
use crate::sync::{
    ClientOptions, Conflict, Details, Generation, RemoteState, SyncError, Token, UserSchemaApi,
    check_draft, check_id, remote_hash, same_content,
};

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
