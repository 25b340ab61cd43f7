//! The shipped CJK font: measuring text with it, and embedding the subset a document uses.
//!
//! The font goes into the PDF as a Type 0 (composite) font over a CID-keyed TrueType font
//! (ISO 32000-1 §9.7), because a simple font can address only 256 glyphs. Text is written as
//! two-byte glyph ids of the subset (Identity-H), and a ToUnicode map turns them back into the
//! characters, so that the text can be searched, copied and read aloud.

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use subsetter::GlyphRemapper;
use ttf_parser::{Face, GlyphId};

/// WenQuanYi Micro Hei, Apache-2.0: see `server/assets/fonts/README.md`.
const FONT: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttf");
const POSTSCRIPT_NAME: &str = "WenQuanYiMicroHei";

pub(super) struct Font {
    face: Face<'static>,
}

impl Font {
    pub(super) fn shipped() -> Self {
        // The bytes are compiled in; the tests parse them, so this cannot fail at run time.
        let face = Face::parse(FONT, 0).expect("the shipped font is a TrueType face");
        Self { face }
    }

    /// How wide `text` is when set at `size` points, in points.
    pub(super) fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| self.advance(self.glyph(c))).sum();
        units as f32 * size / f32::from(self.face.units_per_em())
    }

    /// A character the font lacks becomes glyph 0, `.notdef`: a visible box, not a silent gap.
    fn glyph(&self, c: char) -> GlyphId {
        self.face.glyph_index(c).unwrap_or(GlyphId(0))
    }

    fn advance(&self, glyph: GlyphId) -> u32 {
        self.face.glyph_hor_advance(glyph).map_or(0, u32::from)
    }

    /// Font units to the 1000-unit glyph space of PDF font metrics.
    fn to_pdf_units(&self, units: impl Into<f32>) -> f32 {
        units.into() * 1000.0 / f32::from(self.face.units_per_em())
    }
}

/// The glyphs one document uses, numbered in the order they are first met: these numbers are
/// the glyph ids of the subset and the character codes in the content streams.
pub(super) struct Embedding<'f> {
    font: &'f Font,
    glyphs: GlyphRemapper,
    /// For ToUnicode: the character each subset glyph was first used for.
    chars: BTreeMap<u16, char>,
}

impl<'f> Embedding<'f> {
    pub(super) fn new(font: &'f Font) -> Self {
        Self {
            font,
            glyphs: GlyphRemapper::new(),
            chars: BTreeMap::new(),
        }
    }

    /// `text` as the big-endian two-byte codes a content stream shows with this font.
    pub(super) fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut codes = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let glyph = self.font.glyph(c);
            let code = self.glyphs.remap(glyph.0);
            let shown = if glyph.0 == 0 {
                char::REPLACEMENT_CHARACTER
            } else {
                c
            };
            self.chars.entry(code).or_insert(shown);
            codes.extend(code.to_be_bytes());
        }
        codes
    }

    /// Writes the font as `font_id` and the objects it needs, with ids taken from `next`.
    pub(super) fn write(self, pdf: &mut Pdf, font_id: Ref, next: &mut Ref) {
        let (cid_id, descriptor_id, cmap_id, file_id) =
            (next.bump(), next.bump(), next.bump(), next.bump());
        let face = &self.font.face;

        // Every glyph of the shipped font subsets (a test checks), so this cannot fail on
        // anyone's text.
        let subset = subsetter::subset(FONT, 0, &self.glyphs).expect("the shipped font subsets");
        // A subset font's name starts with six capitals naming the subset (ISO 32000-1
        // §9.6.4); taking them from the glyph list keeps the output deterministic.
        let base_font = format!("{}+{POSTSCRIPT_NAME}", self.subset_tag());
        let base_font = Name(base_font.as_bytes());
        let system_info = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };

        pdf.type0_font(font_id)
            .base_font(base_font)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_id)
            .to_unicode(cmap_id);

        let widths: Vec<f32> = (self.glyphs.remapped_gids())
            .map(|old| {
                self.font
                    .to_pdf_units(self.font.advance(GlyphId(old)) as f32)
            })
            .collect();
        let mut cid = pdf.cid_font(cid_id);
        cid.subtype(CidFontType::Type2)
            .base_font(base_font)
            .system_info(system_info)
            .font_descriptor(descriptor_id)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        cid.widths().consecutive(0, widths);
        cid.finish();

        let bbox = face.global_bounding_box();
        let units = |v: i16| self.font.to_pdf_units(v);
        pdf.font_descriptor(descriptor_id)
            .name(base_font)
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(
                units(bbox.x_min),
                units(bbox.y_min),
                units(bbox.x_max),
                units(bbox.y_max),
            ))
            .italic_angle(face.italic_angle())
            .ascent(units(face.ascender()))
            .descent(units(face.descender()))
            .cap_height(units(face.capital_height().unwrap_or(face.ascender())))
            // Not in a TrueType font; a regular weight's usual value, as other writers use.
            .stem_v(80.0)
            .font_file2(file_id);

        let mut cmap = UnicodeCmap::new(Name(b"Custom"), system_info);
        for (&code, &c) in &self.chars {
            cmap.pair(code, c);
        }
        pdf.cmap(cmap_id, &cmap.finish());

        let compressed = super::pdf::deflate(&subset);
        let mut file = pdf.stream(file_id, &compressed);
        file.filter(Filter::FlateDecode);
        file.pair(
            Name(b"Length1"),
            i32::try_from(subset.len()).unwrap_or(i32::MAX),
        );
    }

    fn subset_tag(&self) -> String {
        let mut hash = Sha256::new();
        for glyph in self.glyphs.remapped_gids() {
            hash.update(glyph.to_be_bytes());
        }
        hash.finalize()
            .iter()
            .take(6)
            .map(|b| char::from(b'A' + b % 26))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_glyph_of_the_shipped_font_subsets() {
        let font = Font::shipped();
        let all: Vec<u16> = (0..font.face.number_of_glyphs()).collect();
        let subset = subsetter::subset(FONT, 0, &GlyphRemapper::new_from_glyphs(&all));
        assert!(subset.is_ok_and(|s| !s.is_empty()));
    }

    #[test]
    fn chinese_is_square_and_latin_is_narrower() {
        let font = Font::shipped();
        assert_eq!(font.width("调解", 10.0), 20.0);
        let latin = font.width("mediation", 10.0);
        assert!(latin > 30.0 && latin < 70.0, "{latin}");
    }

    #[test]
    fn codes_follow_first_use_and_repeat_for_the_same_glyph() {
        let font = Font::shipped();
        let mut embedding = Embedding::new(&font);
        // Glyph 0 (.notdef) is always code 0, so the first glyph used is code 1.
        assert_eq!(embedding.encode("调解调"), [0, 1, 0, 2, 0, 1]);
        assert_eq!(embedding.chars.get(&2), Some(&'解'));
    }

    #[test]
    fn a_character_the_font_lacks_shows_as_a_box_and_copies_as_a_replacement() {
        let font = Font::shipped();
        let mut embedding = Embedding::new(&font);
        assert_eq!(embedding.encode("😀"), [0, 0]);
        assert_eq!(embedding.chars.get(&0), Some(&char::REPLACEMENT_CHARACTER));
    }
}
