//! Reading the small files pagerbook keeps or consults (remembered values,
//! kubeconfigs) without trusting what stands at their path: a FIFO there
//! must not block the interface, and a huge file must not fill memory.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use rustix::fs::OFlags;

/// Reads a regular file of at most `limit` bytes as UTF-8.
///
/// # Errors
/// The file cannot be opened, is not a regular file (a FIFO, a device, a
/// directory), is larger than `limit`, or is not UTF-8.
pub fn read_regular(path: &Path, limit: u64) -> io::Result<String> {
    // Opening a FIFO for reading blocks until a writer comes, unless
    // non-blocking; a regular file ignores the flag.
    let nonblocking = i32::try_from(OFlags::NONBLOCK.bits()).map_err(io::Error::other)?;
    let file: File = OpenOptions::new().read(true).custom_flags(nonblocking).open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"));
    }
    let mut text = String::new();
    // Taking one byte more than allowed tells a file that grew past it.
    file.take(limit + 1).read_to_string(&mut text)?;
    if text.len() as u64 > limit {
        return Err(io::Error::new(io::ErrorKind::FileTooLarge, format!("larger than {limit} bytes")));
    }
    Ok(text)
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
    fn refuses_a_file_over_the_limit_a_directory_and_a_device() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, "1234567").unwrap();
        assert_eq!(read_regular(&path, 6).unwrap_err().kind(), io::ErrorKind::FileTooLarge);
        assert_eq!(read_regular(dir.path(), 6).unwrap_err().kind(), io::ErrorKind::InvalidInput);
        assert_eq!(read_regular(Path::new("/dev/zero"), 6).unwrap_err().kind(), io::ErrorKind::InvalidInput);
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
