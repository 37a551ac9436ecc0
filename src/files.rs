//! Files read and written for the user (imports, exports, the settings file): never
//! half-written, never written through a planted link, never read without a bound, and named
//! safely after a schema's type on every platform.

use std::fs::{File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The largest schema file (or request body) read: 16 MiB. ZITADEL refuses far smaller
/// bodies; the cap keeps a stray `/dev/zero` or a huge file from filling memory.
pub const MAX_SCHEMA_BYTES: u64 = 16 * 1024 * 1024;

/// The path that means standard input (import, validate) or standard output (export -o).
pub const STDIO: &str = "-";

/// Whether `path` is `-`, standard input or output.
pub fn is_stdio(path: &Path) -> bool {
    path.as_os_str() == STDIO
}

/// Reads a whole text file of at most `cap` bytes. Only a regular file is read (a device, a
/// FIFO or a folder is refused), or standard input when `path` is `-`. The error names the
/// file and, for a file too large, the cap.
pub fn read_bounded(path: &Path, cap: u64) -> std::io::Result<String> {
    let name = if is_stdio(path) {
        "standard input".to_string()
    } else {
        path.display().to_string()
    };
    let too_large = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "{name} is larger than {}; nothing was read",
                human_size(cap)
            ),
        )
    };
    let bytes = if is_stdio(path) {
        read_capped(std::io::stdin().lock(), cap).ok_or_else(too_large)??
    } else {
        let file = File::open(path)?;
        let meta = file.metadata()?;
        if !meta.is_file() {
            let what = if meta.is_dir() {
                "a folder"
            } else {
                "not a regular file (a device, a pipe or a socket)"
            };
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("{name} is {what}; only regular files are read"),
            ));
        }
        if meta.len() > cap {
            return Err(too_large());
        }
        // The file may grow between the check and the read: the read is capped as well.
        read_capped(file, cap).ok_or_else(too_large)??
    };
    String::from_utf8(bytes).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "{name} is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// At most `cap` bytes of `reader`; `None` when there are more.
fn read_capped(reader: impl Read, cap: u64) -> Option<std::io::Result<Vec<u8>>> {
    let mut bytes = Vec::new();
    match reader.take(cap.saturating_add(1)).read_to_end(&mut bytes) {
        Ok(_) if bytes.len() as u64 > cap => None,
        Ok(_) => Some(Ok(bytes)),
        Err(e) => Some(Err(e)),
    }
}

/// "16 MiB", "1 MiB", "512 KiB", "100 bytes".
pub fn human_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// Writes `bytes` to `path` so that a reader never sees half a file and a failure leaves the
/// old file as it was.
///
/// A regular file (or a new one) is written through a temporary file created exclusively
/// (`create_new`, an unpredictable name) in the same folder, synced, renamed into place, and
/// the folder synced: a link planted at the temporary name is never followed, and the new
/// file survives a power cut. A target that exists and is not a regular file (a device such as
/// `/dev/stdout`, a FIFO, or a link to one) is written directly instead of being replaced by
/// a file; a symbolic link to a regular file is replaced, not followed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // Followed through links: `/dev/stdout` is a link to the terminal or pipe.
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
        && !meta.is_dir()
    {
        let mut target = OpenOptions::new().write(true).open(path)?;
        target.write_all(bytes)?;
        return target.flush();
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let (tmp, mut file) = create_temporary(&dir, &name)?;
    let result = (|| {
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        sync_folder(&dir)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A new, empty file `.NAME.RANDOM.tmp` in `dir`, created exclusively: an existing file or
/// link of that name is an error (and another name is tried), never opened.
fn create_temporary(dir: &Path, name: &str) -> std::io::Result<(PathBuf, File)> {
    let mut last = None;
    for _ in 0..16 {
        let tmp = dir.join(format!(".{name}.{:016x}.tmp", random_u64()));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o644);
        }
        match options.open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary file name")))
}

/// 64 random bits from the standard library's randomly keyed hasher (seeded by the OS), mixed
/// with the time and the process id: enough that the name cannot be guessed in advance.
fn random_u64() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        hasher.write_u128(t.as_nanos());
    }
    hasher.finish()
}

