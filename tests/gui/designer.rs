//! The visual designer and the form preview, driven by egui_kittest over a temporary store:
//! each control changes the draft's JSON as expected, JSON edits update the tree, invalid JSON
//! keeps the tree, permission controls write exactly the allowed values, templates create
//! useful schemas, and saved samples are checked again after every edit.

use egui::accesskit::{Role, Toggled};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use schemadesk::gui::SchemaDeskApp;
use schemadesk::schema::fields::FieldTree;
use schemadesk::schema::permission::check_permissions;
use schemadesk::schema::templates;
use schemadesk::store::ListFilter;
use serde_json::{Value, json};

use crate::harness::{
    Fixture, click, create_schema, opening, schema, schema_text, set_text, settle,
};

const SIZE: egui::Vec2 = egui::vec2(1400.0, 900.0);

fn click_button(h: &mut Harness<'_, SchemaDeskApp>, label: &str) {
    h.get_by_role_and_label(Role::Button, label).click();
    settle(h);
}

/// Opens a combo box (by its label) and picks an option.
fn pick(h: &mut Harness<'_, SchemaDeskApp>, combo: &str, option: &str) {
    click(h, combo);
    click(h, option);
}

fn field(h: &Harness<'_, SchemaDeskApp>, pointer: &str) -> Value {
    schema(h)
        .pointer(pointer)
        .cloned()
        .unwrap_or_else(|| panic!("no {pointer} in {}", schema_text(h)))
}

fn disabled(h: &Harness<'_, SchemaDeskApp>, label: &str) -> bool {
    h.get_by_label(label).accesskit_node().is_disabled()
}

/// A new schema (the default template: givenName, familyName), shown in the designer.
fn new_schema_in_designer(h: &mut Harness<'_, SchemaDeskApp>) {
    create_schema(h);
    click(h, "Designer");
}

fn add_field(h: &mut Harness<'_, SchemaDeskApp>, name: &str) {
    set_text(h, "New field name", name);
    click(h, "Add field");
}

