//! The command line's modules form a tree (no two import each other, directly or through
//! others), and the exchange pipeline below them knows nothing of the CLI or the GUI.

use std::collections::BTreeMap;
use std::path::Path;

fn sources(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("the folder is readable") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            let name = path
                .file_stem()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&path).expect("a readable source");
            out.insert(name, text);
        }
    }
    out
}

/// Code lines only: a module named in a comment is no import.
fn code(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn cli_modules_import_each_other_without_a_circle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli");
    let files = sources(&root);
    let names: Vec<String> = files.keys().filter(|n| *n != "mod").cloned().collect();
    let edges: BTreeMap<&str, Vec<&str>> = names
        .iter()
        .map(|from| {
            let text = code(&files[from]);
            let to = names
                .iter()
                .filter(|to| *to != from)
                .filter(|to| {
                    text.contains(&format!("super::{to}::"))
                        || text.contains(&format!("super::{to};"))
                        || text.contains(&format!("super::{to}::{{"))
                        || text.contains(&format!("super::{{{to}"))
                })
                .map(String::as_str)
                .collect();
            (from.as_str(), to)
        })
        .collect();
    // Depth-first search; a module met again on the current path closes a circle.
    fn visit<'a>(
        node: &'a str,
        edges: &BTreeMap<&'a str, Vec<&'a str>>,
        path: &mut Vec<&'a str>,
        done: &mut Vec<&'a str>,
    ) {
        if done.contains(&node) {
            return;
        }
        if let Some(at) = path.iter().position(|n| *n == node) {
            panic!(
                "cli modules import in a circle: {} -> {node}",
                path[at..].join(" -> ")
            );
        }
        path.push(node);
        for next in edges.get(node).into_iter().flatten() {
            visit(next, edges, path, done);
        }
        path.pop();
        done.push(node);
    }
    let mut done = Vec::new();
    for name in edges.keys() {
        visit(name, &edges, &mut Vec::new(), &mut done);
    }
    assert!(edges.contains_key("import") && edges["interchange"].contains(&"import"));
}

#[test]
fn the_exchange_pipeline_imports_neither_the_cli_nor_the_gui() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/service/exchange");
    for (name, text) in sources(&root) {
        let text = code(&text);
        for above in [
            "crate::cli",
            "crate::app",
            "crate::ui",
            "crate::gui",
            "egui",
        ] {
            assert!(
                !text.contains(above),
                "service/exchange/{name}.rs imports {above}"
            );
        }
    }
}
