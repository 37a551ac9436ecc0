//! The visual designer and the user-form preview: two more views of the open draft, kept in
//! step with its JSON text both ways.
//!
//! Designer edits are applied to the parsed schema by [`crate::schema::fields`], written back
//! to the draft's text (pretty-printed) and recorded like a JSON-pane edit, so undo, the dirty
//! marker and live validation work the same. JSON edits are read back into the tree; text that
//! does not parse leaves the last tree in place and says why. Sample users typed in the preview
//! are validated live, and the samples saved with the schema are checked again after every edit.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_json::{Value, json};

use super::designer_checks::{CheckDone, Work};
use super::store_thread::{Reply, Request};
use super::undo::EditKind;
use super::{Controller, LARGE_TEXT, StatusKind};
use crate::nextgen::Target;
use crate::schema::compat::{SampleInput, SampleOutcome};
use crate::schema::fields::{
    self, Attr, FieldError, FieldTree, FieldType, Viewer, instance_add_item, instance_remove_item,
    instance_set, parse_enum, parse_input, parse_input_lenient, parse_length, parse_limit,
    set_root_permission,
};
use crate::schema::permission::Permission;
use crate::schema::refs::{self, Reference};
use crate::schema::templates::{self, TEMPLATES};
use crate::schema::validate::Diagnostic;
use crate::schema::{AuthenticatorType, pretty};
use crate::store::{Sample, SchemaId, Store};

/// The central area's views of the open draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Json,
    Designer,
    Preview,
}

impl View {
    pub const ALL: [View; 3] = [View::Json, View::Designer, View::Preview];

    pub fn label(self) -> &'static str {
        match self {
            View::Json => "JSON",
            View::Designer => "Designer",
            View::Preview => "Preview",
        }
    }
}

/// A text box of the designer whose text must be read before it can go into the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    MinLength,
    MaxLength,
    Minimum,
    Maximum,
    Enum,
    Default,
}

/// What the designer and the preview ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum DesignerOp {
    SetView(View),
    Select(Option<Vec<String>>),
    AddField {
        parent: Vec<String>,
        name: String,
        field_type: FieldType,
    },
    Rename {
        path: Vec<String>,
        new_name: String,
    },
    MoveUp(Vec<String>),
    MoveDown(Vec<String>),
    /// Moves a field into another object field, or to the root with an empty `new_parent`.
    Nest {
        path: Vec<String>,
        new_parent: Vec<String>,
    },
    /// Removes a field; when other places name it, asks first (see [`RemovePrompt`]).
    Remove(Vec<String>),
    /// The answer to the [`RemovePrompt`]: remove the field, with or without its references.
    RemoveAnswered {
        path: Vec<String>,
        with_references: bool,
    },
    /// The [`RemovePrompt`] was cancelled: nothing changes.
    RemoveCancelled,
    Set {
        path: Vec<String>,
        attr: Attr,
    },
    /// An attribute of the definition `/$defs/<name>` changed.
    SetDefinition {
        name: String,
        attr: Attr,
    },
    /// A text box of the definition `/$defs/<name>` changed; read like [`DesignerOp::Input`].
    DefinitionInput {
        name: String,
        input: Input,
        text: String,
    },
    /// A text box changed; its text is read according to `input`.
    Input {
        path: Vec<String>,
        input: Input,
        text: String,
    },
    RootPermission(Permission),
    /// Creates a new schema from the template with this id.
    NewFromTemplate(&'static str),
    SetViewer(Viewer),
    /// The sample's JSON text was edited in place.
    SampleEdited,
    /// A form field of the preview changed.
    SetSampleValue {
        path: Vec<String>,
        field_type: Option<FieldType>,
        text: String,
    },
    /// Adds an empty item to the list at this path of the sample (the preview's "Add …").
    AddSampleItem(Vec<String>),
    /// Removes one item of the list at this path of the sample.
    RemoveSampleItem {
        path: Vec<String>,
        index: usize,
    },
    /// Starts a fresh, empty sample.
    ClearSample,
    LoadSample(String),
    /// Saves the sample being edited under `sample_name`.
    SaveSample,
    DeleteSample(String),
}

