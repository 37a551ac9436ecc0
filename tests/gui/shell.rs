//! The desktop shell (issue 7) driven by egui_kittest over a temporary store and a temporary
//! settings file: the shortcut list (F1), About and "Copy diagnostics", the Settings window,
//! recent files, keyboard shortcuts and use, and accessible labels on every widget.

use std::path::PathBuf;

use egui::accesskit::Role;
use egui::{Key, Modifiers, OutputCommand};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use schemadesk::app::WindowState;
use schemadesk::gui::SchemaDeskApp;
use schemadesk::schema::{AuthenticatorType, UserSchemaDraft};
use schemadesk::settings::{FontSize, Settings as Prefs, Theme};
use serde_json::json;

use crate::harness::{Fixture, click, settle};

/// The temp settings file the app reads and writes.
fn settings_file(fx: &Fixture) -> PathBuf {
    fx.dir.path().join("config").join("settings.toml")
}

fn seed(fx: &Fixture, name: &str) -> i64 {
    fx.store()
        .create_schema(
            &UserSchemaDraft::new(
                name,
                json!({"type": "object", "properties": {"givenName": {"type": "string"}}}),
                [AuthenticatorType::Username, AuthenticatorType::Password],
            ),
            "seed",
        )
        .expect("seed schema")
        .schema_id
        .0
}

/// The app over the temp store, reading and writing the temp settings file.
fn app(fx: &Fixture, settings: WindowState) -> Harness<'static, SchemaDeskApp> {
    let path = settings_file(fx);
    let prefs = Prefs::load_from(&path).expect("settings file parses");
    fx.app_with(egui::vec2(1280.0, 800.0), settings, move |app| {
        app.with_prefs(prefs, Some(path))
    })
}

fn key(harness: &mut Harness<'_, SchemaDeskApp>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    settle(harness);
}

/// Text the app asked to put on the clipboard in the frames run by `steps`.
fn copied_during(harness: &mut Harness<'_, SchemaDeskApp>, steps: usize) -> Option<String> {
    let mut copied = None;
    for _ in 0..steps {
        harness.step();
        for command in &harness.output().platform_output.commands {
            if let OutputCommand::CopyText(text) = command {
                copied = Some(text.clone());
            }
        }
    }
    copied
}

#[test]
fn f1_opens_the_shortcut_list_and_escape_closes_it() {
    let fx = Fixture::new();
    let mut h = app(&fx, WindowState::default());
    assert!(h.query_by_label("Keyboard shortcuts").is_none());
    key(&mut h, Modifiers::NONE, Key::F1);
    assert!(h.query_by_label("Keyboard shortcuts").is_some());
    h.get_by_label("Save the draft as a new revision");
    h.get_by_label("Search the schema list");
    h.get_by_label("Close the open dialog");
    key(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.query_by_label("Keyboard shortcuts").is_none());
    assert!(!h.state().state.chrome.shortcuts_open);

    // Also from the Help menu.
    click(&mut h, "Help");
    click(&mut h, "Keyboard shortcuts (F1)");
    assert!(h.state().state.chrome.shortcuts_open);
}

#[test]
fn about_shows_the_version_and_copies_diagnostics() {
    let fx = Fixture::new();
    let mut h = app(&fx, WindowState::default());
    click(&mut h, "Help");
    click(&mut h, "About schemadesk");
    h.get_by_label(&format!("schemadesk {}", env!("CARGO_PKG_VERSION")));
    let db = fx.db.display().to_string();
    h.get_by_label(&db);
    h.get_by_label(&settings_file(&fx).display().to_string());
    h.get_by_label("Log folder");

    h.get_by_label("Copy diagnostics").click();
    let copied = copied_during(&mut h, 4).expect("diagnostics put on the clipboard");
    assert!(copied.starts_with(&format!("schemadesk {}", env!("CARGO_PKG_VERSION"))));
    assert!(copied.contains(&format!("Store: {db}")), "{copied}");
    assert!(copied.contains("Log folder: "), "{copied}");
    assert!(!copied.to_lowercase().contains("token"), "{copied}");
    settle(&mut h);

    key(&mut h, Modifiers::NONE, Key::Escape);
    assert!(!h.state().state.chrome.about_open);
}

