//! Import from Keycloak or Ory with the report shown before anything is saved, and the
//! review sheet export. Reading, converting and writing run on a short-lived thread that
//! reports into shared state and asks for a repaint; the frame only draws.
//!
//! Every import (the dialog, a dropped file, a recent file) comes here first: a Keycloak
//! profile or an Ory schema is converted and its report shown; a confirmed import is saved by
//! the ordinary import (`Command::ImportConverted` with the converted request body the thread
//! wrote to a private temporary folder). Any other file is handed straight back to the
//! ordinary import.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use egui::{Id, RichText};

use crate::app::Command;
use crate::interchange::Outcome;
use crate::schema::validate::{Source, validate};
use crate::service::exchange::foreign::{self, Foreign, with_article};
use crate::service::exchange::review;
use crate::store::{SchemaId, Store};

/// What the interchange window shows.
#[derive(Debug, Clone, Default)]
enum Panel {
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
    /// Neither Keycloak nor Ory: to be imported as it is, on the next frame.
    Forward(PathBuf),
}

#[derive(Debug, Clone)]
struct Preview {
    source: String,
    format: String,
    type_name: String,
    summary: String,
    /// Report lines grouped by subject: (heading, [(outcome, pointer, message)]).
    groups: Vec<(String, Vec<Line>)>,
    /// Problems the validator found in the converted schema: nothing may be saved.
    problems: Vec<String>,
    /// The converted request body, ready for the ordinary import.
    body_file: PathBuf,
}

type Shared = Arc<Mutex<Panel>>;

/// One report line: outcome, source pointer, message.
type Line = (Outcome, String, String);

fn shared(ctx: &egui::Context) -> Shared {
    ctx.data_mut(|d| {
        d.get_temp_mut_or_insert_with(Id::unique("interchange_panel"), || {
            Arc::new(Mutex::new(Panel::Closed))
        })
        .clone()
    })
}

fn set(ctx: &egui::Context, shared: &Shared, panel: Panel) {
    if let Ok(mut p) = shared.lock() {
        *p = panel;
    }
    ctx.request_repaint();
}

/// Looks at `path` in the background: a Keycloak profile or an Ory schema is converted and
/// its report shown; anything else (also a file that cannot be read) goes to the ordinary
/// import, which reports its problems as before.
///
/// `jobs` counts the jobs under way (a forwarded import until the frame has sent it), so the
/// app can tell when it is idle.
pub fn start_import(ctx: &egui::Context, jobs: Arc<AtomicUsize>, path: PathBuf) {
    let panel = shared(ctx);
    jobs.fetch_add(1, Ordering::SeqCst);
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let next = match preview(&path) {
            Ok(Some(p)) => Panel::Preview(Box::new(p)),
            Ok(None) => Panel::Forward(path),
            Err(text) => Panel::Message {
                title: "Not imported".into(),
                text,
                ok: false,
            },
        };
        let forward = matches!(next, Panel::Forward(_));
        set(&ctx, &panel, next);
        // A forwarded import stays "running" until the frame has sent it.
        if !forward {
            jobs.fetch_sub(1, Ordering::SeqCst);
        }
    });
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
    crate::files::write_atomically(&body_file, body.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", body_file.display()))?;
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
    }))
}

/// Writes the review sheet of a schema's latest revision (compared with the one before, if
/// any) in the background; the file's extension picks Markdown, HTML or CSV.
pub fn start_export(
    ctx: &egui::Context,
    jobs: Arc<AtomicUsize>,
    db: PathBuf,
    schema: SchemaId,
    path: PathBuf,
) {
    let panel = shared(ctx);
    set(
        ctx,
        &panel,
        Panel::Working(format!("Writing {}…", path.display())),
    );
    jobs.fetch_add(1, Ordering::SeqCst);
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let next = match export(&db, schema, &path) {
            Ok(()) => Panel::Message {
                title: "Review sheet written".into(),
                text: format!("Wrote {}", path.display()),
                ok: true,
            },
            Err(text) => Panel::Message {
                title: "Review sheet not written".into(),
                text,
                ok: false,
            },
        };
        set(&ctx, &panel, next);
        jobs.fetch_sub(1, Ordering::SeqCst);
    });
}