/// Sample requests for the store thread.
#[derive(Debug, Clone)]
pub enum SampleRequest {
    List(SchemaId),
    Save {
        id: SchemaId,
        name: String,
        data: String,
    },
    Delete {
        id: SchemaId,
        name: String,
    },
}

/// The store thread's answer to a [`SampleRequest`]: the schema's samples after it.
#[derive(Debug, Clone)]
pub struct SampleReply {
    pub id: SchemaId,
    pub samples: Result<Vec<Sample>, String>,
    /// What to tell the user.
    pub done: Option<String>,
}

/// Runs a sample request on the store thread's store.
pub(super) fn handle_samples(store: &mut Store, request: SampleRequest) -> Vec<Reply> {
    let (id, done) = match request {
        SampleRequest::List(id) => (id, Ok(None)),
        SampleRequest::Save { id, name, data } => (
            id,
            store
                .save_sample(id, &name, &data)
                .map(|_| Some(format!("Saved the sample \"{name}\""))),
        ),
        SampleRequest::Delete { id, name } => (
            id,
            store
                .delete_sample(id, &name)
                .map(|_| Some(format!("Deleted the sample \"{name}\""))),
        ),
    };
    let reply = match done {
        Ok(done) => SampleReply {
            id,
            samples: store.list_samples(id).map_err(|e| e.to_string()),
            done,
        },
        Err(e) => SampleReply {
            id,
            samples: Err(e.to_string()),
            done: None,
        },
    };
    vec![Reply::Samples(reply)]
}

/// A compiled schema for the preview's live sample check.
/// The designer's and the preview's state.
/// "Remove this field?" while other places in the schema name it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemovePrompt {
    pub path: Vec<String>,
    /// The references outside the field's own `required` entry.
    pub references: Vec<Reference>,
}

#[derive(Debug)]
pub struct DesignerState {
    pub view: View,
    /// The open "remove a referenced field" question.
    pub remove_prompt: Option<RemovePrompt>,
    /// The reference index of `schema`, for the tree's badges.
    pub references: Vec<Reference>,
    /// The last tree read from text that parsed.
    pub tree: FieldTree,
    /// The last schema value that parsed (shared with the check thread's jobs, not copied).
    pub schema: Option<Arc<Value>>,
    /// Why the draft's text does not parse (with line and column), when it does not.
    pub parse_error: Option<String>,
    /// The (schema, validation generation) the tree was read at.
    synced: Option<(SchemaId, u64)>,
    /// Bumped whenever `schema` changes.
    schema_serial: u64,
    pub selected: Option<Vec<String>>,
    /// The name box of the selected field.
    pub rename: String,
    /// The "add a field" row.
    pub new_name: String,
    pub new_type: FieldType,
    pub add_parent: Vec<String>,
    /// Text boxes whose text could not be read: key → (text, why).
    pub drafts: BTreeMap<String, (String, String)>,
    /// The template the next "new schema" uses.
    template: Option<&'static str>,
    // The preview.
    pub viewer: Viewer,
    /// The sample user being typed (JSON text).
    pub sample_text: String,
    /// The sample as parsed, when it parses.
    pub sample_value: Option<Value>,
    pub sample_name: String,
    /// Problems of the typed sample.
    pub sample_diagnostics: Vec<Diagnostic>,
    sample_serial: u64,
    sample_checked: Option<(u64, u64)>,
    /// The samples saved with the open schema.
    pub samples: Vec<Sample>,
    samples_for: Option<SchemaId>,
    samples_serial: u64,
    /// Each saved sample checked against the saved revision and the draft.
    pub outcomes: Vec<SampleOutcome>,
    outcomes_checked: Option<(u64, u64, u32)>,
}