#[test]
fn settings_change_theme_and_font_size_live_and_persist() {
    let fx = Fixture::new();
    let mut h = app(&fx, WindowState::default());
    let body = |h: &Harness<'_, SchemaDeskApp>| {
        h.ctx
            .style_of(h.ctx.theme())
            .text_styles
            .get(&egui::TextStyle::Body)
            .map(|f| f.size)
            .unwrap_or_default()
    };
    let body_before = body(&h);
    click(&mut h, "Settings…");

    click(&mut h, "Dark");
    assert_eq!(h.ctx.theme(), egui::Theme::Dark);
    click(&mut h, "Light");
    assert_eq!(h.ctx.theme(), egui::Theme::Light);

    h.get_by_role_and_label(Role::Slider, "Font size")
        .set_value_accesskit(18.0);
    settle(&mut h);
    assert_eq!(h.state().state.prefs.font_size.points(), 18.0);
    let body_after = body(&h);
    assert!(
        (body_after - body_before * 18.0 / FontSize::DEFAULT.points()).abs() < 0.01,
        "{body_before} -> {body_after}"
    );

    let saved = Prefs::load_from(&settings_file(&fx)).expect("settings file written");
    assert_eq!(saved.theme, Theme::Light);
    assert_eq!(saved.font_size.points(), 18.0);

    key(&mut h, Modifiers::NONE, Key::Escape);
    assert!(!h.state().state.chrome.settings_open);

    // A new run starts with them.
    drop(h);
    let h2 = app(&fx, WindowState::default());
    assert_eq!(h2.ctx.theme(), egui::Theme::Light);
    assert!((body(&h2) - body_after).abs() < 0.01);
}

#[test]
fn settings_write_errors_are_shown_not_panics() {
    let fx = Fixture::new();
    // The settings "folder" is a file: every write fails.
    std::fs::write(fx.dir.path().join("config"), "not a folder").expect("write blocker");
    let path = settings_file(&fx);
    let mut h = fx.app_with(
        egui::vec2(1280.0, 800.0),
        WindowState::default(),
        move |app| app.with_prefs(Prefs::default(), Some(path)),
    );
    click(&mut h, "Settings…");
    click(&mut h, "Dark");
    assert_eq!(
        h.ctx.theme(),
        egui::Theme::Dark,
        "still applied for this run"
    );
    let error = h.state().state.chrome.settings_error.clone();
    assert!(
        error
            .as_deref()
            .is_some_and(|e| e.starts_with("Settings not saved")),
        "{error:?}"
    );
    assert_eq!(h.get_all_by_label_contains("Settings not saved").count(), 2);
}

#[test]
fn recent_files_appear_after_an_import_and_import_again() {
    let fx = Fixture::new();
    let mut h = app(&fx, WindowState::default());
    assert!(h.state().state.prefs.recent_files.is_empty());
    let file = fx.dir.path().join("employee.json");
    std::fs::write(
        &file,
        r#"{"type": "object", "properties": {"givenName": {"type": "string"}}}"#,
    )
    .expect("write schema file");
    fx.dialogs.will_open(file.clone());
    // Ctrl+O opens the (fake) file dialog.
    key(&mut h, Modifiers::COMMAND, Key::O);
    assert_eq!(
        fx.store()
            .list_schemas(Default::default())
            .map(|l| l.len())
            .ok(),
        Some(1)
    );
    assert_eq!(h.state().state.prefs.recent_files, vec![file.clone()]);
    let saved = Prefs::load_from(&settings_file(&fx)).expect("settings file written");
    assert_eq!(saved.recent_files, vec![file.clone()]);

    click(&mut h, "Recent");
    click(&mut h, "Import employee.json");
    let status = h.state().state.status.clone().map(|s| s.text);
    assert!(
        status.as_deref().is_some_and(|s| s.contains("unchanged")),
        "{status:?}"
    );
    assert_eq!(h.state().state.prefs.recent_files, vec![file]);
}

