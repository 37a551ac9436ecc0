//! Controls for a ZITADEL nextgen document: the five sign-in methods (SSO with its providers),
//! the per-field toggles, the identifier picker and the display-name order. Each edits the
//! document in place and returns whether it changed; the rules live in `nextgen::validate`,
//! which reports what is wrong after an edit. The editor's header shows the methods and the
//! identifier; the designer shows a selected field's toggles ([`designer_field_ui`]).

use egui::Ui;
use serde_json::{Map, Value};

use crate::nextgen::dialect::{
    self, AUTH_METHODS_KEY, AuthMethod, DISPLAY_KEY, EDITABLE_KEY, IDENTIFIER_KEY, Methods,
    SENSITIVE_KEY, UNIQUE_KEY,
};

fn object_at<'a>(doc: &'a mut Value, key: &str) -> Option<&'a mut Map<String, Value>> {
    let root = doc.as_object_mut()?;
    let entry = root
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    entry.as_object_mut()
}

/// The five methods as checkboxes; an enabled SSO gets a providers field (comma-separated).
pub fn methods_ui(ui: &mut Ui, doc: &mut Value) -> bool {
    let current = Methods::read(doc);
    let mut changed = false;
    for m in AuthMethod::ALL {
        let mut on = current.enabled.contains(&m);
        if ui.checkbox(&mut on, m.label()).changed() {
            if let Some(methods) = object_at(doc, AUTH_METHODS_KEY) {
                let entry = methods
                    .entry(m.key().to_string())
                    .or_insert_with(|| Value::Object(Map::new()));
                if !entry.is_object() {
                    *entry = Value::Object(Map::new());
                }
                if let Some(e) = entry.as_object_mut() {
                    e.insert("enabled".into(), Value::Bool(on));
                    if m == AuthMethod::Sso && !on {
                        e.shift_remove("providers");
                    }
                    if m == AuthMethod::Sso && on && !e.contains_key("providers") {
                        e.insert("providers".into(), Value::Array(Vec::new()));
                    }
                }
            }
            changed = true;
        }
    }
    if Methods::read(doc).enabled.contains(&AuthMethod::Sso) {
        let mut text = Methods::read(doc).providers.join(", ");
        ui.horizontal(|ui| {
            let label = ui.label("SSO providers");
            let edit = ui
                .add(
                    egui::TextEdit::singleline(&mut text)
                        .hint_text("google, okta")
                        .desired_width(240.0),
                )
                .labelled_by(label.id);
            if edit.changed() {
                let list: Vec<Value> = text
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect();
                if let Some(sso) = object_at(doc, AUTH_METHODS_KEY)
                    .and_then(|m| m.get_mut("sso"))
                    .and_then(Value::as_object_mut)
                {
                    sso.insert("providers".into(), Value::Array(list));
                }
                changed = true;
            }
        });
    }
    changed
}

/// The property at a dotted path, as a mutable object.
fn property_mut<'a>(doc: &'a mut Value, dotted: &str) -> Option<&'a mut Map<String, Value>> {
    let mut node = doc;
    for name in dotted.split('.') {
        node = node.get_mut("properties")?.get_mut(name)?;
    }
    node.as_object_mut()
}

/// The toggles of one field: unique in the project, editable by the user, sensitive, MFA,
/// and the claim and verification names.
pub fn field_toggles_ui(ui: &mut Ui, doc: &mut Value, dotted: &str) -> bool {
    let Some(p) = property_mut(doc, dotted) else {
        ui.label(format!("no field \"{dotted}\""));
        return false;
    };
    let mut changed = false;
    let mut unique = p.get(UNIQUE_KEY).and_then(Value::as_str) == Some("project");
    if ui.checkbox(&mut unique, "Unique in the project").changed() {
        if unique {
            p.insert(UNIQUE_KEY.into(), Value::String("project".into()));
        } else {
            p.shift_remove(UNIQUE_KEY);
        }
        changed = true;
    }
    for (key, label, default) in [
        (EDITABLE_KEY, "Editable by the user", true),
        (SENSITIVE_KEY, "Sensitive", false),
        ("x-mfa", "Needs MFA to change", false),
    ] {
        let mut on = p.get(key).and_then(Value::as_bool).unwrap_or(default);
        if ui.checkbox(&mut on, label).changed() {
            if on == default {
                p.shift_remove(key);
            } else {
                p.insert(key.into(), Value::Bool(on));
            }
            changed = true;
        }
    }
    for (key, label) in [("x-claim", "Claim in tokens"), ("x-verify", "Verify by")] {
        let mut text = p
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        ui.horizontal(|ui| {
            let l = ui.label(label);
            if ui
                .add(egui::TextEdit::singleline(&mut text).desired_width(160.0))
                .labelled_by(l.id)
                .changed()
            {
                if text.trim().is_empty() {
                    p.shift_remove(key);
                } else {
                    p.insert(key.into(), Value::String(text.trim().to_string()));
                }
                changed = true;
            }
        });
    }
    changed
}

