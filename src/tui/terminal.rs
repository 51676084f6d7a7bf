//! Taking the terminal and giving it back: raw mode, the alternate screen,
//! mouse and bracketed paste on the way in, all undone on the way out,
//! including when the program panics.

use std::fs::File;
use std::io::{self, BufWriter, Stdout, Write, stdout};
use std::sync::{Once, OnceLock};

use crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// The terminal the navigator draws on. Frames go through a buffer larger
/// than any frame, so each is one write: through `Stdout`'s own 1 KiB line
/// buffer the first frame took eleven.
pub type Tui = Terminal<CrosstermBackend<BufWriter<Screen>>>;

/// The terminal itself, when the navigator draws there rather than on
/// standard output: `--print` leaves standard output to the command it
/// hands to the shell's `$(…)`, as fzf does.
static TTY: OnceLock<File> = OnceLock::new();

/// Draws on the terminal (`/dev/tty`) from now on, not on standard output.
///
/// # Errors
/// The process has no terminal.
pub fn draw_on_the_terminal() -> io::Result<()> {
    let tty = std::fs::OpenOptions::new().read(true).write(true).open("/dev/tty")?;
    let _ = TTY.set(tty);
    Ok(())
}

/// Where frames and the terminal's modes are written.
pub enum Screen {
    Stdout(Stdout),
    Tty(&'static File),
}

fn screen() -> Screen {
    TTY.get().map_or_else(|| Screen::Stdout(stdout()), Screen::Tty)
}

impl Write for Screen {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match self {
            Screen::Stdout(out) => out.write(bytes),
            Screen::Tty(tty) => tty.write(bytes),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Screen::Stdout(out) => out.flush(),
            Screen::Tty(tty) => tty.flush(),
        }
    }
}

/// Larger than a full 4K-wide frame with colours.
const FRAME_BUFFER: usize = 256 * 1024;

static PANIC_HOOK: Once = Once::new();

/// Takes the terminal. The first call also installs a panic hook that gives
/// the terminal back before the panic message is printed.
pub fn init() -> io::Result<Tui> {
    PANIC_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            crate::runner::kill_all();
            restore();
            previous(info);
        }));
    });
    enter()?;
    Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(FRAME_BUFFER, screen())))
}

fn enter() -> io::Result<()> {
    enable_raw_mode()?;
    let entered = execute!(screen(), EnterAlternateScreen, EnableMouseCapture, EnableBracketedPaste);
    if entered.is_err() {
        restore();
    }
    entered
}

/// Gives the terminal back. Never fails: there is nothing better to do with
/// an error while leaving.
pub fn restore() {
    let _ = execute!(screen(), DisableBracketedPaste, DisableMouseCapture, LeaveAlternateScreen);
    let _ = disable_raw_mode();
}

/// Gives the terminal back while `work` runs (a command that needs it, a
/// stop), then takes it again and redraws from scratch.
pub fn hand_over<T>(terminal: &mut Tui, work: impl FnOnce() -> T) -> io::Result<T> {
    restore();
    let done = work();
    enter()?;
    terminal.clear()?;
    Ok(done)
}

/// Gives the terminal back, stops the process as Ctrl-Z does in a shell,
/// and takes the terminal again when `fg` continues it.
pub fn suspend(terminal: &mut Tui) -> io::Result<()> {
    #[cfg(unix)]
    return hand_over(terminal, || signal_hook::low_level::raise(signal_hook::consts::SIGTSTP))?;
    #[cfg(not(unix))]
    hand_over(terminal, || Ok(()))?
}
