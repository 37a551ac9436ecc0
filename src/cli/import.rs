//! The ordinary `schemadesk import` of a file's text (a bare JSON Schema, a request body or
//! a nextgen document) through `crate::service::exchange`, printed with exit codes.
//! Keycloak and Ory imports come here with their converted body (`super::interchange`).

use std::path::Path;

use super::exit;
use super::print::{print_saved, print_text};
use crate::nextgen::Target;
use crate::service::exchange::{self, ImportError, ImportOptions};
use crate::store::Store;

/// Imports `text` (read from `file`, which names it in messages): validated first, then
/// saved by type. Problems with the content exit 1 and write nothing.
pub fn run_text(
    store: &mut Store,
    file: &Path,
    text: &str,
    opts: ImportOptions<'_>,
    message: &str,
    if_latest: Option<u32>,
) -> anyhow::Result<u8> {
    let prepared = match exchange::prepare(file, text, opts) {
        Ok(p) => p,
        Err(e) => return refused(file, e),
    };
    let target = prepared.target;
    let type_name = prepared.draft.type_name.clone();
    let message = match (message.is_empty(), target) {
        (false, _) => message.to_string(),
        // A nextgen import names the file as given.
        (true, Target::Nextgen) => format!("Imported from {}", file.display()),
        (true, Target::V3alpha) => exchange::import::default_message(file),
    };
    match exchange::save(store, prepared, &message, if_latest) {
        Ok(outcome) => {
            print_saved(&type_name, &outcome, target);
            Ok(exit::OK)
        }
        Err(e) => refused(file, e),
    }
}

/// Prints why nothing was imported: problems with the content exit 1, anything else is an
/// error (exit 2).
fn refused(file: &Path, e: ImportError) -> anyhow::Result<u8> {
    match e {
        ImportError::Invalid { diagnostics, meta } => {
            print_text(file, &diagnostics);
            let against = meta
                .map(|m| format!(" (checked against {m})"))
                .unwrap_or_default();
            eprintln!(
                "schemadesk: {} was not imported: {} problem(s); nothing was written{against}",
                file.display(),
                diagnostics.len(),
            );
            Ok(exit::INVALID)
        }
        ImportError::Type(e) => {
            eprintln!("{}:1:1: /type: {e}", file.display());
            Ok(exit::INVALID)
        }
        ImportError::NotLatest(e) => {
            eprintln!("schemadesk: {} was not imported: {e}", file.display());
            Ok(exit::INVALID)
        }
        // The store's own error, so that `local::name_store` can name the store.
        ImportError::Store(e) => Err(e.into()),
        e => Err(e.into()),
    }
}
