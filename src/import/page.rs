//! A markdown runbook read with a `CommonMark` parser (pulldown-cmark), which
//! knows a fence indented inside a list item from prose, and the info
//! string of each: its front matter, its H1, its sections in order, each
//! with its prose and its code blocks, each block with the text that
//! introduces it (its list item, else the paragraph before it).

use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, MetadataBlockKind, Options, Parser, Tag, TagEnd};

/// A runbook's page, as read.
#[derive(Debug, Default)]
pub struct Page {
    /// The front matter's `title`.
    pub title: Option<String>,
    /// The front matter's `aliases`.
    pub aliases: Vec<String>,
    /// The front matter's `id`: a page `pagerbook export` wrote.
    pub id: Option<String>,
    /// The front matter says `kind: runbook`.
    pub runbook: bool,
    /// The first H1's text, and where it stands.
    pub heading: Option<(String, usize)>,
    pub sections: Vec<Section>,
    /// Relative links to other `.md` pages (a Hugo `ref` included): the
    /// page's file stem, and where the link stands.
    pub links: Vec<(String, usize)>,
    /// Absolute links: references.
    pub urls: Vec<String>,
    /// Problems, at byte offsets.
    pub problems: Vec<(usize, String)>,
}

/// An H2 section (or what comes before the first: `heading` empty).
#[derive(Debug, Default)]
pub struct Section {
    pub heading: String,
    /// Paragraphs and list items, in order.
    pub prose: Vec<String>,
    pub blocks: Vec<Block>,
    /// The blocks (by index) and the list items without one, in order.
    pub flow: Vec<Flow>,
}

/// A code block, or a list item that holds none, where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flow {
    Block(usize),
    Item(String),
}

/// A code block.
#[derive(Debug)]
pub struct Block {
    /// Its info string's first word (`shell`, `promql`), empty when none.
    pub lang: String,
    pub code: String,
    /// The list item or paragraph that introduces it.
    pub intro: String,
    /// Where it starts.
    pub at: usize,
    /// Its fence is never closed: what it holds may be the page's prose.
    pub unclosed: bool,
}

/// What is being read inside a block of prose.
#[derive(Default)]
struct Reading {
    /// The text of the paragraph or item being read.
    text: String,
    /// The list items open, outermost first.
    items: Vec<Item>,
    /// The code block being read: its info string, start, text, and
    /// whether its fence is never closed.
    code: Option<(String, usize, String, bool)>,
    /// The last paragraph read, for a block that follows it.
    last_paragraph: String,
    /// Inside the H1 or an H2 (its level).
    heading: Option<HeadingLevel>,
    /// Inside a table's cell: a `|` of its text is escaped, as written,
    /// so the row splits where the table does.
    in_cell: bool,
}

impl Reading {
    /// A table stays a table: `| a | b |` rows (the header's rule is
    /// added under it), a `|` inside a cell escaped as written, so the row
    /// splits where the table does. Whether `event` was the table's.
    fn table(&mut self, event: &Event<'_>) -> bool {
        match event {
            Event::Start(Tag::TableHead | Tag::TableRow) => self.text.push('|'),
            Event::Start(Tag::TableCell) => {
                self.in_cell = true;
                self.text.push(' ');
            }
            Event::End(TagEnd::TableCell) => {
                self.in_cell = false;
                self.text.push_str(" |");
            }
            Event::Text(text) if self.in_cell => self.text.push_str(&text.replace('|', "\\|")),
            Event::Code(code) if self.in_cell => {
                let _ = write!(self.text, "`{}`", code.replace('|', "\\|"));
            }
            _ => return false,
        }
        true
    }
}

/// A list item being read.
#[derive(Default)]
struct Item {
    text: String,
    /// A code block stands in it: it introduces the block, and is no step
    /// of its own.
    holds_code: bool,
    /// How much of its text is in the prose already: an item's own words
    /// come before the items nested in it.
    written: usize,
    /// How much of its text its last block took as introduction: a second
    /// block is introduced by what was said after the first.
    introduced: usize,
}

