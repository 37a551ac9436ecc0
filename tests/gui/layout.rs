//! The window at every size (issue 15). A matrix of window sizes, themes and font sizes, each
//! driving every view and dialog in one harness and checking from the accessibility tree that
//! no two interactive widgets overlap, every text input is at least 120 points wide and
//! inside the window, and every toolbar action is reachable (in the row or in the overflow
//! menu). Then the responsive rules one by one, and a few snapshot images.

use egui::accesskit::Role;
use egui::{Key, Modifiers, Rect};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use schemadesk::app::chrome::ChromeCommand;
use schemadesk::app::designer::{DesignerOp, View};
use schemadesk::app::remote::SyncCommand;
use schemadesk::app::{Command, DiffMode, WindowState};
use schemadesk::gui::SchemaDeskApp;
use schemadesk::schema::{AuthenticatorType, UserSchemaDraft};
use schemadesk::settings::{FontSize, Settings as Prefs, Theme};
use schemadesk::store::{SchemaId, Store};
use schemadesk::ui::toolbar::{Action, MORE_LABEL};
use serde_json::json;

use crate::harness::{Fixture, click, schema_text, settle};

const SIZES: [(f32, f32); 4] = [
    (800.0, 500.0),
    (1024.0, 640.0),
    (1280.0, 800.0),
    (1920.0, 1080.0),
];

/// The fixture's store with "employee" (three revisions and a sample) and "contractor".
fn seeded() -> (Fixture, SchemaId) {
    let fx = Fixture::new();
    let mut store = fx.store();
    let auth = [AuthenticatorType::Username, AuthenticatorType::Password];
    let employee = store
        .create_schema(&UserSchemaDraft::new("employee", schema(1), auth), "first")
        .expect("seed")
        .schema_id;
    for r in 2..=3 {
        store
            .save_revision(
                employee,
                &UserSchemaDraft::new("employee", schema(r), auth),
                &format!("revision {r}"),
            )
            .expect("revision");
    }
    store
        .save_sample(
            employee,
            "ada",
            "{\n  \"givenName\": \"Ada\",\n  \"loyaltyNumber\": \"LOY-0001\"\n}\n",
        )
        .expect("sample");
    store
        .create_schema(
            &UserSchemaDraft::new("contractor", json!({"type": "object"}), auth),
            "seed",
        )
        .expect("seed");
    (fx, employee)
}

fn app(
    fx: &Fixture,
    size: (f32, f32),
    theme: Theme,
    font: f32,
    settings: WindowState,
) -> Harness<'static, SchemaDeskApp> {
    let prefs = Prefs {
        theme,
        font_size: FontSize::clamped(font),
        ..Prefs::default()
    };
    fx.app_with(egui::vec2(size.0, size.1), settings, move |app| {
        app.with_prefs(prefs, None)
    })
}

fn schema(revision: u32) -> serde_json::Value {
    let mut properties = json!({
        "givenName": {
            "type": "string",
            "title": "Given name",
            "description": "As on the passport",
            "minLength": 1
        },
        "loyaltyNumber": { "type": "string", "pattern": "^LOY-[0-9]{4}$" },
        "department": {
            "type": "string",
            "enum": ["sales", "engineering"],
            "urn:zitadel:schema:permission": { "owner": "rw", "self": "r" }
        },
        "address": {
            "type": "object",
            "properties": {
                "street": { "type": "string" },
                "city": { "type": "string" }
            }
        },
        "age": { "type": "integer", "minimum": 0, "maximum": 150 },
        "newsletter": { "type": "boolean" }
    });
    // Later revisions change a line in the middle, so the diff has folded context.
    if revision > 1 {
        properties["age"]["maximum"] = json!(130 + revision);
        properties["nickname"] = json!({ "type": "string", "description": "A very long description that makes this line much wider than any diff column would be on a small window, so it must scroll sideways rather than be cut off at the edge" });
    }
    json!({
        "$schema": "urn:zitadel:schema:v1",
        "type": "object",
        "required": ["givenName"],
        "properties": properties
    })
}

fn run(h: &mut Harness<'_, SchemaDeskApp>, command: Command) {
    let ctx = h.ctx.clone();
    h.state_mut().run_command(command, &ctx);
    settle(h);
}

