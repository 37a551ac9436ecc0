//! Import from Keycloak or Ory with the report shown before anything is saved, and the
//! review sheet export: what the interchange window shows ([`Panel`], in `AppState`) and the
//! work behind it. Reading, converting and writing run as [`Jobs`] (app/tasks.rs) whose
//! answers the controller takes in at the start of a frame; the frame only draws
//! (`ui/interchange.rs`).
//!
//! Every import (the dialog, a dropped file, a recent file) comes here first: a Keycloak
//! profile or an Ory schema is converted and its report shown; a confirmed import is saved by
//! the ordinary import, from the converted request body the job wrote to a private temporary
//! folder. That folder is removed once the import is done (by the store thread, right after
//! it), cancelled (by a job) or left open when the app closes (when the controller is dropped).
//! Any other file is handed straight to the ordinary import.

use std::path::{Path, PathBuf};

use super::store_thread::Request;
use super::tasks::Jobs;
use super::{Command, Controller};
use crate::interchange::Outcome;
use crate::schema::validate::{Source, validate};
use crate::service::exchange::foreign::{self, Foreign};
use crate::service::exchange::review;
use crate::store::{SchemaId, Store};

/// What the interchange window shows.
#[derive(Debug, Clone, Default)]
pub enum Panel {
    #[default]
    Closed,
    Working(String),
    /// A conversion waiting for the administrator's decision.
    Preview(Box<Preview>),
    /// A message after an export or a failed conversion.
    Message {
        title: String,
        text: String,
        ok: bool,
    },
}

#[derive(Debug, Clone)]
pub struct Preview {
    pub source: String,
    pub format: String,
    pub type_name: String,
    pub summary: String,
    /// Report lines grouped by subject: (heading, [(outcome, pointer, message)]).
    pub groups: Vec<(String, Vec<Line>)>,
    /// Problems the validator found in the converted schema: nothing may be saved.
    pub problems: Vec<String>,
    /// The converted request body, ready for the ordinary import.
    pub body_file: PathBuf,
    /// The private folder holding `body_file`, removed when the import is done or cancelled.
    pub folder: PathBuf,
}

/// One report line: outcome, source pointer, message.
pub type Line = (Outcome, String, String);

/// What the window's buttons ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InterchangeCommand {
    /// Save the previewed conversion by the ordinary import.
    Import,
    /// Close the window (a preview: cancel the import).
    Close,
}

/// A finished interchange job.
pub enum Done {
    Show(Panel),
    /// Neither Keycloak nor Ory: to be imported as it is.
    Forward(PathBuf),
    /// A cancelled preview's folder was removed, or why not.
    Removed(PathBuf, Result<(), String>),
}

pub type InterchangeJobs = Jobs<Done>;

impl Controller {
    /// Looks at `path` in the background: a Keycloak profile or an Ory schema is converted and
    /// its report shown; anything else (also a file that cannot be read) goes to the ordinary
    /// import, which reports its problems as before.
    pub(super) fn start_interchange_import(&mut self, path: PathBuf) {
        self.interchange.spawn(
            "schemadesk-interchange",
            move || match preview(&path) {
                Ok(Some(p)) => Done::Show(Panel::Preview(Box::new(p))),
                Ok(None) => Done::Forward(path),
                Err(text) => Done::Show(Panel::Message {
                    title: "Not imported".into(),
                    text,
                    ok: false,
                }),
            },
            |text| {
                Done::Show(Panel::Message {
                    title: "Not imported".into(),
                    text,
                    ok: false,
                })
            },
        );
    }

    /// Writes the review sheet of a schema's latest revision (compared with the one before,
    /// if any) in the background; the file's extension picks Markdown, HTML or CSV.
    pub(super) fn start_review_export(&mut self, schema: SchemaId, path: PathBuf) {
        let db = self.state.db_path.clone();
        self.show_interchange(Panel::Working(format!("Writing {}…", path.display())));
        let not_written = |text| {
            Done::Show(Panel::Message {
                title: "Review sheet not written".into(),
                text,
                ok: false,
            })
        };
        self.interchange.spawn(
            "schemadesk-review-sheet",
            move || match export(&db, schema, &path) {
                Ok(()) => Done::Show(Panel::Message {
                    title: "Review sheet written".into(),
                    text: format!("Wrote {}", path.display()),
                    ok: true,
                }),
                Err(text) => not_written(text),
            },
            not_written,
        );
    }

    pub(super) fn run_interchange(&mut self, command: InterchangeCommand) {
        match (command, std::mem::take(&mut self.state.interchange)) {
            (InterchangeCommand::Import, Panel::Preview(p)) if p.problems.is_empty() => {
                self.store.send(Request::ImportTemporary {
                    path: p.body_file,
                    folder: p.folder,
                });
            }
            // Closing the window: a cancelled preview's folder goes away in the background.
            (_, Panel::Preview(p)) => self.remove_preview(p.folder),
            (_, _) => {}
        }
    }