/// Reads a page.
#[must_use]
pub fn read(text: &str) -> Page {
    let mut page = Page::default();
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_TABLES;
    let mut reading = Reading::default();
    // The front matter, as its lines come (in several texts), and whether
    // it is TOML (`+++`) rather than YAML.
    let mut metadata: Option<(String, bool)> = None;
    page.sections.push(Section::default());
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        let Some(section) = page.sections.last_mut() else { break };
        match event {
            Event::Start(Tag::MetadataBlock(kind)) => {
                metadata = Some((String::new(), kind == MetadataBlockKind::PlusesStyle));
            }
            Event::End(TagEnd::MetadataBlock(_)) => {
                let (text, toml) = metadata.take().unwrap_or_default();
                front_matter(&text, toml, &mut page);
            }
            Event::Text(value) if metadata.is_some() => metadata.iter_mut().for_each(|(m, _)| m.push_str(&value)),
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut reading, section);
                reading.heading = Some(level);
                reading.text.clear();
            }
            Event::End(TagEnd::Heading(level)) => {
                let heading = std::mem::take(&mut reading.text).trim().to_owned();
                reading.heading = None;
                // A paragraph under another heading introduces no block
                // here; a step's own heading (`### Restart it`) does.
                reading.last_paragraph.clear();
                match level {
                    HeadingLevel::H1 if page.heading.is_none() => page.heading = Some((heading, range.start)),
                    HeadingLevel::H1 | HeadingLevel::H2 => {
                        page.sections.push(Section { heading, ..Section::default() });
                    }
                    // Deeper headings are kept as prose of their section.
                    _ => {
                        section.prose.push(format!("{heading}:"));
                        reading.last_paragraph = heading;
                    }
                }
            }
            Event::Start(Tag::Item) => {
                flush(&mut reading, section);
                write_item(&mut reading.items, section);
                reading.items.push(Item::default());
            }
            Event::End(TagEnd::Item) => {
                flush(&mut reading, section);
                write_item(&mut reading.items, section);
                if let Some(item) = reading.items.pop().filter(|item| !item.holds_code && !item.text.trim().is_empty())
                {
                    section.flow.push(Flow::Item(item.text.trim().to_owned()));
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                flush(&mut reading, section);
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or_default().to_owned(),
                    CodeBlockKind::Indented => String::new(),
                };
                let unclosed = is_unclosed(&text[range.clone()]);
                reading.code = Some((lang, range.start, String::new(), unclosed));
                if unclosed {
                    page.problems.push((
                        range.start,
                        "a code block is not closed: closed at the end of the file, and copied, never run".into(),
                    ));
                }
            }
            Event::End(TagEnd::CodeBlock) => end_block(&mut reading, section),
            Event::Text(value) if reading.code.is_some() => {
                if let Some((_, _, code, _)) = &mut reading.code {
                    code.push_str(&value);
                }
            }
            ref event if reading.table(event) => {}
            Event::End(TagEnd::TableHead) => {
                let rule = format!("|{}", " --- |".repeat(reading.text.matches(" |").count()));
                flush(&mut reading, section);
                section.prose.push(rule);
            }
            Event::End(TagEnd::Paragraph | TagEnd::TableRow) => flush(&mut reading, section),
            Event::Text(value) => reading.text.push_str(&value),
            Event::Code(value) => {
                reading.text.push('`');
                reading.text.push_str(&value);
                reading.text.push('`');
            }
            Event::SoftBreak => reading.text.push(' '),
            Event::HardBreak => reading.text.push('\n'),
            // `<details>`, `<summary>`: their words stay, their tags go.
            Event::Html(html) | Event::InlineHtml(html) => reading.text.push_str(&strip_tags(&html)),
            Event::Start(Tag::Link { dest_url, .. }) => link(&dest_url, range, &mut page),
            _ => {}
        }
    }
    if let Some(section) = page.sections.last_mut() {
        flush(&mut reading, section);
    }
    hugo_refs(text, &mut page);
    page
}

/// Ends the code block being read: a block of the section, introduced by
/// its list item (what was said since the item's last block), else by the
/// paragraph before it.
fn end_block(reading: &mut Reading, section: &mut Section) {
    let Some((lang, at, code, unclosed)) = reading.code.take() else { return };
    let intro = match reading.items.last_mut() {
        Some(item) if !item.text.trim().is_empty() => {
            item.holds_code = true;
            let since = item.text[item.introduced..].trim();
            let intro = if since.is_empty() { item.text.trim() } else { since }.to_owned();
            item.introduced = item.text.len();
            intro
        }
        _ => reading.last_paragraph.trim().to_owned(),
    };
    section.flow.push(Flow::Block(section.blocks.len()));
    section.blocks.push(Block { lang, code, intro, at, unclosed });
}

