//! An open ZITADEL nextgen workspace in the app ("Open workspace…"): a folder holding
//! `zitadel.json` and `.zitadel/schemas/`. Its files are listed as schemas; opening one keeps
//! it as a local nextgen schema (a store revision, by the same rules as `schemadesk import`)
//! and opens it in the editor; every later save of that schema also writes the file back with
//! only the change (`nextgen::workspace`: key order, numbers and formatting kept, `$id` and a
//! changed `objectType` refused with the reason). The compatibility report compares a file's
//! working copy with git's HEAD. Registering is `zitadel plan` / `zitadel apply`'s job, which
//! the window says with the commands. Reading, git and writing run on background threads.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use super::tasks::{Latest, repaint};
use super::{Command, Controller, StatusKind};
use crate::nextgen::compat::compare_documents;
use crate::nextgen::validate::{MetaSet, validate_document};
use crate::nextgen::workspace::{Saved, SchemaFile, Workspace};
use crate::schema::compat::Class;
use crate::store::{SchemaId, Store};

#[derive(Debug, Clone, PartialEq)]
pub enum WorkspaceCommand {
    /// Asks for a folder (through the file dialogs) and opens it.
    OpenDialog,
    Open(PathBuf),
    /// Shows the window again.
    Show,
    /// Opens a file (by its path from the root) in the editor.
    OpenFile(String),
    /// The file's working copy against a git revision (empty: HEAD).
    Compat {
        rel: String,
        rev: String,
    },
    /// Closes the window (the workspace stays linked).
    Hide,
    /// Writes every nextgen schema of the store into the workspace's files (as
    /// `schemadesk export --all --workspace DIR` does).
    ExportAll,
}

/// What "Export all" did with one schema of the store.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    pub type_name: String,
    /// False: not written (a v3alpha schema, or refused with the reason).
    pub ok: bool,
    pub text: String,
}

/// One schema file as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct FileRow {
    /// From the root, e.g. `.zitadel/schemas/member.json`.
    pub rel: String,
    /// The objectType, else the file name.
    pub name: String,
    /// Its problems against the workspace's meta-schemas (empty: valid).
    pub problems: Vec<String>,
}

/// A file's compatibility report against git's HEAD.
#[derive(Debug, Clone, PartialEq)]
pub struct CompatView {
    pub rel: String,
    /// The git revision compared with.
    pub rev: String,
    pub worst: Class,
    /// (class, pointer, sentence).
    pub lines: Vec<(Class, String, String)>,
}

/// A store schema opened from a workspace file.
#[derive(Debug, Clone)]
pub struct Link {
    pub root: PathBuf,
    pub rel: String,
    /// The store revision the file holds.
    pub revision: u32,
    /// The workspace's meta-schemas: the editor and the save check use them, as the file
    /// write-back does, so the three never disagree.
    pub metas: Arc<MetaSet>,
}

#[derive(Debug, Default)]
pub struct WorkspaceState {
    pub root: Option<PathBuf>,
    pub window: bool,
    /// Which meta-schemas the files were checked against.
    pub meta: String,
    pub files: Vec<FileRow>,
    /// The last outcome (ok, text).
    pub message: Option<(bool, String)>,
    pub compat: Option<CompatView>,
    /// The git revision to compare with, as typed (empty: HEAD).
    pub git_rev: String,
    /// Schemas opened from a file, written back on save.
    pub links: HashMap<SchemaId, Link>,
    /// The last "Export all", schema by schema.
    pub exported: Vec<ExportRow>,
    task: Latest<Reply>,
}

impl WorkspaceState {
    /// The meta-schemas a schema is checked against: its workspace's when it was opened from
    /// one (None: the bundled one).
    pub fn metas_of(&self, id: SchemaId) -> Option<Arc<MetaSet>> {
        self.links.get(&id).map(|l| Arc::clone(&l.metas))
    }

    /// What a nextgen schema's editor says it checks against.
    pub fn checks_against(&self, id: SchemaId) -> String {
        self.links
            .get(&id)
            .map_or_else(|| MetaSet::bundled().describe(), |l| l.metas.describe())
    }

    pub fn is_idle(&self) -> bool {
        !self.task.is_running()
    }

    pub fn is_working(&self) -> bool {
        self.task.is_running()
    }
}

