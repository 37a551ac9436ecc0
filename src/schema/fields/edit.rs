//! Designer operations on the schema's JSON: add, rename, move, nest, remove, set an attribute,
//! and the root's permission.

use serde_json::{Map, Number, Value};

use super::tree::is_array_node;
use super::{FieldError, FieldType};
use crate::schema::permission::{Access, PERMISSION_KEYWORD, Permission};

/// One attribute of a field, with its new value (`None` removes the keyword).
#[derive(Debug, Clone, PartialEq)]
pub enum Attr {
    Type(Option<FieldType>),
    /// The type of an array's items (creates or edits `items`).
    ItemType(Option<FieldType>),
    Title(Option<String>),
    Description(Option<String>),
    Required(bool),
    Format(Option<String>),
    Enum(Option<Vec<Value>>),
    MinLength(Option<u64>),
    MaxLength(Option<u64>),
    Minimum(Option<Number>),
    Maximum(Option<Number>),
    Pattern(Option<String>),
    Default(Option<Value>),
    Permission(Permission),
}

/// The access levels the permission controls offer: on fields, hidden / read / read and
/// write; on the schema's root (whose letters must be single: `^[rw]$`), hidden / read /
/// write only.
pub fn permission_choices(is_root: bool) -> &'static [Access] {
    const FIELD: [Access; 3] = Access::CHOICES;
    const ROOT: [Access; 3] = [Access::Hidden, Access::Read, Access::Write];
    if is_root { &ROOT } else { &FIELD }
}

pub(super) fn show_path<S: AsRef<str>>(path: &[S]) -> String {
    path.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(".")
}

fn parent_name<S: AsRef<str>>(parent: &[S]) -> String {
    if parent.is_empty() {
        "the schema's root".into()
    } else {
        format!("the field \"{}\"", show_path(parent))
    }
}

/// The object whose `properties` hold the children of `parent` (the root for an empty path).
/// With `create`, an array field gets an object `items` if it has none.
fn container_mut<'a, S: AsRef<str>>(
    schema: &'a mut Value,
    parent: &[S],
    create: bool,
) -> Result<&'a mut Map<String, Value>, FieldError> {
    let mut node: &mut Map<String, Value> = match schema {
        Value::Object(m) => m,
        _ => return Err(FieldError::NotAnObject),
    };
    for (depth, name) in parent.iter().enumerate() {
        let here = || show_path(&parent[..=depth]);
        let sub = node
            .get_mut("properties")
            .and_then(Value::as_object_mut)
            .and_then(|p| p.get_mut(name.as_ref()))
            .ok_or_else(|| FieldError::NoSuchField(here()))?;
        if *sub == Value::Bool(true) {
            *sub = Value::Object(Map::new());
        }
        let Value::Object(field) = sub else {
            return Err(FieldError::NotAContainer(here()));
        };
        node = field;
        if is_array_node(node) {
            if create && !node.get("items").is_some_and(Value::is_object) {
                node.insert("items".into(), serde_json::json!({"type": "object"}));
            }
            match node.get_mut("items") {
                Some(Value::Object(items)) => node = items,
                _ => return Err(FieldError::NotAContainer(here())),
            }
        }
        let holds_fields = match node.get("type") {
            None => true,
            Some(t) => t.as_str() == Some("object"),
        };
        if !holds_fields && !node.contains_key("properties") {
            return Err(FieldError::NotAContainer(here()));
        }
    }
    Ok(node)
}

/// The subschema of the field at `path` (a `true` schema becomes `{}`, which means the same).
fn field_mut<'a, S: AsRef<str>>(
    schema: &'a mut Value,
    path: &[S],
) -> Result<&'a mut Map<String, Value>, FieldError> {
    let (name, parent) = path
        .split_last()
        .ok_or_else(|| FieldError::NoSuchField(String::new()))?;
    let container = container_mut(schema, parent, false)
        .map_err(|_| FieldError::NoSuchField(show_path(path)))?;
    let sub = container
        .get_mut("properties")
        .and_then(Value::as_object_mut)
        .and_then(|p| p.get_mut(name.as_ref()))
        .ok_or_else(|| FieldError::NoSuchField(show_path(path)))?;
    if *sub == Value::Bool(true) {
        *sub = Value::Object(Map::new());
    }
    match sub {
        Value::Object(m) => Ok(m),
        _ => Err(FieldError::NotEditable {
            field: show_path(path),
            keyword: "(boolean schema)".into(),
        }),
    }
}

