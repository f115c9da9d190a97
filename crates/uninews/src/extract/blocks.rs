//! The body walk: turns the body container into a flat sequence of [`Block`]s (text lines,
//! table rows, images, blank lines) carrying the style facts the role pass needs (wholly
//! bold, alignment, inside a heading / figure / figcaption), and collects the body's file
//! links and document players as attachments.
//!
//! One iterative pass over ego-tree traversal edges; nesting depth costs heap, not stack.

use super::attachments::{AttachmentList, file_name, sudyfile_title};
use super::dom::{Align, attr, heading_level, is_block, is_skipped, own_style, resolve};
use super::images::{FoundImage, content_image_with, names_no_url};
use crate::selectors::FastSelector;
use crate::text::{is_space, normalize_ws};
use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Node};
use std::collections::HashSet;
use url::Url;

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A line of text (paragraph, heading or caption candidate, credit line, ...).
    Text,
    /// A data-table row, its non-empty cells joined with ` | `.
    Row,
    /// A content image.
    Image,
    /// An empty block element (`<p>&nbsp;</p>`, `<p><br></p>`): a visual gap.
    Blank,
    /// The text of a dedicated photo-credit element (`.credit`, `.photo-credit`,
    /// `.copyright`, ...) in a figure, outside its caption.
    Credit,
}

/// One block of the body.
#[derive(Debug, Clone)]
pub struct Block {
    /// What it is.
    pub kind: BlockKind,
    /// Whitespace-normalised text (`Text`, `Row`).
    pub text: String,
    /// Every visible character is bold.
    pub bold: bool,
    /// Alignment of the block.
    pub align: Align,
    /// Inside `h1`..`h6`.
    pub heading: Option<u8>,
    /// Inside a `figcaption`.
    pub figcaption: bool,
    /// The `figure` it belongs to (a per-walk number).
    pub figure: Option<u32>,
    /// The block element it came from (a per-walk number): images of one element form a group.
    pub group: u32,
    /// The image (`Image`).
    pub image: Option<FoundImage>,
}

/// The body as blocks, plus the attachments found in it.
#[derive(Debug, Default)]
pub struct Walk {
    /// Blocks in reading order.
    pub blocks: Vec<Block>,
    /// File links and document players in the body, in page order.
    pub attachments: AttachmentList,
}

#[derive(Debug, Clone, Copy, Default)]
struct Ctx {
    bold: bool,
    align: Align,
    heading: Option<u8>,
    figcaption: bool,
    figure: Option<u32>,
    group: u32,
    block: bool,
    had_content: bool,
    /// Inside a photo-credit element.
    credit: bool,
    /// A caption or credit element: its text is a line of its own, even when the element
    /// is inline (`<span class="caption">` inside a paragraph).
    own_line: bool,
    /// Inside a logo, avatar, byline, share or ad box: images here are not content.
    no_images: bool,
}

#[derive(Debug, Default)]
struct Line {
    text: String,
    bold_chars: usize,
    plain_chars: usize,
    started: Option<Ctx>,
    breaks: u8,
}

/// Elements that leave a blank line when they hold nothing visible.
fn leaves_blank(name: &str) -> bool {
    matches!(
        name,
        "p" | "div" | "li" | "center" | "section" | "dd" | "dt" | "blockquote" | "hr"
    ) || heading_level(name).is_some()
}

use roles::{ClassRole, class_role, no_images_box};
use tables::TableFrame;

struct Walker<'a> {
    base: &'a Url,
    drop: &'a [&'a FastSelector],
    /// A generic body's clutter (`Some` exactly for a generic body, whose boilerplate
    /// class names are left out too).
    noise: Option<&'a HashSet<NodeId>>,
    out: Walk,
    ctx: Vec<Ctx>,
    line: Line,
    tables: Vec<TableFrame>,
    target: Option<usize>,
    link: Option<(NodeId, String, String)>,
    next_group: u32,
    next_figure: u32,
    /// The `<picture>` being walked and the `srcset` values of its `<source>` elements.
    picture: Option<(NodeId, Vec<String>)>,
    /// The last image named no URL (a script fills it in): a `<noscript>` copy right
    /// after it stands in for it.
    noscript_wanted: bool,
}

