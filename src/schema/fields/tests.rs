//! The designer model's unit tests.

use super::*;
use crate::schema::permission::{Access, PERMISSION_KEYWORD, Permission};
use serde_json::{Number, json};

#[test]
fn reads_nested_objects_and_arrays() {
    let schema = json!({
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "maxLength": 10, "x-ui": "wide"},
            "address": {"type": "object", "required": ["city"],
                        "properties": {"city": {"type": "string"}}},
            "phones": {"type": "array", "items": {"type": "object",
                       "properties": {"number": {"type": "string"}}}}
        }
    });
    let tree = FieldTree::read(&schema).unwrap();
    assert_eq!(tree.fields.len(), 3);
    let name = &tree.fields[0];
    assert!(name.required);
    assert_eq!(name.max_length, Some(10));
    assert_eq!(name.extra_keywords, vec!["x-ui"]);
    let city = tree.find(&["address", "city"]).unwrap();
    assert!(city.required);
    assert_eq!(city.pointer, "/properties/address/properties/city");
    let number = tree.find(&["phones", "number"]).unwrap();
    assert_eq!(number.pointer, "/properties/phones/items/properties/number");
    assert_eq!(
        tree.find(&["phones"]).unwrap().item_type,
        Some(FieldType::Object)
    );
    assert_eq!(tree.iter().count(), 5);
}

#[test]
fn add_into_array_creates_items() {
    let mut schema = json!({"properties": {"tags": {"type": "array"}}});
    add_field(&mut schema, &["tags"], "label", FieldType::String).unwrap();
    assert_eq!(
        schema,
        json!({"properties": {"tags": {"type": "array", "items": {"type": "object",
               "properties": {"label": {"type": "string"}}}}}})
    );
}

#[test]
fn strings_hold_no_fields() {
    let mut schema = json!({"properties": {"s": {"type": "string"}}});
    let before = schema.clone();
    assert_eq!(
        add_field(&mut schema, &["s"], "x", FieldType::String),
        Err(FieldError::NotAContainer("s".into()))
    );
    assert_eq!(schema, before);
}

#[test]
fn odd_shapes_are_errors_not_panics() {
    let mut s = json!({"properties": [1, 2], "required": "a"});
    let before = s.clone();
    let err = add_field(&mut s, &[] as &[&str], "x", FieldType::String).unwrap_err();
    assert_eq!(err, FieldError::NotAContainer(String::new()));
    assert!(
        err.to_string()
            .starts_with("the schema's root cannot hold fields")
    );
    assert!(FieldTree::read(&s).unwrap().fields.is_empty());
    assert_eq!(s, before);

    let mut s = json!({"properties": {"a": {}}, "required": "a"});
    assert!(matches!(
        set_attr(&mut s, &["a"], Attr::Required(true)),
        Err(FieldError::NotEditable { .. })
    ));
    let mut s = json!({"properties": {"a": false}});
    assert!(matches!(
        set_attr(&mut s, &["a"], Attr::Title(None)),
        Err(FieldError::NotEditable { .. })
    ));
    assert!(FieldTree::read(&s).unwrap().fields[0].has_extra_keywords);
    assert_eq!(
        set_attr(&mut s, &[] as &[&str], Attr::Title(None)),
        Err(FieldError::NoSuchField(String::new()))
    );
    assert_eq!(FieldTree::read(&json!(true)), Err(FieldError::NotAnObject));
}

#[test]
fn root_permission_rule() {
    let mut schema = json!({});
    let rw = Permission {
        owner: Access::ReadWrite,
        user: Access::Read,
    };
    assert_eq!(
        set_root_permission(&mut schema, rw),
        Err(FieldError::RootPermission)
    );
    set_root_permission(
        &mut schema,
        Permission {
            owner: Access::Write,
            user: Access::Read,
        },
    )
    .unwrap();
    assert_eq!(
        schema,
        json!({PERMISSION_KEYWORD: {"owner": "w", "self": "r"}})
    );
    assert!(super::super::permission::check_permissions(&schema).is_empty());
}

