//! Two writers on one schema (issue 19): the field-level three-way merge (disjoint edits
//! merge, overlapping ones conflict at their pointer, a property test that merging two
//! disjoint random edits equals applying both), and `schemadesk import --if-latest` refusing
//! to write over a revision saved meanwhile.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use proptest::prelude::*;
use schemadesk::schema::merge::{Pick, Picks, merge_drafts, reverted_by};
use schemadesk::schema::{AuthenticatorType, UserSchemaDraft};
use schemadesk::store::Store;
use serde_json::{Map, Value, json};

fn employee(schema: Value, auth: &[AuthenticatorType]) -> UserSchemaDraft {
    UserSchemaDraft::new("employee", schema, auth.iter().copied())
}

fn base_schema() -> Value {
    json!({
        "$schema": "urn:zitadel:schema:v1",
        "type": "object",
        "properties": {
            "givenName": {"type": "string", "maxLength": 50},
            "familyName": {"type": "string"},
            "age": {"type": "integer", "minimum": 0}
        },
        "required": ["givenName"]
    })
}

#[test]
fn disjoint_edits_of_properties_keywords_and_authenticators_merge() {
    use AuthenticatorType::*;
    let base = employee(base_schema(), &[Password]);
    // Theirs (the CLI): a new field, a keyword changed on another field, TOTP allowed.
    let mut t = base_schema();
    t["properties"]["fromCli"] = json!({"type": "string"});
    t["properties"]["age"]["minimum"] = json!(18);
    let theirs = employee(t, &[Password, Totp]);
    // Mine (the editor): a keyword on givenName, a field removed, passkeys allowed.
    let mut m = base_schema();
    m["properties"]["givenName"]["maxLength"] = json!(80);
    m["properties"]
        .as_object_mut()
        .expect("properties")
        .remove("familyName");
    let mine = employee(m, &[Password, Webauthn]);

    let merged = merge_drafts(&base, &theirs, &mine, &Picks::new()).expect("merges");
    assert!(merged.conflicts.is_empty(), "{:#?}", merged.conflicts);
    let props = &merged.draft.schema["properties"];
    assert_eq!(props["fromCli"], json!({"type": "string"}));
    assert_eq!(props["age"]["minimum"], json!(18));
    assert_eq!(props["givenName"]["maxLength"], json!(80));
    assert!(props.get("familyName").is_none());
    assert_eq!(
        merged.draft.possible_authenticators,
        BTreeSet::from([Password, Totp, Webauthn])
    );
}

#[test]
fn overlapping_edits_conflict_at_their_pointer_and_the_pick_decides() {
    let base = employee(base_schema(), &[]);
    let mut t = base_schema();
    t["properties"]["givenName"]["maxLength"] = json!(60);
    t["properties"]["age"]["minimum"] = json!(18);
    let theirs = employee(t, &[]);
    let mut m = base_schema();
    m["properties"]["givenName"]["maxLength"] = json!(70);
    m["title"] = json!("Employee");
    let mine = employee(m, &[]);

    let merged = merge_drafts(&base, &theirs, &mine, &Picks::new()).expect("merges");
    let pointers: Vec<&str> = merged
        .conflicts
        .iter()
        .map(|c| c.pointer.as_str())
        .collect();
    assert_eq!(pointers, ["/schema/properties/givenName/maxLength"]);
    let c = &merged.conflicts[0];
    assert_eq!(
        (c.base.clone(), c.theirs.clone(), c.mine.clone()),
        (Some(json!(50)), Some(json!(60)), Some(json!(70)))
    );
    // Unpicked: mine; the disjoint changes of both sides are in either way.
    assert_eq!(
        merged.draft.schema["properties"]["givenName"]["maxLength"],
        json!(70)
    );
    assert_eq!(
        merged.draft.schema["properties"]["age"]["minimum"],
        json!(18)
    );
    assert_eq!(merged.draft.schema["title"], json!("Employee"));
    for (pick, want) in [(Pick::Theirs, 60), (Pick::Base, 50), (Pick::Mine, 70)] {
        let picks = Picks::from([(c.pointer.clone(), pick)]);
        let again = merge_drafts(&base, &theirs, &mine, &picks).expect("merges");
        assert_eq!(
            again.draft.schema["properties"]["givenName"]["maxLength"],
            json!(want)
        );
        assert_eq!(again.conflicts[0].pick, pick);
    }
}

#[test]
fn the_type_conflicts_at_slash_type() {
    let base = employee(base_schema(), &[]);
    let mut theirs = base.clone();
    theirs.type_name = "staff".into();
    let mut mine = base.clone();
    mine.type_name = "worker".into();
    let merged = merge_drafts(&base, &theirs, &mine, &Picks::new()).expect("merges");
    assert_eq!(merged.conflicts.len(), 1);
    assert_eq!(merged.conflicts[0].pointer, "/type");
    assert_eq!(merged.draft.type_name, "worker");
}