#[test]
fn each_designer_control_changes_the_json() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    new_schema_in_designer(&mut h);
    assert!(
        h.query_by_label("givenName").is_some(),
        "the tree lists the fields"
    );

    // Add: a string field, selected at once.
    add_field(&mut h, "mail");
    assert_eq!(field(&h, "/properties/mail"), json!({"type": "string"}));
    assert!(
        h.state().state.is_dirty(),
        "a designer edit is an unsaved change"
    );
    assert!(h.state().state.title().starts_with('•'));
    assert!(
        schema_text(&h).contains("\n  \"properties\": {\n"),
        "the JSON is rewritten pretty"
    );

    // Title, description, required, format (list and free text), lengths, pattern, default.
    set_text(&mut h, "Title", "Work email");
    set_text(&mut h, "Description", "Where we write to");
    click(&mut h, "Required");
    pick(&mut h, "Text format", "date-time");
    assert_eq!(field(&h, "/properties/mail/format"), json!("date-time"));
    set_text(&mut h, "Custom format", "email");
    set_text(&mut h, "Min length", "3");
    set_text(&mut h, "Max length", "80");
    set_text(&mut h, "Pattern", "^.+@.+$");
    set_text(&mut h, "Default", "nobody@example.com");
    assert_eq!(
        field(&h, "/properties/mail"),
        json!({"type": "string", "title": "Work email", "description": "Where we write to",
               "format": "email", "minLength": 3, "maxLength": 80, "pattern": "^.+@.+$",
               "default": "nobody@example.com"})
    );
    assert!(
        schema(&h)["required"]
            .as_array()
            .unwrap()
            .contains(&json!("mail"))
    );

    // A box that cannot be read says why and leaves the JSON alone.
    let before = schema_text(&h);
    set_text(&mut h, "Max length", "eighty");
    assert!(h.query_by_label_contains("is not a whole number").is_some());
    assert_eq!(schema_text(&h), before);
    set_text(&mut h, "Max length", "");
    assert!(field(&h, "/properties/mail").get("maxLength").is_none());

    // Clearing a box removes the keyword.
    set_text(&mut h, "Description", "");
    assert!(field(&h, "/properties/mail").get("description").is_none());

    // Enum values, one per line; type; minimum and maximum.
    add_field(&mut h, "level");
    set_text(&mut h, "Allowed values", "1\n2\n3");
    assert!(h.query_by_label_contains("is not a number").is_none());
    assert_eq!(field(&h, "/properties/level/enum"), json!(["1", "2", "3"]));
    pick(&mut h, "Field type", "Whole number");
    assert_eq!(field(&h, "/properties/level/type"), json!("integer"));
    set_text(&mut h, "Allowed values", "1\n2\n3");
    assert_eq!(field(&h, "/properties/level/enum"), json!([1, 2, 3]));
    set_text(&mut h, "Minimum", "1");
    set_text(&mut h, "Maximum", "3");
    set_text(&mut h, "Default", "2");
    assert_eq!(
        field(&h, "/properties/level"),
        json!({"type": "integer", "enum": [1, 2, 3], "minimum": 1, "maximum": 3, "default": 2})
    );

    // Rename keeps the place and the required entry.
    click_button(&mut h, "mail");
    set_text(&mut h, "Name", "workEmail");
    click(&mut h, "Rename");
    let s = schema(&h);
    let names: Vec<&String> = s["properties"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["givenName", "familyName", "workEmail", "level"]);
    assert!(
        s["required"]
            .as_array()
            .unwrap()
            .contains(&json!("workEmail"))
    );

    // Reorder.
    click(&mut h, "Move up");
    click(&mut h, "Move up");
    let s = schema(&h);
    let names: Vec<&String> = s["properties"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["workEmail", "givenName", "familyName", "level"]);
    click(&mut h, "Move down");
    let s = schema(&h);
    let names: Vec<&String> = s["properties"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["givenName", "workEmail", "familyName", "level"]);

    // Nest into an object, and back out.
    pick(&mut h, "New field type", "Group of fields");
    add_field(&mut h, "contact");
    assert_eq!(field(&h, "/properties/contact/type"), json!("object"));
    click_button(&mut h, "workEmail");
    click(&mut h, "Move into…");
    click(&mut h, "into the field contact");
    assert_eq!(
        field(&h, "/properties/contact/properties/workEmail/title"),
        json!("Work email")
    );
    assert_eq!(
        field(&h, "/properties/contact/required"),
        json!(["workEmail"]),
        "a required field stays required where it goes"
    );
    assert!(schema(&h)["properties"].get("workEmail").is_none());
    click(&mut h, "Move out");
    assert_eq!(
        field(&h, "/properties/workEmail/title"),
        json!("Work email")
    );

    // Remove.
    click_button(&mut h, "level");
    click(&mut h, "Remove field");
    assert!(schema(&h)["properties"].get("level").is_none());

    // Undo goes through the same path as JSON edits.
    click(&mut h, "Undo");
    assert!(schema(&h)["properties"].get("level").is_some());
    assert!(h.query_by_role_and_label(Role::Button, "level").is_some());

    // The result validates and saves.
    click(&mut h, "Save revision");
    let id = fx.store().list_schemas(ListFilter::default()).unwrap()[0].id;
    let rev = fx.store().latest_revision(id).unwrap();
    assert_eq!(rev.number, 2);
    assert_eq!(rev.draft.schema, schema(&h));
}

