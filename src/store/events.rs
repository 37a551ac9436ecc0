//! One log line per write that a bug report needs: each save, push, queued push and failed
//! retry, with the schema's type, revision numbers and server name. Never content, never a
//! token (the store holds none). At info: the log file only, not standard error. Texts are
//! logged with `?` (quoted, control characters escaped).

use rusqlite::{Connection, OptionalExtension, params};

use super::{Revision, SaveOutcome};

/// A save: a new revision, or none because the content was unchanged.
pub(super) fn saved(outcome: &SaveOutcome) {
    saved_revision(outcome.revision(), outcome.created());
}

/// A save that created `rev` (or found it already holding the content).
pub(super) fn saved_revision(rev: &Revision, created: bool) {
    tracing::info!(
        r#type = ?rev.draft.type_name,
        revision = rev.number,
        outcome = if created { "saved" } else { "unchanged" },
        "save"
    );
}

/// The type, revision number and server name of a revision row and a server row.
fn names(conn: &Connection, revision_id: i64, server_id: i64) -> (String, u32, String) {
    conn.query_row(
        "SELECT r.type, r.number, (SELECT name FROM servers WHERE id = ?2) \
         FROM revisions r WHERE r.id = ?1",
        params![revision_id, server_id],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            ))
        },
    )
    .optional()
    .ok()
    .flatten()
    .unwrap_or_else(|| {
        (
            format!("revision #{revision_id}"),
            0,
            format!("#{server_id}"),
        )
    })
}

/// A push the server accepted.
pub(super) fn pushed(
    conn: &Connection,
    revision_id: i64,
    server_id: i64,
    remote_revision: Option<u32>,
) {
    let (type_name, revision, server) = names(conn, revision_id, server_id);
    tracing::info!(
        r#type = ?type_name,
        revision,
        server = ?server,
        remote_revision,
        outcome = "pushed",
        "push"
    );
}

/// A push queued for later (the server could not be reached).
pub(super) fn queued(
    conn: &Connection,
    revision_id: i64,
    server_id: i64,
    attempts: u32,
    error: &str,
) {
    let (type_name, revision, server) = names(conn, revision_id, server_id);
    tracing::info!(
        r#type = ?type_name,
        revision,
        server = ?server,
        attempts,
        outcome = "queued",
        error = ?error,
        "push"
    );
}

/// A queued push that failed again.
pub(super) fn retry_failed(conn: &Connection, queue_id: i64, error: &str) {
    let row: Option<(i64, i64, u32)> = conn
        .query_row(
            "SELECT revision_id, server_id, attempts FROM sync_queue WHERE id = ?1",
            [queue_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .ok()
        .flatten();
    let Some((revision_id, server_id, attempts)) = row else {
        return;
    };
    let (type_name, revision, server) = names(conn, revision_id, server_id);
    tracing::info!(
        r#type = ?type_name,
        revision,
        server = ?server,
        attempts,
        outcome = "retry failed",
        error = ?error,
        "queued push"
    );
}
