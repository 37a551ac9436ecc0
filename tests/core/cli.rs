use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use schemadesk::store::Store;

use super::examples_dir;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("store.db")
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_schemadesk"))
            .args(args)
            .env("SCHEMADESK_DB", self.db())
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn store(&self) -> Store {
        Store::open(&self.db()).unwrap()
    }
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn validate_exit_codes_and_line_format() {
    let env = Env::new();
    let good = examples_dir().join("valid-docs-guide.json");
    let bad = examples_dir().join("invalid-permission-string.json");
    assert_eq!(code(&env.run(&["validate", p(&good)])), 0);
    let out = env.run(&["validate", p(&good), p(&bad)]);
    assert_eq!(code(&out), 1);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout.trim(),
        format!(
            "{}:4:65: /properties/name/urn:zitadel:schema:permission: the permission must be an object like {{\"owner\": \"rw\", \"self\": \"r\"}}, not the string \"read\"",
            bad.display()
        )
    );
    assert_eq!(code(&env.run(&["validate", "/no/such/file.json"])), 2);
    assert_eq!(code(&env.run(&["validate"])), 2);
    // validate never creates a store.
    assert!(!env.db().exists());
}

#[test]
fn validate_json_format_is_machine_readable() {
    let env = Env::new();
    let bad = env.file(
        "bad.json",
        "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"nope\"}}}",
    );
    let out = env.run(&["validate", "--format", "json", p(&bad)]);
    assert_eq!(code(&out), 1);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["valid"], false);
    assert_eq!(v[0]["diagnostics"][0]["pointer"], "/properties/a/type");
    assert_eq!(v[0]["diagnostics"][0]["line"], 1);
    assert_eq!(v[0]["diagnostics"][0]["rule"], "meta-schema");
}

#[test]
fn import_bare_schema_then_new_revision_then_unchanged() {
    let env = Env::new();
    let f = env.file("employee.json", "{\"type\": \"object\"}");
    let out = env.ok(&[
        "import",
        p(&f),
        "--authenticators",
        "password,webauthn",
        "-m",
        "first",
    ]);
    assert!(out.contains("revision 1"), "{out}");
    let store = env.store();
    let s = store.by_type("employee").unwrap();
    let rev = store.latest_revision(s.id).unwrap();
    assert_eq!(rev.message, "first");
    assert_eq!(rev.draft.possible_authenticators.len(), 2);
    drop(store);

    std::fs::write(&f, "{\"type\": \"object\", \"title\": \"Employee\"}").unwrap();
    env.ok(&["import", p(&f)]);
    let store = env.store();
    let rev = store.latest_revision(s.id).unwrap();
    assert_eq!(rev.number, 2);
    // Authenticators carry over from the previous revision.
    assert_eq!(rev.draft.possible_authenticators.len(), 2);
    drop(store);

    let out = env.ok(&["import", p(&f)]);
    assert!(out.contains("unchanged"), "{out}");
    assert_eq!(env.store().history(s.id).unwrap().len(), 2);
}

#[test]
fn import_request_body_and_type_override() {
    let env = Env::new();
    let f = env.file(
        "body.json",
        r#"{"type": "customer", "schema": {"type": "object"}, "possibleAuthenticators": ["AUTHENTICATOR_TYPE_TOTP"]}"#,
    );
    env.ok(&["import", p(&f)]);
    env.ok(&["import", p(&f), "--type", "partner"]);
    let store = env.store();
    assert!(store.find_by_type("customer").unwrap().is_some());
    let partner = store.by_type("partner").unwrap();
    let rev = store.latest_revision(partner.id).unwrap();
    assert_eq!(
        rev.draft
            .possible_authenticators
            .iter()
            .next()
            .map(|a| a.short_name()),
        Some("totp")
    );
}

#[test]
fn invalid_import_writes_nothing() {
    let env = Env::new();
    let good = env.file("s.json", "{}");
    env.ok(&["import", p(&good), "--type", "s"]);
    let before = std::fs::read(env.db()).unwrap();
    let bad = examples_dir().join("invalid-required-boolean.json");
    let out = env.run(&["import", p(&bad), "--type", "s"]);
    assert_eq!(code(&out), 1);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(":5:44: /properties/name/required:"),
        "{stdout}"
    );
    let out = env.run(&[
        "import",
        p(&good),
        "--type",
        "s",
        "--authenticators",
        "password,fingerprint",
    ]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("fingerprint"));
    let out = env.run(&["import", p(&good), "--type", &"x".repeat(201)]);
    assert_eq!(code(&out), 1);
    let store = env.store();
    assert_eq!(store.list_schemas(Default::default()).unwrap().len(), 1);
    assert_eq!(
        store.history(store.by_type("s").unwrap().id).unwrap().len(),
        1
    );
    drop(store);
    let _ = before;
}