fn export(db: &Path, schema: SchemaId, path: &Path) -> Result<(), String> {
    // The file's extension is checked before the store is opened.
    if review::sheet_format(path).is_none() {
        return Err(review::ReviewError::Format(path.to_path_buf()).to_string());
    }
    let store = Store::open(db).map_err(|e| e.to_string())?;
    review::write_against_previous(&store, schema, path).map_err(|e| e.to_string())
}

/// The Export menu's entry for the review sheet.
pub fn export_button_ui(ui: &mut egui::Ui, out: &mut Vec<Command>) {
    if ui
        .button("Export review sheet…")
        .on_hover_text(
            "A page for reviewers (.html, .md or .csv): every field with who may read and write it, compared with the previous revision",
        )
        .clicked()
    {
        out.push(Command::ExportReviewDialog);
    }
}

/// The report window, when a conversion or an export has something to show.
pub fn windows_ui(ctx: &egui::Context, jobs: &AtomicUsize, out: &mut Vec<Command>) {
    let panel_ref = shared(ctx);
    let panel = match panel_ref.lock() {
        Ok(p) => p.clone(),
        Err(_) => return,
    };
    let mut next = None;
    match panel {
        Panel::Closed => {}
        Panel::Forward(path) => {
            out.push(Command::ImportConverted(path));
            next = Some(Panel::Closed);
            jobs.fetch_sub(1, Ordering::SeqCst);
        }
        Panel::Working(text) => {
            egui::Modal::new(Id::unique("interchange_working")).show(ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(text);
                });
            });
        }
        Panel::Message { title, text, ok } => {
            egui::Modal::new(Id::unique("interchange_message")).show(ctx, |ui| {
                ui.set_max_width(480.0);
                ui.label(RichText::new(&title).heading());
                ui.add_space(6.0);
                if ok {
                    ui.label(&text);
                } else {
                    ui.label(RichText::new(&text).color(ui.visuals().error_fg_color));
                }
                ui.add_space(8.0);
                if ui.button("Close").clicked() {
                    next = Some(Panel::Closed);
                }
            });
        }
        Panel::Preview(p) => {
            egui::Modal::new(Id::unique("interchange_preview")).show(ctx, |ui| {
                ui.set_max_width(760.0);
                ui.label(RichText::new(format!("Import {}", with_article(&p.format))).heading());
                ui.add_space(4.0);
                ui.label(format!(
                    "{}, imported as the schema \"{}\"",
                    p.source, p.type_name
                ));
                ui.label(&p.summary);
                ui.add_space(6.0);
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .auto_shrink([false, true])
                    .show(ui, |ui| {
                        for (heading, lines) in &p.groups {
                            ui.label(RichText::new(heading).strong());
                            for (outcome, pointer, message) in lines {
                                let tag = RichText::new(outcome.label()).monospace();
                                let tag = if *outcome == Outcome::NotMapped {
                                    tag.color(ui.visuals().warn_fg_color)
                                } else {
                                    tag
                                };
                                ui.horizontal_wrapped(|ui| {
                                    ui.label(tag);
                                    ui.label(RichText::new(pointer).monospace().weak());
                                    ui.label(message);
                                });
                            }
                            ui.add_space(4.0);
                        }
                    });
                if !p.problems.is_empty() {
                    ui.add_space(6.0);
                    ui.label(
                        RichText::new("The converted schema is not valid; nothing can be saved:")
                            .color(ui.visuals().error_fg_color),
                    );
                    for problem in &p.problems {
                        ui.label(RichText::new(problem).monospace());
                    }
                }
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    let import = ui.add_enabled(
                        p.problems.is_empty(),
                        egui::Button::new(RichText::new("Import").strong()),
                    );
                    if import.clicked() {
                        out.push(Command::ImportConverted(p.body_file.clone()));
                        next = Some(Panel::Closed);
                    }
                    if ui.button("Cancel").clicked() {
                        next = Some(Panel::Closed);
                    }
                });
            });
        }
    }
    if let Some(n) = next {
        set(ctx, &panel_ref, n);
    }
}