#[test]
fn a_field_removed_by_one_side_and_changed_by_the_other_conflicts() {
    let base = employee(base_schema(), &[]);
    let mut t = base_schema();
    t["properties"]
        .as_object_mut()
        .expect("properties")
        .remove("age");
    let mut m = base_schema();
    m["properties"]["age"]["maximum"] = json!(120);
    let merged =
        merge_drafts(&base, &employee(t, &[]), &employee(m, &[]), &Picks::new()).expect("merges");
    assert_eq!(merged.conflicts.len(), 1);
    assert_eq!(merged.conflicts[0].pointer, "/schema/properties/age");
    assert_eq!(merged.conflicts[0].theirs, None);
    // Kept by default (mine); gone when theirs is picked.
    assert!(merged.draft.schema["properties"].get("age").is_some());
}

#[test]
fn saving_mine_anyway_names_what_it_reverts() {
    let base = base_schema();
    let mut theirs = base_schema();
    theirs["properties"]["fromCli"] = json!({"type": "string"});
    let mut mine = base_schema();
    mine["title"] = json!("x");
    assert_eq!(reverted_by(&base, &theirs, &mine), ["/properties/fromCli"]);
}

// ---- property test: disjoint random edits ----

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

/// One change a writer makes to a target it alone touches.
#[derive(Debug, Clone)]
enum Edit {
    SetKeyword(&'static str, Value),
    RemoveKeyword(&'static str),
    RemoveProperty,
}

#[derive(Debug, Clone)]
struct Case {
    base: UserSchemaDraft,
    /// Per existing property: 0 untouched, 1 side A, 2 side B; and the edit.
    owners: Vec<(u8, Edit)>,
    /// Top-level `title` and `description`: owner and new text.
    top: Vec<(u8, String)>,
    /// Per authenticator: 0 untouched, 1 A toggles it, 2 B toggles it.
    auth_owners: Vec<u8>,
    /// How many new properties each side adds, and whether it requires them.
    adds: (usize, usize, bool),
}

fn keyword() -> impl Strategy<Value = (&'static str, Value)> {
    prop_oneof![
        (0u32..100).prop_map(|n| ("maxLength", json!(n))),
        "[a-z ]{0,12}".prop_map(|s| ("title", json!(s))),
        "[a-z ]{0,12}".prop_map(|s| ("description", json!(s))),
        prop::sample::select(vec!["string", "number", "boolean", "integer"])
            .prop_map(|t| ("type", json!(t))),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        keyword().prop_map(|(k, v)| Edit::SetKeyword(k, v)),
        prop::sample::select(vec!["maxLength", "title", "type"]).prop_map(Edit::RemoveKeyword),
        Just(Edit::RemoveProperty),
    ]
}

fn field() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["string", "number", "boolean"]),
        prop::option::of(0u32..50),
        prop::option::of("[a-z]{1,8}"),
    )
        .prop_map(|(t, max, title)| {
            let mut o = Map::new();
            o.insert("type".into(), json!(t));
            if let Some(m) = max {
                o.insert("maxLength".into(), json!(m));
            }
            if let Some(t) = title {
                o.insert("title".into(), json!(t));
            }
            Value::Object(o)
        })
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(field(), 1..7),
        prop::collection::vec(0u8..3, 8),
        prop::sample::subsequence(AuthenticatorType::ALL.to_vec(), 0..=8),
    )
        .prop_flat_map(|(fields, auth_owners, auth)| {
            let n = fields.len();
            (
                Just((fields, auth_owners, auth)),
                prop::collection::vec((0u8..3, edit()), n),
                prop::collection::vec((0u8..3, "[a-z]{0,10}"), 2),
                (0usize..3, 0usize..3, any::<bool>()),
            )
        })
        .prop_map(|((fields, auth_owners, auth), owners, top, adds)| {
            let mut props = Map::new();
            for (i, f) in fields.into_iter().enumerate() {
                props.insert(format!("p{i}"), f);
            }
            let required: Vec<Value> = props.keys().take(2).map(|k| json!(k)).collect();
            let base = employee(
                json!({"type": "object", "title": "t", "properties": props, "required": required}),
                &auth,
            );
            Case {
                base,
                owners,
                top,
                auth_owners,
                adds,
            }
        })
}

