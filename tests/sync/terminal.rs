//! `remote token NAME` on a real terminal: a pseudo-terminal from `script` (util-linux, in
//! every Debian/Ubuntu install) runs the binary, as a person at a shell would.

use std::io::{Read, Write};
use std::process::Stdio;
use std::sync::mpsc::Receiver;

use super::fake_zitadel::{TOKEN, TestServer};
use super::*;

/// Reads `script`'s output on a thread, so the test can wait for a line without blocking.
fn terminal_output(mut out: impl Read + Send + 'static) -> Receiver<Vec<u8>> {
    let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut chunk = [0u8; 1024];
        while let Ok(n) = out.read(&mut chunk) {
            if n == 0 || tx.send(chunk[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    rx
}

/// Everything seen so far, once `needle` is in it (or the terminal went quiet for a minute;
/// that timeout only keeps a broken run from hanging, nothing is timed).
fn wait_for(rx: &Receiver<Vec<u8>>, seen: &mut Vec<u8>, needle: &str) -> String {
    while !String::from_utf8_lossy(seen).contains(needle) {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(bytes) => seen.extend(bytes),
            Err(_) => break,
        }
    }
    String::from_utf8_lossy(seen).into_owned()
}

/// Whether the `stty -a` listing in `text` (after `marker`) has echo on: the word `echo`,
/// not `-echo`.
fn echo_on_after(text: &str, marker: &str) -> Option<bool> {
    let listing = &text[text.find(marker)?..];
    let words: Vec<&str> = listing
        .split(|c: char| c.is_whitespace() || c == ';')
        .collect();
    if words.contains(&"echo") {
        Some(true)
    } else if words.contains(&"-echo") {
        Some(false)
    } else {
        None
    }
}

/// Ctrl-C at the token prompt (echo is off there) must give the terminal its echo back:
/// otherwise the user's shell afterwards shows nothing they type.
#[test]
fn ctrl_c_at_the_token_prompt_gives_the_echo_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let srv = TestServer::start();
    let (code, _, err) = cli(
        &db,
        TOKEN,
        &["remote", "add", "k", &srv.url, "--generation", "1"],
    );
    assert_eq!(code, 0, "{err}");
    // The shell catches SIGINT itself (a caught signal is reset to the default in the child),
    // so it lives on to list the terminal's settings after the binary is gone.
    let command = format!(
        "trap 'true' INT; '{}' remote token k; echo exit=$?; echo settings:; stty -a; echo listed=yes",
        env!("CARGO_BIN_EXE_schemadesk")
    );
    let mut child = Command::new("script")
        .args(["-q", "-c", &command, "/dev/null"])
        .env("SCHEMADESK_DB", &db)
        .env("HOME", dir.path())
        .env("SHELL", "/bin/sh")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("ZITADEL_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script (util-linux) makes the terminal");
    let rx = terminal_output(child.stdout.take().unwrap());
    let mut seen = Vec::new();
    let prompt = wait_for(&rx, &mut seen, "token for k");
    assert!(prompt.contains("token for k"), "no prompt: {prompt}");
    let mut stdin = child.stdin.take().unwrap();
    // Ctrl-C as the terminal receives it: the line discipline turns it into SIGINT.
    stdin.write_all(b"partial-tok\x03").unwrap();
    stdin.flush().unwrap();
    let text = wait_for(&rx, &mut seen, "listed=yes");
    drop(stdin);
    let _ = child.wait();
    assert!(
        text.contains("listed=yes"),
        "the shell did not go on: {text}"
    );
    assert!(
        !text.contains("partial-tok"),
        "the typed part was shown: {text}"
    );
    assert_eq!(
        echo_on_after(&text, "settings:"),
        Some(true),
        "the terminal's echo stayed off after Ctrl-C: {text}"
    );
    assert!(text.contains("exit=130"), "Ctrl-C is exit 130: {text}");
}
