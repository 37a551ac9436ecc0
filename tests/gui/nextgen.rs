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
use schemadesk::schema::validate::Diagnostic;
use schemadesk::schema::{AuthenticatorType, UserSchemaDraft};
use schemadesk::store::SchemaId;
use schemadesk::sync::Token;

use crate::harness::{Fixture, for_test_server, schema_text, settle, status};
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

/// The nextgen controls `draw` draws over [`doc`], after a first frame.
fn controls(draw: impl FnMut(&mut egui::Ui, &mut Value) + 'static) -> Harness<'static, Value> {
    let mut h = Harness::new_ui_state(draw, doc());
    h.run();
    h
}

#[test]
fn methods_and_sso_providers() {
    let mut h = controls(|ui, d| {
        methods_ui(ui, d);
    });
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
    let mut h = controls(|ui, d| {
        methods_ui(ui, d);
        identifier_ui(ui, d);
    });
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
    let mut h = controls(|ui, d| {
        field_toggles_ui(ui, d, "name.given");
    });
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
    let mut h = controls(|ui, d| {
        display_order_ui(ui, d);
    });
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

/// A v3alpha "employee" and a nextgen "member".
fn seed(fx: &Fixture) -> (SchemaId, SchemaId) {
    let mut store = fx.store();
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

/// Tall, so the designer's field panel shows the nextgen toggles below its own.
const TALL: egui::Vec2 = egui::vec2(1280.0, 1600.0);

fn app(fx: &Fixture) -> Harness<'static, SchemaDeskApp> {
    fx.app(TALL)
}

/// The app with a token for the nextgen server.
fn app_with_nextgen_token(fx: &Fixture, token: &str) -> Harness<'static, SchemaDeskApp> {
    let token = Token::new(token);
    fx.app_with(TALL, WindowState::default(), move |mut app| {
        app.set_nextgen_token(token);
        app
    })
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
    let (employee, member) = seed(&fx);
    let mut h = app(&fx);
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
    let mut h = app(&fx);
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

#[test]
fn import_stores_a_nextgen_document_as_a_nextgen_schema() {
    let fx = Fixture::new();
    let (employee, _) = seed(&fx);
    let mut h = app(&fx);

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
    let (_, member) = seed(&fx);
    let mut h = app(&fx);
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
    let text = schema_text(&h);
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
    let (_, member) = seed(&fx);
    let mut h = app(&fx);
    open(&mut h, "member, nextgen", "member");
    // Password without an identifier: fine for v3alpha's rules, wrong for nextgen's.
    h.get_by_role_and_label(Role::CheckBox, "Password").click();
    settle(&mut h);
    let problems = live_diagnostics(&mut h);
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
    let (_, member) = seed(&fx);
    let mut h = app(&fx);
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
    seed(&fx);
    let mut h = app(&fx);
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

#[test]
fn the_designer_offers_only_nextgen_controls_for_a_nextgen_field() {
    let fx = Fixture::new();
    seed(&fx);
    let mut h = app(&fx);
    open(&mut h, "employee", "employee");
    crate::harness::click(&mut h, "Designer");
    h.get_by_role_and_label(Role::Button, "givenName").click();
    settle(&mut h);
    assert!(
        h.query_by_label("The user (self): read").is_some(),
        "a v3alpha field has its permission controls"
    );
    assert!(
        h.query_by_label_contains("Whole-schema permission")
            .is_some()
    );

    open(&mut h, "member, nextgen", "member");
    crate::harness::click(&mut h, "Designer");
    h.get_by_role_and_label(Role::Button, "email").click();
    settle(&mut h);
    assert!(
        h.query_by_role_and_label(Role::CheckBox, "Editable by the user")
            .is_some()
    );
    assert_eq!(
        h.query_all_by_label_contains("Administrators (owner)")
            .count(),
        0,
        "no urn:zitadel:schema:permission controls on a nextgen field"
    );
    assert_eq!(h.query_all_by_label_contains("The user (self)").count(), 0);
    assert!(
        h.query_by_label_contains("Whole-schema permission")
            .is_none()
    );
    // The toggles still write nextgen keywords, and no permission keyword appears.
    h.get_by_role_and_label(Role::CheckBox, "Sensitive").click();
    settle(&mut h);
    let text = schema_text(&h);
    assert!(text.contains("x-sensitive"));
    assert!(!text.contains("urn:zitadel:schema:permission"));
}

#[test]
fn the_preview_shows_a_field_the_user_may_not_edit_read_only_for_the_user() {
    let fx = Fixture::new();
    let (_, member) = seed(&fx);
    let mut store = fx.store();
    let mut locked = doc();
    locked["properties"]["email"]["x-editable"] = json!(false);
    locked["properties"]["name"]["properties"]["family"]["x-editable"] = json!(false);
    store
        .save_with_target(
            &UserSchemaDraft::new("member", locked, []),
            "lock",
            Target::Nextgen,
        )
        .expect("second revision");
    assert_eq!(store.latest_revision(member).unwrap().number, 2);
    let mut h = app(&fx);
    open(&mut h, "member, nextgen", "member");
    crate::harness::click(&mut h, "Preview");
    let disabled = |h: &Harness<'static, SchemaDeskApp>, label: &str| {
        h.get_by_label(label).accesskit_node().is_disabled()
    };
    // An administrator edits every field.
    assert!(!disabled(&h, "email"));
    assert!(!disabled(&h, "family"));
    crate::harness::click(&mut h, "as the user");
    assert!(disabled(&h, "email (read only)"));
    assert!(disabled(&h, "family (read only)"), "nested fields too");
    assert!(!disabled(&h, "given"));
    crate::harness::click(&mut h, "as administrator");
    assert!(!disabled(&h, "email"));
}

/// Waits (a bounded time) until `done` holds, stepping the app.
fn wait_until(h: &mut Harness<'static, SchemaDeskApp>, done: impl Fn(&SchemaDeskApp) -> bool) {
    let start = std::time::Instant::now();
    while !done(h.state()) && start.elapsed() < std::time::Duration::from_secs(20) {
        settle(h);
    }
}

/// Waits until the editor has the schema `type_name` open.
fn wait_until_open(h: &mut Harness<'static, SchemaDeskApp>, type_name: &str) {
    wait_until(h, |app| {
        app.state
            .editor
            .as_ref()
            .is_some_and(|e| e.saved.type_name == type_name)
    });
}

#[test]
fn convert_a_schema_to_the_other_target_as_a_new_schema_or_a_new_revision() {
    let fx = Fixture::new();
    let (employee, member) = seed(&fx);
    let mut h = app(&fx);

    // v3alpha → nextgen, as a new schema.
    open(&mut h, "employee", "employee");
    crate::harness::click(&mut h, "Convert to ZITADEL nextgen…");
    assert!(
        h.query_by_label("Convert \"employee\" to ZITADEL nextgen")
            .is_some()
    );
    // The report names, field by field, what did not map: here the added username.
    assert!(
        h.query_by_label_contains("did not map one to one")
            .is_some(),
        "the report is shown"
    );
    let source = fx.store().latest_revision(employee).unwrap().draft;
    let expected = schemadesk::nextgen::convert::to_nextgen(&source, &Default::default()).report;
    assert!(!expected.is_empty());
    for u in &expected {
        assert!(h.query_by_label(&u.pointer).is_some(), "{u:?} is shown");
        assert!(h.query_by_label(&u.message).is_some(), "{u:?} is shown");
    }
    assert!(
        h.query_by_label("The result is valid for ZITADEL nextgen.")
            .is_some()
    );
    crate::harness::set_text(&mut h, "Type of the converted schema", "employee_ng");
    crate::harness::click(&mut h, "Convert and save");
    wait_until_open(&mut h, "employee_ng");
    let store = fx.store();
    let ng = store.by_type("employee_ng").expect("the converted schema");
    assert_eq!(store.target(ng.id).unwrap(), Target::Nextgen);
    let doc = store.latest_revision(ng.id).unwrap().draft.schema;
    assert_eq!(doc["objectType"], json!("employee_ng"));
    assert_eq!(doc["x-identifier"], json!("username"));
    assert_eq!(doc["x-auth-methods"]["password"]["enabled"], json!(true));
    assert!(valid(&doc), "{doc:#}");
    assert!(h.state().state.convert.view.is_none(), "the window closes");
    assert!(status(&h).contains("employee_ng"), "{}", status(&h));
    // The source is unchanged.
    assert_eq!(store.latest_revision(employee).unwrap().number, 1);

    // nextgen → v3alpha, as a new revision of the v3alpha "employee".
    open(&mut h, "member, nextgen", "member");
    crate::harness::click(&mut h, "Convert to ZITADEL v4 (v3alpha API)…");
    h.get_by_role_and_label(
        Role::RadioButton,
        "As a new revision of a ZITADEL v4 (v3alpha API) schema",
    )
    .click();
    settle(&mut h);
    h.get_by_label("Schema to add the revision to").click();
    settle(&mut h);
    // The list's row and the combo's entry share the name: the popup's comes last.
    h.query_all_by_label("employee")
        .last()
        .expect("the combo offers employee")
        .click();
    settle(&mut h);
    crate::harness::click(&mut h, "Convert and save");
    wait_until_open(&mut h, "employee");
    let rev = store.latest_revision(employee).unwrap();
    assert_eq!(rev.number, 2, "a new revision of employee");
    assert_eq!(store.target(employee).unwrap(), Target::V3alpha);
    assert!(rev.draft.schema.get("kind").is_none());
    assert!(rev.draft.schema["properties"].get("email").is_some());
    assert!(
        rev.draft
            .possible_authenticators
            .contains(&AuthenticatorType::Webauthn),
        "passkey became WEBAUTHN"
    );
    let body = rev.draft.request_body_pretty();
    assert!(
        schemadesk::schema::validate::validate(schemadesk::schema::validate::Source::File(&body))
            .diagnostics
            .is_empty(),
        "the result validates for v3alpha"
    );
    assert_eq!(fx.store().latest_revision(member).unwrap().number, 1);
}

#[test]
fn a_conversion_that_would_clash_saves_nothing_and_says_why() {
    let fx = Fixture::new();
    seed(&fx);
    let mut h = app(&fx);
    open(&mut h, "employee", "employee");
    crate::harness::click(&mut h, "Convert to ZITADEL nextgen…");
    // "member" is taken (by the nextgen schema): a new schema may not take its type.
    crate::harness::set_text(&mut h, "Type of the converted schema", "member");
    crate::harness::click(&mut h, "Convert and save");
    wait_until(&mut h, |app| {
        app.state
            .convert
            .view
            .as_ref()
            .is_some_and(|v| v.error.is_some())
    });
    assert!(h.query_by_label_contains("exists already").is_some());
    assert_eq!(
        fx.store()
            .latest_revision(fx.store().by_type("member").unwrap().id)
            .unwrap()
            .number,
        1
    );
    crate::harness::click(&mut h, "Cancel");
    assert!(h.state().state.convert.view.is_none());
}

/// A workspace's employee file, by hand: four-space indent and a number spelled `1.0e1`.
const WS_EMPLOYEE: &str = r#"{
    "kind": "user-schema",
    "metaSchema": "${SERVER_URL}/user-schema.json",
    "objectType": "employee",
    "x-identifier": "email",
    "x-auth-methods": {"password": {"enabled": true}},
    "properties": {
        "email": {"type": "string", "x-unique": "project"},
        "age": {"type": "integer", "minimum": 1.0e1},
        "department": {"type": "string"}
    }
}
"#;
const WS_PARTNER: &str = "{\n  \"kind\": \"user-schema\",\n  \"objectType\": \"partner\",\n  \"metaSchema\": \"${SERVER_URL}/user-schema.json\",\n  \"x-auth-methods\": {\"sso\": {\"enabled\": true, \"providers\": [\"google\"]}},\n  \"properties\": {\"company\": {\"type\": \"string\", \"maxLength\": 100.0}}\n}\n";

fn git(dir: &std::path::Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}");
}

