//! The reference index (issue 17, items 1, 2 and 5): every place that names a property, with
//! its pointer and rule; rename rewrites them all and says how many; remove can take them too.
//! Everything not referencing the field stays byte-identical.

use schemadesk::schema::fields::{
    FieldError, remove_field_with_references, rename_field, rename_field_counted,
};
use schemadesk::schema::refs::{
    RefKind, Reference, Target, index, outside_references, references_to,
};
use serde_json::{Value, json};

fn rich() -> Value {
    let text = include_str!("fixtures/refs/rich.json");
    serde_json::from_str(text).expect("the fixture parses")
}

fn at<'a>(refs: &'a [Reference], pointer: &str) -> &'a Reference {
    refs.iter()
        .find(|r| r.pointer == pointer)
        .unwrap_or_else(|| panic!("no reference at {pointer}: {refs:#?}"))
}

fn prop(container: &[&str], name: &str) -> Target {
    Target::Property {
        container: container.iter().map(|s| s.to_string()).collect(),
        name: name.into(),
    }
}

/// Every leaf pointer of `v` with its value, for "untouched stays identical" checks.
fn leaves(v: &Value, ptr: String, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, sub) in m {
                leaves(
                    sub,
                    format!("{ptr}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) if !a.is_empty() => {
            for (i, sub) in a.iter().enumerate() {
                leaves(sub, format!("{ptr}/{i}"), out);
            }
        }
        _ => out.push((ptr, v.clone())),
    }
}

fn all_leaves(v: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    leaves(v, String::new(), &mut out);
    out
}

#[test]
fn the_index_finds_every_kind_of_reference_in_the_rich_schema() {
    let refs = index(&rich());

    let r = at(&refs, "/required/1");
    assert_eq!(
        (r.kind, &r.target),
        (RefKind::Required, &prop(&[], "familyName"))
    );

    let r = at(&refs, "/dependentRequired/nickname");
    assert_eq!(r.kind, RefKind::DependentRequiredKey);
    assert_eq!(r.target, prop(&[], "nickname"));
    assert_eq!(r.rule, "when set, familyName must be set too");

    let r = at(&refs, "/dependentRequired/nickname/0");
    assert_eq!(r.kind, RefKind::DependentRequiredValue);
    assert_eq!(r.target, prop(&[], "familyName"));
    assert_eq!(r.rule, "required when nickname is set");

    let r = at(&refs, "/dependentSchemas/familyName");
    assert_eq!(
        (r.kind, &r.target),
        (RefKind::DependentSchemasKey, &prop(&[], "familyName"))
    );
    // The dependent schema's own `required` names email at the root.
    let r = at(&refs, "/dependentSchemas/familyName/required/0");
    assert_eq!(
        (r.kind, &r.target),
        (RefKind::ConditionRequired, &prop(&[], "email"))
    );

    let r = at(&refs, "/allOf/0/if/properties/country");
    assert_eq!(
        (r.kind, &r.target),
        (RefKind::ConditionProperty, &prop(&[], "country"))
    );
    assert_eq!(r.rule, "checked by the if at /allOf/0/if");
    let r = at(&refs, "/allOf/0/if/required/0");
    assert_eq!(
        (r.kind, &r.target),
        (RefKind::ConditionRequired, &prop(&[], "country"))
    );

    let r = at(&refs, "/allOf/0/then/properties/postalCode");
    assert_eq!(r.target, prop(&[], "postalCode"));
    assert_eq!(
        r.rule,
        "constrained again by the then at /allOf/0/then (when the if at /allOf/0/if holds)"
    );
    let r = at(&refs, "/allOf/0/else/properties/postalCode");
    assert!(r.rule.contains("holds not"), "{}", r.rule);

    // A nested condition names the nested field in its own container.
    let r = at(&refs, "/if/properties/address/properties/zip");
    assert_eq!(r.target, prop(&["address"], "zip"));
    assert_eq!(r.rule, "checked by the if at /if");
    let r = at(&refs, "/then/required/0");
    assert_eq!(r.target, prop(&[], "familyName"));

    // Inside a nested object and an array's items.
    let r = at(&refs, "/properties/address/dependentRequired/zip/0");
    assert_eq!(r.target, prop(&["address"], "city"));
    let r = at(&refs, "/properties/address/propertyNames/enum/2");
    assert_eq!(
        (r.kind, &r.target),
        (RefKind::PropertyNames, &prop(&["address"], "zip"))
    );
    let r = at(&refs, "/properties/phones/items/required/0");
    assert_eq!(r.target, prop(&["phones"], "number"));

    // `$ref`s into `$defs`, in both places.
    let defs: Vec<&str> = refs
        .iter()
        .filter(|r| r.kind == RefKind::DefinitionRef)
        .map(|r| r.pointer.as_str())
        .collect();
    assert_eq!(defs, ["/properties/salary/$ref", "/properties/bonus/$ref"]);
    assert_eq!(
        at(&refs, "/properties/bonus/$ref").target,
        Target::Definition("money".into())
    );

    // patternProperties and $comment name no property.
    assert!(
        refs.iter()
            .all(|r| !r.pointer.contains("patternProperties"))
    );
    assert!(refs.iter().all(|r| !r.pointer.contains("$comment")));
}

