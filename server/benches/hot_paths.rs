//! Micro-benchmarks of the paths that run per packet or per recorded event:
//!
//! - handing one forwarded RTP packet to its subscribers' queues (media/forward.rs), for a
//!   3-person and an 8-person room, the queues drained as the writers would;
//! - appending an event to a case's hash chain (record/chain.rs `hash_event`);
//! - RFC 8785 canonical JSON of an agreement-sized document (record/canonical.rs);
//! - verifying a signer's WebCrypto ECDSA P-256 signature (record/signature.rs).
//!
//! `cargo bench -p accord --bench hot_paths`; results and the machine are in bench/README.md.

use accord::media::{hand_to_subscribers, MediaMetrics};
use accord::record::canonical::to_canonical_bytes;
use accord::record::chain::{hash_event, EventBody, GENESIS};
use accord::record::signature::{verify_p1363, SignerKey};
use bytes::Bytes;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{json, Value};
use std::hint::black_box;
use tokio::sync::mpsc;

/// A VP8 packet as Chromium sends it: 1,100 bytes of payload and two header extensions
/// (which the SFU strips).
fn video_packet() -> rtc::rtp::Packet {
    let mut header = rtc::rtp::Header {
        version: 2,
        payload_type: 96,
        sequence_number: 4711,
        timestamp: 90_000,
        ssrc: 0x1234_5678,
        ..Default::default()
    };
    header
        .set_extension(1, Bytes::from_static(&[0x30, 0x00, 0x01]))
        .ok();
    header
        .set_extension(3, Bytes::from_static(&[0x01, 0x02]))
        .ok();
    rtc::rtp::Packet {
        header,
        payload: Bytes::from(vec![0x5a; 1_100]),
    }
}

fn forwarding(c: &mut Criterion) {
    let metrics = MediaMetrics::default();
    let mut group = c.benchmark_group("hand_to_subscribers");
    for subscribers in [2usize, 7] {
        let (queues, mut outlets): (Vec<_>, Vec<_>) =
            (0..subscribers).map(|_| mpsc::channel(256)).unzip();
        group.throughput(Throughput::Elements(subscribers as u64));
        group.bench_function(format!("{subscribers}_subscribers"), |b| {
            b.iter_batched(
                video_packet,
                |packet| {
                    hand_to_subscribers(packet, &queues, &metrics);
                    for outlet in &mut outlets {
                        black_box(outlet.try_recv().ok());
                    }
                },
                BatchSize::SmallInput,
            );
        });
    }
    group.finish();
}

/// A consent given: the kind of event a session records most.
fn consent_event(seq: u64) -> EventBody {
    EventBody {
        case_id: "0193a1f2-7b3c-7d10-9a4e-3f2b1c0d9e8f".into(),
        seq,
        at_ms: 1_772_323_200_000 + seq as i64,
        actor: "participant:0193a1f2-7b3c-7d10-9a4e-3f2b1c0d9e90".into(),
        kind: "consent.given".into(),
        payload: json!({
            "kind": "online_mediation",
            "version": "2026-03-01",
            "language": "zh-CN",
            "text_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        }),
    }
}

fn chain(c: &mut Criterion) {
    let body = consent_event(42);
    c.bench_function("hash_event", |b| {
        b.iter(|| hash_event(black_box(&GENESIS), black_box(&body)))
    });
}

/// An agreement-sized document: parties, terms in Chinese, amounts, nested objects.
fn agreement() -> Value {
    let parties: Vec<Value> = (0..4)
        .map(|i| {
            json!({
                "name": format!("当事人{i}"), "side": if i % 2 == 0 { "applicant" } else { "respondent" },
                "id_number": "110105199001011234", "address": "北京市朝阳区某街道某小区1号楼2单元301室",
                "phone": "13800138000", "agent": null,
            })
        })
        .collect();
    let terms: Vec<Value> = (0..8)
        .map(|i| {
            json!({
                "n": i + 1,
                "text": "被申请人于二〇二六年三月三十一日前一次性支付申请人维修费人民币壹万贰仟元整，逾期未付的，按日加付万分之五。",
                "amount_fen": 1_200_000 + i,
                "due": "2026-03-31",
            })
        })
        .collect();
    json!({
        "case": {"number": "（2026）京朝调字第0042号", "dispute_type": "neighbour", "committee": "朝阳区人民调解委员会"},
        "parties": parties,
        "facts": "楼上住户卫生间漏水，致楼下天花板及墙面受损，双方就维修费用及赔偿数额发生争议。",
        "terms": terms,
        "performance": {"method": "bank_transfer", "deadline_days": 30, "rate": 0.0005},
        "signed": false,
        "version": 3,
    })
}

fn canonical(c: &mut Criterion) {
    let document = agreement();
    let size = to_canonical_bytes(&document).map_or(0, |b| b.len());
    let mut group = c.benchmark_group("canonical_json");
    group.throughput(Throughput::Bytes(size as u64));
    group.bench_function("agreement", |b| {
        b.iter(|| to_canonical_bytes(black_box(&document)))
    });
    group.finish();
}

fn signature(c: &mut Criterion) {
    // A fixed key: the benchmark is about verifying, not about any particular key.
    let signing = SigningKey::from_slice(&[7u8; 32]).expect("a valid scalar");
    let point = signing.verifying_key().to_encoded_point(false);
    let coordinate = |bytes: Option<&p256::FieldBytes>| -> [u8; 32] {
        bytes.map(|b| (*b).into()).unwrap_or([0; 32])
    };
    let key = SignerKey::from_coordinates(coordinate(point.x()), coordinate(point.y()))
        .expect("a public key on the curve");
    let message = to_canonical_bytes(&agreement()).expect("canonical");
    let signed: Signature = signing.sign(&message);
    let p1363 = signed.to_bytes();
    assert!(verify_p1363(&key, &message, &p1363).is_ok());
    c.bench_function("verify_p1363", |b| {
        b.iter(|| verify_p1363(black_box(&key), black_box(&message), black_box(&p1363)))
    });
}

criterion_group!(benches, forwarding, chain, canonical, signature);
criterion_main!(benches);
