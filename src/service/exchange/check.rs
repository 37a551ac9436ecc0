//! Validating a file for whichever target it is, without touching the store
//! (`schemadesk validate`).

use std::path::Path;

use serde_json::Value;

use crate::nextgen::Target;
use crate::nextgen::dialect::is_nextgen;
use crate::nextgen::import::metas_for;
use crate::nextgen::validate::validate_document;
use crate::nextgen::workspace::WorkspaceError;
use crate::schema::{Diagnostic, Source, validate};

/// The result of validating one file for whichever target it is (or is forced to be).
#[derive(Debug, Clone)]
pub struct FileCheck {
    pub target: Target,
    pub diagnostics: Vec<Diagnostic>,
    /// For nextgen: which meta-schema was used.
    pub meta: Option<String>,
}

/// The target a file's text is for: nextgen when it says `"kind": "user-schema"`.
pub fn target_of(text: &str) -> Target {
    match serde_json::from_str::<Value>(text) {
        Ok(v) if is_nextgen(&v) => Target::Nextgen,
        _ => Target::V3alpha,
    }
}

/// Validates a file's text for `forced`, else for the target it says it is. A nextgen
/// document is checked against the meta-schemas of the workspace `file` lies in.
pub fn check_file(
    file: &Path,
    text: &str,
    forced: Option<Target>,
) -> Result<FileCheck, WorkspaceError> {
    let target = forced.unwrap_or_else(|| target_of(text));
    Ok(match target {
        Target::V3alpha => FileCheck {
            target,
            diagnostics: validate(Source::File(text)).diagnostics,
            meta: None,
        },
        Target::Nextgen => {
            let v = validate_document(text, &metas_for(file)?);
            FileCheck {
                target,
                diagnostics: v.diagnostics,
                meta: Some(v.meta),
            }
        }
    })
}
