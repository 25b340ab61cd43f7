//! Known answers for RFC 8785. The vectors are the RFC's own examples and the
//! reference implementation's `testdata` (cyberphone/json-canonicalization),
//! embedded so the tests need no files.

use super::*;
use serde_json::json;

fn canon(value: &Value) -> String {
    String::from_utf8(to_canonical_bytes(value).unwrap()).unwrap()
}

fn canon_str(input: &str) -> String {
    canon(&serde_json::from_str(input).unwrap())
}

fn canon_f64(f: f64) -> String {
    let mut out = Vec::new();
    write_f64(&mut out, f).unwrap();
    String::from_utf8(out).unwrap()
}

fn from_hex_dump(dump: &str) -> Vec<u8> {
    dump.split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).unwrap())
        .collect()
}

#[test]
fn testdata_arrays() {
    let input = r#"[
      56,
      {
        "d": true,
        "10": null,
        "1": [ ]
      }
    ]"#;
    assert_eq!(canon_str(input), r#"[56,{"1":[],"10":null,"d":true}]"#);
}

#[test]
fn testdata_french() {
    // Locale-specific collation must not apply: plain code-unit order.
    let input = r#"{
      "peach": "This sorting order",
      "péché": "is wrong according to French",
      "pêche": "but canonicalization MUST",
      "sin":   "ignore locale"
    }"#;
    assert_eq!(
        canon_str(input),
        r#"{"peach":"This sorting order","péché":"is wrong according to French","pêche":"but canonicalization MUST","sin":"ignore locale"}"#
    );
}

#[test]
fn testdata_structures() {
    let input = r#"{
      "1": {"f": {"f": "hi","F": 5} ,"\n": 56.0},
      "10": { },
      "": "empty",
      "a": { },
      "111": [ {"e": "yes","E": "no" } ],
      "A": { }
    }"#;
    assert_eq!(
        canon_str(input),
        r#"{"":"empty","1":{"\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{"E":"no","e":"yes"}],"A":{},"a":{}}"#
    );
}

#[test]
fn testdata_unicode_is_not_normalised() {
    // RFC 8785 §3.1: strings are kept "as is", no Unicode normalisation.
    let input = r#"{"Unnormalized Unicode":"A\u030a"}"#;
    assert_eq!(canon_str(input), "{\"Unnormalized Unicode\":\"A\u{30a}\"}");
}

const VALUES_INPUT: &str = r#"{
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}"#;

#[test]
fn testdata_values() {
    assert_eq!(
        canon_str(VALUES_INPUT),
        r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
    );
}

#[test]
fn rfc_3_2_4_utf8_bytes() {
    // The exact byte dump given in RFC 8785 §3.2.4 for the example above.
    let expected = from_hex_dump(
        "7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72
         75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a
         5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31
         65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37
         5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30
         30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d",
    );
    let value: Value = serde_json::from_str(VALUES_INPUT).unwrap();
    assert_eq!(to_canonical_bytes(&value).unwrap(), expected);
}

