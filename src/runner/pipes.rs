//! The reader of a child's two output pipes, one thread for both, turning
//! what it reads into cleaned lines.

use std::os::fd::OwnedFd;

use rustix::event::{PollFd, PollFlags, poll};
use rustix::io::Errno;

use super::Stream;
use super::lines::LineSplitter;

/// The child's output pipes, read by one thread as each becomes readable.
///
/// One reader for both keeps the order the child wrote in whenever its
/// writes to the two pipes are further apart than this thread takes to be
/// woken and run (tens of microseconds on an idle machine, up to a
/// scheduler time slice on a busy one): a line read first is sent first.
/// Two pipes have no common order, so writes that both land before the
/// thread runs come out stdout first. Only a single pipe would keep that
/// order, and it would lose which stream each line came from.
pub(super) struct Pipes {
    open: Vec<Pipe>,
}

/// One open pipe and the line it is in the middle of.
struct Pipe {
    stream: Stream,
    source: OwnedFd,
    lines: LineSplitter,
}

impl Pipes {
    /// Small reads, so a burst on one pipe cannot hold back a line that
    /// arrived meanwhile on the other.
    const READ_SIZE: usize = 4096;

    /// The pipes the child has (both, unless spawning failed to make one).
    pub(super) fn new(pipes: impl IntoIterator<Item = Option<(Stream, OwnedFd)>>) -> Pipes {
        let open =
            pipes.into_iter().flatten().map(|(stream, source)| Pipe { stream, source, lines: LineSplitter::default() });
        Pipes { open: open.collect() }
    }

    /// Reads every pipe to EOF, sending each cleaned line to `emit`.
    pub(super) fn drain(mut self, emit: &mut impl FnMut(Stream, String)) {
        while !self.open.is_empty() {
            self.read_ready(emit);
        }
    }

    /// Waits until a pipe is readable (or closed), then reads once from each
    /// that is, stdout first. A pipe at EOF or failing is finished and closed.
    fn read_ready(&mut self, emit: &mut impl FnMut(Stream, String)) {
        let mut fds: Vec<PollFd<'_>> = self.open.iter().map(|pipe| PollFd::new(&pipe.source, PollFlags::IN)).collect();
        let ready: Vec<bool> = match poll(&mut fds, None) {
            Ok(_) => fds.iter().map(|fd| !fd.revents().is_empty()).collect(),
            Err(Errno::INTR) => return,
            Err(_) => {
                // Nothing can wait for the pipes (short of running out of
                // memory, this does not happen): closing them ends the
                // child's writes with SIGPIPE rather than blocking it forever.
                self.open.drain(..).for_each(|pipe| pipe.lines.finish(&mut |line| emit(pipe.stream, line)));
                return;
            }
        };
        let mut ready = ready.into_iter();
        let mut buffer = [0; Self::READ_SIZE];
        self.open.retain_mut(|pipe| !ready.next().unwrap_or(false) || pipe.read_once(&mut buffer, emit));
    }
}

impl Pipe {
    /// Reads what the pipe holds, up to a buffer; false once it is closed.
    fn read_once(&mut self, buffer: &mut [u8], emit: &mut impl FnMut(Stream, String)) -> bool {
        let stream = self.stream;
        let mut emit = |line| emit(stream, line);
        match rustix::io::read(&self.source, &mut *buffer) {
            Ok(0) => {}
            Ok(read) => {
                self.lines.feed(&buffer[..read], &mut emit);
                return true;
            }
            Err(Errno::INTR | Errno::AGAIN) => return true,
            Err(_) => {}
        }
        std::mem::take(&mut self.lines).finish(&mut emit);
        false
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::{Pipes, Stream};

    /// The reader alone keeps the order, with pipes the test writes to.
    #[test]
    fn the_reader_sends_each_pipe_as_it_becomes_readable_and_finishes_both() {
        let (stdout, mut stdout_writer) = std::io::pipe().unwrap();
        let (stderr, mut stderr_writer) = std::io::pipe().unwrap();
        let mut pipes = Pipes::new([Some((Stream::Stdout, stdout.into())), Some((Stream::Stderr, stderr.into()))]);
        let mut lines = Vec::new();
        let mut emit = |stream, line: String| lines.push(format!("{stream:?} {line}"));
        stdout_writer.write_all(b"out1\nunfinished ").unwrap();
        pipes.read_ready(&mut emit);
        stderr_writer.write_all(b"err1\n").unwrap();
        pipes.read_ready(&mut emit);
        stdout_writer.write_all(b"out2").unwrap();
        drop((stdout_writer, stderr_writer));
        pipes.drain(&mut emit);
        assert_eq!(lines, ["Stdout out1", "Stderr err1", "Stdout unfinished out2"]);
    }
}
