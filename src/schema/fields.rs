//! The visual designer's model: a tree of fields read from a schema's `properties`, and
//! operations (add, rename, reorder, nest, remove, set an attribute) applied directly to the
//! schema's [`Value`].
//!
//! The JSON stays the single source of truth: every operation edits only the keywords it is
//! about, so keywords the designer does not understand are kept untouched and in place (the
//! crate builds serde_json with `preserve_order`), and a field whose subschema holds such
//! keywords reports [`Field::has_extra_keywords`]. Reading the tree again after an operation
//! gives the designer's new state; reading it from the same JSON always gives the same tree.
//!
//! Fields are addressed by their path of names from the root: `["address", "city"]`. The
//! children of an array field are the properties of its `items`.

use serde_json::{Map, Number, Value};

use super::permission::{Access, PERMISSION_KEYWORD, Permission};
use super::position::escape_token;

/// What can go wrong with a designer operation. The schema is left unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("the schema must be a JSON object")]
    NotAnObject,
    #[error(
        "invalid JSON at line {line}, column {column}: {message}; the fields were left as they were"
    )]
    InvalidJson {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("there is no field \"{0}\"")]
    NoSuchField(String),
    /// The path (dot-joined; empty for the root) of what cannot hold fields.
    #[error("{} cannot hold fields: only objects and arrays of objects can", where_(.0))]
    NotAContainer(String),
    #[error("a field named \"{name}\" already exists in {parent}")]
    Duplicate { name: String, parent: String },
    #[error("a field needs a name")]
    EmptyName,
    #[error("a field cannot be moved into itself or into one of its own fields")]
    IntoItself,
    #[error("position {index} is out of range: there are {len} fields")]
    OutOfRange { index: usize, len: usize },
    #[error(
        "\"{keyword}\" of the field \"{field}\" is not in a form the designer can edit; change it in the JSON"
    )]
    NotEditable { field: String, keyword: String },
    #[error(
        "on the schema's root each party may have exactly one letter (\"r\" or \"w\"), or the root has no permission at all: read and write together cannot be expressed there"
    )]
    RootPermission,
}

fn where_(path: &str) -> String {
    if path.is_empty() {
        "the schema's root".into()
    } else {
        format!("the field \"{path}\"")
    }
}

/// The field types the designer offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
}

impl FieldType {
    pub const ALL: [FieldType; 6] = [
        FieldType::String,
        FieldType::Number,
        FieldType::Integer,
        FieldType::Boolean,
        FieldType::Object,
        FieldType::Array,
    ];

    /// The JSON Schema name.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Number => "number",
            FieldType::Integer => "integer",
            FieldType::Boolean => "boolean",
            FieldType::Object => "object",
            FieldType::Array => "array",
        }
    }

    pub fn parse(name: &str) -> Option<FieldType> {
        FieldType::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// A label for the designer.
    pub fn label(self) -> &'static str {
        match self {
            FieldType::String => "Text",
            FieldType::Number => "Number",
            FieldType::Integer => "Whole number",
            FieldType::Boolean => "Yes/no",
            FieldType::Object => "Group of fields",
            FieldType::Array => "List",
        }
    }
}

/// Formats the designer suggests (any string may be set).
pub const COMMON_FORMATS: &[&str] = &[
    "email",
    "uri",
    "date",
    "date-time",
    "time",
    "hostname",
    "ipv4",
    "ipv6",
    "uuid",
    "idn-email",
];

