//! What opening a schema computes in the background: each piece of the designer's work costs a
//! large schema several times its text in memory, so it is done only while something shows
//! its result (issue 14, memory). Counts of the work done, never timings or sizes.

use egui_kittest::Harness;
use schemadesk::app::designer_checks::Work;
use schemadesk::gui::SchemaDeskApp;
use schemadesk::schema::UserSchemaDraft;
use schemadesk::store::SchemaId;
use serde_json::json;

use crate::harness::{Fixture, click, opening, schema_text, set_text};

/// The shared fixture with one schema (a required field and a `$ref`), opened at start.
struct Seeded {
    fx: Fixture,
    id: SchemaId,
}

impl Seeded {
    fn new() -> Self {
        let fx = Fixture::new();
        let schema = json!({
            "type": "object",
            "$defs": {"name": {"type": "string", "maxLength": 5}},
            "properties": {
                "givenName": {"$ref": "#/$defs/name"},
                "age": {"type": "integer"}
            },
            "required": ["givenName"]
        });
        let id = fx
            .store()
            .create_schema(&UserSchemaDraft::new("person", schema, []), "seed")
            .expect("seed")
            .schema_id;
        Seeded { fx, id }
    }

    fn app(&self) -> Harness<'static, SchemaDeskApp> {
        self.fx
            .app_with(egui::vec2(1400.0, 900.0), opening(self.id), |app| app)
    }
}

fn work(h: &Harness<'_, SchemaDeskApp>) -> Work {
    h.state().designer_work()
}

fn sample_problems(h: &Harness<'_, SchemaDeskApp>) -> Vec<String> {
    let d = &h.state().state.designer;
    d.sample_diagnostics
        .iter()
        .map(|x| x.message.clone())
        .collect()
}

#[test]
fn the_json_view_reads_no_tree_and_compiles_no_sample_checker() {
    let fx = Seeded::new();
    let mut h = fx.app();
    assert!(h.state().state.editor.is_some(), "the schema is open");
    assert_eq!(
        work(&h),
        Work::default(),
        "the JSON view shows neither the tree nor a sample check"
    );

    click(&mut h, "Designer");
    assert_eq!(work(&h).trees_read, 1, "the designer reads the tree");
    assert_eq!(work(&h).checkers_compiled, 0);
    assert_eq!(h.state().state.designer.tree.fields.len(), 2);

    click(&mut h, "Preview");
    assert_eq!(work(&h).trees_read, 1, "the tree is still current");
    assert_eq!(
        work(&h).checkers_compiled,
        1,
        "the preview checks the sample"
    );
    let missing = sample_problems(&h);
    assert!(
        missing.iter().any(|m| m.contains("givenName")),
        "the empty sample misses givenName: {missing:?}"
    );
    set_text(
        &mut h,
        "Sample data (JSON)",
        r#"{"givenName": "Alexander"}"#,
    );
    assert_eq!(
        work(&h).checkers_compiled,
        1,
        "another sample uses the same checker"
    );
    assert!(
        sample_problems(&h).iter().any(|m| m.contains("longer")),
        "the definition's maxLength is checked"
    );

    // Leaving the preview drops the compiled schema: coming back shows the same problems,
    // and the next sample compiles it again.
    click(&mut h, "Designer");
    click(&mut h, "Preview");
    assert_eq!(work(&h).checkers_compiled, 1);
    assert!(sample_problems(&h).iter().any(|m| m.contains("longer")));
    set_text(
        &mut h,
        "Sample data (JSON)",
        r#"{"givenName": "Maximilian"}"#,
    );
    assert_eq!(work(&h).checkers_compiled, 2);
    assert!(
        sample_problems(&h).iter().any(|m| m.contains("longer")),
        "checked again after the drop"
    );

    // Edits in the JSON view are read back only when a view that shows them opens.
    click(&mut h, "JSON");
    let text = schema_text(&h);
    set_text(
        &mut h,
        "JSON schema",
        &text.replace("\"maxLength\": 5", "\"maxLength\": 20"),
    );
    assert_eq!(work(&h).trees_read, 1);
    assert_eq!(work(&h).checkers_compiled, 2);
    click(&mut h, "Preview");
    assert_eq!(work(&h).trees_read, 2);
    assert_eq!(work(&h).checkers_compiled, 3);
    assert_eq!(
        sample_problems(&h),
        Vec::<String>::new(),
        "the sample is checked against the edited schema"
    );
    assert_eq!(work(&h).saved_parsed, 0, "there are no saved samples");
}

#[test]
fn saved_samples_are_checked_in_the_json_view_without_a_sample_checker() {
    let fx = Seeded::new();
    let mut store = fx.fx.store();
    store
        .save_sample(fx.id, "ok", r#"{"givenName": "Al"}"#)
        .expect("sample");
    store
        .save_sample(fx.id, "long", r#"{"givenName": "Bartholomew"}"#)
        .expect("sample");
    let h = fx.app();
    let d = &h.state().state.designer;
    assert_eq!(d.outcomes.len(), 2, "both saved samples are checked");
    assert_eq!(d.failing(), 1, "the long name fails the definition");
    let w = work(&h);
    assert_eq!(w.trees_read, 1, "the draft's schema is read for them");
    assert_eq!(w.saved_parsed, 1);
    assert_eq!(w.checkers_compiled, 0, "no preview, no typed sample check");
}

#[test]
fn an_opened_schema_is_validated_without_parsing_its_text_again() {
    let fx = Seeded::new();
    let mut h = fx.app();
    let editor = h.state().state.editor.as_ref().expect("open");
    assert_eq!(editor.validation.checked, editor.validation.generation);
    assert!(
        !editor.validation.is_pending(),
        "the opened text is checked"
    );
    assert_eq!(
        h.state().validator_parsed_texts(),
        0,
        "checked with the value the store thread parsed"
    );

    // An edit is a new text: parsed by the validator, and its problem found.
    let text = editor.parts.schema_text.clone();
    set_text(
        &mut h,
        "JSON schema",
        &text.replace("\"integer\"", "\"integr\""),
    );
    assert_eq!(h.state().validator_parsed_texts(), 1);
    let editor = h.state().state.editor.as_ref().expect("open");
    assert!(
        editor
            .validation
            .diagnostics
            .iter()
            .any(|d| d.pointer == "/properties/age/type"),
        "{:?}",
        editor.validation.diagnostics
    );
}