impl<'a> Walker<'a> {
    fn top(&self) -> Ctx {
        self.ctx.last().copied().unwrap_or_default()
    }

    fn mark_content(&mut self) {
        if let Some(c) = self.ctx.last_mut() {
            c.had_content = true;
        }
    }

    fn push_block(&mut self, block: Block) {
        if block.kind == BlockKind::Blank
            && self
                .out
                .blocks
                .last()
                .is_none_or(|b| b.kind == BlockKind::Blank)
        {
            return;
        }
        self.out.blocks.push(block);
    }

    fn flush(&mut self) {
        let line = std::mem::take(&mut self.line);
        let Some(ctx) = line.started else { return };
        let text = normalize_ws(&line.text);
        if text.is_empty() {
            return;
        }
        if let Some(t) = self.target {
            if let Some(cell) = self.tables.get_mut(t).and_then(|f| f.cell.as_mut()) {
                cell.push(text);
            }
            return;
        }
        if self.tables.last().is_some_and(|f| f.data) {
            return; // stray text between rows of a data table
        }
        self.push_block(Block {
            kind: if ctx.credit {
                BlockKind::Credit
            } else {
                BlockKind::Text
            },
            text,
            bold: line.bold_chars > 0 && line.plain_chars == 0,
            align: ctx.align,
            heading: ctx.heading,
            figcaption: ctx.figcaption,
            figure: ctx.figure,
            group: ctx.group,
            image: None,
        });
    }

    fn text(&mut self, t: &str) {
        if let Some((_, _, link_text)) = self.link.as_mut() {
            link_text.push_str(t);
        }
        let visible = t.chars().filter(|c| !is_space(*c)).count();
        if visible == 0 {
            if self.line.started.is_some() {
                self.line.text.push(' ');
            }
            return;
        }
        if self.line.breaks >= 2 {
            self.flush();
        } else if self.line.breaks == 1 {
            self.line.text.push(' ');
        }
        self.line.breaks = 0;
        let ctx = self.top();
        if self.line.started.is_none() {
            self.line.started = Some(ctx);
        }
        self.line.text.push_str(t);
        if ctx.bold {
            self.line.bold_chars += visible;
        } else {
            self.line.plain_chars += visible;
        }
        self.mark_content();
    }

    fn image(&mut self, el: &scraper::node::Element) {
        if self.top().no_images {
            return;
        }
        let sources = self.picture.as_ref().map_or(&[][..], |(_, s)| s.as_slice());
        let Some(found) = content_image_with(el, self.base, sources) else {
            self.noscript_wanted = sources.is_empty() && names_no_url(el);
            return;
        };
        self.push_image(found);
    }

    /// The image of a `<noscript>` copy, when the image before it named no URL. The copy
    /// is raw text when the page was parsed with scripting on, elements otherwise.
    fn noscript(&mut self, node: ego_tree::NodeRef<'_, Node>) {
        if !std::mem::take(&mut self.noscript_wanted) || self.top().no_images {
            return;
        }
        let raw: String = node
            .children()
            .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
            .collect();
        let frag = scraper::Html::parse_fragment(&raw);
        let inner = node
            .descendants()
            .filter_map(|n| {
                n.value()
                    .as_element()
                    .filter(|e| e.name() == "img")
                    .cloned()
            })
            .chain(frag.tree.nodes().filter_map(|n| {
                n.value()
                    .as_element()
                    .filter(|e| e.name() == "img")
                    .cloned()
            }))
            .next();
        if let Some(found) = inner.and_then(|e| content_image_with(&e, self.base, &[])) {
            self.push_image(found);
        }
    }

