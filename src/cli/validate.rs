//! `schemadesk validate FILE...`

use std::path::Path;

use serde::Serialize;

use super::{OutputFormat, ValidateArgs, exit};
use crate::schema::{Diagnostic, Source, validate};

#[derive(Serialize)]
struct FileReport<'a> {
    file: String,
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    diagnostics: &'a [Diagnostic],
}

pub fn run(args: &ValidateArgs) -> anyhow::Result<u8> {
    let mut worst = exit::OK;
    let mut reports = Vec::new();
    let mut all = Vec::with_capacity(args.files.len());
    for file in &args.files {
        match std::fs::read_to_string(file) {
            Ok(text) => {
                let v = validate(Source::File(&text));
                if !v.is_valid() {
                    worst = worst.max(exit::INVALID);
                }
                all.push((file.as_path(), Ok(v.diagnostics)));
            }
            Err(e) => {
                worst = exit::USAGE;
                all.push((
                    file.as_path(),
                    Err(format!("cannot read {}: {e}", file.display())),
                ));
            }
        }
    }
    match args.format {
        OutputFormat::Text => {
            for (file, outcome) in &all {
                match outcome {
                    Ok(diags) => print_text(file, diags),
                    Err(e) => eprintln!("schemadesk: {e}"),
                }
            }
            if args.files.len() > 1 || worst == exit::OK {
                let bad = all
                    .iter()
                    .filter(|(_, o)| !matches!(o, Ok(d) if d.is_empty()))
                    .count();
                eprintln!("{} valid, {bad} invalid", all.len() - bad);
            }
        }
        OutputFormat::Json => {
            for (file, outcome) in &all {
                reports.push(match outcome {
                    Ok(diags) => FileReport {
                        file: file.display().to_string(),
                        valid: diags.is_empty(),
                        error: None,
                        diagnostics: diags,
                    },
                    Err(e) => FileReport {
                        file: file.display().to_string(),
                        valid: false,
                        error: Some(e.clone()),
                        diagnostics: &[],
                    },
                });
            }
            println!("{}", serde_json::to_string_pretty(&reports)?);
        }
    }
    Ok(worst)
}

/// `FILE:LINE:COL: pointer: message`, one line per problem.
pub fn print_text(file: &Path, diags: &[Diagnostic]) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    for d in diags {
        let _ = writeln!(out, "{}:{d}", file.display());
    }
}
