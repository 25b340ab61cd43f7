use super::*;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::SigningKey;
use rand::SeedableRng as _;

// Known answers made independently of this code, with Node 20's WebCrypto:
//   kp  = await crypto.subtle.generateKey({name:'ECDSA',namedCurve:'P-256'}, true, ['sign','verify'])
//   jwk = await crypto.subtle.exportKey('jwk', kp.publicKey)
//   sig = await crypto.subtle.sign({name:'ECDSA',hash:'SHA-256'}, kp.privateKey, MESSAGE)
// signing until one signature had s below n/2 and one above (WebCrypto does
// not normalise s). The thumbprint is Node's
//   createHash('sha256').update(JSON.stringify({crv,kty,x,y})).digest('base64url').

/// The JWK exactly as WebCrypto exported it, `ext` and `key_ops` included.
const NODE_JWK: &str = r#"{"key_ops":["verify"],"ext":true,"kty":"EC","x":"LpcJ2pH434CjdH2f1oyhnXoRRLvo8UkkIWm4QxBlomk","y":"18e42NgOIOnhkxqJmef6Q_1rSidMQ4sI_mbIXAOVJUE","crv":"P-256"}"#;
const NODE_THUMBPRINT: &str = "2aFuu89hZ3cfcKSLaX_8LzfVgas_LM0Pb4w3MDpPJec";
/// The canonical bytes of a small agreement, as the browser signs them.
const NODE_MESSAGE: &str = r#"{"case_id":"c-1","content":{"terms":"甲方于2024年6月30日前向乙方支付人民币五千元。"},"version":1}"#;
const NODE_SIG_LOW_S: &str =
    "gry1gdHJqS6FHNBReRuw-SrGK_187K-nO4ZasLF3FzUKt_D8gBPXDTsOBV14cfuzGuRfOzmSHSkPtorGqXlgaw";
const NODE_SIG_HIGH_S: &str =
    "byS_cICHAJ53Q96z_8_8qo18qGihzzPdjZ_pjiimQbWqjBkjJoTEd20FffGQVwq3tSmmYytUMaRBnD4mPZxvmQ";

// RFC 8032 §7.1, TEST 1 (checked against Node's OpenSSL Ed25519 as well), and
// the thumbprint of its public key from RFC 8037 Appendix A.3.
const RFC8032_SECRET: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const RFC8032_PUBLIC: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const RFC8032_SIGNATURE: &str = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
const RFC8037_THUMBPRINT: &str = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k";

fn node_key() -> SignerKey {
    SignerKey::from_jwk(&serde_json::from_str(NODE_JWK).unwrap()).unwrap()
}

fn b64(text: &str) -> Vec<u8> {
    decode_base64url(text).unwrap()
}

fn jwk_with(member: &str, value: Value) -> Value {
    let mut jwk: Value = serde_json::from_str(NODE_JWK).unwrap();
    jwk[member] = value;
    jwk
}

#[test]
fn webcrypto_signatures_verify_whether_s_is_low_or_high() {
    let key = node_key();
    for sig in [NODE_SIG_LOW_S, NODE_SIG_HIGH_S] {
        assert_eq!(
            verify_p1363(&key, NODE_MESSAGE.as_bytes(), &b64(sig)),
            Ok(())
        );
    }
    // The vectors really are one of each: normalising changes only the high one.
    let high = Signature::from_slice(&b64(NODE_SIG_HIGH_S)).unwrap();
    let low = Signature::from_slice(&b64(NODE_SIG_LOW_S)).unwrap();
    assert!(high.normalize_s().is_some() && low.normalize_s().is_none());
    // And the other member of each pair, n - s, is just as valid.
    let flipped = high.normalize_s().unwrap().to_bytes();
    assert_eq!(
        verify_p1363(&key, NODE_MESSAGE.as_bytes(), &flipped),
        Ok(())
    );
}

