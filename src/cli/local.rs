//! Subcommands over the local store: import, list, history, show, diff, export and the
//! lifecycle commands.

use std::collections::{BTreeSet, HashSet};
use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use serde_json::json;

use super::validate::print_text;
use super::{Command, ExportFormat, OutputFormat, exit};
use crate::files::is_stdio;
use crate::printable::printable;
use crate::schema::diff::unified;
use crate::schema::{AuthenticatorType, Source, UserSchemaDraft, validate};
use crate::store::{ListFilter, Revision, Store};

pub fn run(db: &Path, command: Command) -> anyhow::Result<u8> {
    run_on(db, command).map_err(|e| name_store(db, e))
}

/// Adds the store's file name to an error caused by the store whose message does not name
/// it (the store error may be the cause of a sync error, hence the walk down the chain).
pub(crate) fn name_store(db: &Path, e: anyhow::Error) -> anyhow::Error {
    let needs_path = e
        .chain()
        .find_map(|cause| cause.downcast_ref::<crate::store::StoreError>())
        .is_some_and(crate::store::StoreError::needs_path);
    if needs_path {
        e.context(format!("the store {}", db.display()))
    } else {
        e
    }
}

fn run_on(db: &Path, command: Command) -> anyhow::Result<u8> {
    let mut store = Store::open(db)?;
    match command {
        Command::Validate(_)
        | Command::Completions(_)
        | Command::Man(_)
        | Command::Push(_)
        | Command::Pull(_)
        | Command::Remote(_)
        | Command::Convert(_)
        | Command::Nextgen(_) => {
            unreachable!("cli::run handles the commands that need no store")
        }
        Command::Import(a) => super::interchange::import(&mut store, a),
        Command::List(a) => list(&store, a.all, a.format),
        Command::History(a) => history(&store, &a.type_name, a.format),
        Command::Show(a) => {
            let rev = revision(&store, &a.type_name, a.revision)?;
            let target = store.target(rev.schema_id)?;
            eprintln!(
                "\"{}\" revision {}: {}",
                a.type_name,
                rev.number,
                target.label()
            );
            print!("{}", super::nextgen::render(target, &rev.draft, a.format));
            Ok(exit::OK)
        }
        Command::Diff(a) => {
            let ra = revision(&store, &a.type_name, Some(a.a))?;
            let rb = revision(&store, &a.type_name, Some(a.b))?;
            let target = store.target(ra.schema_id)?;
            let text =
                |r: &Revision| super::nextgen::render(target, &r.draft, ExportFormat::Request);
            print!(
                "{}",
                unified(
                    &text(&ra),
                    &text(&rb),
                    &format!("{} revision {}", printable(&a.type_name), a.a),
                    &format!("{} revision {}", printable(&a.type_name), a.b),
                )
            );
            Ok(exit::OK)
        }
        Command::Export(a) if a.format == ExportFormat::Review && a.all.is_none() => {
            super::interchange::export_review(&mut store, a)
        }
        Command::Export(a) => match a.all {
            Some(_) if a.format == ExportFormat::Review => {
                bail!("--format review writes one schema's sheet; use it with a TYPE, not --all")
            }
            Some(dir) if dir.as_os_str() == super::NO_DIR => {
                bail!("export --all needs a folder: --all DIR (or --workspace DIR)")
            }
            Some(dir) => export_all(&store, &dir, a.format),
            None => {
                let type_name = a.type_name.context("export needs a TYPE or --all DIR")?;
                let rev = revision(&store, &type_name, a.revision)?;
                let target = store.target(rev.schema_id)?;
                let text = super::nextgen::render(target, &rev.draft, a.format);
                match a.output {
                    Some(path) if !is_stdio(&path) => {
                        write_atomically(&path, &text)?;
                        eprintln!(
                            "wrote {} ({target})",
                            printable(&path.display().to_string())
                        );
                    }
                    _ => print!("{text}"),
                }
                Ok(exit::OK)
            }
        },
        Command::Restore(a) => {
            let s = store.by_type(&a.type_name)?;
            let outcome = store.restore_revision(s.id, a.revision, &a.message)?;
            report_save(&a.type_name, outcome.created(), outcome.revision());
            Ok(exit::OK)
        }
        Command::Rename(a) => {
            if let Err(m) = crate::schema::validate::check_type(&a.new_type) {
                bail!("cannot rename to \"{}\": {m}", a.new_type);
            }
            let s = store.by_type(&a.type_name)?;
            if store.target(s.id)? == crate::nextgen::Target::Nextgen {
                bail!(
                    "\"{}\" is a nextgen schema: its objectType ties it to its revisions and users on the server, so it is never renamed; make a new schema for a new user type",
                    a.type_name
                );
            }
            let outcome = store.rename(s.id, &a.new_type)?;
            println!(
                "renamed \"{}\" to \"{}\" (revision {})",
                printable(&a.type_name),
                printable(&a.new_type),
                outcome.revision().number
            );
            Ok(exit::OK)
        }
        Command::Archive(a) => {
            let s = store.by_type(&a.type_name)?;
            store.set_archived(s.id, !a.undo)?;
            println!(
                "{} \"{}\"",
                if a.undo { "unarchived" } else { "archived" },
                printable(&a.type_name)
            );
            Ok(exit::OK)
        }
        Command::Delete(a) => {
            if a.purge {
                let s = match store.find_deleted_by_type(&a.type_name)? {
                    Some(s) => s,
                    None => {
                        let live = store.by_type(&a.type_name)?;
                        store.mark_deleted(live.id)?;
                        live
                    }
                };
                store.purge(s.id)?;
                println!(
                    "purged \"{}\" and its {} revisions",
                    printable(&a.type_name),
                    s.latest_revision
                );
            } else {
                let s = store.by_type(&a.type_name)?;
                store.mark_deleted(s.id)?;
                println!(
                    "deleted \"{}\"; its {} revisions are kept until you confirm with `schemadesk delete {} --purge` (or take it back with `schemadesk undelete {}`)",
                    printable(&a.type_name),
                    s.latest_revision,
                    shell_word(&a.type_name),
                    shell_word(&a.type_name)
                );
            }
            Ok(exit::OK)
        }
        Command::Compat(a) => super::compat::run(&store, &a),
        Command::Undelete(a) => {
            let s = store
                .find_deleted_by_type(&a.type_name)?
                .with_context(|| format!("no deleted schema of type \"{}\"", a.type_name))?;
            store.undelete(s.id)?;
            println!("restored \"{}\"", printable(&a.type_name));
            Ok(exit::OK)
        }
    }
}

