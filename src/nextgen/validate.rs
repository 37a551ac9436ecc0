//! Validation of a nextgen document: the meta-schema it names (bundled, or pinned by the
//! workspace in `.zitadel/meta/`), JSON Schema 2020-12 itself, and the dialect's rules that
//! no meta-schema states. Every problem carries its JSON pointer and line:column.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use jsonschema::{Draft, Registry, Resource};
use serde_json::Value;

use super::dialect::{
    self, AUTH_METHODS_KEY, AuthMethod, BUNDLED_META_ID, BUNDLED_META_SCHEMA, DISPLAY_KEY,
    IDENTIFIER_KEY, NEXTGEN_VERSION, RESERVED_NAMES, UNIQUE_KEY,
};
use crate::schema::position::{Pos, PositionIndex, escape_token};
use crate::schema::validate::{Diagnostic, Rule, compile, syntax_diagnostic};

/// One meta-schema a document may name.
#[derive(Debug, Clone)]
pub struct MetaEntry {
    /// The file it came from (`user-schema.json`), or the bundled name.
    pub file_name: String,
    /// Its `$id`, if it has one.
    pub id: Option<String>,
    pub schema: Value,
}

/// Where the meta-schemas come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetaOrigin {
    Bundled,
    /// A workspace's `.zitadel/meta/` folder.
    Workspace(PathBuf),
}

/// The meta-schemas a validation may use.
#[derive(Debug, Clone)]
pub struct MetaSet {
    pub origin: MetaOrigin,
    pub entries: Vec<MetaEntry>,
}

/// A meta-schema folder that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum MetaError {
    #[error("cannot read the meta-schema folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read the meta-schema {path}: {source}")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the meta-schema {path}:{line}:{column} is not JSON: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("the meta-schema folder {0} holds no .json file")]
    Empty(PathBuf),
}

impl MetaSet {
    /// The meta-schema bundled with schemadesk for nextgen [`NEXTGEN_VERSION`].
    pub fn bundled() -> MetaSet {
        let schema: Value = serde_json::from_str(BUNDLED_META_SCHEMA).unwrap_or(Value::Bool(true));
        MetaSet {
            origin: MetaOrigin::Bundled,
            entries: vec![MetaEntry {
                file_name: "user-schema.json".into(),
                id: Some(BUNDLED_META_ID.into()),
                schema,
            }],
        }
    }

