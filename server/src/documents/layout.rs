//! Flowing text down A4 pages: paragraphs, aligned lines, signature rows and ruled tables,
//! starting a new page whenever the next piece would not fit. What it makes is a list of marks
//! (text at a point, straight lines) per page, which `pdf` writes out.
//!
//! Coordinates are PDF points with the origin at the bottom left of the page.

use super::font::Font;
use super::wrap::{is_cjk, wrap};

const MM: f32 = 72.0 / 25.4;
pub(super) const PAGE_WIDTH: f32 = 210.0 * MM;
pub(super) const PAGE_HEIGHT: f32 = 297.0 * MM;
const LEFT: f32 = 25.0 * MM;
const RIGHT: f32 = PAGE_WIDTH - 25.0 * MM;
const TOP: f32 = PAGE_HEIGHT - 25.0 * MM;
const BOTTOM: f32 = 25.0 * MM;
/// The footer sits in the bottom margin.
const FOOTER_BASELINE: f32 = 14.0 * MM;
/// Chinese body text is set loosely; 1.75 lines per em is close to the usual 28-point leading of
/// 16-point official documents.
const LEADING: f32 = 1.75;
/// The width of every rule, in points.
pub(super) const RULE_WIDTH: f32 = 0.6;
const CELL_PADDING: f32 = 4.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Style {
    pub(super) size: f32,
    pub(super) bold: bool,
}

impl Style {
    pub(super) const fn regular(size: f32) -> Self {
        Self { size, bold: false }
    }

    pub(super) const fn bold(size: f32) -> Self {
        Self { size, bold: true }
    }

    fn line_height(self) -> f32 {
        self.size * LEADING
    }

    /// Where the baseline goes in a line whose top is `top`: the glyphs' body (about 0.88 em
    /// above the baseline and 0.12 below) centred in the line.
    fn baseline(self, top: f32) -> f32 {
        top - self.line_height() / 2.0 - 0.38 * self.size
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Mark {
    Text {
        x: f32,
        y: f32,
        style: Style,
        text: String,
        /// Extra space after each character, in points, to justify the line.
        spacing: f32,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
    },
}

pub(super) type Page = Vec<Mark>;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Align {
    Centre,
    Right,
}

/// Left indents of a paragraph, in ems of its style: of its first line and of the others.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Indent {
    pub(super) first: f32,
    pub(super) rest: f32,
}

impl Indent {
    pub(super) const NONE: Self = Self::hanging(0.0, 0.0);
    /// The Chinese paragraph: the first line indented two characters.
    pub(super) const PARAGRAPH: Self = Self::hanging(2.0, 0.0);

    pub(super) const fn hanging(first: f32, rest: f32) -> Self {
        Self { first, rest }
    }
}

pub(super) struct Flow<'f> {
    font: &'f Font,
    done: Vec<Page>,
    page: Page,
    /// The top of the next line on `page`.
    y: f32,
}

impl<'f> Flow<'f> {
    pub(super) fn new(font: &'f Font) -> Self {
        Self {
            font,
            done: Vec::new(),
            page: Vec::new(),
            y: TOP,
        }
    }

    pub(super) fn new_page(&mut self) {
        self.done.push(std::mem::take(&mut self.page));
        self.y = TOP;
    }

    /// Starts a new page unless `height` more fits on this one, so that what follows stays
    /// together.
    pub(super) fn keep(&mut self, height: f32) {
        if self.y - height < BOTTOM && !self.page.is_empty() {
            self.new_page();
        }
    }

    /// Room for `lines` lines of `style`, to pass to `keep`.
    pub(super) fn lines(style: Style, lines: usize) -> f32 {
        style.line_height() * lines as f32
    }

    pub(super) fn space(&mut self, height: f32) {
        self.y -= height;
    }

