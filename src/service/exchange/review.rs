//! Review sheets of a revision: the file's extension picks Markdown, HTML or CSV.

use std::path::{Path, PathBuf};

use crate::interchange::review::{self, RevisionInfo, SheetFormat};
use crate::schema::UserSchemaDraft;
use crate::store::{Revision, SchemaId, Store, StoreError};

/// The sheet format a file's extension asks for (`.md`, `.html`, `.csv`).
pub fn sheet_format(path: &Path) -> Option<SheetFormat> {
    path.extension()
        .and_then(|e| e.to_str())
        .and_then(SheetFormat::from_extension)
}

/// The sheet of `rev`, with its number, date and message, compared with `baseline` (a label
/// such as "revision 2", and that draft) when given.
pub fn sheet_text(
    rev: &Revision,
    baseline: Option<(String, &UserSchemaDraft)>,
    format: SheetFormat,
) -> String {
    let sheet = review::build(
        &rev.draft,
        Some(RevisionInfo {
            number: rev.number,
            created_at: rev.created_at.clone(),
            message: rev.message.clone(),
        }),
        baseline,
    );
    format.render(&sheet)
}

/// Why the app's review sheet was not written.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("{}: a review sheet is written as .md, .html or .csv", .0.display())]
    Format(PathBuf),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{error}: {}", .error.source)]
    Write {
        #[from]
        error: super::export::WriteError,
    },
}

/// Writes the sheet of a schema's latest revision, compared with the one before (if any),
/// to `path` (the app's "Export review sheet…").
pub fn write_against_previous(
    store: &Store,
    schema: SchemaId,
    path: &Path,
) -> Result<(), ReviewError> {
    let format = sheet_format(path).ok_or_else(|| ReviewError::Format(path.to_path_buf()))?;
    let rev = store.latest_revision(schema)?;
    let previous = match rev.number {
        n if n > 1 => Some(store.revision(schema, n - 1)?),
        _ => None,
    };
    let text = sheet_text(
        &rev,
        previous
            .as_ref()
            .map(|p| (format!("revision {}", p.number), &p.draft)),
        format,
    );
    Ok(super::export::write_file(path, &text)?)
}
