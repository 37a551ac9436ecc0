//! Import from Keycloak or Ory with the report shown before anything is saved, and the
//! review sheet export: what the interchange window shows ([`Panel`]) and the work behind it.
//! Reading, converting and writing run on a short-lived thread that reports into shared state
//! and asks for a repaint; the frame only draws (`ui/interchange.rs`).
//!
//! Every import (the dialog, a dropped file, a recent file) comes here first: a Keycloak
//! profile or an Ory schema is converted and its report shown; a confirmed import is saved by
//! the ordinary import (`Command::ImportConverted` with the converted request body the thread
//! wrote to a private temporary folder). Any other file is handed straight back to the
//! ordinary import.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use egui::Id;

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
    /// Neither Keycloak nor Ory: to be imported as it is, on the next frame.
    Forward(PathBuf),
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
}

pub type Shared = Arc<Mutex<Panel>>;

/// One report line: outcome, source pointer, message.
pub type Line = (Outcome, String, String);

/// The window's state, kept in egui's memory so the background thread can reach it.
pub fn shared(ctx: &egui::Context) -> Shared {
    ctx.data_mut(|d| {
        d.get_temp_mut_or_insert_with(Id::unique("interchange_panel"), || {
            Arc::new(Mutex::new(Panel::Closed))
        })
        .clone()
    })
}

/// Replaces what the window shows and asks for a repaint.
pub fn set(ctx: &egui::Context, shared: &Shared, panel: Panel) {
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
