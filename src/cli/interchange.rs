//! `schemadesk import FILE --from keycloak|ory [--report FILE]` and `schemadesk export TYPE
//! --format review`: foreign schemas in, review sheets out (see `crate::interchange`).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::ValueEnum;
use serde_json::json;

use super::{ExportArgs, ImportArgs, exit};
use crate::interchange::review::{self, RevisionInfo, SheetFormat};
use crate::interchange::{self, Format, Imported};
use crate::schema::fields::FieldTree;
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
    let from = a.from.map(FromFormat::format);
    let value = match interchange::parse(&text) {
        Ok(v) => v,
        Err(e) if from.is_some() => {
            eprintln!("{}:{e}", file.display());
            eprintln!(
                "schemadesk: {} was not imported; nothing was written",
                file.display()
            );
            return Ok(exit::INVALID);
        }
        // The ordinary import reports the syntax error with its position.
        Err(_) => serde_json::Value::Null,
    };
    if from.is_none() && interchange::detect(&value).is_none() {
        if a.report.is_some() {
            bail!(
                "--report is written for Keycloak and Ory imports; {} is neither (name the format with --from keycloak|ory)",
                file.display()
            );
        }
        return super::local::import_text(
            store,
            &file,
            &text,
            a.type_name,
            a.authenticators,
            &a.message,
            a.if_latest,
        );
    }
    let imported = match interchange::convert_value(&value, from) {
        Ok(i) => i,
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
            "{}: detected {} {} (name it with --from {} to skip detection)",
            file.display(),
            if format.label().starts_with(['A', 'E', 'I', 'O', 'U']) {
                "an"
            } else {
                "a"
            },
            format.label(),
            format.name()
        );
    }
    let type_name = match a.type_name.clone() {
        Some(t) => t,
        None => file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .context("no --type given and the file name gives none")?,
    };
    let fields = FieldTree::read(&imported.schema)
        .map(|t| t.iter().count())
        .unwrap_or(0);
    let auths: Vec<_> = imported.authenticators.iter().copied().collect();
    print!("{}", imported.report.to_text(fields, &auths));
    let body = imported.draft(type_name.clone()).request_body_pretty();
    let message = if a.message.is_empty() {
        format!("Imported from {} ({})", file_name(&file), format.label())
    } else {
        a.message.clone()
    };
    let shown = PathBuf::from(format!("{} (as converted)", file.display()));
    let code = super::local::import_text(
        store,
        &shown,
        &body,
        Some(type_name.clone()),
        a.authenticators,
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
    super::local::write_atomically(path, &crate::schema::pretty(&body))
}

/// `export TYPE --format review`: the review sheet of a revision, as the output file's
/// extension asks (Markdown to standard output without `-o`).
pub fn export_review(store: &mut Store, a: ExportArgs) -> anyhow::Result<u8> {
    let type_name = a
        .type_name
        .context("export --format review needs a TYPE (one schema per sheet)")?;
    let format = match &a.output {
        None => SheetFormat::Markdown,
        Some(path) => path
            .extension()
            .and_then(|e| e.to_str())
            .and_then(SheetFormat::from_extension)
            .with_context(|| {
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
    let sheet = review::build(
        &rev.draft,
        Some(RevisionInfo {
            number: rev.number,
            created_at: rev.created_at.clone(),
            message: rev.message.clone(),
        }),
        baseline.as_ref().map(|(label, d)| (label.clone(), d)),
    );
    let text = format.render(&sheet);
    match &a.output {
        Some(path) => {
            super::local::write_atomically(path, &text)?;
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
