//! The reference index in the designer (issue 17): rename says how many references it
//! rewrote; removing a referenced field asks first — remove them too / keep them / cancel.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use schemadesk::gui::SchemaDeskApp;
use serde_json::{Value, json};

use crate::harness::{Fixture, click, create_schema, schema, set_text, settle, status};

const RICH: &str = include_str!("../fixtures/refs/rich.json");

const SIZE: egui::Vec2 = egui::vec2(1400.0, 900.0);

/// A new schema holding the rich fixture, shown in the designer with `field` selected.
fn rich_in_designer(h: &mut Harness<'_, SchemaDeskApp>, field: &str) {
    create_schema(h);
    // The CJK titles become Latin ones here: the app cannot draw CJK yet (issue 17, item 7)
    // and the test renderer refuses missing glyphs.
    let text = RICH
        .replace("名 (given name)", "Given name")
        .replace("電話", "Phones");
    set_text(h, "JSON schema", &text);
    click(h, "Designer");
    h.get_by_role_and_label(Role::Button, field).click();
    settle(h);
}

#[test]
fn rename_rewrites_references_and_says_how_many() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    rich_in_designer(&mut h, "familyName");
    // The tree shows where fields are referenced or conditionally constrained.
    assert!(h.query_all_by_label("conditional").count() >= 4);
    assert!(h.query_all_by_label("referenced").count() >= 3);
    set_text(&mut h, "Name", "lastName");
    click(&mut h, "Rename");
    let s = schema(&h);
    assert_eq!(
        s["dependentRequired"],
        json!({"nickname": ["lastName"], "lastName": ["givenName"]})
    );
    assert_eq!(
        s["dependentSchemas"],
        json!({"lastName": {"required": ["email"]}})
    );
    assert_eq!(s["then"], json!({"required": ["lastName"]}));
    assert_eq!(
        status(&h),
        "Renamed familyName to lastName; rewrote 5 references"
    );
}

#[test]
fn remove_asks_and_each_answer_does_what_it_says() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    rich_in_designer(&mut h, "country");
    let before = schema(&h);

    // Cancel: nothing changes.
    click(&mut h, "Remove field");
    assert!(
        h.query_by_label("Remove country?").is_some(),
        "the question"
    );
    assert!(
        h.query_by_label_contains("/allOf/0/if/properties/country")
            .is_some(),
        "the references are listed"
    );
    assert!(
        h.query_by_label_contains("checked by the if at /allOf/0/if: must be set")
            .is_some(),
        "with their rules"
    );
    assert!(
        h.query_by_label_contains("changes when its then and else apply")
            .is_some()
    );
    click(&mut h, "Cancel");
    assert!(h.query_by_label("Remove country?").is_none());
    assert_eq!(schema(&h), before);

    // Keep them: the field goes, the `if` stays.
    click(&mut h, "Remove field");
    click(&mut h, "Keep them");
    let s = schema(&h);
    assert!(s["properties"].get("country").is_none());
    assert_eq!(s["allOf"], before["allOf"]);
    click(&mut h, "Undo");
    assert_eq!(schema(&h), before);

    // Remove them too.
    h.get_by_role_and_label(Role::Button, "country").click();
    settle(&mut h);
    click(&mut h, "Remove field");
    click(&mut h, "Remove them too");
    let s = schema(&h);
    assert!(s["properties"].get("country").is_none());
    assert_eq!(
        s["allOf"][0]["if"],
        json!({"properties": {}, "required": []})
    );
    assert_eq!(s["allOf"][0]["then"], before["allOf"][0]["then"]);
    assert_eq!(status(&h), "Removed country and 2 references to it");

    // A field nothing else names is removed without a question.
    h.get_by_role_and_label(Role::Button, "salary").click();
    settle(&mut h);
    click(&mut h, "Remove field");
    assert!(h.query_by_label_contains("Remove salary?").is_none());
    assert!(schema(&h)["properties"].get("salary").is_none());
}

#[test]
fn moving_a_referenced_field_says_the_references_stay_behind() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    rich_in_designer(&mut h, "nickname");
    click(&mut h, "Move into…");
    click(&mut h, "into the field address");
    let s = schema(&h);
    assert!(
        s["properties"]["address"]["properties"]
            .get("nickname")
            .is_some()
    );
    assert_eq!(
        status(&h),
        "Moved nickname; 1 other place(s) still name it where it was (see the JSON)"
    );
}