/// A committed workspace under the fixture's folder.
fn workspace(fx: &Fixture) -> std::path::PathBuf {
    let root = fx.dir.path().join("ws");
    let schemas = root.join(".zitadel/schemas");
    std::fs::create_dir_all(&schemas).unwrap();
    std::fs::write(root.join("zitadel.json"), "{\"project\": \"alpha\"}\n").unwrap();
    std::fs::write(schemas.join("employee.json"), WS_EMPLOYEE).unwrap();
    std::fs::write(schemas.join("partner.json"), WS_PARTNER).unwrap();
    git(&root, &["init", "-q"]);
    git(&root, &["add", "."]);
    git(&root, &["commit", "-q", "-m", "fixture"]);
    root
}

fn ws_file(root: &std::path::Path, name: &str) -> String {
    std::fs::read_to_string(root.join(".zitadel/schemas").join(name)).unwrap()
}

#[test]
fn open_a_workspace_edit_a_file_and_save_only_the_change() {
    let fx = Fixture::new();
    let root = workspace(&fx);
    let mut h = app(&fx);
    // Not a workspace: said, nothing listed.
    fx.dialogs.will_pick_folder(fx.dir.path().to_path_buf());
    crate::harness::click(&mut h, "Open workspace…");
    assert!(
        h.query_all_by_label_contains("is not a ZITADEL workspace")
            .count()
            > 0
    );
    assert!(h.state().state.workspace.root.is_none());
    assert!(h.state().state.workspace.files.is_empty());
    fx.dialogs.will_pick_folder(root.clone());
    crate::harness::click(&mut h, "Open workspace…");
    let ws = &h.state().state.workspace;
    assert_eq!(ws.root.as_deref(), Some(root.as_path()));
    let names: Vec<&str> = ws.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["employee", "partner"]);
    assert!(ws.files.iter().all(|f| f.problems.is_empty()));
    assert_eq!(h.query_all_by_label("valid").count(), 2);
    // How it gets registered, with the commands.
    assert!(h.query_by_label_contains("zitadel apply").is_some());

    // Opening a file keeps it as a local nextgen schema and opens it.
    crate::harness::click(&mut h, "Open employee");
    wait_until_open(&mut h, "employee");
    let store = fx.store();
    let employee = store.by_type("employee").expect("kept locally");
    assert_eq!(store.target(employee.id).unwrap(), Target::Nextgen);
    assert_eq!(store.latest_revision(employee.id).unwrap().number, 1);

    // An edit in the designer, saved: a local revision, and the file gets only the change.
    crate::harness::click(&mut h, "Designer");
    h.get_by_role_and_label(Role::Button, "department").click();
    settle(&mut h);
    h.get_by_role_and_label(Role::CheckBox, "Editable by the user")
        .click();
    settle(&mut h);
    crate::harness::click(&mut h, "Save revision");
    wait_until(&mut h, |app| {
        app.state
            .workspace
            .message
            .as_ref()
            .is_some_and(|(_, m)| m.contains("Wrote"))
    });
    assert_eq!(store.latest_revision(employee.id).unwrap().number, 2);
    assert_eq!(
        ws_file(&root, "employee.json"),
        WS_EMPLOYEE.replace(
            "\"department\": {\"type\": \"string\"}",
            "\"department\": {\"type\": \"string\", \"x-editable\": false}"
        ),
        "only the change; 1.0e1, the key order and the indent stay"
    );
    assert_eq!(ws_file(&root, "partner.json"), WS_PARTNER, "byte for byte");
    assert!(status(&h).contains("zitadel plan"), "{}", status(&h));

    // The compatibility report: the working copy against HEAD.
    crate::harness::click(&mut h, "Workspace files");
    crate::harness::click(&mut h, "Compare employee");
    let compat = h.state().state.workspace.compat.clone().expect("a report");
    assert_eq!(compat.worst, schemadesk::schema::compat::Class::Breaking);
    assert!(
        compat
            .lines
            .iter()
            .any(|(_, pointer, _)| pointer == "/properties/department/x-editable"),
        "{compat:?}"
    );
    assert!(
        h.query_by_label("on the field \"department\", the user can no longer change it")
            .is_some()
    );
    assert_eq!(compat.rev, "HEAD");
    assert!(h.query_by_label_contains("against HEAD").is_some());
    // Any other revision; one git does not know is reported.
    crate::harness::set_text(&mut h, "Compare with git revision", "no-such-rev");
    crate::harness::click(&mut h, "Compare employee");
    assert!(h.state().state.workspace.compat.is_none());
    assert!(
        h.state()
            .state
            .workspace
            .message
            .as_ref()
            .is_some_and(|(ok, m)| !ok && m.contains("no-such-rev")),
        "{:?}",
        h.state().state.workspace.message
    );
    crate::harness::set_text(&mut h, "Compare with git revision", "HEAD");
    crate::harness::click(&mut h, "Compare employee");
    assert!(h.state().state.workspace.compat.is_some());

    // Renaming the objectType is refused with the reason; the file stays.
    let before = ws_file(&root, "employee.json");
    let renamed =
        schema_text(&h).replace("\"objectType\": \"employee\"", "\"objectType\": \"staff\"");
    assert!(renamed.contains("staff"));
    crate::harness::click(&mut h, "Close");
    assert!(!h.state().state.workspace.window);
    crate::harness::click(&mut h, "JSON");
    crate::harness::set_text(&mut h, "JSON schema", &renamed);
    crate::harness::click(&mut h, "Save revision");
    assert_eq!(store.latest_revision(employee.id).unwrap().number, 2);
    assert_eq!(ws_file(&root, "employee.json"), before);
    assert!(
        status(&h).contains("objectType \"staff\"") && status(&h).contains("never renamed"),
        "{}",
        status(&h)
    );
}

