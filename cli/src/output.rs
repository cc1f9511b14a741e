//! Writing the archive into its directory without ever breaking the one already there: pieces
//! are named by their content, so a new piece never replaces one the old manifest uses; each file
//! is written under a temporary name and renamed; the manifest is replaced last. Pieces used by
//! neither this build nor the previous one are then removed (one build of grace, for manifests
//! still in caches).

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use release_embed::archive::PieceSink;
use sha2::{Digest, Sha256};

/// The pieces' folder inside the archive directory.
pub const PIECES: &str = "p";
/// The names of the pieces of the last build, for the next build's clean-up. Not needed on the
/// host (a dot file, which most deploy tools skip), but kept between builds.
pub const PIECE_LIST: &str = ".release-embed-pieces";

pub struct DirSink {
    dir: PathBuf,
    pub names: BTreeSet<String>,
    pub files_written: u64,
    pub bytes_written: u64,
    pub bytes_total: u64,
}

impl DirSink {
    pub fn new(dir: &Path) -> Result<DirSink, String> {
        fs::create_dir_all(dir.join(PIECES)).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(DirSink {
            dir: dir.to_path_buf(),
            names: BTreeSet::new(),
            files_written: 0,
            bytes_written: 0,
            bytes_total: 0,
        })
    }

    /// Writes `name` in the archive directory if its bytes differ; true when it was written.
    pub fn replace(&mut self, name: &str, bytes: &[u8]) -> Result<bool, String> {
        let path = self.dir.join(name);
        self.bytes_total += bytes.len() as u64;
        if fs::read(&path).is_ok_and(|old| old == bytes) {
            return Ok(false);
        }
        write_atomically(&path, bytes)?;
        self.files_written += 1;
        self.bytes_written += bytes.len() as u64;
        Ok(true)
    }

    /// Removes pieces that neither this build nor the one before it uses; returns how many.
    pub fn clean_up(&mut self) -> Result<u64, String> {
        let list = self.dir.join(PIECE_LIST);
        let previous: BTreeSet<String> =
            fs::read_to_string(&list).map(|t| t.lines().map(str::to_string).collect()).unwrap_or_default();
        let mut current = self.names.iter().cloned().collect::<Vec<_>>().join("\n");
        current.push('\n');
        write_atomically(&list, current.as_bytes())?;
        let mut removed = 0;
        let entries = fs::read_dir(self.dir.join(PIECES)).map_err(|e| format!("cannot list the pieces: {e}"))?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !self.names.contains(&name) && !previous.contains(&name) {
                fs::remove_file(entry.path()).map_err(|e| format!("cannot remove an old piece {name}: {e}"))?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

impl PieceSink for DirSink {
    fn put(&mut self, extension: &str, bytes: Vec<u8>) -> Result<String, String> {
        let hash = Sha256::digest(&bytes);
        let hex: String = hash[..10].iter().map(|b| format!("{b:02x}")).collect();
        let name = format!("{hex}.{extension}");
        let path = self.dir.join(PIECES).join(&name);
        if !self.names.insert(name.clone()) {
            return Ok(name);
        }
        self.bytes_total += bytes.len() as u64;
        // Same name, same content: a piece already on disk is left alone (and keeps its date, so
        // a sync to the host skips it).
        if !path.exists() {
            write_atomically(&path, &bytes)?;
            self.files_written += 1;
            self.bytes_written += bytes.len() as u64;
        }
        Ok(name)
    }
}

pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let temp = path.with_extension(format!("tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        fs::rename(&temp, path)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&temp);
        format!("cannot write {}: {e}", path.display())
    })
}
