//! Exporting revisions as files: one [`ExportFormat`], one [`render`], files written
//! atomically under names safe on every platform.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::interchange::review;
use crate::nextgen::Target;
use crate::schema::UserSchemaDraft;
use crate::store::{ListFilter, SchemaId, Store, StoreError};

/// What an export writes (the CLI's `--format`, the app's Export menu).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ExportFormat {
    /// The JSON Schema alone.
    Schema,
    /// The exact create/update request body: {type, schema, possibleAuthenticators}.
    #[default]
    #[value(name = "request")]
    Body,
    /// A review sheet (export only): Markdown, HTML or CSV by the -o file's extension.
    Review,
}

/// How a revision is printed or exported. A nextgen document is always itself; the review
/// sheet here is the Markdown one with no revision details (see [`super::review`] for more).
pub fn render(target: Target, draft: &UserSchemaDraft, format: ExportFormat) -> String {
    match (target, format) {
        (Target::Nextgen, _) | (Target::V3alpha, ExportFormat::Schema) => draft.schema_pretty(),
        (Target::V3alpha, ExportFormat::Body) => draft.request_body_pretty(),
        (Target::V3alpha, ExportFormat::Review) => {
            review::markdown(&review::build(draft, None, None))
        }
    }
}

/// A file that could not be written; the old file, if any, is as it was.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}", .path.display())]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Writes an export atomically (see [`crate::files::write_atomically`]).
pub fn write_file(path: &Path, text: &str) -> Result<(), WriteError> {
    crate::files::write_atomically(path, text.as_bytes()).map_err(|source| WriteError {
        path: path.to_path_buf(),
        source,
    })
}

/// Why an export wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("cannot create {}", .path.display())]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// A safe file name for a type (`employee v2` → `employee_v2.json`).
pub fn suggested_file_name(type_name: &str) -> String {
    format!("{}.json", crate::files::file_stem_for(type_name))
}

/// The latest revision of a schema, rendered for its target.
pub fn render_latest(
    store: &Store,
    id: SchemaId,
    format: ExportFormat,
) -> Result<String, StoreError> {
    let rev = store.latest_revision(id)?;
    Ok(render(store.target(id)?, &rev.draft, format))
}

/// Writes the latest revision of a schema to `path` (the app's Export).
pub fn export_latest(
    store: &Store,
    id: SchemaId,
    path: &Path,
    format: ExportFormat,
) -> Result<(), ExportError> {
    let text = render_latest(store, id, format)?;
    Ok(write_file(path, &text)?)
}

/// What [`export_all`] did.
#[derive(Debug, Default)]
pub struct ExportedAll {
    pub written: usize,
    /// Schemas not exported, with why (a damaged row, a file that could not be written).
    pub failed: Vec<(String, String)>,
    /// Archived schemas, skipped.
    pub archived: Vec<String>,
}

/// Exports the latest revision of every live schema into `dir`, one file each, named after
/// its type (`-2`, `-3`… when two names meet, ignoring case). Archived schemas are skipped;
/// one that cannot be read or written is listed in `failed` and the others are still written.
pub fn export_all(
    store: &Store,
    dir: &Path,
    format: ExportFormat,
) -> Result<ExportedAll, ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut used = HashSet::new();
    let schemas = store.list_schemas(ListFilter {
        include_archived: true,
        include_deleted: false,
    })?;
    let (archived, live): (Vec<_>, Vec<_>) = schemas.into_iter().partition(|s| s.archived);
    let mut out = ExportedAll {
        archived: archived.into_iter().map(|s| s.type_name).collect(),
        ..ExportedAll::default()
    };
    let targets = store.targets()?;
    for s in live {
        let rev = match store.latest_revision(s.id) {
            Ok(rev) => rev,
            Err(e) => {
                out.failed.push((s.type_name, e.message_at(store.path())));
                continue;
            }
        };
        let target = targets.get(&s.id).copied().unwrap_or_default();
        let base = crate::files::file_stem_for(&s.type_name);
        let mut name = format!("{base}.json");
        let mut n = 2;
        while !used.insert(name.to_ascii_lowercase()) {
            name = format!("{base}-{n}.json");
            n += 1;
        }
        match write_file(&dir.join(&name), &render(target, &rev.draft, format)) {
            Ok(()) => out.written += 1,
            Err(e) => out.failed.push((s.type_name, format!("{e}: {}", e.source))),
        }
    }
    Ok(out)
}