/// One field as the designer shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    /// The names from the root down to this field.
    pub path: Vec<String>,
    /// The JSON pointer of the field's subschema.
    pub pointer: String,
    /// `None` when the `type` is missing or not a single designer type (e.g. `["string", "null"]`).
    pub field_type: Option<FieldType>,
    /// For arrays: the type of the items.
    pub item_type: Option<FieldType>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// Whether the parent's `required` array names this field.
    pub required: bool,
    pub format: Option<String>,
    pub enum_values: Option<Vec<Value>>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub minimum: Option<Number>,
    pub maximum: Option<Number>,
    pub pattern: Option<String>,
    pub default: Option<Value>,
    pub permission: Permission,
    /// The field's `$ref`, if any (`#/$defs/money`).
    pub reference: Option<String>,
    /// The type of what a local `$ref` resolves to: the designer shows the field as that.
    pub resolved_type: Option<FieldType>,
    /// Whether the subschema has the permission keyword at all: with none the field is
    /// unrestricted by default, which the designer shows apart from an explicit `rw`/`rw`.
    pub permission_set: bool,
    /// The subschema holds keywords the designer does not edit (kept as they are).
    pub has_extra_keywords: bool,
    /// Those keywords, as pointers relative to the field (`const`, `items/minLength`, …).
    pub extra_keywords: Vec<String>,
    /// For objects, its properties; for arrays, the properties of its items.
    pub children: Vec<Field>,
}

impl Field {
    /// The type the designer edits the field as: its own, or that of what its `$ref` resolves to.
    pub fn effective_type(&self) -> Option<FieldType> {
        self.field_type.or(self.resolved_type)
    }

    /// What the designer should warn about this field, in words: a required field hidden
    /// from the user cannot be filled in by the user, so a self-registration fails.
    pub fn warning(&self) -> Option<String> {
        (self.required && self.permission.user == Access::Hidden).then(|| {
            format!(
                "\"{}\" is required but hidden from the user: the user can never fill it in, so \
                 only an administrator can make the user's data valid",
                self.name
            )
        })
    }
}

/// The whole designer tree.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FieldTree {
    pub fields: Vec<Field>,
    /// The permission keyword on the schema's root, if any.
    pub root_permission: Permission,
    /// Root keywords the designer does not edit (`$schema`, `type` and `properties` excluded).
    pub root_extra_keywords: Vec<String>,
    /// The schema's `$defs`, in document order, with the fields that use each.
    pub definitions: Vec<Definition>,
}

/// One entry of the root's `$defs`.
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    pub name: String,
    /// `/$defs/<name>`.
    pub pointer: String,
    pub field_type: Option<FieldType>,
    /// The paths of the fields whose `$ref` is `#/$defs/<name>`.
    pub uses: Vec<Vec<String>>,
}

impl FieldTree {
    /// Reads the tree from a schema.
    pub fn read(schema: &Value) -> Result<FieldTree, FieldError> {
        let Value::Object(root) = schema else {
            return Err(FieldError::NotAnObject);
        };
        let mut fields = read_children(root, &[], "");
        resolve_references(schema, &mut fields);
        let definitions = read_definitions(root, &fields);
        Ok(FieldTree {
            definitions,
            fields,
            root_permission: Permission::of(schema),
            root_extra_keywords: root
                .keys()
                .filter(|k| !ROOT_KNOWN.contains(&k.as_str()))
                .cloned()
                .collect(),
        })
    }

    /// Reads the tree from JSON text. Invalid JSON is an error that says where and why, so
    /// the designer can keep the tree it has.
    pub fn parse(text: &str) -> Result<(Value, FieldTree), FieldError> {
        let value: Value = super::numbers::from_str(text).map_err(|e| {
            let full = e.to_string();
            let message = full
                .rfind(" at line ")
                .map_or(full.as_str(), |cut| &full[..cut])
                .to_string();
            FieldError::InvalidJson {
                line: e.line(),
                column: e.column(),
                message,
            }
        })?;
        let tree = FieldTree::read(&value)?;
        Ok((value, tree))
    }

    /// The field at a path.
    pub fn find<S: AsRef<str>>(&self, path: &[S]) -> Option<&Field> {
        let (first, rest) = path.split_first()?;
        let mut field = self.fields.iter().find(|f| f.name == first.as_ref())?;
        for name in rest {
            field = field.children.iter().find(|f| f.name == name.as_ref())?;
        }
        Some(field)
    }