/// One interactive widget as laid out: what the accessibility tree names, and egui's rects.
#[derive(Debug, Clone)]
struct Widget {
    label: String,
    role: Role,
    /// The part that is visible (clipped by scroll areas and panels).
    visible: Rect,
    /// The whole widget.
    full: Rect,
    layer: egui::LayerId,
}

fn is_text_input(role: Role) -> bool {
    matches!(
        role,
        Role::TextInput | Role::MultilineTextInput | Role::SearchInput | Role::NumberInput
    )
}

/// Every interactive widget in the accessibility tree that is at least partly visible.
fn widgets(h: &Harness<'_, SchemaDeskApp>) -> Vec<Widget> {
    let mut out = Vec::new();
    for node in h.root().children_recursive() {
        let ak = node.accesskit_node();
        let role = ak.role();
        if !egui::accessibility::is_input(role) {
            continue;
        }
        // The accessibility node's id is the egui widget's id: its rects come from egui,
        // which knows what a scroll area or a panel clips.
        let (node_id, _) = ak.locate();
        let Ok(id) = serde_json::from_value::<egui::Id>(json!(node_id.0)) else {
            continue;
        };
        let Some(response) = h.ctx.read_response(id) else {
            continue;
        };
        let visible = response.interact_rect.intersect(response.rect);
        if !(visible.width() > 0.5 && visible.height() > 0.5) {
            continue;
        }
        out.push(Widget {
            label: ak.label().unwrap_or_default(),
            role,
            visible,
            full: response.rect,
            layer: response.layer_id,
        });
    }
    out
}

/// The layout rules for what is on screen now; `what` names the view in failures.
fn check(h: &Harness<'_, SchemaDeskApp>, what: &str) -> Vec<String> {
    let window = Rect::from_min_size(egui::Pos2::ZERO, h.ctx.content_rect().size());
    let all = widgets(h);
    // The checks below mean something only if the widgets were found.
    assert!(
        all.len() >= 5,
        "{what}: only {} widgets found: {all:?}",
        all.len()
    );
    let mut problems = Vec::new();
    for (i, a) in all.iter().enumerate() {
        // Resize handles sit on panel edges by design.
        if a.role == Role::Splitter {
            continue;
        }
        for b in &all[i + 1..] {
            if b.role == Role::Splitter || a.layer != b.layer {
                continue;
            }
            let overlap = a.visible.shrink(0.5).intersect(b.visible.shrink(0.5));
            if overlap.width() > 0.5 && overlap.height() > 0.5 {
                problems.push(format!(
                    "{what}: {:?} {:?} at {:?} overlaps {:?} {:?} at {:?}",
                    a.role, a.label, a.visible, b.role, b.label, b.visible
                ));
            }
        }
        // Cut off at the side (by a panel or the window), like a button half hidden.
        if a.visible.width() + 1.0 < a.full.width() {
            problems.push(format!(
                "{what}: {:?} {:?} is cut off at the side: {:.0} of {:.0} points visible",
                a.role,
                a.label,
                a.visible.width(),
                a.full.width()
            ));
        }
        if is_text_input(a.role) {
            if a.visible.width() < 119.5 {
                problems.push(format!(
                    "{what}: text input {:?} is {:.0} wide where it can be seen (whole {:?})",
                    a.label,
                    a.visible.width(),
                    a.full
                ));
            }
            if a.full.left() < window.left() - 0.5 || a.full.right() > window.right() + 0.5 {
                problems.push(format!(
                    "{what}: text input {:?} at {:?} is not inside the window {:?}",
                    a.label, a.full, window
                ));
            }
        }
        if a.visible.right() > window.right() + 0.5 || a.visible.bottom() > window.bottom() + 0.5 {
            problems.push(format!(
                "{what}: {:?} {:?} at {:?} is outside the window {:?}",
                a.role, a.label, a.visible, window
            ));
        }
    }
    problems
}

/// Whether a widget with this label can be seen and used now.
fn reachable(h: &Harness<'_, SchemaDeskApp>, label: &str) -> bool {
    widgets(h).iter().any(|w| w.label == label)
}

/// Every toolbar action is in the row or in the overflow menu.
fn check_toolbar(h: &mut Harness<'_, SchemaDeskApp>, what: &str) -> Vec<String> {
    let missing: Vec<&str> = Action::ALL
        .iter()
        .map(|a| a.label())
        .filter(|l| !reachable(h, l))
        .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    if !reachable(h, MORE_LABEL) {
        return vec![format!(
            "{what}: {missing:?} are not in the toolbar and there is no overflow menu"
        )];
    }
    click(h, MORE_LABEL);
    let problems = missing
        .iter()
        .filter(|l| !reachable(h, l))
        .map(|l| {
            format!("{what}: toolbar action {l:?} is neither in the row nor in the overflow menu")
        })
        .collect();
    h.key_press(Key::Escape);
    settle(h);
    problems
}

