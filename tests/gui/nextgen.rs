//! The nextgen controls (src/ui/nextgen.rs) driven by clicks and typing: the five methods with
//! SSO providers, the field toggles, the identifier picker and the display order; and the app
//! over a real store: each schema's target in the list and the editor header.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable};
use serde_json::{Value, json};

use schemadesk::app::WindowState;
use schemadesk::gui::SchemaDeskApp;
use schemadesk::nextgen::Target;
use schemadesk::nextgen::validate::{MetaSet, validate_document};
use schemadesk::schema::{AuthenticatorType, UserSchemaDraft};
use schemadesk::store::{SchemaId, Store};
use tempfile::TempDir;

use crate::harness::{QueuedDialogs, settle};
use schemadesk::ui::nextgen::{
    display_order_ui, field_toggles_ui, identifier_ui, methods_ui, read_only_for_user,
};

fn doc() -> Value {
    json!({
        "kind": "user-schema",
        "metaSchema": "${SERVER_URL}/user-schema.json",
        "objectType": "member",
        "x-auth-methods": {"passkey": {"enabled": true}},
        "properties": {
            "email": {"type": "string"},
            "name": {"type": "object", "properties": {"given": {"type": "string"}, "family": {"type": "string"}}}
        }
    })
}

fn valid(d: &Value) -> bool {
    let text = serde_json::to_string_pretty(d).unwrap();
    validate_document(&text, &MetaSet::bundled()).is_valid()
}

#[test]
fn methods_and_sso_providers() {
    let mut h = Harness::new_ui_state(
        |ui, d: &mut Value| {
            methods_ui(ui, d);
        },
        doc(),
    );
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "Single sign-on (SSO)")
        .click();
    h.run();
    assert_eq!(
        h.state()["x-auth-methods"]["sso"],
        json!({"enabled": true, "providers": []})
    );
    assert!(
        !valid(h.state()),
        "an enabled sso without providers is reported"
    );
    h.get_by_label("SSO providers").click();
    h.run();
    h.get_by_label("SSO providers").type_text("google, okta");
    h.run();
    assert_eq!(
        h.state()["x-auth-methods"]["sso"]["providers"],
        json!(["google", "okta"])
    );
    assert!(valid(h.state()));
    h.get_by_role_and_label(Role::CheckBox, "Single sign-on (SSO)")
        .click();
    h.run();
    assert_eq!(
        h.state()["x-auth-methods"]["sso"],
        json!({"enabled": false})
    );
    assert!(h.query_by_label("SSO providers").is_none());
}

#[test]
fn password_then_identifier_makes_the_document_valid() {
    let mut h = Harness::new_ui_state(
        |ui, d: &mut Value| {
            methods_ui(ui, d);
            identifier_ui(ui, d);
        },
        doc(),
    );
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "Password").click();
    h.run();
    assert!(!valid(h.state()), "password needs an identifier");
    h.get_by_label("Identifier").click();
    h.run();
    h.get_by_label("email").click();
    h.run();
    assert_eq!(h.state()["x-identifier"], json!("email"));
    assert_eq!(
        h.state()["properties"]["email"]["x-unique"],
        json!("project")
    );
    assert!(valid(h.state()));
}

#[test]
fn field_toggles_write_the_keywords() {
    let mut h = Harness::new_ui_state(
        |ui, d: &mut Value| {
            field_toggles_ui(ui, d, "name.given");
        },
        doc(),
    );
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "Editable by the user")
        .click();
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "Sensitive").click();
    h.run();
    h.get_by_label("Claim in tokens").click();
    h.run();
    h.get_by_label("Claim in tokens").type_text("given_name");
    h.run();
    let given = &h.state()["properties"]["name"]["properties"]["given"];
    assert_eq!(given["x-editable"], json!(false));
    assert_eq!(given["x-sensitive"], json!(true));
    assert_eq!(given["x-claim"], json!("given_name"));
    assert!(read_only_for_user(h.state(), "name.given"));
    assert!(!read_only_for_user(h.state(), "email"));
    assert!(valid(h.state()));
    // Back to the default: the keyword goes away.
    h.get_by_role_and_label(Role::CheckBox, "Editable by the user")
        .click();
    h.run();
    assert!(
        h.state()["properties"]["name"]["properties"]["given"]
            .get("x-editable")
            .is_none()
    );
}

