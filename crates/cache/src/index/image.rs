//! The index's image on disk: a built index written next to its cache file, so that the
//! next open reads it back instead of building it again from every row (a build is
//! seconds at a million users; see BENCHMARKS.md).
//!
//! An image is keyed to the state of the file it shows: the file's count of writes and
//! its last sync. Another key, another format, a checksum that does not match, a length
//! that does not fit: the image is ignored and the index built as before. Nothing read
//! from it is trusted beyond what [`BaseIndex::check`] proves, so a damaged image costs
//! time, never a panic.
//!
//! Layout: magic, format, key, then each column of [`BaseIndex`] as an element count
//! followed by the elements, then the XXH3-64 of every byte before it. Counts and key are
//! little-endian; the format number and the columns are in the machine's own order, so an
//! image from a machine of the other order reads as another format and is rebuilt.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

use bytemuck::Pod;
use xxhash_rust::xxh3::Xxh3;

use super::{BaseIndex, Offsets, words};
use crate::sig;

const MAGIC: &[u8; 8] = b"GHINDEX\0";

/// Bump on any change to the layout below or to what the index derives from a row
/// (folding, signatures, onboarding, the sort orders' ties): an image of another format
/// is rebuilt, never misread.
const FORMAT: u32 = 2;

/// The state of the cache file an image shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ImageKey {
    /// The file's random identity (`schema::identity`): a file started again from empty
    /// counts its writes from 0 again.
    pub file: [u8; 16],
    /// The file's count of writes (`schema::writes`).
    pub writes: i64,
}

/// Where the image of the cache file at `cache` lives: beside it, named like SQLite's
/// own companions (`-wal`, `-shm`).
pub(crate) fn image_path(cache: &Path) -> PathBuf {
    let mut name = cache.as_os_str().to_owned();
    name.push("-index");
    PathBuf::from(name)
}

/// Removes what a writer of an image left when its process ended mid-write (the CLI exits
/// while a background save runs). Only files over a minute old: another process may be
/// writing one now. Best effort: a file that stays costs disk, not correctness.
pub(crate) fn remove_abandoned_writes(image: &Path) {
    let (Some(dir), Some(name)) = (image.parent(), image.file_name()) else {
        return;
    };
    let mut prefix = name.to_owned();
    prefix.push(".tmp-");
    let prefix = prefix.to_string_lossy().into_owned();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let abandoned = entry.file_name().to_string_lossy().starts_with(&prefix)
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|at| at.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 60);
        if abandoned {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The columns actions change in place, copied at one moment so that they agree with the
/// count of writes the image is saved under.
pub(crate) struct Changing {
    active: Vec<u64>,
    dead: Vec<u64>,
    onboarding: Vec<u8>,
}

/// Why an image was not used.
#[derive(Debug)]
pub(crate) enum Rejected {
    /// No image, or it could not be read.
    Unreadable(io::Error),
    /// An image of another file state or format.
    Stale,
    /// Its bytes do not hold together: torn, truncated or damaged.
    Damaged(&'static str),
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rejected::Unreadable(error) if error.kind() == io::ErrorKind::NotFound => {
                f.write_str("no image yet")
            }
            Rejected::Unreadable(error) => write!(f, "image unreadable: {error}"),
            Rejected::Stale => f.write_str("image of another state of the file"),
            Rejected::Damaged(what) => write!(f, "image damaged ({what})"),
        }
    }
}

impl From<io::Error> for Rejected {
    fn from(error: io::Error) -> Self {
        if error.kind() == io::ErrorKind::UnexpectedEof {
            Rejected::Damaged("truncated")
        } else {
            Rejected::Unreadable(error)
        }
    }
}

impl BaseIndex {
    pub(crate) fn changing(&self) -> Changing {
        Changing {
            active: load_all(&self.active),
            dead: load_all(&self.dead),
            onboarding: self
                .onboarding
                .iter()
                .map(|o| o.load(Ordering::Relaxed))
                .collect(),
        }
    }

