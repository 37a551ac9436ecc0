//! What the CLI and the GUI both do, written once: import, export and conversion of files
//! (`exchange`); against a server, push (with conflict detection and the offline queue), pull
//! and import, state changes and the server jobs the GUI runs in the background; and the
//! About dialog's facts.
//!
//! This is the one layer that joins `store` and `sync`: `sync` talks to servers and knows no
//! store; `store` keeps data and knows no server. Every function here is a plain blocking call;
//! the caller picks the thread (the GUI a background task, the CLI its own).

pub mod about;
pub mod connect;
pub mod exchange;
pub mod jobs;
pub mod pull;
pub mod push;
pub mod queue;
pub mod runner;
pub mod state;

pub use connect::{open_api, probe_server};
pub use jobs::{Job, JobOutput, JobRequest};
pub use pull::{ImportReport, RemoteRow, SyncStatus, compare, import, import_by_id};
pub use push::{PushKind, PushOptions, PushReport, connect_and_push, push, push_revision};
pub use queue::{RetryReport, retry_queued};
pub use runner::{Worker, WorkerMessage};
pub use state::{DELETED, StateReport, change_state};

use crate::store::StoreError;
use crate::sync::SyncError;

/// A store failure during a server operation is reported as [`SyncError::Store`], its text
/// and source kept. The conversion lives here because only this layer holds both.
impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> Self {
        SyncError::Store(Box::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CLI finds a store error under a sync error by walking the causes (to name the
    /// store's file): the boxed source must still be the `StoreError` itself.
    #[test]
    fn a_store_error_inside_a_sync_error_is_found_by_its_type() {
        let e = anyhow::Error::from(SyncError::from(StoreError::TypeTaken("employee".into())));
        let found = e
            .chain()
            .find_map(|cause| cause.downcast_ref::<StoreError>());
        assert!(
            matches!(found, Some(StoreError::TypeTaken(t)) if t == "employee"),
            "{e:#}"
        );
        assert_eq!(
            e.to_string(),
            StoreError::TypeTaken("employee".into()).to_string()
        );
    }
}