    /// Text in paragraphs (one per `\n`), wrapped to the text width.
    pub(super) fn paragraph(&mut self, text: &str, style: Style, indent: Indent) {
        for paragraph in text.split('\n') {
            let (first, rest) = (indent.first * style.size, indent.rest * style.size);
            let mut lines = self.wrap(paragraph, style, RIGHT - LEFT - first, RIGHT - LEFT - rest);
            let last = lines.len().saturating_sub(1);
            for (i, line) in lines.drain(..).enumerate() {
                let x = LEFT + if i == 0 { first } else { rest };
                let spacing = if i < last {
                    self.justify(&line, RIGHT - x, style)
                } else {
                    0.0
                };
                self.place_line(style, |top| {
                    let baseline = style.baseline(top);
                    vec![Mark::Text {
                        x,
                        y: baseline,
                        style,
                        text: line,
                        spacing,
                    }]
                });
            }
        }
    }

    /// The spacing that makes a broken line of Chinese text end flush with the margin, as
    /// Chinese is set (两端对齐): its characters are square, so a line falls short only by what
    /// mixed-in Latin or a held-over punctuation mark leaves. Latin lines stay ragged, as
    /// spreading their letters would read badly.
    fn justify(&self, line: &str, width: f32, style: Style) -> f32 {
        let gaps = line.chars().count().saturating_sub(1);
        let short = width - self.font.width(line, style.size);
        if gaps == 0 || !line.chars().any(is_cjk) {
            return 0.0;
        }
        (short / gaps as f32).clamp(0.0, 0.25 * style.size)
    }

    /// "Label: value", `indent` ems in, with the value's further lines aligned under its first.
    pub(super) fn labelled(&mut self, label: &str, value: &str, style: Style, indent: f32) {
        let hang = indent + self.font.width(label, style.size) / style.size;
        let indent = Indent::hanging(indent, hang);
        self.paragraph(&format!("{label}{value}"), style, indent);
    }

    /// One line, centred or flush right; wrapped if it is too long.
    pub(super) fn aligned(&mut self, text: &str, style: Style, align: Align) {
        let lines = self.wrap(text, style, RIGHT - LEFT, RIGHT - LEFT);
        for line in lines {
            let width = self.font.width(&line, style.size);
            let x = match align {
                Align::Centre => (LEFT + RIGHT - width) / 2.0,
                Align::Right => RIGHT - width,
            };
            self.place_line(style, |top| {
                vec![text_mark(x, style.baseline(top), style, line)]
            });
        }
    }

    /// A signature row, two ems in: who signs (or signed), a blank line to sign on by hand if
    /// `blank`, and the date flush right.
    pub(super) fn signature_row(&mut self, who: &str, blank: bool, date: &str, style: Style) {
        let indent = 2.0;
        let x = LEFT + indent * style.size;
        let date_x = RIGHT - self.font.width(date, style.size);
        let blank_from = x + self.font.width(who, style.size) + style.size / 2.0;
        let blank_to = (blank_from + 12.0 * style.size).min(date_x - style.size);
        self.place_line(style, |top| {
            let baseline = style.baseline(top);
            let mut marks = vec![
                text_mark(x, baseline, style, who.to_owned()),
                text_mark(date_x, baseline, style, date.to_owned()),
            ];
            if blank {
                let y = baseline - 0.2 * style.size;
                marks.push(Mark::Line {
                    from: (blank_from, y),
                    to: (blank_to, y),
                });
            }
            marks
        });
    }

    /// Text in a ruled box across the text width: for what must not be overlooked.
    pub(super) fn boxed(&mut self, text: &str, style: Style) {
        let inner = RIGHT - LEFT - 2.0 * CELL_PADDING;
        let lines = self.wrap(text, style, inner, inner);
        let height = Self::lines(style, lines.len()) + 2.0 * CELL_PADDING;
        self.keep(height);
        let top = self.y;
        let marks = lines.into_iter().enumerate().map(|(i, line)| {
            let line_top = top - CELL_PADDING - Self::lines(style, i);
            text_mark(LEFT + CELL_PADDING, style.baseline(line_top), style, line)
        });
        let mut marks: Vec<Mark> = marks.collect();
        marks.extend(rectangle(LEFT, top - height, RIGHT, top));
        self.page.extend(marks);
        self.y -= height;
    }