impl Default for DesignerState {
    fn default() -> Self {
        DesignerState {
            view: View::default(),
            remove_prompt: None,
            references: Vec::new(),
            tree: FieldTree::default(),
            schema: None,
            parse_error: None,
            synced: None,
            schema_serial: 0,
            selected: None,
            rename: String::new(),
            new_name: String::new(),
            new_type: FieldType::String,
            add_parent: Vec::new(),
            drafts: BTreeMap::new(),
            template: None,
            viewer: Viewer::default(),
            sample_text: "{}\n".into(),
            sample_value: Some(json!({})),
            sample_name: String::new(),
            sample_diagnostics: Vec::new(),
            sample_serial: 0,
            sample_checked: None,
            samples: Vec::new(),
            samples_for: None,
            samples_serial: 0,
            outcomes: Vec::new(),
            outcomes_checked: None,
        }
    }
}

impl DesignerState {
    /// The key of a designer text box in [`DesignerState::drafts`].
    pub fn draft_key<S: AsRef<str>>(path: &[S], input: Input) -> String {
        format!("{}#{input:?}", fields::instance_pointer(path))
    }

    /// The draft key of a definition's text box: apart from every field's, which start `/`.
    pub fn definition_draft_key(name: &str, input: Input) -> String {
        format!("$defs{}", Self::draft_key(&[name], input))
    }

    /// Saved samples that pass under the saved revision and fail under the draft.
    pub fn breaking(&self) -> usize {
        self.outcomes.iter().filter(|o| o.newly_fails()).count()
    }

    /// Saved samples that fail under the draft.
    pub fn failing(&self) -> usize {
        self.outcomes.iter().filter(|o| !o.passes()).count()
    }

    /// "this change breaks 2 samples", or `None` when nothing breaks.
    pub fn breaking_text(&self) -> Option<String> {
        match self.breaking() {
            0 => None,
            1 => Some("this change breaks 1 sample".into()),
            n => Some(format!("this change breaks {n} samples")),
        }
    }

    /// Whether the designer's controls can change the schema now.
    pub fn can_edit(&self) -> bool {
        self.parse_error.is_none() && self.schema.is_some()
    }

    fn reset_for(&mut self, id: Option<SchemaId>) {
        let view = self.view;
        let viewer = self.viewer;
        let template = self.template;
        *self = DesignerState {
            view,
            viewer,
            template,
            samples_for: id,
            ..DesignerState::default()
        };
    }

    fn select(&mut self, path: Option<Vec<String>>) {
        self.rename = path
            .as_ref()
            .and_then(|p| p.last())
            .cloned()
            .unwrap_or_default();
        self.selected = path;
        self.drafts.clear();
    }

    fn set_schema(&mut self, value: Value, tree: FieldTree) {
        if let Some(sel) = &self.selected
            && tree.find(sel).is_none()
        {
            self.selected = None;
            self.rename.clear();
        }
        if self.add_parent.is_empty() || tree.find(&self.add_parent).is_none() {
            self.add_parent.clear();
        }
        if self.new_name.trim().is_empty()
            || fields::free_field_name(&tree, &self.add_parent, &self.new_name) != self.new_name
        {
            self.new_name = fields::free_field_name(&tree, &self.add_parent, "field");
        }
        self.tree = tree;
        self.references = refs::index(&value);
        self.schema = Some(Arc::new(value));
        self.parse_error = None;
        self.schema_serial += 1;
    }

    fn set_sample_text(&mut self, text: String) {
        self.sample_text = text;
        self.sample_edited();
    }

    fn sample_edited(&mut self) {
        self.sample_value = serde_json::from_str(&self.sample_text).ok();
        self.sample_serial += 1;
    }
}

/// The index of a field among its siblings, and how many siblings there are.
pub fn position_of(tree: &FieldTree, path: &[String]) -> Option<(usize, usize)> {
    let (name, parent) = path.split_last()?;
    let siblings = if parent.is_empty() {
        &tree.fields
    } else {
        &tree.find(parent)?.children
    };
    let index = siblings.iter().position(|f| &f.name == name)?;
    Some((index, siblings.len()))
}

