//! Taking the terminal and giving it back: raw mode, the alternate screen,
//! mouse and bracketed paste on the way in, all undone on the way out,
//! including when the program panics.

use std::io::{self, BufWriter, Stdout, stdout};
use std::sync::Once;

use crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// The terminal the navigator draws on. Frames go through a buffer larger
/// than any frame, so each is one write: through `Stdout`'s own 1 KiB line
/// buffer the first frame took eleven.
pub type Tui = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

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
    Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(FRAME_BUFFER, stdout())))
}

fn enter() -> io::Result<()> {
    enable_raw_mode()?;
    let entered = execute!(stdout(), EnterAlternateScreen, EnableMouseCapture, EnableBracketedPaste);
    if entered.is_err() {
        restore();
    }
    entered
}

/// Gives the terminal back. Never fails: there is nothing better to do with
/// an error while leaving.
pub fn restore() {
    let _ = execute!(stdout(), DisableBracketedPaste, DisableMouseCapture, LeaveAlternateScreen);
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
