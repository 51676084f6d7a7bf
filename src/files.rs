//! Reading and writing the small files pagerbook keeps or consults
//! (remembered values, kubeconfigs) without trusting what stands at their
//! path: a FIFO there must not block the interface, a huge file must not
//! fill memory, and a link planted next to one must not be written through.

use std::fs::{DirBuilder, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use rustix::fs::OFlags;

/// Reads a regular file of at most `limit` bytes as UTF-8.
///
/// # Errors
/// The file cannot be opened, is not a regular file (a FIFO, a device, a
/// directory), is larger than `limit`, or is not UTF-8.
pub fn read_regular(path: &Path, limit: u64) -> io::Result<String> {
    String::from_utf8(read_regular_bytes(path, limit)?).map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err))
}

/// Reads a regular file of at most `limit` bytes, whatever its size says
/// (`/proc` files say 0 and go on for ever) and whatever it has become
/// since it was looked at (a FIFO put in its place must not block).
///
/// # Errors
/// The file cannot be opened, is not a regular file (`InvalidInput`), or
/// holds more than `limit` bytes (`FileTooLarge`).
pub fn read_regular_bytes(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    // Opening a FIFO for reading blocks until a writer comes, unless
    // non-blocking; a regular file ignores the flag.
    let nonblocking = i32::try_from(OFlags::NONBLOCK.bits()).map_err(io::Error::other)?;
    let file: File = OpenOptions::new().read(true).custom_flags(nonblocking).open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"));
    }
    let mut bytes = Vec::new();
    // Taking one byte more than allowed tells a file that grew past it.
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(io::ErrorKind::FileTooLarge, format!("larger than {limit} bytes")));
    }
    Ok(bytes)
}

/// Opens `path` with `options`, refusing (`ELOOP`) rather than following a
/// link there, and without blocking on a FIFO; what is opened must be a
/// regular file.
///
/// # Errors
/// It cannot be opened, is a link, or is not a regular file.
pub fn open_no_follow(options: &mut OpenOptions, path: &Path) -> io::Result<File> {
    let flags = OFlags::NOFOLLOW | OFlags::NONBLOCK;
    let file = options.custom_flags(i32::try_from(flags.bits()).map_err(io::Error::other)?).open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"));
    }
    Ok(file)
}

/// A directory of our own at `path`, made (owner-only) if missing, opened
/// without following a link: files are then made in it with
/// [`create_in`], so no link anywhere on the way is written through. An
/// existing one must be ours and readable by us only.
///
/// # Errors
/// It cannot be made or opened, is a link, or is not private to us.
pub fn private_dir(path: &Path) -> io::Result<rustix::fd::OwnedFd> {
    match DirBuilder::new().mode(0o700).create(path) {
        Err(err) if err.kind() != io::ErrorKind::AlreadyExists => return Err(err),
        _ => {}
    }
    let dir = rustix::fs::open(
        path,
        OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::RDONLY | OFlags::CLOEXEC,
        rustix::fs::Mode::empty(),
    )?;
    let stat = rustix::fs::fstat(&dir)?;
    if stat.st_uid != rustix::process::getuid().as_raw() || stat.st_mode & 0o077 != 0 {
        return Err(io::Error::new(io::ErrorKind::PermissionDenied, "not a directory private to this user"));
    }
    Ok(dir)
}

/// Creates file `name` in directory `dir`, owner-only, only where nothing
/// is (a link there is not followed).
///
/// # Errors
/// Something is there already, or it cannot be created.
pub fn create_in(dir: &rustix::fd::OwnedFd, name: &str) -> io::Result<File> {
    let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    Ok(File::from(rustix::fs::openat(dir, name, flags, rustix::fs::Mode::from_raw_mode(0o600))?))
}

/// Replaces `path` with `bytes`, readable by its owner only (creating its
/// directory, owner-only too, if need be): what pagerbook keeps for its
/// user. A crash leaves the old file or the new one, never half of one.
///
/// The new text goes to a temporary file with a random name, created
/// exclusively (`O_EXCL`: a link planted there is never followed), synced,
/// then renamed over `path` (which replaces a link at `path` rather than
/// writing through it).
///
/// # Errors
/// The directory cannot be created or written, or the disk is full.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace(path, bytes, 0o600, 0o700)
}