    /// Writes the image of this index, with `changing` as its in-place columns, for the
    /// file state `key`. Written to a temporary file renamed over the old image, so a
    /// reader sees a whole image or none.
    pub(crate) fn save_image(
        &self,
        changing: &Changing,
        key: ImageKey,
        path: &Path,
    ) -> io::Result<()> {
        let mut temp = path.as_os_str().to_owned();
        temp.push(format!(".tmp-{}", std::process::id()));
        let temp = PathBuf::from(temp);
        let written = (|| {
            let mut out = Sink::new(private_file(&temp)?);
            out.raw(MAGIC)?;
            out.raw(&FORMAT.to_ne_bytes())?;
            out.raw(&key.file)?;
            out.raw(&key.writes.to_le_bytes())?;
            out.column(&self.hay)?;
            out.offsets(&self.row_start)?;
            out.column(&self.ids)?;
            out.offsets(&self.id_start)?;
            out.column(&self.created)?;
            out.column(&self.last_login)?;
            out.column(&self.provider)?;
            let names: Vec<u8> = self.providers.concat();
            let mut ends = Vec::with_capacity(self.providers.len());
            let mut end = 0u64;
            for name in &self.providers {
                end += name.len() as u64;
                ends.push(end);
            }
            out.column(&names)?;
            out.column(&ends)?;
            for word in &self.sigs {
                out.column(word)?;
            }
            out.column(&self.sig_counts)?;
            out.column(&self.anon)?;
            out.column(&changing.active)?;
            out.column(&changing.dead)?;
            out.column(&changing.onboarding)?;
            for perm in &self.perms {
                out.column(perm)?;
            }
            out.finish()
        })();
        match written.and_then(|()| std::fs::rename(&temp, path)) {
            Ok(()) => Ok(()),
            Err(error) => {
                let _ = std::fs::remove_file(&temp);
                Err(error)
            }
        }
    }

    /// Reads the image at `path` if it shows the file state `key`.
    pub(crate) fn load_image(path: &Path, key: ImageKey) -> Result<BaseIndex, Rejected> {
        let file = File::open(path)?;
        let size = file.metadata()?.len();
        let mut input = Source::new(BufReader::with_capacity(1 << 20, file), size);
        let mut head = [0u8; 8 + 4 + 16 + 8];
        input.raw(&mut head)?;
        if &head[..8] != MAGIC {
            return Err(Rejected::Damaged("not an index image"));
        }
        let format = u32::from_ne_bytes(head[8..12].try_into().unwrap_or_default());
        let file = head[12..28].try_into().unwrap_or_default();
        let writes = i64::from_le_bytes(head[28..36].try_into().unwrap_or_default());
        if format != FORMAT || (ImageKey { file, writes }) != key {
            return Err(Rejected::Stale);
        }
        let hay = input.column()?;
        let row_start = input.offsets()?;
        let ids = input.column()?;
        let id_start = input.offsets()?;
        let created = input.column()?;
        let last_login = input.column()?;
        let provider = input.column()?;
        let names: Vec<u8> = input.column()?;
        let ends: Vec<u64> = input.column()?;
        let mut providers = Vec::with_capacity(ends.len());
        let mut start = 0usize;
        for end in ends {
            let end = usize::try_from(end).map_err(|_| Rejected::Damaged("provider names"))?;
            let name = names
                .get(start..end)
                .ok_or(Rejected::Damaged("provider names"))?;
            providers.push(name.to_vec());
            start = end;
        }
        let mut sigs: [Vec<u64>; sig::WORDS] = Default::default();
        for word in &mut sigs {
            *word = input.column()?;
        }
        let sig_counts = input.column()?;
        let anon = input.column()?;
        let active: Vec<u64> = input.column()?;
        let dead: Vec<u64> = input.column()?;
        let onboarding: Vec<u8> = input.column()?;
        let perms = [input.column()?, input.column()?, input.column()?];
        input.finish()?;
        let index = BaseIndex {
            hay,
            row_start,
            ids,
            id_start,
            created,
            last_login,
            provider,
            providers,
            sigs,
            sig_counts,
            anon,
            active: active.into_iter().map(AtomicU64::new).collect(),
            dead: dead.into_iter().map(AtomicU64::new).collect(),
            onboarding: onboarding.into_iter().map(AtomicU8::new).collect(),
            perms,
            later_perms: Default::default(),
        };
        index.check().map_err(Rejected::Damaged)?;
        Ok(index)
    }

