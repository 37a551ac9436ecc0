//! The nextgen controls (src/ui/nextgen.rs) driven by clicks and typing: the five methods with
//! SSO providers, the field toggles, the identifier picker and the display order.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use serde_json::{Value, json};

use schemadesk::nextgen::validate::{MetaSet, validate_document};
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
