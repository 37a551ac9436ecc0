use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

/// What can go wrong with the store. Each message names the file or the schema concerned.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the store {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "{path} is not a SQLite database, or is damaged (corrupt, or another kind of file); it was left untouched"
    )]
    NotADatabase { path: PathBuf },
    #[error(
        "{path} is a SQLite database of another program, not a schemadesk store; it was left untouched"
    )]
    Foreign { path: PathBuf },
    #[error(
        "{path} was written by a newer schemadesk (store version {found}; this build knows up to {known}); update schemadesk to open it. The file was left untouched"
    )]
    Newer {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "the store is read-only: the file, its folder (which must hold the -wal and -shm files) or the disk cannot be written (check permissions, immutable flags and read-only mounts); nothing was saved"
    )]
    ReadOnly,
    #[error(
        "{path} is on a read-only disk (or cannot be written) and was made by an older schemadesk (store version {found}); open it once where it can be written, so that it is brought up to date"
    )]
    ReadOnlyOld { path: PathBuf, found: i64 },
    #[error(
        "the store cannot grow: the disk is full (or a file size limit was reached, or the write failed); nothing was saved. Free some space and try again"
    )]
    DiskFull,
    #[error("the store is busy (another schemadesk is writing); try again")]
    Busy,
    #[error("no schema of type \"{0}\"")]
    NoSuchType(String),
    #[error("no schema with id {0}")]
    NoSuchSchema(i64),
    #[error("schema \"{type_name}\" has no revision {number}")]
    NoSuchRevision { type_name: String, number: u32 },
    #[error(
        "schema \"{type_name}\" is at revision {latest}, not {expected}: another writer saved since; nothing was written"
    )]
    NotLatest {
        type_name: String,
        expected: u32,
        latest: u32,
    },
    #[error("a schema of type \"{0}\" already exists")]
    TypeTaken(String),
    #[error(
        "\"{type_name}\" is a {existing} schema; a {wanted} document cannot become its next revision (convert it with `schemadesk convert`, or save it under another type)"
    )]
    TargetMismatch {
        type_name: String,
        existing: &'static str,
        wanted: &'static str,
    },
    #[error("schema \"{0}\" must be deleted before it can be purged")]
    NotDeleted(String),
    #[error("a server named \"{0}\" already exists")]
    ServerNameTaken(String),
    #[error("no server named \"{0}\" (add one with `schemadesk remote add NAME URL`)")]
    NoSuchServer(String),
    #[error("schema {schema} is not bound to server {server}")]
    NotBound { schema: i64, server: i64 },
    #[error("the store holds damaged data: {0}")]
    Corrupt(String),
    #[error("storage error: {0}")]
    Sqlite(rusqlite::Error),
}

impl StoreError {
    pub(crate) fn open(path: &Path, source: rusqlite::Error) -> Self {
        match source.sqlite_error_code() {
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
                StoreError::NotADatabase {
                    path: path.to_path_buf(),
                }
            }
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            _ => StoreError::Open {
                path: path.to_path_buf(),
                source,
            },
        }
    }
}

/// `SQLITE_IOERR_WRITE`, `SQLITE_IOERR_FSYNC` and `SQLITE_IOERR_TRUNCATE`: a write that the
/// operating system refused. SQLite reports `SQLITE_FULL` only for ENOSPC on a partial write;
/// a write refused whole (ENOSPC, EFBIG past a file size limit, EDQUOT) comes as these.
const WRITE_FAILURES: [i32; 3] = [
    rusqlite::ffi::SQLITE_IOERR_WRITE,
    rusqlite::ffi::SQLITE_IOERR_FSYNC,
    rusqlite::ffi::SQLITE_IOERR_TRUNCATE,
];

impl StoreError {
    /// Whether the error says the store could not be written (read-only, disk full, busy) or
    /// is damaged, messages that do not name the file themselves.
    pub fn needs_path(&self) -> bool {
        matches!(
            self,
            StoreError::ReadOnly
                | StoreError::DiskFull
                | StoreError::Busy
                | StoreError::Corrupt(_)
                | StoreError::Sqlite(_)
        )
    }

    /// The message, led by the store's file when the message does not name it.
    pub fn message_at(&self, path: &Path) -> String {
        if self.needs_path() {
            format!("the store {}: {self}", path.display())
        } else {
            self.to_string()
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        let extended = match &e {
            rusqlite::Error::SqliteFailure(f, _) => f.extended_code,
            _ => 0,
        };
        if WRITE_FAILURES.contains(&extended) {
            return StoreError::DiskFull;
        }
        match e.sqlite_error_code() {
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                StoreError::Corrupt(format!(
                    "{e}; the file was left as it is (restore it from a backup, or try `sqlite3 FILE .recover`)"
                ))
            }
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            _ => StoreError::Sqlite(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(extended: i32) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(extended), None)
    }

    #[test]
    fn refused_writes_read_as_a_full_disk() {
        // EFBIG past `ulimit -f`, or ENOSPC on a whole write, comes as SQLITE_IOERR_WRITE.
        for code in WRITE_FAILURES {
            assert!(matches!(
                StoreError::from(failure(code)),
                StoreError::DiskFull
            ));
        }
        assert!(matches!(
            StoreError::from(failure(rusqlite::ffi::SQLITE_FULL)),
            StoreError::DiskFull
        ));
    }

    #[test]
    fn damage_and_read_only_have_clear_messages() {
        let e = StoreError::from(failure(rusqlite::ffi::SQLITE_CORRUPT));
        assert!(matches!(e, StoreError::Corrupt(_)), "{e}");
        assert!(e.to_string().contains("left as it is"), "{e}");
        assert!(e.needs_path());
        let e = StoreError::open(Path::new("/x/s.db"), failure(rusqlite::ffi::SQLITE_CORRUPT));
        assert!(e.to_string().contains("/x/s.db"), "{e}");
        let e = StoreError::from(failure(rusqlite::ffi::SQLITE_READONLY));
        assert!(e.to_string().contains("read-only"), "{e}");
    }
}