/// Runs every view and dialog of one window size, theme and font size.
fn matrix_case(
    fx: &Fixture,
    employee: SchemaId,
    size: (f32, f32),
    theme: Theme,
    font: f32,
) -> Vec<String> {
    let tag = format!("{}x{} {theme:?} {font}pt", size.0, size.1);
    let mut h = app(fx, size, theme, font, WindowState::default());
    let mut problems = Vec::new();
    let mut look = |h: &mut Harness<'_, SchemaDeskApp>, view: &str| {
        problems.extend(check(h, &format!("{tag} {view}")));
    };

    look(&mut h, "list");
    run(&mut h, Command::SelectSchema(employee));
    assert!(h.state().state.editor.is_some(), "{tag}: the schema opens");
    look(&mut h, "JSON");
    let json = widgets(&h)
        .into_iter()
        .find(|w| w.label == "JSON schema")
        .map(|w| w.visible.height());
    let line = h.ctx.style_of(h.ctx.theme()).text_styles[&egui::TextStyle::Monospace].size;
    if json.is_none_or(|height| height < 6.0 * line) {
        problems.push(format!(
            "{tag} JSON: the editor shows {json:?} points of text, fewer than 6 lines"
        ));
    }
    let toolbar = check_toolbar(&mut h, &tag);
    problems.extend(toolbar);

    run(
        &mut h,
        Command::Designer(DesignerOp::SetView(View::Designer)),
    );
    run(
        &mut h,
        Command::Designer(DesignerOp::Select(Some(vec!["givenName".into()]))),
    );
    let mut look = |h: &mut Harness<'_, SchemaDeskApp>, view: &str| {
        problems.extend(check(h, &format!("{tag} {view}")));
    };
    look(&mut h, "designer");
    run(
        &mut h,
        Command::Designer(DesignerOp::SetView(View::Preview)),
    );
    look(&mut h, "preview");
    run(
        &mut h,
        Command::Designer(DesignerOp::SetViewer(
            schemadesk::schema::fields::Viewer::User,
        )),
    );
    look(&mut h, "preview as the user");
    run(&mut h, Command::Designer(DesignerOp::SetView(View::Json)));

    run(&mut h, Command::Compare { old: 1, new: 3 });
    look(&mut h, "unified diff");
    run(&mut h, Command::SetDiffMode(DiffMode::SideBySide));
    look(&mut h, "side-by-side diff");
    run(&mut h, Command::SetTab(schemadesk::app::Tab::Editor));

    let id = employee;
    for (open, close, name) in [
        (
            Command::StartRename(id),
            Command::CloseModal,
            "rename dialog",
        ),
        (Command::AskDelete(id), Command::CloseModal, "delete dialog"),
        (Command::AskPurge(id), Command::CloseModal, "purge dialog"),
        (
            Command::Chrome(ChromeCommand::OpenSettings),
            Command::Chrome(ChromeCommand::CloseSettings),
            "settings",
        ),
        (
            Command::Chrome(ChromeCommand::OpenAbout),
            Command::Chrome(ChromeCommand::CloseAbout),
            "about",
        ),
        (
            Command::Chrome(ChromeCommand::OpenShortcuts),
            Command::Chrome(ChromeCommand::CloseShortcuts),
            "shortcuts",
        ),
        (
            Command::Sync(SyncCommand::OpenServers),
            Command::Sync(SyncCommand::CloseServers),
            "servers",
        ),
        (
            Command::Sync(SyncCommand::OpenPush),
            Command::Sync(SyncCommand::ClosePush),
            "push",
        ),
        (
            Command::Sync(SyncCommand::OpenRemote(None)),
            Command::Sync(SyncCommand::CloseRemote),
            "pull",
        ),
    ] {
        run(&mut h, open);
        look(&mut h, name);
        run(&mut h, close);
    }
    // The unsaved-changes question.
    if let Some(editor) = h.state_mut().state.editor.as_mut() {
        editor.parts.type_name.push_str("-x");
    }
    run(&mut h, Command::Edited(schemadesk::app::EditKind::Type));
    let contractor = h
        .state()
        .state
        .schemas
        .iter()
        .find(|s| s.type_name == "contractor")
        .map(|s| s.id)
        .expect("contractor listed");
    run(&mut h, Command::SelectSchema(contractor));
    look(&mut h, "unsaved-changes dialog");
    run(
        &mut h,
        Command::Unsaved(schemadesk::app::UnsavedAnswer::Cancel),
    );
    problems
}

