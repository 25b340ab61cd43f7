//! RFC 8785 JSON Canonicalization Scheme (JCS).
//!
//! Hashes in the record are taken over JSON, and JSON has many spellings of
//! one value (key order, whitespace, escapes, `1.0` vs `1`). JCS fixes one
//! spelling that any ECMAScript engine reproduces with `JSON.stringify` plus
//! key sorting, so an independent verifier — in a browser, in a court
//! expert's script — can recompute our hashes without our code.
//!
//! The input is a [`serde_json::Value`], which already satisfies most of the
//! I-JSON constraints of RFC 8785 §3.1: object names are unique (it is a map)
//! and strings are valid Unicode (Rust `str` cannot hold lone surrogates).
//! A map is unique only because it silently drops all but one of a repeated
//! name, so text from outside is read with [`parse_unique`], which refuses it.
//! The one constraint it does not enforce is that every number is exactly an
//! IEEE-754 double; integers beyond 2^53 are therefore rejected here.

use serde_json::{Map, Number, Value};

mod unique;

pub use unique::{parse_unique, DuplicateMember, JsonError};

/// 2^53: the largest magnitude up to which every integer is exactly an
/// IEEE-754 double. Above it, converting would silently change the number
/// (RFC 8785 §3.1 requires numbers to be expressible as doubles; its
/// Appendix D recommends carrying larger integers as strings).
pub const MAX_EXACT_INTEGER: u64 = 1 << 53;

/// Why a value has no RFC 8785 canonical form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CanonicalError {
    /// An integer that an IEEE-754 double cannot hold exactly; canonicalising
    /// it would record a different number than the one given.
    #[error(
        "integer {0} is beyond ±2^53 and cannot be represented exactly as an \
         IEEE-754 double (RFC 8785 §3.1); carry it as a string instead"
    )]
    IntegerOutOfRange(String),
    /// NaN or an infinity, which JSON cannot express (RFC 8785 §3.2.2.3).
    #[error("number {0} is not finite and has no JSON representation (RFC 8785 §3.2.2.3)")]
    NonFiniteNumber(String),
    /// The value could not even be turned into JSON, e.g. a map with
    /// non-string keys.
    #[error("value cannot be represented as JSON: {0}")]
    NotJson(String),
}

/// Serialises `value` to its RFC 8785 canonical UTF-8 bytes.
///
/// The output is what gets hashed, so it must never change for a given
/// value; see the known-answer tests before touching anything here.
pub fn to_canonical_bytes(value: &Value) -> Result<Vec<u8>, CanonicalError> {
    let mut out = Vec::with_capacity(128);
    write_value(&mut out, value)?;
    Ok(out)
}

/// Canonicalises any serialisable value by way of [`serde_json::Value`].
///
/// Caveat inherited from `serde_json::to_value`: a non-finite `f32`/`f64`
/// field becomes `null` before it reaches us, so types that are hashed
/// should not carry floats that could be NaN or infinite.
pub fn canonical_bytes_of<T: serde::Serialize + ?Sized>(v: &T) -> Result<Vec<u8>, CanonicalError> {
    let value = serde_json::to_value(v).map_err(|e| CanonicalError::NotJson(e.to_string()))?;
    to_canonical_bytes(&value)
}

fn write_value(out: &mut Vec<u8>, value: &Value) -> Result<(), CanonicalError> {
    match value {
        // RFC 8785 §3.2.2.1: literals as-is.
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => write_number(out, n)?,
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            // RFC 8785 §3.2.1: no whitespace between tokens.
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(out, item)?;
            }
            out.push(b']');
        }
        Value::Object(map) => write_object(out, map)?,
    }
    Ok(())
}