#[test]
fn testdata_weird() {
    let input = r#"{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\u000a": "Newline",
      "1": "One",
      "\u0080": "Control\u007f",
      "\ud83d\ude02": "Smiley",
      "\u00f6": "Latin Small Letter O With Diaeresis",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "</script>": "Browser Challenge"
    }"#;
    let expected = from_hex_dump(
        "7b 22 5c 6e 22 3a 22 4e 65 77 6c 69 6e 65 22 2c 22 5c 72 22 3a 22 43 61 72 72 69 61 67 65 20 52
         65 74 75 72 6e 22 2c 22 31 22 3a 22 4f 6e 65 22 2c 22 3c 2f 73 63 72 69 70 74 3e 22 3a 22 42 72
         6f 77 73 65 72 20 43 68 61 6c 6c 65 6e 67 65 22 2c 22 c2 80 22 3a 22 43 6f 6e 74 72 6f 6c 7f 22
         2c 22 c3 b6 22 3a 22 4c 61 74 69 6e 20 53 6d 61 6c 6c 20 4c 65 74 74 65 72 20 4f 20 57 69 74 68
         20 44 69 61 65 72 65 73 69 73 22 2c 22 e2 82 ac 22 3a 22 45 75 72 6f 20 53 69 67 6e 22 2c 22 f0
         9f 98 82 22 3a 22 53 6d 69 6c 65 79 22 2c 22 ef ac b3 22 3a 22 48 65 62 72 65 77 20 4c 65 74 74
         65 72 20 44 61 6c 65 74 20 57 69 74 68 20 44 61 67 65 73 68 22 7d",
    );
    let value: Value = serde_json::from_str(input).unwrap();
    assert_eq!(to_canonical_bytes(&value).unwrap(), expected);
    assert_eq!(
        canon(&value),
        "{\"\\n\":\"Newline\",\"\\r\":\"Carriage Return\",\"1\":\"One\",\
         \"</script>\":\"Browser Challenge\",\"\u{80}\":\"Control\u{7f}\",\
         \"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\
         \"\u{1f602}\":\"Smiley\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}"
    );
}

#[test]
fn rfc_3_2_3_sorting_example() {
    let input = r#"{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }"#;
    assert_eq!(
        canon_str(input),
        "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\
         \"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\
         \"\u{1f600}\":\"Emoji: Grinning Face\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}"
    );
}

#[test]
fn keys_sort_by_utf16_code_units_not_utf8_bytes() {
    // U+1F600 is D83D DE00 in UTF-16 but F0 9F 98 80 in UTF-8; U+FB33 and
    // U+E000 are single code units above the surrogates. UTF-8 byte order
    // (or code-point order) would put the emoji last.
    let value = json!({"\u{fb33}": 1, "\u{e000}": 2, "\u{1f600}": 3, "\u{20ac}": 4, "\u{ffff}": 5});
    assert_eq!(
        canon(&value),
        "{\"\u{20ac}\":4,\"\u{1f600}\":3,\"\u{e000}\":2,\"\u{fb33}\":1,\"\u{ffff}\":5}"
    );
    // A prefix sorts before its extensions; case is by code unit.
    assert_eq!(
        canon(&json!({"ab": 1, "a": 2, "B": 3, "b": 4})),
        r#"{"B":3,"a":2,"ab":1,"b":4}"#
    );
}

#[test]
fn nested_objects_are_sorted_too() {
    let value = json!({"z": [{"y": 1, "x": {"b": null, "a": [true]}}], "a": {}});
    assert_eq!(
        canon(&value),
        r#"{"a":{},"z":[{"x":{"a":[true],"b":null},"y":1}]}"#
    );
}