fn matrix_for(size: (f32, f32)) {
    let (fx, employee) = seeded();
    let mut problems = Vec::new();
    for theme in [Theme::Light, Theme::Dark] {
        for font in [14.0, 18.0] {
            problems.extend(matrix_case(&fx, employee, size, theme, font));
        }
    }
    assert!(
        problems.is_empty(),
        "{} layout problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn matrix_800x500() {
    matrix_for(SIZES[0]);
}

#[test]
fn matrix_1024x640() {
    matrix_for(SIZES[1]);
}

#[test]
fn matrix_1280x800() {
    matrix_for(SIZES[2]);
}

#[test]
fn matrix_1920x1080() {
    matrix_for(SIZES[3]);
}

/// The app at 1280×800 (the default window) with History open and the employee schema.
fn default_window(fx: &Fixture, employee: SchemaId) -> Harness<'static, SchemaDeskApp> {
    let settings = WindowState {
        last_schema: Some(employee.0),
        ..WindowState::default()
    };
    let h = app(fx, (1280.0, 800.0), Theme::Light, 14.0, settings);
    assert!(h.state().state.editor.is_some());
    h
}

fn focused(h: &Harness<'_, SchemaDeskApp>) -> Option<String> {
    h.root()
        .children_recursive()
        .find(|n| n.accesskit_node().is_focused())
        .map(|n| n.accesskit_node().label().unwrap_or_default())
}

fn sample(h: &Harness<'_, SchemaDeskApp>) -> serde_json::Value {
    serde_json::from_str(&h.state().state.designer.sample_text).expect("the sample is JSON")
}

/// Item 5: keys typed faster than the app settles (one frame each) all arrive, also when
/// the first one makes a problem of the sample appear or go away above the input.
#[test]
fn preview_inputs_keep_every_fast_keystroke() {
    let (fx, employee) = seeded();
    let mut h = default_window(&fx, employee);
    run(
        &mut h,
        Command::Designer(DesignerOp::SetView(View::Preview)),
    );
    for (label, text, pointer) in [
        ("Given name *", "Ada", "/givenName"),
        ("loyaltyNumber", "LOY-0001", "/loyaltyNumber"),
    ] {
        h.get_by_role_and_label(Role::TextInput, label).focus();
        h.step();
        for c in text.chars() {
            h.event(egui::Event::Text(c.to_string()));
            h.step();
        }
        settle(&mut h);
        assert_eq!(
            sample(&h).pointer(pointer),
            Some(&json!(text)),
            "typed {text:?} into {label:?}; the sample is {}",
            h.state().state.designer.sample_text
        );
    }
}

/// Item 4: after an undo the caret stands where the undone change was, so the next key does
/// not land inside another key.
#[test]
fn undo_puts_the_caret_where_the_change_was() {
    let (fx, employee) = seeded();
    let mut h = default_window(&fx, employee);
    let original = schema_text(&h);
    let line = original
        .lines()
        .position(|l| l.contains("\"required\""))
        .expect("a required line")
        + 1;
    let column = original.lines().nth(line - 1).unwrap().find('"').unwrap() + 1;
    run(&mut h, Command::JumpTo { line, column });
    h.get_by_label("JSON schema").type_text("    ");
    settle(&mut h);
    assert_ne!(
        h.state().state.editor.as_ref().unwrap().parts.schema_text,
        original
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut h);
    assert_eq!(
        h.state().state.editor.as_ref().unwrap().parts.schema_text,
        original
    );
    h.get_by_label("JSON schema").type_text("X");
    settle(&mut h);
    let offset = schemadesk::schema::position::offset_of(&original, line, column);
    let mut expected = original.clone();
    expected.insert(offset, 'X');
    assert_eq!(
        h.state().state.editor.as_ref().unwrap().parts.schema_text,
        expected
    );
}