#[test]
fn thumbprint_matches_rfc7638_as_node_computes_it() {
    let key = node_key();
    assert_eq!(key.thumbprint(), NODE_THUMBPRINT);
    // WebCrypto's extra members are dropped; the minimal JWK round-trips.
    let minimal = key.to_jwk();
    assert_eq!(minimal.as_object().unwrap().len(), 4);
    assert_eq!(SignerKey::from_jwk(&minimal).unwrap(), key);
    assert_eq!(format!("{key:?}"), format!("SignerKey({NODE_THUMBPRINT})"));
    let via_serde: SignerKey = serde_json::from_value(minimal.clone()).unwrap();
    assert_eq!(serde_json::to_value(&via_serde).unwrap(), minimal);
}

#[test]
fn jwks_other_than_public_p256_points_are_refused() {
    let mut not_on_curve = jwk_with("y", Value::Null);
    not_on_curve["y"] = json!(encode_base64url(&[7u8; 32]));
    let mut missing_y: Value = serde_json::from_str(NODE_JWK).unwrap();
    missing_y.as_object_mut().unwrap().remove("y");
    let short_x = encode_base64url(&b64("LpcJ2pH434CjdH2f1oyhnXoRRLvo8UkkIWm4QxBlomk")[1..]);
    let cases = [
        (
            jwk_with("d", json!("AAAA")),
            SignatureError::PrivateKeyIncluded,
        ),
        (
            jwk_with("kty", json!("RSA")),
            SignatureError::UnsupportedKeyType("RSA".into()),
        ),
        (
            jwk_with("kty", json!("OKP")),
            SignatureError::UnsupportedKeyType("OKP".into()),
        ),
        (
            jwk_with("crv", json!("P-384")),
            SignatureError::UnsupportedCurve("P-384".into()),
        ),
        (
            jwk_with("x", json!(short_x)),
            SignatureError::BadCoordinate("x"),
        ),
        (
            jwk_with("x", json!("LpcJ2pH434CjdH2f1oyhnXoRRLvo8UkkIWm4QxBlomk=")),
            SignatureError::BadCoordinate("x"),
        ),
        (
            jwk_with("crv", json!(256)),
            SignatureError::JwkMember("crv"),
        ),
        (missing_y, SignatureError::JwkMember("y")),
        (not_on_curve, SignatureError::NotOnCurve),
        (json!("EC P-256"), SignatureError::JwkNotObject),
    ];
    for (jwk, expected) in cases {
        assert_eq!(SignerKey::from_jwk(&jwk), Err(expected), "{jwk}");
    }
}

#[test]
fn der_signatures_are_refused_with_a_clear_error() {
    let key = node_key();
    let der = Signature::from_slice(&b64(NODE_SIG_LOW_S))
        .unwrap()
        .to_der();
    let der = der.as_bytes();
    assert_eq!(der[0], 0x30);
    let err = verify_p1363(&key, NODE_MESSAGE.as_bytes(), der).unwrap_err();
    assert_eq!(err, SignatureError::DerEncoded);
    assert!(err.to_string().contains("P1363"), "{err}");
    for len in [0, 63, 65, 72] {
        assert_eq!(
            verify_p1363(&key, NODE_MESSAGE.as_bytes(), &vec![0x30; len]),
            Err(SignatureError::WrongLength {
                expected: 64,
                got: len
            })
        );
    }
    assert_eq!(
        verify_p1363(&key, NODE_MESSAGE.as_bytes(), &[0; 64]),
        Err(SignatureError::ScalarOutOfRange)
    );
}

#[test]
fn wrong_key_wrong_message_or_any_flipped_bit_fails() {
    let key = node_key();
    let message = NODE_MESSAGE.as_bytes();
    let sig = b64(NODE_SIG_HIGH_S);
    let other = SignerKey::from(SigningKey::from_slice(&[3u8; 32]).unwrap().verifying_key());
    assert_eq!(
        verify_p1363(&other, message, &sig),
        Err(SignatureError::Mismatch)
    );
    let mut altered = message.to_vec();
    altered[20] ^= 1;
    assert!(verify_p1363(&key, &altered, &sig).is_err());
    assert!(verify_p1363(&key, &message[..message.len() - 1], &sig).is_err());
    for bit in 0..sig.len() * 8 {
        let mut flipped = sig.clone();
        flipped[bit / 8] ^= 1 << (bit % 8);
        assert!(verify_p1363(&key, message, &flipped).is_err(), "bit {bit}");
    }
}

