//! Import from Keycloak or Ory (the report shown before anything is saved) and the review
//! sheet export, driven through the real app over a temporary store.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use schemadesk::gui::SchemaDeskApp;
use schemadesk::schema::AuthenticatorType;

use crate::harness::{Fixture, click, settle};

/// A copy of `tests/fixtures/interchange/REL` named `name` in the fixture's folder.
fn copy_fixture(fx: &Fixture, rel: &str, name: &str) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/interchange")
        .join(rel);
    let to = fx.dir.path().join(name);
    std::fs::copy(from, &to).expect("copy fixture");
    to
}

/// Steps until a widget with this label exists (the conversion runs on its own thread).
fn wait_for(h: &mut Harness<'_, SchemaDeskApp>, label: &str) {
    let start = Instant::now();
    while h.query_by_label_contains(label).is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "\"{label}\" never appeared"
        );
        std::thread::sleep(Duration::from_millis(10));
        settle(h);
    }
}

#[test]
fn keycloak_import_shows_the_report_before_saving() {
    let fx = Fixture::new();
    let mut h = fx.app(egui::vec2(1280.0, 800.0));
    let file = copy_fixture(&fx, "keycloak/custom.json", "acme.json");

    // Cancel: the report was shown, nothing is saved.
    fx.dialogs.will_open(file.clone());
    click(&mut h, "Import…");
    wait_for(&mut h, "Import a Keycloak user profile");
    assert!(h.query_by_label_contains("the schema \"acme\"").is_some());
    assert!(
        h.query_by_label_contains("12 field(s); authenticators: username, password")
            .is_some()
    );
    assert!(
        h.query_by_label("phoneNumber").is_some(),
        "the report is grouped by attribute"
    );
    assert!(
        h.query_by_label("/attributes/2/annotations/inputType")
            .is_some(),
        "each entry names where it is"
    );
    assert_eq!(
        previews_on_disk().len(),
        1,
        "the converted body waits on disk"
    );
    click(&mut h, "Cancel");
    assert!(h.query_by_label_contains("Import a Keycloak").is_none());
    assert!(fx.store().find_by_type("acme").unwrap().is_none());
    wait_until_no_previews(&mut h, "after Cancel");

    // Import: saved by the ordinary import, as revision 1.
    fx.dialogs.will_open(file);
    click(&mut h, "Import…");
    wait_for(&mut h, "Import a Keycloak user profile");
    click(&mut h, "Import");
    let start = Instant::now();
    while fx.store().find_by_type("acme").unwrap().is_none() {
        assert!(start.elapsed() < Duration::from_secs(20), "never saved");
        std::thread::sleep(Duration::from_millis(10));
        settle(&mut h);
    }
    let store = fx.store();
    let s = store.find_by_type("acme").unwrap().expect("imported");
    let rev = store.latest_revision(s.id).unwrap();
    assert_eq!(rev.number, 1);
    assert_eq!(rev.message, "Imported from acme.json");
    assert_eq!(
        rev.draft
            .possible_authenticators
            .iter()
            .copied()
            .collect::<Vec<_>>(),
        [AuthenticatorType::Username, AuthenticatorType::Password]
    );
    assert!(rev.draft.schema["properties"]["skills"]["items"].is_object());
    wait_until_no_previews(&mut h, "after the import");
}

/// Closing the app while a preview waits for an answer leaves no temporary folder behind:
/// nothing can import it any more.
#[test]
fn closing_the_app_during_a_preview_removes_its_folder() {
    let fx = Fixture::new();
    let mut h = fx.app(egui::vec2(1280.0, 800.0));
    fx.dialogs
        .will_open(copy_fixture(&fx, "keycloak/custom.json", "acme.json"));
    click(&mut h, "Import…");
    wait_for(&mut h, "Import a Keycloak user profile");
    let folders = previews_on_disk();
    assert_eq!(folders.len(), 1, "the converted body waits on disk");
    drop(h);
    assert!(
        !folders[0].exists(),
        "the preview's folder is removed when the app closes: {}",
        folders[0].display()
    );
    assert!(fx.store().find_by_type("acme").unwrap().is_none());
}