fn properties_mut(container: &mut Map<String, Value>) -> Option<&mut Map<String, Value>> {
    if !container.contains_key("properties") {
        container.insert("properties".into(), Value::Object(Map::new()));
    }
    container
        .get_mut("properties")
        .and_then(Value::as_object_mut)
}

fn check_name(name: &str) -> Result<(), FieldError> {
    if name.trim().is_empty() {
        Err(FieldError::EmptyName)
    } else {
        Ok(())
    }
}

/// Adds a field of `field_type` at the end of `parent`'s fields; returns its path.
pub fn add_field<S: AsRef<str>>(
    schema: &mut Value,
    parent: &[S],
    name: &str,
    field_type: FieldType,
) -> Result<Vec<String>, FieldError> {
    check_name(name)?;
    let mut sub = Map::new();
    sub.insert("type".into(), Value::String(field_type.as_str().into()));
    insert_field(schema, parent, name, Value::Object(sub), false)?;
    Ok(child_path(parent, name))
}

fn child_path<S: AsRef<str>>(parent: &[S], name: &str) -> Vec<String> {
    let mut p: Vec<String> = parent.iter().map(|s| s.as_ref().to_string()).collect();
    p.push(name.to_string());
    p
}

fn insert_field<S: AsRef<str>>(
    schema: &mut Value,
    parent: &[S],
    name: &str,
    sub: Value,
    required: bool,
) -> Result<(), FieldError> {
    let container = container_mut(schema, parent, true)?;
    let props =
        properties_mut(container).ok_or_else(|| FieldError::NotAContainer(show_path(parent)))?;
    if props.contains_key(name) {
        return Err(FieldError::Duplicate {
            name: name.to_string(),
            parent: parent_name(parent),
        });
    }
    props.insert(name.to_string(), sub);
    if required {
        set_required_in(container, name, true);
    }
    Ok(())
}

/// Adds or removes `name` in a container's `required` array (kept in place; removed when it
/// becomes empty).
fn set_required_in(container: &mut Map<String, Value>, name: &str, required: bool) -> bool {
    let listed = container
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|v| v.as_str() == Some(name)));
    if required == listed {
        return true;
    }
    if required {
        match container.get_mut("required") {
            Some(Value::Array(a)) => a.push(Value::String(name.into())),
            Some(_) => return false,
            None => {
                container.insert(
                    "required".into(),
                    Value::Array(vec![Value::String(name.into())]),
                );
            }
        }
    } else if let Some(Value::Array(a)) = container.get_mut("required") {
        a.retain(|v| v.as_str() != Some(name));
        if a.is_empty() {
            container.shift_remove("required");
        }
    }
    true
}

/// Renames a field in place (its position and its `required` entry are kept) and rewrites
/// every reference to it (see [`rename_field_counted`]); returns the new path.
pub fn rename_field<S: AsRef<str>>(
    schema: &mut Value,
    path: &[S],
    new_name: &str,
) -> Result<Vec<String>, FieldError> {
    rename_field_counted(schema, path, new_name).map(|(p, _)| p)
}

/// Renames a field in place and rewrites every reference to it that the
/// [reference index](super::refs) knows (`required`, `dependentRequired` keys and values,
/// `dependentSchemas` keys, `if`/`then`/`else` properties and required, `propertyNames`);
/// returns the new path and how many references it rewrote. Nothing else changes.
pub fn rename_field_counted<S: AsRef<str>>(
    schema: &mut Value,
    path: &[S],
    new_name: &str,
) -> Result<(Vec<String>, usize), FieldError> {
    check_name(new_name)?;
    let (old, parent) = path
        .split_last()
        .ok_or_else(|| FieldError::NoSuchField(String::new()))?;
    let old = old.as_ref();
    if old == new_name {
        return Ok((child_path(parent, new_name), 0));
    }
    {
        let container = container_mut(schema, parent, false)?;
        let props = container
            .get("properties")
            .and_then(Value::as_object)
            .ok_or_else(|| FieldError::NoSuchField(show_path(path)))?;
        if !props.contains_key(old) {
            return Err(FieldError::NoSuchField(show_path(path)));
        }
        if props.contains_key(new_name) {
            return Err(FieldError::Duplicate {
                name: new_name.to_string(),
                parent: parent_name(parent),
            });
        }
    }
    // The references live outside the field's own subschema, so rewriting them first leaves
    // the `properties` key below where it was.
    let refs = crate::schema::refs::references_to(schema, path);
    let rewritten = crate::schema::refs::rename_references(schema, refs, new_name);
    let container = container_mut(schema, parent, false)?;
    let props = container
        .get_mut("properties")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| FieldError::NoSuchField(show_path(path)))?;
    let renamed: Map<String, Value> = std::mem::take(props)
        .into_iter()
        .map(|(k, v)| {
            if k == old {
                (new_name.to_string(), v)
            } else {
                (k, v)
            }
        })
        .collect();
    *props = renamed;
    Ok((child_path(parent, new_name), rewritten))
}