/// What a new schema of a target starts from: the default v3alpha schema (username and
/// password), or the same converted to a nextgen document, which is valid as it is.
pub fn new_schema_start(
    type_name: &str,
    target: Target,
) -> (serde_json::Value, BTreeSet<AuthenticatorType>) {
    let authenticators: BTreeSet<AuthenticatorType> =
        [AuthenticatorType::Username, AuthenticatorType::Password]
            .into_iter()
            .collect();
    let schema = super::store_thread::new_schema_template();
    match target {
        Target::V3alpha => (schema, authenticators),
        Target::Nextgen => {
            let draft = crate::schema::UserSchemaDraft {
                type_name: type_name.to_string(),
                schema,
                possible_authenticators: authenticators,
            };
            let options = crate::nextgen::convert::ToNextgenOptions::default();
            let doc = crate::nextgen::convert::to_nextgen(&draft, &options).result;
            (doc, BTreeSet::new())
        }
    }
}

impl Controller {
    /// The `Create` request of a new schema: from the chosen template, or the default one.
    pub(super) fn new_schema_request(&mut self) -> Request {
        match self
            .state
            .designer
            .template
            .take()
            .and_then(templates::by_id)
        {
            Some(t) => Request::Create {
                base_type: t.suggested_type.to_string(),
                schema: t.schema(),
                authenticators: t.authenticators.iter().copied().collect(),
                target: Target::V3alpha,
            },
            None => {
                let base_type = self
                    .state
                    .chrome
                    .new_type
                    .take()
                    .unwrap_or_else(|| "new-schema".into());
                let target = std::mem::take(&mut self.state.chrome.new_target);
                let (schema, authenticators) = new_schema_start(&base_type, target);
                Request::Create {
                    base_type,
                    schema,
                    authenticators,
                    target,
                }
            }
        }
    }

    /// Forgets a template chosen for a "new schema" that did not happen.
    pub(super) fn forget_template(&mut self) {
        self.state.designer.template = None;
    }

    pub(super) fn on_samples(&mut self, reply: SampleReply) {
        let d = &mut self.state.designer;
        if d.samples_for != Some(reply.id) {
            return;
        }
        match reply.samples {
            Ok(samples) => {
                d.samples = samples;
                d.samples_serial += 1;
                if let Some(done) = reply.done {
                    self.state.info(StatusKind::Success, done);
                }
            }
            Err(e) => self.state.info(StatusKind::Error, format!("samples: {e}")),
        }
    }

    /// Applies `f` to the draft's schema and writes the result back as pretty JSON, recorded
    /// as an edit of `kind`. Errors are shown in the status bar and change nothing.
    fn edit_schema(
        &mut self,
        kind: EditKind,
        ctx: &egui::Context,
        f: impl FnOnce(&mut Value) -> Result<(), FieldError>,
    ) -> bool {
        let Some(editor) = &mut self.state.editor else {
            return false;
        };
        let mut value = match FieldTree::parse(&editor.parts.schema_text) {
            Ok((value, _)) => value,
            Err(e) => {
                self.state.info(
                    StatusKind::Error,
                    format!("The designer cannot change the schema: {e}"),
                );
                return false;
            }
        };
        if let Err(e) = f(&mut value) {
            self.state
                .info(StatusKind::Error, format!("Not changed: {e}"));
            return false;
        }
        let tree = match FieldTree::read(&value) {
            Ok(tree) => tree,
            Err(e) => {
                self.state
                    .info(StatusKind::Error, format!("Not changed: {e}"));
                return false;
            }
        };
        let text = pretty(&value);
        if text != editor.parts.schema_text {
            editor.parts.schema_text = text;
            self.record_edit(kind, ctx);
        }
        if let Some(editor) = &self.state.editor {
            let key = (editor.id, editor.validation.generation);
            let d = &mut self.state.designer;
            d.synced = Some(key);
            d.set_schema(value, tree);
        }
        true
    }

