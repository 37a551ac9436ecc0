//! Converting the open schema to the other target (v3alpha ↔ nextgen) in the app: the
//! conversion of its last saved revision with the report of what did not map, field by
//! field, and the result's problems for its target; then, once confirmed, saved as a new
//! schema or as a new revision of a schema of the other target. Converting, validating and
//! saving run on a background thread (the rules are `nextgen::convert`'s, as on the CLI).

use std::path::PathBuf;

use super::tasks::{self, Latest};
use super::{AppState, Command, Controller, StatusKind};
use crate::nextgen::Target;
use crate::nextgen::convert::{ToNextgenOptions, Unmapped, to_nextgen, to_v3alpha};
use crate::nextgen::validate::{MetaSet, validate_document};
use crate::schema::validate::{Diagnostic, Source, validate};
use crate::schema::{AuthenticatorType, UserSchemaDraft};
use crate::store::{SchemaId, Store};

#[derive(Debug, Clone, PartialEq)]
pub enum ConvertCommand {
    /// Opens the window for the open schema.
    Open,
    SetProviders(String),
    SetDestination(Destination),
    Confirm,
    Close,
}

/// Where the converted schema goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Destination {
    /// A new schema of this type.
    New(String),
    /// A new revision of this schema of the other target.
    Revision(SchemaId),
}

/// The source of a conversion: a saved revision.
#[derive(Debug, Clone)]
pub struct ConvertSource {
    pub id: SchemaId,
    pub number: u32,
    pub draft: UserSchemaDraft,
    pub from: Target,
}

/// What a conversion gave.
#[derive(Debug, Clone, Default)]
pub struct Converted {
    /// The result as the text it is saved as.
    pub text: String,
    pub report: Vec<Unmapped>,
    /// The result's problems for its target (nothing is saved while there are any).
    pub problems: Vec<Diagnostic>,
}

#[derive(Debug)]
pub struct ConvertView {
    pub source: ConvertSource,
    pub to: Target,
    /// The SSO providers' slugs (comma-separated) for IDENTITY_PROVIDER → `sso`.
    pub providers: String,
    pub destination: Destination,
    /// The draft had unsaved changes: they are not converted.
    pub unsaved: bool,
    pub converted: Option<Converted>,
    /// Why the last confirmed conversion was not saved.
    pub error: Option<String>,
    preview: Latest<Result<Converted, String>>,
    saving: Latest<Result<Saved, String>>,
}

impl ConvertView {
    pub fn is_working(&self) -> bool {
        self.preview.is_running() || self.saving.is_running()
    }
}

#[derive(Debug, Default)]
pub struct ConvertState {
    pub view: Option<ConvertView>,
}

impl ConvertState {
    pub fn is_idle(&self) -> bool {
        self.view.as_ref().is_none_or(|v| !v.is_working())
    }
}

#[derive(Debug)]
struct Saved {
    id: SchemaId,
    type_name: String,
    number: u32,
    created: bool,
}

/// The other target.
pub fn other(target: Target) -> Target {
    match target {
        Target::V3alpha => Target::Nextgen,
        Target::Nextgen => Target::V3alpha,
    }
}

/// Converts `source` for `to` under `type_name`, and validates the result.
pub fn convert(source: &ConvertSource, to: Target, type_name: &str, providers: &str) -> Converted {
    match to {
        Target::Nextgen => {
            let draft = UserSchemaDraft {
                type_name: type_name.to_string(),
                ..source.draft.clone()
            };
            let options = ToNextgenOptions {
                sso_providers: providers
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
                meta_schema: None,
            };
            let c = to_nextgen(&draft, &options);
            let text = crate::schema::pretty(&c.result);
            let problems = validate_document(&text, &MetaSet::bundled()).diagnostics;
            Converted {
                text,
                report: c.report,
                problems,
            }
        }
        Target::V3alpha => {
            let mut c = to_v3alpha(&source.draft.schema, type_name);
            c.result.type_name = type_name.to_string();
            let text = crate::schema::pretty(&c.result.schema);
            let problems = validate(Source::Parts {
                type_name,
                schema_text: &text,
                authenticators: &c.result.possible_authenticators,
            })
            .diagnostics;
            Converted {
                text: c.result.request_body_pretty(),
                report: c.report,
                problems,
            }
        }
    }
}