#[test]
fn ctrl_n_creates_a_schema_and_ctrl_f_focuses_the_search() {
    let fx = Fixture::new();
    let mut h = app(&fx, WindowState::default());
    assert!(h.state().state.editor.is_none());
    key(&mut h, Modifiers::COMMAND, Key::N);
    // Ctrl+N asks for the type, then creates.
    crate::harness::set_text(&mut h, "Type of the new schema", "from-keys");
    click(&mut h, "Create schema");
    let start = std::time::Instant::now();
    while h.state().state.editor.is_none() && start.elapsed() < std::time::Duration::from_secs(20) {
        settle(&mut h);
    }
    assert_eq!(
        h.state()
            .state
            .editor
            .as_ref()
            .map(|e| e.parts.type_name.as_str()),
        Some("from-keys"),
        "Ctrl+N opened a new schema of the type typed"
    );

    key(&mut h, Modifiers::COMMAND, Key::F);
    assert!(h.get_by_label("Search schemas").is_focused());

    // Ctrl+Shift+F formats, not searches.
    key(&mut h, Modifiers::NONE, Key::Escape);
    h.state_mut()
        .state
        .editor
        .as_mut()
        .expect("editor")
        .parts
        .schema_text = r#"{"type":"object"}"#.to_owned();
    key(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::F);
    let text = h
        .state()
        .state
        .editor
        .as_ref()
        .map(|e| e.parts.schema_text.clone());
    assert_eq!(text.as_deref(), Some("{\n  \"type\": \"object\"\n}\n"));
}

/// The label of the focused widget, if any.
fn focused_label(h: &Harness<'_, SchemaDeskApp>) -> Option<(Role, String)> {
    h.root()
        .children_recursive()
        .find(|n| n.is_focused())
        .map(|n| {
            let node = n.accesskit_node();
            (node.role(), node.label().unwrap_or_default())
        })
}

#[test]
fn tab_reaches_list_type_checkboxes_editor_and_buttons_and_arrows_move_in_the_list() {
    let fx = Fixture::new();
    seed(&fx, "alpha");
    let beta = seed(&fx, "beta");
    let mut h = app(
        &fx,
        WindowState {
            last_schema: Some(beta),
            ..WindowState::default()
        },
    );
    // Up/Down in the list open the schema above/below.
    h.get_by_role_and_label(Role::Button, "beta").focus();
    settle(&mut h);
    key(&mut h, Modifiers::NONE, Key::ArrowUp);
    settle(&mut h);
    assert_eq!(
        focused_label(&h),
        Some((Role::Button, "alpha".to_owned())),
        "{:?}",
        h.state().state.selected
    );
    let open = h
        .state()
        .state
        .editor
        .as_ref()
        .map(|e| e.parts.type_name.clone());
    assert_eq!(open.as_deref(), Some("alpha"));

    // Tab goes through the whole window; the JSON editor takes Tab for indenting, and
    // Escape leaves it (Tab then starts again from the toolbar).
    let mut seen = Vec::new();
    let mut escaped = false;
    for _ in 0..80 {
        key(&mut h, Modifiers::NONE, Key::Tab);
        let Some(f) = focused_label(&h) else {
            continue;
        };
        let in_json = f.0 == Role::MultilineTextInput;
        seen.push(f);
        if in_json && escaped {
            break;
        }
        if in_json {
            key(&mut h, Modifiers::NONE, Key::Escape);
            assert_eq!(focused_label(&h), None, "Escape leaves the JSON editor");
            escaped = true;
        }
    }
    assert!(escaped, "{seen:?}");
    let reached = |role: Role, label: &str| seen.iter().any(|(r, l)| *r == role && l == label);
    assert!(reached(Role::Button, "New"), "{seen:?}");
    assert!(reached(Role::Button, "Format"), "{seen:?}");
    assert!(reached(Role::Button, "Settings…"), "{seen:?}");
    assert!(reached(Role::TextInput, "Search schemas"), "{seen:?}");
    assert!(reached(Role::CheckBox, "Show archived"), "{seen:?}");
    assert!(reached(Role::Button, "alpha"), "{seen:?}");
    assert!(reached(Role::Button, "Duplicate"), "{seen:?}");
    assert!(reached(Role::TextInput, "Type"), "{seen:?}");
    assert!(reached(Role::CheckBox, "Password"), "{seen:?}");
    assert!(reached(Role::TextInput, "Revision message"), "{seen:?}");
    assert!(reached(Role::MultilineTextInput, "JSON schema"), "{seen:?}");
}

