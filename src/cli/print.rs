//! Lines the subcommands print about files and saves, shared so that every command words
//! them the same way.

use std::path::Path;

use crate::nextgen::Target;
use crate::printable::printable;
use crate::schema::Diagnostic;
use crate::store::SaveOutcome;

/// `FILE:LINE:COL: pointer: message`, one line per problem.
pub fn print_text(file: &Path, diags: &[Diagnostic]) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    for d in diags {
        let _ = writeln!(out, "{}", printable(&format!("{}:{d}", file.display())));
    }
}

/// `saved "TYPE" revision N` (with "(nextgen)" for a nextgen schema), or that the content
/// was already there.
pub fn print_saved(type_name: &str, outcome: &SaveOutcome, target: Target) {
    let rev = outcome.revision();
    match target {
        Target::V3alpha => {
            let type_name = printable(type_name);
            if outcome.created() {
                println!("saved \"{type_name}\" revision {}", rev.number);
            } else {
                println!(
                    "\"{type_name}\" is unchanged; revision {} already holds this content",
                    rev.number
                );
            }
        }
        Target::Nextgen => {
            if outcome.created() {
                println!("saved \"{type_name}\" revision {} (nextgen)", rev.number);
            } else {
                println!(
                    "\"{type_name}\" is unchanged; revision {} already holds this content",
                    rev.number
                );
            }
        }
    }
}