#[test]
fn permission_controls_write_exactly_the_allowed_values() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    new_schema_in_designer(&mut h);
    click_button(&mut h, "givenName");
    let choices = [
        ("hidden", None),
        ("read", Some("r")),
        ("read and write", Some("rw")),
    ];
    for (owner, owner_letters) in choices {
        for (user, user_letters) in choices {
            click(&mut h, &format!("Administrators (owner): {owner}"));
            click(&mut h, &format!("The user (self): {user}"));
            let p = schema(&h)["properties"]["givenName"]
                .get("urn:zitadel:schema:permission")
                .cloned();
            let expected = match (owner_letters, user_letters) {
                (Some("rw"), Some("rw")) => None,
                (o, u) => {
                    let mut m = serde_json::Map::new();
                    if let Some(o) = o {
                        m.insert("owner".into(), json!(o));
                    }
                    if let Some(u) = u {
                        m.insert("self".into(), json!(u));
                    }
                    Some(Value::Object(m))
                }
            };
            assert_eq!(p, expected, "owner {owner}, user {user}");
            assert!(check_permissions(&schema(&h)).is_empty());
            let toggled = |label: String| {
                h.get_by_label(&label).accesskit_node().toggled() == Some(Toggled::True)
            };
            assert!(toggled(format!("Administrators (owner): {owner}")));
            assert!(toggled(format!("The user (self): {user}")));
        }
    }

    // The root: one letter per party, or no keyword.
    click(&mut h, "Whole-schema permission");
    click(&mut h, "Schema Administrators (owner): write only");
    click(&mut h, "Schema The user (self): read");
    assert_eq!(
        schema(&h)["urn:zitadel:schema:permission"],
        json!({"owner": "w", "self": "r"})
    );
    assert!(check_permissions(&schema(&h)).is_empty());
    click(&mut h, "Schema The user (self): read and write");
    assert!(
        schema(&h).get("urn:zitadel:schema:permission").is_none(),
        "read and write on the root means no keyword"
    );
}

const WITH_EXTRAS: &str = r#"{
  "$schema": "urn:zitadel:schema:v1",
  "type": "object",
  "x-order": 3,
  "properties": {
    "givenName": { "type": "string" },
    "department": {
      "type": "string",
      "x-ui": "wide",
      "const": "sales",
      "urn:zitadel:schema:permission": { "owner": "rw", "self": "r" }
    }
  }
}
"#;

#[test]
fn json_edits_update_the_tree_and_invalid_json_keeps_it() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    create_schema(&mut h);
    set_text(&mut h, "JSON schema", WITH_EXTRAS);
    click(&mut h, "Designer");
    assert!(
        h.query_by_role_and_label(Role::Button, "department")
            .is_some()
    );
    assert!(
        h.query_by_role_and_label(Role::Button, "familyName")
            .is_none()
    );
    assert!(h.query_by_label("+JSON").is_some(), "a marker on the field");
    click_button(&mut h, "department");
    assert!(
        h.query_by_label_contains("Has more in the JSON: x-ui, const")
            .is_some()
    );

    // A designer edit keeps the keywords it does not understand, in place.
    set_text(&mut h, "Title", "Department");
    let dept = field(&h, "/properties/department");
    let keys: Vec<&String> = dept.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "type",
            "x-ui",
            "const",
            "urn:zitadel:schema:permission",
            "title"
        ]
    );
    assert_eq!(schema(&h)["x-order"], json!(3));
    let tree_before = h.state().state.designer.tree.clone();
    assert_eq!(
        tree_before,
        FieldTree::read(&schema(&h)).unwrap(),
        "designer → JSON → designer gives the same tree"
    );

    // Invalid JSON: the tree stays, and the designer says why (with line and column).
    click(&mut h, "JSON");
    let broken = schema_text(&h).replacen("\"givenName\": {", "\"givenName\": {,", 1);
    set_text(&mut h, "JSON schema", &broken);
    click(&mut h, "Designer");
    assert!(
        h.query_by_label_contains("invalid JSON at line 6, column")
            .is_some(),
        "the parse error is shown with its position"
    );
    assert_eq!(h.state().state.designer.tree, tree_before);
    assert!(
        h.query_by_role_and_label(Role::Button, "department")
            .is_some()
    );
    assert!(
        disabled(&h, "Add field"),
        "no designer edits on broken JSON"
    );
    assert_eq!(schema_text(&h), broken, "the text is left as typed");

    // Fixed JSON: the tree follows.
    click(&mut h, "JSON");
    let renamed = WITH_EXTRAS.replace("department", "team");
    set_text(&mut h, "JSON schema", &renamed);
    click(&mut h, "Designer");
    assert!(h.query_by_label_contains("The JSON has an error").is_none());
    assert!(h.query_by_role_and_label(Role::Button, "team").is_some());
    assert!(
        h.query_by_role_and_label(Role::Button, "department")
            .is_none()
    );
    assert!(!disabled(&h, "Add field"));
}

