//! Command templates: `{{name}}` placeholders in a step's `run`, the `{{{{`
//! escape for a literal `{{`, and rendering with shell-quoted values.
//!
//! Rendering quotes every value with `shlex::try_quote`, so a value can never
//! add shell syntax. A placeholder written inside quotes in the template would
//! be quoted twice, which is why [`parse`] reports where each one stands. A
//! value that a second shell parses again (the remote command of `ssh`, the
//! command of `watch`) is quoted once more, one layer per shell.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

use regex::Regex;
use thiserror::Error;

/// The escape for a literal `{{` in a template.
pub const ESCAPED_BRACES: &str = "{{{{";

/// One piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text copied as it is (escapes already resolved).
    Text(String),
    /// A placeholder to fill with a quoted value.
    Placeholder(Placeholder<'a>),
}

/// A `{{name}}` in a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder<'a> {
    /// The variable's name.
    pub name: &'a str,
    /// Byte range of the whole `{{name}}` in the template.
    pub span: Range<usize>,
    /// The shell quote (`'` or `"`) the placeholder stands inside, if any.
    pub inside_quote: Option<char>,
    /// How many shells parse the value, so how many times it is quoted:
    /// 1 locally, one more for each `ssh HOST` remote command, `watch`
    /// command or `sh -c` string it stands in.
    pub shells: usize,
    /// Why the tracker cannot tell how many shells parse the value, if it
    /// cannot: such a placeholder is never filled (fail closed).
    pub uncertain: Option<&'static str>,
    /// It stands inside a backtick substitution, where quotes do not
    /// protect a `` ` `` or `\` of the value.
    pub in_backticks: bool,
}

/// A template that cannot be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct TemplateError {
    /// Byte offset in the template.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// Why a command could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RenderError {
    /// The template itself is malformed.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// A placeholder has no value.
    #[error("no value for {{{{{0}}}}}")]
    Missing(String),
    /// The placeholder stands inside quotes in the template: its quoted
    /// value would not be literal there, so it is not filled at all.
    #[error(
        "{{{{{0}}}}} stands inside quotes in the command, where a quoted value is not safe; the catalog must move it out"
    )]
    InsideQuotes(String),
    /// The tracker cannot tell how many shells parse the placeholder's
    /// value, so it cannot quote it right and does not fill it.
    #[error(
        "{{{{{0}}}}} stands where pagerbook cannot tell how many shells parse its value ({1}); the catalog must rewrite the command"
    )]
    Uncertain(String, &'static str),
    /// The placeholder stands inside backticks and its quoted value holds
    /// a `` ` `` or `\`, which quotes do not protect there.
    #[error(
        "{{{{{0}}}}} stands inside backticks, where a ` or \\ in its value would end or change the command; the catalog should use $(…)"
    )]
    Backticks(String),
    /// A value cannot be quoted for the shell (it holds a NUL byte).
    #[error("the value of {{{{{0}}}}} cannot be passed to a shell: it holds a NUL byte")]
    Unquotable(String),
}

/// A compiled var pattern, or why it does not compile.
pub type CompiledPattern = Result<Arc<Regex>, String>;

/// A var's `pattern` compiled to match whole values. Catalogs repeat the
/// same few patterns (a Kubernetes name) hundreds of times, so each distinct
/// pattern is compiled once per process.
///
/// # Errors
/// The regex error, in one line.
pub fn compile_pattern(pattern: &str) -> CompiledPattern {
    static COMPILED: OnceLock<Mutex<HashMap<String, CompiledPattern>>> = OnceLock::new();
    let cache = COMPILED.get_or_init(Mutex::default);
    if let Some(known) = cache.lock().ok().and_then(|c| c.get(pattern).cloned()) {
        return known;
    }
    // A pattern is a line of a catalog, not a program: a huge alternation
    // compiled to hundreds of megabytes before this bound.
    let compiled = regex::RegexBuilder::new(&format!("^(?:{pattern})$"))
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
        .map(Arc::new)
        .map_err(|err| err.to_string().lines().last().unwrap_or_default().trim().to_owned());
    if let Ok(mut cache) = cache.lock() {
        cache.insert(pattern.to_owned(), compiled.clone());
    }
    compiled
}

/// The most memory a var's compiled `pattern` may take.
const PATTERN_SIZE_LIMIT: usize = 1 << 20;

/// Why a value cannot fill a placeholder.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValueError {
    /// Nothing was given.
    #[error("a value is required")]
    Empty,
    /// ESC, NUL, newline, BEL and the like: they could hide or change what
    /// the terminal shows of the command.
    #[error("control character U+{0:04X} is not allowed")]
    Control(u32),
    /// Right-to-left and similar overrides make text read in another order
    /// than it runs.
    #[error("bidirectional control U+{0:04X} is not allowed: the command would not read as it runs")]
    Bidi(u32),
    /// The value does not match the var's declared pattern.
    #[error("does not match the declared pattern {0}")]
    Pattern(String),
    /// The var declares `choices` and the value is not one of them.
    #[error("must be one of: {0}")]
    NotAChoice(String),
    /// It starts with `-`, so the program may take it for an option
    /// (`-oProxyCommand=…` runs a command in ssh), and no `pattern` or
    /// `choices` of the var allows that.
    #[error(
        "starts with `-`, which a command would take for an option; only a var whose pattern or choices allow it takes one"
    )]
    Option,
}

/// A value that is allowed but deserves a second look.
pub const LEADING_DASH_WARNING: &str = "starts with `-`: a command may take it for an option";

/// Checks a value for a placeholder whose var declares `pattern`. Returns a
/// warning for a value that is allowed but suspicious.
///
/// # Errors
/// An empty value, a control or bidirectional character, or a value that
/// does not match the pattern.
pub fn check_value(value: &str, pattern: Option<&str>) -> Result<Option<&'static str>, ValueError> {
    if value.is_empty() {
        return Err(ValueError::Empty);
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(ValueError::Control(u32::from(c)));
    }
    if let Some(c) = value
        .chars()
        .find(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'))
    {
        return Err(ValueError::Bidi(u32::from(c)));
    }
    if let Some(pattern) = pattern
        && compile_pattern(pattern).is_ok_and(|regex| !regex.is_match(value))
    {
        return Err(ValueError::Pattern(pattern.to_owned()));
    }
    if value.starts_with('-') {
        // Fail closed: an option where a value was meant can run anything.
        return if pattern.is_some() { Ok(Some(LEADING_DASH_WARNING)) } else { Err(ValueError::Option) };
    }
    Ok(None)
}