    /// That every slice the index's accessors take lies inside its columns, and every
    /// order is a permutation of the rows: what an index read from outside must prove
    /// before any query indexes into it.
    pub(crate) fn check(&self) -> Result<(), &'static str> {
        let n = self.created.len();
        let lengths = [
            self.last_login.len(),
            self.provider.len(),
            self.onboarding.len(),
        ];
        if lengths.iter().any(|&len| len != n) || self.sigs.iter().any(|s| s.len() != n) {
            return Err("column lengths");
        }
        if self.row_start.len() != n + 1 || self.id_start.len() != n + 1 {
            return Err("row offsets");
        }
        let w = words(n);
        if self.anon.len() != w || self.active.len() != w || self.dead.len() != w {
            return Err("row bits");
        }
        if self.sig_counts.len() != sig::BITS {
            return Err("signature counts");
        }
        if !self.row_start.cover(self.hay.len()) || !self.id_start.cover(self.ids.len()) {
            return Err("row offsets");
        }
        if self
            .provider
            .iter()
            .any(|&p| p as usize >= self.providers.len())
        {
            return Err("providers");
        }
        let mut seen = vec![0u64; w];
        for perm in &self.perms {
            if perm.len() != n {
                return Err("sort orders");
            }
            seen.fill(0);
            for &r in perm {
                let r = r as usize;
                if r >= n || seen[r / 64] >> (r % 64) & 1 == 1 {
                    return Err("sort orders");
                }
                seen[r / 64] |= 1 << (r % 64);
            }
        }
        Ok(())
    }
}

fn load_all(bits: &[AtomicU64]) -> Vec<u64> {
    bits.iter().map(|w| w.load(Ordering::Relaxed)).collect()
}

/// The image holds the same user data as the cache file: readable by its owner only.
fn private_file(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// A writer that hashes what it writes.
struct Sink {
    out: BufWriter<File>,
    hash: Xxh3,
}

impl Sink {
    fn new(file: File) -> Sink {
        Sink {
            out: BufWriter::with_capacity(1 << 20, file),
            hash: Xxh3::new(),
        }
    }

    fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.hash.update(bytes);
        self.out.write_all(bytes)
    }

    fn column<T: Pod>(&mut self, values: &[T]) -> io::Result<()> {
        self.raw(&(values.len() as u64).to_le_bytes())?;
        self.raw(bytemuck::cast_slice(values))
    }

    fn offsets(&mut self, offsets: &Offsets) -> io::Result<()> {
        let (low, wraps) = offsets.parts();
        self.column(low)?;
        self.column(wraps)
    }

    fn finish(mut self) -> io::Result<()> {
        let sum = self.hash.digest();
        self.out.write_all(&sum.to_le_bytes())?;
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()
    }
}

/// A reader that hashes what it reads and refuses a length the file cannot hold, so a
/// damaged count never becomes a huge allocation.
struct Source {
    input: BufReader<File>,
    hash: Xxh3,
    left: u64,
}

impl Source {
    fn new(input: BufReader<File>, size: u64) -> Source {
        Source {
            input,
            hash: Xxh3::new(),
            left: size,
        }
    }

    fn raw(&mut self, into: &mut [u8]) -> Result<(), Rejected> {
        let len = into.len() as u64;
        if len > self.left {
            return Err(Rejected::Damaged("truncated"));
        }
        self.input.read_exact(into)?;
        self.hash.update(into);
        self.left -= len;
        Ok(())
    }

    fn column<T: Pod>(&mut self) -> Result<Vec<T>, Rejected> {
        let mut count = [0u8; 8];
        self.raw(&mut count)?;
        let count = u64::from_le_bytes(count);
        let size = count.checked_mul(std::mem::size_of::<T>() as u64);
        let count = match size {
            Some(size) if size <= self.left => count as usize,
            _ => return Err(Rejected::Damaged("column length")),
        };
        let mut values = vec![T::zeroed(); count];
        self.raw(bytemuck::cast_slice_mut(&mut values))?;
        Ok(values)
    }

    fn offsets(&mut self) -> Result<Offsets, Rejected> {
        let (low, wraps) = (self.column()?, self.column()?);
        Offsets::from_parts(low, wraps).ok_or(Rejected::Damaged("row offsets"))
    }

    fn finish(mut self) -> Result<(), Rejected> {
        let mut sum = [0u8; 8];
        let expected = self.hash.digest();
        self.input.read_exact(&mut sum)?;
        self.left = self.left.saturating_sub(8);
        if u64::from_le_bytes(sum) != expected || self.left != 0 {
            return Err(Rejected::Damaged("checksum"));
        }
        Ok(())
    }
}