/// Item 6: a missing `}` is reported where the unclosed object opened, not at the end.
#[test]
fn a_missing_brace_is_reported_where_it_opened() {
    let (fx, employee) = seeded();
    let mut h = default_window(&fx, employee);
    let text = "{\n  \"type\": \"object\",\n  \"properties\": {\n    \"a\": {\n      \"type\": \"string\"\n    ,\n    \"b\": {\n      \"type\": \"string\"\n    }\n  }\n}\n";
    crate::harness::set_text(&mut h, "JSON schema", text);
    let d = &h
        .state()
        .state
        .editor
        .as_ref()
        .unwrap()
        .validation
        .diagnostics;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].line, d[0].column), (4, 10), "{d:?}");
    assert!(d[0].message.contains("never closed"), "{d:?}");
    assert!(h.query_by_label_contains("4:10").is_some());
}

/// Item 7: going to 18 pt and back to 14 pt leaves the panels as they were.
#[test]
fn font_size_changes_undo_fully() {
    let (fx, employee) = seeded();
    let mut h = default_window(&fx, employee);
    let width = |h: &Harness<'_, SchemaDeskApp>, label: &str| {
        widgets(h)
            .into_iter()
            .find(|w| w.label == label)
            .map(|w| w.full.width())
            .unwrap_or_else(|| panic!("{label} on screen"))
    };
    let list = width(&h, "Search schemas");
    let problems = check(&h, "14 pt");
    assert!(problems.is_empty(), "{problems:#?}");
    run(&mut h, Command::Chrome(ChromeCommand::SetFontSize(18.0)));
    let problems = check(&h, "18 pt");
    assert!(problems.is_empty(), "{problems:#?}");
    run(&mut h, Command::Chrome(ChromeCommand::SetFontSize(14.0)));
    assert!((width(&h, "Search schemas") - list).abs() < 1.0);
}

/// Item 8: after Restore the diff shows (and names) the new pair.
#[test]
fn restore_updates_the_diff() {
    let (fx, employee) = seeded();
    let mut h = default_window(&fx, employee);
    run(&mut h, Command::Compare { old: 1, new: 2 });
    assert!(
        h.query_by_label("Revision 1 compared with revision 2")
            .is_some()
    );
    run(&mut h, Command::Restore(1));
    let diff = h.state().state.diff.as_ref().expect("a diff");
    assert_eq!((diff.old, diff.new), (3, 4));
    assert!(
        h.query_by_label("Revision 3 compared with revision 4")
            .is_some()
    );
}

/// Item 8: unchanged context folds to three lines around each change and can be opened; long
/// lines scroll sideways in both modes rather than being cut.
#[test]
fn diffs_fold_context_and_scroll_sideways() {
    let (fx, employee) = seeded();
    let mut h = default_window(&fx, employee);
    run(&mut h, Command::Compare { old: 1, new: 2 });
    let fold = h
        .query_all_by_label_contains("unchanged lines")
        .find(|n| n.accesskit_node().role() == Role::Button)
        .map(|n| n.accesskit_node().label().unwrap_or_default())
        .expect("a folded run");
    let rows_before = h.state().state.diff.as_ref().unwrap().lines.len();
    click(&mut h, &fold);
    assert!(h.query_by_label(&fold).is_none(), "{fold} opened");
    assert!(rows_before > 0);
    for mode in [DiffMode::Unified, DiffMode::SideBySide] {
        run(&mut h, Command::SetDiffMode(mode));
        // The long description line is wider than the window: there is a horizontal scroll bar.
        let horizontal = h
            .root()
            .children_recursive()
            .filter(|n| n.accesskit_node().role() == Role::ScrollBar)
            .any(|n| {
                let r = n.rect();
                r.width() > 3.0 * r.height()
            });
        assert!(horizontal, "{mode:?}: no horizontal scroll bar");
    }
}

/// Item 9: Tab moves from the list to the centre, not into the history first.
#[test]
fn tab_moves_in_reading_order() {
    let (fx, employee) = seeded();
    let mut h = default_window(&fx, employee);
    h.get_by_label("Delete…").focus();
    h.step();
    settle(&mut h);
    assert_eq!(focused(&h).as_deref(), Some("Delete…"));
    h.key_press(Key::Tab);
    settle(&mut h);
    // The panels' resize handles (on the panel edges) take focus on the way.
    for _ in 0..2 {
        if focused(&h).as_deref() == Some("Resize panel") {
            h.key_press(Key::Tab);
            settle(&mut h);
        }
    }
    assert_eq!(focused(&h).as_deref(), Some("JSON"));
}

