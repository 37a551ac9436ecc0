//! Files written for the user (exports, the settings file): never half-written, and named
//! safely after a schema's type.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` through a temporary file in the same folder, synced, then renamed into
/// place: a reader never sees half a file, and a failure leaves the old file as it was (the
/// temporary file is removed).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A file name (without extension) for a schema type: ASCII letters, digits, `-`, `_` and `.`
/// kept, everything else `_`, no leading dot, never empty (`employee v2` → `employee_v2`).
pub fn file_stem_for(type_name: &str) -> String {
    let clean: String = type_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    match clean.trim_start_matches('.') {
        "" => "schema".to_string(),
        stem => stem.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_safe_and_never_empty() {
        assert_eq!(file_stem_for("employee v2"), "employee_v2");
        assert_eq!(file_stem_for("../etc/passwd"), "_etc_passwd");
        assert_eq!(file_stem_for("..."), "schema");
        assert_eq!(file_stem_for("Kunde-ä"), "Kunde-_");
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        write_atomically(&path, b"old").unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        // A folder in the way of the rename: the write fails, the folder stays.
        let blocked = dir.path().join("blocked");
        std::fs::create_dir(&blocked).unwrap();
        std::fs::write(blocked.join("inside"), b"x").unwrap();
        assert!(write_atomically(&blocked, b"data").is_err());
        assert_eq!(std::fs::read(blocked.join("inside")).unwrap(), b"x");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| !n.contains(".tmp-")), "{names:?}");
    }
}