/// Item 8: a required field hidden from the user is warned about (in the tree and under the
/// field), and an explicit `rw`/`rw` looks different from no permission keyword.
#[test]
fn hidden_required_is_warned_and_explicit_rw_is_shown() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    create_schema(&mut h);
    let mut v: Value = serde_json::from_str(RICH).expect("fixture");
    v["properties"]["email"]["urn:zitadel:schema:permission"] = json!({"owner": "rw", "self": ""});
    v["properties"]["nickname"]["urn:zitadel:schema:permission"] =
        json!({"owner": "rw", "self": "rw"});
    let text = serde_json::to_string_pretty(&v)
        .expect("json")
        .replace("名 (given name)", "Given name")
        .replace("電話", "Phones");
    set_text(&mut h, "JSON schema", &text);
    click(&mut h, "Designer");
    assert!(h.query_by_label("hidden but required").is_some());
    assert!(h.query_by_label("explicit rw/rw").is_some());
    assert_eq!(h.query_all_by_label("explicit rw/rw").count(), 1);

    h.get_by_role_and_label(Role::Button, "email").click();
    settle(&mut h);
    assert!(
        h.query_by_label_contains("is required but hidden from the user")
            .is_some()
    );
    assert!(
        h.query_by_label("Permission set explicitly in the JSON")
            .is_some()
    );
    h.get_by_role_and_label(Role::Button, "familyName").click();
    settle(&mut h);
    assert!(
        h.query_by_label("No permission keyword: read and write for everyone by default")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("is required but hidden")
            .is_none()
    );
}

/// Item 4: a `$ref` field shows as what it resolves to, with number controls, not text ones.
#[test]
fn a_ref_field_is_shown_as_what_it_resolves_to() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    rich_in_designer(&mut h, "salary");
    assert_eq!(h.query_all_by_label("number via #/$defs/money").count(), 2);
    assert!(
        h.query_by_label_contains("Defined by #/$defs/money (Number)")
            .is_some()
    );
    assert!(h.query_by_label("Text format").is_none());
    assert!(h.query_by_label("Minimum").is_some());
}

/// Item 7: with the system's fallback fonts installed, the fixture's CJK titles are drawn
/// (the test renderer panics on a glyph no font has, so drawing them at all is the check).
#[test]
fn cjk_titles_are_drawn_with_system_fonts() {
    use schemadesk::ui::theme::fonts;
    let found = fonts::discover();
    if found.is_empty() {
        eprintln!("no fontconfig fonts for CJK here (scripts/setup.sh installs one); skipped");
        return;
    }
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    assert!(fonts::install(&h.ctx, &found) > 0);
    create_schema(&mut h);
    set_text(&mut h, "JSON schema", RICH);
    click(&mut h, "Designer");
    h.get_by_role_and_label(Role::Button, "phones").click();
    settle(&mut h);
    click(&mut h, "Preview");
    // Every frame above drew the CJK titles (editor, designer, preview) without a missing glyph.
    assert_eq!(schema(&h)["properties"]["phones"]["title"], json!("電話"));
}

/// Item 4: the designer lists `$defs` with their type and the fields using them.
#[test]
fn definitions_are_visible_with_their_uses() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    rich_in_designer(&mut h, "salary");
    assert!(h.query_by_label("Definitions (1)").is_some());
    assert!(
        h.query_by_label("money: number, used by salary, bonus")
            .is_some()
    );
}

fn sample(h: &Harness<'_, SchemaDeskApp>) -> Value {
    serde_json::from_str(&h.state().state.designer.sample_text).expect("the sample is JSON")
}