/// Converts and saves in one go: nothing is written when the result has problems, when a new
/// schema's type is taken, or when the chosen schema is not of the target.
fn convert_and_save(
    db: PathBuf,
    source: ConvertSource,
    to: Target,
    type_name: String,
    new: bool,
    providers: String,
) -> Result<Saved, String> {
    let c = convert(&source, to, &type_name, &providers);
    if !c.problems.is_empty() {
        return Err(format!(
            "the result is not valid for {}: {} problem(s); nothing was saved",
            to.label(),
            c.problems.len()
        ));
    }
    let draft = match to {
        Target::Nextgen => {
            let doc = serde_json::from_str(&c.text).map_err(|e| e.to_string())?;
            UserSchemaDraft::new(&type_name, doc, [])
        }
        Target::V3alpha => {
            let mut d = to_v3alpha(&source.draft.schema, &type_name).result;
            d.type_name = type_name.clone();
            d
        }
    };
    let mut store = Store::open(&db).map_err(|e| e.to_string())?;
    if new
        && store
            .find_by_type(&type_name)
            .map_err(|e| e.to_string())?
            .is_some()
    {
        return Err(format!(
            "a schema \"{type_name}\" exists already: choose another type, or a new revision of it"
        ));
    }
    let message = format!(
        "converted from {} \"{}\" revision {}",
        source.from.label(),
        source.draft.type_name,
        source.number
    );
    let outcome = store
        .save_with_target(&draft, &message, to)
        .map_err(|e| e.to_string())?;
    let rev = outcome.revision();
    Ok(Saved {
        id: rev.schema_id,
        type_name,
        number: rev.number,
        created: outcome.created(),
    })
}

fn suggested_type(type_name: &str, to: Target) -> String {
    let suffix = match to {
        Target::Nextgen => "_nextgen",
        Target::V3alpha => "_v3alpha",
    };
    let max = crate::schema::draft::TYPE_MAX_CHARS - suffix.len();
    format!(
        "{}{suffix}",
        type_name.chars().take(max).collect::<String>()
    )
}

impl AppState {
    /// The schemas of a target, by type, for "a new revision of".
    pub fn schemas_of(&self, target: Target) -> Vec<(SchemaId, String)> {
        self.schemas
            .iter()
            .filter(|s| self.target_of(s.id) == target)
            .map(|s| (s.id, s.type_name.clone()))
            .collect()
    }
}