    /// Carries out a designer or preview operation.
    pub(super) fn run_designer(&mut self, op: DesignerOp, ctx: &egui::Context) {
        match op {
            DesignerOp::SetView(view) => self.state.designer.view = view,
            DesignerOp::Select(path) => self.state.designer.select(path),
            DesignerOp::AddField {
                parent,
                name,
                field_type,
            } => {
                let name = name.trim().to_string();
                let mut added = None;
                if self.edit_schema(EditKind::Replace, ctx, |v| {
                    added = Some(fields::add_field(v, &parent, &name, field_type)?);
                    Ok(())
                }) {
                    let d = &mut self.state.designer;
                    d.select(added);
                    d.new_name = fields::free_field_name(&d.tree, &d.add_parent, "field");
                }
            }
            DesignerOp::Rename { path, new_name } => {
                let new_name = new_name.trim().to_string();
                let mut renamed = None;
                if self.edit_schema(EditKind::Replace, ctx, |v| {
                    renamed = Some(fields::rename_field_counted(v, &path, &new_name)?);
                    Ok(())
                }) && let Some((new_path, count)) = renamed
                {
                    let old = path.last().map(String::as_str).unwrap_or_default();
                    if old != new_name {
                        self.state
                            .info(StatusKind::Success, rename_text(old, &new_name, count));
                    }
                    self.state.designer.select(Some(new_path));
                }
            }
            DesignerOp::MoveUp(path) => self.move_field(path, true, ctx),
            DesignerOp::MoveDown(path) => self.move_field(path, false, ctx),
            DesignerOp::Nest { path, new_parent } => {
                let mut moved = None;
                let mut stale = 0;
                if self.edit_schema(EditKind::Replace, ctx, |v| {
                    moved = Some(fields::nest_field(v, &path, &new_parent)?);
                    // Moving does not carry references along: say so rather than stay silent.
                    stale = refs::outside_references(v, &path).len();
                    Ok(())
                }) {
                    if stale > 0 {
                        let name = path.join(".");
                        self.state.info(
                            StatusKind::Info,
                            format!(
                                "Moved {name}; {stale} other place(s) still name it where it was (see the JSON)"
                            ),
                        );
                    }
                    self.state.designer.select(moved);
                }
            }
            DesignerOp::Remove(path) => {
                let d = &mut self.state.designer;
                let references = d
                    .schema
                    .as_ref()
                    .map(|s| refs::outside_references(s, &path))
                    .unwrap_or_default();
                if references.is_empty() {
                    self.remove_field(path, false, ctx);
                } else {
                    d.remove_prompt = Some(RemovePrompt { path, references });
                }
            }
            DesignerOp::RemoveAnswered {
                path,
                with_references,
            } => {
                self.state.designer.remove_prompt = None;
                self.remove_field(path, with_references, ctx);
            }
            DesignerOp::RemoveCancelled => self.state.designer.remove_prompt = None,
            DesignerOp::Set { path, attr } => {
                let kind = match attr {
                    Attr::Title(_) | Attr::Description(_) | Attr::Pattern(_) | Attr::Format(_) => {
                        EditKind::Json
                    }
                    _ => EditKind::Replace,
                };
                self.edit_schema(kind, ctx, |v| fields::set_attr(v, &path, attr));
            }
            DesignerOp::SetDefinition { name, attr } => {
                self.edit_schema(EditKind::Json, ctx, |v| {
                    fields::set_definition_attr(v, &name, attr)
                });
            }
            DesignerOp::DefinitionInput { name, input, text } => {
                self.definition_input(name, input, text, ctx);
            }
            DesignerOp::Input { path, input, text } => self.designer_input(path, input, text, ctx),
            DesignerOp::RootPermission(p) => {
                self.edit_schema(EditKind::Replace, ctx, |v| set_root_permission(v, p));
            }
            DesignerOp::NewFromTemplate(id) => {
                self.state.designer.template = Some(id);
                self.guard(super::Pending::New, ctx);
            }
            DesignerOp::SetViewer(v) => self.state.designer.viewer = v,
            DesignerOp::SampleEdited => self.state.designer.sample_edited(),
            DesignerOp::SetSampleValue {
                path,
                field_type,
                text,
            } => {
                let value = parse_input_lenient(&text, field_type);
                self.edit_sample(|sample| instance_set(sample, &path, value));
            }
            DesignerOp::AddSampleItem(path) => {
                self.edit_sample(|sample| instance_add_item(sample, &path).map(|_| ()))
            }
            DesignerOp::RemoveSampleItem { path, index } => {
                self.edit_sample(|sample| instance_remove_item(sample, &path, index));
            }
            DesignerOp::ClearSample => {
                let d = &mut self.state.designer;
                d.sample_name.clear();
                d.set_sample_text("{}\n".into());
            }
            DesignerOp::LoadSample(name) => {
                let d = &mut self.state.designer;
                if let Some(s) = d.samples.iter().find(|s| s.name == name) {
                    let data = s.data.clone();
                    d.sample_name = name;
                    d.set_sample_text(data);
                }
            }
            DesignerOp::SaveSample => {
                let Some(editor) = &self.state.editor else {
                    return;
                };
                let name = self.state.designer.sample_name.trim().to_string();
                if name.is_empty() {
                    self.state
                        .info(StatusKind::Error, "Give the sample a name to save it");
                    return;
                }
                let request = SampleRequest::Save {
                    id: editor.id,
                    name,
                    data: self.state.designer.sample_text.clone(),
                };
                self.store.send(Request::Samples(request));
            }
            DesignerOp::DeleteSample(name) => {
                if let Some(editor) = &self.state.editor {
                    let id = editor.id;
                    self.store
                        .send(Request::Samples(SampleRequest::Delete { id, name }));
                }
            }
        }
    }

