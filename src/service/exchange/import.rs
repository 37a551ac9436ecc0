//! Importing a file's text into the store, in two steps: [`prepare`] reads and validates it
//! (no store), [`save`] writes it as a new schema or a new revision of the schema of its
//! type. A nextgen document (`"kind": "user-schema"`) becomes a schema with target nextgen,
//! checked against the meta-schemas of the workspace the file lies in (or the bundled one).
//! Nothing is written when any step fails.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::files::is_stdio;
use crate::nextgen::Target;
use crate::nextgen::dialect;
use crate::nextgen::import::metas_for;
use crate::nextgen::validate::validate_document;
use crate::nextgen::workspace::WorkspaceError;
use crate::schema::validate::Diagnostic;
use crate::schema::{
    AuthenticatorType, Source, SourceKind, TypeName, TypeNameError, UserSchemaDraft, validate,
};
use crate::store::{SaveOutcome, Store, StoreError};

/// What the caller chose; `None` takes the default from the file.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions<'a> {
    /// The type to save under (default: the body's type or the nextgen objectType, else the
    /// file name without its extension).
    pub type_name: Option<&'a str>,
    /// The authenticators, by name (default: the body's, else the previous revision's). Not
    /// used for a nextgen document, whose methods are in the document.
    pub authenticators: Option<&'a [String]>,
}

/// Why a file was not imported. Nothing was written in any case.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The schema has problems; `meta` names the meta-schema a nextgen document was checked
    /// against.
    #[error("{} problem(s){}", .diagnostics.len(), .meta.as_ref().map(|m| format!(" (checked against {m})")).unwrap_or_default())]
    Invalid {
        diagnostics: Vec<Diagnostic>,
        meta: Option<String>,
    },
    #[error("{} holds no schema", .0.display())]
    NoSchema(PathBuf),
    #[error("standard input has no file name to take the type from; give --type NAME")]
    NoTypeFromStdin,
    #[error("no --type given and the file name gives none")]
    NoType(PathBuf),
    #[error("{}: no --type given, no objectType, and the file name gives none", .0.display())]
    NoNextgenType(PathBuf),
    /// The type (given, in the body, or from the file name) is not a valid type name.
    #[error("/type: {0}")]
    Type(#[from] TypeNameError),
    #[error(transparent)]
    Authenticators(#[from] AuthenticatorListError),
    /// `save` with `if_latest`: the type's latest revision is another one.
    #[error(transparent)]
    NotLatest(StoreError),
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for ImportError {
    fn from(e: StoreError) -> ImportError {
        match e {
            e @ StoreError::NotLatest { .. } => ImportError::NotLatest(e),
            e => ImportError::Store(e),
        }
    }
}

/// A bad `--authenticators` list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthenticatorListError {
    #[error("--authenticators: {0}")]
    Unknown(String),
    #[error("--authenticators: {} is listed twice", .0.short_name())]
    Twice(AuthenticatorType),
}

/// A file read and validated, ready to be saved.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub target: Target,
    pub draft: UserSchemaDraft,
    /// A bare v3alpha schema with no authenticators given: it keeps those of the type's
    /// previous revision, looked up when it is saved.
    inherits_authenticators: bool,
    /// For nextgen: the meta-schema it was checked against.
    pub meta: Option<String>,
}

/// Reads and validates `text` (from `file`, which names it in errors and gives the default
/// type). Touches no store.
pub fn prepare(file: &Path, text: &str, opts: ImportOptions<'_>) -> Result<Prepared, ImportError> {
    if super::check::target_of(text) == Target::Nextgen {
        return prepare_nextgen(file, text, opts.type_name);
    }
    let validation = validate(Source::File(text));
    if !validation.is_valid() {
        return Err(ImportError::Invalid {
            diagnostics: validation.diagnostics,
            meta: None,
        });
    }
    let Some(parsed) = validation.parsed else {
        return Err(ImportError::NoSchema(file.to_path_buf()));
    };
    let type_name = match opts.type_name.map(str::to_string).or(parsed.type_name) {
        Some(t) => t,
        None if is_stdio(file) => return Err(ImportError::NoTypeFromStdin),
        None => file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .ok_or_else(|| ImportError::NoType(file.to_path_buf()))?,
    };
    let type_name = TypeName::try_from(type_name)?;
    let (authenticators, inherits) = match opts.authenticators {
        Some(list) => (parse_authenticators(list)?, false),
        None if parsed.kind == SourceKind::RequestBody => (parsed.authenticators, false),
        None => (BTreeSet::new(), true),
    };
    Ok(Prepared {
        target: Target::V3alpha,
        draft: UserSchemaDraft {
            type_name: type_name.into_string(),
            schema: parsed.schema,
            possible_authenticators: authenticators,
        },
        inherits_authenticators: inherits,
        meta: None,
    })
}

