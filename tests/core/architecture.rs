//! The layer graph of ARCHITECTURE.md, enforced: a module that imports one above it, or a neighbour it must not know,
//! fails this test with the file and line of the import.
//!
//! Reading `crate::…` paths as text is enough here: the crate has one root (`src/lib.rs`) and every cross-module
//! reference is spelled `crate::name…` or `crate::{name…}` (`super::` stays inside a module).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Each top-level module with its floor; a module may import only modules on lower floors, so modules on one floor
/// never import each other (store and sync, cli and app, nextgen and interchange).
const FLOORS: &[(&str, u8)] = &[
    // Leaf utilities: no `crate::` imports at all.
    ("files", 0),
    ("printable", 0),
    ("icon", 0),
    ("when", 0),
    ("logging", 0),
    // The domain.
    ("schema", 1),
    ("nextgen", 2),
    ("interchange", 2),
    // Persistence, the server client and preferences: each on its own, over the domain.
    ("store", 3),
    ("sync", 3),
    ("settings", 3),
    // What the CLI and the GUI both do.
    ("service", 4),
    // The two front ends' state and commands.
    ("cli", 5),
    ("app", 5),
    // Drawing, then the eframe wrapper over everything.
    ("ui", 6),
    ("gui", 7),
];

fn floor(module: &str) -> Option<u8> {
    FLOORS.iter().find(|(m, _)| *m == module).map(|(_, f)| *f)
}

/// The top-level module a source file belongs to (`src/app/sync/view.rs` → `app`, `src/files.rs` → `files`).
fn owner(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_string())
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The first path segment of every `crate::` reference on a line, including each item of `crate::{a::X, b}`.
fn imported_modules(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            // Split the braced group at its top-level commas.
            let mut depth = 0usize;
            let mut start = 0usize;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        found.push(segment(&group[start..i]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.push(segment(&group[start..i]));
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            found.push(segment(after));
        }
        rest = after;
    }
    found.retain(|m| !m.is_empty() && m != "self");
    found
}

/// The line with its string literals blanked, so a test's `"crate::ui"` is not read as an import.
fn without_strings(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in line.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else {
            out.push(c);
        }
    }
    out
}

fn segment(path: &str) -> String {
    path.trim()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

#[test]
fn every_import_follows_the_layer_graph() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    assert!(
        files.len() > 20,
        "found only {} files under {}",
        files.len(),
        src.display()
    );

    let mut unknown = BTreeSet::new();
    let mut violations = Vec::new();
    for file in &files {
        let Some(from) = owner(&src, file) else {
            continue;
        };
        // The crate roots declare modules; they import nothing by `crate::`.
        if from == "lib" || from == "main" {
            continue;
        }
        let Some(from_floor) = floor(&from) else {
            unknown.insert(from);
            continue;
        };
        let text = fs::read_to_string(file).unwrap_or_default();
        for (number, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for to in imported_modules(&without_strings(code)) {
                if to == from {
                    continue;
                }
                match floor(&to) {
                    None => {
                        unknown.insert(to);
                    }
                    Some(to_floor) if to_floor >= from_floor => violations.push(format!(
                        "{}:{}: `{from}` (floor {from_floor}) imports `{to}` (floor {to_floor}): {}",
                        file.strip_prefix(&src).unwrap_or(file).display(),
                        number + 1,
                        code.trim()
                    )),
                    Some(_) => {}
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "modules missing from the layer table in tests/core/architecture.rs and ARCHITECTURE.md: {unknown:?}"
    );
    assert!(
        violations.is_empty(),
        "{} import(s) against the layer graph (ARCHITECTURE.md):\n{}",
        violations.len(),
        violations.join("\n")
    );
}

#[test]
fn the_reader_sees_grouped_and_nested_imports() {
    assert_eq!(imported_modules("use crate::store::Store;"), ["store"]);
    assert_eq!(
        imported_modules("use crate::{schema::{Diagnostic, fields}, sync::Token, self};"),
        ["schema", "sync"]
    );
    assert_eq!(
        imported_modules("let x = crate::files::read_bounded(p); crate::ui::root_ui(ctx);"),
        ["files", "ui"]
    );
    assert!(imported_modules("use super::Thing;").is_empty());
    assert!(
        imported_modules(&without_strings(
            r#"let forbidden = ["crate::ui", "a\"crate::gui"];"#
        ))
        .is_empty()
    );
}