#[test]
fn a_v3alpha_pull_does_not_overwrite_a_nextgen_schema() {
    use crate::fake_zitadel::TestServer;
    let fx = Fixture::new();
    let (_, member) = seed(&fx);
    let srv = TestServer::start();
    srv.seed(
        "member",
        json!({"type": "object", "properties": {"nickname": {"type": "string"}}}),
        &["AUTHENTICATOR_TYPE_USERNAME"],
    );
    fx.store()
        .add_server("test", &srv.url, Some(2))
        .expect("server");
    let mut h = fx.app_with(
        egui::vec2(1400.0, 900.0),
        WindowState::default(),
        for_test_server,
    );
    crate::harness::click(&mut h, "Pull…");
    crate::harness::click(&mut h, "Import member");
    let store = fx.store();
    assert_eq!(
        store.latest_revision(member).unwrap().number,
        1,
        "the nextgen schema keeps its history"
    );
    assert_eq!(store.target(member).unwrap(), Target::Nextgen);
    assert!(store.bindings_of_schema(member).unwrap().is_empty());
    assert!(
        h.query_all_by_label_contains("is a ZITADEL nextgen schema")
            .count()
            > 0,
        "the reason is shown"
    );
}

#[path = "../nextgen/double.rs"]
mod nextgen_double;