/// Item 9: the designer and the preview save with a message, too.
#[test]
fn saving_from_the_designer_takes_a_message() {
    let (fx, employee) = seeded();
    let mut h = default_window(&fx, employee);
    run(
        &mut h,
        Command::Designer(DesignerOp::SetView(View::Designer)),
    );
    if let Some(e) = h.state_mut().state.editor.as_mut() {
        e.parts.type_name = "employee2".into();
    }
    run(&mut h, Command::Edited(schemadesk::app::EditKind::Type));
    crate::harness::set_text(&mut h, "Revision message", "renamed in the designer");
    click(&mut h, "Save revision");
    let history = Store::open(&fx.db).unwrap().history(employee).unwrap();
    assert_eq!(history[0].message, "renamed in the designer");
}

/// Item 9: a type another schema has is reported as you type.
#[test]
fn a_taken_type_is_reported_as_you_type() {
    let (fx, employee) = seeded();
    let mut h = default_window(&fx, employee);
    crate::harness::set_text(&mut h, "Type", "contractor");
    assert!(
        h.query_by_label_contains("another schema already has the type")
            .is_some()
    );
}

/// Item 10: no ticked authenticator is warned about; the note row is always there, so the
/// editor does not jump when it fills.
#[test]
fn no_authenticator_is_warned_and_the_editor_does_not_jump() {
    let (fx, employee) = seeded();
    let mut h = default_window(&fx, employee);
    let top = |h: &Harness<'_, SchemaDeskApp>| {
        widgets(h)
            .into_iter()
            .find(|w| w.label == "JSON schema")
            .map(|w| w.visible.top())
            .expect("the editor")
    };
    let before = top(&h);
    click(&mut h, AuthenticatorType::Password.label());
    assert!(h.query_by_label_contains("Note: unticked").is_some());
    assert!((top(&h) - before).abs() < 0.5, "the editor moved");
    click(&mut h, AuthenticatorType::Username.label());
    assert!(
        h.query_by_label_contains("No authenticator is ticked")
            .is_some()
    );
    assert!((top(&h) - before).abs() < 0.5, "the editor moved");
}

/// Item 10: a status message turns into old news after a while.
#[test]
fn status_messages_go_stale() {
    let (fx, employee) = seeded();
    let mut h = default_window(&fx, employee);
    run(&mut h, Command::Chrome(ChromeCommand::CopyDiagnostics));
    assert!(h.query_by_label_contains("Diagnostics copied").is_some());
    assert!(h.query_by_label_contains("s ago)").is_none());
    let start = h.ctx.input(|i| i.time);
    while h.ctx.input(|i| i.time) - start < 11.0 {
        h.step();
    }
    assert!(h.query_by_label_contains("s ago)").is_some());
}

/// A snapshot image of one cell of the matrix (the status bar with the temp path masked).
fn snapshot(name: &str, size: (f32, f32), theme: Theme, font: f32, view: View) {
    let (fx, employee) = seeded();
    let settings = WindowState {
        last_schema: Some(employee.0),
        // The history shows wall-clock times.
        show_history: false,
        ..WindowState::default()
    };
    let mut h = app(&fx, size, theme, font, settings);
    run(&mut h, Command::Designer(DesignerOp::SetView(view)));
    run(
        &mut h,
        Command::Designer(DesignerOp::Select(Some(vec!["givenName".into()]))),
    );
    let status = h.get_by_label_contains("Store: ").rect();
    h.mask(Rect::from_min_max(
        egui::pos2(0.0, status.top() - 4.0),
        egui::pos2(size.0, status.bottom() + 4.0),
    ));
    h.snapshot(name);
}

#[test]
fn snapshot_800x500_light_preview() {
    snapshot(
        "layout_800x500_light_preview",
        (800.0, 500.0),
        Theme::Light,
        14.0,
        View::Preview,
    );
}

#[test]
fn snapshot_1024x640_dark_designer_18pt() {
    snapshot(
        "layout_1024x640_dark_designer",
        (1024.0, 640.0),
        Theme::Dark,
        18.0,
        View::Designer,
    );
}

#[test]
fn snapshot_1280x800_light_json() {
    snapshot(
        "layout_1280x800_light_json",
        (1280.0, 800.0),
        Theme::Light,
        14.0,
        View::Json,
    );
}