    /// Applies a preview form edit to the sample (an empty one is `{}`) and rewrites its text;
    /// a sample that is not an object, or an edit that fails, changes nothing and says why.
    fn edit_sample(&mut self, edit: impl FnOnce(&mut Value) -> Result<(), String>) {
        let d = &mut self.state.designer;
        let mut sample = match &d.sample_value {
            Some(v @ Value::Object(_)) => v.clone(),
            _ if d.sample_text.trim().is_empty() => json!({}),
            _ => {
                self.state.info(
                    StatusKind::Error,
                    "The sample is not a JSON object; fix its JSON first",
                );
                return;
            }
        };
        match edit(&mut sample) {
            Ok(()) => d.set_sample_text(pretty(&sample)),
            Err(e) => self.state.info(StatusKind::Error, e),
        }
    }

    fn remove_field(&mut self, path: Vec<String>, with_references: bool, ctx: &egui::Context) {
        let mut removed = 0;
        if self.edit_schema(EditKind::Replace, ctx, |v| {
            removed = fields::remove_field_with_references(v, &path, with_references)?;
            Ok(())
        }) {
            if removed > 0 {
                let name = path.join(".");
                let what = if removed == 1 {
                    "reference"
                } else {
                    "references"
                };
                self.state.info(
                    StatusKind::Success,
                    format!("Removed {name} and {removed} {what} to it"),
                );
            }
            self.state.designer.select(None);
        }
    }

    fn move_field(&mut self, path: Vec<String>, up: bool, ctx: &egui::Context) {
        let Some((index, len)) = position_of(&self.state.designer.tree, &path) else {
            return;
        };
        let target = if up {
            index.checked_sub(1)
        } else {
            Some(index + 1).filter(|i| *i < len)
        };
        if let Some(target) = target {
            self.edit_schema(EditKind::Replace, ctx, |v| {
                fields::move_field(v, &path, target)
            });
        }
    }

    fn designer_input(
        &mut self,
        path: Vec<String>,
        input: Input,
        text: String,
        ctx: &egui::Context,
    ) {
        let field_type = self
            .state
            .designer
            .tree
            .find(&path)
            .and_then(|f| f.field_type);
        let attr = match input {
            Input::MinLength => parse_length(&text).map(Attr::MinLength),
            Input::MaxLength => parse_length(&text).map(Attr::MaxLength),
            Input::Minimum => parse_limit(&text).map(Attr::Minimum),
            Input::Maximum => parse_limit(&text).map(Attr::Maximum),
            Input::Enum => parse_enum(&text, field_type).map(Attr::Enum),
            Input::Default => parse_input(&text, field_type).map(Attr::Default),
        };
        let key = DesignerState::draft_key(&path, input);
        self.typed_input(key, text, attr, ctx, |v, attr| {
            fields::set_attr(v, &path, attr)
        });
    }