#[test]
fn the_servers_revisions_show_beside_the_local_history() {
    use nextgen_double::{ALPHA_RW, Double};
    let fx = Fixture::new();
    let (employee, _) = seed(&fx);
    let api = Double::start("/api/v1");
    // 22 revisions of member (two pages at the server's default of 20), the first the local
    // revision 1; one of another type and one in another project, which are not listed.
    let first = api.seed("alpha", doc());
    for i in 0..21 {
        let mut d = doc();
        d["properties"][format!("f{i}")] = json!({"type": "string"});
        api.seed("alpha", d);
    }
    let mut other = doc();
    other["objectType"] = json!("guest");
    api.seed("alpha", other);
    api.seed("beta", doc());

    let mut h = app_with_nextgen_token(&fx, ALPHA_RW);
    // Not offered for a v3alpha schema.
    open(&mut h, "employee", "employee");
    let _ = employee;
    assert!(
        h.query_by_label("On a nextgen server (experimental)")
            .is_none()
    );
    open(&mut h, "member, nextgen", "member");
    crate::harness::click(&mut h, "On a nextgen server (experimental)");
    crate::harness::set_text(&mut h, "API address", &api.url);
    crate::harness::click(&mut h, "List server revisions");
    let s = &h.state().state.nextgen_server;
    assert_eq!(s.error, None);
    let rows = &s.listed.as_ref().expect("listed").1;
    assert_eq!(
        rows.len(),
        22,
        "every page, only member, only project alpha"
    );
    assert_eq!(rows[0].id, first);
    assert_eq!(rows[0].local, Some(1));
    assert!(rows[1..].iter().all(|r| r.local.is_none()));
    assert!(h.query_by_label("same as local r1").is_some());
    assert!(h.query_by_label("22 revision(s) on the server").is_some());
    assert_eq!(
        api.requests()
            .iter()
            .filter(|r| r.url.contains("object_type=member"))
            .count(),
        2,
        "two pages"
    );

    // A server error is told by its sentence.
    api.inject(403, "sch.permission_denied");
    crate::harness::click(&mut h, "List server revisions");
    let error = h
        .state()
        .state
        .nextgen_server
        .error
        .clone()
        .unwrap_or_default();
    assert!(!error.is_empty());
    assert!(h.query_by_label(&error).is_some(), "{error}");
}

