//! The review sheet: one page about one revision of a schema for a reviewer who will not open
//! the app — its type, revision, authenticators, every field with who may read and write it,
//! and, compared with another revision, the compatibility report with the changed fields
//! marked. Rendered as Markdown (GitHub, GitLab), standalone HTML, or CSV of the field table.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::schema::compat::{ChangeKind, Class, Report, compare};
use crate::schema::fields::{FieldTree, instance_pointer};
use crate::schema::permission::{Access, PERMISSION_KEYWORD, Permission};
use crate::schema::{AuthenticatorType, UserSchemaDraft};

/// The stored revision a sheet is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionInfo {
    pub number: u32,
    pub created_at: String,
    pub message: String,
}

/// How a field differs from the revision compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Added,
    Removed,
    Changed,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Removed => "removed",
            Status::Changed => "changed",
        }
    }
}

/// The changes of one field.
#[derive(Debug, Clone, PartialEq)]
pub struct RowChange {
    pub status: Status,
    /// The worst class among the field's changes.
    pub class: Class,
    pub messages: Vec<String>,
}

/// One field of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Where the value is in user data (`/address/city`).
    pub pointer: String,
    /// Where the field's subschema is in the schema (`/properties/address/properties/city`).
    pub schema_pointer: String,
    pub depth: usize,
    pub title: Option<String>,
    pub description: Option<String>,
    pub type_label: String,
    pub constraints: Vec<String>,
    pub required: bool,
    /// What administrators (`owner`) may do, taking the enclosing fields into account.
    pub admin: Access,
    /// What the user (`self`) may do, likewise.
    pub user: Access,
    /// The enclosing field that limits what administrators may do, when one does.
    pub admin_limited_by: Option<String>,
    /// The enclosing field that limits what the user may do, when one does.
    pub user_limited_by: Option<String>,
    pub change: Option<RowChange>,
}

/// The comparison part of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// What was compared with: `revision 2`, `server "prod" (revision 4)`.
    pub label: String,
    pub report: Report,
}

/// Everything a sheet shows, before rendering.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub type_name: String,
    pub revision: Option<RevisionInfo>,
    pub authenticators: Vec<AuthenticatorType>,
    /// The permission on the schema's root, when it restricts anything.
    pub root_permission: Option<Permission>,
    pub rows: Vec<Row>,
    pub comparison: Option<Comparison>,
}

/// Builds a sheet for `draft`, compared with `baseline` (label, older draft) when given.
pub fn build(
    draft: &UserSchemaDraft,
    revision: Option<RevisionInfo>,
    baseline: Option<(String, &UserSchemaDraft)>,
) -> Sheet {
    let mut rows = rows_of(&draft.schema);
    let comparison = baseline.map(|(label, old)| {
        let report = compare(old, draft);
        let mut removed: Vec<Row> = rows_of(&old.schema)
            .into_iter()
            .filter(|r| !rows.iter().any(|n| n.pointer == r.pointer))
            .collect();
        for row in &mut removed {
            row.change = Some(RowChange {
                status: Status::Removed,
                class: Class::Compatible,
                messages: Vec::new(),
            });
        }
        mark(&mut rows, &report, false);
        mark(&mut removed, &report, true);
        rows.extend(removed);
        Comparison { label, report }
    });
    let root_permission = draft
        .schema
        .get(PERMISSION_KEYWORD)
        .map(|_| Permission::of(&draft.schema));
    Sheet {
        type_name: draft.type_name.clone(),
        revision,
        authenticators: draft.possible_authenticators.iter().copied().collect(),
        root_permission,
        rows,
        comparison,
    }
}