/// Whether `name` is a valid placeholder name: `[a-z_][a-z0-9_]*`.
#[must_use]
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Splits a template into text and placeholders.
///
/// # Errors
/// A `{{` that neither starts a `{{name}}` nor is part of the `{{{{` escape.
pub fn parse(template: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut shell = ShellTracker::new();
    let mut rest = template;
    while let Some(at) = rest.find("{{") {
        let offset = template.len() - rest.len() + at;
        shell.feed(&rest[..at]);
        text.push_str(&rest[..at]);
        let after = &rest[at..];
        if let Some(escaped) = after.strip_prefix(ESCAPED_BRACES) {
            text.push_str("{{");
            shell.feed("{{");
            rest = escaped;
            continue;
        }
        let inner_end = after.find("}}").filter(|&end| !after[2..end].contains(['\n', '{']));
        let name = inner_end.map(|end| after[2..end].trim()).filter(|name| is_valid_name(name));
        let (Some(end), Some(name)) = (inner_end, name) else {
            return Err(TemplateError {
                offset,
                message: "`{{` does not start a placeholder like `{{name}}` (lowercase letters, digits, `_`); \
                          write `{{{{` for a literal `{{`"
                    .into(),
            });
        };
        if !text.is_empty() {
            pieces.push(Piece::Text(std::mem::take(&mut text)));
        }
        let placement = shell.place();
        pieces.push(Piece::Placeholder(Placeholder {
            name,
            span: offset..offset + end + 2,
            inside_quote: placement.quote,
            shells: placement.shells,
            uncertain: placement.uncertain,
            in_backticks: placement.in_backticks,
        }));
        rest = &after[end + 2..];
    }
    text.push_str(rest);
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
}

/// The placeholders of a template, each name once, in the order it uses
/// them; none for a malformed template.
#[must_use]
pub fn placeholder_names(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    for piece in parse(template).unwrap_or_default() {
        if let Piece::Placeholder(p) = piece
            && !names.contains(&p.name)
        {
            names.push(p.name);
        }
    }
    names
}

/// Renders a template, shell-quoting each value given by `value_of`.
///
/// # Errors
/// A malformed template, a placeholder without a value, or a value that no
/// shell quoting can carry.
pub fn render<'v>(template: &str, value_of: impl Fn(&str) -> Option<&'v str>) -> Result<String, RenderError> {
    let mut out = String::with_capacity(template.len());
    for piece in parse(template)? {
        match piece {
            Piece::Text(text) => out.push_str(&text),
            Piece::Placeholder(p) => {
                if p.inside_quote.is_some() {
                    return Err(RenderError::InsideQuotes(p.name.to_owned()));
                }
                if let Some(reason) = p.uncertain {
                    return Err(RenderError::Uncertain(p.name.to_owned(), reason));
                }
                let value = value_of(p.name).ok_or_else(|| RenderError::Missing(p.name.to_owned()))?;
                let unquotable = |_| RenderError::Unquotable(p.name.to_owned());
                // One layer of quotes for each shell that removes one.
                let mut quoted = value.to_owned();
                for _ in 0..p.shells {
                    quoted = shlex::try_quote(&quoted).map_err(unquotable)?.into_owned();
                }
                // The shell finds a backtick substitution's end before it
                // reads quotes, and takes `\` as an escape there.
                if p.in_backticks && quoted.contains(['`', '\\']) {
                    return Err(RenderError::Backticks(p.name.to_owned()));
                }
                out.push_str(&quoted);
            }
        }
    }
    Ok(out)
}

/// The template as a person reads it: escapes resolved (`{{{{` shows as the
/// `{{` that runs), placeholders left as `{{name}}`. A malformed template is
/// shown as written.
#[must_use]
pub fn display(template: &str) -> String {
    if !template.contains(ESCAPED_BRACES) {
        return template.to_owned();
    }
    match parse(template) {
        Ok(pieces) => pieces
            .iter()
            .map(|piece| match piece {
                Piece::Text(text) => text.clone(),
                Piece::Placeholder(p) => format!("{{{{{}}}}}", p.name),
            })
            .collect(),
        Err(_) => template.to_owned(),
    }
}

/// Follows POSIX shell syntax well enough to tell, at each placeholder,
/// whether it stands inside quotes and how many shells will parse its value:
/// the local one, plus one for each level of `ssh HOST` remote command,
/// `watch` command or `sh -c` string it stands in. Each of those levels is a
/// [`Level`] of its own, fed the text its shell will see (the words of the
/// level above with their quotes removed, joined by spaces, as ssh and watch
/// join them). Where it cannot be sure, it says why instead of guessing: the
/// value is then never filled.
struct ShellTracker {
    root: Level,
}

/// Where a placeholder stands.
struct Placement {
    /// The quote of the local shell the placeholder stands in.
    quote: Option<char>,
    /// How many shells parse the value.
    shells: usize,
    /// Why the number of shells is not certain, if it is not.
    uncertain: Option<&'static str>,
    /// Inside a backtick substitution at some level.
    in_backticks: bool,
}

impl ShellTracker {
    fn new() -> Self {
        ShellTracker { root: Level::new() }
    }

    fn feed(&mut self, text: &str) {
        self.root.feed(text);
    }

    /// Places a placeholder at the current position; its value becomes part
    /// of the current word at every level.
    fn place(&mut self) -> Placement {
        let quote = self.root.quote;
        let mut shells = 1;
        let mut uncertain = None;
        let mut in_backticks = false;
        let mut level = &mut self.root;
        loop {
            in_backticks |= level.frames.iter().any(|f| f.opening == Opening::Backtick);
            if !level.in_word {
                level.begin_word(None);
            }
            let reason = level.uncertain.or(level.command.uncertain()).or(if level.in_comment {
                Some("it is inside a `#` comment, where no shell ever reads its value")
            } else if level.escaped {
                Some("it follows a backslash, which would escape the first character of the quoted value")
            } else if shells > 1 && level.quote.is_some() {
                Some("it stands inside quotes that a remote shell parses")
            } else {
                None
            });
            uncertain = uncertain.or(reason);
            level.word.push(VALUE);
            if !level.forward {
                break;
            }
            level.flush();
            shells += 1;
            let Some(child) = level.child.as_deref_mut() else { break };
            level = child;
        }
        Placement { quote, shells, uncertain, in_backticks }
    }
}