/// Ends the paragraph being read: into the open list item, else the
/// section's prose.
fn flush(reading: &mut Reading, section: &mut Section) {
    let text = std::mem::take(&mut reading.text);
    let text = text.trim();
    if text.is_empty() || reading.heading.is_some() {
        text.clone_into(&mut reading.text);
        return;
    }
    match reading.items.last_mut().map(|item| &mut item.text) {
        Some(item) => {
            if !item.is_empty() {
                item.push(' ');
            }
            item.push_str(text);
        }
        None => section.prose.push(text.to_owned()),
    }
    text.clone_into(&mut reading.last_paragraph);
}

/// Writes into the prose what the innermost open item says that is not
/// there yet, indented by its depth.
fn write_item(items: &mut [Item], section: &mut Section) {
    let depth = items.len().saturating_sub(1);
    let Some(item) = items.last_mut() else { return };
    // An item that introduced a block is its step's text, not the
    // section's too (a paragraph stays: it may be all a Meaning says).
    let new = item.text[item.written.max(item.introduced)..].trim();
    if !new.is_empty() {
        let mark = if item.written == 0 { "- " } else { "  " };
        section.prose.push(format!("{}{mark}{new}", "  ".repeat(depth)));
    }
    item.written = item.text.len();
}

/// The front matter's `title` and `aliases`: YAML, or TOML between `+++`.
fn front_matter(text: &str, toml: bool, page: &mut Page) {
    // Only what is read is typed: a page's other keys (`weight`, `tags`,
    // `params.owner`) may hold anything.
    #[derive(serde::Deserialize)]
    struct Front {
        title: Option<String>,
        #[serde(default)]
        aliases: Vec<String>,
        #[serde(default)]
        params: Params,
    }
    /// What `export` writes under Hugo's `params` (Hugo reserves `kind`).
    #[derive(serde::Deserialize, Default)]
    struct Params {
        pagerbook_id: Option<String>,
        pagerbook_kind: Option<String>,
    }
    let front = if toml { ::toml::from_str::<Front>(text).ok() } else { serde_saphyr::from_str::<Front>(text).ok() };
    if let Some(front) = front {
        page.title = front.title.filter(|t| !t.trim().is_empty());
        page.aliases = front.aliases;
        page.id = front.params.pagerbook_id.filter(|id| crate::import::id_of(id) == *id);
        page.runbook = front.params.pagerbook_kind.is_some_and(|kind| kind == "runbook");
    } else {
        page.problems.push((0, "the front matter is not YAML (or TOML) with a title: it is left out".into()));
    }
}

fn link(dest: &str, range: Range<usize>, page: &mut Page) {
    if dest.contains("://") {
        page.urls.push(dest.to_owned());
    } else if let Some(stem) = md_stem(dest) {
        page.links.push((stem, range.start));
    }
}

/// `./KubePodNotReady.md#x` → `KubePodNotReady`.
fn md_stem(dest: &str) -> Option<String> {
    let path = dest.split('#').next()?;
    let file = path.rsplit('/').next()?;
    file.strip_suffix(".md").filter(|stem| !stem.is_empty()).map(str::to_owned)
}