#[derive(Debug)]
enum Reply {
    Listed {
        root: PathBuf,
        meta: String,
        files: Vec<FileRow>,
    },
    Opened {
        id: SchemaId,
        link: Link,
        created: bool,
    },
    Compat(CompatView),
    Written {
        rel: String,
        written: bool,
    },
    /// The rows, then the workspace listed again.
    Exported(Vec<ExportRow>, Box<Reply>),
    Failed(String),
}

/// Every nextgen schema's latest revision into the file of its objectType (else the file
/// named after its type, else a new one), through the same placing as the CLI's.
fn export_all(db: &Path, root: &Path) -> Reply {
    use crate::service::exchange::workspace::{Placed, place};
    let run = || -> Result<Vec<ExportRow>, String> {
        let ws = Workspace::open(root).map_err(|e| e.to_string())?;
        let store = Store::open(db).map_err(|e| e.to_string())?;
        let targets = store.targets().map_err(|e| e.to_string())?;
        let schemas = store
            .list_schemas(crate::store::ListFilter::default())
            .map_err(|e| e.to_string())?;
        let mut rows = Vec::new();
        for s in schemas {
            let row = |ok, text: String| ExportRow {
                type_name: s.type_name.clone(),
                ok,
                text,
            };
            if targets.get(&s.id).copied().unwrap_or_default() != crate::nextgen::Target::Nextgen {
                rows.push(row(
                    false,
                    "skipped: a v3alpha schema (convert it to nextgen first)".into(),
                ));
                continue;
            }
            let placed = store
                .latest_revision(s.id)
                .map_err(|e| e.to_string())
                .and_then(|rev| {
                    let doc = rev.draft.schema;
                    let object_type = crate::nextgen::dialect::object_type(&doc)
                        .unwrap_or(&s.type_name)
                        .to_string();
                    let file = match ws.find_by_object_type(&object_type) {
                        Ok(Some(f)) => Some(f),
                        Ok(None) => ws.find(&s.type_name).ok(),
                        Err(e) => return Err(e.to_string()),
                    };
                    place(&ws, &doc, &object_type, file)
                        .map(|p| (rev.number, p))
                        .map_err(|e| e.to_string())
                });
            rows.push(match placed {
                Ok((n, Placed::Unchanged(f))) => {
                    row(true, format!("{} already holds revision {n}", f.rel))
                }
                Ok((n, Placed::Updated(f))) => row(
                    true,
                    format!("wrote revision {n} into {} (only the change)", f.rel),
                ),
                Ok((n, Placed::Created(p))) => {
                    let rel = p.strip_prefix(root).unwrap_or(&p);
                    row(
                        true,
                        format!("wrote revision {n} into the new file {}", rel.display()),
                    )
                }
                Err(e) => row(false, format!("not written: {e}")),
            });
        }
        Ok(rows)
    };
    match run() {
        Ok(rows) => Reply::Exported(rows, Box::new(list(root))),
        Err(e) => Reply::Failed(e),
    }
}

fn list(root: &Path) -> Reply {
    let listed = Workspace::open(root).and_then(|ws| Ok((ws.metas()?, ws.schemas()?)));
    match listed {
        Ok((metas, files)) => Reply::Listed {
            root: root.to_path_buf(),
            meta: metas.describe(),
            files: files
                .iter()
                .map(|f| FileRow {
                    rel: f.rel.clone(),
                    name: f.display_name().to_string(),
                    problems: validate_document(&f.text, &metas)
                        .diagnostics
                        .iter()
                        .map(|d| format!("{}:{} {}", d.line, d.column, d.message))
                        .collect(),
                })
                .collect(),
        },
        Err(e) => Reply::Failed(e.to_string()),
    }
}