/// Makes a rename in `dir` durable (on Unix; elsewhere the rename is as durable as the OS
/// makes it).
fn sync_folder(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Names Windows reserves in every folder, whatever the extension (`CON.json`, `nul.txt.json`).
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
    "COM8", "COM9", "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    "CONIN$", "CONOUT$",
];

/// The longest stem kept, so that `STEM-NN.json` stays well under every file system's limit.
const MAX_STEM: usize = 100;

/// A file name (without extension) for a schema type, safe on Linux, macOS and Windows:
/// ASCII letters, digits, `-`, `_` and `.` kept, everything else `_`; no leading dot, no
/// trailing dot; never empty; never a name Windows reserves (`CON`, `nul`, `AUX.txt`, `COM1`
/// get a trailing `_`); at most 100 characters (`employee v2` → `employee_v2`).
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
        .take(MAX_STEM)
        .collect();
    let stem = clean.trim_start_matches('.').trim_end_matches('.');
    if stem.is_empty() {
        return "schema".to_string();
    }
    // Windows reads "AUX.txt" (and "aux.txt.json") as the device AUX: only the part before
    // the first dot counts.
    let device = stem.split('.').next().unwrap_or(stem);
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(device)) {
        let rest = &stem[device.len()..];
        return format!("{device}_{rest}");
    }
    stem.to_string()
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
    fn reserved_windows_names_are_changed() {
        assert_eq!(file_stem_for("CON"), "CON_");
        assert_eq!(file_stem_for("nul"), "nul_");
        assert_eq!(file_stem_for("AUX.txt"), "AUX_.txt");
        assert_eq!(file_stem_for("com1"), "com1_");
        assert_eq!(file_stem_for("lpt9.x.y"), "lpt9_.x.y");
        assert_eq!(file_stem_for("console"), "console");
        assert_eq!(file_stem_for("trailing."), "trailing");
        assert_eq!(file_stem_for(&"a".repeat(300)).len(), MAX_STEM);
    }

    /// Every reserved name, in mixed case, bare or with extensions, and a spread of other
    /// characters: each stem is safe.
    #[test]
    fn generated_names_give_safe_stems() {
        let mut inputs: Vec<String> = Vec::new();
        for r in RESERVED {
            for variant in [
                r.to_string(),
                r.to_ascii_lowercase(),
                format!("{}{}", &r[..1], r[1..].to_ascii_lowercase()),
            ] {
                for tail in ["", ".txt", ".json", ".a.b", " ", ".", "..", "$"] {
                    inputs.push(format!("{variant}{tail}"));
                    inputs.push(format!(".{variant}{tail}"));
                }
            }
        }
        for c in (0u32..0x3000).step_by(7).filter_map(char::from_u32) {
            inputs.push(format!("a{c}b"));
            inputs.push(format!("{c}"));
            inputs.push(format!("{c}.{c}"));
        }
        for input in &inputs {
            let stem = file_stem_for(input);
            assert!(!stem.is_empty(), "{input:?}");
            assert!(stem.len() <= MAX_STEM, "{input:?}");
            assert!(
                !stem.starts_with('.') && !stem.ends_with('.'),
                "{input:?} → {stem}"
            );
            assert!(
                stem.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
                "{input:?} → {stem}"
            );
            let device = stem.split('.').next().unwrap_or_default();
            assert!(
                !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(device)),
                "{input:?} → {stem}"
            );
        }
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
        assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    }

    #[test]
    fn bounded_reads_refuse_large_files_and_folders() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.json");
        std::fs::write(&path, vec![b' '; 2048]).unwrap();
        assert_eq!(read_bounded(&path, 2048).unwrap().len(), 2048);
        let err = read_bounded(&path, 1024).unwrap_err().to_string();
        assert!(err.contains("larger than 1 KiB"), "{err}");
        let err = read_bounded(dir.path(), 1024).unwrap_err().to_string();
        assert!(err.contains("a folder"), "{err}");
        assert_eq!(human_size(MAX_SCHEMA_BYTES), "16 MiB");
    }
}
