//! Copying a command to the clipboard, the way that works where the person
//! sits: over SSH the terminal's own clipboard (OSC 52) is the only one that
//! reaches them; locally the platform's tool. The clipboard is only ever
//! written, never read.

use std::io::{self, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Where the program runs, as far as copying cares.
// Each bool is a fact read from the environment, not a state.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Place {
    /// `SSH_CONNECTION` is set: the person's clipboard is on another machine.
    pub ssh: bool,
    /// `TMUX` is set.
    pub tmux: bool,
    /// `WAYLAND_DISPLAY` is set.
    pub wayland: bool,
    /// `DISPLAY` is set (X11).
    pub x11: bool,
    /// macOS.
    pub macos: bool,
}

impl Place {
    /// Reads the process environment.
    #[must_use]
    pub fn from_process() -> Self {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        Place {
            ssh: set("SSH_CONNECTION"),
            tmux: set("TMUX"),
            wayland: set("WAYLAND_DISPLAY"),
            x11: set("DISPLAY"),
            macos: cfg!(target_os = "macos"),
        }
    }
}

/// One way to reach a clipboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A program that reads the text on its standard input.
    Tool(&'static str, &'static [&'static str]),
    /// The OSC 52 escape sequence, written to the terminal.
    Osc52,
}

impl Method {
    /// How the status line names it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Method::Tool("tmux", _) => "tmux buffer",
            Method::Tool(program, _) => program,
            Method::Osc52 => "terminal (OSC 52)",
        }
    }
}

const TMUX: Method = Method::Tool("tmux", &["load-buffer", "-w", "-"]);
const WL_COPY: Method = Method::Tool("wl-copy", &[]);
const XCLIP: Method = Method::Tool("xclip", &["-selection", "clipboard"]);
const XSEL: Method = Method::Tool("xsel", &["--clipboard", "--input"]);
const PBCOPY: Method = Method::Tool("pbcopy", &[]);

/// The ways to try, in order, and whether every one of them is used
/// (`all`) or only the first that works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Methods in order.
    pub methods: Vec<Method>,
    /// Use every method rather than stopping at the first that works.
    pub all: bool,
}

/// Over SSH: OSC 52 (and the tmux buffer inside tmux), both, since neither
/// can tell whether the text arrived. Locally: tmux, then the platform's
/// tool, then OSC 52 as the last resort.
#[must_use]
pub fn plan(place: Place) -> Plan {
    let mut methods = Vec::new();
    if place.tmux {
        methods.push(TMUX);
    }
    if !place.ssh {
        if place.wayland {
            methods.push(WL_COPY);
        }
        if place.x11 {
            methods.extend([XCLIP, XSEL]);
        }
        if place.macos {
            methods.push(PBCOPY);
        }
    }
    methods.push(Method::Osc52);
    Plan { methods, all: place.ssh }
}

/// What became of a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    /// Methods that took the text.
    pub by: Vec<Method>,
    /// Methods that failed, with why.
    pub failed: Vec<(Method, String)>,
}

impl Copied {
    /// Only OSC 52 took it, and nothing says the terminal accepts it: the
    /// person may need the text shown to select it by hand.
    #[must_use]
    pub fn unconfirmed(&self) -> bool {
        self.by.iter().all(|m| *m == Method::Osc52)
    }

    /// One line for the status bar.
    #[must_use]
    pub fn summary(&self) -> String {
        if self.by.is_empty() {
            let why: Vec<String> = self.failed.iter().map(|(m, why)| format!("{}: {why}", m.name())).collect();
            return format!("copy failed ({})", why.join("; "));
        }
        let by: Vec<&str> = self.by.iter().map(|m| m.name()).collect();
        format!("copied to the {}", by.join(" and the "))
    }
}

/// The OSC 52 sequence that asks the terminal to put `text` on its
/// clipboard.
#[must_use]
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

/// Copies `text` following `plan`; `terminal` receives the OSC 52 sequence.
pub fn copy(text: &str, plan: &Plan, terminal: &mut dyn Write) -> Copied {
    let mut copied = Copied { by: Vec::new(), failed: Vec::new() };
    for &method in &plan.methods {
        if !plan.all && !copied.by.is_empty() {
            break;
        }
        let outcome = match method {
            Method::Tool(program, args) => pipe_to(program, args, text),
            Method::Osc52 => terminal.write_all(osc52(text).as_bytes()).and_then(|()| terminal.flush()),
        };
        match outcome {
            Ok(()) => copied.by.push(method),
            Err(err) => copied.failed.push((method, err.to_string())),
        }
    }
    copied
}

/// How long a clipboard tool may take: they fork to serve the selection, so
/// the one started returns at once when all is well.
const TOOL_TIMEOUT: Duration = Duration::from_secs(2);