    /// Takes in what the interchange jobs answered.
    pub(super) fn poll_interchange(&mut self, ctx: &egui::Context) {
        for done in self.interchange.poll() {
            match done {
                Done::Show(panel) => self.show_interchange(panel),
                Done::Forward(path) => self.run_command(Command::ImportConverted(path), ctx),
                Done::Removed(_, Ok(())) => {}
                Done::Removed(folder, Err(e)) => {
                    tracing::warn!("cannot remove {}: {e}", folder.display());
                }
            }
        }
    }

    /// Replaces what the window shows; a preview that is replaced is cancelled.
    fn show_interchange(&mut self, panel: Panel) {
        if let Panel::Preview(old) = std::mem::replace(&mut self.state.interchange, panel) {
            self.remove_preview(old.folder);
        }
    }

    fn remove_preview(&mut self, folder: PathBuf) {
        self.interchange.spawn(
            "schemadesk-interchange-cleanup",
            move || {
                let removed = remove_folder(&folder);
                Done::Removed(folder, removed)
            },
            |e| Done::Removed(PathBuf::new(), Err(e)),
        );
    }
}

impl Drop for Controller {
    /// A preview still waiting for an answer when the app closes is never imported: its
    /// folder goes now, while the process can still remove it (no frame is drawn any more).
    fn drop(&mut self) {
        if let Panel::Preview(p) = &self.state.interchange
            && let Err(e) = remove_folder(&p.folder)
        {
            tracing::warn!("cannot remove {}: {e}", p.folder.display());
        }
    }
}

/// Removes a preview's private folder; one that is already gone is fine.
pub(super) fn remove_folder(folder: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(folder) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

/// The conversion of a foreign file; `None` when the file is no Keycloak or Ory document.
fn preview(path: &Path) -> Result<Option<Preview>, String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(None);
    };
    let imported = match foreign::convert(&text, None) {
        Ok(Foreign::NotForeign) => return Ok(None),
        Ok(Foreign::Converted(imported)) => imported,
        Err(e) => return Err(format!("{}: {e}; nothing was imported", path.display())),
    };
    let type_name = foreign::type_from_file(path).unwrap_or_else(|| "imported".into());
    let body = foreign::converted_body(&imported, &type_name);
    let problems = validate(Source::File(&body))
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.pointer_display(), d.message))
        .collect();
    // A private folder per conversion; the file keeps the source's name, which the import
    // names in the revision's message.
    let dir = std::env::temp_dir().join(format!(
        "schemadesk-import-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    ));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let name = path.file_name().map_or_else(
        || "imported.json".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let body_file = dir.join(name);
    if let Err(e) = crate::files::write_atomically(&body_file, body.as_bytes()) {
        let _ = remove_folder(&dir);
        return Err(format!("cannot write {}: {e}", body_file.display()));
    }
    let report = &imported.report;
    let fields = foreign::field_count(&imported);
    let auths: Vec<&str> = imported
        .authenticators
        .iter()
        .map(|a| a.short_name())
        .collect();
    let summary = format!(
        "{fields} field(s); authenticators: {}; {} not mapped, {} adjusted, {} note(s)",
        if auths.is_empty() {
            "none".to_string()
        } else {
            auths.join(", ")
        },
        report.count(Outcome::NotMapped),
        report.count(Outcome::Adjusted),
        report.count(Outcome::Note),
    );
    let mut groups: Vec<(String, Vec<Line>)> = Vec::new();
    for e in &report.entries {
        let heading = if e.subject.is_empty() {
            "The whole document".to_string()
        } else {
            e.subject.clone()
        };
        let line = (e.outcome, e.source.clone(), e.message.clone());
        match groups.iter_mut().find(|(h, _)| *h == heading) {
            Some((_, lines)) => lines.push(line),
            None => groups.push((heading, vec![line])),
        }
    }
    Ok(Some(Preview {
        source: path.display().to_string(),
        format: report.format.label().to_string(),
        type_name,
        summary,
        groups,
        problems,
        body_file,
        folder: dir,
    }))
}

fn export(db: &Path, schema: SchemaId, path: &Path) -> Result<(), String> {
    // The file's extension is checked before the store is opened.
    if review::sheet_format(path).is_none() {
        return Err(review::ReviewError::Format(path.to_path_buf()).to_string());
    }
    let store = Store::open(db).map_err(|e| e.to_string())?;
    review::write_against_previous(&store, schema, path).map_err(|e| e.to_string())
}