/// Applies the edits of one side (1 = A, 2 = B) to a draft.
fn apply(case: &Case, side: u8, draft: &UserSchemaDraft) -> UserSchemaDraft {
    let mut d = draft.clone();
    let schema = d.schema.as_object_mut().expect("object");
    for (i, (owner, edit)) in case.owners.iter().enumerate() {
        if *owner != side {
            continue;
        }
        let name = format!("p{i}");
        let props = schema["properties"].as_object_mut().expect("properties");
        match edit {
            Edit::RemoveProperty => {
                props.remove(&name);
            }
            Edit::SetKeyword(k, v) => {
                if let Some(Value::Object(p)) = props.get_mut(&name) {
                    p.insert((*k).into(), v.clone());
                }
            }
            Edit::RemoveKeyword(k) => {
                if let Some(Value::Object(p)) = props.get_mut(&name) {
                    p.remove(*k);
                }
            }
        }
    }
    for ((owner, text), key) in case.top.iter().zip(["title", "description"]) {
        if *owner == side {
            schema.insert(key.into(), json!(text));
        }
    }
    let (adds_a, adds_b, require) = case.adds;
    let (count, prefix) = if side == 1 {
        (adds_a, "a")
    } else {
        (adds_b, "b")
    };
    for k in 0..count {
        let name = format!("{prefix}{k}");
        schema["properties"]
            .as_object_mut()
            .expect("properties")
            .insert(name.clone(), json!({"type": "string"}));
        if require {
            schema["required"]
                .as_array_mut()
                .expect("required")
                .push(json!(name));
        }
    }
    for (a, owner) in AuthenticatorType::ALL.iter().zip(&case.auth_owners) {
        if *owner == side && !d.possible_authenticators.remove(a) {
            d.possible_authenticators.insert(*a);
        }
    }
    d
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn merging_disjoint_edits_equals_applying_both(case in case()) {
        let theirs = apply(&case, 1, &case.base);
        let mine = apply(&case, 2, &case.base);
        let both = apply(&case, 2, &theirs);
        let merged = merge_drafts(&case.base, &theirs, &mine, &Picks::new())
            .expect("a disjoint merge forms a draft");
        prop_assert!(merged.conflicts.is_empty(), "{:#?}", merged.conflicts);
        prop_assert_eq!(&merged.draft, &both);
        // The order of `required` follows the edits: the base's, theirs' additions, mine's.
        prop_assert_eq!(&merged.draft.schema["required"], &both.schema["required"]);
    }

    #[test]
    fn one_value_changed_both_ways_is_one_conflict_at_its_pointer(
        case in case(),
        a in 100u32..200,
        b in 200u32..300,
    ) {
        let mut theirs = case.base.clone();
        let mut mine = case.base.clone();
        theirs.schema["properties"]["p0"]["maxLength"] = json!(a);
        mine.schema["properties"]["p0"]["maxLength"] = json!(b);
        let merged = merge_drafts(&case.base, &theirs, &mine, &Picks::new()).expect("merges");
        prop_assert_eq!(merged.conflicts.len(), 1);
        prop_assert_eq!(&merged.conflicts[0].pointer, "/schema/properties/p0/maxLength");
        let picks = Picks::from([(merged.conflicts[0].pointer.clone(), Pick::Theirs)]);
        let taken = merge_drafts(&case.base, &theirs, &mine, &picks).expect("merges");
        prop_assert_eq!(taken.draft, theirs);
    }
}

// ---- the CLI guard, a second process writing ----

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("store.db")
    }

    fn file(&self, name: &str, value: &Value) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, value.to_string()).expect("write file");
        p
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_schemadesk"))
            .args(args)
            .env("SCHEMADESK_DB", self.db())
            .output()
            .expect("run the CLI")
    }
}

fn arg(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn import_if_latest_refuses_when_another_writer_saved() {
    let env = Env::new();
    let v1 = env.file("v1.json", &base_schema());
    let mut second = base_schema();
    second["properties"]["fromCli"] = json!({"type": "string"});
    let v2 = env.file("v2.json", &second);
    let mut third = base_schema();
    third["title"] = json!("script");
    let v3 = env.file("v3.json", &third);

    // A new type: only `--if-latest 0` fits.
    let out = env.run(&["import", arg(&v1), "--type", "employee", "--if-latest", "1"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        Store::open(&env.db())
            .expect("store")
            .find_by_type("employee")
            .expect("find")
            .is_none()
    );
    let out = env.run(&["import", arg(&v1), "--type", "employee", "--if-latest", "0"]);
    assert!(out.status.success(), "{out:?}");

    // Another writer (the store opened here, as the editor would) saves revision 2.
    let mut store = Store::open(&env.db()).expect("store");
    store
        .save_by_type(&employee(second, &[]), "from another writer")
        .expect("revision 2");
    let _ = v2;

    let out = env.run(&[
        "import",
        arg(&v3),
        "--type",
        "employee",
        "--if-latest",
        "1",
        "-m",
        "script",
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("revision 2, not 1") && stderr.contains("nothing was written"),
        "{stderr}"
    );
    let id = store.by_type("employee").expect("employee").id;
    assert_eq!(store.history(id).expect("history").len(), 2);

    let out = env.run(&[
        "import",
        arg(&v3),
        "--type",
        "employee",
        "--if-latest",
        "2",
        "-m",
        "script",
    ]);
    assert!(out.status.success(), "{out:?}");
    let latest = store.latest_revision(id).expect("latest");
    assert_eq!(latest.number, 3);
    assert_eq!(latest.draft.schema["title"], json!("script"));
}