/// Attaches each change to the deepest field whose subschema holds its pointer.
fn mark(rows: &mut [Row], report: &Report, removed_rows: bool) {
    for change in &report.changes {
        if change.pointer == "/possibleAuthenticators" {
            continue;
        }
        let removal = matches!(
            change.kind,
            ChangeKind::FieldRemoved | ChangeKind::FieldRemovedClosed
        );
        if removal != removed_rows {
            continue;
        }
        let Some(row) = rows
            .iter_mut()
            .filter(|r| {
                change.pointer == r.schema_pointer
                    || change
                        .pointer
                        .strip_prefix(r.schema_pointer.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            })
            .max_by_key(|r| r.schema_pointer.len())
        else {
            continue;
        };
        let added = matches!(
            change.kind,
            ChangeKind::FieldAdded | ChangeKind::FieldAddedRequired
        ) && change.pointer == row.schema_pointer;
        let entry = row.change.get_or_insert(RowChange {
            status: Status::Changed,
            class: change.class,
            messages: Vec::new(),
        });
        if added {
            entry.status = Status::Added;
        }
        entry.class = entry.class.max(change.class);
        entry.messages.push(change.message.clone());
    }
}

fn rows_of(schema: &Value) -> Vec<Row> {
    let Ok(tree) = FieldTree::read(schema) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for field in tree.iter() {
        let node = schema
            .pointer(&field.pointer)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        // Access is what the field allows and every enclosing field allows.
        let mut admin = field.permission.owner;
        let mut user = field.permission.user;
        let (mut admin_limited_by, mut user_limited_by) = (None, None);
        for n in 1..field.path.len() {
            if let Some(parent) = tree.find(&field.path[..n]) {
                let (a, u) = (
                    meet(admin, parent.permission.owner),
                    meet(user, parent.permission.user),
                );
                if a != admin {
                    admin_limited_by = Some(instance_pointer(&parent.path));
                }
                if u != user {
                    user_limited_by = Some(instance_pointer(&parent.path));
                }
                admin = a;
                user = u;
            }
        }
        rows.push(Row {
            pointer: instance_pointer(&field.path),
            schema_pointer: field.pointer.clone(),
            depth: field.path.len().saturating_sub(1),
            title: field.title.clone(),
            description: field.description.clone(),
            type_label: type_label(&node),
            constraints: constraints(&node),
            required: field.required,
            admin,
            user,
            admin_limited_by,
            user_limited_by,
            change: None,
        });
    }
    rows
}

/// The access both allow.
fn meet(a: Access, b: Access) -> Access {
    let read = a.can_read() && b.can_read();
    let write = a.can_write() && b.can_write();
    match (read, write) {
        (true, true) => Access::ReadWrite,
        (true, false) => Access::Read,
        (false, true) => Access::Write,
        (false, false) => Access::Hidden,
    }
}

fn type_name_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Array(list) => Some(
            list.iter()
                .map(|t| t.as_str().map_or_else(|| t.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join(" or "),
        ),
        other => Some(other.to_string()),
    }
}

fn type_label(node: &Map<String, Value>) -> String {
    let ty = type_name_of(node.get("type"));
    match ty.as_deref() {
        Some("array") => match node.get("items").and_then(|i| type_name_of(i.get("type"))) {
            Some(item) => format!("array of {item}"),
            None => "array".into(),
        },
        Some(t) => t.to_string(),
        None => match node.get("$ref").and_then(Value::as_str) {
            Some(r) => format!("see {r}"),
            None => "any".into(),
        },
    }
}

/// Keywords shown elsewhere in the table.
const SHOWN: &[&str] = &[
    "type",
    "title",
    "description",
    PERMISSION_KEYWORD,
    "properties",
    "required",
];

fn compact(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn range(min: Option<&Value>, max: Option<&Value>, what: &str) -> Option<String> {
    match (min, max) {
        (Some(a), Some(b)) => Some(format!("{what} {}–{}", compact(a), compact(b))),
        (Some(a), None) => Some(format!("{what} ≥ {}", compact(a))),
        (None, Some(b)) => Some(format!("{what} ≤ {}", compact(b))),
        (None, None) => None,
    }
}

/// The constraints of a subschema as short phrases, every keyword accounted for.
fn constraints(node: &Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(r) = range(node.get("minLength"), node.get("maxLength"), "length") {
        out.push(r);
    }
    if let Some(r) = range(node.get("minimum"), node.get("maximum"), "value") {
        out.push(r);
    }
    if let Some(r) = range(node.get("minItems"), node.get("maxItems"), "items") {
        out.push(r);
    }
    for (key, v) in node {
        let phrase = match key.as_str() {
            k if SHOWN.contains(&k) => continue,
            "minLength" | "maxLength" | "minimum" | "maximum" | "minItems" | "maxItems" => {
                continue;
            }
            "format" => format!("format {}", compact(v)),
            "pattern" => format!("pattern {}", compact(v)),
            "enum" => match v {
                Value::Array(values) => format!(
                    "one of: {}",
                    values.iter().map(compact).collect::<Vec<_>>().join(", ")
                ),
                other => format!("enum {other}"),
            },
            "const" => format!("always {}", compact(v)),
            "default" => format!("default {}", compact(v)),
            "exclusiveMinimum" => format!("value > {}", compact(v)),
            "exclusiveMaximum" => format!("value < {}", compact(v)),
            "uniqueItems" if v == &Value::Bool(true) => "unique items".into(),
            "additionalProperties" if v == &Value::Bool(false) => "no other properties".into(),
            "items" if v.is_object() => {
                let inner = v.as_object().map(constraints).unwrap_or_default();
                for c in inner {
                    out.push(format!("each item: {c}"));
                }
                continue;
            }
            other => format!("{other}: {v}"),
        };
        out.push(phrase);
    }
    out
}

fn access_label(a: Access) -> &'static str {
    a.label()
}

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    Markdown,
    Html,
    Csv,
}