/// Gives `text` to a clipboard tool. The write happens on a thread, so the
/// timeout covers it too: a tool that never reads its input would otherwise
/// block the navigator until the pipe drains (45 s for 100 KB), then report
/// success. A tool that closes its input before taking all of the text has
/// not copied it.
fn pipe_to(program: &str, args: &[&str], text: &str) -> io::Result<()> {
    let mut child =
        Command::new(program).args(args).stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::null()).spawn()?;
    let stdin = child.stdin.take();
    let bytes = text.as_bytes().to_vec();
    let (done, written) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // The input closes when the thread ends: the tool sees its end.
        let result = stdin.map_or(Ok(()), |mut stdin| stdin.write_all(&bytes));
        let _ = done.send(result);
    });
    let deadline = Instant::now() + TOOL_TIMEOUT;
    let give_up = |child: &mut std::process::Child, why: String| {
        let _ = child.kill();
        let _ = child.wait();
        Err(io::Error::other(why))
    };
    // Closed before it had the text: it failed (its status says how) or it
    // did not read it.
    let mut unread = false;
    match written.recv_timeout(TOOL_TIMEOUT) {
        Ok(Ok(())) => {}
        Ok(Err(err)) if err.kind() == io::ErrorKind::BrokenPipe => unread = true,
        Ok(Err(err)) => return give_up(&mut child, err.to_string()),
        Err(_) => return give_up(&mut child, format!("{program} did not take the text")),
    }
    loop {
        if let Some(status) = child.try_wait()? {
            return match (status.success(), unread) {
                (false, _) => Err(io::Error::other(format!("{program} {status}"))),
                (true, true) => Err(io::Error::other(format!("{program} did not read the text"))),
                (true, false) => Ok(()),
            };
        }
        if Instant::now() > deadline {
            return give_up(&mut child, format!("{program} did not finish"));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Standard base64 with padding: the one encoding OSC 52 takes.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_vectors() {
        for (text, encoded) in
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE=")]
        {
            assert_eq!(base64(text.as_bytes()), encoded, "{text}");
        }
        assert_eq!(osc52("kubectl get pods"), "\x1b]52;c;a3ViZWN0bCBnZXQgcG9kcw==\x07");
    }

    #[test]
    fn over_ssh_the_terminal_gets_it_and_tmux_too() {
        let remote = Place { ssh: true, tmux: true, x11: true, ..Place::default() };
        assert_eq!(plan(remote), Plan { methods: vec![TMUX, Method::Osc52], all: true });
        let remote = Place { ssh: true, ..Place::default() };
        assert_eq!(plan(remote), Plan { methods: vec![Method::Osc52], all: true });
    }

    #[test]
    fn locally_the_first_tool_that_works_wins() {
        let local = Place { x11: true, wayland: true, ..Place::default() };
        assert_eq!(plan(local), Plan { methods: vec![WL_COPY, XCLIP, XSEL, Method::Osc52], all: false });
        let bare = Place::default();
        assert_eq!(plan(bare).methods, [Method::Osc52]);
    }

    #[test]
    fn a_missing_tool_is_reported_and_the_next_way_is_taken() {
        let plan = Plan { methods: vec![Method::Tool("pagerbook-no-such-tool", &[]), Method::Osc52], all: false };
        let mut terminal = Vec::new();
        let copied = copy("ls", &plan, &mut terminal);
        assert_eq!(copied.by, [Method::Osc52]);
        assert_eq!(copied.failed.len(), 1);
        assert!(copied.unconfirmed());
        assert_eq!(terminal, osc52("ls").into_bytes());
        assert_eq!(copied.summary(), "copied to the terminal (OSC 52)");
    }

    #[test]
    fn a_tool_that_takes_the_text_is_used_and_its_failure_is_said() {
        let works = Plan { methods: vec![Method::Tool("cat", &[]), Method::Osc52], all: false };
        let mut terminal = Vec::new();
        let copied = copy("ls", &works, &mut terminal);
        assert_eq!((copied.by, terminal.len()), (vec![Method::Tool("cat", &[])], 0), "OSC 52 not needed");
        let fails = Plan { methods: vec![Method::Tool("false", &[])], all: false };
        let copied = copy("ls", &fails, &mut Vec::new());
        assert!(copied.by.is_empty());
        assert!(copied.summary().starts_with("copy failed (false: false exit status: 1"), "{}", copied.summary());
    }

    #[test]
    fn a_tool_that_does_not_read_its_input_has_not_copied_and_does_not_hang() {
        // Regression (issue 11 #10): a tool that never read stdin froze the
        // navigator for 45 s on a 100 KB command, then reported success.
        let text = "x".repeat(100_000);
        let stuck = pipe_to("sh", &["-c", "sleep 30"], &text).unwrap_err().to_string();
        assert_eq!(stuck, "sh did not take the text");
        let gone = pipe_to("sh", &["-c", "exit 0"], &text).unwrap_err().to_string();
        assert_eq!(gone, "sh did not read the text");
        assert!(pipe_to("sh", &["-c", "cat >/dev/null"], &text).is_ok(), "one that reads it copies");
    }
}
