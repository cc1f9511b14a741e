//! What the command's test files share: the repository's root, a fresh folder, and running
//! `release-embed archive`.
#![allow(dead_code)] // each test file uses its own part of this

use std::path::PathBuf;
use std::process::Command;

pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// An empty folder of this test process's own, named after the test.
pub fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("release-embed-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `release-embed archive ARGS`; returns success, stdout and stderr.
pub fn archive(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_release-embed")).arg("archive").args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}
