//! The command line: validate recognises nextgen, convert, the store's target in list, show
//! and export, --workspace mode, and the experimental `nextgen` commands against the double.

use std::path::Path;

use serde_json::{Value, json};

use super::double::{ALPHA_RW, Double};
use super::workspace::{fixture, git};
use super::{code, err, examples_dir, out, password_passkey, run, sso_only, text};

fn write(dir: &Path, name: &str, v: &Value) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text(v)).unwrap();
    p.display().to_string()
}

#[test]
fn validate_recognises_nextgen_and_can_be_forced() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.json", &password_passkey());
    let o = run(dir.path(), &["validate", &good]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert!(
        err(&o)
            .contains("nextgen, checked against the bundled meta-schema of ZITADEL nextgen v0.8.0"),
        "{}",
        err(&o)
    );
    let mut bad = password_passkey();
    bad["x-identifier"] = json!("name");
    let bad = write(dir.path(), "bad.json", &bad);
    let o = run(dir.path(), &["validate", &bad]);
    assert_eq!(code(&o), 1);
    assert!(
        out(&o).starts_with(&format!("{bad}:6:3: /x-identifier: ")),
        "{}",
        out(&o)
    );
    // A v3alpha file forced to nextgen fails on the dialect's required keys.
    let v3 = examples_dir().join("valid-docs-guide.json");
    let v3 = v3.to_str().unwrap();
    assert_eq!(code(&run(dir.path(), &["validate", v3])), 0);
    let o = run(
        dir.path(),
        &["validate", "--target", "nextgen", v3, "--format", "json"],
    );
    assert_eq!(code(&o), 1);
    let report: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(report[0]["target"], "nextgen");
    assert!(report[0]["meta"].as_str().unwrap().contains("v0.8.0"));
    // And a nextgen file forced to v3alpha is read as a bare JSON Schema.
    let o = run(
        dir.path(),
        &["validate", "--target", "v3alpha", &good, "--format", "json"],
    );
    let report: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(report[0]["target"], "v3alpha");
    assert_eq!(code(&run(dir.path(), &["validate", "missing.json"])), 2);
}

