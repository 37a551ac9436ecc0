//! `schemadesk import FILE --from keycloak|ory [--report FILE]` and `schemadesk export TYPE
//! --format review`: foreign schemas in, review sheets out (see `crate::interchange`).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::ValueEnum;
use serde_json::json;

use super::{ExportArgs, ImportArgs, exit};
use crate::interchange::review::SheetFormat;
use crate::interchange::{self, Format, Imported};
use crate::service::exchange::foreign::{self, Foreign};
use crate::service::exchange::{self, ImportOptions, review};
use crate::store::Store;

/// `--from`: the foreign format of an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FromFormat {
    /// Keycloak's declarative user profile (or a realm export holding one).
    Keycloak,
    /// An Ory Kratos identity schema.
    Ory,
}

impl FromFormat {
    fn format(self) -> Format {
        match self {
            FromFormat::Keycloak => Format::Keycloak,
            FromFormat::Ory => Format::Ory,
        }
    }
}

/// An import: a Keycloak profile or an Ory schema is converted (named with `--from`, or
/// detected and said), its report printed, and the result saved through the ordinary import;
/// anything else is the ordinary import.
pub fn import(store: &mut Store, a: ImportArgs) -> anyhow::Result<u8> {
    let file = a.file.clone().context("import needs a FILE")?;
    let text = crate::files::read_bounded(&file, crate::files::MAX_SCHEMA_BYTES)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let opts = |type_name| ImportOptions {
        type_name,
        authenticators: a.authenticators.as_deref(),
    };
    let imported = match foreign::convert(&text, a.from.map(FromFormat::format)) {
        Ok(Foreign::Converted(imported)) => imported,
        Ok(Foreign::NotForeign) => {
            if a.report.is_some() {
                bail!(
                    "--report is written for Keycloak and Ory imports; {} is neither (name the format with --from keycloak|ory)",
                    file.display()
                );
            }
            return super::import::run_text(
                store,
                &file,
                &text,
                opts(a.type_name.as_deref()),
                &a.message,
                a.if_latest,
            );
        }
        Err(e) => {
            eprintln!("{}:{e}", file.display());
            eprintln!(
                "schemadesk: {} was not imported; nothing was written",
                file.display()
            );
            return Ok(exit::INVALID);
        }
    };
    let format = imported.report.format;
    if imported.report.detected {
        eprintln!(
            "{}: detected {} (name it with --from {} to skip detection)",
            file.display(),
            foreign::with_article(format.label()),
            format.name()
        );
    }
    let type_name = match a.type_name.clone() {
        Some(t) => t,
        None => foreign::type_from_file(&file)
            .context("no --type given and the file name gives none")?,
    };
    let fields = foreign::field_count(&imported);
    let auths: Vec<_> = imported.authenticators.iter().copied().collect();
    print!("{}", imported.report.to_text(fields, &auths));
    let body = foreign::converted_body(&imported, &type_name);
    let message = if a.message.is_empty() {
        format!("Imported from {} ({})", file_name(&file), format.label())
    } else {
        a.message.clone()
    };
    let shown = PathBuf::from(format!("{} (as converted)", file.display()));
    let code = super::import::run_text(
        store,
        &shown,
        &body,
        opts(Some(&type_name)),
        &message,
        a.if_latest,
    )?;
    if let Some(path) = &a.report {
        let saved = if code == exit::OK {
            store.find_by_type(&type_name)?.map(|s| s.latest_revision)
        } else {
            None
        };
        write_report(path, &file, &type_name, &imported, fields, saved)?;
        eprintln!("wrote the import report to {}", path.display());
    }
    Ok(code)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn write_report(
    path: &Path,
    source: &Path,
    type_name: &str,
    imported: &Imported,
    fields: usize,
    saved: Option<u32>,
) -> anyhow::Result<()> {
    let r = &imported.report;
    let body = json!({
        "source": source.display().to_string(),
        "format": r.format,
        "detected": r.detected,
        "type": type_name,
        "fields": fields,
        "possibleAuthenticators": imported.authenticators,
        "savedRevision": saved,
        "notMapped": r.count(interchange::Outcome::NotMapped),
        "adjusted": r.count(interchange::Outcome::Adjusted),
        "notes": r.count(interchange::Outcome::Note),
        "entries": r.entries,
    });
    Ok(exchange::write_file(path, &crate::schema::pretty(&body))?)
}

/// `export TYPE --format review`: the review sheet of a revision, as the output file's
/// extension asks (Markdown to standard output without `-o`).
pub fn export_review(store: &mut Store, a: ExportArgs) -> anyhow::Result<u8> {
    let type_name = a
        .type_name
        .context("export --format review needs a TYPE (one schema per sheet)")?;
    let format = match &a.output {
        None => SheetFormat::Markdown,
        Some(path) => review::sheet_format(path).with_context(|| {
            format!(
                "{}: a review sheet is written as .md, .html or .csv; name the file with one of those",
                path.display()
            )
        })?,
    };
    let schema = store.by_type(&type_name)?;
    let rev = match a.revision {
        Some(n) => store.revision(schema.id, n)?,
        None => store.latest_revision(schema.id)?,
    };
    let baseline = match (a.against, &a.against_server) {
        (Some(m), _) => Some((format!("revision {m}"), store.revision(schema.id, m)?.draft)),
        (None, Some(server)) => Some(server_copy(store, server, schema.id, &type_name)?),
        (None, None) => None,
    };
    let text = review::sheet_text(
        &rev,
        baseline.as_ref().map(|(label, d)| (label.clone(), d)),
        format,
    );
    match &a.output {
        Some(path) => {
            exchange::write_file(path, &text)?;
            eprintln!("wrote {}", path.display());
        }
        None => print!("{text}"),
    }
    Ok(exit::OK)
}

/// The server's copy of a schema, for `--against-server NAME`: the bound one, else the one
/// of the same type. Uses the server's token like `push` and `pull` do.
fn server_copy(
    store: &mut Store,
    name: &str,
    schema: crate::store::SchemaId,
    type_name: &str,
) -> anyhow::Result<(String, crate::schema::UserSchemaDraft)> {
    use crate::sync::{ClientOptions, Token};
    let server = store.server_by_name(name)?;
    let (token, _) = Token::resolve(&server.name)?;
    let api = crate::service::open_api(store, &server, token, &ClientOptions::default(), None)
        .map_err(|e| anyhow::anyhow!("{}: {e}", server.name))?;
    let remote = match store.binding(schema, server.id)? {
        Some(b) => api
            .get(&b.remote_id)
            .map_err(|e| anyhow::anyhow!("{}: {e}", server.name))?,
        None => api
            .list_all(&mut |_, _| {})
            .map_err(|e| anyhow::anyhow!("{}: {e}", server.name))?
            .into_iter()
            .find(|r| r.type_name == type_name)
            .with_context(|| {
                format!(
                    "the server \"{}\" has no schema of type \"{type_name}\"",
                    server.name
                )
            })?,
    };
    let label = match remote.revision {
        Some(r) => format!("the server \"{}\" (its revision {r})", server.name),
        None => format!("the server \"{}\"", server.name),
    };
    Ok((label, remote.draft()))
}
