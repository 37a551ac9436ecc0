//! Reading the designer tree (fields, their types, `$ref`s and `$defs`) from a schema.

use serde_json::{Map, Number, Value};

use super::FieldError;
use super::FieldType;
use crate::schema::permission::{Access, PERMISSION_KEYWORD, Permission};
use crate::schema::position::escape_token;

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
    /// For a `$ref` to an object (or array of objects) definition: that definition's fields,
    /// with paths under this field, for drawing a use of it. Not part of the designer tree
    /// ([`FieldTree::iter`], [`FieldTree::find`]): they are edited once, at the definition.
    pub resolved_children: Vec<Field>,
}

impl Field {
    /// The type the designer edits the field as: its own, or that of what its `$ref` resolves to.
    pub fn effective_type(&self) -> Option<FieldType> {
        self.field_type.or(self.resolved_type)
    }

    /// The fields a form draws inside this one: its own, or those of what its `$ref`
    /// resolves to.
    pub fn form_children(&self) -> &[Field] {
        if self.children.is_empty() {
            &self.resolved_children
        } else {
            &self.children
        }
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
    /// The definition read as a field (path `[name]`), for its editable attributes.
    pub field: Field,
}

impl FieldTree {
    /// Reads the tree from a schema.
    pub fn read(schema: &Value) -> Result<FieldTree, FieldError> {
        let Value::Object(root) = schema else {
            return Err(FieldError::NotAnObject);
        };
        let mut fields = read_children(root, &[], "");
        resolve_references(schema, &mut fields, &mut Vec::new());
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
        let value: Value = crate::schema::numbers::from_str(text).map_err(|e| {
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

/// Fills [`Field::resolved_type`] and [`Field::resolved_children`] of every field with a
/// local `$ref` (`#/...`, as JSON pointer into the schema itself), following a chain of
/// `$ref`s a few steps. `open` holds the definitions being expanded, so a recursive
/// definition is expanded once per branch, not forever.
fn resolve_references(schema: &Value, fields: &mut [Field], open: &mut Vec<String>) {
    for f in fields {
        let mut target = f.reference.clone();
        for _ in 0..8 {
            let Some(pointer) = target.as_deref().and_then(|r| r.strip_prefix('#')) else {
                break;
            };
            let Some(node) = schema.pointer(pointer) else {
                break;
            };
            if let Some(t) = single_type(node.get("type")) {
                f.resolved_type = Some(t);
                if let Value::Object(m) = node
                    && !open.iter().any(|p| p == pointer)
                {
                    f.resolved_children = if is_array_node(m) {
                        match m.get("items") {
                            Some(Value::Object(items)) => {
                                read_children(items, &f.path, &format!("{pointer}/items"))
                            }
                            _ => Vec::new(),
                        }
                    } else {
                        read_children(m, &f.path, pointer)
                    };
                    open.push(pointer.to_string());
                    resolve_references(schema, &mut f.resolved_children, open);
                    open.pop();
                }
                break;
            }
            target = node.get("$ref").and_then(Value::as_str).map(str::to_string);
        }
        resolve_references(schema, &mut f.children, open);
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
                field: read_field(name, def, vec![name.clone()], pointer.clone(), false),
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
pub(super) fn is_array_node(node: &Map<String, Value>) -> bool {
    node.get("type").and_then(Value::as_str) == Some("array")
        || (!node.contains_key("properties") && node.get("items").is_some_and(Value::is_object))
}

pub(super) fn single_type(v: Option<&Value>) -> Option<FieldType> {
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
        resolved_children: Vec::new(),
    }
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
