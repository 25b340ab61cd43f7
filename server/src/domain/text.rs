//! Free text typed by people: trimmed, length-bounded, and free of control characters that would
//! corrupt a printed document or a log line.

use super::Invalid;

/// Trims `raw` and checks it holds between `min` and `max` characters (not bytes: Chinese text is
/// three bytes a character in UTF-8) with no control characters other than newlines and tabs.
pub fn bounded_text(raw: &str, min: usize, max: usize) -> Result<String, Invalid> {
    let text = raw.trim();
    let chars = text.chars().count();
    if chars < min {
        return Err(Invalid::one(
            "",
            if min == 1 {
                "must not be empty".to_owned()
            } else {
                format!("must be at least {min} characters")
            },
        ));
    }
    if chars > max {
        return Err(Invalid::one(
            "",
            format!("must be at most {max} characters"),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(Invalid::one("", "must not contain control characters"));
    }
    Ok(text.to_owned())
}

/// Like [`bounded_text`] for an optional field: absent or blank becomes `None`.
pub fn optional_text(raw: Option<&str>, max: usize) -> Result<Option<String>, Invalid> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => bounded_text(text, 1, max).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        assert_eq!(bounded_text("邻里纠纷", 1, 4).unwrap(), "邻里纠纷");
        assert!(bounded_text("邻里纠纷调解", 1, 4).is_err());
    }

    #[test]
    fn trims_and_refuses_blank_and_control_characters() {
        assert_eq!(bounded_text("  a  ", 1, 10).unwrap(), "a");
        assert!(bounded_text("   ", 1, 10).is_err());
        assert!(bounded_text("a\u{0}b", 1, 10).is_err());
        assert!(bounded_text("line one\nline two", 1, 30).is_ok());
    }

    #[test]
    fn optional_blank_is_none() {
        assert_eq!(optional_text(Some("  "), 10).unwrap(), None);
        assert_eq!(optional_text(None, 10).unwrap(), None);
        assert_eq!(
            optional_text(Some(" x "), 10).unwrap(),
            Some("x".to_owned())
        );
    }
}