/// One shell's parse: quotes, words, and what the current command is.
// Independent flags of one scanner, each cleared by its own character.
#[allow(clippy::struct_excessive_bools)]
struct Level {
    quote: Option<char>,
    escaped: bool,
    in_comment: bool,
    /// A word has begun (its first character or placeholder was seen).
    in_word: bool,
    /// The word so far, quotes and backslashes removed, [`VALUE`] for each
    /// value or substitution output in it.
    word: String,
    /// The word has quotes or backslashes, so `2>` in it is no fd number.
    word_quoted: bool,
    /// The current word goes to the shell of `child`.
    forward: bool,
    /// The next word is the target of a redirection, not an argument.
    redirect_next: bool,
    command: Command,
    /// `$(`, `(` and backticks open a new command; these are the commands
    /// they interrupted, restored at the closing `)` or backtick.
    frames: Vec<Frame>,
    /// Once set, every later placeholder is uncertain, for this reason.
    uncertain: Option<&'static str>,
    /// The shell that parses the forwarded words, and the text not yet fed.
    child: Option<Box<Level>>,
    pending: String,
}

/// A command interrupted by a substitution or subshell.
struct Frame {
    opening: Opening,
    command: Command,
    word: String,
    in_word: bool,
    forward: bool,
}

/// What opened a [`Frame`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Opening {
    /// `(`: a subshell, a command of its own.
    Subshell,
    /// `$(`, `<(` or `>(`: its output becomes part of the word.
    Substitution,
    /// A backtick, closed by the next.
    Backtick,
}

/// What the current simple command is, as far as quoting cares.
#[derive(Clone, Copy)]
enum Command {
    /// The next word is a command word (after a separator, a keyword, an
    /// assignment or a wrapper).
    Start,
    /// A wrapper that runs its arguments as a command (`sudo`, `env`,
    /// `timeout`…): its options, then the command.
    Wrapper { wrapper: &'static Wrapper, argument_next: bool, options_done: bool, positionals: u8 },
    /// `ssh`: options, the destination, options again, then the remote command.
    Ssh { argument_next: bool, destination_seen: bool, options_done: bool },
    /// `watch`: options, then a command joined for `sh -c` (or run as it is, with `-x`).
    Watch { argument_next: bool, options_done: bool, exec: bool },
    /// `sh`/`bash`: options; with `-c` the next word is a command string.
    Shell { argument_next: bool, options_done: bool, string: bool },
    /// Words that a child shell parses (ssh's remote command, watch's command).
    Forwarding,
    /// `kubectl`: after `--`, a command run as it is (exec, run, debug).
    Kubectl,
    /// Any other command; `runner` once an argument names a program that
    /// it may run with the rest (`docker exec c ssh h …`), which this cannot follow.
    Other { runner: bool },
    /// A command that never runs its arguments (`echo`, `grep`).
    Inert,
    /// A command whose arguments may become shell text in ways this does not follow.
    Uncertain(&'static str),
}

/// A command that runs its arguments as a command, with its options.
struct Wrapper {
    name: &'static str,
    /// Short options that take an argument (`-u USER`).
    short_with_argument: &'static str,
    /// Long options that take an argument in the next word unless written `--opt=value`.
    long_with_argument: &'static [&'static str],
    /// Options that hand the rest to a shell as text (`sudo -s`, `env -S`).
    short_shell: &'static str,
    long_shell: &'static [&'static str],
    /// Words before the command (`timeout`'s duration).
    positionals: u8,
    /// `NAME=value` words before the command set its environment.
    assignments: bool,
}

const WRAPPERS: &[Wrapper] = &[
    Wrapper {
        name: "sudo",
        short_with_argument: "aCcDghpRrTtUu",
        long_with_argument: &[
            "--user",
            "--group",
            "--host",
            "--prompt",
            "--chdir",
            "--role",
            "--type",
            "--other-user",
            "--close-from",
            "--command-timeout",
            "--chroot",
        ],
        short_shell: "is",
        long_shell: &["--login", "--shell"],
        positionals: 0,
        assignments: true,
    },
    Wrapper {
        name: "env",
        short_with_argument: "uC",
        long_with_argument: &["--unset", "--chdir"],
        short_shell: "S",
        long_shell: &["--split-string"],
        positionals: 0,
        assignments: true,
    },
    Wrapper {
        name: "timeout",
        short_with_argument: "ks",
        long_with_argument: &["--kill-after", "--signal"],
        short_shell: "",
        long_shell: &[],
        positionals: 1,
        assignments: false,
    },
    Wrapper {
        name: "nice",
        short_with_argument: "n",
        long_with_argument: &["--adjustment"],
        short_shell: "",
        long_shell: &[],
        positionals: 0,
        assignments: false,
    },
    Wrapper {
        name: "nohup",
        short_with_argument: "",
        long_with_argument: &[],
        short_shell: "",
        long_shell: &[],
        positionals: 0,
        assignments: false,
    },
    Wrapper {
        name: "command",
        short_with_argument: "",
        long_with_argument: &[],
        short_shell: "",
        long_shell: &[],
        positionals: 0,
        assignments: false,
    },
    Wrapper {
        name: "builtin",
        short_with_argument: "",
        long_with_argument: &[],
        short_shell: "",
        long_shell: &[],
        positionals: 0,
        assignments: false,
    },
    Wrapper {
        name: "exec",
        short_with_argument: "a",
        long_with_argument: &[],
        short_shell: "",
        long_shell: &[],
        positionals: 0,
        assignments: false,
    },
    Wrapper {
        name: "time",
        short_with_argument: "fo",
        long_with_argument: &["--format", "--output"],
        short_shell: "",
        long_shell: &[],
        positionals: 0,
        assignments: false,
    },
    Wrapper {
        name: "setsid",
        short_with_argument: "",
        long_with_argument: &[],
        short_shell: "",
        long_shell: &[],
        positionals: 0,
        assignments: false,
    },
    Wrapper {
        name: "stdbuf",
        short_with_argument: "ioe",
        long_with_argument: &["--input", "--output", "--error"],
        short_shell: "",
        long_shell: &[],
        positionals: 0,
        assignments: false,
    },
    Wrapper {
        name: "ionice",
        short_with_argument: "cnp",
        long_with_argument: &["--class", "--classdata", "--pid"],
        short_shell: "",
        long_shell: &[],
        positionals: 0,
        assignments: false,
    },
    Wrapper {
        name: "xargs",
        short_with_argument: "adEILnPs",
        long_with_argument: &[
            "--arg-file",
            "--delimiter",
            "--max-lines",
            "--max-args",
            "--max-procs",
            "--max-chars",
            "--process-slot-var",
        ],
        short_shell: "",
        long_shell: &[],
        positionals: 0,
        assignments: false,
    },
];