    /// Every `*.json` of a workspace's `.zitadel/meta/` folder.
    pub fn from_dir(dir: &Path) -> Result<MetaSet, MetaError> {
        let read = std::fs::read_dir(dir).map_err(|source| MetaError::Folder {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut paths: Vec<PathBuf> = read
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json") && p.is_file())
            .collect();
        paths.sort();
        let mut entries = Vec::new();
        for path in paths {
            let text = std::fs::read_to_string(&path).map_err(|source| MetaError::File {
                path: path.clone(),
                source,
            })?;
            let schema: Value = serde_json::from_str(&text).map_err(|e| {
                let d = syntax_diagnostic(&e);
                MetaError::Syntax {
                    path: path.clone(),
                    line: d.line,
                    column: d.column,
                    message: d.message,
                }
            })?;
            entries.push(MetaEntry {
                file_name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                id: schema
                    .get("$id")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                schema,
            });
        }
        if entries.is_empty() {
            return Err(MetaError::Empty(dir.to_path_buf()));
        }
        Ok(MetaSet {
            origin: MetaOrigin::Workspace(dir.to_path_buf()),
            entries,
        })
    }

    /// What validated: shown beside every result, so the nextgen version is never a guess.
    pub fn describe(&self) -> String {
        match &self.origin {
            MetaOrigin::Bundled => format!(
                "the bundled meta-schema of ZITADEL nextgen {NEXTGEN_VERSION} ({BUNDLED_META_ID})"
            ),
            MetaOrigin::Workspace(dir) => format!(
                "the meta-schemas the workspace pins in {} ({})",
                dir.display(),
                self.entries
                    .iter()
                    .map(|e| e.file_name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// The entry a document's `metaSchema` names: by `$id`, else by the URI's last segment
    /// (`${SERVER_URL}/user-schema.json` names `user-schema.json`); a set of one is used for any.
    pub fn pick(&self, meta_schema: Option<&str>) -> Result<&MetaEntry, String> {
        if let Some(uri) = meta_schema {
            if let Some(e) = self.entries.iter().find(|e| e.id.as_deref() == Some(uri)) {
                return Ok(e);
            }
            let last = uri.rsplit('/').next().unwrap_or(uri);
            if let Some(e) = self.entries.iter().find(|e| e.file_name == last) {
                return Ok(e);
            }
        }
        match self.entries.as_slice() {
            [only] => Ok(only),
            _ => Err(format!(
                "metaSchema {} names none of {}",
                meta_schema.map_or_else(|| "(missing)".to_string(), |m| format!("\"{m}\"")),
                self.describe()
            )),
        }
    }
}

/// The outcome of validating one nextgen document.
#[derive(Debug, Clone, Default)]
pub struct NextgenValidation {
    pub diagnostics: Vec<Diagnostic>,
    /// The document, when the text was a JSON object.
    pub document: Option<Value>,
    /// Which meta-schema was used (see [`MetaSet::describe`]).
    pub meta: String,
}

impl NextgenValidation {
    pub fn is_valid(&self) -> bool {
        self.diagnostics.is_empty()
    }
}

/// Validates a nextgen document's text against `metas` and the dialect's rules.
pub fn validate_document(text: &str, metas: &MetaSet) -> NextgenValidation {
    let mut out = Vec::new();
    let document = match serde_json::from_str::<Value>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            out.push(syntax_diagnostic(&e));
            None
        }
    };
    if let Some(doc) = &document {
        check_value(doc, metas, &mut out);
    }
    resolve(text, &mut out);
    out.sort_by(|a, b| (a.line, a.column, &a.message).cmp(&(b.line, b.column, &b.message)));
    NextgenValidation {
        diagnostics: out,
        document: document.filter(Value::is_object),
        meta: metas.describe(),
    }
}

/// Validates a document already parsed (its diagnostics have line 0 until resolved).
pub fn check_value(doc: &Value, metas: &MetaSet, out: &mut Vec<Diagnostic>) {
    if !doc.is_object() {
        out.push(unresolved(
            "",
            Rule::NotObject,
            "a nextgen user schema must be a JSON object",
        ));
        return;
    }
    let before = out.len();
    check_meta(doc, metas, out);
    check_rules(doc, out);
    if out.len() == before
        && let Err(e) = compile(doc)
    {
        out.push(unresolved(
            "",
            Rule::Compile,
            format!("the schema cannot be compiled: {e}"),
        ));
    }
    dedupe(out);
}

fn unresolved(pointer: impl Into<String>, rule: Rule, message: impl Into<String>) -> Diagnostic {
    Diagnostic::at(Pos::UNRESOLVED, pointer, rule, message)
}

fn dedupe(out: &mut Vec<Diagnostic>) {
    let mut seen = HashSet::new();
    out.retain(|d| seen.insert((d.pointer.clone(), d.message.clone())));
}

fn check_meta(doc: &Value, metas: &MetaSet, out: &mut Vec<Diagnostic>) {
    // JSON Schema 2020-12 itself, whatever the dialect's meta-schema says.
    for error in jsonschema::draft202012::meta::validator().iter_errors(doc) {
        out.push(unresolved(
            error.instance_path().as_str(),
            Rule::MetaSchema,
            error.to_string(),
        ));
    }
    let entry = match metas.pick(doc.get("metaSchema").and_then(Value::as_str)) {
        Ok(e) => e,
        Err(message) => {
            out.push(unresolved("/metaSchema", Rule::MetaSchema, message));
            return;
        }
    };
    let uri = |e: &MetaEntry| {
        e.id.clone()
            .unwrap_or_else(|| format!("urn:schemadesk:meta:{}", e.file_name))
    };
    let mut builder = Registry::new();
    let mut added = HashSet::new();
    for e in &metas.entries {
        let u = uri(e);
        if !added.insert(u.clone()) {
            continue;
        }
        builder = match builder.add(&u, Resource::from_contents(e.schema.clone())) {
            Ok(b) => b,
            Err(err) => {
                out.push(unresolved(
                    "/metaSchema",
                    Rule::MetaSchema,
                    format!("the meta-schema {} cannot be used: {err}", e.file_name),
                ));
                return;
            }
        };
    }
    let registry = match builder.prepare() {
        Ok(r) => r,
        Err(err) => {
            out.push(unresolved(
                "/metaSchema",
                Rule::MetaSchema,
                format!("the meta-schemas cannot be loaded: {err}"),
            ));
            return;
        }
    };
    let validator = jsonschema::options()
        .with_draft(Draft::Draft202012)
        .offline()
        .with_registry(&registry)
        .build(&entry.schema);
    match validator {
        Ok(v) => {
            for error in v.iter_errors(doc) {
                let (pointer, message) = (error.instance_path().as_str(), error.to_string());
                // A dialect meta-schema that includes 2020-12 repeats its findings.
                if out
                    .iter()
                    .any(|d| d.pointer == pointer && d.message == message)
                {
                    continue;
                }
                out.push(unresolved(
                    pointer,
                    Rule::MetaSchema,
                    format!("{message} (meta-schema {})", entry.file_name),
                ));
            }
        }
        Err(err) => out.push(unresolved(
            "/metaSchema",
            Rule::MetaSchema,
            format!(
                "the meta-schema {} cannot be compiled: {err}",
                entry.file_name
            ),
        )),
    }
}

/// The rules no meta-schema states.
fn check_rules(doc: &Value, out: &mut Vec<Diagnostic>) {
    check_methods(doc, out);
    let props = dialect::properties(doc);
    for p in &props {
        let name = p.path.last().map(String::as_str).unwrap_or_default();
        if name.contains('.') {
            out.push(unresolved(
                &p.pointer,
                Rule::Dialect,
                format!(
                    "the property name \"{name}\" contains a dot; nextgen names nested properties by dotted paths, so a name may not hold one"
                ),
            ));
        }
        if RESERVED_NAMES.contains(&name) {
            out.push(unresolved(
                &p.pointer,
                Rule::Dialect,
                format!(
                    "\"{name}\" is refused as a property name: nextgen keeps the user's own {name} beside the schema's data"
                ),
            ));
        }
    }
    let password = super::dialect::Methods::read(doc)
        .enabled
        .contains(&AuthMethod::Password);
    match doc.get(IDENTIFIER_KEY) {
        None if password => out.push(unresolved(
            "",
            Rule::Dialect,
            "password is enabled, so x-identifier must name the property users sign in with (a leaf with \"x-unique\": \"project\")",
        )),
        None => {}
        Some(Value::String(path)) => check_identifier(doc, path, out),
        Some(_) => {} // the meta-schema reports the type
    }
    if let Some(Value::Array(list)) = doc.get(DISPLAY_KEY) {
        for (i, item) in list.iter().enumerate() {
            if let Value::String(path) = item
                && dialect::find_property(doc, path).is_none()
            {
                out.push(unresolved(
                    format!("/{DISPLAY_KEY}/{i}"),
                    Rule::Dialect,
                    format!("x-display names \"{path}\", which is no property of this schema"),
                ));
            }
        }
    }
}

fn check_identifier(doc: &Value, path: &str, out: &mut Vec<Diagnostic>) {
    let at = format!("/{IDENTIFIER_KEY}");
    let Some(p) = dialect::find_property(doc, path) else {
        out.push(unresolved(
            at,
            Rule::Dialect,
            format!("x-identifier names \"{path}\", which is no property of this schema"),
        ));
        return;
    };
    if !p.is_leaf() {
        out.push(unresolved(
            at,
            Rule::Dialect,
            format!(
                "x-identifier names \"{path}\", an object with properties of its own; it must name a leaf property"
            ),
        ));
        return;
    }
    if p.schema.get(UNIQUE_KEY).and_then(Value::as_str) != Some("project") {
        out.push(unresolved(
            at,
            Rule::Dialect,
            format!(
                "x-identifier names \"{path}\", which must carry \"x-unique\": \"project\" (at {})",
                p.pointer
            ),
        ));
    }
}

fn check_methods(doc: &Value, out: &mut Vec<Diagnostic>) {
    let Some(Value::Object(methods)) = doc.get(AUTH_METHODS_KEY) else {
        return; // missing or of the wrong type: the meta-schema says so
    };
    for (key, value) in methods {
        let at = format!("/{AUTH_METHODS_KEY}/{}", escape_token(key));
        if AuthMethod::from_key(key).is_none() {
            out.push(unresolved(
                at,
                Rule::Dialect,
                format!(
                    "\"{key}\" is no authentication method; the only ones are password, passkey, magic_link, sso and otp"
                ),
            ));
            continue;
        }
        if key != "sso" {
            continue;
        }
        let enabled = value.get("enabled").and_then(Value::as_bool);
        let providers = value.get("providers");
        match (enabled, providers) {
            (Some(true), None) => out.push(unresolved(
                at,
                Rule::Dialect,
                "sso is enabled, so it needs \"providers\": the slugs of the identity providers users may sign in with",
            )),
            (Some(true), Some(Value::Array(list))) if list.is_empty() => out.push(unresolved(
                format!("{at}/providers"),
                Rule::Dialect,
                "sso is enabled with no providers; list at least one identity provider slug",
            )),
            (Some(false), Some(_)) => out.push(unresolved(
                format!("{at}/providers"),
                Rule::Dialect,
                "sso is disabled, so it may not list providers; remove them or enable sso",
            )),
            _ => {}
        }
    }
}

fn resolve(text: &str, out: &mut [Diagnostic]) {
    if !out.iter().any(|d| d.line == 0) {
        return;
    }
    let index = PositionIndex::for_pointers(
        text,
        out.iter()
            .filter(|d| d.line == 0)
            .map(|d| d.pointer.as_str()),
    );
    for d in out.iter_mut().filter(|d| d.line == 0) {
        let pos = index.locate_key(&d.pointer);
        d.line = pos.line;
        d.column = pos.column;
    }
}