    fn push_image(&mut self, found: FoundImage) {
        self.noscript_wanted = false;
        self.flush();
        let ctx = self.top();
        self.mark_content();
        self.push_block(Block {
            kind: BlockKind::Image,
            text: String::new(),
            bold: false,
            align: ctx.align,
            heading: ctx.heading,
            figcaption: ctx.figcaption,
            figure: ctx.figure,
            group: ctx.group,
            image: Some(found),
        });
    }

    fn player(&mut self, el: &scraper::node::Element) {
        let src = attr(el, "pdfsrc").or_else(|| match el.name() {
            "embed" | "iframe" => attr(el, "src"),
            "object" => attr(el, "data"),
            _ => None,
        });
        let Some(url) = src.and_then(|s| resolve(self.base, s)) else {
            return;
        };
        if attr(el, "pdfsrc").is_none() && !super::attachments::is_file_url(&url) {
            return;
        }
        let name = attr(el, "sudyfile-attr")
            .and_then(sudyfile_title)
            .unwrap_or_else(|| file_name(&url));
        self.out.attachments.push(&url, name);
    }

    fn open(&mut self, node: ego_tree::NodeRef<'_, Node>, el: &scraper::node::Element) -> bool {
        let name = el.name();
        if attr(el, "pdfsrc").is_some() || matches!(name, "embed" | "iframe" | "object") {
            self.player(el);
        }
        if name == "noscript" {
            self.noscript(node);
        }
        if is_skipped(name) {
            return false;
        }
        let style = own_style(el);
        if style.hidden {
            return false;
        }
        if let Some(er) = ElementRef::wrap(node)
            && !self.drop.is_empty()
            && self.drop.iter().any(|s| s.matches(&er))
        {
            return false;
        }
        let parent = self.top();
        // a caption or photo credit inside a figure is never clutter, whatever its class
        let figure_part = parent.figure.is_some()
            && matches!(class_role(el), Some(ClassRole::Caption | ClassRole::Credit));
        if !figure_part && self.noise.is_some_and(|n| n.contains(&node.id())) {
            return false;
        }
        let block = is_block(name);
        let mut ctx = Ctx {
            bold: style.bold.unwrap_or(parent.bold),
            block,
            had_content: false,
            own_line: false,
            ..parent
        };
        if block {
            self.flush();
            self.next_group += 1;
            ctx.group = self.next_group;
            if let Some(a) = style.align {
                ctx.align = a;
            }
        }
        if let Some(level) = heading_level(name) {
            ctx.heading = Some(level);
        }
        // a body container is the body whatever its class says; boxes inside it are not
        if !self.ctx.is_empty() && no_images_box(el) {
            ctx.no_images = true;
        }
        let role = match name {
            "figure" => Some(ClassRole::Figure),
            "figcaption" => Some(ClassRole::Caption),
            _ => class_role(el),
        };
        match role {
            Some(ClassRole::Figure) => {
                self.next_figure += 1;
                ctx.figure = Some(self.next_figure);
            }
            Some(ClassRole::Caption) => {
                // an inline caption element is a line of its own only where it can caption
                // an image: in a figure, or right after one
                let near_image = parent.figure.is_some()
                    || self.line.started.is_none()
                        && self
                            .out
                            .blocks
                            .last()
                            .is_some_and(|b| b.kind == BlockKind::Image);
                if !parent.figcaption && (block || near_image) {
                    self.flush();
                    ctx.own_line = true;
                }
                ctx.figcaption = true;
            }
            // a credit counts as such only in a figure; inside a caption it stays caption text
            Some(ClassRole::Credit) if parent.figure.is_some() && !parent.figcaption => {
                self.flush();
                ctx.credit = true;
                ctx.own_line = true;
            }
            _ => {}
        }
        match name {
            "picture" => self.picture = Some((node.id(), Vec::new())),
            "source" => {
                if let Some((_, list)) = self.picture.as_mut()
                    && let Some(v) = attr(el, "data-srcset").or_else(|| attr(el, "srcset"))
                {
                    list.push(v.to_string());
                }
            }
            "br" if self.line.started.is_some() => {
                self.line.breaks = self.line.breaks.saturating_add(1);
                self.line.text.push(' ');
            }
            "img" => self.image(el),
            "a" => {
                if let Some(href) = attr(el, "href") {
                    self.link = Some((node.id(), href.to_string(), String::new()));
                }
            }
            "table" => self.table_open(node),
            "tr" => self.row_open(),
            "td" | "th" => self.cell_open(),
            _ => {}
        }
        self.ctx.push(ctx);
        true
    }