#[test]
fn every_interactive_widget_in_the_main_window_has_an_accessible_label() {
    let fx = Fixture::new();
    let id = seed(&fx, "employee");
    let mut h = app(
        &fx,
        WindowState {
            last_schema: Some(id),
            ..WindowState::default()
        },
    );
    settle(&mut h);
    let mut checked = 0;
    let mut unlabeled = Vec::new();
    for node in h.root().children_recursive() {
        let n = node.accesskit_node();
        let role = n.role();
        let is_interactive = matches!(
            role,
            Role::Button
                | Role::CheckBox
                | Role::RadioButton
                | Role::TextInput
                | Role::MultilineTextInput
                | Role::SearchInput
                | Role::ComboBox
                | Role::Slider
                | Role::SpinButton
                | Role::Link
                | Role::Tab
                | Role::MenuItem
                | Role::Switch
        );
        if !is_interactive {
            continue;
        }
        checked += 1;
        if n.label().is_none_or(|l| l.trim().is_empty()) {
            unlabeled.push(format!("{role:?} at {:?}", node.rect()));
        }
    }
    assert!(checked > 20, "only {checked} widgets found");
    assert!(unlabeled.is_empty(), "unlabeled widgets: {unlabeled:#?}");

    // The same for the shell's windows.
    click(&mut h, "Settings…");
    h.get_by_role_and_label(Role::Slider, "Font size");
    h.get_by_role_and_label(Role::ComboBox, "Default server");
}

#[test]
fn escape_closes_the_servers_window_and_the_settings_window() {
    let fx = Fixture::new();
    let mut h = app(&fx, WindowState::default());
    click(&mut h, "Servers…");
    assert!(h.state().state.sync.servers_open);
    key(&mut h, Modifiers::NONE, Key::Escape);
    assert!(!h.state().state.sync.servers_open);

    // The shell's window closes first when both are open.
    click(&mut h, "Servers…");
    click(&mut h, "Settings…");
    key(&mut h, Modifiers::NONE, Key::Escape);
    assert!(!h.state().state.chrome.settings_open);
    assert!(h.state().state.sync.servers_open);
    key(&mut h, Modifiers::NONE, Key::Escape);
    assert!(!h.state().state.sync.servers_open);
}

#[test]
fn pull_and_push_start_with_the_default_server() {
    let fx = Fixture::new();
    let id = seed(&fx, "employee");
    {
        let mut store = fx.store();
        // Nothing listens on port 9: listing fails fast, which is fine here.
        store
            .add_server("first", "http://127.0.0.1:9", Some(2))
            .expect("add server");
        store
            .add_server("second", "http://127.0.0.1:9", Some(2))
            .expect("add server");
    }
    Prefs {
        default_server: Some("second".to_owned()),
        ..Prefs::default()
    }
    .save_to(&settings_file(&fx))
    .expect("write settings");
    let mut h = app(
        &fx,
        WindowState {
            last_schema: Some(id),
            ..WindowState::default()
        },
    );
    click(&mut h, "Pull…");
    let remote = h
        .state()
        .state
        .sync
        .remote
        .as_ref()
        .and_then(|r| r.server.clone());
    assert_eq!(remote.as_deref(), Some("second"));
    key(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.state().state.sync.remote.is_none());

    click(&mut h, "Push…");
    let push = h
        .state()
        .state
        .sync
        .push
        .as_ref()
        .and_then(|p| p.server.clone());
    assert_eq!(push.as_deref(), Some("second"));

    // The Settings window offers the store's servers.
    key(&mut h, Modifiers::NONE, Key::Escape);
    click(&mut h, "Settings…");
    h.get_by_role_and_label(Role::ComboBox, "Default server")
        .click();
    settle(&mut h);
    click(&mut h, "first");
    assert_eq!(
        h.state().state.prefs.default_server.as_deref(),
        Some("first")
    );
    let saved = Prefs::load_from(&settings_file(&fx)).expect("settings file");
    assert_eq!(saved.default_server.as_deref(), Some("first"));
}