    /// Every field, depth first, in document order.
    pub fn iter(&self) -> impl Iterator<Item = &Field> {
        let mut stack: Vec<&Field> = self.fields.iter().rev().collect();
        std::iter::from_fn(move || {
            let f = stack.pop()?;
            stack.extend(f.children.iter().rev());
            Some(f)
        })
    }
}

/// Fills [`Field::resolved_type`] of every field with a local `$ref` (`#/...`, as JSON
/// pointer into the schema itself), following a chain of `$ref`s a few steps.
fn resolve_references(schema: &Value, fields: &mut [Field]) {
    for f in fields {
        let mut target = f.reference.clone();
        for _ in 0..8 {
            let Some(node) = target
                .as_deref()
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|p| schema.pointer(p))
            else {
                break;
            };
            if let Some(t) = single_type(node.get("type")) {
                f.resolved_type = Some(t);
                break;
            }
            target = node.get("$ref").and_then(Value::as_str).map(str::to_string);
        }
        resolve_references(schema, &mut f.children);
    }
}

fn read_definitions(root: &Map<String, Value>, fields: &[Field]) -> Vec<Definition> {
    fn uses_of(fields: &[Field], target: &str, out: &mut Vec<Vec<String>>) {
        for f in fields {
            if f.reference.as_deref() == Some(target) {
                out.push(f.path.clone());
            }
            uses_of(&f.children, target, out);
        }
    }
    let Some(Value::Object(defs)) = root.get("$defs") else {
        return Vec::new();
    };
    defs.iter()
        .map(|(name, def)| {
            let pointer = format!("/$defs/{}", escape_token(name));
            let mut uses = Vec::new();
            uses_of(fields, &format!("#{pointer}"), &mut uses);
            Definition {
                name: name.clone(),
                field_type: single_type(def.get("type")),
                pointer,
                uses,
            }
        })
        .collect()
}

/// Keywords of a field's subschema that the designer edits.
const FIELD_KNOWN: &[&str] = &[
    "type",
    "title",
    "description",
    "format",
    "enum",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "pattern",
    "default",
    PERMISSION_KEYWORD,
    "properties",
    "required",
    "items",
];
/// Keywords of an array's `items` that the designer edits.
const ITEMS_KNOWN: &[&str] = &["type", "properties", "required"];
/// Root keywords the designer handles itself.
const ROOT_KNOWN: &[&str] = &[
    "$schema",
    "type",
    "properties",
    "required",
    PERMISSION_KEYWORD,
];

/// Whether a field's children live in its `items` (an array of objects).
fn is_array_node(node: &Map<String, Value>) -> bool {
    node.get("type").and_then(Value::as_str) == Some("array")
        || (!node.contains_key("properties") && node.get("items").is_some_and(Value::is_object))
}

fn single_type(v: Option<&Value>) -> Option<FieldType> {
    v.and_then(Value::as_str).and_then(FieldType::parse)
}

fn read_children(container: &Map<String, Value>, parent: &[String], ptr: &str) -> Vec<Field> {
    let required: Vec<&str> = container
        .get("required")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(Value::Object(props)) = container.get("properties") else {
        return Vec::new();
    };
    props
        .iter()
        .map(|(name, sub)| {
            let mut path = parent.to_vec();
            path.push(name.clone());
            let pointer = format!("{ptr}/properties/{}", escape_token(name));
            read_field(name, sub, path, pointer, required.contains(&name.as_str()))
        })
        .collect()
}