#[test]
fn templates_create_useful_schemas() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    click(&mut h, "Template: Employee");
    let t = templates::by_id("employee").unwrap();
    assert_eq!(schema(&h), t.schema());
    let editor = h.state().state.editor.as_ref().unwrap();
    assert_eq!(editor.parts.type_name, "employee");
    assert_eq!(
        editor.parts.authenticators,
        t.authenticators.iter().copied().collect()
    );
    assert!(
        h.query_by_label("No problems: the schema is valid")
            .is_some()
    );
    click(&mut h, "Designer");
    for name in ["givenName", "email", "costCenter"] {
        assert!(
            h.query_by_role_and_label(Role::Button, name).is_some(),
            "{name}"
        );
    }

    // The toolbar menu offers every template; plain "New" still uses the default.
    click(&mut h, "From template…");
    click(&mut h, "ZITADEL docs example");
    assert_eq!(
        schema(&h),
        templates::by_id("docs-example").unwrap().schema()
    );
    click(&mut h, "From template…");
    click(&mut h, "Customer");
    assert_eq!(
        h.state().state.editor.as_ref().unwrap().parts.type_name,
        "customer"
    );
    create_schema(&mut h);
    assert!(schema(&h)["properties"].get("givenName").is_some());
    assert_eq!(
        h.state().state.editor.as_ref().unwrap().parts.type_name,
        "new-schema"
    );
    assert_eq!(
        fx.store()
            .list_schemas(ListFilter::default())
            .unwrap()
            .len(),
        4
    );
}

#[test]
fn preview_respects_permissions_and_samples_are_checked_after_every_edit() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    click(&mut h, "Template: ZITADEL docs example");
    click(&mut h, "Preview");

    // As an administrator every field is there and editable.
    for name in ["givenName", "familyName", "profileUri", "customerId"] {
        assert!(h.query_by_label(name).is_some(), "{name}");
        assert!(!disabled(&h, name), "{name}");
    }
    // As the user: customerId is hidden, profileUri read-only.
    click(&mut h, "as the user");
    assert!(h.query_by_label("customerId").is_none());
    assert!(h.query_by_label_contains("customerId").is_none());
    assert!(disabled(&h, "profileUri (read only)"));
    assert!(!disabled(&h, "givenName"));
    click(&mut h, "as administrator");

    // Typing in the form writes the sample; a wrong value is reported beside the field.
    set_text(&mut h, "givenName", "Alice");
    set_text(&mut h, "familyName", "Doe");
    let sample: Value = serde_json::from_str(&h.state().state.designer.sample_text).unwrap();
    assert_eq!(sample, json!({"givenName": "Alice", "familyName": "Doe"}));
    assert!(
        h.query_by_label("The sample is valid for this schema")
            .is_some()
    );
    set_text(
        &mut h,
        "Sample data (JSON)",
        r#"{"givenName": 5, "familyName": "Doe"}"#,
    );
    assert!(
        h.query_by_label("5 is not of type \"string\"").is_some(),
        "the error is beside the field"
    );
    set_text(
        &mut h,
        "Sample data (JSON)",
        r#"{"givenName": "Al", "familyName": "Doe"}"#,
    );
    assert!(h.state().state.designer.sample_diagnostics.is_empty());

    // Save two samples with the schema.
    set_text(&mut h, "Sample name", "al");
    click(&mut h, "Save sample");
    set_text(
        &mut h,
        "Sample data (JSON)",
        r#"{"givenName": "Bartholomew"}"#,
    );
    set_text(&mut h, "Sample name", "bart");
    click(&mut h, "Save sample");
    let id = fx.store().list_schemas(ListFilter::default()).unwrap()[0].id;
    let saved: Vec<String> = fx
        .store()
        .list_samples(id)
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(saved, ["al", "bart"]);
    assert_eq!(h.state().state.designer.outcomes.len(), 2);
    assert!(h.state().state.designer.outcomes.iter().all(|o| o.passes()));
    assert!(h.query_by_label("all 2 samples pass").is_some());

    // A breaking edit in the designer is reported at once.
    click(&mut h, "Designer");
    click_button(&mut h, "givenName");
    set_text(&mut h, "Min length", "3");
    assert_eq!(h.state().state.designer.breaking(), 1);
    assert!(h.query_by_label("this change breaks 1 sample").is_some());
    set_text(&mut h, "Max length", "5");
    assert_eq!(h.state().state.designer.breaking(), 2);
    assert!(h.query_by_label("this change breaks 2 samples").is_some());
    click(&mut h, "Preview");
    assert_eq!(
        h.query_all_by_label_contains("broken by this change")
            .count(),
        2,
        "both samples are marked"
    );

    // And a JSON edit that undoes it is checked as well.
    click(&mut h, "Undo");
    click(&mut h, "Undo");
    assert_eq!(h.state().state.designer.breaking(), 0);

    // Loading a sample fills the form; deleting it removes it from the store.
    click(&mut h, "Load bart");
    assert!(h.state().state.designer.sample_text.contains("Bartholomew"));
    click(&mut h, "Delete bart");
    assert_eq!(fx.store().list_samples(id).unwrap().len(), 1);
}

