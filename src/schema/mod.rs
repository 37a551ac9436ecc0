//! The domain: user schema drafts, authenticator types, the permission keyword, validation,
//! a JSON lexer, JSON positions and text diffs. Depends on nothing else of ours.

pub mod authenticator;
pub mod compat;
pub mod diff;
pub mod draft;
pub mod fields;
pub mod json_lexer;
pub mod merge;
pub mod numbers;
pub mod permission;
pub mod position;
pub mod refs;
pub mod templates;
pub mod type_name;
pub mod validate;

pub use authenticator::AuthenticatorType;
pub use draft::{SourceKind, UserSchemaDraft, pretty};
pub use permission::{Access, Permission};
pub use type_name::{TypeName, TypeNameError};
pub use validate::{Diagnostic, Rule, Source, Validation, validate};