/// The private folders this process's import previews wrote (the tests run one at a time).
fn previews_on_disk() -> Vec<PathBuf> {
    let prefix = format!("schemadesk-import-{}-", std::process::id());
    std::fs::read_dir(std::env::temp_dir())
        .expect("temp dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect()
}

/// Steps the app until the preview's temporary files are gone (removed in the background).
fn wait_until_no_previews(h: &mut Harness<'_, SchemaDeskApp>, when: &str) {
    let start = Instant::now();
    while !previews_on_disk().is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "temporary files left behind {when}: {:?}",
            previews_on_disk()
        );
        std::thread::sleep(Duration::from_millis(10));
        settle(h);
    }
}

#[test]
fn a_zitadel_schema_imports_as_before_and_the_review_sheet_is_exported() {
    let fx = Fixture::new();
    let mut h = fx.app(egui::vec2(1280.0, 800.0));
    // A ZITADEL schema is no foreign format: imported at once, no report.
    let plain = fx.dir.path().join("plain.json");
    std::fs::write(&plain, r#"{"type": "object", "properties": {}}"#).unwrap();
    fx.dialogs.will_open(plain);
    click(&mut h, "Import…");
    assert!(h.query_by_label_contains("Import a").is_none());
    assert!(fx.store().find_by_type("plain").unwrap().is_some());

    // A broken Keycloak profile is refused with where it is; nothing is saved.
    let broken = fx.dir.path().join("broken.json");
    std::fs::write(&broken, r#"{"attributes": [{"name": "a"}, {"name": "a"}]}"#).unwrap();
    fx.dialogs.will_open(broken);
    click(&mut h, "Import…");
    wait_for(
        &mut h,
        "/attributes/1/name: the attribute \"a\" is defined twice",
    );
    click(&mut h, "Close");
    assert!(fx.store().find_by_type("broken").unwrap().is_none());

    // A conversion the validator refuses shows its problems, and Import cannot be pressed.
    let remote = fx.dir.path().join("remote.json");
    std::fs::write(
        &remote,
        r##"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"traits": {"type": "object", "properties": {"a": {"$ref": "https://example.com/a.json"}}}}}"##,
    )
    .unwrap();
    fx.dialogs.will_open(remote);
    click(&mut h, "Import…");
    wait_for(&mut h, "The converted schema is not valid");
    assert!(
        h.query_by_label_contains("/schema/properties/a/$ref")
            .is_some()
    );
    assert!(h.get_by_label("Import").accesskit_node().is_disabled());
    // Clicking it anyway saves nothing.
    h.get_by_label("Import").click();
    settle(&mut h);
    click(&mut h, "Cancel");
    assert!(fx.store().find_by_type("remote").unwrap().is_none());

    // Import an Ory schema, then export its review sheet as HTML.
    fx.dialogs
        .will_open(copy_fixture(&fx, "ory/email-password.json", "person.json"));
    click(&mut h, "Import…");
    wait_for(&mut h, "Import an Ory Kratos identity schema");
    click(&mut h, "Import");
    let start = Instant::now();
    while h
        .state()
        .state
        .editor
        .as_ref()
        .is_none_or(|e| e.saved.type_name != "person")
    {
        assert!(start.elapsed() < Duration::from_secs(20), "never opened");
        std::thread::sleep(Duration::from_millis(10));
        settle(&mut h);
    }
    let sheet = fx.dir.path().join("person-review.html");
    fx.dialogs.will_save(sheet.clone());
    click(&mut h, "Export");
    click(&mut h, "Export review sheet…");
    wait_for(&mut h, "Review sheet written");
    let html = std::fs::read_to_string(&sheet).expect("sheet written");
    assert!(html.contains("<h1>Review sheet: person</h1>"), "{html}");
    assert!(html.contains("<code>/name/first</code>"));
    click(&mut h, "Close");
}