impl SheetFormat {
    /// The format a file name asks for by its extension (`.md`, `.markdown`, `.html`, `.htm`, `.csv`).
    pub fn from_extension(ext: &str) -> Option<SheetFormat> {
        match ext.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(SheetFormat::Markdown),
            "html" | "htm" => Some(SheetFormat::Html),
            "csv" => Some(SheetFormat::Csv),
            _ => None,
        }
    }

    pub fn render(self, sheet: &Sheet) -> String {
        match self {
            SheetFormat::Markdown => markdown(sheet),
            SheetFormat::Html => html(sheet),
            SheetFormat::Csv => csv(sheet),
        }
    }
}

fn revision_text(sheet: &Sheet) -> String {
    match &sheet.revision {
        Some(r) if r.message.is_empty() => format!("{} (saved {})", r.number, r.created_at),
        Some(r) => format!("{} (saved {}): {}", r.number, r.created_at, r.message),
        None => "not saved".into(),
    }
}

fn authenticators_text(sheet: &Sheet) -> String {
    if sheet.authenticators.is_empty() {
        return "none".into();
    }
    sheet
        .authenticators
        .iter()
        .map(|a| format!("{} ({})", a.label(), a.wire_name()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn verdict_text(report: &Report) -> String {
    format!(
        "{} ({} breaking, {} cannot tell, {} compatible)",
        report.worst(),
        report.count(Class::Breaking),
        report.count(Class::CannotTell),
        report.count(Class::Compatible)
    )
}

fn access_cell(a: Access, limited_by: &Option<String>) -> String {
    match limited_by {
        Some(p) => format!("{} (limited by {p})", access_label(a)),
        None => access_label(a).to_string(),
    }
}

fn change_text(c: &RowChange) -> String {
    match c.status {
        Status::Added => format!("added, {}", c.class),
        Status::Removed => format!("removed, {}", c.class),
        Status::Changed => c.class.to_string(),
    }
}

const LEGEND: &str = "Administrators are the permission's \"owner\", the user is \"self\" (keyword urn:zitadel:schema:permission). A field without the keyword is open to both. A nested field is limited by the fields that enclose it.";

// ---------- Markdown ----------

/// Text for a Markdown table cell: every character that could start markup is escaped, so
/// schema text never turns into links, HTML or table columns.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '$' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A code span holding `s` literally (in a table cell, `|` is escaped; GFM unescapes it).
fn md_code(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect::<String>()
        .replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in clean.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    if longest > 0 || clean.starts_with(' ') || clean.ends_with(' ') {
        format!("{fence} {clean} {fence}")
    } else {
        format!("{fence}{clean}{fence}")
    }
}

pub fn markdown(sheet: &Sheet) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Review sheet: {}\n", md(&sheet.type_name));
    let _ = writeln!(o, "| | |\n|---|---|");
    let _ = writeln!(o, "| Schema type | {} |", md_code(&sheet.type_name));
    let _ = writeln!(o, "| Revision | {} |", md(&revision_text(sheet)));
    let _ = writeln!(
        o,
        "| Authenticators | {} |",
        md(&authenticators_text(sheet))
    );
    if let Some(p) = sheet.root_permission {
        let _ = writeln!(
            o,
            "| Whole schema | administrators: {}; user: {} |",
            access_label(p.owner),
            access_label(p.user)
        );
    }
    let _ = writeln!(
        o,
        "| Fields | {} |",
        sheet.rows.iter().filter(|r| !is_removed(r)).count()
    );
    if let Some(c) = &sheet.comparison {
        let _ = writeln!(
            o,
            "| Compared with | {}: **{}** |",
            md(&c.label),
            md(&verdict_text(&c.report))
        );
    }
    let _ = writeln!(o, "\n## Fields\n\n{}\n", md(LEGEND));
    let with_change = sheet.comparison.is_some();
    let _ = write!(
        o,
        "| Field | Title | Type | Constraints | Required | Administrators | User |"
    );
    if with_change {
        let _ = write!(o, " Change |");
    }
    let _ = write!(o, "\n|---|---|---|---|---|---|---|");
    if with_change {
        let _ = write!(o, "---|");
    }
    o.push('\n');
    if sheet.rows.is_empty() {
        let _ = writeln!(
            o,
            "| *(no fields)* | | | | | | |{}",
            if with_change { " |" } else { "" }
        );
    }
    for r in &sheet.rows {
        let mut field = md_code(&r.pointer);
        let changed = r.change.is_some();
        if changed {
            field = format!("**{field}**");
        }
        if is_removed(r) {
            field = format!("~~{field}~~");
        }
        let title = match (&r.title, &r.description) {
            (Some(t), Some(d)) => format!("{}<br>{}", md(t), md(d)),
            (Some(t), None) => md(t),
            (None, Some(d)) => md(d),
            (None, None) => String::new(),
        };
        let constraints = r
            .constraints
            .iter()
            .map(|c| md_code(c))
            .collect::<Vec<_>>()
            .join("<br>");
        let _ = write!(
            o,
            "| {field} | {title} | {} | {constraints} | {} | {} | {} |",
            md(&r.type_label),
            if r.required { "**yes**" } else { "no" },
            md(&access_cell(r.admin, &r.admin_limited_by)),
            md(&access_cell(r.user, &r.user_limited_by)),
        );
        if with_change {
            match &r.change {
                Some(c) if c.class == Class::Breaking => {
                    let _ = write!(o, " **{}** |", md(&change_text(c)));
                }
                Some(c) => {
                    let _ = write!(o, " {} |", md(&change_text(c)));
                }
                None => o.push_str(" |"),
            }
        }
        o.push('\n');
    }
    if let Some(c) = &sheet.comparison {
        let _ = writeln!(o, "\n## Compatibility with {}\n", md(&c.label));
        let _ = writeln!(o, "Verdict: **{}**\n", md(&verdict_text(&c.report)));
        if c.report.changes.is_empty() {
            let _ = writeln!(o, "No changes.");
        } else {
            let _ = writeln!(o, "| Class | Where | Change |\n|---|---|---|");
            for ch in &c.report.changes {
                let class = if ch.class == Class::Breaking {
                    format!("**{}**", ch.class)
                } else {
                    ch.class.to_string()
                };
                let _ = writeln!(
                    o,
                    "| {class} | {} | {} |",
                    md_code(ch.pointer_display()),
                    md(&ch.message)
                );
            }
        }
    }
    o
}

fn is_removed(r: &Row) -> bool {
    r.change
        .as_ref()
        .is_some_and(|c| c.status == Status::Removed)
}

// ---------- HTML ----------

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "\
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2328;margin:2rem auto;max-width:1200px;padding:0 1rem}\
h1{font-size:1.6rem;margin:0 0 1rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}\
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}\
th{background:#f6f8fa}table.meta th{width:12rem}code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f6f8fa;padding:0 .2rem;border-radius:3px;word-break:break-all}\
.legend{color:#57606a}.yes{font-weight:600}.hidden{color:#8c959f}.limited{display:block;color:#57606a;font-size:12px}\
tr.breaking td{background:#ffebe9}tr.cannot-tell td{background:#fff8c5}tr.compatible td{background:#dafbe1}tr.removed td{text-decoration:line-through;color:#57606a}\
tr.removed td.change{text-decoration:none}.badge{display:inline-block;padding:0 .4rem;border-radius:1rem;font-size:12px;font-weight:600;border:1px solid}\
.badge.breaking{color:#a40e26;border-color:#a40e26}.badge.cannot-tell{color:#7d4e00;border-color:#7d4e00}.badge.compatible{color:#116329;border-color:#116329}\
.desc{display:block;color:#57606a}.indent{display:inline-block}td.ptr{white-space:nowrap}td.ptr code{word-break:normal}td.acc{white-space:nowrap}.badge{white-space:nowrap}\
@media print{body{margin:0;max-width:none;font-size:11px}thead{display:table-header-group}tr{break-inside:avoid}\
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}h2{break-after:avoid}}";

fn class_css(c: Class) -> &'static str {
    match c {
        Class::Breaking => "breaking",
        Class::CannotTell => "cannot-tell",
        Class::Compatible => "compatible",
    }
}

pub fn html(sheet: &Sheet) -> String {
    let mut o = String::new();
    let title = format!("Review sheet: {}", sheet.type_name);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        esc(&title),
        esc(&title)
    );
    o.push_str("<table class=\"meta\">\n");
    let mut meta = |k: &str, v: String| {
        let _ = writeln!(o, "<tr><th scope=\"row\">{}</th><td>{v}</td></tr>", esc(k));
    };
    meta(
        "Schema type",
        format!("<code>{}</code>", esc(&sheet.type_name)),
    );
    meta("Revision", esc(&revision_text(sheet)));
    meta("Authenticators", esc(&authenticators_text(sheet)));
    if let Some(p) = sheet.root_permission {
        meta(
            "Whole schema",
            esc(&format!(
                "administrators: {}; user: {}",
                access_label(p.owner),
                access_label(p.user)
            )),
        );
    }
    meta(
        "Fields",
        sheet
            .rows
            .iter()
            .filter(|r| !is_removed(r))
            .count()
            .to_string(),
    );
    if let Some(c) = &sheet.comparison {
        meta(
            "Compared with",
            format!(
                "{}: <span class=\"badge {}\">{}</span> {}",
                esc(&c.label),
                class_css(c.report.worst()),
                esc(c.report.worst().label()),
                esc(&format!(
                    "{} breaking, {} cannot tell, {} compatible",
                    c.report.count(Class::Breaking),
                    c.report.count(Class::CannotTell),
                    c.report.count(Class::Compatible)
                ))
            ),
        );
    }
    o.push_str("</table>\n<h2>Fields</h2>\n");
    let _ = writeln!(o, "<p class=\"legend\">{}</p>", esc(LEGEND));
    let with_change = sheet.comparison.is_some();
    o.push_str("<table class=\"fields\">\n<thead><tr><th>Field</th><th>Title</th><th>Type</th><th>Constraints</th><th>Required</th><th>Administrators</th><th>User</th>");
    if with_change {
        o.push_str("<th>Change</th>");
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    if sheet.rows.is_empty() {
        o.push_str("<tr><td colspan=\"8\"><em>no fields</em></td></tr>\n");
    }
    for r in &sheet.rows {
        let class = match &r.change {
            Some(c) if c.status == Status::Removed => {
                format!(" class=\"removed {}\"", class_css(c.class))
            }
            Some(c) => format!(" class=\"{}\"", class_css(c.class)),
            None => String::new(),
        };
        let indent = if r.depth > 0 {
            format!(
                "<span class=\"indent\" style=\"width:{}em\"></span>",
                r.depth
            )
        } else {
            String::new()
        };
        let mut title = r.title.as_deref().map(esc).unwrap_or_default();
        if let Some(d) = &r.description {
            let _ = write!(title, "<span class=\"desc\">{}</span>", esc(d));
        }
        let constraints = r
            .constraints
            .iter()
            .map(|c| format!("<code>{}</code>", esc(c)))
            .collect::<Vec<_>>()
            .join("<br>");
        let access = |a: Access, limited_by: &Option<String>| {
            let cls = if a == Access::Hidden { " hidden" } else { "" };
            let limited = limited_by
                .as_ref()
                .map(|p| format!("<span class=\"limited\">limited by {}</span>", esc(p)))
                .unwrap_or_default();
            format!(
                "<td class=\"acc{cls}\">{}{limited}</td>",
                esc(access_label(a))
            )
        };
        let _ = write!(
            o,
            "<tr{class}><td class=\"ptr\">{indent}<code>{}</code></td><td>{title}</td><td>{}</td><td>{constraints}</td><td{}>{}</td>{}{}",
            esc(&r.pointer),
            esc(&r.type_label),
            if r.required { " class=\"yes\"" } else { "" },
            if r.required { "yes" } else { "no" },
            access(r.admin, &r.admin_limited_by),
            access(r.user, &r.user_limited_by),
        );
        if with_change {
            match &r.change {
                Some(c) => {
                    let _ = write!(
                        o,
                        "<td class=\"change\"><span class=\"badge {}\">{}</span></td>",
                        class_css(c.class),
                        esc(&change_text(c))
                    );
                }
                None => o.push_str("<td class=\"change\"></td>"),
            }
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n");
    if let Some(c) = &sheet.comparison {
        let _ = writeln!(o, "<h2>Compatibility with {}</h2>", esc(&c.label));
        let _ = writeln!(
            o,
            "<p>Verdict: <span class=\"badge {}\">{}</span></p>",
            class_css(c.report.worst()),
            esc(&verdict_text(&c.report))
        );
        if c.report.changes.is_empty() {
            o.push_str("<p>No changes.</p>\n");
        } else {
            o.push_str("<table class=\"changes\">\n<thead><tr><th>Class</th><th>Where</th><th>Change</th></tr></thead>\n<tbody>\n");
            for ch in &c.report.changes {
                let _ = writeln!(
                    o,
                    "<tr class=\"{}\"><td><span class=\"badge {}\">{}</span></td><td><code>{}</code></td><td>{}</td></tr>",
                    class_css(ch.class),
                    class_css(ch.class),
                    esc(ch.class.label()),
                    esc(ch.pointer_display()),
                    esc(&ch.message)
                );
            }
            o.push_str("</tbody>\n</table>\n");
        }
    }
    o.push_str("</body>\n</html>\n");
    o
}

// ---------- CSV ----------

/// One CSV cell (RFC 4180). A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`)
/// gets a leading `'`.
fn cell(s: &str) -> String {
    let guarded = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

pub fn csv(sheet: &Sheet) -> String {
    let mut o = String::new();
    let with_change = sheet.comparison.is_some();
    o.push_str("field,title,description,type,constraints,required,administrators,user");
    if with_change {
        o.push_str(",change,change details");
    }
    o.push_str("\r\n");
    for r in &sheet.rows {
        let mut cells = vec![
            cell(&r.pointer),
            cell(r.title.as_deref().unwrap_or("")),
            cell(r.description.as_deref().unwrap_or("")),
            cell(&r.type_label),
            cell(&r.constraints.join("; ")),
            cell(if r.required { "yes" } else { "no" }),
            cell(&access_cell(r.admin, &r.admin_limited_by)),
            cell(&access_cell(r.user, &r.user_limited_by)),
        ];
        if with_change {
            match &r.change {
                Some(c) => {
                    cells.push(cell(&change_text(c)));
                    cells.push(cell(&c.messages.join("; ")));
                }
                None => {
                    cells.push(String::new());
                    cells.push(String::new());
                }
            }
        }
        o.push_str(&cells.join(","));
        o.push_str("\r\n");
    }
    o
}
