//! Importing a nextgen document (`"kind": "user-schema"`) into the store, shared by
//! `schemadesk import` and the app's Import: validated against the meta-schemas of the
//! workspace the file lies in (or the bundled one), then saved as a schema with target nextgen.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::nextgen::Target;
use crate::nextgen::dialect::{self, is_nextgen};
use crate::nextgen::validate::{MetaSet, validate_document};
use crate::nextgen::workspace::{CONFIG_FILE, Workspace, WorkspaceError};
use crate::schema::UserSchemaDraft;
use crate::schema::validate::Diagnostic;
use crate::store::{SaveOutcome, Store, StoreError};

/// Why a nextgen document was not imported. Nothing was written in any case.
#[derive(Debug, thiserror::Error)]
pub enum NextgenImportError {
    #[error("{} problem(s) (checked against {meta})", .diagnostics.len())]
    Invalid {
        diagnostics: Vec<Diagnostic>,
        /// Which meta-schema was used.
        meta: String,
    },
    #[error("{}: no --type given, no objectType, and the file name gives none", .0.display())]
    NoType(PathBuf),
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A saved nextgen document.
#[derive(Debug)]
pub struct NextgenImport {
    pub type_name: String,
    pub outcome: SaveOutcome,
    pub meta: String,
}

/// The meta-schemas for a file: those of the workspace it lies in, when that workspace
/// pins any in `.zitadel/meta/`, else the bundled one.
pub fn metas_for(file: &Path) -> Result<MetaSet, WorkspaceError> {
    let start = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    for dir in start.ancestors().skip(1) {
        if dir.join(CONFIG_FILE).is_file() && dir.join(".zitadel").is_dir() {
            return Workspace { root: dir.into() }.metas();
        }
    }
    Ok(MetaSet::bundled())
}

/// Imports `text` (read from `file`) when it is a nextgen document; `None` when it is not,
/// so the caller imports it as v3alpha. The type is `type_name`, else the `objectType`, else
/// the file's stem. A v3alpha schema of the same type is refused, unchanged.
pub fn import_if_nextgen(
    store: &mut Store,
    file: &Path,
    text: &str,
    type_name: Option<&str>,
    message: &str,
) -> Option<Result<NextgenImport, NextgenImportError>> {
    match serde_json::from_str::<Value>(text) {
        Ok(v) if is_nextgen(&v) => Some(import(store, file, text, type_name, message)),
        _ => None,
    }
}

fn import(
    store: &mut Store,
    file: &Path,
    text: &str,
    type_name: Option<&str>,
    message: &str,
) -> Result<NextgenImport, NextgenImportError> {
    let v = validate_document(text, &metas_for(file)?);
    let doc = match v.document {
        Some(doc) if v.diagnostics.is_empty() => doc,
        _ => {
            return Err(NextgenImportError::Invalid {
                diagnostics: v.diagnostics,
                meta: v.meta,
            });
        }
    };
    let type_name = type_name
        .map(str::to_string)
        .or_else(|| dialect::object_type(&doc).map(str::to_string))
        .or_else(|| file.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .ok_or_else(|| NextgenImportError::NoType(file.to_path_buf()))?;
    let draft = UserSchemaDraft::new(&type_name, doc, []);
    let outcome = store.save_with_target(&draft, message, Target::Nextgen)?;
    Ok(NextgenImport {
        type_name,
        outcome,
        meta: v.meta,
    })
}
