//! Opening a store that cannot be written (a read-only disk, a read-only file): for reading.

use std::path::Path;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::{BUSY_TIMEOUT, Result, Store, StoreError, migrations};

/// Opens `path` read-only. A WAL store needs its `-shm` file to be read; on a read-only disk
/// that file cannot be created, so when no `-wal` file holds pending commits the file is
/// opened as immutable (nothing can change it there), which needs no `-shm`.
pub(super) fn open(path: &Path) -> Result<Store> {
    match open_with(path, "mode=ro") {
        Err(StoreError::ReadOnly) if !has_pending_wal(path) => {
            open_with(path, "mode=ro&immutable=1")
        }
        other => other,
    }
}

fn open_with(path: &Path, query: &str) -> Result<Store> {
    let uri = format!("file:{}?{query}", encode_path(path));
    let conn = Connection::open_with_flags(
        &uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| StoreError::open(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| StoreError::open(path, e))?;
    migrations::check_read_only(&conn, path).map_err(|e| match e {
        StoreError::Sqlite(ref s) if s.sqlite_error_code() == Some(ErrorCode::CannotOpen) => {
            StoreError::ReadOnly
        }
        other => other,
    })?;
    tracing::info!("opened the store read-only: it cannot be written");
    Ok(Store {
        conn,
        path: path.to_path_buf(),
        read_only: true,
    })
}

/// Whether a non-empty `-wal` file lies beside the store: commits not yet in the main file,
/// which an immutable open would not see.
fn has_pending_wal(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).is_ok_and(|m| m.len() > 0)
}

/// The path for a `file:` URI: `%`, `?` and `#` (and anything outside printable ASCII)
/// percent-encoded.
fn encode_path(path: &Path) -> String {
    let raw = path.to_string_lossy();
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        if b.is_ascii_graphic() && !b"%?#".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_paths_are_encoded() {
        assert_eq!(
            encode_path(Path::new("/a b/c?d#e%f.db")),
            "/a%20b/c%3Fd%23e%25f.db"
        );
    }
}