#[test]
fn rust_signatures_made_the_webcrypto_way_verify() {
    // What the package tests rely on: p256's r||s is P1363.
    let signing = SigningKey::from_slice(&[9u8; 32]).unwrap();
    let key = SignerKey::from(signing.verifying_key());
    let sig: Signature = signing.sign(b"agreement bytes");
    assert_eq!(sig.to_bytes().len(), P1363_LEN);
    assert_eq!(
        verify_p1363(&key, b"agreement bytes", &sig.to_bytes()),
        Ok(())
    );
    let jwk = key.to_jwk();
    assert_eq!(SignerKey::from_jwk(&jwk).unwrap(), key);
}

#[test]
fn base64url_has_one_spelling() {
    assert_eq!(encode_base64url(&[0xfb, 0xff]), "-_8");
    assert_eq!(decode_base64url("-_8").unwrap(), vec![0xfb, 0xff]);
    for bad in ["-_8=", "+/8", "-_9", "a", "a b"] {
        assert_eq!(decode_base64url(bad), Err(SignatureError::Base64), "{bad}");
    }
}

#[test]
fn seal_matches_rfc8032_test_1_and_rfc8037_thumbprint() {
    let secret: [u8; 32] = hex::decode(RFC8032_SECRET).unwrap().try_into().unwrap();
    let key = SealKey::from_bytes(&secret);
    let public = key.public_key();
    assert_eq!(hex::encode(public.to_bytes()), RFC8032_PUBLIC);
    let signature = seal(&key, b"");
    assert_eq!(hex::encode(signature.to_bytes()), RFC8032_SIGNATURE);
    assert_eq!(verify_seal(&public, b"", &signature), Ok(()));
    assert_eq!(public.fingerprint(), RFC8037_THUMBPRINT);
    assert_eq!(
        public.to_jwk(),
        json!({"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})
    );
}

#[test]
fn seals_fail_on_any_change_and_keys_round_trip() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let key = SealKey::generate(&mut rng);
    let public = key.public_key();
    let signature = seal(&key, b"sealed bytes");
    assert_eq!(verify_seal(&public, b"sealed bytes", &signature), Ok(()));
    assert!(verify_seal(&public, b"sealed bytez", &signature).is_err());
    let other = SealKey::generate(&mut rng).public_key();
    assert!(verify_seal(&other, b"sealed bytes", &signature).is_err());
    for bit in 0..SEAL_BITS {
        let mut bytes = signature.to_bytes();
        bytes[bit / 8] ^= 1 << (bit % 8);
        let flipped = SealSignature::from_bytes(&bytes).unwrap();
        assert!(
            verify_seal(&public, b"sealed bytes", &flipped).is_err(),
            "bit {bit}"
        );
    }
    // Storage and the wire.
    assert_eq!(SealKey::from_bytes(&key.to_bytes()).public_key(), public);
    assert_eq!(
        SealPublicKey::from_base64url(&public.to_base64url()),
        Ok(public)
    );
    assert_eq!(
        SealSignature::from_base64url(&signature.to_base64url()),
        Ok(signature)
    );
    assert_eq!(
        SealSignature::from_bytes(&[0; 63]),
        Err(SignatureError::WrongLength {
            expected: 64,
            got: 63
        })
    );
}

const SEAL_BITS: usize = 64 * 8;

#[test]
fn seal_secrets_are_never_printed_and_weak_keys_are_refused() {
    let secret = [0x5au8; 32];
    let key = SealKey::from_bytes(&secret);
    let shown = format!("{key:?}");
    assert!(shown.contains("<redacted>"), "{shown}");
    assert!(!shown.contains(&hex::encode(secret)), "{shown}");
    assert!(!shown.contains(&encode_base64url(&secret)), "{shown}");
    assert!(shown.contains(&key.public_key().fingerprint()), "{shown}");
    // The identity point (small order): any "seal" would verify against it.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    assert_eq!(
        SealPublicKey::from_bytes(&identity),
        Err(SignatureError::BadSealKey)
    );
    assert_eq!(
        SealPublicKey::from_base64url("AAAA"),
        Err(SignatureError::BadSealKey)
    );
}