/// RFC 8785 §3.2.3: members sorted by name, comparing the names as arrays of
/// UTF-16 code units — not by UTF-8 bytes or code points, which differ for
/// characters above U+FFFF (surrogates 0xD800.. sort before U+E000..U+FFFF).
/// Sorting is applied recursively because each nested object is written by
/// this same function.
fn write_object(out: &mut Vec<u8>, map: &Map<String, Value>) -> Result<(), CanonicalError> {
    let mut members: Vec<(&String, &Value)> = map.iter().collect();
    // Names are unique (it is a map), so an unstable sort is deterministic.
    members.sort_unstable_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
    out.push(b'{');
    for (i, (name, member)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_string(out, name);
        out.push(b':');
        write_value(out, member)?;
    }
    out.push(b'}');
    Ok(())
}

/// RFC 8785 §3.2.2.2: strings exactly as ECMAScript `JSON.stringify` writes
/// them. Only `"`, `\` and the C0 controls are escaped; everything else,
/// including DEL, U+2028/U+2029 and all non-ASCII, is emitted as literal
/// UTF-8 (§3.2.4). Escaping works byte-wise: every byte that needs escaping
/// is ASCII, and ASCII bytes never occur inside a multi-byte UTF-8 sequence.
fn write_string(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x00..=0x1f => &[],
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        start = i + 1;
        if escape.is_empty() {
            // Other controls: \u00XX with lowercase hex, as ECMAScript does.
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0x0f)]);
        } else {
            out.extend_from_slice(escape);
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// RFC 8785 §3.2.2.3: a number is written as ECMAScript's
/// `Number.prototype.toString` of its IEEE-754 double value.
fn write_number(out: &mut Vec<u8>, n: &Number) -> Result<(), CanonicalError> {
    if let Some(u) = n.as_u64() {
        if u > MAX_EXACT_INTEGER {
            return Err(CanonicalError::IntegerOutOfRange(u.to_string()));
        }
        // Exact as a double and below 10^21, so ECMAScript prints plain digits.
        out.extend_from_slice(u.to_string().as_bytes());
    } else if let Some(i) = n.as_i64() {
        if i.unsigned_abs() > MAX_EXACT_INTEGER {
            return Err(CanonicalError::IntegerOutOfRange(i.to_string()));
        }
        out.extend_from_slice(i.to_string().as_bytes());
    } else if let Some(f) = n.as_f64() {
        if reads_back_as_a_refused_integer(f) {
            return Err(CanonicalError::IntegerOutOfRange(f.to_string()));
        }
        write_f64(out, f)?;
    } else {
        // Unreachable without serde_json's arbitrary_precision feature; with
        // it, refusing is safer than guessing.
        return Err(CanonicalError::NotJson(format!("unsupported number {n}")));
    }
    Ok(())
}

/// Whether the canonical text of `f` is an integer that [`write_number`] refuses. A double
/// beyond 2^53 is a whole number, and below 10^21 it is written in plain digits: where those
/// digits fit in 64 bits, a JSON reader (serde_json, and so our verifier) reads them back as
/// that integer, which is refused above. Refusing the double as well keeps every canonical form
/// its own canonical form, so that a payload accepted once is never refused when re-verified.
fn reads_back_as_a_refused_integer(f: f64) -> bool {
    // Exact: 2^53, 2^63 and 2^64 are doubles.
    let max = MAX_EXACT_INTEGER as f64;
    let beyond_i64 = -(i64::MIN as f64);
    let beyond_u64 = 2.0 * beyond_i64;
    (f > max && f < beyond_u64) || (f < -max && f >= -beyond_i64)
}

fn write_f64(out: &mut Vec<u8>, f: f64) -> Result<(), CanonicalError> {
    if !f.is_finite() {
        return Err(CanonicalError::NonFiniteNumber(f.to_string()));
    }
    if f == 0.0 {
        // ECMAScript prints -0 as "0" (RFC 8785 §3.2.2.3, Appendix B).
        out.push(b'0');
        return Ok(());
    }
    let mut buf = ryu_js::Buffer::new();
    out.extend_from_slice(buf.format_finite(f).as_bytes());
    Ok(())
}

#[cfg(test)]
mod tests;