/// A nextgen document: the type is the one given, else the `objectType`, else the file's stem.
fn prepare_nextgen(
    file: &Path,
    text: &str,
    type_name: Option<&str>,
) -> Result<Prepared, ImportError> {
    let v = validate_document(text, &metas_for(file)?);
    let doc = match v.document {
        Some(doc) if v.diagnostics.is_empty() => doc,
        _ => {
            return Err(ImportError::Invalid {
                diagnostics: v.diagnostics,
                meta: Some(v.meta),
            });
        }
    };
    let type_name = type_name
        .map(str::to_string)
        .or_else(|| dialect::object_type(&doc).map(str::to_string))
        .or_else(|| file.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .ok_or_else(|| ImportError::NoNextgenType(file.to_path_buf()))?;
    Ok(Prepared {
        target: Target::Nextgen,
        draft: UserSchemaDraft::new(type_name, doc, []),
        inherits_authenticators: false,
        meta: Some(v.meta),
    })
}

/// `--authenticators a,b,c`: blank items are skipped, a name listed twice is refused.
pub fn parse_authenticators(
    list: &[String],
) -> Result<BTreeSet<AuthenticatorType>, AuthenticatorListError> {
    let mut set = BTreeSet::new();
    for item in list.iter().filter(|s| !s.trim().is_empty()) {
        let a = AuthenticatorType::parse(item)
            .map_err(|e| AuthenticatorListError::Unknown(e.to_string()))?;
        if !set.insert(a) {
            return Err(AuthenticatorListError::Twice(a));
        }
    }
    Ok(set)
}

/// Saves a prepared import by type, with `message`. With `if_latest` (v3alpha only) the save
/// happens only when the type's latest revision is that one ([`ImportError::NotLatest`]).
pub fn save(
    store: &mut Store,
    prepared: Prepared,
    message: &str,
    if_latest: Option<u32>,
) -> Result<SaveOutcome, ImportError> {
    let mut draft = prepared.draft;
    if prepared.target == Target::Nextgen {
        return Ok(store.save_with_target(&draft, message, Target::Nextgen)?);
    }
    if prepared.inherits_authenticators
        && let Some(s) = store.find_by_type(&draft.type_name)?
    {
        draft.possible_authenticators = store.latest_revision(s.id)?.draft.possible_authenticators;
    }
    Ok(match if_latest {
        Some(n) => store.save_by_type_if_latest(&draft, message, n)?,
        None => store.save_by_type(&draft, message)?,
    })
}

/// The revision message of an import the user gave none for.
pub fn default_message(file: &Path) -> String {
    if is_stdio(file) {
        "Imported from standard input".to_string()
    } else {
        format!(
            "Imported from {}",
            file.file_name().map_or_else(
                || file.display().to_string(),
                |n| n.to_string_lossy().into_owned()
            )
        )
    }
}

/// [`prepare`] then [`save`], with [`default_message`] when `message` is empty.
pub fn import_text(
    store: &mut Store,
    file: &Path,
    text: &str,
    opts: ImportOptions<'_>,
    message: &str,
) -> Result<(Target, SaveOutcome), ImportError> {
    let prepared = prepare(file, text, opts)?;
    let target = prepared.target;
    let message = if message.is_empty() {
        default_message(file)
    } else {
        message.to_string()
    };
    Ok((target, save(store, prepared, &message, None)?))
}