/// Reserved words after which a command word comes.
const KEYWORDS: &[&str] = &["!", "{", "do", "then", "else", "elif", "if", "while", "until"];

/// Programs that run their arguments through a shell as one string, in
/// ways this does not follow.
const SHELL_STRING_RUNNERS: &[&str] =
    &["eval", "trap", "su", "runuser", "tmux", "screen", "parallel", "flock", "script"];

/// Programs that, named among another command's arguments, mean that
/// command may run them (`docker exec c ssh h …`, `chroot /x sh -c …`).
const RUNNERS: &[&str] =
    &["ssh", "watch", "sh", "bash", "dash", "zsh", "ksh", "ash", "eval", "sudo", "env", "su", "xargs"];

/// Commands that never run their arguments, so `echo ssh {{x}}` is plain.
const INERT: &[&str] = &[
    "echo",
    "printf",
    "grep",
    "egrep",
    "fgrep",
    "rg",
    "man",
    "which",
    "type",
    "test",
    "[",
    ":",
    "true",
    "false",
    "pgrep",
    "pkill",
    "systemctl",
    "journalctl",
    "apt",
    "apt-get",
    "dpkg",
    "rpm",
    "ps",
];

/// ssh's options that take an argument (`-p 22`, `-o Option=value`).
pub(crate) const SSH_OPTIONS_WITH_ARGUMENT: &str = "BbcDEeFIiJLlmOoPpQRSWw";

const SHELLS: &[&str] = &["sh", "bash", "dash", "zsh", "ksh", "ash"];

impl Command {
    fn uncertain(self) -> Option<&'static str> {
        match self {
            Command::Uncertain(reason) => Some(reason),
            Command::Other { runner: true } => {
                Some("an earlier argument names a program (ssh, sh, watch…) that the command may run with the rest")
            }
            _ => None,
        }
    }
}

impl Level {
    fn new() -> Self {
        Level {
            quote: None,
            escaped: false,
            in_comment: false,
            in_word: false,
            word: String::new(),
            word_quoted: false,
            forward: false,
            redirect_next: false,
            command: Command::Start,
            frames: Vec::new(),
            uncertain: None,
            child: None,
            pending: String::new(),
        }
    }

    /// Feeds the forwarded text to the child shell.
    fn flush(&mut self) {
        if let Some(child) = self.child.as_deref_mut() {
            child.feed(&std::mem::take(&mut self.pending));
        }
        self.pending.clear();
    }