/// Hugo's `{{< ref "./X.md" >}}`, which `CommonMark` does not take for a
/// link: a link between the pages, and in the prose its words only.
fn hugo_refs(text: &str, page: &mut Page) {
    let hugo_link = regex::Regex::new(r"\[([^\]]*)\]\(\{\{<[^)]*>\}\}\)").ok();
    for prose in page.sections.iter_mut().flat_map(|s| s.prose.iter_mut()) {
        if let Some(hugo_link) = hugo_link.as_ref().filter(|_| prose.contains("{{<")) {
            *prose = hugo_link.replace_all(prose, "$1").into_owned();
        }
    }
    let mut rest = text;
    let mut offset = 0;
    while let Some(at) = rest.find("{{<") {
        let end = rest[at..].find(">}}").map_or(rest.len(), |e| at + e + 3);
        let shortcode = &rest[at..end];
        if let Some(target) = shortcode.split('"').nth(1).filter(|_| shortcode.contains("ref"))
            && let Some(stem) = md_stem(target)
        {
            page.links.push((stem, offset + at));
        }
        offset += end;
        rest = &rest[end..];
    }
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether a fenced block's source lacks its closing fence. Inside a
/// block quote, each of its lines starts with the quote's `>`.
fn is_unclosed(source: &str) -> bool {
    let unquoted: Vec<&str> = source.lines().map(|line| line.trim_start().trim_start_matches('>')).collect();
    let unquoted = unquoted.join("\n");
    let source = unquoted.trim_end();
    let fence: String = source.trim_start().chars().take_while(|c| *c == '`' || *c == '~').collect();
    if fence.len() < 3 {
        return false; // indented
    }
    let last = source.lines().last().unwrap_or_default().trim();
    source.lines().count() < 2 || !(last.starts_with(&fence) && last.chars().all(|c| c == fence.as_bytes()[0] as char))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_in_list_items_take_the_item_as_their_introduction() {
        let page = read(
            "---\ntitle: A Title\n---\n\n# SomeAlert\n\n## Diagnosis\n\n1. Check the operator:\n\n    ```shell\n    oc get co/dns\n    ```\n\nThen this.\n\n```promql\nup == 0\n```\n",
        );
        assert_eq!(page.title.as_deref(), Some("A Title"));
        assert_eq!(page.heading.as_ref().map(|h| h.0.as_str()), Some("SomeAlert"));
        let diagnosis = &page.sections[1];
        assert_eq!(diagnosis.heading, "Diagnosis");
        assert_eq!(diagnosis.blocks.len(), 2);
        assert_eq!(
            (diagnosis.blocks[0].lang.as_str(), diagnosis.blocks[0].code.as_str()),
            ("shell", "oc get co/dns\n")
        );
        assert_eq!(diagnosis.blocks[0].intro, "Check the operator:");
        assert_eq!((diagnosis.blocks[1].lang.as_str(), diagnosis.blocks[1].intro.as_str()), ("promql", "Then this."));
    }

    #[test]
    fn a_heading_ends_what_introduces_a_block_and_an_item_comes_before_its_children() {
        let page = read(
            "+++\ntitle = \"From TOML\"\nweight = 3\n+++\n\n# X\n\n## Diagnosis\n\nLook first.\n\n## Mitigation\n\n```sh\nfix\n```\n\n### Step 2: Restart it\n\n```sh\nrestart\n```\n\n- Check:\n  - one\n  - two\n",
        );
        assert_eq!(page.title.as_deref(), Some("From TOML"), "{:?}", page.problems);
        let mitigation = &page.sections[2];
        assert_eq!(mitigation.blocks[0].intro, "", "the paragraph under Diagnosis introduces nothing here");
        assert_eq!(mitigation.blocks[1].intro, "Step 2: Restart it");
        assert_eq!(mitigation.prose, ["Step 2: Restart it:", "- Check:", "  - one", "  - two"]);
        let two = read(
            "# X\n\n1. Look at the table:\n\n   ```sql\n   SELECT 1;\n   ```\n\n   Run it with:\n\n   ```sh\n   psql -c 'SELECT 1'\n   ```\n",
        );
        let intros: Vec<&str> = two.sections[0].blocks.iter().map(|b| b.intro.as_str()).collect();
        assert_eq!(intros, ["Look at the table:", "Run it with:"]);
    }

    #[test]
    fn a_page_export_wrote_says_its_id_and_kind_under_params() {
        let page = read(
            "---\ntitle: \"T\"\nparams:\n  pagerbook_id: \"cdn-pop-outage\"\n  pagerbook_kind: runbook\n---\n\n# T\n",
        );
        assert_eq!((page.id.as_deref(), page.runbook), (Some("cdn-pop-outage"), true), "{:?}", page.problems);
    }

    #[test]
    fn links_hugo_refs_and_an_unclosed_fence_are_found() {
        let page = read(
            "# X\n\nSee [other](./Other.md) and [y]({{< ref \"./Why.md\" >}}), [k8s](https://k8s.io).\n\n> ```sh\n> quoted\n> ```\n\n```sh\nls\n",
        );
        let stems: Vec<&str> = page.links.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(stems, ["Other", "Why"]);
        assert_eq!(page.urls, ["https://k8s.io"]);
        assert_eq!(page.problems.len(), 1, "{:?}", page.problems);
        assert_eq!(page.sections[0].blocks[1].code, "ls\n", "the quoted block is closed");
    }
}
