//! Reading JSON whose object member names are unique (I-JSON, RFC 7493 §2.3), as RFC 8785 §3.1
//! requires of anything it canonicalises.
//!
//! `serde_json` keeps the last of two members of one name, and other readers keep the first: a
//! document with `"amount_fen": 99900000, "amount_fen": 120000` hashes as one amount here and
//! may be shown as the other elsewhere. So every document whose hash or signature matters is
//! read through [`parse_unique`], which refuses a repeated name instead of choosing one.

use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// Why [`parse_unique`] refused a document.
#[derive(Debug, thiserror::Error)]
pub enum JsonError {
    /// Not JSON at all (or trailing bytes after it).
    #[error("not JSON ({0})")]
    Syntax(serde_json::Error),
    /// Well-formed JSON in which one object names a member twice.
    #[error(transparent)]
    Duplicate(DuplicateMember),
}

/// A member name found twice in one object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("duplicate member {name:?} in {}: which one counts depends on who reads it", self.place())]
pub struct DuplicateMember {
    /// Where the object is, `content.parties[0]` style; empty for the top level.
    pub path: String,
    /// The repeated name.
    pub name: String,
}

impl DuplicateMember {
    /// The member's own path, e.g. `agreement.content.amount_fen`.
    pub fn member_path(&self) -> String {
        if self.path.is_empty() {
            self.name.clone()
        } else {
            format!("{}.{}", self.path, self.name)
        }
    }

    fn place(&self) -> String {
        if self.path.is_empty() {
            "the top-level object".to_owned()
        } else {
            self.path.clone()
        }
    }
}

/// Parses one JSON document (nothing but whitespace may follow it), refusing any object that
/// names a member twice, at any depth.
pub fn parse_unique(bytes: &[u8]) -> Result<Value, JsonError> {
    let mut walk = Walk::default();
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = Node { walk: &mut walk }
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    match (parsed, walk.duplicate) {
        (_, Some(duplicate)) => Err(JsonError::Duplicate(duplicate)),
        (Ok(value), None) => Ok(value),
        (Err(e), None) => Err(JsonError::Syntax(e)),
    }
}

/// Where the reader is, and the first duplicate it met (kept apart from serde's error, which can
/// only carry a message).
#[derive(Default)]
struct Walk {
    path: Vec<Step>,
    duplicate: Option<DuplicateMember>,
}

enum Step {
    Member(String),
    Index(usize),
}

impl Walk {
    fn path(&self) -> String {
        let mut out = String::new();
        for step in &self.path {
            match step {
                Step::Member(name) if out.is_empty() => out.push_str(name),
                Step::Member(name) => {
                    out.push('.');
                    out.push_str(name);
                }
                Step::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}

/// One value, built into a [`Value`] the way `serde_json` builds its own.
struct Node<'w> {
    walk: &'w mut Walk,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // JSON text cannot spell a non-finite number, so this is never Null in practice.
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            self.walk.path.push(Step::Index(items.len()));
            let item = seq.next_element_seed(Node {
                walk: &mut *self.walk,
            });
            self.walk.path.pop();
            match item? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Map::new();
        while let Some(name) = map.next_key::<String>()? {
            if members.contains_key(&name) {
                let duplicate = DuplicateMember {
                    path: self.walk.path(),
                    name,
                };
                let message = duplicate.to_string();
                self.walk.duplicate = Some(duplicate);
                return Err(A::Error::custom(message));
            }
            self.walk.path.push(Step::Member(name.clone()));
            let value = map.next_value_seed(Node {
                walk: &mut *self.walk,
            });
            self.walk.path.pop();
            members.insert(name, value?);
        }
        Ok(Value::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_repeated_name_is_refused_wherever_it_is() {
        let cases = [
            (r#"{"a": 1, "a": 1}"#, "", "a"),
            (
                r#"{"agreement": {"content": {"amount_fen": 99900000, "amount_fen": 120000}}}"#,
                "agreement.content",
                "amount_fen",
            ),
            (
                r#"{"events": [{}, {"payload": {"x": [1, {"k": 0, "k": 0}]}}]}"#,
                "events[1].payload.x[1]",
                "k",
            ),
        ];
        for (text, path, name) in cases {
            match parse_unique(text.as_bytes()) {
                Err(JsonError::Duplicate(d)) => {
                    assert_eq!((d.path.as_str(), d.name.as_str()), (path, name), "{text}");
                    assert!(d.to_string().contains(name));
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        let d = DuplicateMember {
            path: "agreement.content".into(),
            name: "amount_fen".into(),
        };
        assert_eq!(d.member_path(), "agreement.content.amount_fen");
    }

    #[test]
    fn unique_documents_read_exactly_as_serde_json_reads_them() {
        let texts = [
            r#"{"a": 1, "b": {"a": 1}, "c": [{"a": 1}, {"a": 2}]}"#,
            r#"[1, -2, 3.5, 1e300, -0.0, 18446744073709551615, -9223372036854775808]"#,
            r#""\u00e9\ud83d\ude00""#,
            "null",
            " true ",
            r#"{"":{"":{"":[]}}}"#,
        ];
        for text in texts {
            let ours = parse_unique(text.as_bytes()).unwrap();
            let theirs: Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours, theirs, "{text}");
        }
        assert_eq!(
            parse_unique(br#"{"b":1,"a":2}"#).unwrap(),
            json!({"a": 2, "b": 1})
        );
    }

    #[test]
    fn what_is_not_one_json_document_is_a_syntax_error() {
        for text in [&b""[..], b"{", b"{} {}", b"{\"a\":1,}", b"[1]x", b"\xff"] {
            assert!(
                matches!(parse_unique(text), Err(JsonError::Syntax(_))),
                "{:?}",
                String::from_utf8_lossy(text)
            );
        }
        // Deeper than serde_json's recursion limit: refused, not a stack overflow.
        let deep = "[".repeat(100_000);
        assert!(matches!(
            parse_unique(deep.as_bytes()),
            Err(JsonError::Syntax(_))
        ));
    }
}