#[test]
fn converting_an_identity_provider_asks_for_the_sso_providers() {
    let fx = Fixture::new();
    let id = fx
        .store()
        .create_schema(
            &UserSchemaDraft::new(
                "partner",
                json!({"type": "object", "properties": {"company": {"type": "string"}}}),
                [AuthenticatorType::IdentityProvider],
            ),
            "seed",
        )
        .expect("seed")
        .schema_id;
    let mut h = app(&fx);
    open(&mut h, "partner", "partner");
    crate::harness::click(&mut h, "Convert to ZITADEL nextgen…");
    let converted = |h: &Harness<'static, SchemaDeskApp>| -> Value {
        let view = h.state().state.convert.view.as_ref().expect("the window");
        serde_json::from_str(&view.converted.as_ref().expect("converted").text).unwrap()
    };
    // Without providers sso stays disabled, and the report says so.
    assert_eq!(
        converted(&h)["x-auth-methods"]["sso"]["enabled"],
        json!(false)
    );
    let report = &h
        .state()
        .state
        .convert
        .view
        .as_ref()
        .unwrap()
        .converted
        .as_ref()
        .unwrap()
        .report;
    assert!(
        report.iter().any(|u| u.message.contains("provider")),
        "{report:?}"
    );
    crate::harness::set_text(&mut h, "SSO providers", "google, okta");
    assert_eq!(
        converted(&h)["x-auth-methods"]["sso"],
        json!({"enabled": true, "providers": ["google", "okta"]})
    );
    assert!(
        h.query_by_label("The result is valid for ZITADEL nextgen.")
            .is_some()
    );
    crate::harness::click(&mut h, "Convert and save");
    wait_until_open(&mut h, "partner_nextgen");
    let store = fx.store();
    let ng = store.by_type("partner_nextgen").expect("saved");
    let doc = store.latest_revision(ng.id).unwrap().draft.schema;
    assert_eq!(
        doc["x-auth-methods"]["sso"]["providers"],
        json!(["google", "okta"])
    );
    assert!(valid(&doc));
    assert_eq!(store.latest_revision(id).unwrap().number, 1);
}