    /// Writes what a designer box parsed to, keeping the text as typed under `key` (so "1.50"
    /// is not rewritten as "1.5" while the box is being typed in), or keeps the text with the
    /// reason it does not parse.
    fn typed_input(
        &mut self,
        key: String,
        text: String,
        attr: Result<Attr, String>,
        ctx: &egui::Context,
        write: impl FnOnce(&mut Value, Attr) -> Result<(), FieldError>,
    ) {
        match attr {
            Ok(attr) => {
                self.state
                    .designer
                    .drafts
                    .insert(key.clone(), (text, String::new()));
                if !self.edit_schema(EditKind::Json, ctx, |v| write(v, attr)) {
                    self.state.designer.drafts.remove(&key);
                }
            }
            Err(why) => {
                self.state.designer.drafts.insert(key, (text, why));
            }
        }
    }

    /// A limit of a definition typed in: like [`Self::designer_input`], with its draft kept
    /// under [`DesignerState::definition_draft_key`].
    fn definition_input(&mut self, name: String, input: Input, text: String, ctx: &egui::Context) {
        let attr = match input {
            Input::MinLength => parse_length(&text).map(Attr::MinLength),
            Input::MaxLength => parse_length(&text).map(Attr::MaxLength),
            Input::Minimum => parse_limit(&text).map(Attr::Minimum),
            Input::Maximum => parse_limit(&text).map(Attr::Maximum),
            // The designer offers only the limits for definitions.
            Input::Enum | Input::Default => return,
        };
        let key = DesignerState::definition_draft_key(&name, input);
        self.typed_input(key, text, attr, ctx, |v, attr| {
            fields::set_definition_attr(v, &name, attr)
        });
    }

    /// Keeps the designer in step with the draft; rechecks the typed sample and the saved
    /// samples once the typing pauses. Called every frame after the commands ran; the
    /// reading and checking run on the designer's check thread ([`super::designer_checks`]).
    ///
    /// Each of these costs a large schema several times its text in memory, so each is asked
    /// for only while something shows its result: the tree while the designer or the preview
    /// is shown (or saved samples need the draft's schema), the typed sample's check while
    /// the preview is shown (its compiled schema is dropped when the preview closes), the
    /// saved samples' check while there are saved samples.
    pub(super) fn designer_frame(&mut self) {
        self.designer_answers();
        let Some(editor) = &self.state.editor else {
            if self.state.designer.samples_for.is_some() {
                self.state.designer.reset_for(None);
                self.designer_checks.forget();
            }
            return;
        };
        let id = editor.id;
        if self.state.designer.samples_for != Some(id) {
            self.state.designer.reset_for(Some(id));
            self.designer_checks.forget();
            self.store.send(Request::Samples(SampleRequest::List(id)));
        }
        let d = &mut self.state.designer;
        if editor.jump.is_some() {
            d.view = View::Json;
        }
        let typing = editor.validation.due.is_some();
        let key = (id, editor.validation.generation);
        let tree_wanted = d.view != View::Json || !d.samples.is_empty();
        if tree_wanted
            && d.synced != Some(key)
            && (!typing || editor.parts.schema_text.len() < LARGE_TEXT)
        {
            d.synced = Some(key);
            self.designer_checks
                .parse(key, editor.parts.schema_text.clone());
        }
        if d.view != View::Preview {
            // Compiled again when the preview checks a new sample or schema; the last
            // check's problems stay until then.
            self.designer_checks.drop_checker();
        }
        if typing {
            return;
        }
        let Some(schema) = &d.schema else {
            return;
        };
        let sample_key = (d.schema_serial, d.sample_serial);
        if d.view == View::Preview && d.sample_checked != Some(sample_key) {
            d.sample_checked = Some(sample_key);
            self.designer_checks
                .sample(id, sample_key, schema, d.sample_text.clone());
        }
        let outcomes_key = (d.schema_serial, d.samples_serial, editor.saved_revision);
        if d.outcomes_checked != Some(outcomes_key) {
            d.outcomes_checked = Some(outcomes_key);
            if d.samples.is_empty() {
                // Nothing to check: no saved revision to parse, no schema to compile.
                d.outcomes = Vec::new();
            } else {
                let inputs: Vec<SampleInput> = d.samples.iter().cloned().map(Into::into).collect();
                self.designer_checks.outcomes(
                    outcomes_key,
                    editor.saved.schema_text.clone(),
                    Arc::clone(schema),
                    inputs,
                );
            }
        }
    }

