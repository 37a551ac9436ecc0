//! A ZITADEL nextgen workspace in git: `zitadel.json` at the root, one user type per file in
//! `.zitadel/schemas/`, the dialect's meta-schemas pinned in `.zitadel/meta/`. schemadesk
//! reads and edits the files; `zitadel plan` / `zitadel apply` register them.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use super::dialect;
use super::edit::{EditError, patch};
use super::validate::{MetaError, MetaSet, validate_document};
use crate::schema::Diagnostic;

pub const CONFIG_FILE: &str = "zitadel.json";
pub const SCHEMAS_DIR: &str = ".zitadel/schemas";
pub const META_DIR: &str = ".zitadel/meta";

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("{0} is not a ZITADEL workspace: it needs {CONFIG_FILE} and a {SCHEMAS_DIR}/ folder")]
    NotAWorkspace(PathBuf),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the workspace {root} has no schema \"{name}\" (by objectType or file name)")]
    NoSuchSchema { root: PathBuf, name: String },
    #[error(
        "{path}: objectType is \"{from}\" and may not become \"{to}\": it is the key that ties the file to its user type's revisions on the server (and the users created against them); make a new file for a new user type instead"
    )]
    ObjectTypeRenamed {
        path: PathBuf,
        from: String,
        to: String,
    },
    #[error(
        "{0}: a workspace file never holds $id: the server gives every revision its own id, and a fixed $id would make the next `zitadel apply` collide with the registered one; remove it"
    )]
    HasId(PathBuf),
    #[error("{path} was not written: {} problem(s)", problems.len())]
    Invalid {
        path: PathBuf,
        problems: Vec<Diagnostic>,
    },
    #[error("{path}: {source}")]
    Edit { path: PathBuf, source: EditError },
    #[error(transparent)]
    Meta(#[from] MetaError),
    #[error("git show {rev}:{path} failed: {message}")]
    Git {
        rev: String,
        path: String,
        message: String,
    },
}

type Result<T, E = WorkspaceError> = std::result::Result<T, E>;

/// One schema file of a workspace.
#[derive(Debug, Clone)]
pub struct SchemaFile {
    /// The full path.
    pub path: PathBuf,
    /// The path from the workspace's root, with `/` separators (`.zitadel/schemas/x.json`).
    pub rel: String,
    /// The file name without `.json`.
    pub name: String,
    pub text: String,
    /// The document's `objectType`, when it parses and has one.
    pub object_type: Option<String>,
}

impl SchemaFile {
    /// What the file is called in lists: its objectType, else its file name.
    pub fn display_name(&self) -> &str {
        self.object_type.as_deref().unwrap_or(&self.name)
    }
}

/// An open workspace.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
}

/// What [`Workspace::save`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// The file already held this document.
    Unchanged,
    /// The file was rewritten with only the change.
    Written,
}

impl Workspace {
    /// Opens a folder that holds `zitadel.json` and `.zitadel/schemas/`.
    pub fn open(dir: &Path) -> Result<Workspace> {
        if !dir.join(CONFIG_FILE).is_file() || !dir.join(SCHEMAS_DIR).is_dir() {
            return Err(WorkspaceError::NotAWorkspace(dir.to_path_buf()));
        }
        Ok(Workspace {
            root: dir.to_path_buf(),
        })
    }

    /// Opens a workspace, first making the folders and an empty `zitadel.json` where missing.
    /// Returns whether `zitadel.json` was created.
    pub fn open_or_create(dir: &Path) -> Result<(Workspace, bool)> {
        let schemas = dir.join(SCHEMAS_DIR);
        std::fs::create_dir_all(&schemas).map_err(|source| WorkspaceError::Write {
            path: schemas.clone(),
            source,
        })?;
        let config = dir.join(CONFIG_FILE);
        let created = !config.exists();
        if created {
            crate::files::write_atomically(&config, b"{}\n").map_err(|source| {
                WorkspaceError::Write {
                    path: config.clone(),
                    source,
                }
            })?;
        }
        Ok((Workspace::open(dir)?, created))
    }

    /// The meta-schemas to validate with: the workspace's pinned ones when it has any,
    /// else the bundled one.
    pub fn metas(&self) -> Result<MetaSet> {
        let dir = self.root.join(META_DIR);
        let pinned = dir.is_dir()
            && std::fs::read_dir(&dir)
                .map(|mut r| {
                    r.any(|e| e.is_ok_and(|e| e.path().extension().is_some_and(|x| x == "json")))
                })
                .unwrap_or(false);
        if pinned {
            Ok(MetaSet::from_dir(&dir)?)
        } else {
            Ok(MetaSet::bundled())
        }
    }