#[test]
fn references_to_a_field_are_exactly_those_naming_it() {
    let s = rich();
    let mut ptrs: Vec<String> = references_to(&s, &["familyName"])
        .into_iter()
        .map(|r| r.pointer)
        .collect();
    ptrs.sort();
    assert_eq!(
        ptrs,
        [
            "/dependentRequired/familyName",
            "/dependentRequired/nickname/0",
            "/dependentSchemas/familyName",
            "/required/1",
            "/then/required/0",
        ]
    );
    // Same name, other container: nothing.
    assert!(references_to(&s, &["phones", "familyName"]).is_empty());
    let zip: Vec<String> = references_to(&s, &["address", "zip"])
        .into_iter()
        .map(|r| r.pointer)
        .collect();
    assert_eq!(
        zip,
        [
            "/if/properties/address/properties/zip",
            "/properties/address/dependentRequired/zip",
            "/properties/address/propertyNames/enum/2",
        ]
    );
}

#[test]
fn rename_rewrites_every_reference_and_counts_them() {
    let before = rich();
    let mut s = before.clone();
    let (path, n) = rename_field_counted(&mut s, &["familyName"], "lastName").expect("rename");
    assert_eq!(path, ["lastName"]);
    assert_eq!(n, 5);
    assert_eq!(s["required"], json!(["givenName", "lastName", "email"]));
    assert_eq!(
        s["dependentRequired"],
        json!({"nickname": ["lastName"], "lastName": ["givenName"]})
    );
    // Keys keep their position.
    let keys: Vec<&String> = s["dependentRequired"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["nickname", "lastName"]);
    assert_eq!(
        s["dependentSchemas"],
        json!({"lastName": {"required": ["email"]}})
    );
    assert_eq!(s["then"], json!({"required": ["lastName"]}));
    assert!(references_to(&s, &["familyName"]).is_empty());
    assert_eq!(references_to(&s, &["lastName"]).len(), 5);
    let prop_keys: Vec<&String> = s["properties"].as_object().unwrap().keys().collect();
    assert_eq!(prop_keys[1], "lastName");
}

#[test]
fn rename_rewrites_conditional_properties_and_required() {
    let mut s = rich();
    let (_, n) = rename_field_counted(&mut s, &["country"], "land").expect("rename");
    assert_eq!(n, 2);
    assert_eq!(
        s["allOf"][0]["if"],
        json!({"properties": {"land": {"const": "CH"}}, "required": ["land"]})
    );
    let (_, n) = rename_field_counted(&mut s, &["postalCode"], "plz").expect("rename");
    assert_eq!(n, 3);
    assert_eq!(
        s["allOf"][0]["then"]["properties"],
        json!({"plz": {"pattern": "^[0-9]{4}$"}})
    );
    assert_eq!(s["allOf"][0]["then"]["required"], json!(["plz"]));
    assert_eq!(
        s["allOf"][0]["else"]["properties"],
        json!({"plz": {"maxLength": 10}})
    );
    // Nested: address.zip is named in its container's dependentRequired, propertyNames and the
    // root `if`.
    let (_, n) = rename_field_counted(&mut s, &["address", "zip"], "postcode").expect("rename");
    assert_eq!(n, 3);
    assert_eq!(
        s["properties"]["address"]["dependentRequired"],
        json!({"postcode": ["city"]})
    );
    assert_eq!(
        s["properties"]["address"]["propertyNames"],
        json!({"enum": ["street", "city", "postcode"]})
    );
    assert_eq!(
        s["if"],
        json!({"properties": {"address": {"properties": {"postcode": {"minLength": 1}}}}})
    );
}