/// Picks the identifier among the leaf fields; the chosen field is made unique in the project.
pub fn identifier_ui(ui: &mut Ui, doc: &mut Value) -> bool {
    let leaves: Vec<String> = dialect::properties(doc)
        .iter()
        .filter(|p| p.is_leaf())
        .map(|p| p.dotted())
        .collect();
    let current = doc
        .get(IDENTIFIER_KEY)
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut chosen = current.clone();
    egui::ComboBox::from_label("Identifier")
        .selected_text(chosen.as_deref().unwrap_or("none"))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut chosen, None, "none");
            for leaf in &leaves {
                ui.selectable_value(&mut chosen, Some(leaf.clone()), leaf);
            }
        });
    if chosen == current {
        return false;
    }
    let Some(root) = doc.as_object_mut() else {
        return false;
    };
    match &chosen {
        Some(path) => {
            root.insert(IDENTIFIER_KEY.into(), Value::String(path.clone()));
            if let Some(p) = property_mut(doc, path) {
                p.insert(UNIQUE_KEY.into(), Value::String("project".into()));
            }
        }
        None => {
            root.shift_remove(IDENTIFIER_KEY);
        }
    }
    true
}

/// The display name's fields in order, each with Up, Down and Remove, and a picker to add one.
pub fn display_order_ui(ui: &mut Ui, doc: &mut Value) -> bool {
    let mut list: Vec<String> = doc
        .get(DISPLAY_KEY)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let before = list.clone();
    let mut action: Option<(usize, i8)> = None;
    for (i, item) in list.iter().enumerate() {
        ui.horizontal(|ui| {
            ui.label(item);
            if ui
                .add_enabled(i > 0, egui::Button::new(format!("Up: {item}")))
                .clicked()
            {
                action = Some((i, -1));
            }
            if ui
                .add_enabled(
                    i + 1 < list.len(),
                    egui::Button::new(format!("Down: {item}")),
                )
                .clicked()
            {
                action = Some((i, 1));
            }
            if ui.button(format!("Remove: {item}")).clicked() {
                action = Some((i, 0));
            }
        });
    }
    match action {
        Some((i, 0)) => {
            list.remove(i);
        }
        Some((i, d)) => list.swap(i, if d < 0 { i - 1 } else { i + 1 }),
        None => {}
    }
    let candidates: Vec<String> = dialect::properties(doc)
        .iter()
        .filter(|p| p.is_leaf())
        .map(|p| p.dotted())
        .filter(|p| !list.contains(p))
        .collect();
    let mut add: Option<String> = None;
    egui::ComboBox::from_label("Add to the display name")
        .selected_text("choose a field")
        .show_ui(ui, |ui| {
            for c in &candidates {
                if ui.selectable_label(false, c).clicked() {
                    add = Some(c.clone());
                }
            }
        });
    if let Some(c) = add {
        list.push(c);
    }
    if list == before {
        return false;
    }
    if let Some(root) = doc.as_object_mut() {
        if list.is_empty() {
            root.shift_remove(DISPLAY_KEY);
        } else {
            root.insert(
                DISPLAY_KEY.into(),
                Value::Array(list.into_iter().map(Value::String).collect()),
            );
        }
    }
    true
}

/// Whether the user sees a field read-only in the preview (`x-editable: false`).
pub fn read_only_for_user(doc: &Value, dotted: &str) -> bool {
    dialect::find_property(doc, dotted)
        .and_then(|p| p.schema.get(EDITABLE_KEY).and_then(Value::as_bool))
        == Some(false)
}