#[test]
fn inputs_are_read_by_type() {
    use FieldType as T;
    assert_eq!(parse_input("", Some(T::String)), Ok(None));
    assert_eq!(parse_input(" 12", Some(T::String)), Ok(Some(json!(" 12"))));
    assert_eq!(parse_input("12", Some(T::Integer)), Ok(Some(json!(12))));
    assert!(parse_input("1.5", Some(T::Integer)).is_err());
    assert_eq!(parse_input("1.5", Some(T::Number)), Ok(Some(json!(1.5))));
    assert!(parse_input("abc", Some(T::Number)).is_err());
    assert_eq!(parse_input("true", Some(T::Boolean)), Ok(Some(json!(true))));
    assert!(parse_input("yes", Some(T::Boolean)).is_err());
    assert_eq!(parse_input("[1]", Some(T::Array)), Ok(Some(json!([1]))));
    assert_eq!(parse_input("hi", None), Ok(Some(json!("hi"))));
    assert_eq!(
        parse_input_lenient("abc", Some(T::Number)),
        Some(json!("abc"))
    );
    assert_eq!(parse_length("7"), Ok(Some(7)));
    assert!(parse_length("-1").is_err());
    assert_eq!(parse_length(" "), Ok(None));
    assert_eq!(
        parse_limit("-2.5"),
        Ok(Some(Number::from_f64(-2.5).unwrap()))
    );
    assert!(parse_limit("x").is_err());
}

#[test]
fn enum_values_one_per_line() {
    assert_eq!(
        parse_enum("en\n\n de\n", Some(FieldType::String)),
        Ok(Some(vec![json!("en"), json!(" de")]))
    );
    assert_eq!(
        parse_enum("1\n2", Some(FieldType::Integer)),
        Ok(Some(vec![json!(1), json!(2)]))
    );
    assert!(parse_enum("1\n1", Some(FieldType::Integer)).is_err());
    assert!(parse_enum("a", Some(FieldType::Integer)).is_err());
    assert_eq!(parse_enum("\n", None), Ok(None));
    let values = vec![json!("en"), json!(2), json!(true)];
    assert_eq!(enum_to_text(&values), "en\n2\ntrue");
    assert_eq!(parse_enum(&enum_to_text(&values), None), Ok(Some(values)));
}

#[test]
fn sample_values_by_path() {
    let mut sample = json!({});
    instance_set(&mut sample, &["address", "city"], Some(json!("Bern"))).unwrap();
    assert_eq!(sample, json!({"address": {"city": "Bern"}}));
    assert_eq!(
        instance_get(&sample, &["address", "city"]),
        Some(&json!("Bern"))
    );
    instance_set(&mut sample, &["address", "city"], None).unwrap();
    instance_set(&mut sample, &["x", "y"], None).unwrap();
    assert_eq!(sample, json!({"address": {}}));
    let mut odd = json!({"address": 3});
    assert!(instance_set(&mut odd, &["address", "city"], Some(json!(1))).is_err());
    assert_eq!(instance_pointer(&["a/b", "c"]), "/a~1b/c");
}

#[test]
fn form_access_and_root_picks() {
    let p = Permission {
        owner: Access::ReadWrite,
        user: Access::Read,
    };
    assert_eq!(form_access(Viewer::Administrator, p), FormAccess::Editable);
    assert_eq!(form_access(Viewer::User, p), FormAccess::ReadOnly);
    let hidden = Permission {
        owner: Access::Read,
        user: Access::Hidden,
    };
    assert_eq!(form_access(Viewer::User, hidden), FormAccess::Absent);
    let picked = pick_root_permission(Permission::UNRESTRICTED, true, Access::Write);
    assert_eq!(
        picked,
        Permission {
            owner: Access::Write,
            user: Access::Read
        }
    );
    assert_eq!(
        pick_root_permission(picked, false, Access::ReadWrite),
        Permission::UNRESTRICTED
    );
    let mut schema = json!({});
    set_root_permission(&mut schema, picked).unwrap();
    assert!(super::super::permission::check_permissions(&schema).is_empty());
}

#[test]
fn free_names_and_containers() {
    let schema = json!({"properties": {"field": {}, "field2": {}, "a": {"type": "object"},
                        "s": {"type": "string"}, "l": {"type": "array", "items": {"type": "string"}}}});
    let tree = FieldTree::read(&schema).unwrap();
    assert_eq!(free_field_name(&tree, &[] as &[&str], "field"), "field3");
    assert_eq!(free_field_name(&tree, &["a"], "field"), "field");
    let holders: Vec<&str> = tree
        .iter()
        .filter(|f| holds_fields(f))
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(holders, ["field", "field2", "a"]);
}
