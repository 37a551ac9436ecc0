//! ZITADEL's next generation ("nextgen"): its user-schema dialect, validation, conversion to
//! and from v3alpha, git workspaces and the compatibility of the new keywords.
//!
//! Layering: `target`, `dialect`, `validate`, `convert`, `workspace`, `edit`, `import` and
//! `compat` are domain code beside `schema/` and depend on it only (plus the file system for
//! workspaces). The client of nextgen's schema API is `sync::nextgen`; importing a nextgen
//! document into the store is `service::exchange::import`.

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
