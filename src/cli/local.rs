//! Subcommands over the local store: import, list, history, show, diff, export and the
//! lifecycle commands.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use serde_json::json;

use super::print::print_saved;
use super::{Command, ExportFormat, OutputFormat, exit};
use crate::files::is_stdio;
use crate::nextgen::Target;
use crate::printable::printable;
use crate::schema::TypeName;
use crate::schema::diff::unified;
use crate::service::exchange::{self, export::ExportError};
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
            print!("{}", exchange::render(target, &rev.draft, a.format));
            Ok(exit::OK)
        }
        Command::Diff(a) => {
            let ra = revision(&store, &a.type_name, Some(a.a))?;
            let rb = revision(&store, &a.type_name, Some(a.b))?;
            let target = store.target(ra.schema_id)?;
            let text = |r: &Revision| exchange::render(target, &r.draft, ExportFormat::Body);
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
                let text = exchange::render(target, &rev.draft, a.format);
                match a.output {
                    Some(path) if !is_stdio(&path) => {
                        exchange::write_file(&path, &text)?;
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
            // The plain line for either target, as restore has always printed it.
            print_saved(&a.type_name, &outcome, Target::V3alpha);
            Ok(exit::OK)
        }
        Command::Rename(a) => {
            if let Err(e) = TypeName::parse(&a.new_type) {
                bail!("cannot rename to \"{}\": {e}", a.new_type);
            }
            let s = store.by_type(&a.type_name)?;
            if store.target(s.id)? == Target::Nextgen {
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

/// Exports the latest revision of every live schema, one file each (see
/// [`exchange::export::export_all`]); the exit code says when not everything was written.
fn export_all(store: &Store, dir: &Path, format: ExportFormat) -> anyhow::Result<u8> {
    let done = match exchange::export::export_all(store, dir, format) {
        Ok(done) => done,
        // The store's own error, so that `name_store` can name the store.
        Err(ExportError::Store(e)) => return Err(e.into()),
        Err(e) => return Err(e.into()),
    };
    for (type_name, why) in &done.failed {
        eprintln!(
            "schemadesk: \"{}\" was not exported: {}",
            printable(type_name),
            printable(why)
        );
    }
    eprintln!("wrote {} file(s) to {}", done.written, dir.display());
    if !done.archived.is_empty() {
        let names: Vec<String> = done
            .archived
            .iter()
            .map(|t| format!("\"{}\"", printable(t)))
            .collect();
        eprintln!(
            "skipped {} archived schema(s): {} (bring one back with `schemadesk archive TYPE --undo`)",
            done.archived.len(),
            names.join(", ")
        );
    }
    if done.failed.is_empty() {
        Ok(exit::OK)
    } else {
        eprintln!(
            "schemadesk: {} schema(s) could not be exported; the others were",
            done.failed.len()
        );
        Ok(exit::USAGE)
    }
}