#[test]
fn rename_of_the_old_entry_point_rewrites_too() {
    // The designer's long-standing `rename_field` (used by other callers) gets the fix as well.
    let mut s = rich();
    rename_field(&mut s, &["familyName"], "lastName").expect("rename");
    assert_eq!(s["dependentRequired"]["nickname"], json!(["lastName"]));
}

#[test]
fn rename_touches_nothing_but_the_references() {
    let before = rich();
    let mut s = before.clone();
    let refs = references_to(&before, &["familyName"]);
    rename_field_counted(&mut s, &["familyName"], "lastName").expect("rename");
    let changed_prefixes: Vec<String> = refs
        .iter()
        .map(|r| r.pointer.clone())
        .chain(["/properties/familyName".to_string()])
        .collect();
    let after = all_leaves(&s);
    for (ptr, v) in all_leaves(&before) {
        if changed_prefixes.iter().any(|p| ptr.starts_with(p.as_str())) {
            continue;
        }
        let found = after.iter().find(|(p, _)| *p == ptr);
        assert_eq!(found.map(|(_, v)| v), Some(&v), "{ptr} changed");
    }
}

#[test]
fn rename_errors_change_nothing() {
    let before = rich();
    let mut s = before.clone();
    assert!(matches!(
        rename_field_counted(&mut s, &["familyName"], "nickname"),
        Err(FieldError::Duplicate { .. })
    ));
    assert!(matches!(
        rename_field_counted(&mut s, &["nope"], "x"),
        Err(FieldError::NoSuchField(_))
    ));
    assert_eq!(s, before);
}

#[test]
fn remove_lists_the_references_outside_required() {
    let s = rich();
    let refs: Vec<String> = outside_references(&s, &["country"])
        .into_iter()
        .map(|r| r.rule)
        .collect();
    assert_eq!(
        refs,
        [
            "checked by the if at /allOf/0/if: must be set",
            "checked by the if at /allOf/0/if",
        ]
    );
}

#[test]
fn remove_with_references_removes_them_and_keep_leaves_them() {
    let before = rich();

    let mut kept = before.clone();
    let n = remove_field_with_references(&mut kept, &["familyName"], false).expect("remove");
    assert_eq!(n, 0);
    assert!(kept["properties"].get("familyName").is_none());
    assert_eq!(kept["required"], json!(["givenName", "email"]));
    assert_eq!(kept["dependentRequired"]["nickname"], json!(["familyName"]));

    let mut s = before.clone();
    let n = remove_field_with_references(&mut s, &["familyName"], true).expect("remove");
    assert_eq!(n, 4);
    assert_eq!(s["required"], json!(["givenName", "email"]));
    assert_eq!(s["dependentRequired"], json!({"nickname": []}));
    assert_eq!(s["dependentSchemas"], json!({}));
    assert_eq!(s["then"], json!({"required": []}));
    assert!(references_to(&s, &["familyName"]).is_empty());
    // Everything else as it was.
    assert_eq!(s["allOf"], before["allOf"]);
    assert_eq!(s["properties"]["address"], before["properties"]["address"]);
    assert_eq!(s["$defs"], before["$defs"]);

    let mut s = before.clone();
    let n = remove_field_with_references(&mut s, &["country"], true).expect("remove");
    assert_eq!(n, 2);
    assert_eq!(
        s["allOf"][0]["if"],
        json!({"properties": {}, "required": []})
    );
    assert_eq!(s["allOf"][0]["then"], before["allOf"][0]["then"]);
}

#[test]
fn remove_of_a_missing_field_changes_nothing() {
    let before = rich();
    let mut s = before.clone();
    assert!(remove_field_with_references(&mut s, &["nope"], true).is_err());
    assert_eq!(s, before);
}