/// A meta-schema the workspace pins: like a newer nextgen that allows at most three properties.
const WS_META: &str = r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://example.invalid/nextgen-9.9/user-schema.json",
  "type": "object",
  "required": ["kind", "x-auth-methods"],
  "properties": {"properties": {"type": "object", "maxProperties": 3}}
}
"#;

/// The open draft's live validation problems, once the latest text has been checked.
fn live_diagnostics(h: &mut Harness<'static, SchemaDeskApp>) -> Vec<Diagnostic> {
    let start = std::time::Instant::now();
    while h
        .state()
        .state
        .editor
        .as_ref()
        .is_some_and(|e| e.validation.checked != e.validation.generation)
        && start.elapsed() < std::time::Duration::from_secs(10)
    {
        settle(h);
    }
    h.state()
        .state
        .editor
        .as_ref()
        .map(|e| e.validation.diagnostics.clone())
        .unwrap_or_default()
}

/// The live problems as "pointer message".
fn live_problems(h: &mut Harness<'static, SchemaDeskApp>) -> Vec<String> {
    live_diagnostics(h)
        .iter()
        .map(|d| format!("{} {}", d.pointer, d.message))
        .collect()
}

#[test]
fn a_workspace_schema_is_checked_against_the_workspaces_meta_schemas_in_the_editor() {
    let fx = Fixture::new();
    let root = workspace(&fx);
    let meta = root.join(".zitadel/meta");
    std::fs::create_dir_all(&meta).unwrap();
    std::fs::write(meta.join("user-schema.json"), WS_META).unwrap();
    let mut h = app(&fx);
    fx.dialogs.will_pick_folder(root.clone());
    crate::harness::click(&mut h, "Open workspace…");
    crate::harness::click(&mut h, "Open employee");
    wait_until_open(&mut h, "employee");
    // The editor says what it checks against: the workspace's pin, not the bundled one.
    assert!(
        h.query_by_label_contains("the meta-schemas the workspace pins in")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("the bundled meta-schema")
            .is_none()
    );
    assert!(live_problems(&mut h).is_empty());

    // A fourth property: fine for the bundled meta-schema, not for the workspace's.
    let text = schema_text(&h);
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    doc["properties"]["team"] = json!({"type": "string"});
    let edited = serde_json::to_string_pretty(&doc).unwrap();
    assert!(validate_document(&edited, &MetaSet::bundled()).is_valid());
    crate::harness::click(&mut h, "JSON");
    crate::harness::set_text(&mut h, "JSON schema", &edited);
    let problems = live_problems(&mut h);
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("/properties ") && p.contains("more than 3")),
        "{problems:?}"
    );
    // The save check agrees: nothing saved, the file untouched.
    let before = ws_file(&root, "employee.json");
    crate::harness::click(&mut h, "Save revision");
    let store = fx.store();
    let employee = store.by_type("employee").unwrap();
    assert_eq!(store.latest_revision(employee.id).unwrap().number, 1);
    assert_eq!(ws_file(&root, "employee.json"), before);
    assert!(
        h.state()
            .state
            .workspace
            .message
            .as_ref()
            .is_none_or(|(_, m)| !m.contains("Wrote"))
    );

    // A schema not from a workspace says it uses the bundled meta-schema, with its version.
    let fx = Fixture::new();
    seed(&fx);
    let mut h = app(&fx);
    open(&mut h, "member, nextgen", "member");
    let bundled = format!(
        "the bundled meta-schema of ZITADEL nextgen {}",
        schemadesk::nextgen::NEXTGEN_VERSION
    );
    assert!(h.query_by_label_contains(&bundled).is_some(), "{bundled}");
}

