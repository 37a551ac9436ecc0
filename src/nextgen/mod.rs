//! ZITADEL's next generation ("nextgen"): its user-schema dialect, validation, conversion to
//! and from v3alpha, git workspaces, the compatibility of the new keywords, and (in `api`) an
//! experimental client of its schema API.
//!
//! Layering: `target`, `dialect`, `validate`, `convert`, `workspace`, `edit` and `compat` are
//! domain code beside `schema/` and depend on it only (plus the file system for workspaces).
//! `api` is a server client like `sync/` and borrows its URL check and token lookup.

pub mod api;
pub mod compat;
pub mod convert;
pub mod dialect;
pub mod edit;
pub mod import;
pub mod target;
pub mod validate;
pub mod workspace;

pub use dialect::{AuthMethod, NEXTGEN_VERSION};
pub use target::Target;
pub use validate::{MetaSet, validate_document};