fn open_file(db: &Path, root: &Path, rel: &str) -> Reply {
    let (file, metas) = match Workspace::open(root)
        .and_then(|ws| Ok((ws.schemas()?, ws.metas()?)))
        .map(|(files, metas)| (files.into_iter().find(|f| f.rel == rel), metas))
    {
        Ok((Some(f), metas)) => (f, metas),
        Ok((None, _)) => return Reply::Failed(format!("{rel} is no longer in the workspace")),
        Err(e) => return Reply::Failed(e.to_string()),
    };
    let mut store = match Store::open(db) {
        Ok(s) => s,
        Err(e) => return Reply::Failed(e.to_string()),
    };
    let message = format!("from the workspace file {rel}");
    let imported = crate::service::exchange::prepare(
        &file.path,
        &file.text,
        crate::service::exchange::ImportOptions::default(),
    )
    .and_then(|prepared| {
        if prepared.target != crate::nextgen::Target::Nextgen {
            return Ok(None);
        }
        crate::service::exchange::save(&mut store, prepared, &message, None).map(Some)
    });
    match imported {
        Ok(Some(outcome)) => {
            let rev = outcome.revision();
            Reply::Opened {
                id: rev.schema_id,
                link: Link {
                    root: root.to_path_buf(),
                    rel: rel.to_string(),
                    revision: rev.number,
                    metas: Arc::new(metas),
                },
                created: outcome.created(),
            }
        }
        Err(e) => Reply::Failed(format!("{rel} was not opened: {e}")),
        Ok(None) => Reply::Failed(format!(
            "{rel} is not a nextgen user schema (no \"kind\": \"user-schema\")"
        )),
    }
}

/// The workspace at `root` and its schema file `rel`, or why not.
fn schema_file(root: &Path, rel: &str) -> Result<(Workspace, SchemaFile), String> {
    let ws = Workspace::open(root).map_err(|e| e.to_string())?;
    let file = ws
        .schemas()
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|f| f.rel == rel)
        .ok_or_else(|| format!("{rel} is no longer in the workspace"))?;
    Ok((ws, file))
}

fn compat(root: &Path, rel: &str, rev: &str) -> Reply {
    let run = || -> Result<CompatView, String> {
        let (ws, file) = schema_file(root, rel)?;
        let old_text = ws.text_at(&file, rev).map_err(|e| e.to_string())?;
        let parse = |text: &str, what: &str| {
            serde_json::from_str::<Value>(text).map_err(|e| format!("{rel} ({what}): {e}"))
        };
        let report =
            compare_documents(&parse(&old_text, rev)?, &parse(&file.text, "working copy")?);
        Ok(CompatView {
            rel: rel.to_string(),
            rev: rev.to_string(),
            worst: report.worst(),
            lines: report.lines(),
        })
    };
    match run() {
        Ok(v) => Reply::Compat(v),
        Err(e) => Reply::Failed(e),
    }
}

fn write_back(root: &Path, rel: &str, text: &str) -> Reply {
    let run = || -> Result<bool, String> {
        let doc: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let (ws, file) = schema_file(root, rel)?;
        match ws.save(&file, &doc) {
            Ok(Saved::Written) => Ok(true),
            Ok(Saved::Unchanged) => Ok(false),
            Err(crate::nextgen::workspace::WorkspaceError::Invalid { path, problems }) => {
                Err(format!(
                    "{} was not written: {}",
                    path.display(),
                    problems
                        .iter()
                        .map(|d| format!("{}:{} {}", d.line, d.column, d.message))
                        .collect::<Vec<_>>()
                        .join("; ")
                ))
            }
            Err(e) => Err(e.to_string()),
        }
    };
    match run() {
        Ok(written) => Reply::Written {
            rel: rel.to_string(),
            written,
        },
        Err(e) => Reply::Failed(e),
    }
}

/// A workspace job that did not answer (its thread could not start, or it panicked).
fn lost(why: String) -> Reply {
    Reply::Failed(format!("the workspace job did not finish: {why}"))
}