fn shell_word(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", printable(&s.replace('\'', "'\\''")))
    }
}

fn revision(store: &Store, type_name: &str, number: Option<u32>) -> anyhow::Result<Revision> {
    let s = store.by_type(type_name)?;
    Ok(match number {
        Some(n) => store.revision(s.id, n)?,
        None => store.latest_revision(s.id)?,
    })
}

fn report_save(type_name: &str, created: bool, rev: &Revision) {
    let type_name = printable(type_name);
    if created {
        println!("saved \"{type_name}\" revision {}", rev.number);
    } else {
        println!(
            "\"{type_name}\" is unchanged; revision {} already holds this content",
            rev.number
        );
    }
}

/// The ordinary import of a file's text (`file` names it in messages): validated first,
/// then saved by type. Keycloak and Ory imports come here with their converted body.
pub(super) fn import_text(
    store: &mut Store,
    file: &Path,
    text: &str,
    type_arg: Option<String>,
    auth_arg: Option<Vec<String>>,
    message: &str,
    if_latest: Option<u32>,
) -> anyhow::Result<u8> {
    if let Some(code) =
        super::nextgen::import_if_nextgen(store, file, text, type_arg.as_deref(), message)?
    {
        return Ok(code);
    }
    let validation = validate(Source::File(text));
    if !validation.is_valid() {
        print_text(file, &validation.diagnostics);
        eprintln!(
            "schemadesk: {} was not imported: {} problem(s); nothing was written",
            file.display(),
            validation.diagnostics.len()
        );
        return Ok(exit::INVALID);
    }
    let Some(parsed) = validation.parsed else {
        bail!("{} holds no schema", file.display());
    };
    let type_name = match type_arg.or(parsed.type_name) {
        Some(t) => t,
        None if is_stdio(file) => {
            bail!("standard input has no file name to take the type from; give --type NAME")
        }
        None => file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .context("no --type given and the file name gives none")?,
    };
    if let Err(m) = crate::schema::validate::check_type(&type_name) {
        eprintln!("{}:1:1: /type: {m}", file.display());
        return Ok(exit::INVALID);
    }
    let authenticators: BTreeSet<AuthenticatorType> = match auth_arg {
        Some(list) => {
            let mut set = BTreeSet::new();
            for item in list.iter().filter(|s| !s.trim().is_empty()) {
                let a = AuthenticatorType::parse(item)
                    .map_err(|e| anyhow::anyhow!("--authenticators: {e}"))?;
                if !set.insert(a) {
                    bail!("--authenticators: {} is listed twice", a.short_name());
                }
            }
            set
        }
        None if parsed.kind == crate::schema::SourceKind::RequestBody => parsed.authenticators,
        None => match store.find_by_type(&type_name)? {
            Some(s) => store.latest_revision(s.id)?.draft.possible_authenticators,
            None => BTreeSet::new(),
        },
    };
    let draft = UserSchemaDraft {
        type_name: type_name.clone(),
        schema: parsed.schema,
        possible_authenticators: authenticators,
    };
    let message = if message.is_empty() && is_stdio(file) {
        "Imported from standard input".to_string()
    } else if message.is_empty() {
        format!(
            "Imported from {}",
            file.file_name().map_or_else(
                || file.display().to_string(),
                |n| n.to_string_lossy().into_owned()
            )
        )
    } else {
        message.to_string()
    };
    let saved = match if_latest {
        Some(n) => store.save_by_type_if_latest(&draft, &message, n),
        None => store.save_by_type(&draft, &message),
    };
    let outcome = match saved {
        Err(e @ crate::store::StoreError::NotLatest { .. }) => {
            eprintln!("schemadesk: {} was not imported: {e}", file.display());
            return Ok(exit::INVALID);
        }
        other => other?,
    };
    report_save(&type_name, outcome.created(), outcome.revision());
    Ok(exit::OK)
}

