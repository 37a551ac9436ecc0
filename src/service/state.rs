//! Changing the state of the server's copy of a bound schema (deactivate, reactivate,
//! delete), recorded in the binding.

use serde::Serialize;

use crate::store::{SchemaId, Server, Store};
use crate::sync::{Details, RemoteState, StateAction, SyncError, UserSchemaApi};

/// The state word a binding keeps after a delete on the server.
pub const DELETED: &str = "DELETED";

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