impl Controller {
    pub(super) fn run_workspace(&mut self, command: WorkspaceCommand, ctx: &egui::Context) {
        let ws = &mut self.state.workspace;
        if ws.task.is_running()
            && !matches!(command, WorkspaceCommand::Show | WorkspaceCommand::Hide)
        {
            return;
        }
        match command {
            WorkspaceCommand::OpenDialog => {
                if let Some(dir) = self.dialogs.pick_folder() {
                    self.run_workspace(WorkspaceCommand::Open(dir), ctx);
                }
            }
            WorkspaceCommand::Open(dir) => {
                ws.window = true;
                ws.message = None;
                ws.compat = None;
                ws.task
                    .start(repaint(ctx), "workspace", move || list(&dir), lost);
            }
            WorkspaceCommand::Show => ws.window = ws.root.is_some(),
            WorkspaceCommand::Hide => ws.window = false,
            WorkspaceCommand::OpenFile(rel) => {
                let Some(root) = ws.root.clone() else { return };
                let db = self.state.db_path.clone();
                ws.task.start(
                    repaint(ctx),
                    "workspace",
                    move || open_file(&db, &root, &rel),
                    lost,
                );
            }
            WorkspaceCommand::ExportAll => {
                let Some(root) = ws.root.clone() else { return };
                let db = self.state.db_path.clone();
                ws.exported.clear();
                ws.compat = None;
                ws.task.start(
                    repaint(ctx),
                    "workspace-export",
                    move || export_all(&db, &root),
                    lost,
                );
            }
            WorkspaceCommand::Compat { rel, rev } => {
                let Some(root) = ws.root.clone() else { return };
                let rev = match rev.trim() {
                    "" => "HEAD".to_string(),
                    r => r.to_string(),
                };
                ws.compat = None;
                ws.task.start(
                    repaint(ctx),
                    "workspace",
                    move || compat(&root, &rel, &rev),
                    lost,
                );
            }
        }
    }

    /// Takes the workspace's background results, and writes a linked schema's file back
    /// once the editor has saved a newer revision of it.
    pub(super) fn poll_workspace(&mut self, ctx: &egui::Context) {
        let ws = &mut self.state.workspace;
        if let Some(mut reply) = ws.task.poll() {
            if let Reply::Exported(rows, listed) = reply {
                let written = rows.iter().filter(|r| r.ok).count();
                let text = format!(
                    "Exported {written} of {} schema(s) from the store. Register them with `zitadel plan` and `zitadel apply`.",
                    rows.len()
                );
                ws.exported = rows;
                reply = match *listed {
                    Reply::Listed { root, meta, files } => {
                        ws.root = Some(root);
                        ws.meta = meta;
                        ws.files = files;
                        ws.message = Some((true, text.clone()));
                        self.state.info(StatusKind::Success, text);
                        return;
                    }
                    other => other,
                };
            }
            match reply {
                Reply::Listed { root, meta, files } => {
                    let hint = format!("{} schema file(s)", files.len());
                    ws.root = Some(root);
                    ws.meta = meta;
                    ws.files = files;
                    ws.message = Some((true, hint));
                }
                Reply::Opened { id, link, created } => {
                    let what = if created {
                        format!("{} opened; kept as a new local revision", link.rel)
                    } else {
                        format!("{} opened (the local history has it already)", link.rel)
                    };
                    ws.links.insert(id, link);
                    // Already open: checked again, now against the workspace's meta-schemas.
                    let open_already = self.state.editor.as_ref().is_some_and(|e| e.id == id);
                    // Out of the editor's way; "Workspace files" shows it again.
                    ws.window = false;
                    ws.message = Some((true, what.clone()));
                    self.state.info(StatusKind::Info, what);
                    self.store.send(super::store_thread::Request::List);
                    self.run_command(Command::SelectSchema(id), ctx);
                    if open_already {
                        self.invalidate(ctx);
                    }
                }
                Reply::Compat(view) => {
                    ws.message = None;
                    ws.compat = Some(view);
                }
                Reply::Written { rel, written } => {
                    let text = if written {
                        format!(
                            "Wrote {rel} (only the change). Register it with `zitadel plan` and `zitadel apply`."
                        )
                    } else {
                        format!("{rel} already holds this revision")
                    };
                    ws.message = Some((true, text.clone()));
                    self.state.info(StatusKind::Success, text);
                }
                Reply::Exported(..) => {}
                Reply::Failed(text) => {
                    ws.message = Some((false, text.clone()));
                    self.state.info(StatusKind::Error, text);
                }
            }
            return;
        }
        // A linked schema saved a newer revision: its file follows.
        let ws = &mut self.state.workspace;
        let Some(editor) = &self.state.editor else {
            return;
        };
        let Some(link) = ws.links.get_mut(&editor.id) else {
            return;
        };
        if editor.saved_revision <= link.revision || ws.task.is_running() {
            return;
        }
        link.revision = editor.saved_revision;
        let (root, rel, text) = (
            link.root.clone(),
            link.rel.clone(),
            editor.saved.schema_text.clone(),
        );
        ws.task.start(
            repaint(ctx),
            "workspace-write",
            move || write_back(&root, &rel, &text),
            lost,
        );
    }
}