fn read_field(
    name: &str,
    sub: &Value,
    path: Vec<String>,
    pointer: String,
    required: bool,
) -> Field {
    let empty = Map::new();
    let (node, mut extra) = match sub {
        Value::Object(m) => (m, Vec::new()),
        Value::Bool(true) => (&empty, Vec::new()),
        other => (&empty, vec![format!("(the schema is {other})")]),
    };
    let str_of = |k: &str| node.get(k).and_then(Value::as_str).map(str::to_string);
    let field_type = single_type(node.get("type"));
    for key in node.keys() {
        let understood = FIELD_KNOWN.contains(&key.as_str())
            && match key.as_str() {
                "type" => field_type.is_some(),
                "title" | "description" | "format" | "pattern" => node[key].is_string(),
                "enum" => node[key].is_array(),
                "minLength" | "maxLength" => node[key].is_u64(),
                "minimum" | "maximum" => node[key].is_number(),
                "properties" | "items" => node[key].is_object(),
                "required" => node[key].is_array(),
                _ => true,
            };
        if !understood {
            extra.push(key.clone());
        }
    }
    let mut item_type = None;
    let children;
    if is_array_node(node) {
        match node.get("items") {
            Some(Value::Object(items)) => {
                item_type = single_type(items.get("type"));
                for key in items.keys() {
                    if !ITEMS_KNOWN.contains(&key.as_str())
                        || (key == "type" && item_type.is_none())
                    {
                        extra.push(format!("items/{}", escape_token(key)));
                    }
                }
                children = read_children(items, &path, &format!("{pointer}/items"));
            }
            _ => children = Vec::new(),
        }
    } else {
        children = read_children(node, &path, &pointer);
    }
    Field {
        name: name.to_string(),
        path,
        pointer,
        field_type,
        item_type,
        title: str_of("title"),
        description: str_of("description"),
        required,
        format: str_of("format"),
        enum_values: node.get("enum").and_then(Value::as_array).cloned(),
        min_length: node.get("minLength").and_then(Value::as_u64),
        max_length: node.get("maxLength").and_then(Value::as_u64),
        minimum: node.get("minimum").and_then(Value::as_number).cloned(),
        maximum: node.get("maximum").and_then(Value::as_number).cloned(),
        pattern: str_of("pattern"),
        default: node.get("default").cloned(),
        permission: Permission::of(sub),
        permission_set: sub.get(PERMISSION_KEYWORD).is_some(),
        reference: str_of("$ref"),
        resolved_type: None,
        has_extra_keywords: !extra.is_empty(),
        extra_keywords: extra,
        children,
    }
}

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

fn show_path<S: AsRef<str>>(path: &[S]) -> String {
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
    let refs = super::refs::references_to(schema, path);
    let rewritten = super::refs::rename_references(schema, refs, new_name);
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
/// that names it (see [`super::refs::outside_references`]); returns how many references it
/// removed besides the field's `required` entry.
pub fn remove_field_with_references<S: AsRef<str>>(
    schema: &mut Value,
    path: &[S],
    with_references: bool,
) -> Result<usize, FieldError> {
    let refs = if with_references {
        super::refs::outside_references(schema, path)
    } else {
        Vec::new()
    };
    // The references lie outside the field's subschema and its container's `required`, so
    // removing the field first (which fails before changing anything) leaves their pointers.
    remove_field(schema, path)?;
    Ok(super::refs::remove_references(schema, refs))
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
                    field: show_path(path),
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

/// Who looks at the user form in the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Viewer {
    /// An administrator (the permission's `owner`).
    #[default]
    Administrator,
    /// The user themself (the permission's `self`).
    User,
}

impl Viewer {
    pub const ALL: [Viewer; 2] = [Viewer::Administrator, Viewer::User];

    pub fn label(self) -> &'static str {
        match self {
            Viewer::Administrator => "as administrator",
            Viewer::User => "as the user",
        }
    }

    /// What this viewer may do with a field of permission `p`.
    pub fn access(self, p: Permission) -> Access {
        match self {
            Viewer::Administrator => p.owner,
            Viewer::User => p.user,
        }
    }
}

/// How a field appears in the user form for one viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormAccess {
    /// Not in the form at all.
    Absent,
    /// Shown, but cannot be changed.
    ReadOnly,
    /// Shown and editable.
    Editable,
}

/// A field's place in the form: hidden fields are absent, read-only fields disabled, and a
/// field the viewer may only write is shown (and editable) so it can be filled in.
pub fn form_access(viewer: Viewer, p: Permission) -> FormAccess {
    match viewer.access(p) {
        Access::Hidden => FormAccess::Absent,
        Access::Read => FormAccess::ReadOnly,
        Access::Write | Access::ReadWrite => FormAccess::Editable,
    }
}