/// Under the designer's selected field, when the draft is a nextgen document: the field's
/// nextgen toggles. A change rewrites the JSON text as one edit (undo, validation, unsaved).
pub fn designer_field_ui(
    ui: &mut Ui,
    editor: &mut crate::app::Editor,
    path: &[String],
    out: &mut Vec<crate::app::Command>,
) {
    let Ok(mut doc) = serde_json::from_str::<Value>(&editor.parts.schema_text) else {
        return;
    };
    if !dialect::is_nextgen(&doc) {
        return;
    }
    ui.separator();
    ui.label(super::theme::text::heading("ZITADEL nextgen"));
    if field_toggles_ui(ui, &mut doc, &path.join(".")) {
        editor.parts.schema_text = crate::schema::pretty(&doc);
        out.push(crate::app::Command::Edited(crate::app::EditKind::Replace));
    }
}

/// The preview's place for a field of a nextgen document: what the user may not edit
/// (`x-editable: false`) is read-only for them; everything else as the permission says.
pub fn preview_access(
    schema: Option<&Value>,
    viewer: crate::schema::fields::Viewer,
    path: &[String],
    access: crate::schema::fields::FormAccess,
) -> crate::schema::fields::FormAccess {
    use crate::schema::fields::{FormAccess, Viewer};
    match schema {
        Some(doc)
            if viewer == Viewer::User
                && access == FormAccess::Editable
                && dialect::is_nextgen(doc)
                && read_only_for_user(doc, &path.join(".")) =>
        {
            FormAccess::ReadOnly
        }
        _ => access,
    }
}

/// Above a nextgen schema's local history: its revisions on a nextgen server (experimental).
pub fn server_revisions_ui(
    ui: &mut Ui,
    state: &mut crate::app::AppState,
    out: &mut Vec<crate::app::Command>,
) {
    use crate::app::nextgen_server::NextgenServerCommand;
    let Some(id) = state.editor.as_ref().map(|e| e.id) else {
        return;
    };
    if state.target_of(id) != crate::nextgen::Target::Nextgen {
        return;
    }
    let s = &mut state.nextgen_server;
    egui::CollapsingHeader::new("On a nextgen server (experimental)")
        .id_salt("nextgen_server_revisions")
        .show(ui, |ui| {
            ui.label(super::theme::text::note(format!(
                "Speaks the {}",
                crate::app::nextgen_server::API_VERSION
            )));
            ui.horizontal_wrapped(|ui| {
                let l = ui.label("API address");
                ui.add(
                    egui::TextEdit::singleline(&mut s.url)
                        .hint_text("https://id.example.com/api/v1")
                        .desired_width(200.0),
                )
                .labelled_by(l.id);
                if ui
                    .add_enabled(!s.is_working(), egui::Button::new("List server revisions"))
                    .on_hover_text(
                        "Every revision the server registered for this objectType; the project \
                         secret comes from ZITADEL_TOKEN or the OS keyring",
                    )
                    .clicked()
                {
                    out.push(crate::app::Command::NextgenServer(
                        NextgenServerCommand::List(s.url.clone()),
                    ));
                }
                if ui
                    .add_enabled(!s.is_working(), egui::Button::new("Push saved revision"))
                    .on_hover_text(
                        "Registers the saved revision as a new revision on the server \
                         (POST /schemas), after checking it as the editor does",
                    )
                    .clicked()
                {
                    out.push(crate::app::Command::NextgenServer(
                        NextgenServerCommand::Push(s.url.clone()),
                    ));
                }
                if s.is_working() {
                    ui.spinner();
                }
            });
            if let Some(p) = s.pushed.as_ref().filter(|p| p.schema == id) {
                ui.label(format!(
                    "Local revision {} registered on the server as {}",
                    p.local, p.id
                ));
            }
            if let Some(e) = &s.error {
                ui.colored_label(super::colors::error(ui.visuals()), e);
            }
            match &s.listed {
                Some((listed, rows)) if *listed == id => {
                    ui.label(super::theme::text::note(format!(
                        "{} revision(s) on the server",
                        rows.len()
                    )));
                    for r in rows {
                        ui.horizontal_wrapped(|ui| {
                            ui.monospace(&r.id);
                            if let Some(at) = &r.created_at {
                                ui.label(super::theme::text::note(crate::when::local(at)));
                            }
                            match r.local {
                                Some(n) => ui.label(format!("same as local r{n}")),
                                None => {
                                    ui.label(super::theme::text::note("not in the local history"))
                                }
                            };
                        });
                    }
                }
                _ => {}
            }
        });
}
