//! Server sync: a client for both generations of ZITADEL's user schema API behind one
//! trait ([`UserSchemaApi`]), error mapping to clear sentences, conflict detection, the
//! offline queue, and a worker thread with progress and cancel for the GUI.
//!
//! Depends on `schema` and `store` only. The token never leaves [`Token`]: it is not
//! stored, logged or put into an error text.

pub mod client;
pub mod error;
pub mod model;
pub mod ops;
pub mod token;
pub mod worker;

pub use client::{
    ClientOptions, MAX_LISTED, MAX_MESSAGE_CHARS, MAX_TIMEOUT, ProbeReport, StateAction,
    UserSchemaApi, check_id, check_url, clean_message, connect, parse_created, parse_page,
    parse_response, parse_schema, probe,
};
pub use error::{ApiStatus, Conflict, Operation, SyncError};
pub use model::{
    Created, Details, Generation, Page, RemoteSchema, RemoteState, remote_hash, same_content,
};
pub use ops::{
    ImportReport, PushKind, PushOptions, PushReport, RemoteRow, RetryReport, StateReport,
    SyncStatus, change_state, check_draft, check_remote, compare, connect_and_push, import,
    import_by_id, open_api, push, push_revision, retry_queued,
};
pub use token::{TOKEN_ENV, Token, TokenSource};
pub use worker::{Job, JobOutput, JobRequest, Worker, WorkerMessage};
