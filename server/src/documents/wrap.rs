//! Line breaking for Chinese mixed with Latin text.
//!
//! Chinese is written without spaces, so a line may break between any two CJK characters; Latin
//! words break only at spaces. Punctuation follows the Chinese line-breaking rules (禁则, W3C
//! clreq §3.1.7): a closing mark (，。）》” …) never starts a line and an opening mark (（《“ …)
//! never ends one; each travels with its neighbour instead. A word wider than the line (a hash,
//! a key fingerprint) is cut wherever it must be.

/// Breaks one paragraph into lines whose width, by `measure`, is at most `first` for the first
/// line and `rest` for the others (a paragraph's first line is indented). Runs of whitespace,
/// newlines too, become one space or a break. Always at least one line.
pub(super) fn wrap(
    text: &str,
    first: f32,
    rest: f32,
    measure: &dyn Fn(&str) -> f32,
) -> Vec<String> {
    let space = measure(" ");
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_width = 0.0;
    let limit = |lines: &Vec<String>| if lines.is_empty() { first } else { rest };
    for segment in segments(text) {
        let segment_width = measure(&segment.text);
        let gap = if segment.space_before { space } else { 0.0 };
        // A segment too wide for any line is cut anyway: it starts where it is.
        let overflows = line_width + gap + segment_width > limit(&lines);
        if !line.is_empty() && overflows && segment_width <= rest {
            lines.push(std::mem::take(&mut line));
            line_width = 0.0;
        }
        if !line.is_empty() && segment.space_before {
            line.push(' ');
            line_width += space;
        }
        line.push_str(&segment.text);
        line_width += segment_width;
        // Only a segment too wide for any line overflows: cut it between characters.
        while line_width > limit(&lines) && line.chars().nth(1).is_some() {
            let (head, tail) = cut(&line, limit(&lines), measure);
            lines.push(head);
            line_width = measure(&tail);
            line = tail;
        }
    }
    lines.push(line);
    lines
}

/// Splits `text` after the longest head no wider than `width`, keeping at least one character
/// in the head.
fn cut(text: &str, width: f32, measure: &dyn Fn(&str) -> f32) -> (String, String) {
    let mut head_width = 0.0;
    let mut split = text.len();
    for (i, c) in text.char_indices() {
        let mut buf = [0; 4];
        head_width += measure(c.encode_utf8(&mut buf));
        if i > 0 && head_width > width {
            split = i;
            break;
        }
    }
    let (head, tail) = text.split_at(split);
    (head.to_owned(), tail.to_owned())
}

/// A run of text that must not be broken, and whether a space separates it from the previous.
struct Segment {
    text: String,
    space_before: bool,
}

fn segments(text: &str) -> Vec<Segment> {
    let mut segments: Vec<Segment> = Vec::new();
    let mut space = false;
    let mut previous: Option<char> = None;
    for c in text.chars() {
        if is_collapsible_space(c) {
            space = !segments.is_empty();
            continue;
        }
        match (segments.last_mut(), previous) {
            (Some(last), Some(before)) if !space && !may_break(before, c) => last.text.push(c),
            _ => segments.push(Segment {
                text: c.to_string(),
                space_before: space,
            }),
        }
        space = false;
        previous = Some(c);
    }
    segments
}

/// Ordinary whitespace. The ideographic space (U+3000) is a character with a width, used for
/// indents and gaps in Chinese text; the no-break space binds a number to its unit.
fn is_collapsible_space(c: char) -> bool {
    c.is_whitespace() && c != '\u{3000}' && c != '\u{a0}'
}

/// May a line break between two characters that have no space between them?
fn may_break(before: char, after: char) -> bool {
    if is_closing(after) || is_opening(before) || before == '\u{a0}' || after == '\u{a0}' {
        return false;
    }
    // A doubled dash or ellipsis (—— ……) is one mark.
    if before == after && matches!(after, '—' | '…') {
        return false;
    }
    is_cjk(before) || is_cjk(after)
}

pub(super) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2e80}'..='\u{9fff}'     // radicals, CJK punctuation, kana, bopomofo, Han
        | '\u{ac00}'..='\u{d7af}'   // Hangul
        | '\u{f900}'..='\u{faff}'   // compatibility ideographs
        | '\u{fe30}'..='\u{fe4f}'   // compatibility forms
        | '\u{ff00}'..='\u{ffef}'   // full-width forms: ，！（） and full-width letters
        | '\u{20000}'..='\u{3ffff}' // Han extensions B and later
    )
}

fn is_closing(c: char) -> bool {
    "，。、；：？！）》」』】〕〉〗”’…—·％,.;:?!)]}%".contains(c)
}

fn is_opening(c: char) -> bool {
    "（《「『【〔〈〖“‘([{".contains(c)
}

#[cfg(test)]
mod tests {
    use super::wrap;

    /// Every character is one unit wide, so widths are character counts.
    fn count(s: &str) -> f32 {
        s.chars().count() as f32
    }

    #[test]
    fn chinese_breaks_between_any_two_characters() {
        assert_eq!(wrap("一二三四五六", 4.0, 4.0, &count), ["一二三四", "五六"]);
    }

    #[test]
    fn latin_breaks_at_spaces_and_collapses_them() {
        let lines = wrap("the quick  brown\nfox", 10.0, 10.0, &count);
        assert_eq!(lines, ["the quick", "brown fox"]);
    }

    #[test]
    fn a_closing_mark_never_starts_a_line_nor_an_opening_mark_ends_one() {
        assert_eq!(
            wrap("一二三，四五", 3.0, 3.0, &count),
            ["一二", "三，四", "五"]
        );
        assert_eq!(wrap("一二（三）", 3.0, 3.0, &count), ["一二", "（三）"]);
    }

    #[test]
    fn chinese_and_latin_break_where_they_meet() {
        assert_eq!(wrap("金额CNY", 3.0, 3.0, &count), ["金额", "CNY"]);
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut_where_it_starts() {
        let lines = wrap("key 0123456789abcdef", 6.0, 6.0, &count);
        assert_eq!(lines, ["key 01", "234567", "89abcd", "ef"]);
    }

    #[test]
    fn a_no_break_space_keeps_an_amount_with_its_unit() {
        assert_eq!(
            wrap("合计 3,000.00\u{a0}元", 10.0, 10.0, &count),
            ["合计", "3,000.00\u{a0}元"]
        );
    }

    #[test]
    fn the_first_line_has_its_own_width() {
        assert_eq!(
            wrap("一二三四五六七", 3.0, 4.0, &count),
            ["一二三", "四五六七"]
        );
    }

    #[test]
    fn empty_text_is_one_empty_line() {
        assert_eq!(wrap("  ", 5.0, 5.0, &count), [""]);
    }
}