#[test]
fn display_order_adds_moves_and_removes() {
    let mut h = Harness::new_ui_state(
        |ui, d: &mut Value| {
            display_order_ui(ui, d);
        },
        doc(),
    );
    h.run();
    for field in ["name.given", "name.family"] {
        h.get_by_label("Add to the display name").click();
        h.run();
        h.get_by_label(field).click();
        h.run();
    }
    assert_eq!(h.state()["x-display"], json!(["name.given", "name.family"]));
    h.get_by_label("Up: name.family").click();
    h.run();
    assert_eq!(h.state()["x-display"], json!(["name.family", "name.given"]));
    assert!(valid(h.state()));
    h.get_by_label("Remove: name.family").click();
    h.run();
    assert_eq!(h.state()["x-display"], json!(["name.given"]));
}

/// A temporary store and the app over it.
struct Fixture {
    dir: TempDir,
    dialogs: QueuedDialogs,
}

impl Fixture {
    fn new() -> Self {
        Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
            dialogs: QueuedDialogs::default(),
        }
    }

    fn db(&self) -> std::path::PathBuf {
        self.dir.path().join("store.db")
    }

    fn store(&self) -> Store {
        Store::open(&self.db()).expect("store")
    }

    /// A v3alpha "employee" and a nextgen "member".
    fn seed(&self) -> (SchemaId, SchemaId) {
        let mut store = self.store();
        let employee = store
            .create_schema(
                &UserSchemaDraft::new(
                    "employee",
                    json!({"type": "object", "properties": {"givenName": {"type": "string"}}}),
                    [AuthenticatorType::Username, AuthenticatorType::Password],
                ),
                "seed",
            )
            .expect("seed v3alpha")
            .schema_id;
        let member = store
            .save_with_target(
                &UserSchemaDraft::new("member", doc(), []),
                "seed",
                Target::Nextgen,
            )
            .expect("seed nextgen")
            .revision()
            .schema_id;
        (employee, member)
    }

    fn app(&self) -> Harness<'static, SchemaDeskApp> {
        let db = self.db();
        let dialogs = self.dialogs.clone();
        // Tall, so the designer's field panel shows the nextgen toggles below its own.
        crate::harness::harness(egui::vec2(1280.0, 1600.0), move |cc| {
            SchemaDeskApp::with_settings(
                &cc.egui_ctx,
                db,
                Box::new(dialogs),
                WindowState::default(),
            )
        })
    }
}

/// Opens a schema by its list row (`row`: the row's accessible name).
fn open(h: &mut Harness<'static, SchemaDeskApp>, row: &str, type_name: &str) {
    h.get_by_role_and_label(Role::Button, row).click();
    settle(h);
    assert_eq!(
        h.state()
            .state
            .editor
            .as_ref()
            .map(|e| e.saved.type_name.as_str()),
        Some(type_name)
    );
}

#[test]
fn the_list_and_the_editor_header_show_each_schemas_target() {
    let fx = Fixture::new();
    let (employee, member) = fx.seed();
    let mut h = fx.app();
    // The worker answers the targets with the list.
    assert_eq!(h.state().state.target_of(member), Target::Nextgen);
    assert_eq!(h.state().state.target_of(employee), Target::V3alpha);
    // The badge is part of the row's accessible name; v3alpha rows keep the bare type.
    assert!(
        h.query_by_role_and_label(Role::Button, "member, nextgen")
            .is_some()
    );
    assert!(
        h.query_by_role_and_label(Role::Button, "employee")
            .is_some()
    );
    assert_eq!(h.query_all_by_label_contains("nextgen").count(), 1);

    open(&mut h, "member, nextgen", "member");
    assert!(h.query_by_label("ZITADEL nextgen").is_some());
    assert!(h.query_by_label("ZITADEL v4 (v3alpha API)").is_none());

    open(&mut h, "employee", "employee");
    assert!(h.query_by_label("ZITADEL v4 (v3alpha API)").is_some());
    assert!(h.query_by_label("ZITADEL nextgen").is_none());
}

/// Ctrl+N, the type, the target picked by `target_label` (none: the default), Create.
fn create(h: &mut Harness<'static, SchemaDeskApp>, type_name: &str, target_label: Option<&str>) {
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    settle(h);
    // v3alpha is the default.
    assert!(
        h.get_by_role_and_label(Role::RadioButton, "ZITADEL v4 (v3alpha API)")
            .accesskit_node()
            .toggled()
            .is_some_and(|t| t == egui::accesskit::Toggled::True)
    );
    crate::harness::set_text(h, "Type of the new schema", type_name);
    if let Some(label) = target_label {
        h.get_by_role_and_label(Role::RadioButton, label).click();
        settle(h);
    }
    crate::harness::click(h, "Create schema");
    let start = std::time::Instant::now();
    while h
        .state()
        .state
        .editor
        .as_ref()
        .is_none_or(|e| e.saved.type_name != type_name)
        && start.elapsed() < std::time::Duration::from_secs(20)
    {
        settle(h);
    }
}

