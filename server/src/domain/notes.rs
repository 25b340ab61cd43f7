//! The mediation record (调解笔录, a required item of the dossier): the mediator's notes of each
//! sitting of a case, that is of each live session (its `SessionStarted` event names it). Every
//! save is a new version and none is ever replaced, so the record shows what was written when.
//! The notes are the mediator's: the parties never read them (see http/notes.rs).

use super::{bounded_text, Invalid, Timestamp};
use uuid::Uuid;

/// The longest text one save takes. 16,000 characters are some thirty pages of Chinese, and
/// even at four bytes a character they fit in the API's 64 KiB body limit, so a text that is
/// too long gets this clear refusal rather than a bare "payload too large".
pub const MAX_NOTE_CHARS: usize = 16_000;

/// The text of one version, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteText(String);

impl NoteText {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        bounded_text(raw, 1, MAX_NOTE_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotesRefusal {
    #[error("no such sitting in this case")]
    UnknownSitting,
    /// Someone saved a newer version since this one was read: saving would silently drop it.
    #[error("the notes were saved meanwhile (now version {latest}); read them again")]
    Stale { latest: u32 },
}

/// The number of the version a save makes, when the text was edited from version `base` (0 for
/// none) and `latest` is the newest version saved (0 for none).
pub fn next_version(latest: u32, base: u32) -> Result<u32, NotesRefusal> {
    if base == latest {
        Ok(latest + 1)
    } else {
        Err(NotesRefusal::Stale { latest })
    }
}

/// One sitting of a case: a live session, from its start to its end (if it has ended).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sitting {
    pub session: Uuid,
    pub started_at: Timestamp,
    pub ended_at: Option<Timestamp>,
}

/// What the case's record says of its sittings, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SittingMark {
    Started(Uuid),
    Ended(Uuid),
}

/// The sittings that `marks` (in the order recorded) describe, newest first.
pub fn sittings(marks: &[(Timestamp, SittingMark)]) -> Vec<Sitting> {
    let mut sittings: Vec<Sitting> = Vec::new();
    for (at, mark) in marks {
        match mark {
            SittingMark::Started(session) => sittings.push(Sitting {
                session: *session,
                started_at: *at,
                ended_at: None,
            }),
            SittingMark::Ended(session) => {
                if let Some(sitting) = sittings.iter_mut().find(|s| s.session == *session) {
                    sitting.ended_at.get_or_insert(*at);
                }
            }
        }
    }
    sittings.reverse();
    sittings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_save_follows_the_version_it_was_edited_from() {
        assert_eq!(next_version(0, 0), Ok(1));
        assert_eq!(next_version(3, 3), Ok(4));
        assert_eq!(next_version(3, 2), Err(NotesRefusal::Stale { latest: 3 }));
        assert_eq!(next_version(0, 1), Err(NotesRefusal::Stale { latest: 0 }));
    }

    #[test]
    fn texts_are_bounded_in_characters() {
        assert!(NoteText::parse(&"录".repeat(MAX_NOTE_CHARS)).is_ok());
        let err = NoteText::parse(&"录".repeat(MAX_NOTE_CHARS + 1)).unwrap_err();
        assert_eq!(err.0[0].message, "must be at most 16000 characters");
        assert!(NoteText::parse(" \n ").is_err());
        assert_eq!(NoteText::parse(" 双方陈述\n").unwrap().as_str(), "双方陈述");
    }

    #[test]
    fn sittings_come_newest_first_with_their_ends() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let t = Timestamp::from_millis;
        let marks = [
            (t(10), SittingMark::Started(a)),
            (t(20), SittingMark::Ended(a)),
            (t(30), SittingMark::Started(b)),
            (t(40), SittingMark::Ended(Uuid::from_u128(9))),
        ];
        assert_eq!(
            sittings(&marks),
            [
                Sitting {
                    session: b,
                    started_at: t(30),
                    ended_at: None
                },
                Sitting {
                    session: a,
                    started_at: t(10),
                    ended_at: Some(t(20))
                },
            ]
        );
    }
}