    /// The heavy work the designer's check thread has done so far (tests read it).
    pub fn designer_work(&self) -> Work {
        self.designer_checks.work()
    }

    /// Keeps what the check thread found while it still belongs to what is shown.
    fn designer_answers(&mut self) {
        for done in self.designer_checks.poll() {
            let d = &mut self.state.designer;
            match done {
                CheckDone::Parsed { key, result } if d.synced == Some(key) => match result {
                    Ok((value, tree)) => {
                        if d.schema.as_deref() != Some(&value) {
                            d.drafts.clear();
                            d.set_schema(value, tree);
                        } else {
                            d.parse_error = None;
                        }
                    }
                    Err(e) => d.parse_error = Some(e),
                },
                CheckDone::Sample { key, diagnostics } if d.sample_checked == Some(key) => {
                    d.sample_diagnostics = diagnostics;
                }
                CheckDone::Outcomes { key, outcomes } if d.outcomes_checked == Some(key) => {
                    d.outcomes = outcomes;
                }
                _ => {}
            }
        }
    }
}

/// The templates a new schema can start from, as (id, label, description).
/// The badge of the field at `path` and its hover text (one rule a line), when something other
/// than its container's `required` names it or it uses a definition.
pub fn reference_badge(
    references: &[Reference],
    path: &[String],
    pointer: &str,
) -> Option<(&'static str, String)> {
    let own_ref = format!("{pointer}/$ref");
    let named: Vec<&Reference> = references
        .iter()
        .filter(|r| {
            (r.kind != refs::RefKind::Required && r.names_field(path)) || r.pointer == own_ref
        })
        .collect();
    if named.is_empty() {
        return None;
    }
    let conditional = named.iter().any(|r| {
        matches!(
            r.kind,
            refs::RefKind::ConditionProperty | refs::RefKind::ConditionRequired
        )
    });
    let badge = if conditional {
        "conditional"
    } else {
        "referenced"
    };
    let hover = named
        .iter()
        .map(|r| format!("{} ({})", r.rule, r.pointer))
        .collect::<Vec<_>>()
        .join("\n");
    Some((badge, hover))
}

/// What the status bar says after a rename.
pub fn rename_text(old: &str, new: &str, count: usize) -> String {
    match count {
        0 => format!("Renamed {old} to {new}"),
        1 => format!("Renamed {old} to {new}; rewrote 1 reference"),
        n => format!("Renamed {old} to {new}; rewrote {n} references"),
    }
}

pub fn template_choices() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    TEMPLATES.iter().map(|t| (t.id, t.label, t.description))
}

/// Paths of the fields that can hold fields, for "add to".
pub fn containers(tree: &FieldTree) -> Vec<Vec<String>> {
    tree.iter()
        .filter(|f| fields::holds_fields(f))
        .map(|f| f.path.clone())
        .collect()
}

/// Where the field at `path` can be moved into: fields that hold fields, except the field
/// itself, its own fields, and the parent it is already in.
pub fn nest_targets(tree: &FieldTree, path: &[String]) -> Vec<Vec<String>> {
    let parent = &path[..path.len().saturating_sub(1)];
    containers(tree)
        .into_iter()
        .filter(|c| !c.starts_with(path) && c.as_slice() != parent)
        .collect()
}

/// Names used for the permission controls.
pub const OWNER_LABEL: &str = "Administrators (owner)";
pub const USER_LABEL: &str = "The user (self)";
