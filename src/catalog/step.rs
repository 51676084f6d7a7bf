//! A step of an entry: what to do, its command, its language, danger and
//! checks. Its texts are pieces of a text its entry's file shares (see
//! `entry`); the JSON of `show` is its serialisation.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use super::check::{Check, Checks};
use super::entry::Span;
use super::prebuilt::Coded;
use crate::danger::Danger;
use crate::template;

/// The syntax of a command whose step names none.
pub const DEFAULT_LANG: &str = "bash";

/// Whether a shell runs commands of language `lang`: `bash`, `sh` and
/// `shell` do; any other (`promql`, `yaml`) is copied only.
#[must_use]
pub fn is_shell_lang(lang: &str) -> bool {
    ["bash", "sh", "shell"].iter().any(|shell| lang.eq_ignore_ascii_case(shell))
}

/// One thing to do, with an optional command. Its texts are pieces of a
/// text its entry's file shares.
#[derive(Clone)]
pub struct Step {
    pub(super) text: Arc<str>,
    instruction: Span,
    run: Span,
    place: Span,
    example: Span,
    /// Syntax of the command (a syntect name or extension), [`DEFAULT_LANG`]
    /// unless the step says otherwise.
    pub lang: Cow<'static, str>,
    /// What running it risks.
    pub danger: Danger,
    /// Whether the command needs the real terminal.
    pub interactive: bool,
    /// How to tell it may run and that it worked, when the catalog says.
    pub checks: Option<Box<Checks>>,
}

impl Step {
    /// A safe step in the default language that does not need the
    /// terminal; `place` is where it must be run, when that is not just
    /// anywhere.
    #[must_use]
    pub(crate) fn new(instruction: &str, run: Option<&str>, place: Option<&str>, example: Option<&str>) -> Step {
        let mut text = String::new();
        let instruction = Span::push(&mut text, instruction);
        let [run, place, example] =
            [run, place, example].map(|value| value.map_or(Span::NONE, |value| Span::push(&mut text, value)));
        let lang = Cow::Borrowed(DEFAULT_LANG);
        Step {
            text: text.into(),
            instruction,
            run,
            place,
            example,
            lang,
            danger: Danger::Safe,
            interactive: false,
            checks: None,
        }
    }

    /// What tells that it worked, if the catalog says.
    #[must_use]
    pub fn verify(&self) -> Option<&Check> {
        self.checks.as_ref()?.verify.as_ref()
    }

    /// What tells that it may run now, if the catalog says.
    #[must_use]
    pub fn precheck(&self) -> Option<&Check> {
        self.checks.as_ref()?.precheck.as_ref()
    }

    /// The instruction, in prose.
    #[must_use]
    pub fn instruction(&self) -> &str {
        self.instruction.of(&self.text).unwrap_or_default()
    }

    /// The command template, with `{{placeholders}}`.
    #[must_use]
    pub fn run(&self) -> Option<&str> {
        self.run.of(&self.text)
    }

    /// Where it must be run, in words, when that is not just anywhere
    /// (`where` in the catalog: "on the node", "in the infrastructure
    /// repository"); the confirmation repeats it.
    #[must_use]
    pub fn place(&self) -> Option<&str> {
        self.place.of(&self.text)
    }

    /// What its command printed where the runbook came from (an imported
    /// `console` block's lines after the command): shown under the command,
    /// never run.
    #[must_use]
    pub fn example_output(&self) -> Option<&str> {
        self.example.of(&self.text)
    }

    /// Whether its command is for a shell: a `PromQL` query or a YAML
    /// manifest is copied, never run.
    #[must_use]
    pub fn runs_in_a_shell(&self) -> bool {
        is_shell_lang(&self.lang)
    }

    /// Its command with the values `value_of` gives: shell-quoted for a
    /// shell, as they are in a command that is only copied.
    ///
    /// # Errors
    /// As [`template::render`]; a step without a command renders empty.
    pub fn render<'v>(&self, value_of: impl Fn(&str) -> Option<&'v str>) -> Result<String, template::RenderError> {
        let run = self.run().unwrap_or_default();
        if self.runs_in_a_shell() { template::render(run, value_of) } else { template::render_literal(run, value_of) }
    }

    /// Where its texts stand in its text.
    pub(super) fn spans(&self) -> [Span; 4] {
        [self.instruction, self.run, self.place, self.example]
    }

    /// The prebuilt form of a step: its spans in its file's text, then
    /// the rest.
    pub(super) fn put_spans(&self, out: &mut Vec<u8>) {
        for span in self.spans() {
            span.put(out);
        }
        super::prebuilt::put_str(&self.lang, out);
        self.danger.put(out);
        self.interactive.put(out);
        let checks = self.checks.as_deref();
        checks.and_then(|c| c.precheck.clone()).put(out);
        checks.and_then(|c| c.verify.clone()).put(out);
    }

    /// A step of the prebuilt form, reading its texts in `text`.
    pub(super) fn take_spans(input: &mut super::prebuilt::Input<'_>, text: &Arc<str>) -> Option<Step> {
        let [instruction, run, place, example] =
            [Span::take(input)?, Span::take(input)?, Span::take(input)?, Span::take(input)?];
        let lang = input.str()?;
        let lang = if lang == DEFAULT_LANG { Cow::Borrowed(DEFAULT_LANG) } else { Cow::Owned(lang.to_owned()) };
        let (danger, interactive) = (Coded::take(input)?, Coded::take(input)?);
        let checks = Checks { precheck: Coded::take(input)?, verify: Coded::take(input)? };
        let checks = (checks != Checks::default()).then(|| Box::new(checks));
        Some(Step { text: text.clone(), instruction, run, place, example, lang, danger, interactive, checks })
    }

    /// The same step, its texts appended to `text`, which it is to read
    /// them from once `text` is sealed (see [`super::entry::FileTexts`]).
    pub(super) fn copied_into(&self, text: &mut String) -> Step {
        let mut push = |value: Option<&str>| value.map_or(Span::NONE, |value| Span::push(text, value));
        let (instruction, run) = (push(Some(self.instruction())), push(self.run()));
        let (place, example) = (push(self.place()), push(self.example_output()));
        Step { instruction, run, place, example, ..self.clone() }
    }
}

/// Its texts, not the text it shares with its file.
impl fmt::Debug for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Step")
            .field("instruction", &self.instruction())
            .field("run", &self.run())
            .field("place", &self.place())
            .field("example_output", &self.example_output())
            .field("lang", &self.lang)
            .field("danger", &self.danger)
            .field("interactive", &self.interactive)
            .field("checks", &self.checks)
            .finish_non_exhaustive()
    }
}

/// The JSON of a step: the keys of the catalog format.
impl Serialize for Step {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("do", self.instruction())?;
        if let Some(run) = self.run() {
            map.serialize_entry("run", run)?;
        }
        map.serialize_entry("lang", &self.lang)?;
        map.serialize_entry("danger", &self.danger)?;
        map.serialize_entry("interactive", &self.interactive)?;
        if let Some(place) = self.place() {
            map.serialize_entry("where", place)?;
        }
        if let Some(example) = self.example_output() {
            map.serialize_entry("example_output", example)?;
        }
        if let Some(precheck) = self.precheck() {
            map.serialize_entry("precheck", precheck)?;
        }
        if let Some(verify) = self.verify() {
            map.serialize_entry("verify", verify)?;
        }
        map.end()
    }
}
