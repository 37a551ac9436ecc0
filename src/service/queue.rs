//! The offline queue: pushes that failed for lack of network, retried in order.

use super::push::{PushOptions, PushReport, push_revision};
use crate::store::{Server, Store};
use crate::sync::{SyncError, UserSchemaApi};

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