#[test]
fn lists_of_objects_and_adding_into_a_group() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    new_schema_in_designer(&mut h);

    // A list of objects, with a field added inside its items.
    pick(&mut h, "New field type", "List");
    add_field(&mut h, "phones");
    pick(&mut h, "Item type", "Group of fields");
    assert_eq!(
        field(&h, "/properties/phones"),
        json!({"type": "array", "items": {"type": "object"}})
    );
    pick(&mut h, "Add to", "the field phones");
    pick(&mut h, "New field type", "Text");
    add_field(&mut h, "number");
    assert_eq!(
        field(&h, "/properties/phones/items/properties/number"),
        json!({"type": "string"})
    );
    assert_eq!(
        h.state().state.designer.selected,
        Some(vec!["phones".to_string(), "number".to_string()])
    );
    set_text(&mut h, "Pattern", "^\\+[0-9]+$");
    assert_eq!(
        field(&h, "/properties/phones/items/properties/number/pattern"),
        json!("^\\+[0-9]+$")
    );

    // A duplicate name is refused with a reason, and nothing changes.
    let before = schema_text(&h);
    add_field(&mut h, "number");
    assert_eq!(schema_text(&h), before);
    let status = h.state().state.status.clone().expect("a status");
    assert!(status.text.contains("already exists"), "{}", status.text);

    // The whole schema still validates.
    assert!(
        h.state()
            .state
            .editor
            .as_ref()
            .unwrap()
            .validation
            .diagnostics
            .is_empty()
    );
}

/// A schema with hundreds of fields: the tree draws only the rows in view, and scrolling
/// brings the others.
#[test]
fn a_long_field_list_draws_only_the_rows_in_view() {
    let fx = Fixture::new();
    let properties: serde_json::Map<String, Value> = (0..400)
        .map(|i| (format!("f{i:03}"), json!({"type": "string"})))
        .collect();
    let draft = schemadesk::schema::UserSchemaDraft::new(
        "many",
        json!({"type": "object", "properties": properties}),
        [],
    );
    let id = fx.store().create_schema(&draft, "seed").unwrap().schema_id;
    let mut h = fx.app_with(SIZE, opening(id), |app| app);
    click(&mut h, "Designer");
    assert_eq!(h.state().state.designer.tree.fields.len(), 400);
    assert!(h.query_by_label("f000").is_some());
    assert!(
        h.query_by_label("f399").is_none(),
        "rows out of view are not drawn"
    );
    let tree = h.get_by_label("f000").rect().center();
    for _ in 0..200 {
        if h.query_by_label("f399").is_some() {
            break;
        }
        h.event(egui::Event::PointerMoved(tree));
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -400.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        settle(&mut h);
    }
    click(&mut h, "f399");
    assert_eq!(
        h.state().state.designer.selected,
        Some(vec!["f399".to_string()]),
        "the last row is reachable and selectable"
    );
    assert!(h.query_by_label("f000").is_none());
}