/// A value as one line of input: strings bare, everything else as compact JSON.
pub fn value_to_input(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Reads one line of input as a value of `field_type`: empty means "no value". Strings are
/// taken as typed; numbers, booleans, objects and arrays must be JSON of that kind; without a
/// known type, JSON is tried first and the text is a string otherwise.
pub fn parse_input(text: &str, field_type: Option<FieldType>) -> Result<Option<Value>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let json = || super::numbers::from_str(text.trim());
    let value = match field_type {
        Some(FieldType::String) => Value::String(text.to_string()),
        Some(FieldType::Number) => match json() {
            Ok(v @ Value::Number(_)) => v,
            _ => return Err(format!("\"{text}\" is not a number")),
        },
        Some(FieldType::Integer) => match json() {
            Ok(Value::Number(n)) if n.is_i64() || n.is_u64() => Value::Number(n),
            _ => return Err(format!("\"{text}\" is not a whole number")),
        },
        Some(FieldType::Boolean) => match text.trim() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(format!("\"{text}\" is not true or false")),
        },
        Some(FieldType::Object) => match json() {
            Ok(v @ Value::Object(_)) => v,
            _ => return Err(format!("\"{text}\" is not a JSON object")),
        },
        Some(FieldType::Array) => match json() {
            Ok(v @ Value::Array(_)) => v,
            _ => return Err(format!("\"{text}\" is not a JSON array")),
        },
        None => json().unwrap_or_else(|_| Value::String(text.to_string())),
    };
    Ok(Some(value))
}

/// Like [`parse_input`], but what does not parse is kept as a string, so the sample-data
/// validation can say what is wrong with it.
pub fn parse_input_lenient(text: &str, field_type: Option<FieldType>) -> Option<Value> {
    parse_input(text, field_type).unwrap_or_else(|_| Some(Value::String(text.to_string())))
}

/// A number typed into a minimum/maximum box; empty means "no limit".
pub fn parse_limit(text: &str) -> Result<Option<Number>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    super::numbers::number(t)
        .map(Some)
        .ok_or_else(|| format!("\"{t}\" is not a number"))
}

/// A length typed into a min/max length box; empty means "no limit".
pub fn parse_length(text: &str) -> Result<Option<u64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<u64>()
        .map(Some)
        .map_err(|_| format!("\"{t}\" is not a whole number of 0 or more"))
}

/// Enum values as the designer edits them: one per line.
pub fn enum_to_text(values: &[Value]) -> String {
    values
        .iter()
        .map(value_to_input)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads enum values, one per line (blank lines are skipped); no lines means "no enum".
pub fn parse_enum(text: &str, field_type: Option<FieldType>) -> Result<Option<Vec<Value>>, String> {
    let mut values = Vec::new();
    for line in text.lines() {
        let line = if field_type == Some(FieldType::String) {
            line
        } else {
            line.trim()
        };
        if line.trim().is_empty() {
            continue;
        }
        if let Some(v) = parse_input(line, field_type)? {
            if values.contains(&v) {
                return Err(format!("\"{line}\" is listed twice"));
            }
            values.push(v);
        }
    }
    Ok(if values.is_empty() {
        None
    } else {
        Some(values)
    })
}

/// The JSON pointer of a field's value in user data (`["address", "city"]` → `/address/city`).
pub fn instance_pointer<S: AsRef<str>>(path: &[S]) -> String {
    path.iter()
        .map(|s| format!("/{}", escape_token(s.as_ref())))
        .collect()
}

/// The value at a path in user data. A step into an array is the item's index
/// (`["phones", "0", "type"]`), as in the JSON pointers of the sample's problems.
pub fn instance_get<'a, S: AsRef<str>>(instance: &'a Value, path: &[S]) -> Option<&'a Value> {
    path.iter().try_fold(instance, |node, name| match node {
        Value::Array(items) => items.get(name.as_ref().parse::<usize>().ok()?),
        other => other.get(name.as_ref()),
    })
}

