//! The app's Import and Export: the same pipeline as `schemadesk import` / `export`
//! (`crate::service::exchange`), its errors put the way the app shows them.

use std::path::{Path, PathBuf};

use super::failure::Failure;
use crate::nextgen::Target;
use crate::schema::validate::Diagnostic;
use crate::service::exchange::{self, ImportError as PipelineError, ImportOptions};
use crate::store::{SaveOutcome, Store};

pub use crate::service::exchange::{ExportFormat, suggested_file_name};

/// Why a file was not imported. Nothing was written in either case.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    #[error("{} has {} problem(s); nothing was imported", .path.display(), .diagnostics.len())]
    Invalid {
        path: PathBuf,
        diagnostics: Vec<Diagnostic>,
    },
    /// Shown as it reads; the error behind it is kept for the log.
    #[error("{0}")]
    Failed(Failure),
}

/// Imports a bare JSON Schema, a request body or a nextgen document: validated first, then
/// saved by type (a new schema, or a new revision of the schema of that type).
pub fn import_file(store: &mut Store, path: &Path) -> Result<SaveOutcome, ImportError> {
    let text = crate::files::read_bounded(path, crate::files::MAX_SCHEMA_BYTES)
        .map_err(|e| failed(format!("cannot read {}: {e}", path.display()), e))?;
    let prepared =
        exchange::prepare(path, &text, ImportOptions::default()).map_err(|e| shown(path, e))?;
    let target = prepared.target;
    exchange::save(
        store,
        prepared,
        &exchange::import::default_message(path),
        None,
    )
    .map_err(|e| match (target, e) {
        // A nextgen save failure names the file; a v3alpha one is the store's message.
        (Target::Nextgen, e) => failed(format!("{} was not imported: {e}", path.display()), e),
        (Target::V3alpha, e) => shown(path, e),
    })
}

fn shown(path: &Path, e: PipelineError) -> ImportError {
    match e {
        PipelineError::Invalid { diagnostics, .. } => ImportError::Invalid {
            path: path.to_path_buf(),
            diagnostics,
        },
        PipelineError::Type(e) => ImportError::Invalid {
            path: path.to_path_buf(),
            diagnostics: vec![Diagnostic {
                pointer: "/type".into(),
                line: 1,
                column: 1,
                rule: crate::schema::Rule::Type,
                message: e.to_string(),
            }],
        },
        PipelineError::NoType(_) | PipelineError::NoTypeFromStdin => {
            ImportError::Failed(format!("{} gives no type name", path.display()).into())
        }
        e @ (PipelineError::NoNextgenType(_) | PipelineError::Workspace(_)) => {
            failed(format!("{} was not imported: {e}", path.display()), e)
        }
        e => failed(e.to_string(), e),
    }
}

fn failed(text: String, e: impl std::error::Error + Send + Sync + 'static) -> ImportError {
    ImportError::Failed(Failure::caused_by(text, e))
}