#[test]
fn strings_are_escaped_like_json_stringify() {
    let all_controls: String = (0u8..0x20).map(char::from).collect();
    assert_eq!(
        canon(&Value::String(all_controls)),
        "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f\
         \\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\""
    );
    // Not escaped: solidus, DEL, C1 controls, line/paragraph separators, non-ASCII.
    let literal = "/\u{7f}\u{80}\u{9f}\u{2028}\u{2029}é€😀";
    assert_eq!(canon(&json!(literal)), format!("\"{literal}\""));
    assert_eq!(canon(&json!("a\"b\\c")), r#""a\"b\\c""#);
    assert_eq!(canon(&json!("")), r#""""#);
}

#[test]
fn literals_and_empty_containers() {
    assert_eq!(canon(&json!(null)), "null");
    assert_eq!(canon(&json!(true)), "true");
    assert_eq!(canon(&json!(false)), "false");
    assert_eq!(canon(&json!([])), "[]");
    assert_eq!(canon(&json!({})), "{}");
    assert_eq!(canon(&json!([[], {}, [null]])), "[[],{},[null]]");
}

#[test]
fn rfc_appendix_b_number_samples() {
    // (IEEE-754 bits, ECMAScript string), RFC 8785 Appendix B.
    let samples: &[(u64, &str)] = &[
        (0x0000000000000000, "0"),
        (0x8000000000000000, "0"),
        (0x0000000000000001, "5e-324"),
        (0x8000000000000001, "-5e-324"),
        (0x7fefffffffffffff, "1.7976931348623157e+308"),
        (0xffefffffffffffff, "-1.7976931348623157e+308"),
        (0x4340000000000000, "9007199254740992"),
        (0xc340000000000000, "-9007199254740992"),
        (0x4430000000000000, "295147905179352830000"),
        (0x44b52d02c7e14af5, "9.999999999999997e+22"),
        (0x44b52d02c7e14af6, "1e+23"),
        (0x44b52d02c7e14af7, "1.0000000000000001e+23"),
        (0x444b1ae4d6e2ef4e, "999999999999999700000"),
        (0x444b1ae4d6e2ef4f, "999999999999999900000"),
        (0x444b1ae4d6e2ef50, "1e+21"),
        (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
        (0x3eb0c6f7a0b5ed8d, "0.000001"),
        (0x41b3de4355555553, "333333333.3333332"),
        (0x41b3de4355555554, "333333333.33333325"),
        (0x41b3de4355555555, "333333333.3333333"),
        (0x41b3de4355555556, "333333333.3333334"),
        (0x41b3de4355555557, "333333333.33333343"),
        (0xbecbf647612f3696, "-0.0000033333333333333333"),
        (0x43143ff3c1cb0959, "1424953923781206.2"),
    ];
    for &(bits, expected) in samples {
        let f = f64::from_bits(bits);
        assert_eq!(canon_f64(f), expected, "bits {bits:#018x}");
        // And through a Value, where the number actually comes from.
        if let Some(n) = Number::from_f64(f) {
            assert_eq!(canon(&Value::Number(n)), expected, "bits {bits:#018x}");
        }
    }
}

#[test]
fn number_format_boundaries() {
    let samples: &[(f64, &str)] = &[
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (0.000001, "0.000001"),
        (1e-7, "1e-7"),
        (1.5, "1.5"),
        (-1.5, "-1.5"),
        (1.0, "1"),
        (56.0, "56"),
        (0.1, "0.1"),
        (0.1 + 0.2, "0.30000000000000004"),
        (123456789012345680000.0, "123456789012345680000"),
        (1.2345e-10, "1.2345e-10"),
        (5e-324, "5e-324"),
        (f64::MAX, "1.7976931348623157e+308"),
    ];
    for &(f, expected) in samples {
        assert_eq!(canon_f64(f), expected, "{f:e}");
    }
}

#[test]
fn negative_zero_is_zero() {
    assert_eq!(canon_f64(-0.0), "0");
    assert_eq!(canon(&json!([-0.0, 0.0])), "[0,0]");
}

#[test]
fn non_finite_numbers_are_rejected() {
    for f in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let err = write_f64(&mut Vec::new(), f).unwrap_err();
        assert!(matches!(err, CanonicalError::NonFiniteNumber(_)), "{err}");
    }
}

#[test]
fn integers_within_2_pow_53_are_exact() {
    let max = MAX_EXACT_INTEGER;
    let max_i = i64::try_from(max).unwrap();
    assert_eq!(canon(&json!(max)), "9007199254740992");
    assert_eq!(canon(&json!(-max_i)), "-9007199254740992");
    assert_eq!(canon(&json!(max - 1)), "9007199254740991");
    assert_eq!(canon(&json!(0)), "0");
    assert_eq!(canon(&json!(-1)), "-1");
    assert_eq!(canon(&json!(1_000_000)), "1000000");
    // Same text as the double of the same value.
    for n in [0u64, 1, 300, 4_294_967_295, max] {
        let f = n as f64;
        assert_eq!(canon(&json!(n)), canon_f64(f));
    }
}

#[test]
fn integers_beyond_2_pow_53_are_rejected() {
    let max_i = i64::try_from(MAX_EXACT_INTEGER).unwrap();
    for value in [
        json!(MAX_EXACT_INTEGER + 1),
        json!(-max_i - 1),
        json!(u64::MAX),
        json!(i64::MIN),
        json!({"deep": [1, {"n": 12345678901234567_u64}]}),
    ] {
        let err = to_canonical_bytes(&value).unwrap_err();
        assert!(
            matches!(err, CanonicalError::IntegerOutOfRange(_)),
            "{value}: {err}"
        );
    }
    let err = to_canonical_bytes(&json!(9007199254740993_u64)).unwrap_err();
    assert_eq!(
        err,
        CanonicalError::IntegerOutOfRange("9007199254740993".into())
    );
    assert!(err.to_string().contains("2^53"), "{err}");
}

/// Found by the `canonical_json` fuzz target: this double's canonical text,
/// `90223009021992540`, was an integer the canonicaliser then refused, so a payload recorded
/// with it could never be verified again.
#[test]
fn doubles_that_read_back_as_refused_integers_are_refused_too() {
    let max = MAX_EXACT_INTEGER as f64;
    for text in [
        "90223009021992547.921161485",
        "1e18",
        "-1e18",
        "9007199254740994.0",
        "18446744073709549568.0",
        "-9223372036854775808.0",
    ] {
        let value: Value = serde_json::from_str(text).unwrap();
        assert!(
            matches!(
                to_canonical_bytes(&value),
                Err(CanonicalError::IntegerOutOfRange(_))
            ),
            "{text}"
        );
    }
    // Up to 2^53 they are exact; from 2^64 on (and below -2^63) their digits read back as
    // doubles, which canonicalise to the same digits again.
    for (f, expected) in [
        (max, "9007199254740992"),
        (-max, "-9007199254740992"),
        (18446744073709551616.0, "18446744073709552000"),
        (-9223372036854777856.0, "-9223372036854778000"),
        (1e20, "100000000000000000000"),
    ] {
        let canonical = canon(&json!(f));
        assert_eq!(canonical, expected);
        assert_eq!(canon_str(&canonical), expected);
    }
}

#[test]
fn canonical_bytes_of_serialisable_types() {
    #[derive(serde::Serialize)]
    struct Example {
        zeta: &'static str,
        alpha: u32,
        nested: std::collections::HashMap<&'static str, f64>,
    }
    let example = Example {
        zeta: "z",
        alpha: 7,
        nested: [("y", 2.5), ("x", -0.0)].into_iter().collect(),
    };
    assert_eq!(
        String::from_utf8(canonical_bytes_of(&example).unwrap()).unwrap(),
        r#"{"alpha":7,"nested":{"x":0,"y":2.5},"zeta":"z"}"#
    );
    assert!(matches!(
        canonical_bytes_of(&u64::MAX),
        Err(CanonicalError::IntegerOutOfRange(_))
    ));
    // JSON object names must be strings.
    let tuple_keys: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into_iter().collect();
    assert!(matches!(
        canonical_bytes_of(&tuple_keys),
        Err(CanonicalError::NotJson(_))
    ));
}

#[test]
fn canonical_form_is_a_fixed_point() {
    let value: Value = serde_json::from_str(VALUES_INPUT).unwrap();
    let once = to_canonical_bytes(&value).unwrap();
    let reparsed: Value = serde_json::from_slice(&once).unwrap();
    assert_eq!(reparsed, value);
    assert_eq!(to_canonical_bytes(&reparsed).unwrap(), once);
}

/// Hashes are recomputed from JSON read back from storage, so serde_json must
/// parse every float to the correctly rounded double. Its default parser
/// does not (it is off by one ULP for e.g. the RFC's 333333333.33333329 and
/// for many values with large exponents); the `float_roundtrip` feature
/// fixes that and must stay enabled for the workspace.
#[test]
fn serde_json_parses_floats_exactly() {
    for text in [
        "333333333.33333329",
        "1.947700395895162e-169",
        "6.162599865641032e+196",
    ] {
        let ours: f64 = serde_json::from_str(text).unwrap();
        let exact: f64 = text.parse().unwrap();
        assert_eq!(
            ours.to_bits(),
            exact.to_bits(),
            "serde_json misparses {text}: enable its `float_roundtrip` feature"
        );
    }
}