/// Item 3 and 4 in the preview: `phones` (an array of objects) is a repeatable group of its
/// item fields with add/remove, the item `enum` a choice, item errors shown at the item's
/// field; `salary` (`$ref` to `#/$defs/money`) is a number input naming its definition.
#[test]
fn preview_draws_arrays_of_objects_as_groups_and_refs_as_what_they_resolve_to() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    rich_in_designer(&mut h, "phones");
    click(&mut h, "Preview");

    // An empty list: no rows, one button to add one.
    click(&mut h, "Add phone");
    assert_eq!(sample(&h)["phones"], json!([{}]));
    click(&mut h, "Add phone");
    assert_eq!(sample(&h)["phones"], json!([{}, {}]));
    assert_eq!(h.query_all_by_label("number *").count(), 2, "one per row");

    // Item fields write into their own row.
    h.query_all_by_label("number *")
        .nth(1)
        .expect("second row")
        .set_text_value_accesskit("+41 44 000 00 00");
    settle(&mut h);
    assert_eq!(
        sample(&h)["phones"],
        json!([{}, {"number": "+41 44 000 00 00"}])
    );
    // The item's enum is a choice.
    h.query_all_by_label("type")
        .next()
        .expect("first row's type")
        .click();
    settle(&mut h);
    click(&mut h, "fax");
    assert_eq!(
        sample(&h)["phones"],
        json!([{"type": "fax"}, {"number": "+41 44 000 00 00"}])
    );

    // Removing a row keeps the others.
    click(&mut h, "Remove phone 1");
    assert_eq!(
        sample(&h)["phones"],
        json!([{"number": "+41 44 000 00 00"}])
    );

    // Item errors are shown at the item's field, not only in the problem list.
    set_text(
        &mut h,
        "Sample data (JSON)",
        r#"{"phones": [{"type": "pager", "number": 5}]}"#,
    );
    let at_pointer = |h: &Harness<'_, SchemaDeskApp>, p: &str| {
        h.state()
            .state
            .designer
            .sample_diagnostics
            .iter()
            .filter(|d| d.pointer == p)
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
    };
    for pointer in ["/phones/0/type", "/phones/0/number"] {
        let messages = at_pointer(&h, pointer);
        assert!(!messages.is_empty(), "{pointer} has a problem");
        for m in messages {
            assert!(h.query_by_label(&m).is_some(), "{m} is shown at its field");
        }
    }

    // A $ref field is drawn as the number it resolves to, with its definition named.
    assert!(
        h.query_all_by_label("defined by money (#/$defs/money)")
            .count()
            >= 2,
        "salary and bonus name their definition"
    );
    set_text(&mut h, "salary", "12.5");
    assert_eq!(sample(&h)["salary"], json!(12.5));
    set_text(&mut h, "salary", "lots");
    assert!(
        h.query_by_label("\"lots\" is not of type \"number\"")
            .is_some(),
        "the wrong value is reported at the field"
    );
}

/// Item 3 in the designer: the item fields of `phones` are children of its row and are
/// edited like an object's fields, writing under `items/properties` and `items/required`.
#[test]
fn item_fields_of_a_list_are_edited_in_the_designer() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    rich_in_designer(&mut h, "number");
    let before = schema(&h);
    set_text(&mut h, "Name", "digits");
    click(&mut h, "Rename");
    let s = schema(&h);
    let items = &s["properties"]["phones"]["items"];
    assert_eq!(
        items["properties"],
        json!({"type": {"type": "string", "enum": ["home", "mobile", "fax"]},
               "digits": {"type": "string"}})
    );
    assert_eq!(
        items["required"],
        json!(["digits"]),
        "the item's required follows"
    );
    set_text(&mut h, "Title", "Digits");
    assert_eq!(
        schema(&h)["properties"]["phones"]["items"]["properties"]["digits"]["title"],
        json!("Digits")
    );
    h.get_by_role_and_label(Role::Button, "type").click();
    settle(&mut h);
    click(&mut h, "Remove field");
    let s = schema(&h);
    assert!(
        s["properties"]["phones"]["items"]["properties"]
            .get("type")
            .is_none()
    );
    // Nothing outside the list changed.
    for key in ["givenName", "address", "salary", "bonus"] {
        assert_eq!(s["properties"][key], before["properties"][key], "{key}");
    }
    assert_eq!(s["allOf"], before["allOf"]);
    assert_eq!(s["$defs"], before["$defs"]);
}