#[test]
fn badges_say_where_a_field_is_referenced_or_conditional() {
    use schemadesk::app::designer::reference_badge;
    let s = rich();
    let refs = index(&s);
    let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();

    let (badge, hover) =
        reference_badge(&refs, &path(&["postalCode"]), "/properties/postalCode").expect("badge");
    assert_eq!(badge, "conditional");
    assert!(
        hover.contains("constrained again by the then at /allOf/0/then"),
        "{hover}"
    );
    assert_eq!(hover.lines().count(), 3, "{hover}");

    let (badge, hover) =
        reference_badge(&refs, &path(&["nickname"]), "/properties/nickname").expect("badge");
    assert_eq!(badge, "referenced");
    assert!(
        hover.starts_with("when set, familyName must be set too"),
        "{hover}"
    );

    let (_, hover) =
        reference_badge(&refs, &path(&["salary"]), "/properties/salary").expect("badge");
    assert!(hover.contains("uses the definition money"), "{hover}");

    let (badge, _) = reference_badge(
        &refs,
        &path(&["address", "zip"]),
        "/properties/address/properties/zip",
    )
    .expect("badge");
    assert_eq!(badge, "conditional");

    // Nothing but its container's `required` names phones.type: no badge.
    assert!(
        reference_badge(
            &refs,
            &path(&["phones", "type"]),
            "/properties/phones/items/properties/type"
        )
        .is_none()
    );
    assert!(
        reference_badge(
            &refs,
            &path(&["address", "street"]),
            "/properties/address/properties/street"
        )
        .is_some(),
        "named by propertyNames"
    );
}

// ---- generated: any field of the rich schema, any new name ----

mod generated {
    use super::*;
    use proptest::prelude::*;
    use schemadesk::schema::fields::FieldTree;

    fn config() -> ProptestConfig {
        let cases = std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(64);
        ProptestConfig::with_cases(cases)
    }

    fn fields() -> Vec<(Vec<String>, String)> {
        let tree = FieldTree::read(&rich()).expect("the fixture reads");
        tree.iter()
            .map(|f| (f.path.clone(), f.pointer.clone()))
            .collect()
    }

    fn others(s: &Value, path: &[String]) -> Vec<String> {
        let mut v: Vec<String> = index(s)
            .into_iter()
            .filter(|r| !r.names_field(path))
            .map(|r| format!("{:?} {:?}", r.target, r.kind))
            .collect();
        v.sort();
        v
    }