/// Moves a field to position `index` among its siblings.
pub fn move_field<S: AsRef<str>>(
    schema: &mut Value,
    path: &[S],
    index: usize,
) -> Result<(), FieldError> {
    let (name, parent) = path
        .split_last()
        .ok_or_else(|| FieldError::NoSuchField(String::new()))?;
    let container = container_mut(schema, parent, false)?;
    let props = container
        .get_mut("properties")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| FieldError::NoSuchField(show_path(path)))?;
    let mut entries: Vec<(String, Value)> = std::mem::take(props).into_iter().collect();
    let len = entries.len();
    let Some(from) = entries.iter().position(|(k, _)| k == name.as_ref()) else {
        *props = entries.into_iter().collect();
        return Err(FieldError::NoSuchField(show_path(path)));
    };
    if index >= len {
        *props = entries.into_iter().collect();
        return Err(FieldError::OutOfRange { index, len });
    }
    let entry = entries.remove(from);
    entries.insert(index, entry);
    *props = entries.into_iter().collect();
    Ok(())
}

/// Removes a field (and its `required` entry); returns its subschema.
pub fn remove_field<S: AsRef<str>>(schema: &mut Value, path: &[S]) -> Result<Value, FieldError> {
    let (name, parent) = path
        .split_last()
        .ok_or_else(|| FieldError::NoSuchField(String::new()))?;
    let container = container_mut(schema, parent, false)?;
    let removed = container
        .get_mut("properties")
        .and_then(Value::as_object_mut)
        .and_then(|p| p.shift_remove(name.as_ref()))
        .ok_or_else(|| FieldError::NoSuchField(show_path(path)))?;
    set_required_in(container, name.as_ref(), false);
    Ok(removed)
}

/// Removes a field like [`remove_field`] and, with `with_references`, also every other place
/// that names it (see [`crate::schema::refs::outside_references`]); returns how many references it
/// removed besides the field's `required` entry.
pub fn remove_field_with_references<S: AsRef<str>>(
    schema: &mut Value,
    path: &[S],
    with_references: bool,
) -> Result<usize, FieldError> {
    let refs = if with_references {
        crate::schema::refs::outside_references(schema, path)
    } else {
        Vec::new()
    };
    // The references lie outside the field's subschema and its container's `required`, so
    // removing the field first (which fails before changing anything) leaves their pointers.
    remove_field(schema, path)?;
    Ok(crate::schema::refs::remove_references(schema, refs))
}

/// Moves a field into another object (or array of objects), or back up to the root with an
/// empty `new_parent`; it goes last there and stays required if it was. Returns the new path.
pub fn nest_field<S: AsRef<str>, T: AsRef<str>>(
    schema: &mut Value,
    path: &[S],
    new_parent: &[T],
) -> Result<Vec<String>, FieldError> {
    let name = path
        .last()
        .ok_or_else(|| FieldError::NoSuchField(String::new()))?
        .as_ref()
        .to_string();
    if new_parent.len() >= path.len()
        && path
            .iter()
            .zip(new_parent)
            .all(|(a, b)| a.as_ref() == b.as_ref())
    {
        return Err(FieldError::IntoItself);
    }
    // Work on a copy so that a failure half-way leaves the schema as it was.
    let mut work = schema.clone();
    let required = {
        let parent = &path[..path.len() - 1];
        let container = container_mut(&mut work, parent, false)?;
        container
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|v| v.as_str() == Some(name.as_str())))
    };
    let sub = remove_field(&mut work, path)?;
    insert_field(&mut work, new_parent, &name, sub, required)?;
    *schema = work;
    Ok(child_path(new_parent, &name))
}

/// Sets one attribute of a field, touching only that keyword.
pub fn set_attr<S: AsRef<str>>(
    schema: &mut Value,
    path: &[S],
    attr: Attr,
) -> Result<(), FieldError> {
    if let Attr::Required(required) = attr {
        let (name, parent) = path
            .split_last()
            .ok_or_else(|| FieldError::NoSuchField(String::new()))?;
        // The field must exist.
        field_mut(schema, path)?;
        let container = container_mut(schema, parent, false)?;
        if !set_required_in(container, name.as_ref(), required) {
            return Err(FieldError::NotEditable {
                field: show_path(parent),
                keyword: "required".into(),
            });
        }
        return Ok(());
    }
    let node = field_mut(schema, path)?;
    apply_attr(node, attr, &show_path(path))
}

