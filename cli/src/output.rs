//! Writing the archive into its directory without ever breaking the one already there: pieces
//! are named by their content, so a new piece never replaces one the old manifest uses; each file
//! is written under a temporary name and renamed; everything is flushed to the disk before the
//! manifest is replaced, last. Pieces used by neither this build nor the previous one are then
//! removed (one build of grace, for manifests still in caches). One build at a time: the folder is
//! locked (an OS file lock, released by the system when the build's process ends however it ends).

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use release_embed::archive::{PieceSink, Pieces};
use sha2::{Digest, Sha256};

/// The pieces' folder inside the archive directory.
pub const PIECES: &str = "p";
/// The names of the pieces of the last build, for the next build's clean-up. Not needed on the
/// host (a dot file, which most deploy tools skip), but kept between builds.
pub const PIECE_LIST: &str = ".release-embed-pieces";
/// Locked for the whole build, so a second build into the same folder stops at once.
pub const LOCK: &str = ".release-embed-lock";

pub struct DirSink {
    dir: PathBuf,
    pub names: BTreeSet<String>,
    pub files_written: u64,
    pub bytes_written: u64,
    pub bytes_total: u64,
    /// Pieces found on disk under their name with other bytes (damaged), written again.
    pub repaired: u64,
    /// Pieces written since the last [`DirSink::flush`], to flush where the system cannot flush
    /// a whole file system at once.
    unflushed: Vec<PathBuf>,
    /// Held until the sink is dropped: the folder's lock.
    _lock: fs::File,
}

impl DirSink {
    /// Takes the folder's lock (or says another build holds it) and makes the pieces' folder.
    pub fn new(dir: &Path) -> Result<DirSink, String> {
        fs::create_dir_all(dir.join(PIECES)).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let lock = lock(dir)?;
        Ok(DirSink {
            dir: dir.to_path_buf(),
            names: BTreeSet::new(),
            files_written: 0,
            bytes_written: 0,
            bytes_total: 0,
            repaired: 0,
            unflushed: Vec::new(),
            _lock: lock,
        })
    }

    /// Writes `name` in the archive directory if its bytes differ; true when it was written.
    /// Everything written before is flushed to the disk first, so the file (the manifest, last)
    /// never names a piece that a crash could lose.
    pub fn replace(&mut self, name: &str, bytes: &[u8]) -> Result<bool, String> {
        let path = self.dir.join(name);
        self.bytes_total += bytes.len() as u64;
        if fs::read(&path).is_ok_and(|old| old == bytes) {
            return Ok(false);
        }
        self.flush()?;
        write_atomically(&path, bytes)?;
        sync_dir(&self.dir)?;
        self.files_written += 1;
        self.bytes_written += bytes.len() as u64;
        Ok(true)
    }

    /// Makes every piece written so far durable: their bytes and their names in `p/`. One
    /// `syncfs` on Linux (an `fsync` per piece would cost minutes for a new archive of 300,000
    /// files); elsewhere each file, then the folder.
    pub fn flush(&mut self) -> Result<(), String> {
        if self.unflushed.is_empty() {
            return Ok(());
        }
        let pieces = self.dir.join(PIECES);
        #[cfg(target_os = "linux")]
        {
            let folder = fs::File::open(&pieces).map_err(|e| format!("cannot open {}: {e}", pieces.display()))?;
            use std::os::fd::AsRawFd;
            // SAFETY: a file descriptor this function owns, open for the call's duration.
            if unsafe { libc::syncfs(folder.as_raw_fd()) } != 0 {
                return Err(format!(
                    "cannot flush {} to the disk: {}",
                    pieces.display(),
                    std::io::Error::last_os_error()
                ));
            }
        }
        #[cfg(not(target_os = "linux"))]
        for path in &self.unflushed {
            fs::File::open(path)
                .and_then(|f| f.sync_all())
                .map_err(|e| format!("cannot flush {} to the disk: {e}", path.display()))?;
        }
        sync_dir(&pieces)?;
        self.unflushed.clear();
        Ok(())
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

/// A piece's name: the first 80 bits of the SHA-256 of its bytes, and its kind.
fn piece_name(bytes: &[u8], extension: &str) -> String {
    let hash = Sha256::digest(bytes);
    let hex: String = hash[..10].iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}.{extension}")
}

/// The pieces of the build already in a folder, each checked against its name: what the next
/// build reads back of it (its ordinals) must be what that build wrote.
pub struct OnDisk(pub PathBuf);

impl Pieces for OnDisk {
    fn get(&mut self, name: &str) -> Result<Option<Arc<[u8]>>, String> {
        let bytes = fs::read(self.0.join(PIECES).join(name)).map_err(|e| e.to_string())?;
        let extension = name.rsplit('.').next().unwrap_or_default();
        if piece_name(&bytes, extension) != name {
            return Err("its bytes do not match its name".into());
        }
        Ok(Some(bytes.into()))
    }
}

impl PieceSink for DirSink {
    fn put(&mut self, extension: &str, bytes: Vec<u8>) -> Result<String, String> {
        let name = piece_name(&bytes, extension);
        let path = self.dir.join(PIECES).join(&name);
        if !self.names.insert(name.clone()) {
            return Ok(name);
        }
        self.bytes_total += bytes.len() as u64;
        // A piece already on disk under its name is left alone (and keeps its date, so a sync to
        // the host skips it), once its bytes are checked: the name is a hash of the bytes, and a
        // damaged or truncated file under it is written again.
        let on_disk = match fs::metadata(&path) {
            Ok(m) if m.len() == bytes.len() as u64 => fs::read(&path).ok(),
            Ok(_) => Some(Vec::new()),
            Err(_) => None,
        };
        if on_disk.as_deref() != Some(&bytes[..]) {
            if on_disk.is_some() {
                self.repaired += 1;
            }
            write_unsynced(&path, &bytes)?;
            self.unflushed.push(path);
            self.files_written += 1;
            self.bytes_written += bytes.len() as u64;
        }
        Ok(name)
    }
}

/// The folder's build lock: an exclusive OS lock on `DIR/.release-embed-lock` (`flock` on Unix,
/// `LockFileEx` on Windows) that the system drops when the process ends, so a build killed half
/// way never leaves a lock behind. The file itself stays; only the lock on it counts.
pub fn lock(dir: &Path) -> Result<fs::File, String> {
    let path = dir.join(LOCK);
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("cannot open the lock {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(format!(
            "another build is writing into {} (it holds {LOCK}); wait for it to finish, then build again",
            dir.display()
        )),
        Err(fs::TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", path.display())),
    }
}

/// Writes a file under a temporary name, flushes it to the disk and renames it into place (the
/// folder is flushed by the caller: [`sync_dir`]).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    write_file(path, bytes, true)
}

/// As [`write_atomically`] without the flush, for pieces and release pages: [`DirSink::flush`]
/// flushes the pieces (on Linux the whole file system, pages too) before the manifest is written.
pub fn write_unsynced(path: &Path, bytes: &[u8]) -> Result<(), String> {
    write_file(path, bytes, false)
}

fn write_file(path: &Path, bytes: &[u8], sync: bool) -> Result<(), String> {
    let temp = path.with_extension(format!("tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        if sync {
            file.sync_all()?;
        }
        fs::rename(&temp, path)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&temp);
        format!("cannot write {}: {e}", path.display())
    })
}

/// Flushes a folder's entries (a rename is durable once its folder is).
pub fn sync_dir(dir: &Path) -> Result<(), String> {
    #[cfg(unix)]
    fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| format!("cannot flush {} to the disk: {e}", dir.display()))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