impl Controller {
    pub(super) fn run_convert(&mut self, command: ConvertCommand, ctx: &egui::Context) {
        match command {
            ConvertCommand::Open => {
                let Some(editor) = &self.state.editor else {
                    return;
                };
                let from = self.state.target_of(editor.id);
                let schema = match serde_json::from_str(&editor.saved.schema_text) {
                    Ok(v) => v,
                    Err(e) => {
                        self.state.info(
                            StatusKind::Error,
                            format!("Cannot convert: the saved schema does not parse ({e})"),
                        );
                        return;
                    }
                };
                let draft = UserSchemaDraft {
                    type_name: editor.saved.type_name.clone(),
                    schema,
                    possible_authenticators: editor.saved.authenticators.clone(),
                };
                let to = other(from);
                let mut view = ConvertView {
                    source: ConvertSource {
                        id: editor.id,
                        number: editor.saved_revision,
                        draft,
                        from,
                    },
                    to,
                    providers: String::new(),
                    destination: Destination::New(suggested_type(&editor.saved.type_name, to)),
                    unsaved: editor.dirty,
                    converted: None,
                    error: None,
                    preview: Latest::default(),
                    saving: Latest::default(),
                };
                start_preview(ctx, &mut view);
                self.state.convert.view = Some(view);
            }
            ConvertCommand::SetProviders(text) => {
                if let Some(view) = &mut self.state.convert.view {
                    view.providers = text;
                    start_preview(ctx, view);
                }
            }
            ConvertCommand::SetDestination(d) => {
                if let Some(view) = &mut self.state.convert.view {
                    view.destination = d;
                    view.error = None;
                }
            }
            ConvertCommand::Confirm => {
                let db = self.state.db_path.clone();
                let types: Vec<(SchemaId, String)> = self.state.schemas_of(
                    self.state
                        .convert
                        .view
                        .as_ref()
                        .map_or(Target::Nextgen, |v| v.to),
                );
                let Some(view) = &mut self.state.convert.view else {
                    return;
                };
                if view.is_working() {
                    return;
                }
                let (type_name, new) = match &view.destination {
                    Destination::New(t) => {
                        let t = t.trim().to_string();
                        if let Err(m) = crate::schema::TypeName::parse(&t) {
                            view.error = Some(m.to_string());
                            return;
                        }
                        (t, true)
                    }
                    Destination::Revision(id) => match types.iter().find(|(i, _)| i == id) {
                        Some((_, t)) => (t.clone(), false),
                        None => {
                            view.error = Some(format!(
                                "choose a {} schema to add the revision to",
                                view.to.label()
                            ));
                            return;
                        }
                    },
                };
                let (source, to, providers) =
                    (view.source.clone(), view.to, view.providers.clone());
                view.error = None;
                view.saving.start(
                    tasks::repaint(ctx),
                    "convert-save",
                    move || convert_and_save(db, source, to, type_name, new, providers),
                    |why| Err(format!("the save did not finish: {why}")),
                );
            }
            ConvertCommand::Close => self.state.convert.view = None,
        }
    }

    /// Takes the conversion window's background results.
    pub(super) fn poll_convert(&mut self, ctx: &egui::Context) {
        let Some(view) = &mut self.state.convert.view else {
            return;
        };
        match view.preview.poll() {
            Some(Ok(c)) => view.converted = Some(c),
            Some(Err(e)) => view.error = Some(e),
            None => {}
        }
        let Some(result) = view.saving.poll() else {
            return;
        };
        match result {
            Ok(saved) => {
                let to = view.to;
                self.state.convert.view = None;
                let what = if saved.created && saved.number == 1 {
                    format!("the new {} schema \"{}\"", to.label(), saved.type_name)
                } else if saved.created {
                    format!("revision {} of \"{}\"", saved.number, saved.type_name)
                } else {
                    format!(
                        "\"{}\" (unchanged: its revision {} is the same)",
                        saved.type_name, saved.number
                    )
                };
                self.state
                    .info(StatusKind::Success, format!("Converted into {what}"));
                self.store.send(super::store_thread::Request::List);
                self.run_command(Command::SelectSchema(saved.id), ctx);
            }
            Err(e) => view.error = Some(e),
        }
    }
}

/// Converts the view's source again in the background, in place of a conversion still running.
fn start_preview(ctx: &egui::Context, view: &mut ConvertView) {
    let source = view.source.clone();
    let (to, providers) = (view.to, view.providers.clone());
    let type_name = source.draft.type_name.clone();
    view.preview.start(
        tasks::repaint(ctx),
        "convert",
        move || Ok(convert(&source, to, &type_name, &providers)),
        |why| Err(format!("the conversion did not finish: {why}")),
    );
}

/// Whether `authenticators` ask for SSO providers when converted to nextgen.
pub fn wants_providers(source: &ConvertSource) -> bool {
    source.from == Target::V3alpha
        && source
            .draft
            .possible_authenticators
            .contains(&AuthenticatorType::IdentityProvider)
}