    /// Every `.zitadel/schemas/*.json`, sorted by file name.
    pub fn schemas(&self) -> Result<Vec<SchemaFile>> {
        let dir = self.root.join(SCHEMAS_DIR);
        let read = std::fs::read_dir(&dir).map_err(|source| WorkspaceError::Read {
            path: dir.clone(),
            source,
        })?;
        let mut paths: Vec<PathBuf> = read
            .filter_map(std::result::Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json") && p.is_file())
            .collect();
        paths.sort();
        paths.iter().map(|p| self.read_file(p)).collect()
    }

    fn read_file(&self, path: &Path) -> Result<SchemaFile> {
        let text = std::fs::read_to_string(path).map_err(|source| WorkspaceError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let object_type = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| dialect::object_type(&v).map(str::to_string));
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let rel = format!("{SCHEMAS_DIR}/{name}.json");
        Ok(SchemaFile {
            path: path.to_path_buf(),
            rel,
            name,
            text,
            object_type,
        })
    }

    /// The file whose objectType, or else whose file name, is `name`.
    pub fn find(&self, name: &str) -> Result<SchemaFile> {
        let files = self.schemas()?;
        let by_type = files
            .iter()
            .position(|f| f.object_type.as_deref() == Some(name));
        let by_name = files.iter().position(|f| f.name == name);
        match by_type.or(by_name) {
            Some(i) => Ok(files.into_iter().nth(i).ok_or_else(|| self.missing(name))?),
            None => Err(self.missing(name)),
        }
    }

    /// The file whose objectType is `object_type`, if any.
    pub fn find_by_object_type(&self, object_type: &str) -> Result<Option<SchemaFile>> {
        Ok(self
            .schemas()?
            .into_iter()
            .find(|f| f.object_type.as_deref() == Some(object_type)))
    }

    fn missing(&self, name: &str) -> WorkspaceError {
        WorkspaceError::NoSuchSchema {
            root: self.root.clone(),
            name: name.to_string(),
        }
    }

    /// Writes `doc` into an existing file with only the change. Refuses (writing nothing) a
    /// document with `$id`, a changed objectType, or one that does not validate.
    pub fn save(&self, file: &SchemaFile, doc: &Value) -> Result<Saved> {
        self.check_writable(&file.path, doc)?;
        if let (Some(from), Some(to)) = (file.object_type.as_deref(), dialect::object_type(doc))
            && from != to
        {
            return Err(WorkspaceError::ObjectTypeRenamed {
                path: file.path.clone(),
                from: from.to_string(),
                to: to.to_string(),
            });
        }
        let text = patch(&file.text, doc).map_err(|source| WorkspaceError::Edit {
            path: file.path.clone(),
            source,
        })?;
        if text == file.text {
            return Ok(Saved::Unchanged);
        }
        self.write(&file.path, &text)?;
        Ok(Saved::Written)
    }

    /// Writes `doc` as a new file `.zitadel/schemas/<stem>.json` (pretty, two spaces).
    pub fn create_file(&self, stem: &str, doc: &Value) -> Result<PathBuf> {
        let path = self.root.join(SCHEMAS_DIR).join(format!("{stem}.json"));
        self.check_writable(&path, doc)?;
        self.write(&path, &crate::schema::pretty(doc))?;
        Ok(path)
    }

    fn check_writable(&self, path: &Path, doc: &Value) -> Result<()> {
        if doc.get("$id").is_some() {
            return Err(WorkspaceError::HasId(path.to_path_buf()));
        }
        let text = crate::schema::pretty(doc);
        let v = validate_document(&text, &self.metas()?);
        if !v.is_valid() {
            return Err(WorkspaceError::Invalid {
                path: path.to_path_buf(),
                problems: v.diagnostics,
            });
        }
        Ok(())
    }

    fn write(&self, path: &Path, text: &str) -> Result<()> {
        crate::files::write_atomically(path, text.as_bytes()).map_err(|source| {
            WorkspaceError::Write {
                path: path.to_path_buf(),
                source,
            }
        })
    }

    /// The file's text at a git revision (`HEAD` by default), via `git show REV:./path`.
    pub fn text_at(&self, file: &SchemaFile, rev: &str) -> Result<String> {
        let spec = format!("{rev}:./{}", file.rel);
        let git_error = |message: String| WorkspaceError::Git {
            rev: rev.to_string(),
            path: file.rel.clone(),
            message,
        };
        let out = Command::new("git")
            .arg("-C")
            .arg(&self.root)
            .args(["show", "--no-textconv", &spec])
            .output()
            .map_err(|e| git_error(format!("cannot run git: {e}")))?;
        if !out.status.success() {
            return Err(git_error(
                String::from_utf8_lossy(&out.stderr).trim().to_string(),
            ));
        }
        String::from_utf8(out.stdout).map_err(|e| git_error(e.to_string()))
    }
}

/// The commands that register a workspace: schemadesk edits files, the `zitadel` CLI applies.
pub fn apply_hint(root: &Path) -> String {
    format!(
        "schemadesk does not register schemas from a workspace; ZITADEL's CLI does:\n  cd {}\n  zitadel plan    # shows which files become new revisions\n  zitadel apply   # registers every changed file as a new revision",
        root.display()
    )
}