    fn close(&mut self, node: ego_tree::NodeRef<'_, Node>, el: &scraper::node::Element) {
        let name = el.name();
        let ctx = self.ctx.pop().unwrap_or_default();
        if ctx.block {
            self.flush();
        }
        if let Some(parent) = self.ctx.last_mut() {
            parent.had_content |= ctx.had_content;
        }
        if self
            .link
            .as_ref()
            .is_some_and(|(id, _, _)| *id == node.id())
            && let Some((_, href, text)) = self.link.take()
            && let Some(url) = resolve(self.base, &href)
        {
            self.out.attachments.push_link(&url, &text);
        }
        if ctx.own_line {
            self.flush();
        }
        if self
            .picture
            .as_ref()
            .is_some_and(|(id, _)| *id == node.id())
        {
            self.picture = None;
        }
        match name {
            "td" | "th" => self.cell_close(),
            "tr" => self.row_close(&ctx),
            "table" => self.table_close(node),
            _ => {}
        }
        if ctx.block && !ctx.had_content && leaves_blank(name) && self.target.is_none() {
            self.push_block(Block {
                kind: BlockKind::Blank,
                text: String::new(),
                bold: false,
                align: ctx.align,
                heading: None,
                figcaption: false,
                figure: None,
                group: ctx.group,
                image: None,
            });
        }
    }
}

/// Walk the body containers `roots` (in order; page URL `base`) that rules found,
/// leaving out elements matching `drop`.
pub fn walk(roots: &[ElementRef<'_>], base: &Url, drop: &[&FastSelector]) -> Walk {
    walk_with(roots, base, drop, None)
}

/// [`walk`] of a generic body: leaves out the elements in `noise` (boilerplate-named
/// blocks, link lists and other clutter the density pass found inside).
pub fn walk_generic(roots: &[ElementRef<'_>], base: &Url, noise: &HashSet<NodeId>) -> Walk {
    walk_with(roots, base, &[], Some(noise))
}

/// The walk behind both: `noise` is `Some` for a generic body.
pub(super) fn walk_with(
    roots: &[ElementRef<'_>],
    base: &Url,
    drop: &[&FastSelector],
    noise: Option<&HashSet<NodeId>>,
) -> Walk {
    let mut w = Walker {
        base,
        drop,
        noise,
        out: Walk::default(),
        ctx: Vec::new(),
        line: Line::default(),
        tables: Vec::new(),
        target: None,
        link: None,
        next_group: 0,
        next_figure: 0,
        picture: None,
        noscript_wanted: false,
    };
    for root in roots {
        let mut skip: Option<NodeId> = None;
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) => {
                    if skip.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Element(el) if !w.open(node, el) => skip = Some(node.id()),
                        Node::Text(t) => w.text(t),
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if let Some(id) = skip {
                        if id == node.id() {
                            skip = None;
                        }
                        continue;
                    }
                    if let Node::Element(el) = node.value() {
                        w.close(node, el);
                    }
                }
            }
        }
        w.flush();
    }
    w.out
}

mod roles;
mod tables;

#[cfg(test)]
mod tests;
