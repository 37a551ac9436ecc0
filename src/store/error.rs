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
        "{path} is not a SQLite database (is it corrupt, or another kind of file?); it was left untouched"
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
        "the store is read-only (check the file's and the folder's permissions); nothing was saved"
    )]
    ReadOnly,
    #[error("the disk is full; nothing was saved")]
    DiskFull,
    #[error("the store is busy (another schemadesk is writing); try again")]
    Busy,
    #[error("no schema of type \"{0}\"")]
    NoSuchType(String),
    #[error("no schema with id {0}")]
    NoSuchSchema(i64),
    #[error("schema \"{type_name}\" has no revision {number}")]
    NoSuchRevision { type_name: String, number: u32 },
    #[error("a schema of type \"{0}\" already exists")]
    TypeTaken(String),
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
            Some(ErrorCode::NotADatabase) => StoreError::NotADatabase {
                path: path.to_path_buf(),
            },
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            _ => StoreError::Open {
                path: path.to_path_buf(),
                source,
            },
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            _ => StoreError::Sqlite(e),
        }
    }
}
