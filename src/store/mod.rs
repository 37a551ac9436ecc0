//! The local store: one SQLite file holding schemas, their append-only revisions, server
//! bindings, the sync queue and sample users. Every write is one transaction.

mod drafts;
mod error;
mod events;
mod migrations;
mod push_history;
mod read_only;
mod samples;
mod schemas;
mod servers;
mod targets;
mod writers;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};

pub use drafts::KeptDraft;
pub use error::StoreError;
/// The store format version this build writes (`PRAGMA user_version`).
pub use migrations::LATEST as STORE_VERSION;
pub use samples::Sample;
pub use schemas::{ListFilter, Revision, RevisionSummary, SaveOutcome, SchemaId, SchemaSummary};
pub use servers::{Binding, BindingUpdate, Push, PushRecord, QueuedPush, Server, ServerId};

/// `PRAGMA application_id` of a schemadesk store ("SDK1"), so a foreign SQLite file is told apart.
pub const APPLICATION_ID: i32 = 0x5344_4B31;

/// How long a connection waits for another one's write before reporting the store busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The environment variable that names the store file.
pub const DB_ENV: &str = "SCHEMADESK_DB";

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Opened read-only because the file cannot be written (see [`Store::open`]).
    read_only: bool,
}

impl Store {
    /// The default store file: `schemadesk.db` in the platform's data folder.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("dev", "schemadesk", "schemadesk")
            .map(|d| d.data_dir().join("schemadesk.db"))
    }

    /// Opens (creating if needed) the store at `path`, migrating it to the current version.
    /// A foreign or corrupt file, or one from a newer version, is refused untouched.
    ///
    /// A store that exists but cannot be written (a read-only disk or file) is opened
    /// read-only: reading works, and only a write fails, with [`StoreError::ReadOnly`].
    pub fn open(path: &Path) -> Result<Store> {
        match Self::open_read_write(path) {
            Err(StoreError::ReadOnly) if path.is_file() => read_only::open(path),
            other => other,
        }
    }

    /// Whether this store was opened read-only (see [`Store::open`]).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn open_read_write(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Folder {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::open(path, e))?;
        Self::init(conn, path.to_path_buf())
    }

    /// A store that lives in memory only (benchmarks and unit tests).
    pub fn open_in_memory() -> Result<Store> {
        let conn =
            Connection::open_in_memory().map_err(|e| StoreError::open(Path::new(":memory:"), e))?;
        Self::init(conn, PathBuf::from(":memory:"))
    }

    fn init(mut conn: Connection, path: PathBuf) -> Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| StoreError::open(&path, e))?;
        // SQLite answers "busy" at once, without the busy handler, in a few moments of a new
        // file's life (switching to WAL, first opening of the WAL index while another
        // connection creates it); each step below is idempotent, so it is simply tried again.
        let start = Instant::now();
        loop {
            match migrations::check_and_migrate(&mut conn, &path) {
                Err(StoreError::Busy) if start.elapsed() < BUSY_TIMEOUT => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                outcome => break outcome?,
            }
        }
        Ok(Store {
            conn,
            path,
            read_only: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The raw connection, for modules of this crate that add their own tables' queries.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// The schema version recorded in the file.
    pub fn version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

/// The current time as RFC 3339 in UTC, the format every timestamp in the store uses.
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}
