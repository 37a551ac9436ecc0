//! Versioned schema migrations, recorded in `PRAGMA user_version`.

use std::path::Path;

use rusqlite::{Connection, ErrorCode, TransactionBehavior};

use super::{APPLICATION_ID, StoreError};

/// Each entry migrates from version `index` to `index + 1`. Never edit a released entry;
/// append a new one.
const MIGRATIONS: &[&str] = &[
    // 1: schemas, append-only revisions, servers, bindings, pushes, sync queue, samples.
    r#"
    CREATE TABLE schemas (
        id          INTEGER PRIMARY KEY,
        type        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        archived    INTEGER NOT NULL DEFAULT 0,
        deleted_at  TEXT
    );
    CREATE UNIQUE INDEX schemas_live_type ON schemas(type) WHERE deleted_at IS NULL;

    CREATE TABLE revisions (
        id             INTEGER PRIMARY KEY,
        schema_id      INTEGER NOT NULL REFERENCES schemas(id) ON DELETE CASCADE,
        number         INTEGER NOT NULL,
        type           TEXT NOT NULL,
        schema_json    TEXT NOT NULL,
        authenticators TEXT NOT NULL,
        content_hash   TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        message        TEXT NOT NULL DEFAULT '',
        restored_from  INTEGER,
        UNIQUE (schema_id, number)
    );
    CREATE TRIGGER revisions_append_only BEFORE UPDATE ON revisions
    BEGIN
        SELECT RAISE(ABORT, 'revisions are append-only');
    END;

    CREATE TABLE servers (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        base_url    TEXT NOT NULL,
        generation  INTEGER,
        created_at  TEXT NOT NULL
    );

    CREATE TABLE bindings (
        schema_id          INTEGER NOT NULL REFERENCES schemas(id) ON DELETE CASCADE,
        server_id          INTEGER NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
        remote_id          TEXT NOT NULL,
        remote_revision    INTEGER,
        remote_state       TEXT,
        last_details       TEXT,
        last_content_hash  TEXT,
        updated_at         TEXT NOT NULL,
        PRIMARY KEY (schema_id, server_id)
    );

    CREATE TABLE pushes (
        id               INTEGER PRIMARY KEY,
        revision_id      INTEGER NOT NULL REFERENCES revisions(id) ON DELETE CASCADE,
        server_id        INTEGER NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
        remote_id        TEXT NOT NULL,
        remote_revision  INTEGER,
        sequence         TEXT,
        change_date      TEXT,
        resource_owner   TEXT,
        pushed_at        TEXT NOT NULL
    );
    CREATE INDEX pushes_revision ON pushes(revision_id);

    CREATE TABLE sync_queue (
        id           INTEGER PRIMARY KEY,
        schema_id    INTEGER NOT NULL REFERENCES schemas(id) ON DELETE CASCADE,
        server_id    INTEGER NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
        revision_id  INTEGER NOT NULL REFERENCES revisions(id) ON DELETE CASCADE,
        queued_at    TEXT NOT NULL,
        attempts     INTEGER NOT NULL DEFAULT 0,
        last_error   TEXT
    );

    CREATE TABLE samples (
        id          INTEGER PRIMARY KEY,
        schema_id   INTEGER NOT NULL REFERENCES schemas(id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        data        TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        UNIQUE (schema_id, name)
    );
    "#,
    // 2: the history list reads only this index, never the rows with their large content.
    r#"
    CREATE INDEX IF NOT EXISTS revisions_history
        ON revisions (schema_id, number, type, content_hash, created_at, message, restored_from);
    "#,
    // 3: a target per schema: ZITADEL v4's v3alpha API or nextgen. A schema without a row
    // (every schema made before) is v3alpha. A table of its own rather than a column, so the
    // step can run again harmlessly, like step 2 (SQLite has no ADD COLUMN IF NOT EXISTS).
    r#"
    CREATE TABLE IF NOT EXISTS schema_targets (
        schema_id  INTEGER PRIMARY KEY REFERENCES schemas(id) ON DELETE CASCADE,
        target     TEXT NOT NULL DEFAULT 'v3alpha' CHECK (target IN ('v3alpha', 'nextgen'))
    );
    "#,
    // 4: the editor's unsaved draft of a schema, kept for crash recovery (not a revision):
    // at most one per schema, gone with the schema.
    r#"
    CREATE TABLE IF NOT EXISTS drafts (
        schema_id      INTEGER PRIMARY KEY REFERENCES schemas(id) ON DELETE CASCADE,
        type           TEXT NOT NULL,
        schema_text    TEXT NOT NULL,
        authenticators TEXT NOT NULL,
        base_revision  INTEGER NOT NULL,
        message        TEXT NOT NULL DEFAULT '',
        kept_at        TEXT NOT NULL
    );
    "#,
];

/// The newest store version this build knows.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub(super) fn check_and_migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let classify = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::NotADatabase {
            path: path.to_path_buf(),
        },
        // The file is open, so failing to open now means the -wal or -shm file cannot be
        // created next to it: the folder (or the disk) is read-only.
        Some(ErrorCode::CannotOpen) => StoreError::ReadOnly,
        _ => StoreError::from(e),
    };
    // Reading the header is the first touch of the file: a non-SQLite file fails here.
    // One read transaction, so the three values come from one snapshot: another connection
    // may be creating this store at the same moment, and a half-seen creation (tables but no
    // application id yet) would look like another program's database.
    let (app_id, version, tables) = {
        let read = conn.transaction().map_err(classify)?;
        let app_id: i32 = read
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(classify)?;
        let version: i64 = read
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(classify)?;
        let tables: i64 = read
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(classify)?;
        read.commit().map_err(classify)?;
        (app_id, version, tables)
    };
    if app_id != APPLICATION_ID && (tables > 0 || version != 0) {
        return Err(StoreError::Foreign {
            path: path.to_path_buf(),
        });
    }
    if version > LATEST {
        return Err(StoreError::Newer {
            path: path.to_path_buf(),
            found: version,
            known: LATEST,
        });
    }
    // WAL lets the GUI read while the CLI writes. In WAL mode NORMAL syncs only at
    // checkpoints, so a commit (a revision reported "saved") could be lost to a power cut;
    // FULL syncs the WAL at every commit, before the save is reported.
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
        .map_err(classify)?;
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
        .map_err(classify)?;
    if version == LATEST {
        return Ok(());
    }
    // IMMEDIATE takes the write lock first, so two processes opening a new store at once
    // cannot both migrate; the version is read again under the lock.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (from, sql) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", from as i64 + 1)?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.commit()?;
    Ok(())
}

/// Checks a store opened read-only: it must be ours and of this build's version, since a
/// read-only file cannot be migrated. Nothing is written.
pub(super) fn check_read_only(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let classify = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::NotADatabase {
            path: path.to_path_buf(),
        },
        _ => StoreError::from(e),
    };
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(classify)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(classify)?;
    if app_id != APPLICATION_ID {
        return Err(StoreError::Foreign {
            path: path.to_path_buf(),
        });
    }
    if version > LATEST {
        return Err(StoreError::Newer {
            path: path.to_path_buf(),
            found: version,
            known: LATEST,
        });
    }
    if version < LATEST {
        return Err(StoreError::ReadOnlyOld {
            path: path.to_path_buf(),
            found: version,
        });
    }
    Ok(())
}
