//! Pulling from a server: its schemas beside the local ones (with a sync status each), and
//! importing one of them as a local revision bound to the server's copy.

use serde::Serialize;

use super::state::DELETED;
use crate::store::{Binding, BindingUpdate, ListFilter, SchemaSummary, Server, Store, StoreError};
use crate::sync::{
    RemoteSchema, SyncError, UserSchemaApi, check_remote, remote_hash, same_content,
};

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
                    return Err(SyncError::from(StoreError::TypeTaken(format!(
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
            type_name: crate::sync::client::clean_message(&remote.type_name, &str::to_string),
            remote_id: crate::sync::client::clean_message(&remote.id, &str::to_string),
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
