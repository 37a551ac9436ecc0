//! Server clients, and nothing else: ZITADEL's user schema API in both v3alpha generations
//! behind one trait ([`UserSchemaApi`]), the experimental nextgen schema API ([`nextgen`]),
//! error mapping to clear sentences, the checks of what is sent and what is taken, and the
//! access token.
//!
//! Depends on `schema` (and `nextgen`'s dialect) only: no store, no settings, no workers. A
//! call blocks its caller; a cancel flag cuts it short (for that, the v3alpha client waits on
//! each HTTP request from a short-lived helper thread, see `client`). What joins a server and
//! the store (push, pull, the queue, jobs) is `service`. The token never leaves [`Token`]: it
//! is not stored, logged or put into an error text.

pub mod check;
pub mod client;
pub mod error;
pub mod model;
pub mod nextgen;
pub mod token;

pub use check::{check_draft, check_remote};
pub use client::{
    ClientOptions, MAX_LISTED, MAX_MESSAGE_CHARS, MAX_TIMEOUT, ProbeReport, StateAction,
    UserSchemaApi, check_id, check_url, clean_message, connect, parse_created, parse_page,
    parse_response, parse_schema, probe,
};
pub use error::{ApiStatus, Conflict, Operation, SyncError};
pub use model::{
    Created, Details, Generation, Page, RemoteSchema, RemoteState, remote_hash, same_content,
};
pub use token::{TOKEN_ENV, Token, TokenSource};