    /// A ruled table across the text width. `widths` are the columns' shares of it; the header
    /// row is repeated at the top of each page the table runs onto.
    pub(super) fn table(&mut self, widths: &[f32], header: &[&str], rows: &[Vec<String>]) {
        let (body, heading) = (Style::regular(9.0), Style::bold(9.0));
        let total: f32 = widths.iter().sum();
        let columns: Vec<f32> = widths.iter().map(|w| w / total * (RIGHT - LEFT)).collect();
        let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
        let header_height = self.row_height(&columns, &header, heading);
        let mut header_due = true;
        for row in rows {
            let height = self.row_height(&columns, row, body);
            let needed = height + if header_due { header_height } else { 0.0 };
            if self.y - needed < BOTTOM && !self.page.is_empty() {
                self.new_page();
                header_due = true;
            }
            if header_due {
                self.table_row(&columns, &header, heading);
                header_due = false;
            }
            self.table_row(&columns, row, body);
        }
    }

    fn row_height(&self, columns: &[f32], row: &[String], style: Style) -> f32 {
        let lines = (columns.iter().zip(row))
            .map(|(width, cell)| self.cell_lines(cell, *width, style).len())
            .max()
            .unwrap_or(1);
        Self::lines(style, lines) + 2.0 * CELL_PADDING
    }

    fn table_row(&mut self, columns: &[f32], row: &[String], style: Style) {
        let height = self.row_height(columns, row, style);
        let top = self.y;
        let mut marks = Vec::new();
        let mut x = LEFT;
        for (width, cell) in columns.iter().zip(row) {
            for (i, line) in self.cell_lines(cell, *width, style).into_iter().enumerate() {
                let line_top = top - CELL_PADDING - Self::lines(style, i);
                marks.push(text_mark(
                    x + CELL_PADDING,
                    style.baseline(line_top),
                    style,
                    line,
                ));
            }
            marks.extend(rectangle(x, top - height, x + width, top));
            x += width;
        }
        self.page.extend(marks);
        self.y -= height;
    }

    fn cell_lines(&self, cell: &str, width: f32, style: Style) -> Vec<String> {
        let inner = width - 2.0 * CELL_PADDING;
        self.wrap(cell, style, inner, inner)
    }

    /// The pages, each with its footer: `footer(page, pages)` gives the text of the left corner
    /// and of the centre, counting from 1.
    pub(super) fn finish(mut self, footer: impl Fn(usize, usize) -> (String, String)) -> Vec<Page> {
        if !self.page.is_empty() || self.done.is_empty() {
            self.new_page();
        }
        let total = self.done.len();
        let style = Style::regular(9.0);
        for (i, page) in self.done.iter_mut().enumerate() {
            let (left, centre) = footer(i + 1, total);
            let centre_x = (PAGE_WIDTH - self.font.width(&centre, style.size)) / 2.0;
            page.push(text_mark(LEFT, FOOTER_BASELINE, style, left));
            page.push(text_mark(centre_x, FOOTER_BASELINE, style, centre));
        }
        self.done
    }

    fn wrap(&self, text: &str, style: Style, first: f32, rest: f32) -> Vec<String> {
        wrap(text, first, rest, &|s: &str| self.font.width(s, style.size))
    }

    /// Places one line, on a new page if it does not fit on this one; `marks` gets the top of
    /// the line.
    fn place_line(&mut self, style: Style, marks: impl FnOnce(f32) -> Vec<Mark>) {
        self.keep(style.line_height());
        let top = self.y;
        let marks = marks(top);
        self.page.extend(marks);
        self.y -= style.line_height();
    }
}

fn text_mark(x: f32, y: f32, style: Style, text: String) -> Mark {
    let spacing = 0.0;
    Mark::Text {
        x,
        y,
        style,
        text,
        spacing,
    }
}

fn rectangle(x0: f32, y0: f32, x1: f32, y1: f32) -> [Mark; 4] {
    let line = |from, to| Mark::Line { from, to };
    [
        line((x0, y0), (x1, y0)),
        line((x1, y0), (x1, y1)),
        line((x1, y1), (x0, y1)),
        line((x0, y1), (x0, y0)),
    ]
}
