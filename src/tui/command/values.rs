//! The values of a step's placeholders: the form that fills them, where
//! each came from, and the command they render, as shown (secrets masked).

use std::time::SystemTime;

use ratatui::style::Style;
use ratatui_textarea::TextArea;

use super::{Listing, Purpose, StepKey};
use crate::catalog::{Entry, Step};
use crate::danger::{destructive_reason, is_target_name};
use crate::settings::Remembered;
use crate::template::{self, RenderError, ValueError};

/// Where a field's value came from, shown beside it in the form and the
/// confirmation: a tired person must tell a default from their own choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueOrigin {
    /// Nothing was filled in.
    Empty,
    /// The catalog's default.
    Default,
    /// The value last used in this entry, at this time (unix seconds).
    Remembered(u64),
    /// Typed or chosen in this form.
    Typed,
    /// Chosen among the values its `suggest` listed.
    Listed,
}

impl ValueOrigin {
    /// One word for the journal: `empty`, `default`, `remembered`, `typed`.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            ValueOrigin::Empty => "empty",
            ValueOrigin::Default => "default",
            ValueOrigin::Remembered(_) => "remembered",
            ValueOrigin::Typed => "typed",
            ValueOrigin::Listed => "listed",
        }
    }

    /// `default`, `remembered from 2 h ago`, `typed`.
    #[must_use]
    pub fn describe(self, now: SystemTime) -> String {
        match self {
            ValueOrigin::Empty => "empty: type a value".to_owned(),
            ValueOrigin::Default => "the catalog's default".to_owned(),
            ValueOrigin::Typed => "typed".to_owned(),
            ValueOrigin::Listed => "chosen from the values listed".to_owned(),
            ValueOrigin::Remembered(at) => {
                let now = now.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
                let minutes = now.saturating_sub(at) / 60;
                let ago = match minutes {
                    0 => "just now".to_owned(),
                    1..60 => format!("{minutes} min ago"),
                    _ => format!("{} h {} min ago", minutes / 60, minutes % 60),
                };
                format!("remembered from this entry, {ago}")
            }
        }
    }
}

/// The longest value a field takes: a host, a path or a token fits many
/// times over, and a 100 KB paste froze the form for a minute.
pub const MAX_VALUE_CHARS: usize = 4096;

/// One placeholder's field.
#[derive(Debug, Clone)]
pub struct FormField {
    /// The placeholder's name.
    pub name: String,
    /// What is typed.
    pub input: TextArea<'static>,
    /// Where the value came from.
    pub origin: ValueOrigin,
    /// A secret: masked, never remembered.
    pub secret: bool,
    /// What a destructive step may act on: never filled in for the person.
    pub target: bool,
    /// Its live suggestions, when its var has a `suggest`.
    pub listing: Listing,
}

impl FormField {
    /// The value typed.
    #[must_use]
    pub fn value(&self) -> String {
        self.input.lines().concat()
    }

    /// Puts `value` in the field, cursor at its end.
    pub(super) fn set(&mut self, value: String, origin: ValueOrigin) {
        self.input = TextArea::new(vec![value]);
        self.input.move_cursor(ratatui_textarea::CursorMove::End);
        if self.secret {
            self.input.set_mask_char('•');
        }
        self.origin = origin;
    }
}

/// A value filled in, as the form hands it on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    /// The placeholder's name.
    pub name: String,
    /// The value.
    pub value: String,
    /// Where it came from.
    pub origin: ValueOrigin,
    /// A secret: masked on screen, never remembered or written.
    pub secret: bool,
}

/// The form that fills a step's placeholders.
#[derive(Debug, Clone)]
pub struct Form {
    /// The step.
    pub key: StepKey,
    /// What happens on Enter.
    pub purpose: Purpose,
    /// One field per placeholder, in the order the command uses them.
    pub fields: Vec<FormField>,
    /// The field with the keyboard.
    pub focused: usize,
}

impl Form {
    /// A form for a step, each field prefilled with the value last used in
    /// this entry, else the declared default; but a secret, and the target
    /// of a destructive step, start empty: the person must choose them.
    #[must_use]
    pub fn new(
        step_of: (&Entry, &Step),
        key: StepKey,
        purpose: Purpose,
        remembered: &Remembered,
        now: SystemTime,
    ) -> Self {
        let (entry, step) = step_of;
        let run = step.run().unwrap_or_default();
        let destructive = destructive_reason(step.danger, run).is_some();
        let fields: Vec<FormField> = template::placeholder_names(run)
            .into_iter()
            .map(|name| {
                let var = entry.var(name);
                let secret = var.is_some_and(|var| var.secret);
                // In a destructive step, whatever it may act on is chosen by
                // the person: only where and as whom it runs is filled in.
                let target = destructive && is_target_name(name);
                let mut field = FormField {
                    name: name.to_owned(),
                    input: TextArea::default(),
                    origin: ValueOrigin::Empty,
                    secret,
                    target,
                    listing: Listing::NotAsked,
                };
                let filled = if secret || field.target {
                    None
                } else {
                    let valid = |value: &String| var.is_some_and(|var| var.check(value).is_ok());
                    let kept = remembered.get(entry.id(), name, now).filter(|kept| valid(&kept.value));
                    kept.map(|kept| (kept.value.clone(), ValueOrigin::Remembered(kept.at)))
                        .or_else(|| var.and_then(|var| var.default.clone()).map(|d| (d, ValueOrigin::Default)))
                };
                let (value, origin) = filled.unwrap_or((String::new(), ValueOrigin::Empty));
                field.set(value, origin);
                field
            })
            .collect();
        // The keyboard starts where something is missing.
        let focused = fields.iter().position(|f| f.origin == ValueOrigin::Empty).unwrap_or(0);
        let mut form = Form { key, purpose, fields, focused };
        form.restyle();
        form
    }