#[test]
fn the_new_dialog_offers_the_target_and_a_nextgen_schema_starts_valid() {
    let fx = Fixture::new();
    let mut h = fx.app();
    create(&mut h, "club", Some("ZITADEL nextgen"));
    let store = fx.store();
    let club = store.by_type("club").expect("club was created");
    assert_eq!(store.target(club.id).unwrap(), Target::Nextgen);
    let doc = store.latest_revision(club.id).unwrap().draft.schema;
    assert_eq!(doc["kind"], json!("user-schema"));
    assert_eq!(doc["objectType"], json!("club"));
    assert_eq!(doc["x-identifier"], json!("username"));
    assert_eq!(doc["x-auth-methods"]["password"]["enabled"], json!(true));
    assert!(doc["properties"].get("givenName").is_some());
    assert!(valid(&doc), "a new nextgen schema starts valid: {doc:#}");
    assert!(
        h.query_by_role_and_label(Role::Button, "club, nextgen")
            .is_some()
    );
    assert!(h.query_by_label("ZITADEL nextgen").is_some());

    // The dialog starts at the default again; a v3alpha schema is stored as before.
    create(&mut h, "staff", None);
    let staff = store.by_type("staff").expect("staff was created");
    assert_eq!(store.target(staff.id).unwrap(), Target::V3alpha);
    let draft = store.latest_revision(staff.id).unwrap().draft;
    assert!(draft.schema.get("kind").is_none());
    assert!(!draft.possible_authenticators.is_empty());
    assert_eq!(h.state().state.target_of(staff.id), Target::V3alpha);
}

fn import_by_ctrl_o(
    fx: &Fixture,
    h: &mut Harness<'static, SchemaDeskApp>,
    name: &str,
    doc: &Value,
) {
    let path = fx.dir.path().join(name);
    std::fs::write(&path, serde_json::to_string_pretty(doc).unwrap()).expect("write file");
    fx.dialogs.will_open(path);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    settle(h);
}