/// Sets one attribute of the definition `/$defs/<name>`, once for every field whose `$ref`
/// names it. `required` belongs to where a field is used, so it is not an attribute here.
pub fn set_definition_attr(schema: &mut Value, name: &str, attr: Attr) -> Result<(), FieldError> {
    let here = format!("$defs.{name}");
    if matches!(attr, Attr::Required(_)) {
        return Err(FieldError::NotEditable {
            field: here,
            keyword: "required".into(),
        });
    }
    let node = schema
        .get_mut("$defs")
        .and_then(Value::as_object_mut)
        .and_then(|defs| defs.get_mut(name))
        .and_then(Value::as_object_mut)
        .ok_or_else(|| FieldError::NoSuchField(here.clone()))?;
    apply_attr(node, attr, &here)
}

/// Writes one attribute into a subschema; `here` names it in errors.
fn apply_attr(node: &mut Map<String, Value>, attr: Attr, here: &str) -> Result<(), FieldError> {
    let string = |s: String| Value::String(s);
    match attr {
        Attr::Type(t) => put(node, "type", t.map(|t| string(t.as_str().into()))),
        Attr::ItemType(t) => match node.get_mut("items") {
            Some(Value::Object(items)) => {
                put(items, "type", t.map(|t| string(t.as_str().into())));
                if items.is_empty() {
                    node.shift_remove("items");
                }
            }
            Some(Value::Bool(true)) | None => {
                if let Some(t) = t {
                    let mut items = Map::new();
                    items.insert("type".into(), string(t.as_str().into()));
                    node.insert("items".into(), Value::Object(items));
                }
            }
            Some(_) => {
                return Err(FieldError::NotEditable {
                    field: here.to_string(),
                    keyword: "items".into(),
                });
            }
        },
        Attr::Title(v) => put(node, "title", v.map(string)),
        Attr::Description(v) => put(node, "description", v.map(string)),
        Attr::Format(v) => put(node, "format", v.map(string)),
        Attr::Pattern(v) => put(node, "pattern", v.map(string)),
        Attr::Enum(v) => put(node, "enum", v.map(Value::Array)),
        Attr::MinLength(v) => put(node, "minLength", v.map(Value::from)),
        Attr::MaxLength(v) => put(node, "maxLength", v.map(Value::from)),
        Attr::Minimum(v) => put(node, "minimum", v.map(Value::Number)),
        Attr::Maximum(v) => put(node, "maximum", v.map(Value::Number)),
        Attr::Default(v) => put(node, "default", v),
        Attr::Permission(p) => {
            // Unchanged in meaning: keep the letters exactly as written.
            if Permission::of(&Value::Object(node.clone())) != p {
                p.apply(node);
            }
        }
        Attr::Required(_) => {}
    }
    Ok(())
}

/// Sets the permission on the schema's root, where each party's letters must be a single
/// `r` or `w` (the server's `^[rw]$`): read-and-write is only possible as "no keyword".
pub fn set_root_permission(schema: &mut Value, p: Permission) -> Result<(), FieldError> {
    let Value::Object(root) = schema else {
        return Err(FieldError::NotAnObject);
    };
    if p == Permission::UNRESTRICTED {
        root.shift_remove(PERMISSION_KEYWORD);
        return Ok(());
    }
    if p.owner == Access::ReadWrite || p.user == Access::ReadWrite {
        return Err(FieldError::RootPermission);
    }
    if Permission::of(schema) != p
        && let Value::Object(root) = schema
    {
        p.apply(root);
    }
    Ok(())
}

/// Writes or removes one keyword; an existing keyword keeps its place.
fn put(node: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    match value {
        Some(v) => {
            node.insert(key.to_string(), v);
        }
        None => {
            node.shift_remove(key);
        }
    }
}

/// The root permission after one party's control was set to `access`. Read-and-write for
/// either party means "no keyword" (the root cannot say `rw`); a single letter for one party
/// while the other was unrestricted gives the other read access, the nearest single letter.
pub fn pick_root_permission(current: Permission, owner: bool, access: Access) -> Permission {
    if access == Access::ReadWrite {
        return Permission::UNRESTRICTED;
    }
    let mut next = current;
    if owner {
        next.owner = access;
    } else {
        next.user = access;
    }
    for party in [&mut next.owner, &mut next.user] {
        if *party == Access::ReadWrite {
            *party = Access::Read;
        }
    }
    next
}