#[test]
fn push_registers_the_saved_revision_as_a_new_server_revision() {
    use nextgen_double::{ALPHA_RW, Double};
    let fx = Fixture::new();
    seed(&fx);
    let api = Double::start("/api/v1");
    let mut h = app_with_nextgen_token(&fx, ALPHA_RW);
    open(&mut h, "member, nextgen", "member");
    crate::harness::click(&mut h, "On a nextgen server (experimental)");
    assert!(
        h.query_by_label_contains("ZITADEL nextgen v0.8.0 schema API")
            .is_some(),
        "the API version it speaks is shown"
    );
    crate::harness::set_text(&mut h, "API address", &api.url);
    crate::harness::click(&mut h, "Push saved revision");
    wait_until(&mut h, |app| app.state.nextgen_server.is_idle());
    let s = &h.state().state.nextgen_server;
    assert_eq!(s.error, None);
    let pushed = s.pushed.clone().expect("pushed");
    assert_eq!(pushed.local, 1);
    {
        let st = api.state.lock().unwrap();
        assert_eq!(st.schemas.len(), 1);
        assert_eq!(st.schemas[0].id, pushed.id);
        assert_eq!(st.schemas[0].project, "alpha");
        assert_eq!(st.schemas[0].schema, doc());
    }
    assert!(
        h.query_by_label(&format!(
            "Local revision 1 registered on the server as {}",
            pushed.id
        ))
        .is_some()
    );
    // The listing now finds it as the local revision.
    crate::harness::click(&mut h, "List server revisions");
    wait_until(&mut h, |app| app.state.nextgen_server.is_idle());
    assert!(h.query_by_label("same as local r1").is_some());

    // A server error is told by its code's sentence; nothing is registered.
    api.inject(409, "sch.already_exists");
    crate::harness::click(&mut h, "Push saved revision");
    wait_until(&mut h, |app| app.state.nextgen_server.is_idle());
    let s = &h.state().state.nextgen_server;
    let error = s.error.clone().unwrap_or_default();
    assert!(error.contains("sch.already_exists"), "{error}");
    assert!(s.pushed.is_none());
    assert!(h.query_by_label(&error).is_some(), "{error}");
    assert_eq!(api.state.lock().unwrap().schemas.len(), 1);
    assert_eq!(
        api.requests().iter().filter(|r| r.method == "POST").count(),
        2
    );
}

