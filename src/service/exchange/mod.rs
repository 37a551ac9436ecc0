//! Schemas in and out of the store, the one pipeline behind `schemadesk import|export|validate`
//! and the app's Import, Export and review sheet:
//!
//! - [`import`]: a file's text → validated (v3alpha or nextgen) → saved by type;
//! - [`foreign`]: a Keycloak profile or an Ory schema → converted for the ordinary import;
//! - [`export`]: a revision → text in an [`ExportFormat`] → a file written atomically;
//! - [`review`]: a revision → a review sheet (Markdown, HTML or CSV);
//! - [`check`]: a file validated for its target without touching the store.
//!
//! Callers decide what to print or show; errors here are typed and say what went wrong.

pub mod check;
pub mod export;
pub mod foreign;
pub mod import;
pub mod review;
pub mod workspace;

pub use export::{ExportFormat, render, suggested_file_name, write_file};
pub use import::{ImportError, ImportOptions, Prepared, import_text, prepare, save};

#[cfg(test)]
mod tests;