/// A `$ref` to an object definition is drawn in the preview as the definition's fields (the
/// group nested objects get), naming the definition, and those fields write into the sample.
#[test]
fn preview_draws_a_ref_to_an_object_definition_as_its_fields() {
    let fx = Fixture::new();
    let schema_text = json!({
        "$schema": "urn:zitadel:schema:v1",
        "type": "object",
        "$defs": {
            "place": {
                "type": "object",
                "required": ["street"],
                "properties": {
                    "street": {"type": "string"},
                    "floor": {"type": "integer"}
                }
            }
        },
        "properties": {
            "home": {"$ref": "#/$defs/place"},
            "work": {"$ref": "#/$defs/place"}
        }
    });
    let mut h = preview_of(&fx, &schema_text);

    assert_eq!(
        h.query_all_by_label("defined by place (#/$defs/place)")
            .count(),
        2,
        "home and work name their definition"
    );
    assert_eq!(
        h.query_all_by_label("street *").count(),
        2,
        "each use draws the definition's fields"
    );
    h.query_all_by_label("street *")
        .nth(1)
        .expect("work's street")
        .set_text_value_accesskit("Main St 1");
    settle(&mut h);
    assert_eq!(sample(&h), json!({"work": {"street": "Main St 1"}}));
    h.query_all_by_label("floor")
        .next()
        .expect("home's floor")
        .set_text_value_accesskit("3");
    settle(&mut h);
    assert_eq!(
        sample(&h),
        json!({"home": {"floor": 3}, "work": {"street": "Main St 1"}})
    );
    // The definition's rules are reported at the field inside the use.
    assert!(
        h.query_by_label("\"street\" is a required property")
            .is_some(),
        "home misses its street"
    );
}

/// A definition is edited once in the designer: its limits and title land at `/$defs/money`,
/// the `$ref` users stay as they are, and the preview checks both users against the new limit.
#[test]
fn a_definition_is_edited_once_and_every_user_sees_it() {
    let fx = Fixture::new();
    let mut h = fx.app(SIZE);
    rich_in_designer(&mut h, "salary");
    let before = schema(&h);
    click(&mut h, "money: number, used by salary, bonus");
    set_text(&mut h, "money maximum", "5000");
    set_text(&mut h, "money title", "Money");
    let s = schema(&h);
    assert_eq!(s["$defs"]["money"]["maximum"], json!(5000));
    assert_eq!(s["$defs"]["money"]["title"], json!("Money"));
    assert_eq!(s["$defs"]["money"]["minimum"], json!(0));
    assert_eq!(
        s["properties"], before["properties"],
        "the users are untouched"
    );

    click(&mut h, "Preview");
    set_text(
        &mut h,
        "Sample data (JSON)",
        r#"{"salary": 6000, "bonus": 6000}"#,
    );
    for pointer in ["/salary", "/bonus"] {
        assert!(
            h.state()
                .state
                .designer
                .sample_diagnostics
                .iter()
                .any(|d| d.pointer == pointer && d.message.contains("5000")),
            "{pointer} is checked against the definition's new maximum"
        );
    }
}

/// A definition whose name holds `/` or `~` is named as written, not by the last piece of its
/// escaped pointer (`#/$defs/a~1b` is the definition "a/b").
#[test]
fn preview_names_a_definition_with_a_slash_in_its_name() {
    let fx = Fixture::new();
    let schema_text = json!({
        "$schema": "urn:zitadel:schema:v1",
        "type": "object",
        "$defs": {"postal/code": {"type": "string", "maxLength": 10}},
        "properties": {"zip": {"$ref": "#/$defs/postal~1code"}}
    });
    let h = preview_of(&fx, &schema_text);
    assert!(
        h.query_by_label("defined by postal/code (#/$defs/postal~1code)")
            .is_some(),
        "the definition is named as written"
    );
}

/// A new schema with `schema` typed into the JSON editor, shown in the designer's Preview.
fn preview_of(fx: &Fixture, schema: &Value) -> Harness<'static, SchemaDeskApp> {
    let mut h = fx.app(SIZE);
    create_schema(&mut h);
    set_text(
        &mut h,
        "JSON schema",
        &serde_json::to_string_pretty(schema).expect("json"),
    );
    click(&mut h, "Designer");
    click(&mut h, "Preview");
    h
}
