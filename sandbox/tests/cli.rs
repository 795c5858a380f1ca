//! The `csp-sandbox` command: the token it prints, and the one it never prints.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// Starts the sandbox on a free port and returns it with its output up to the `Open:` line.
fn start(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_csp-sandbox"))
        .args(["--port", "0", "--www", ".", "--pkg", "."])
        .args(args)
        .env_remove("CSP_SANDBOX_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut output = String::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        output.push_str(&line);
        output.push('\n');
        if line.starts_with("Open:") {
            break;
        }
    }
    (child, output)
}

fn token_of(output: &str) -> String {
    output
        .lines()
        .find_map(|l| l.split_once("#token=").map(|(_, t)| t.to_string()))
        .unwrap()
}

#[test]
fn a_random_token_when_none_is_given_and_a_given_one_is_never_printed() {
    let (mut a, first) = start(&[]);
    let (mut b, second) = start(&[]);
    let (one, two) = (token_of(&first), token_of(&second));
    assert_eq!(one.len(), 32, "{first}");
    assert!(one.bytes().all(|c| c.is_ascii_hexdigit()));
    assert_ne!(one, two, "a new token each run");
    assert!(!first.contains("sandbox-demo-token"));

    let (mut c, given) = start(&["--token", "my-own-secret-token"]);
    assert!(!given.contains("my-own-secret-token"), "{given}");
    for child in [&mut a, &mut b, &mut c] {
        child.kill().unwrap();
        child.wait().unwrap();
    }
}
