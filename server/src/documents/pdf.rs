//! Writing laid-out pages as a PDF file.
//!
//! Deterministic on purpose: no creation date, no random file identifier, objects numbered in
//! the order they are written, so that the same document always has the same bytes.

use super::font::{Embedding, Font};
use super::layout::{Mark, Page, PAGE_HEIGHT, PAGE_WIDTH, RULE_WIDTH};
use pdf_writer::types::TextRenderingMode;
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// What the file says about itself, for viewers and screen readers.
pub(super) struct Meta<'a> {
    pub(super) title: String,
    /// A BCP 47 tag: "zh-CN" or "en".
    pub(super) language: &'a str,
}

const FONT_NAME: Name<'static> = Name(b"F1");

pub(super) fn write(pages: &[Page], font: &Font, meta: &Meta<'_>) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let mut next = Ref::new(1);
    let (catalog_id, tree_id, info_id, font_id) =
        (next.bump(), next.bump(), next.bump(), next.bump());

    pdf.catalog(catalog_id)
        .pages(tree_id)
        .lang(TextStr(meta.language));
    pdf.document_info(info_id)
        .title(TextStr(&meta.title))
        .creator(TextStr("Accord"));

    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (next.bump(), next.bump())).collect();
    pdf.pages(tree_id)
        .kids(page_ids.iter().map(|(page, _)| *page))
        .count(i32::try_from(pages.len()).unwrap_or(i32::MAX));

    let mut embedding = Embedding::new(font);
    for (marks, (page_id, content_id)) in pages.iter().zip(&page_ids) {
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(tree_id)
            .contents(*content_id);
        page.resources().fonts().pair(FONT_NAME, font_id);
        page.finish();

        let content = deflate(&draw(marks, &mut embedding));
        pdf.stream(*content_id, &content)
            .filter(Filter::FlateDecode);
    }
    embedding.write(&mut pdf, font_id, &mut next);
    pdf.finish()
}

fn draw(marks: &[Mark], embedding: &mut Embedding<'_>) -> Vec<u8> {
    let mut content = Content::new();
    content.set_line_width(RULE_WIDTH);
    for mark in marks {
        match mark {
            Mark::Text {
                x,
                y,
                style,
                text,
                spacing,
            } => {
                content.save_state();
                if style.bold {
                    // The font has one weight: stroking the outlines as well as filling them
                    // thickens the strokes, as word processors do for a "bold" CJK font.
                    content
                        .set_text_rendering_mode(TextRenderingMode::FillStroke)
                        .set_line_width(style.size / 30.0);
                }
                if *spacing > 0.0 {
                    content.set_char_spacing(*spacing);
                }
                content
                    .begin_text()
                    .set_font(FONT_NAME, style.size)
                    .set_text_matrix([1.0, 0.0, 0.0, 1.0, *x, *y])
                    .show(Str(&embedding.encode(text)))
                    .end_text()
                    .restore_state();
            }
            Mark::Line { from, to } => {
                content.move_to(from.0, from.1).line_to(to.0, to.1).stroke();
            }
        }
    }
    content.finish().into_vec()
}

/// zlib (FlateDecode) at the default level: fonts and text shrink to about a third.
pub(super) fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}