    proptest! {
        #![proptest_config(config())]

        /// Rename moves every reference along and changes nothing but the references and the
        /// field's key: every other JSON pointer holds what it held.
        #[test]
        fn rename_changes_only_the_field_and_its_references(
            pick in 0usize..1000,
            new_name in "[a-z]{1,6}",
        ) {
            let all = fields();
            let (path, pointer) = all[pick % all.len()].clone();
            let before = rich();
            let siblings: Vec<String> = all
                .iter()
                .filter(|(p, _)| p.len() == path.len() && p[..p.len() - 1] == path[..path.len() - 1])
                .map(|(p, _)| p[p.len() - 1].clone())
                .collect();
            prop_assume!(!siblings.contains(&new_name));
            let refs = references_to(&before, &path);
            let mut s = before.clone();
            let (new_path, n) = rename_field_counted(&mut s, &path, &new_name).expect("rename");
            prop_assert_eq!(n, refs.len());
            prop_assert!(references_to(&s, &path).is_empty());
            let kinds = |r: &[Reference]| {
                let mut k: Vec<String> = r.iter().map(|r| format!("{:?}", r.kind)).collect();
                k.sort();
                k
            };
            prop_assert_eq!(kinds(&references_to(&s, &new_path)), kinds(&refs));
            let new_pointer = format!(
                "{}/{}",
                &pointer[..pointer.rfind('/').unwrap_or(0)],
                new_name
            );
            prop_assert_eq!(s.pointer(&new_pointer), before.pointer(&pointer));
            let skip: Vec<&str> = refs
                .iter()
                .map(|r| r.pointer.as_str())
                .chain([pointer.as_str()])
                .collect();
            let after: std::collections::HashMap<String, Value> =
                all_leaves(&s).into_iter().collect();
            for (ptr, v) in all_leaves(&before) {
                if skip.iter().any(|p| ptr == *p || ptr.starts_with(&format!("{p}/"))) {
                    continue;
                }
                prop_assert_eq!(
                    after.get(&ptr).map(|v| v.to_string()),
                    Some(v.to_string()),
                    "{} changed",
                    ptr
                );
            }
        }

        /// Remove with references leaves no reference to the field and every other
        /// reference in place.
        #[test]
        fn remove_with_references_keeps_every_other_reference(pick in 0usize..1000, with in any::<bool>()) {
            let all = fields();
            let (path, _) = all[pick % all.len()].clone();
            let before = rich();
            let mut s = before.clone();
            let n = remove_field_with_references(&mut s, &path, with).expect("remove");
            prop_assert_eq!(n, if with { outside_references(&before, &path).len() } else { 0 });
            if with {
                prop_assert!(references_to(&s, &path).is_empty());
            }
            // Every other reference stays (also those naming the field's children from
            // outside it), unless it lies inside the removed subtree or a removed reference's
            // entry.
            let (_, pointer) = all[pick % all.len()].clone();
            let mut gone = vec![pointer.clone()];
            if with {
                gone.extend(outside_references(&before, &path).into_iter().map(|r| r.pointer));
            }
            let survives = |r: &Reference| {
                let inside = gone.iter().any(|g| r.pointer.starts_with(&format!("{g}/")));
                !r.names_field(&path) && !inside
            };
            let expected: Vec<String> = {
                let mut v: Vec<String> = index(&before)
                    .into_iter()
                    .filter(survives)
                    .map(|r| format!("{:?} {:?}", r.target, r.kind))
                    .collect();
                v.sort();
                v
            };
            prop_assert_eq!(others(&s, &path), expected);
        }
    }
}

// ---- an unresolvable $ref is reported where it is (item 8) ----

#[test]
fn an_unresolvable_ref_is_reported_at_the_ref() {
    use schemadesk::schema::{Source, validate};
    let text = include_str!("fixtures/refs/rich.json").replace(
        r##""salary": {"$ref": "#/$defs/money"}"##,
        r##""salary": {"$ref": "#/$defs/nope"}"##,
    );
    let line = text
        .lines()
        .position(|l| l.contains("#/$defs/nope"))
        .expect("the edited line")
        + 1;
    let v = validate(Source::File(&text));
    assert!(!v.is_valid());
    let d = v
        .diagnostics
        .iter()
        .find(|d| d.message.contains("nope"))
        .unwrap_or_else(|| panic!("{:#?}", v.diagnostics));
    assert_eq!(d.pointer, "/properties/salary/$ref", "{d:?}");
    assert_eq!(d.line, line, "{d:?}");
    assert!(d.column > 1, "{d:?}");
}

// ---- the compatibility report and references (item 1, compat) ----

/// The rich fixture after a designer step that leaves references behind (the old remove and
/// rename, which did not rewrite them): compat must not call it compatible.
#[test]
fn compat_does_not_call_stale_references_compatible() {
    use schemadesk::schema::compat::{Class, compare_schemas};
    use schemadesk::schema::fields::remove_field;
    let old = rich();
    // Renamed, references left stale: `nickname` now needs a property nobody can set.
    let mut renamed = old.clone();
    let props = renamed["properties"].as_object_mut().expect("properties");
    let family = props.shift_remove("familyName").expect("familyName");
    props.insert("lastName".into(), family);
    renamed["required"] = json!(["givenName", "lastName", "email"]);
    let report = compare_schemas(&old, &renamed);
    assert_ne!(report.worst(), Class::Compatible, "{report:#?}");
    assert!(
        report
            .changes
            .iter()
            .any(|c| c.pointer == "/dependentRequired/nickname/0" && c.class != Class::Compatible),
        "{report:#?}"
    );

    // Removed, the `if` still checking it.
    let mut removed = old.clone();
    remove_field(&mut removed, &["country"]).expect("remove");
    let report = compare_schemas(&old, &removed);
    assert!(
        report
            .changes
            .iter()
            .any(|c| c.pointer == "/allOf/0/if/properties/country" && c.class != Class::Compatible),
        "{report:#?}"
    );
}