/// Item 9: reloading the same content (as after a push, or importing what is open) keeps the
/// undo history.
#[test]
fn reloading_the_same_content_keeps_undo() {
    let (fx, employee) = seeded();
    let mut h = default_window(&fx, employee);
    crate::harness::set_text(&mut h, "Type", "employee-2");
    click(&mut h, "Save revision");
    assert!(h.state().state.can_undo);
    let path = fx.dir.path().join("employee-2.json");
    fx.dialogs.will_save(path.clone());
    run(&mut h, Command::Export(schemadesk::app::ExportFormat::Body));
    assert!(path.exists(), "exported");
    run(&mut h, Command::Import(path));
    assert!(
        h.state()
            .state
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("unchanged")),
        "{:?}",
        h.state().state.status
    );
    assert!(
        h.state().state.can_undo,
        "the undo history survived the reload"
    );
}

/// Item 10: a tightened limit says between what.
#[test]
fn a_tightened_limit_names_both_ends() {
    let old = json!({"type": "object", "properties": {"age": {"type": "integer", "maximum": 150}}});
    let new = json!({"type": "object", "properties": {"age": {"type": "integer", "maximum": 120}}});
    let report = schemadesk::schema::compat::compare_schemas(&old, &new);
    let text: Vec<String> = report.changes.iter().map(|c| c.message.clone()).collect();
    assert!(
        text.iter().any(|t| t.contains("between 120 and 150")),
        "{text:?}"
    );
}

/// Item 10: one sample "passes" (not "all 1 samples pass"), and the verdict is not shown in
/// green beside a JSON text that does not parse.
#[test]
fn sample_verdicts_read_well_and_go_quiet_when_the_json_breaks() {
    let (fx, employee) = seeded();
    let mut h = default_window(&fx, employee);
    assert!(h.query_by_label("the sample passes").is_some());
    run(
        &mut h,
        Command::Designer(DesignerOp::SetView(View::Designer)),
    );
    crate::harness::set_text(&mut h, "Revision message", "x");
    if let Some(e) = h.state_mut().state.editor.as_mut() {
        e.parts.schema_text.push('{');
    }
    run(&mut h, Command::Edited(schemadesk::app::EditKind::Json));
    assert!(h.query_by_label("the JSON does not parse").is_some());
    assert!(h.query_by_label("the sample passes").is_none());
    assert!(h.query_by_label("samples not checked").is_some());
}

/// Item 9: a revision pulled from a server is not labelled "not pushed".
#[test]
fn a_pulled_revision_is_not_labelled_not_pushed() {
    let (fx, employee) = seeded();
    Store::open(&fx.db)
        .unwrap()
        .save_revision(
            employee,
            &UserSchemaDraft::new("employee", schema(9), [AuthenticatorType::Username]),
            "Pulled from prod (server revision 7)",
        )
        .unwrap();
    let h = default_window(&fx, employee);
    assert_eq!(h.query_all_by_label("as on the server").count(), 1);
    // r1 to r3 were never pushed.
    assert_eq!(h.query_all_by_label("not pushed").count(), 3);
}

/// Items 1 and 2: on a narrow window the side panels collapse to their toolbar toggles; the
/// one toggled on last is shown, and the centre keeps its room.
#[test]
fn side_panels_collapse_to_toggles_on_a_narrow_window() {
    let (fx, employee) = seeded();
    let settings = WindowState {
        last_schema: Some(employee.0),
        show_history: true,
        ..WindowState::default()
    };
    let mut h = app(&fx, (1024.0, 640.0), Theme::Light, 14.0, settings);
    let shown = |h: &Harness<'_, SchemaDeskApp>| {
        let p = h.state().state.chrome.panels;
        (p.list, p.history)
    };
    // History is wanted, but only the list fits beside the centre.
    assert_eq!(shown(&h), (true, false));
    assert!(reachable(&h, "Search schemas"));
    assert!(!reachable(&h, "Show diff"));
    click(&mut h, "History");
    assert_eq!(shown(&h), (false, true));
    assert!(reachable(&h, "Show diff"));
    assert!(!reachable(&h, "Search schemas"));
    click(&mut h, "Schemas");
    assert_eq!(shown(&h), (true, false));
    // Wide again: both.
    h.set_size(egui::vec2(1600.0, 900.0));
    settle(&mut h);
    assert_eq!(shown(&h), (true, true));
    let problems = check(&h, "1600x900");
    assert!(problems.is_empty(), "{problems:#?}");
}
