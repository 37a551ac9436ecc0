//! Import and export of files, the same rules as `schemadesk import` / `export`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::schema::validate::{Diagnostic, Source, check_type, validate};
use crate::schema::{AuthenticatorType, SourceKind, UserSchemaDraft};
use crate::service::nextgen::{NextgenImportError, import_if_nextgen};
use crate::store::{SaveOutcome, Store};

/// Why a file was not imported. Nothing was written in either case.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    #[error("{} has {} problem(s); nothing was imported", .path.display(), .diagnostics.len())]
    Invalid {
        path: PathBuf,
        diagnostics: Vec<Diagnostic>,
    },
    #[error("{0}")]
    Failed(String),
}

/// Imports a bare JSON Schema or a request body: validated first, then saved by type (a new
/// schema, or a new revision of the schema of that type). A nextgen document is saved as a
/// nextgen schema.
pub fn import_file(store: &mut Store, path: &Path) -> Result<SaveOutcome, ImportError> {
    let text = crate::files::read_bounded(path, crate::files::MAX_SCHEMA_BYTES)
        .map_err(|e| ImportError::Failed(format!("cannot read {}: {e}", path.display())))?;
    let message = format!(
        "Imported from {}",
        path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned()
        )
    );
    // A nextgen document becomes a nextgen schema, as `schemadesk import` does.
    if let Some(result) = import_if_nextgen(store, path, &text, None, &message) {
        return result.map(|i| i.outcome).map_err(|e| match e {
            NextgenImportError::Invalid { diagnostics, .. } => ImportError::Invalid {
                path: path.to_path_buf(),
                diagnostics,
            },
            other => ImportError::Failed(format!("{} was not imported: {other}", path.display())),
        });
    }
    let validation = validate(Source::File(&text));
    if !validation.is_valid() {
        return Err(ImportError::Invalid {
            path: path.to_path_buf(),
            diagnostics: validation.diagnostics,
        });
    }
    let Some(parsed) = validation.parsed else {
        return Err(ImportError::Failed(format!(
            "{} holds no schema",
            path.display()
        )));
    };
    let type_name = match parsed.type_name.clone() {
        Some(t) => t,
        None => path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .ok_or_else(|| ImportError::Failed(format!("{} gives no type name", path.display())))?,
    };
    if let Err(message) = check_type(&type_name) {
        return Err(ImportError::Invalid {
            path: path.to_path_buf(),
            diagnostics: vec![Diagnostic {
                pointer: "/type".into(),
                line: 1,
                column: 1,
                rule: crate::schema::Rule::Type,
                message,
            }],
        });
    }
    let failed = |e: crate::store::StoreError| ImportError::Failed(e.to_string());
    let authenticators: BTreeSet<AuthenticatorType> = if parsed.kind == SourceKind::RequestBody {
        parsed.authenticators
    } else {
        match store.find_by_type(&type_name).map_err(failed)? {
            Some(s) => {
                store
                    .latest_revision(s.id)
                    .map_err(failed)?
                    .draft
                    .possible_authenticators
            }
            None => BTreeSet::new(),
        }
    };
    let draft = UserSchemaDraft {
        type_name,
        schema: parsed.schema,
        possible_authenticators: authenticators,
    };
    store.save_by_type(&draft, &message).map_err(failed)
}

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// The JSON Schema alone.
    Schema,
    /// The request body `{type, schema, possibleAuthenticators}`.
    Body,
}

impl ExportFormat {
    pub fn render(self, draft: &UserSchemaDraft) -> String {
        match self {
            ExportFormat::Schema => draft.schema_pretty(),
            ExportFormat::Body => draft.request_body_pretty(),
        }
    }
}

/// A safe file name for a type (`employee v2` → `employee_v2.json`).
pub fn suggested_file_name(type_name: &str) -> String {
    format!("{}.json", crate::files::file_stem_for(type_name))
}