    fn feed(&mut self, text: &str) {
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            i += 1;
            let next = chars.get(i).copied();
            if self.in_comment {
                if c == '\n' {
                    self.in_comment = false;
                    self.separator();
                }
                continue;
            }
            if self.escaped {
                self.escaped = false;
                // A backslash-newline joins lines; it is no character.
                if c != '\n' {
                    self.literal(c);
                }
                continue;
            }
            match self.quote {
                Some('\'') => {
                    if c == '\'' {
                        self.quote = None;
                    } else {
                        self.literal(c);
                    }
                    continue;
                }
                Some(_) => {
                    match c {
                        '"' => self.quote = None,
                        '\\' if next.is_some_and(|n| "$`\"\\\n".contains(n)) => self.escaped = true,
                        '$' | '`' if self.forward && (c == '`' || next == Some('(')) => {
                            // Its output becomes text the remote shell parses.
                            self.uncertain = Some(SUBSTITUTION_FORWARDED);
                            self.literal(c);
                        }
                        _ => self.literal(c),
                    }
                    continue;
                }
                None => {}
            }
            match c {
                '\\' | '\'' | '"' => {
                    if !self.in_word {
                        self.begin_word(Some(c));
                    }
                    self.word_quoted = true;
                    if c == '\\' {
                        self.escaped = true;
                    } else {
                        self.quote = Some(c);
                    }
                }
                '#' if !self.in_word => self.in_comment = true,
                '$' | '<' | '>' if next == Some('(') => {
                    i += 1;
                    if c == '$' && chars.get(i) == Some(&'(') {
                        self.uncertain = Some(ARITHMETIC);
                    }
                    self.open(Opening::Substitution);
                }
                '`' => {
                    if self.frames.last().is_some_and(|f| f.opening == Opening::Backtick) {
                        self.close();
                    } else {
                        self.open(Opening::Backtick);
                    }
                }
                '(' if next == Some('(') => {
                    // `((…))` and `$((…))` evaluate their text as if in double
                    // quotes: a quoted value's `$(…)` would run.
                    self.uncertain = Some(ARITHMETIC);
                    self.open(Opening::Subshell);
                }
                '(' => self.open(Opening::Subshell),
                ')' => self.close(),
                '<' | '>' => {
                    // `2>`: the digits are the redirected descriptor, not a word.
                    if self.in_word
                        && !self.word_quoted
                        && !self.word.is_empty()
                        && self.word.chars().all(|d| d.is_ascii_digit())
                    {
                        // Nor are they forwarded: this shell takes them.
                        if self.forward {
                            self.pending.truncate(self.pending.len() - self.word.len());
                        }
                        self.in_word = false;
                        self.word.clear();
                    } else {
                        self.end_word();
                    }
                    i += self.redirection(c, &chars[i..]);
                }
                '&' if next == Some('>') => {
                    self.end_word();
                    i += 1 + self.redirection('>', &chars[i + 1..]);
                }
                '\n' | ';' | '|' | '&' => self.separator(),
                c if c.is_whitespace() => self.end_word(),
                c => self.literal(c),
            }
        }
    }

    /// Reads the rest of a redirection operator after `op`; returns how many
    /// characters it took.
    fn redirection(&mut self, op: char, rest: &[char]) -> usize {
        self.redirect_next = true;
        match (op, rest) {
            ('<', ['<', '<', ..]) => 2,
            ('<', ['<', ..]) => {
                self.uncertain = Some("it follows a here-document, whose body this does not follow");
                1
            }
            ('<', ['&' | '>', ..]) | ('>', ['>' | '&' | '|', ..]) => 1,
            _ => 0,
        }
    }

    /// A character that is part of the current word as this shell reads it.
    fn literal(&mut self, c: char) {
        if !self.in_word {
            self.begin_word(Some(c));
        }
        self.word.push(c);
        if self.forward {
            self.pending.push(c);
        }
    }

    /// A word begins with `first` (`None` for a placeholder): decides
    /// whether it goes to a child shell.
    fn begin_word(&mut self, first: Option<char>) {
        self.in_word = true;
        self.word.clear();
        self.word_quoted = false;
        self.forward = false;
        if self.redirect_next {
            return;
        }
        let option = first == Some('-');
        self.forward = match self.command {
            Command::Ssh { argument_next: false, destination_seen: true, options_done } if options_done || !option => {
                self.command = Command::Forwarding;
                true
            }
            Command::Watch { argument_next: false, options_done, exec: false } if options_done || !option => {
                self.command = Command::Forwarding;
                true
            }
            Command::Shell { argument_next: false, options_done, string: true } if options_done || !option => {
                // The string is parsed by a shell of its own; what follows are its arguments.
                self.child = None;
                true
            }
            Command::Forwarding => true,
            _ => false,
        };
        if self.forward && self.child.is_none() {
            self.child = Some(Box::new(Level::new()));
        }
    }

    fn end_word(&mut self) {
        if !self.in_word {
            return;
        }
        self.in_word = false;
        let word = std::mem::take(&mut self.word);
        if self.forward {
            // ssh and watch join their words with one space.
            self.pending.push(' ');
        }
        if std::mem::take(&mut self.redirect_next) {
            return;
        }
        if let Command::Shell { string: true, .. } = self.command
            && self.forward
        {
            self.flush();
            self.child = None;
            self.forward = false;
            self.command = Command::Other { runner: false };
            return;
        }
        self.command = self.advance(&word);
    }

    /// The command after one more word of it.
    // Each command's arms stay together, in the order they are tried:
    // merging equal bodies across commands would tear those rules apart.
    #[allow(clippy::match_same_arms)]
    fn advance(&self, word: &str) -> Command {
        let has_value = word.contains(VALUE);
        let is_option = word.starts_with('-') && word.len() > 1;
        match self.command {
            Command::Wrapper { wrapper, argument_next: true, options_done, positionals } => {
                Command::Wrapper { wrapper, argument_next: false, options_done, positionals }
            }
            Command::Wrapper { wrapper, options_done: false, positionals, .. } if word == "--" => {
                Command::Wrapper { wrapper, argument_next: false, options_done: true, positionals }
            }
            Command::Wrapper { wrapper, options_done: false, positionals, .. } if is_option => {
                let (name, attached) = word.split_once('=').map_or((word, false), |(name, _)| (name, true));
                if let Some(long) = name.strip_prefix("--") {
                    let long = format!("--{long}");
                    if wrapper.long_shell.contains(&long.as_str()) {
                        return Command::Uncertain(WRAPPER_SHELL);
                    }
                    let argument_next = !attached && wrapper.long_with_argument.contains(&long.as_str());
                    return Command::Wrapper { wrapper, argument_next, options_done: false, positionals };
                }
                let flags = &word[1..];
                let shell_at = flags.find(|c| wrapper.short_shell.contains(c));
                let argument_at = flags.find(|c| wrapper.short_with_argument.contains(c));
                if shell_at.is_some_and(|s| argument_at.is_none_or(|a| s < a)) {
                    return Command::Uncertain(WRAPPER_SHELL);
                }
                let argument_next = short_option_wants_argument(word, wrapper.short_with_argument);
                Command::Wrapper { wrapper, argument_next, options_done: false, positionals }
            }
            Command::Wrapper { wrapper, options_done, positionals, .. } if positionals > 0 => {
                Command::Wrapper { wrapper, argument_next: false, options_done, positionals: positionals - 1 }
            }
            Command::Wrapper { wrapper, .. } if wrapper.assignments && is_assignment(word) => self.command,
            Command::Start | Command::Wrapper { .. } => command_word(word, has_value),
            Command::Ssh { argument_next: true, destination_seen, options_done } => {
                Command::Ssh { argument_next: false, destination_seen, options_done }
            }
            Command::Ssh { destination_seen, options_done: false, .. } if word == "--" => {
                Command::Ssh { argument_next: false, destination_seen, options_done: true }
            }
            Command::Ssh { destination_seen, options_done: false, .. } if is_option => {
                Command::Ssh { argument_next: ssh_option_wants_argument(word), destination_seen, options_done: false }
            }
            Command::Ssh { options_done, .. } => {
                Command::Ssh { argument_next: false, destination_seen: true, options_done }
            }
            Command::Watch { argument_next: true, options_done, exec } => {
                Command::Watch { argument_next: false, options_done, exec }
            }
            Command::Watch { options_done: false, exec, .. } if word == "--" => {
                Command::Watch { argument_next: false, options_done: true, exec }
            }
            Command::Watch { options_done: false, exec, .. } if is_option => {
                let exec = exec || word == "--exec" || (!word.starts_with("--") && word.contains('x'));
                let argument_next = matches!(word, "--interval" | "--equexit")
                    || (!word.starts_with("--") && short_option_wants_argument(word, "nq"));
                Command::Watch { argument_next, options_done: false, exec }
            }
            // `watch -x`: the command runs as it is, with no shell.
            Command::Watch { .. } => command_word(word, has_value),
            Command::Shell { argument_next: true, options_done, string } => {
                Command::Shell { argument_next: false, options_done, string }
            }
            Command::Shell { options_done: false, string, .. } if word == "--" => {
                Command::Shell { argument_next: false, options_done: true, string }
            }
            Command::Shell { options_done: false, string, .. } if is_option || word.starts_with('+') => {
                let argument_next = if word.starts_with("--") {
                    matches!(word, "--rcfile" | "--init-file")
                } else {
                    short_option_wants_argument(word, "oO")
                };
                let string = string || (!word.starts_with("--") && word.contains('c'));
                Command::Shell { argument_next, options_done: false, string }
            }
            // A script and its arguments: the arguments are not parsed again.
            Command::Shell { .. } => Command::Other { runner: false },
            Command::Kubectl if word == "--" => Command::Start,
            Command::Other { runner: false } if RUNNERS.contains(&basename(word)) => Command::Other { runner: true },
            other => other,
        }
    }

    /// A separator (`;`, `&&`, `|`, newline…): a new command begins.
    fn separator(&mut self) {
        self.end_word();
        self.flush();
        self.command = Command::Start;
        self.child = None;
        self.forward = false;
        self.redirect_next = false;
    }

    /// `$(`, `(` or a backtick: a new command begins, inside the current
    /// word for a substitution.
    fn open(&mut self, opening: Opening) {
        let substitution = opening != Opening::Subshell;
        if substitution && self.forward {
            self.uncertain = Some(SUBSTITUTION_FORWARDED);
        }
        if !substitution {
            self.end_word();
        } else if !self.in_word {
            self.begin_word(Some('$'));
        }
        self.flush();
        self.frames.push(Frame {
            opening,
            command: self.command,
            word: std::mem::take(&mut self.word),
            in_word: self.in_word,
            forward: self.forward,
        });
        self.in_word = false;
        self.forward = false;
        self.redirect_next = false;
        self.command = Command::Start;
    }

    /// The `)` or backtick that ends what [`Level::open`] began.
    fn close(&mut self) {
        self.end_word();
        let Some(frame) = self.frames.pop() else {
            // A `)` closing a `case` pattern: a command follows.
            self.command = Command::Start;
            return;
        };
        if frame.opening == Opening::Subshell {
            self.command = Command::Other { runner: false };
        } else {
            // The output is part of the word, and nothing this can read.
            self.command = frame.command;
            self.word = frame.word;
            self.in_word = frame.in_word;
            self.forward = frame.forward;
            self.word.push(VALUE);
        }
    }
}