#[test]
fn export_all_writes_every_nextgen_schema_of_the_store_into_the_workspace() {
    let fx = Fixture::new();
    let root = workspace(&fx);
    // member (nextgen) has no file yet; employee is a v3alpha schema in the store.
    seed(&fx);
    let mut h = app(&fx);
    fx.dialogs.will_pick_folder(root.clone());
    crate::harness::click(&mut h, "Open workspace…");
    assert_eq!(h.state().state.workspace.files.len(), 2);
    crate::harness::click(&mut h, "Export all from the store");
    wait_until(&mut h, |app| app.state.workspace.is_idle());
    let ws = &h.state().state.workspace;
    let rows: Vec<(&str, bool)> = ws
        .exported
        .iter()
        .map(|r| (r.type_name.as_str(), r.ok))
        .collect();
    assert_eq!(rows.len(), 2, "{:?}", ws.exported);
    assert!(rows.contains(&("member", true)), "{:?}", ws.exported);
    assert!(rows.contains(&("employee", false)), "{:?}", ws.exported);
    let member: Value = serde_json::from_str(&ws_file(&root, "member.json")).unwrap();
    assert_eq!(member, doc());
    // The workspace's own files stay byte for byte; the list shows the new one.
    assert_eq!(ws_file(&root, "employee.json"), WS_EMPLOYEE);
    assert_eq!(ws_file(&root, "partner.json"), WS_PARTNER);
    let names: Vec<&str> = ws.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["employee", "member", "partner"]);
    assert!(
        h.query_by_label_contains("wrote revision 1 into the new file")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("skipped: a v3alpha schema")
            .is_some()
    );
    // Again: nothing changes, and it says so per file.
    let before = ws_file(&root, "member.json");
    crate::harness::click(&mut h, "Export all from the store");
    wait_until(&mut h, |app| app.state.workspace.is_idle());
    assert_eq!(ws_file(&root, "member.json"), before);
    assert!(
        h.state()
            .state
            .workspace
            .exported
            .iter()
            .any(|r| r.type_name == "member" && r.text.contains("already holds revision 1")),
        "{:?}",
        h.state().state.workspace.exported
    );
}