#[test]
fn convert_import_list_show_and_export_carry_the_target() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let v3 = examples_dir().join("valid-docs-guide.json");
    let o = run(
        d,
        &[
            "import",
            v3.to_str().unwrap(),
            "--type",
            "docs",
            "--authenticators",
            "username,password",
        ],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let converted = d.join("docs-nextgen.json");
    let o = run(
        d,
        &[
            "convert",
            "docs",
            "--to",
            "nextgen",
            "-o",
            converted.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert!(
        err(&o).contains("/schema/properties/customerId:"),
        "{}",
        err(&o)
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&converted).unwrap()).unwrap();
    assert_eq!(doc["kind"], "user-schema");
    // Importing it under the v3alpha schema's type is refused; under its own type it is a
    // nextgen schema.
    let o = run(d, &["import", converted.to_str().unwrap()]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(err(&o).contains("is a v3alpha schema"), "{}", err(&o));
    let o = run(
        d,
        &["import", converted.to_str().unwrap(), "--type", "docs-next"],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let list = out(&run(d, &["list"]));
    let lines: Vec<&str> = list.lines().collect();
    assert!(
        lines[0].starts_with("docs\trevision 1\t") && lines[0].ends_with("\tv3alpha"),
        "{list}"
    );
    assert!(
        lines[1].starts_with("docs-next\trevision 1\t") && lines[1].ends_with("\tnextgen"),
        "{list}"
    );
    let json: Value = serde_json::from_str(&out(&run(d, &["list", "--format", "json"]))).unwrap();
    assert_eq!(json[1]["target"], "nextgen");
    let o = run(d, &["show", "docs-next", "--format", "request"]);
    assert!(err(&o).contains("ZITADEL nextgen"), "{}", err(&o));
    assert_eq!(
        serde_json::from_str::<Value>(&out(&o)).unwrap(),
        doc,
        "a nextgen export is the document itself"
    );
    let o = run(
        d,
        &["export", "docs", "-o", d.join("e.json").to_str().unwrap()],
    );
    assert!(err(&o).contains("(v3alpha)"), "{}", err(&o));
    // Converting back validates as v3alpha.
    let o = run(d, &["convert", "docs-next", "--to", "v3alpha"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let body: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(body["type"], "docs", "objectType became the type");
    let o = run(d, &["convert", "docs-next", "--to", "nextgen"]);
    assert_eq!(code(&o), 2);
    // The v3alpha push refuses a nextgen schema before any network.
    let o = run(
        d,
        &["push", "docs-next", "--server", "https://example.invalid"],
    );
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("nextgen"), "{}", err(&o));
}

#[test]
fn workspace_mode() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let ws = d.join("ws");
    fixture(&ws);
    git(&ws, &["init", "-q"]);
    git(&ws, &["add", "."]);
    git(&ws, &["commit", "-q", "-m", "fixture"]);
    let w = ws.to_str().unwrap();
    let o = run(d, &["list", "--workspace", w]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert!(
        out(&o).contains("employee\tnextgen\t.zitadel/schemas/employee.json\tvalid"),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("member\tnextgen"), "{}", out(&o));
    let o = run(d, &["show", "partner", "--workspace", w]);
    assert!(
        out(&o).contains("okta") || out(&o).contains("google"),
        "{}",
        out(&o)
    );
    let o = run(d, &["validate", "--workspace", w]);
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    // An edited document saved into the workspace: only the change, a local revision too.
    let mut doc: Value = serde_json::from_str(
        &std::fs::read_to_string(ws.join(".zitadel/schemas/employee.json")).unwrap(),
    )
    .unwrap();
    doc["properties"]["department"]["x-unique"] = json!("project");
    let edited = write(d, "edited.json", &doc);
    let partner_before = std::fs::read(ws.join(".zitadel/schemas/partner.json")).unwrap();
    let o = run(d, &["import", &edited, "--workspace", w]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert!(err(&o).contains("zitadel apply"), "{}", err(&o));
    assert_eq!(
        std::fs::read(ws.join(".zitadel/schemas/partner.json")).unwrap(),
        partner_before
    );
    assert!(out(&run(d, &["list"])).contains("employee\trevision 1\t"));
    let o = run(d, &["compat", "employee", "--workspace", w]);
    assert_eq!(code(&o), 1, "{}", out(&o));
    assert!(out(&o).contains("BREAKING"), "{}", out(&o));
    assert!(out(&o).contains("must now be unique"), "{}", out(&o));
    // A renamed objectType is refused with the reason, the file unchanged.
    doc["objectType"] = json!("staff");
    let renamed = write(d, "renamed.json", &doc);
    let before = std::fs::read(ws.join(".zitadel/schemas/employee.json")).unwrap();
    let o = run(
        d,
        &["import", &renamed, "--workspace", w, "--type", "employee"],
    );
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("may not become \"staff\""), "{}", err(&o));
    assert_eq!(
        std::fs::read(ws.join(".zitadel/schemas/employee.json")).unwrap(),
        before
    );
    // export --all --workspace writes a workspace from the store.
    run(
        d,
        &[
            "import",
            examples_dir()
                .join("valid-docs-guide.json")
                .to_str()
                .unwrap(),
            "--type",
            "legacy",
        ],
    );
    let out_ws = d.join("out");
    let o = run(
        d,
        &["export", "--all", "--workspace", out_ws.to_str().unwrap()],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert!(out_ws.join("zitadel.json").is_file());
    assert!(out_ws.join(".zitadel/schemas/employee.json").is_file());
    assert!(
        err(&o).contains("skipped 1 v3alpha schema(s) (legacy)"),
        "{}",
        err(&o)
    );
    let o = run(d, &["validate", "--workspace", out_ws.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", out(&o));
    let o = run(d, &["history", "employee", "--workspace", w]);
    assert_eq!(code(&o), 2);
}

#[test]
fn the_nextgen_commands_talk_to_the_double() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let double = Double::start("/api/v1");
    let f = write(d, "p.json", &sso_only());
    assert_eq!(code(&run(d, &["import", &f])), 0);
    let push = super::bin(d)
        .args(["nextgen", "push", "partner", "--url", &double.url])
        .env("ZITADEL_TOKEN", ALPHA_RW)
        .output()
        .unwrap();
    assert_eq!(code(&push), 0, "{}", err(&push));
    assert!(err(&push).contains("experimental"), "{}", err(&push));
    let id = out(&push).trim().rsplit(' ').next().unwrap().to_string();
    let list = super::bin(d)
        .args(["nextgen", "list", "--url", &double.url, "--limit", "1"])
        .env("ZITADEL_TOKEN", ALPHA_RW)
        .output()
        .unwrap();
    assert!(
        out(&list).starts_with(&format!("{id}\tpartner\t")),
        "{}",
        out(&list)
    );
    let get = super::bin(d)
        .args(["nextgen", "get", &id, "--url", &double.url])
        .env("ZITADEL_TOKEN", ALPHA_RW)
        .output()
        .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&out(&get)).unwrap(),
        sso_only()
    );
    let missing = super::bin(d)
        .args(["nextgen", "get", "sch_x", "--url", &double.url])
        .env("ZITADEL_TOKEN", ALPHA_RW)
        .output()
        .unwrap();
    assert_eq!(code(&missing), 2);
    assert!(err(&missing).contains("sch.not_found"), "{}", err(&missing));
    assert!(!err(&missing).contains(ALPHA_RW));
}

#[test]
fn compat_of_two_nextgen_revisions_in_the_store() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut doc = sso_only();
    assert_eq!(code(&run(d, &["import", &write(d, "a.json", &doc)])), 0);
    doc["properties"]["company"]["x-unique"] = json!("project");
    doc["x-auth-methods"]["otp"] = json!({"enabled": true});
    assert_eq!(code(&run(d, &["import", &write(d, "b.json", &doc)])), 0);
    let o = run(d, &["compat", "partner", "1", "2"]);
    assert_eq!(code(&o), 1, "{}", out(&o));
    let text = out(&o);
    assert!(text.contains("BREAKING    /properties/company/x-unique: on the field \"company\", values must now be unique in the project"), "{text}");
    assert!(
        text.contains("compatible  /x-auth-methods/otp: otp (One-time code (OTP)) is now allowed"),
        "{text}"
    );
    let o = run(d, &["compat", "partner", "2", "1", "--format", "json"]);
    let body: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(body["verdict"], "compatible");
    assert_eq!(body["dialectChanges"].as_array().unwrap().len(), 2);
}

#[test]
fn a_nextgen_schema_is_never_renamed_and_diffs_as_its_document() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut doc = sso_only();
    assert_eq!(code(&run(d, &["import", &write(d, "a.json", &doc)])), 0);
    doc["properties"]["city"] = json!({"type": "string"});
    assert_eq!(code(&run(d, &["import", &write(d, "b.json", &doc)])), 0);
    let o = run(d, &["rename", "partner", "supplier"]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("never renamed"), "{}", err(&o));
    assert!(out(&run(d, &["list"])).starts_with("partner\trevision 2\t"));
    let diff = out(&run(d, &["diff", "partner", "1", "2"]));
    assert!(diff.contains("+    \"city\": {"), "{diff}");
    assert!(!diff.contains("possibleAuthenticators"), "{diff}");
}

#[test]
fn a_workspace_file_is_pushed_as_it_is_and_an_invalid_one_not_at_all() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let ws = d.join("ws");
    fixture(&ws);
    let double = Double::start("/api/v1");
    let push = |name: &str| {
        super::bin(d)
            .args([
                "nextgen",
                "push",
                name,
                "--url",
                &double.url,
                "--workspace",
                ws.to_str().unwrap(),
            ])
            .env("ZITADEL_TOKEN", ALPHA_RW)
            .output()
            .unwrap()
    };
    let o = push("partner");
    assert_eq!(code(&o), 0, "{}", err(&o));
    let stored = double.state.lock().unwrap().schemas[0].schema.clone();
    let on_disk: Value = serde_json::from_str(
        &std::fs::read_to_string(ws.join(".zitadel/schemas/partner.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(stored, on_disk);
    // An invalid working copy: reported with its line, and nothing is sent.
    std::fs::write(
        ws.join(".zitadel/schemas/broken.json"),
        "{\n  \"kind\": \"user-schema\",\n  \"metaSchema\": \"m\",\n  \"objectType\": \"broken\",\n  \"x-auth-methods\": {\"password\": {\"enabled\": true}}\n}\n",
    )
    .unwrap();
    let before = double.requests().len();
    let o = push("broken");
    assert_eq!(code(&o), 1, "{}", err(&o));
    assert!(
        out(&o).contains("broken.json:1:1: /: password is enabled"),
        "{}",
        out(&o)
    );
    assert_eq!(double.requests().len(), before);
}