fn status(h: &Harness<'static, SchemaDeskApp>) -> String {
    h.state()
        .state
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn import_stores_a_nextgen_document_as_a_nextgen_schema() {
    let fx = Fixture::new();
    let (employee, _) = fx.seed();
    let mut h = fx.app();

    // An invalid document (password without an identifier) changes nothing.
    let mut bad = doc();
    bad["objectType"] = json!("guest");
    bad["x-auth-methods"]["password"] = json!({"enabled": true});
    assert!(!valid(&bad));
    import_by_ctrl_o(&fx, &mut h, "guest.json", &bad);
    assert!(fx.store().find_by_type("guest").unwrap().is_none());
    assert!(status(&h).contains("not imported"), "{}", status(&h));

    // A valid one becomes a nextgen schema named by its objectType.
    let mut good = doc();
    good["objectType"] = json!("guest");
    import_by_ctrl_o(&fx, &mut h, "some-file.json", &good);
    let store = fx.store();
    let guest = store
        .find_by_type("guest")
        .unwrap()
        .expect("guest imported");
    assert_eq!(store.target(guest.id).unwrap(), Target::Nextgen);
    assert_eq!(store.latest_revision(guest.id).unwrap().draft.schema, good);
    assert!(
        h.query_by_role_and_label(Role::Button, "guest, nextgen")
            .is_some()
    );

    // It cannot become a revision of the v3alpha schema of the same type.
    let mut clash = doc();
    clash["objectType"] = json!("employee");
    import_by_ctrl_o(&fx, &mut h, "employee.json", &clash);
    assert_eq!(store.latest_revision(employee).unwrap().number, 1);
    assert_eq!(store.target(employee).unwrap(), Target::V3alpha);
    assert!(status(&h).contains("not imported"), "{}", status(&h));
}

#[test]
fn a_nextgen_schema_shows_its_methods_and_identifier_instead_of_authenticators() {
    let fx = Fixture::new();
    let (_, member) = fx.seed();
    let mut h = fx.app();
    open(&mut h, "employee", "employee");
    assert!(
        h.query_by_role_and_label(Role::CheckBox, "Username")
            .is_some()
    );
    assert!(h.query_by_label("Identifier").is_none());

    open(&mut h, "member, nextgen", "member");
    assert!(
        h.query_by_role_and_label(Role::CheckBox, "Username")
            .is_none(),
        "no v3alpha authenticators on a nextgen schema"
    );
    h.get_by_role_and_label(Role::CheckBox, "Password").click();
    settle(&mut h);
    h.get_by_label("Identifier").click();
    settle(&mut h);
    h.get_by_label("email").click();
    settle(&mut h);
    h.get_by_label("Add to the display name").click();
    settle(&mut h);
    h.get_by_label("name.given").click();
    settle(&mut h);
    let text = h
        .state()
        .state
        .editor
        .as_ref()
        .map(|e| e.parts.schema_text.clone())
        .unwrap();
    let edited: Value = serde_json::from_str(&text).unwrap();
    assert!(h.state().state.is_dirty(), "the controls edit the draft");
    assert_eq!(
        edited["x-auth-methods"]["password"],
        json!({"enabled": true})
    );
    assert_eq!(edited["x-identifier"], json!("email"));
    assert_eq!(edited["x-display"], json!(["name.given"]));
    assert!(valid(&edited));

    crate::harness::click(&mut h, "Save revision");
    let store = fx.store();
    let rev = store.latest_revision(member).unwrap();
    assert_eq!(rev.number, 2);
    assert_eq!(rev.draft.schema, edited);
    assert_eq!(store.target(member).unwrap(), Target::Nextgen);
}

#[test]
fn a_nextgen_draft_is_checked_and_saved_by_the_nextgen_rules() {
    let fx = Fixture::new();
    let (_, member) = fx.seed();
    let mut h = fx.app();
    open(&mut h, "member, nextgen", "member");
    // Password without an identifier: fine for v3alpha's rules, wrong for nextgen's.
    h.get_by_role_and_label(Role::CheckBox, "Password").click();
    settle(&mut h);
    let start = std::time::Instant::now();
    while h
        .state()
        .state
        .editor
        .as_ref()
        .is_some_and(|e| e.validation.checked != e.validation.generation)
        && start.elapsed() < std::time::Duration::from_secs(10)
    {
        settle(&mut h);
    }
    let problems = h
        .state()
        .state
        .editor
        .as_ref()
        .map(|e| e.validation.diagnostics.clone())
        .unwrap_or_default();
    assert!(
        problems.iter().any(|d| d.message.contains("identifier")),
        "live validation reports the missing identifier: {problems:?}"
    );
    crate::harness::click(&mut h, "Save revision");
    assert_eq!(
        fx.store().latest_revision(member).unwrap().number,
        1,
        "an invalid nextgen document is not saved"
    );
}

#[test]
fn the_designer_shows_a_nextgen_fields_toggles() {
    let fx = Fixture::new();
    let (_, member) = fx.seed();
    let mut h = fx.app();
    open(&mut h, "employee", "employee");
    crate::harness::click(&mut h, "Designer");
    h.get_by_role_and_label(Role::Button, "givenName").click();
    settle(&mut h);
    assert!(
        h.query_by_role_and_label(Role::CheckBox, "Unique in the project")
            .is_none(),
        "no nextgen toggles on a v3alpha field"
    );

    open(&mut h, "member, nextgen", "member");
    crate::harness::click(&mut h, "Designer");
    h.get_by_role_and_label(Role::Button, "email").click();
    settle(&mut h);
    h.get_by_role_and_label(Role::CheckBox, "Unique in the project")
        .click();
    settle(&mut h);
    h.get_by_role_and_label(Role::CheckBox, "Editable by the user")
        .click();
    settle(&mut h);
    crate::harness::click(&mut h, "Save revision");
    let rev = fx.store().latest_revision(member).unwrap();
    assert_eq!(rev.number, 2, "the toggles' edit was saved");
    assert_eq!(
        rev.draft.schema["properties"]["email"],
        json!({"type": "string", "x-unique": "project", "x-editable": false})
    );
}

#[test]
fn push_refuses_a_nextgen_schema_before_any_network_call() {
    let fx = Fixture::new();
    fx.seed();
    let mut h = fx.app();
    open(&mut h, "member, nextgen", "member");
    crate::harness::click(&mut h, "Push…");
    let sync = &h.state().state.sync;
    assert!(sync.push.is_none(), "no push dialog for a nextgen schema");
    assert!(
        sync.message
            .as_ref()
            .is_some_and(|m| m.is_failure() && m.text.contains("nextgen")),
        "{:?}",
        sync.message
    );
    assert!(status(&h).contains("nextgen"), "{}", status(&h));
    // A v3alpha schema still gets the dialog.
    open(&mut h, "employee", "employee");
    crate::harness::click(&mut h, "Push…");
    assert!(h.state().state.sync.push.is_some());
}