/// As [`write_private`], but readable by all (as the umask allows): what is
/// written to be shared, published or printed (exported pages, imported
/// catalog files).
///
/// # Errors
/// As [`write_private`].
pub fn write_shared(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace(path, bytes, 0o644, 0o755)
}

fn replace(path: &Path, bytes: &[u8], mode: u32, dir_mode: u32) -> io::Result<()> {
    let dir = path.parent().filter(|dir| !dir.as_os_str().is_empty()).unwrap_or(Path::new("."));
    DirBuilder::new().recursive(true).mode(dir_mode).create(dir)?;
    let mut temporary = tempfile::Builder::new().permissions(std::fs::Permissions::from_mode(mode)).tempfile_in(dir)?;
    temporary.write_all(bytes)?;
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|err| err.error)?;
    // The rename itself is durable once the directory is synced; a file
    // system that cannot sync a directory still has the new file.
    let _ = File::open(dir).and_then(|dir| dir.sync_all());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_small_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, "héllo").unwrap();
        assert_eq!(read_regular(&path, 6).unwrap(), "héllo");
        assert_eq!(read_regular(&dir.path().join("none"), 6).unwrap_err().kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn a_file_whose_size_lies_is_still_bounded() {
        // Regression (issue 11 #5): the size check trusted `stat`, and
        // `/proc/self/pagemap` (size 0) grew memory at 170 MB/s.
        assert_eq!(std::fs::metadata("/proc/self/status").unwrap().len(), 0, "a file that says it is empty");
        assert_eq!(
            read_regular_bytes(Path::new("/proc/self/status"), 64).unwrap_err().kind(),
            io::ErrorKind::FileTooLarge
        );
    }

    #[test]
    fn refuses_a_file_over_the_limit_a_directory_and_a_device() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, "1234567").unwrap();
        assert_eq!(read_regular(&path, 6).unwrap_err().kind(), io::ErrorKind::FileTooLarge);
        assert_eq!(read_regular(dir.path(), 6).unwrap_err().kind(), io::ErrorKind::InvalidInput);
        assert_eq!(read_regular(Path::new("/dev/zero"), 6).unwrap_err().kind(), io::ErrorKind::InvalidInput);
    }

    #[test]
    fn writes_owner_only_through_no_planted_link() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data").join("values.toml");
        write_private(&path, b"first").unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!((mode(&path), mode(path.parent().unwrap())), (0o600, 0o700));
        // The old code wrote `values.toml.tmp`: a link there must lead nowhere.
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "untouched").unwrap();
        std::os::unix::fs::symlink(&victim, path.with_extension("toml.tmp")).unwrap();
        write_private(&path, b"second").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "second");
        // A link at the path itself is replaced, not written through.
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        write_private(&path, b"third").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
        assert!(std::fs::symlink_metadata(&path).unwrap().file_type().is_file());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "third");
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left.len(), 2, "temporary files left behind: {left:?}");
    }

    #[test]
    fn a_shared_file_is_readable_by_all_as_the_umask_allows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pages").join("a.md");
        write_shared(&path, b"page").unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        // Read, not set: setting it would change every test's files.
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let umask = status.lines().find_map(|l| l.strip_prefix("Umask:")).unwrap().trim();
        let umask = u32::from_str_radix(umask, 8).unwrap();
        assert_eq!((mode(&path), mode(path.parent().unwrap())), (0o644 & !umask, 0o755 & !umask));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "page");
    }

    /// A FIFO planted where a file is expected would block a plain open
    /// until someone writes to it.
    #[test]
    fn a_fifo_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fifo");
        rustix::fs::mkfifoat(rustix::fs::CWD, &path, rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR).unwrap();
        let started = std::time::Instant::now();
        assert_eq!(read_regular(&path, 6).unwrap_err().kind(), io::ErrorKind::InvalidInput);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }
}