/// Stands for a value in a word: no template holds a NUL.
const VALUE: char = '\0';

const SUBSTITUTION_FORWARDED: &str =
    "it follows a command substitution whose output a remote shell parses, which this cannot follow";
const ARITHMETIC: &str =
    "it follows arithmetic (`((…))`, `$((…))`, `let`, `[[ … -eq … ]]`), which would run a `$(…)` in the quoted value";
const WRAPPER_SHELL: &str = "the wrapper hands its arguments to a shell as text (`sudo -s`, `sudo -i`, `env -S`)";

/// The command a command word starts.
fn command_word(word: &str, has_value: bool) -> Command {
    // `x=$(…)` and `x={{v}}` assign; the name before `=` holds no value.
    if KEYWORDS.contains(&word) || is_assignment(word) {
        return Command::Start;
    }
    if has_value {
        return Command::Uncertain("the command word holds a value, so the command it runs is not known");
    }
    let name = basename(word);
    if let Some(wrapper) = WRAPPERS.iter().find(|w| w.name == name) {
        return Command::Wrapper {
            wrapper,
            argument_next: false,
            options_done: false,
            positionals: wrapper.positionals,
        };
    }
    match name {
        "ssh" => Command::Ssh { argument_next: false, destination_seen: false, options_done: false },
        "watch" => Command::Watch { argument_next: false, options_done: false, exec: false },
        "kubectl" => Command::Kubectl,
        "let" | "[[" => Command::Uncertain(ARITHMETIC),
        _ if SHELLS.contains(&name) => Command::Shell { argument_next: false, options_done: false, string: false },
        _ if SHELL_STRING_RUNNERS.contains(&name) => {
            Command::Uncertain("the command runs its arguments as shell text in a way this does not follow")
        }
        _ if INERT.contains(&name) => Command::Inert,
        _ => Command::Other { runner: false },
    }
}

/// `/usr/bin/ssh` is `ssh`.
fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// `NAME=value` before a command sets its environment.
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Whether an ssh option word (`-p`, `-tt`, `-o`, `-p22`) leaves its
/// argument for the next word.
fn ssh_option_wants_argument(word: &str) -> bool {
    short_option_wants_argument(word, SSH_OPTIONS_WITH_ARGUMENT)
}