#[test]
fn list_history_show_diff() {
    let env = Env::new();
    let f = env.file("a.json", "{\"type\": \"object\"}");
    env.ok(&["import", p(&f), "--type", "alpha", "-m", "one"]);
    std::fs::write(&f, "{\"type\": \"object\", \"title\": \"A\"}").unwrap();
    env.ok(&["import", p(&f), "--type", "alpha", "-m", "two"]);
    let list = env.ok(&["list"]);
    assert!(list.starts_with("alpha\trevision 2\t"), "{list}");
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["list", "--format", "json"])).unwrap();
    assert_eq!(json[0]["revision"], 2);
    let history = env.ok(&["history", "alpha"]);
    let lines: Vec<&str> = history.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("2\t") && lines[0].ends_with("\ttwo"));
    let show = env.ok(&["show", "alpha", "--revision", "1"]);
    assert_eq!(show, "{\n  \"type\": \"object\"\n}\n");
    let req: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", "alpha", "--format", "request"])).unwrap();
    assert_eq!(req["schema"]["title"], "A");
    assert_eq!(req["type"], "alpha");
    let diff = env.ok(&["diff", "alpha", "1", "2"]);
    assert!(diff.contains("+    \"title\": \"A\""), "{diff}");
    assert_eq!(code(&env.run(&["show", "alpha", "--revision", "7"])), 2);
    assert_eq!(code(&env.run(&["history", "nope"])), 2);
}

#[test]
fn export_formats_files_and_all() {
    let env = Env::new();
    let f = env.file("a.json", "{\"type\": \"object\"}");
    env.ok(&[
        "import",
        p(&f),
        "--type",
        "team/a",
        "--authenticators",
        "password",
    ]);
    env.ok(&["import", p(&f), "--type", "b"]);
    let schema_only = env.ok(&["export", "b", "--format", "schema"]);
    assert_eq!(schema_only, "{\n  \"type\": \"object\"\n}\n");
    let out_file = env.dir.path().join("b-export.json");
    env.ok(&["export", "b", "-o", p(&out_file)]);
    let body: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"type": "b", "schema": {"type": "object"}, "possibleAuthenticators": []})
    );
    let dir = env.dir.path().join("export");
    env.ok(&["export", "--all", p(&dir)]);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["b.json", "team_a.json"]);
    let a: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("team_a.json")).unwrap()).unwrap();
    assert_eq!(
        a["possibleAuthenticators"][0],
        "AUTHENTICATOR_TYPE_PASSWORD"
    );
    // An exported request body imports back to identical content.
    let again = env.run(&["import", p(&dir.join("team_a.json"))]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("unchanged"));
}

#[test]
fn lifecycle_commands() {
    let env = Env::new();
    let f = env.file("a.json", "{}");
    env.ok(&["import", p(&f), "--type", "a"]);
    std::fs::write(&f, "{\"title\": \"x\"}").unwrap();
    env.ok(&["import", p(&f), "--type", "a"]);
    env.ok(&["restore", "a", "1"]);
    assert_eq!(env.ok(&["show", "a"]), "{}\n");
    env.ok(&["rename", "a", "b"]);
    assert!(env.ok(&["list"]).starts_with("b\trevision 4"));
    env.ok(&["archive", "b"]);
    assert_eq!(env.ok(&["list"]), "");
    assert!(env.ok(&["list", "--all"]).contains("[archived]"));
    env.ok(&["archive", "b", "--undo"]);
    let out = env.ok(&["delete", "b"]);
    assert!(out.contains("--purge"), "{out}");
    assert!(env.ok(&["list", "--all"]).contains("[deleted]"));
    env.ok(&["undelete", "b"]);
    env.ok(&["delete", "b"]);
    env.ok(&["delete", "b", "--purge"]);
    assert_eq!(env.ok(&["list", "--all"]), "");
}

#[test]
fn a_store_that_is_not_a_database_is_reported_and_kept() {
    let env = Env::new();
    std::fs::write(env.db(), "hello, I am a text file that happens to be here").unwrap();
    let out = env.run(&["list"]);
    assert_eq!(code(&out), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not a SQLite database"), "{err}");
    assert!(err.contains("store.db"), "{err}");
    assert_eq!(
        std::fs::read_to_string(env.db()).unwrap(),
        "hello, I am a text file that happens to be here"
    );
}

#[test]
fn validate_samples_against_a_schema() {
    let env = Env::new();
    let schema = env.file(
        "s.json",
        r#"{"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "age": {"type": "integer"}}}"#,
    );
    let good = env.file("good.json", r#"{"name": "Ada", "age": 36}"#);
    let bad = env.file("bad.json", "{\n  \"age\": \"old\"\n}");
    assert_eq!(
        code(&env.run(&["validate", p(&schema), "--sample", p(&good)])),
        0
    );
    let out = env.run(&[
        "validate",
        p(&schema),
        "--sample",
        p(&good),
        "--sample",
        p(&bad),
    ]);
    assert_eq!(code(&out), 1);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(&format!("{}:2:10: /age:", bad.display())),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("{}:1:1: /:", bad.display())),
        "{stdout}"
    );
    let invalid_schema = examples_dir().join("invalid-permission-string.json");
    assert_eq!(
        code(&env.run(&["validate", p(&invalid_schema), "--sample", p(&good)])),
        1
    );
    assert_eq!(
        code(&env.run(&["validate", p(&schema), p(&schema), "--sample", p(&good)])),
        2
    );
}
