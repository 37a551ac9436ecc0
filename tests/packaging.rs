//! What an installed schemadesk offers besides the window: --version, --help everywhere, shell
//! completions and man pages, all from the built binary; plus the packaging files it ships with.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_schemadesk"));
    // Keep logs, settings and the store out of the user's folders.
    let scratch = std::env::temp_dir().join("schemadesk-packaging-tests");
    cmd.env("SCHEMADESK_LOG_DIR", scratch.join("logs"))
        .env("SCHEMADESK_SETTINGS", scratch.join("settings.toml"))
        .env("SCHEMADESK_DB", scratch.join("store.db"))
        .env_remove("SCHEMADESK_LOG");
    cmd
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The subcommands, as `schemadesk --help` lists them (so new ones are covered automatically).
fn subcommands() -> Vec<String> {
    let help = stdout(&run(&["--help"]));
    let mut names = Vec::new();
    let mut in_commands = false;
    for line in help.lines() {
        if line.starts_with("Commands:") {
            in_commands = true;
            continue;
        }
        if in_commands {
            if !line.starts_with("  ") {
                break;
            }
            // "  name   description"; wrapped description lines start with more spaces.
            if let Some(name) = line.strip_prefix("  ").filter(|l| !l.starts_with(' ')) {
                let name = name.split_whitespace().next().unwrap_or_default();
                if !name.is_empty() && name != "help" {
                    names.push(name.to_owned());
                }
            }
        }
    }
    names
}

#[test]
fn version_prints_the_cargo_version() {
    for flag in ["--version", "-V"] {
        let out = run(&[flag]);
        assert!(out.status.success(), "{flag}: {out:?}");
        assert_eq!(
            stdout(&out).trim(),
            format!("schemadesk {}", env!("CARGO_PKG_VERSION"))
        );
    }
}

#[test]
fn every_subcommand_has_help() {
    let names = subcommands();
    for expected in ["validate", "import", "list", "export", "completions", "man"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} missing from {names:?}"
        );
    }
    for name in &names {
        for flag in ["--help", "-h"] {
            let out = run(&[name, flag]);
            assert!(out.status.success(), "{name} {flag}: {out:?}");
            let text = stdout(&out);
            assert!(
                text.contains(&format!("Usage: schemadesk {name}")),
                "{name} {flag}:\n{text}"
            );
        }
        let out = run(&["help", name]);
        assert!(out.status.success(), "help {name}: {out:?}");
    }
}

#[test]
fn completions_for_each_shell_name_the_subcommands() {
    let names = subcommands();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {out:?}");
        let text = stdout(&out);
        assert!(text.len() > 200, "{shell}: too short:\n{text}");
        for name in &names {
            assert!(text.contains(name.as_str()), "{shell} lacks {name}");
        }
    }
    assert!(stdout(&run(&["completions", "bash"])).contains("complete -F _schemadesk"));
    assert!(stdout(&run(&["completions", "zsh"])).starts_with("#compdef schemadesk"));
    assert!(stdout(&run(&["completions", "fish"])).contains("complete -c schemadesk"));
}

#[test]
fn unknown_shell_is_a_usage_error() {
    let out = run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("possible values"));
}

#[test]
fn man_prints_the_main_page() {
    let out = run(&["man"]);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    assert!(text.contains(".TH schemadesk 1"), "{text}");
    assert!(text.contains("ZITADEL"));
    for name in subcommands() {
        assert!(
            text.contains(&format!("schemadesk\\-{name}(1)")),
            "no {name} in SEE ALSO / SUBCOMMANDS"
        );
    }
}

#[test]
fn man_out_writes_one_page_per_command() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("share/man/man1");
    let out = run(&["man", "--out", out_dir.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let page = std::fs::read_to_string(out_dir.join("schemadesk.1")).unwrap();
    assert!(page.contains(".TH schemadesk 1"));
    for name in subcommands() {
        let path = out_dir.join(format!("schemadesk-{name}.1"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(text.contains(&format!(".TH schemadesk-{name} 1")), "{name}");
        assert!(stdout(&out).contains(&path.display().to_string()));
    }
}

#[test]
fn man_out_into_a_file_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, "").unwrap();
    let out = run(&["man", "--out", file.join("man1").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot create"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn commands_write_a_log_file_in_the_log_dir() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("state/logs");
    let out = bin()
        .env("SCHEMADESK_LOG_DIR", &logs)
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let files: Vec<_> = std::fs::read_dir(&logs)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(
        files[0].starts_with("schemadesk.") && files[0].ends_with(".log"),
        "{files:?}"
    );
    let text = std::fs::read_to_string(logs.join(&files[0])).unwrap();
    assert!(text.contains("INFO"), "{text}");
    assert!(text.contains(env!("CARGO_PKG_VERSION")), "{text}");
    assert!(
        !text.contains("DEBUG"),
        "debug lines without --verbose:\n{text}"
    );

    let out = bin()
        .env("SCHEMADESK_LOG_DIR", &logs)
        .args(["--verbose", "completions", "fish"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

#[test]
fn an_unusable_log_dir_warns_but_the_command_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, "").unwrap();
    let out = bin()
        .env("SCHEMADESK_LOG_DIR", file.join("logs"))
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(!out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not logging to a file"), "{err}");
    assert!(
        !err.contains('\u{1b}'),
        "colour codes in piped stderr: {err:?}"
    );
}

#[test]
fn desktop_file_metainfo_and_icons_agree_on_the_app_id() {
    let id = schemadesk::icon::APP_ID;
    let desktop = std::fs::read_to_string(repo(&format!("packaging/linux/{id}.desktop"))).unwrap();
    assert!(desktop.starts_with("[Desktop Entry]\n"));
    for line in [
        "Type=Application",
        "Exec=schemadesk",
        &format!("Icon={id}"),
        &format!("StartupWMClass={id}"),
    ] {
        assert!(desktop.lines().any(|l| l == line), "missing {line}");
    }
    let metainfo =
        std::fs::read_to_string(repo(&format!("packaging/linux/{id}.metainfo.xml"))).unwrap();
    assert!(metainfo.contains(&format!("<id>{id}</id>")));
    assert!(metainfo.contains(&format!(
        "<launchable type=\"desktop-id\">{id}.desktop</launchable>"
    )));
    assert!(metainfo.contains(&format!(
        "<release version=\"{}\"",
        env!("CARGO_PKG_VERSION")
    )));
    for size in [16, 32, 48, 64, 128, 256, 512] {
        let png = std::fs::read(repo(&format!("assets/schemadesk-{size}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        let h = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
        assert_eq!((w, h), (size, size), "schemadesk-{size}.png");
    }
    let plist = std::fs::read_to_string(repo("packaging/macos/Info.plist")).unwrap();
    assert!(plist.contains(&format!("<string>{id}</string>")));
    assert!(plist.contains(&format!("<string>{}</string>", env!("CARGO_PKG_VERSION"))));
}