/// Whether a cluster of short options (`-p`, `-tt`, `-p22`, `-vu`) leaves
/// an argument for the next word: its first letter among `with_argument`
/// (which takes the rest of the word as its argument) is its last.
pub(crate) fn short_option_wants_argument(word: &str, with_argument: &str) -> bool {
    let flags = word.strip_prefix('-').unwrap_or(word);
    match flags.find(|c| with_argument.contains(c)) {
        Some(at) => at + 1 == flags.len(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `fact` says of each placeholder of a template.
    fn placeholders<'a, T>(template: &'a str, fact: fn(Placeholder<'a>) -> T) -> Vec<T> {
        parse(template)
            .unwrap()
            .into_iter()
            .filter_map(|piece| match piece {
                Piece::Placeholder(p) => Some(fact(p)),
                Piece::Text(_) => None,
            })
            .collect()
    }

    fn names(template: &str) -> Vec<(&str, Option<char>)> {
        placeholders(template, |p| (p.name, p.inside_quote))
    }

    #[test]
    fn names_each_placeholder_once_in_order() {
        assert_eq!(placeholder_names("ssh {{user}}@{{host}} ls {{dir}}; ls {{ host }}"), ["user", "host", "dir"]);
        assert!(placeholder_names("bad {{").is_empty());
    }

    #[test]
    fn finds_placeholders_with_optional_spaces() {
        assert_eq!(names("kubectl -n {{namespace}} get pod {{ pod }}"), [("namespace", None), ("pod", None)]);
    }

    #[test]
    fn placeholder_spans_cover_the_braces() {
        let pieces = parse("ssh {{node}}").unwrap();
        let Piece::Placeholder(p) = &pieces[1] else { panic!("{pieces:?}") };
        assert_eq!(p.span, 4..12);
    }

    #[test]
    fn reports_placeholders_inside_quotes() {
        assert_eq!(
            names(r#"ssh {{a}} "sudo {{b}}" 'x {{c}}' "it\"s {{d}}" don\'t {{e}}"#),
            [("a", None), ("b", Some('"')), ("c", Some('\'')), ("d", Some('"')), ("e", None)]
        );
    }

    #[test]
    fn apostrophes_in_comments_do_not_open_quotes() {
        assert_eq!(names("# don't panic\nkubectl get node {{node}} # it's {{x}}"), [("node", None), ("x", None)]);
        assert_eq!(names("echo a#b'{{x}}'"), [("x", Some('\''))]);
    }

    #[test]
    fn escaped_braces_are_literal() {
        let template = "kubectl get pods -o go-template='{{{{range .items}}{{{{.metadata.name}} {{{{end}}' -n {{ns}}";
        assert_eq!(names(template), [("ns", None)]);
        let rendered = render(template, |_| Some("prod")).unwrap();
        assert_eq!(rendered, "kubectl get pods -o go-template='{{range .items}}{{.metadata.name}} {{end}}' -n prod");
    }

    #[test]
    fn stray_braces_are_errors_with_their_offset() {
        for (template, offset) in [("a {{.x}}", 2), ("a {{ b", 2), ("{{Upper}}", 0), ("x {{a\n}}", 2), ("{{{x}}}", 0)] {
            let err = parse(template).unwrap_err();
            assert_eq!(err.offset, offset, "{template}");
            assert!(err.message.contains("{{{{"), "{}", err.message);
        }
    }

    #[test]
    fn render_quotes_values() {
        let value = "$(rm -rf /); `x` 'q' \"d\" {a,b} * ! ~ # \\";
        let rendered = render("printf %s {{v}}", |_| Some(value)).unwrap();
        let output = std::process::Command::new("sh").arg("-c").arg(&rendered).output().unwrap();
        assert_eq!(String::from_utf8(output.stdout).unwrap(), value, "{rendered}");
        assert_eq!(render("echo {{v}}", |_| Some("plain-1.2")).unwrap(), "echo plain-1.2");
    }

    #[test]
    fn values_are_checked_before_they_reach_a_command() {
        assert_eq!(check_value("production", Some("[a-z]+")), Ok(None));
        assert_eq!(check_value("", None), Err(ValueError::Empty));
        assert_eq!(check_value("a\u{1b}[2Jb", None), Err(ValueError::Control(0x1b)));
        assert_eq!(check_value("a\nb", None), Err(ValueError::Control(0x0a)));
        assert_eq!(check_value("a\u{202E}b", None), Err(ValueError::Bidi(0x202e)));
        assert_eq!(check_value("Prod", Some("[a-z]+")), Err(ValueError::Pattern("[a-z]+".into())));
        assert_eq!(check_value("-oProxyCommand=touch x", None), Err(ValueError::Option));
        assert_eq!(check_value("-5", Some("^-?[0-9]+$")), Ok(Some(LEADING_DASH_WARNING)));
    }

    fn shells(template: &str) -> Vec<(&str, usize)> {
        let found = placeholders(template, |p| (p.name, p.shells, p.uncertain));
        assert!(found.iter().all(|p| p.2.is_none()), "{template}: {found:?}");
        found.into_iter().map(|(name, shells, _)| (name, shells)).collect()
    }

    fn uncertain(template: &str) -> Vec<(&str, bool)> {
        placeholders(template, |p| (p.name, p.uncertain.is_some()))
    }

    #[test]
    fn knows_which_values_a_second_shell_parses() {
        assert_eq!(
            shells("ssh {{user}}@{{host}} -- sudo systemctl restart {{service}} | grep {{word}}"),
            [("user", 1), ("host", 1), ("service", 2), ("word", 1)]
        );
        assert_eq!(
            shells("ssh -p {{port}} -o ConnectTimeout=5 -tt {{host}} cat {{file}}; echo {{x}}"),
            [("port", 1), ("host", 1), ("file", 2), ("x", 1)]
        );
        assert_eq!(shells("ssh -p22 -- {{host}} {{cmd}}"), [("host", 1), ("cmd", 2)]);
        assert_eq!(shells("watch -n 2 kubectl get pods -n {{ns}}"), [("ns", 2)]);
        assert_eq!(shells("SSH_AUTH_SOCK=x sudo ssh h ls {{dir}} && ls {{dir}}"), [("dir", 2), ("dir", 1)]);
        assert_eq!(shells("kubectl exec {{pod}} -- ssh {{x}}"), [("pod", 1), ("x", 1)]);
        assert_eq!(shells("echo ssh {{x}} # ssh h\nssh h {{z}}"), [("x", 1), ("z", 2)]);
        // In a comment no shell reads it at all.
        assert_eq!(uncertain("echo hi # ssh h {{y}}"), [("y", true)]);
    }

    /// Issue 11 #1: after a keyword, a wrapper or a redirection, or with its
    /// name quoted, `ssh` was not seen and its remote command quoted once.
    #[test]
    fn remote_shell_injection_after_keywords_wrappers_and_quoted_names() {
        for template in [
            "for h in node-1; do ssh $h -- cat {{x}}; done",
            "if true; then ssh h cat {{x}}; fi",
            "if false; then :; else ssh h cat {{x}}; fi",
            "while true; do ssh h cat {{x}}; done",
            "! ssh h cat {{x}}",
            "{ ssh h cat {{x}}; }",
            "time ssh h cat {{x}}",
            "timeout 5 ssh h cat {{x}}",
            "timeout -s KILL -k 2 5s ssh h cat {{x}}",
            "nohup ssh h cat {{x}}",
            "nice -n 5 ssh h cat {{x}}",
            "env -i A=b ssh h cat {{x}}",
            "env -u HOME ssh h cat {{x}}",
            "command ssh h cat {{x}}",
            "exec ssh h cat {{x}}",
            "sudo -E ssh h cat {{x}}",
            "sudo -u root -- ssh h cat {{x}}",
            "2>/dev/null ssh h cat {{x}}",
            "ssh h cat {{x}} 2>&1 | tail",
            "\\ssh h cat {{x}}",
            "\"ssh\" h cat {{x}}",
            "s'sh' h cat {{x}}",
            "/usr/bin/ssh h cat {{x}}",
            "echo $(ssh h cat {{x}})",
            "a=$(ssh h cat {{x}}) && echo \"$a\"",
            "(ssh h cat {{x}})",
            "ls | xargs -n 1 ssh h cat {{x}}",
            "ssh h -v -- cat {{x}}",
            "watch -x ssh h cat {{x}}",
        ] {
            assert_eq!(shells(template), [("x", 2)], "{template}");
        }
    }

    /// Issue 11 #1: a chain of three shells was quoted only twice.
    #[test]
    fn remote_shell_injection_through_chains_of_shells() {
        assert_eq!(shells("ssh h -- ssh h2 cat {{x}}"), [("x", 3)]);
        assert_eq!(shells("ssh h -- watch -n 2 cat {{x}}"), [("x", 3)]);
        assert_eq!(shells("watch -n 2 ssh h cat {{x}}"), [("x", 3)]);
        assert_eq!(shells("ssh h sudo -u app ssh -p 22 h2 -- sudo cat {{x}}"), [("x", 3)]);
        assert_eq!(shells("ssh h sh -c {{x}}"), [("x", 3)]);
        assert_eq!(shells("sh -c cat\\ {{x}} {{zero}} {{one}}"), [("x", 2), ("zero", 1), ("one", 1)]);
        assert_eq!(shells("ssh h cat {{x}} \\; ssh h2 cat {{y}}; cat {{z}}"), [("x", 2), ("y", 3), ("z", 1)]);
        assert_eq!(shells("ssh h -- cat {{x}} > {{out}}"), [("x", 2), ("out", 1)]);
        assert_eq!(shells("ssh h -- cat &> out {{x}}"), [("x", 2)]);
        assert_eq!(shells("watch -- command 2>/dev/null ssh h cat {{x}}"), [("x", 3)]);
    }

    /// Inside backticks quotes do not protect a backtick: such a value is refused.
    #[test]
    fn remote_shell_injection_backticks_in_a_value_inside_backticks() {
        assert_eq!(shells("echo `ssh h cat {{x}}`"), [("x", 2)]);
        assert_eq!(render("echo `ssh h cat {{x}}`", |_| Some("a b")).unwrap(), "echo `ssh h cat \"'a b'\"`");
        for value in ["a`touch x`", "a\\b"] {
            assert_eq!(render("echo `cat {{x}}`", |_| Some(value)), Err(RenderError::Backticks("x".into())));
        }
    }

    /// What the tracker cannot place is refused, with its reason.
    #[test]
    fn uncertain_positions_fail_closed() {
        for template in [
            "eval cat {{x}}",
            "sudo -s cat {{x}}",
            "sudo -i cat {{x}}",
            "env -S 'cat' {{x}}",
            "ssh h echo $(hostname) {{x}}",
            "ssh h echo `hostname` {{x}}",
            "cat <<EOF\n{{x}}\nEOF",
            "{{cmd}} h cat {{x}}",
            "docker exec c ssh h cat {{x}}",
            "su root -c cat {{x}}",
            "(( {{x}} + 1 ))",
            "echo $(( {{x}} + 1 ))",
            "let n={{x}}",
            "[[ 1 -eq {{x}} ]]",
            "ssh h cat \\\\{{x}}",
            "ssh h cat \\'{{x}}\\'",
        ] {
            assert_eq!(uncertain(template).last(), Some(&("x", true)), "{template}");
            let err = render(template, |_| Some("v")).unwrap_err();
            assert!(matches!(err, RenderError::Uncertain(ref name, _) if name == "x"), "{template}: {err:?}");
        }
        assert_eq!(shells("cat <<< {{x}}"), [("x", 1)]);
    }

    /// ssh joins its remote words with spaces for the remote shell: a stub
    /// that does the same shows each value arriving intact.
    #[test]
    fn values_for_a_remote_shell_are_quoted_twice() {
        let stub = r#"ssh() { while [ "$1" != -- ]; do shift; done; shift; sh -c "$*"; }; "#;
        for value in ["plain", "a b", "$(id)", "it's", "x; touch /tmp/pwned", "*", "\"q\" `id` {a,b} !x ~"] {
            let rendered =
                render("ssh {{host}} -- printf %s {{v}}", |name| Some(if name == "v" { value } else { "h" })).unwrap();
            let output = std::process::Command::new("sh").arg("-c").arg(format!("{stub}{rendered}")).output().unwrap();
            assert_eq!(String::from_utf8(output.stdout).unwrap(), value, "{rendered}");
        }
    }

    #[test]
    fn display_shows_escapes_as_they_run() {
        assert_eq!(display("echo '{{{{.x}}' {{ ns }}"), "echo '{{.x}}' {{ns}}");
        assert_eq!(display("echo {{ns}}"), "echo {{ns}}");
        assert_eq!(display("bad {{"), "bad {{");
    }

    #[test]
    fn placeholders_inside_quotes_are_never_filled() {
        assert_eq!(
            render("ssh h \"sudo ls {{dir}}\"", |_| Some("$(id)")),
            Err(RenderError::InsideQuotes("dir".into()))
        );
    }

    #[test]
    fn render_reports_missing_and_unquotable_values() {
        assert_eq!(render("echo {{v}}", |_| None), Err(RenderError::Missing("v".into())));
        assert_eq!(render("echo {{v}}", |_| Some("a\0b")), Err(RenderError::Unquotable("v".into())));
    }
}
