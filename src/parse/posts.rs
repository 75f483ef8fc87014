//! Posts being assembled: shared by the plain-text parser and by the assembler of the blocks
//! that the Markdown and HTML parsers produce, so that all formats split a page into posts the
//! same way.

use crate::model::{BibEntry, Link, MappedText, Marker, Note, Post};
use crate::parse::markers;
use crate::source::Span;

/// Where the lines being read belong.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    #[default]
    Body,
    Bibliography,
    Notes,
}

/// A post being assembled.
#[derive(Debug, Default)]
pub(crate) struct PostBuilder {
    /// Offset of the post's first line.
    pub(crate) start: usize,
    /// Offset just past the last line that holds anything of the post.
    pub(crate) end: usize,
    pub(crate) body: Vec<MappedText>,
    pub(crate) markers: Vec<Marker>,
    pub(crate) notes: Vec<Note>,
    pub(crate) bibliography_heading: Option<Span>,
    pub(crate) bibliography: Vec<BibEntry>,
    pub(crate) links: Vec<Link>,
    /// A notes heading was seen: numbered lines (and list items) start notes.
    pub(crate) numbered_notes: bool,
    /// Whether anything but blank lines was seen.
    pub(crate) has_text: bool,
    /// Plain text: the last body line was added to the last body block.
    pub(crate) body_open: bool,
    /// Plain text: the last line was added to the last bibliography entry.
    pub(crate) entry_open: bool,
}

impl PostBuilder {
    pub(crate) fn starting_at(start: usize) -> Self {
        Self {
            start,
            end: start,
            ..Self::default()
        }
    }

    /// Takes over what `later` collected (text between two parts of one notes list).
    pub(crate) fn absorb(&mut self, later: Self) {
        self.body.extend(later.body);
        self.markers.extend(later.markers);
        self.bibliography.extend(later.bibliography);
        self.links.extend(later.links);
        if self.bibliography_heading.is_none() {
            self.bibliography_heading = later.bibliography_heading;
        }
        self.numbered_notes |= later.numbered_notes;
        self.has_text |= later.has_text;
        self.end = self.end.max(later.end);
    }

    fn is_empty(&self) -> bool {
        self.notes.is_empty() && self.markers.is_empty() && self.bibliography.is_empty()
    }

    fn build(mut self, index: usize) -> Post {
        self.markers.sort_by_key(|m| m.span.start);
        markers::drop_unmatched_years(&mut self.markers, &self.notes);
        self.links.sort_by_key(|l| l.element.start);
        let end = self
            .notes
            .iter()
            .map(|n| n.span.end)
            .chain(self.bibliography.iter().map(|b| b.span.end))
            .chain(self.markers.iter().map(|m| m.span.end))
            .max()
            .unwrap_or(self.end);
        Post {
            index,
            span: Span::new(self.start, end.max(self.start)),
            body: self.body,
            markers: self.markers,
            notes: self.notes,
            bibliography_heading: self.bibliography_heading,
            bibliography: self.bibliography,
            urls: Vec::new(),
            sources: Vec::new(),
            links: self.links,
            duplicate_entries: Vec::new(),
        }
    }
}

/// The posts of a file: those finished, the one whose notes list is open or not yet begun, and
/// what came after its notes ended (the body of the next post, if one begins).
#[derive(Debug, Default)]
pub(crate) struct Posts {
    pub(crate) done: Vec<Post>,
    pub(crate) current: PostBuilder,
    pub(crate) after: Option<PostBuilder>,
    pub(crate) state: State,
}

impl Posts {
    /// The post that lines outside a notes list go to.
    pub(crate) fn target(&mut self) -> &mut PostBuilder {
        self.after.as_mut().unwrap_or(&mut self.current)
    }

    /// Leaves the notes list, if one is open; later lines go to the next post.
    pub(crate) fn end_notes(&mut self, at: usize) {
        if self.state == State::Notes {
            self.after = Some(PostBuilder::starting_at(at));
            self.state = State::Body;
        }
    }

    /// Enters the notes list. When it was closed, what came after the last notes either
    /// begins a new post (`restarts` says so: the list starts again at 1 after some text) or
    /// belongs to the current one.
    pub(crate) fn enter_notes(&mut self, restarts: impl FnOnce(&PostBuilder) -> bool) {
        if self.state != State::Notes {
            if let Some(after) = self.after.take() {
                if restarts(&after) {
                    let done = std::mem::replace(&mut self.current, after);
                    self.push(done);
                } else {
                    self.current.absorb(after);
                }
            }
        }
        self.state = State::Notes;
    }

    /// Ends the current post outright (an HTML `<article>` boundary); the next starts at `at`.
    pub(crate) fn post_break(&mut self, at: usize) {
        let mut done = std::mem::replace(&mut self.current, PostBuilder::starting_at(at));
        if let Some(after) = self.after.take() {
            done.absorb(after);
        }
        if !done.is_empty() {
            self.push(done);
        }
        self.state = State::Body;
    }

    fn push(&mut self, post: PostBuilder) {
        let index = self.done.len() + 1;
        self.done.push(post.build(index));
    }

    pub(crate) fn finish(mut self) -> Vec<Post> {
        if let Some(after) = self.after.take() {
            if after.markers.is_empty() {
                // Trailing page furniture; a bibliography after the notes belongs to the post.
                self.current.bibliography.extend(after.bibliography);
                self.current.links.extend(after.links);
                if self.current.bibliography_heading.is_none() {
                    self.current.bibliography_heading = after.bibliography_heading;
                }
            } else {
                let done = std::mem::replace(&mut self.current, after);
                self.push(done);
            }
        }
        if !self.current.is_empty() {
            let current = std::mem::take(&mut self.current);
            self.push(current);
        }
        self.done
    }
}