fn list(store: &Store, all: bool, format: OutputFormat) -> anyhow::Result<u8> {
    let schemas = store.list_schemas(ListFilter {
        include_archived: all,
        include_deleted: all,
    })?;
    let targets = store.targets()?;
    let target_of =
        |s: &crate::store::SchemaSummary| targets.get(&s.id).copied().unwrap_or_default();
    match format {
        OutputFormat::Json => {
            let rows: Vec<_> = schemas
                .iter()
                .map(|s| {
                    json!({"type": s.type_name, "revision": s.latest_revision, "updatedAt": s.updated_at,
                           "archived": s.archived, "deleted": s.deleted_at.is_some(),
                           "target": target_of(s).as_str()})
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&rows)?);
        }
        OutputFormat::Text => {
            let mut out = std::io::stdout().lock();
            if schemas.is_empty() {
                eprintln!("no schemas yet; add one with `schemadesk import FILE`");
            }
            for s in &schemas {
                let mark = if s.deleted_at.is_some() {
                    "  [deleted]"
                } else if s.archived {
                    "  [archived]"
                } else {
                    ""
                };
                writeln!(
                    out,
                    "{}\trevision {}\t{}\t{}{mark}",
                    printable(&s.type_name),
                    s.latest_revision,
                    s.updated_at,
                    target_of(s)
                )?;
            }
        }
    }
    Ok(exit::OK)
}

fn history(store: &Store, type_name: &str, format: OutputFormat) -> anyhow::Result<u8> {
    let s = store.by_type(type_name)?;
    let revs = store.history(s.id)?;
    match format {
        OutputFormat::Json => {
            let rows: Vec<_> = revs
                .iter()
                .map(|r| {
                    json!({"revision": r.number, "type": r.type_name, "createdAt": r.created_at,
                           "message": r.message, "contentHash": r.content_hash, "restoredFrom": r.restored_from})
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&rows)?);
        }
        OutputFormat::Text => {
            let mut out = std::io::stdout().lock();
            for r in &revs {
                writeln!(
                    out,
                    "{}\t{}\t{}",
                    r.number,
                    r.created_at,
                    printable(&r.message)
                )?;
            }
        }
    }
    Ok(exit::OK)
}

/// Exports the latest revision of every live schema, one file each, under names safe on every
/// platform. Archived schemas are skipped and named; a schema that cannot be read (a damaged
/// row) or written is reported and the others are still exported; then the exit code says
/// that not everything was written.
fn export_all(store: &Store, dir: &Path, format: ExportFormat) -> anyhow::Result<u8> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut used = HashSet::new();
    let schemas = store.list_schemas(ListFilter {
        include_archived: true,
        include_deleted: false,
    })?;
    let (archived, live): (Vec<_>, Vec<_>) = schemas.iter().partition(|s| s.archived);
    let mut written = 0;
    let mut failed = Vec::new();
    let targets = store.targets()?;
    for s in &live {
        let rev = match store.latest_revision(s.id) {
            Ok(rev) => rev,
            Err(e) => {
                eprintln!(
                    "schemadesk: \"{}\" was not exported: {}",
                    printable(&s.type_name),
                    printable(&e.message_at(store.path()))
                );
                failed.push(s);
                continue;
            }
        };
        let target = targets.get(&s.id).copied().unwrap_or_default();
        let base = crate::files::file_stem_for(&s.type_name);
        let mut name = format!("{base}.json");
        let mut n = 2;
        while !used.insert(name.to_ascii_lowercase()) {
            name = format!("{base}-{n}.json");
            n += 1;
        }
        let path = dir.join(&name);
        match write_atomically(&path, &super::nextgen::render(target, &rev.draft, format)) {
            Ok(()) => written += 1,
            Err(e) => {
                eprintln!(
                    "schemadesk: \"{}\" was not exported: {}",
                    printable(&s.type_name),
                    printable(&format!("{e:#}"))
                );
                failed.push(s);
            }
        }
    }
    eprintln!("wrote {written} file(s) to {}", dir.display());
    if !archived.is_empty() {
        let names: Vec<String> = archived
            .iter()
            .map(|s| format!("\"{}\"", printable(&s.type_name)))
            .collect();
        eprintln!(
            "skipped {} archived schema(s): {} (bring one back with `schemadesk archive TYPE --undo`)",
            archived.len(),
            names.join(", ")
        );
    }
    if failed.is_empty() {
        Ok(exit::OK)
    } else {
        eprintln!(
            "schemadesk: {} schema(s) could not be exported; the others were",
            failed.len()
        );
        Ok(exit::USAGE)
    }
}

/// Writes an export atomically (see [`crate::files::write_atomically`]), naming the file on
/// failure.
pub fn write_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    crate::files::write_atomically(path, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}