    /// The values typed, by name, in the order the command uses them.
    #[must_use]
    pub fn values(&self) -> Vec<(String, String)> {
        self.fields.iter().map(|f| (f.name.clone(), f.value())).collect()
    }

    /// The values with where each came from.
    #[must_use]
    pub fn chosen(&self) -> Vec<Chosen> {
        let chosen =
            |f: &FormField| Chosen { name: f.name.clone(), value: f.value(), origin: f.origin, secret: f.secret };
        self.fields.iter().map(chosen).collect()
    }

    /// Shows the cursor in the focused field only.
    pub(super) fn restyle(&mut self) {
        for (i, field) in self.fields.iter_mut().enumerate() {
            let style = if i == self.focused { Style::default().reversed() } else { Style::default() };
            field.input.set_cursor_style(style);
            field.input.set_cursor_line_style(Style::default());
        }
    }

    pub(super) fn focus(&mut self, n: isize) {
        let count = self.fields.len().max(1).cast_signed();
        self.focused = (self.focused.cast_signed() + n).rem_euclid(count).cast_unsigned();
        self.restyle();
    }
}

/// A step's command with the values given: each value's check, and the
/// command as it would run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    /// Per value: refused, or allowed with an optional warning.
    pub checks: Vec<Result<Option<&'static str>, ValueError>>,
    /// The final command, or why there is none.
    pub command: Result<String, RenderError>,
}

impl Filled {
    /// The command, when every value is allowed and it renders; else why
    /// not, in a line (`values` are those it was filled with).
    pub fn ready(&self, values: &[(String, String)]) -> Result<&str, String> {
        if let Some((i, Err(problem))) = self.checks.iter().enumerate().find(|(_, check)| check.is_err()) {
            return Err(format!("{{{{{}}}}}: {problem}", values[i].0));
        }
        self.command.as_deref().map_err(ToString::to_string)
    }

    /// The first field whose value is refused.
    #[must_use]
    pub fn first_refused(&self) -> Option<usize> {
        self.checks.iter().position(Result::is_err)
    }
}

/// Checks a value for placeholder `name` of `entry`, as its var says (an
/// undeclared one by the rules every value follows).
pub(super) fn check(entry: &Entry, name: &str, value: &str) -> Result<Option<&'static str>, ValueError> {
    entry.var(name).map_or_else(|| template::check_value(value, None), |var| var.check(value))
}

/// Checks the values and renders the step's command with them.
#[must_use]
pub fn fill(entry: &Entry, step: &Step, values: &[(String, String)]) -> Filled {
    let checks = values.iter().map(|(name, value)| check(entry, name, value)).collect();
    let command = step.render(|name| values.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()));
    Filled { checks, command }
}

/// The (name, value) of each secret among `values`: what is redacted from
/// a run's output.
#[must_use]
pub fn secrets(values: &[Chosen]) -> Vec<(String, String)> {
    values.iter().filter(|c| c.secret).map(|c| (c.name.clone(), c.value.clone())).collect()
}

/// A command as the screen shows it: secret values masked (what runs has
/// them, what is shown and kept for the session does not), and a value not
/// filled in yet as its `{{placeholder}}`.
#[must_use]
pub fn masked(run: &str, values: &[Chosen]) -> String {
    // Quoted when the value is: what is shown quotes as what runs.
    stood_in(run, values, |_, quoted| if quoted { "'••••••'".to_owned() } else { "••••••".to_owned() })
}

/// A command as the journal keeps it: a secret's value as
/// `<redacted:NAME>`, so the record says plainly that something was kept
/// out.
#[must_use]
pub fn redacted(run: &str, values: &[Chosen]) -> String {
    stood_in(run, values, |chosen, _| crate::journal::secret::marker(&chosen.name))
}

/// `run` rendered with `values`, a secret's value replaced by what
/// `secret` says for it (told whether the value would be quoted), and an
/// empty value by its `{{placeholder}}`.
fn stood_in(run: &str, values: &[Chosen], secret: impl Fn(&Chosen, bool) -> String) -> String {
    // Rendered with stand-ins that quoting leaves alone, each then replaced
    // where it stands.
    let stand_ins: Vec<(String, String, String)> = values
        .iter()
        .filter(|c| c.value.is_empty() || c.secret)
        .map(|c| {
            let shown = if c.value.is_empty() {
                format!("{{{{{}}}}}", c.name)
            } else {
                secret(c, shlex::try_quote(&c.value).is_ok_and(|quoted| quoted != c.value.as_str()))
            };
            (c.name.clone(), format!("PAGERBOOK_STAND_IN_{}", c.name), shown)
        })
        .collect();
    let rendered = template::render(run, |name| match stand_ins.iter().find(|(n, ..)| n == name) {
        Some((_, stand_in, _)) => Some(stand_in.as_str()),
        None => values.iter().find(|c| c.name == name).map(|c| c.value.as_str()),
    });
    let Ok(mut shown) = rendered else { return template::display(run) };
    for (_, stand_in, replacement) in &stand_ins {
        shown = shown.replace(stand_in, replacement);
    }
    shown
}