/// Appends an empty item (`{}`) to the array at `path` in user data, creating the array
/// (and the objects on the way) if missing; returns the new item's index.
pub fn instance_add_item<S: AsRef<str>>(instance: &mut Value, path: &[S]) -> Result<usize, String> {
    let mut items = match instance_get(instance, path) {
        None => Vec::new(),
        Some(Value::Array(items)) => items.clone(),
        Some(_) => {
            return Err(format!(
                "\"{}\" is not a list in the sample",
                show_path(path)
            ));
        }
    };
    items.push(Value::Object(Map::new()));
    let index = items.len() - 1;
    instance_set(instance, path, Some(Value::Array(items)))?;
    Ok(index)
}

/// Removes the item at `index` of the array at `path` in user data (the others keep their
/// order); an index past the end changes nothing.
pub fn instance_remove_item<S: AsRef<str>>(
    instance: &mut Value,
    path: &[S],
    index: usize,
) -> Result<(), String> {
    match instance_get(instance, path) {
        Some(Value::Array(items)) if index < items.len() => {
            let mut items = items.clone();
            items.remove(index);
            instance_set(instance, path, Some(Value::Array(items)))
        }
        Some(Value::Array(_)) | None => Ok(()),
        Some(_) => Err(format!(
            "\"{}\" is not a list in the sample",
            show_path(path)
        )),
    }
}

/// Sets (or with `None` removes) the value at a field's path in user data, creating the
/// objects on the way. Fails when something on the way is not an object.
pub fn instance_set<S: AsRef<str>>(
    instance: &mut Value,
    path: &[S],
    value: Option<Value>,
) -> Result<(), String> {
    let Some((last, parents)) = path.split_last() else {
        return Err("a field needs a name".into());
    };
    let mut node = instance;
    for name in parents {
        // A step into an existing item of a list (`["phones", "0", "type"]`).
        if let Value::Array(items) = node {
            match name
                .as_ref()
                .parse::<usize>()
                .ok()
                .filter(|i| *i < items.len())
            {
                Some(i) => {
                    node = &mut items[i];
                    continue;
                }
                None if value.is_none() => return Ok(()),
                None => {
                    return Err(format!(
                        "\"{}\" has no item \"{}\" in the sample",
                        show_path(parents),
                        name.as_ref()
                    ));
                }
            }
        }
        let Value::Object(map) = node else {
            return Err(format!(
                "\"{}\" is not an object in the sample",
                show_path(parents)
            ));
        };
        if value.is_none() && !map.contains_key(name.as_ref()) {
            return Ok(());
        }
        node = map
            .entry(name.as_ref().to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    let Value::Object(map) = node else {
        return Err(format!(
            "\"{}\" is not an object in the sample",
            show_path(parents)
        ));
    };
    match value {
        Some(v) => {
            map.insert(last.as_ref().to_string(), v);
        }
        None => {
            map.shift_remove(last.as_ref());
        }
    }
    Ok(())
}

/// A name for a new field in `parent` that is not taken yet: `base`, `base2`, `base3`, …
pub fn free_field_name<S: AsRef<str>>(tree: &FieldTree, parent: &[S], base: &str) -> String {
    let siblings: Vec<&str> = if parent.is_empty() {
        tree.fields.iter().map(|f| f.name.as_str()).collect()
    } else {
        tree.find(parent)
            .map(|f| f.children.iter().map(|c| c.name.as_str()).collect())
            .unwrap_or_default()
    };
    let mut candidate = base.to_string();
    let mut n = 2;
    while siblings.contains(&candidate.as_str()) {
        candidate = format!("{base}{n}");
        n += 1;
    }
    candidate
}

/// Whether a field can hold fields (an object, or an array of objects).
pub fn holds_fields(field: &Field) -> bool {
    match field.effective_type() {
        Some(FieldType::Object) | None => true,
        Some(FieldType::Array) => matches!(field.item_type, Some(FieldType::Object) | None),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
}
