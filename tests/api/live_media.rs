//! Live sessions with real media: Rust WebRTC peers join through the real WebSocket, publish
//! synthetic Opus and VP8, and count what they receive from whom.

use super::world::{add_party, invite, World};
use accord_tests::live::LiveClient;
use accord_tests::session::MediaMember;
use accord_tests::{expect, Backend, Browser};
use serde_json::json;
use std::time::Duration;

pub(super) const MEDIA_PATIENCE: Duration = Duration::from_secs(10);
/// How long silence is measured for: at 50 audio and ~90 video packets a second, a leak of even
/// a few milliseconds shows.
pub(super) const WINDOW: Duration = Duration::from_millis(1500);

async fn accepted_world(backend: Backend) -> (World, String, Browser) {
    let world = World::build(backend).await;
    expect(
        world
            .mediator
            .post(
                &format!("/api/cases/{}/transitions", world.case),
                json!({"transition": "accept"}),
            )
            .await,
        200,
    );
    let id = add_party(&world.mediator, &world.case, "王乙", "respondent").await;
    let mut browser = world.app.browser();
    let link = invite(&world.mediator, &world.case, &id).await;
    expect(browser.redeem(link["link"].as_str().unwrap()).await, 200);
    super::world::give_required_consents(&browser).await;
    (world, format!("p-{id}"), browser)
}

/// The mediator and two others of the case, all admitted to the joint room and publishing.
pub(super) async fn three_in_the_joint_room(
    mediator: &Browser,
    case: &str,
    a_browser: &Browser,
    b_browser: &Browser,
) -> (MediaMember, MediaMember, MediaMember) {
    let mut m = MediaMember::join(mediator, case).await;
    let mut a = MediaMember::join(a_browser, case).await;
    let mut b = MediaMember::join(b_browser, case).await;
    m.state_where(|s| s["waiting"].as_array().is_some_and(|w| w.len() == 2))
        .await;
    for who in [&a.member, &b.member] {
        assert_eq!(
            m.request(json!({"type": "admit", "member": who})).await["type"],
            "ack"
        );
    }
    a.state_where(|s| s["status"] == "admitted").await;
    b.state_where(|s| s["status"] == "admitted").await;
    for member in [&m, &a, &b] {
        member.publish().await;
    }
    (m, a, b)
}

pub(super) async fn everyone_hears_everyone(members: &[&MediaMember]) {
    for receiver in members {
        for publisher in members {
            if receiver.member != publisher.member {
                assert!(
                    receiver
                        .peer
                        .wait_for_media_from(&publisher.member, MEDIA_PATIENCE)
                        .await,
                    "{} receives nothing from {}",
                    receiver.member,
                    publisher.member
                );
            }
        }
    }
}

async fn a_caucus_is_private_for_media(backend: Backend) {
    let (world, _, b_browser) = accepted_world(backend).await;
    let (m, mut a, mut b) =
        three_in_the_joint_room(&world.mediator, &world.case, &world.party, &b_browser).await;
    everyone_hears_everyone(&[&m, &a, &b]).await;

    m.request(json!({"type": "create_room", "name": "与申请人单独谈话"}))
        .await;
    m.request(json!({"type": "move", "member": a.member, "room": 1}))
        .await;
    let moved = m
        .request(json!({"type": "move", "member": m.member, "room": 1}))
        .await;
    assert_eq!(moved["type"], "ack");
    b.state_where(|s| s["members"].as_array().is_some_and(|x| x.is_empty()))
        .await;
    a.state_where(|s| s["room"]["private"] == true).await;

    for member in [&m, &a, &b] {
        member.peer.reset_counts();
    }
    tokio::time::sleep(WINDOW).await;
    let b_from_a = b.peer.received(&a.member);
    let b_from_m = b.peer.received(&m.member);
    let a_from_b = a.peer.received(&b.member);
    let m_from_b = m.peer.received(&b.member);
    println!("caucus window of {WINDOW:?}: B got {b_from_a:?} from A, {b_from_m:?} from M; A got {a_from_b:?} from B");
    assert_eq!(
        b_from_a.packets(),
        0,
        "B must not receive A during the caucus"
    );
    assert_eq!(
        b_from_m.packets(),
        0,
        "B must not receive the mediator during the caucus"
    );
    assert_eq!(
        a_from_b.packets(),
        0,
        "A must not receive B during the caucus"
    );
    assert_eq!(
        m_from_b.packets(),
        0,
        "the mediator in the caucus does not receive B"
    );
    assert!(
        a.peer.received(&m.member).packets() > 0,
        "A and the mediator go on talking"
    );
    assert!(m.peer.received(&a.member).packets() > 0);

    // The figures show it: a session, three people, packets forwarded, offers made.
    let metrics = expect(world.admin.get("/metrics").await, 200);
    let metrics = metrics.as_str().unwrap();
    for line in [
        "accord_live_sessions 1",
        "accord_live_participants 3",
        "accord_media_peers 3",
    ] {
        assert!(metrics.contains(line), "{line} missing from\n{metrics}");
    }
    for counter in [
        "accord_media_forwarded_packets_total",
        "accord_media_forwarded_bytes_total",
        "accord_media_renegotiations_total",
        "accord_media_join_to_first_media_seconds_count",
    ] {
        let value = metrics
            .lines()
            .find(|l| l.starts_with(counter))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or_else(|| panic!("{counter} missing"));
        assert!(value > 0.0, "{counter} is {value}");
    }

    m.request(json!({"type": "return_all"})).await;
    b.state_where(|s| s["members"].as_array().is_some_and(|x| x.len() == 2))
        .await;
    for member in [&m, &a, &b] {
        member.peer.reset_counts();
    }
    everyone_hears_everyone(&[&m, &a, &b]).await;
}

async fn a_dropped_member_resumes_with_media(backend: Backend) {
    let (world, _, b_browser) = accepted_world(backend).await;
    let (m, a, b) =
        three_in_the_joint_room(&world.mediator, &world.case, &world.party, &b_browser).await;
    everyone_hears_everyone(&[&m, &a, &b]).await;
    let member = a.member.clone();
    a.cut().await;
    let mut back = MediaMember::join(&world.party, &world.case).await;
    assert_eq!(back.member, member);
    back.state_where(|s| s["status"] == "admitted").await;
    back.publish().await;
    m.peer.reset_counts();
    b.peer.reset_counts();
    everyone_hears_everyone(&[&m, &back, &b]).await;
}

async fn bad_media_messages_get_errors(backend: Backend) {
    let (world, b_member, b_browser) = accepted_world(backend).await;
    let mut m = MediaMember::join(&world.mediator, &world.case).await;
    let mut b = LiveClient::connect(&b_browser, &world.case)
        .await
        .expect("joined");
    m.state_where(|s| s["waiting"].as_array().is_some_and(|w| w.len() == 1))
        .await;
    m.request(json!({"type": "admit", "member": b_member}))
        .await;
    b.state_where(|s| s["status"] == "admitted").await;
    let garbage = b
        .request(json!({"type": "offer", "sdp": "this is not SDP"}))
        .await;
    assert_eq!(garbage["code"], "bad_sdp");
    let early = b.request(json!({"type": "answer", "sdp": "v=0"})).await;
    assert_eq!(early["code"], "no_peer_connection");
    let candidate = json!({"candidate": "candidate:1 1 udp 1 127.0.0.1 9 typ host", "sdpMid": "0", "sdpMLineIndex": 0});
    let stray = b
        .request(json!({"type": "candidate", "candidate": candidate}))
        .await;
    assert_eq!(stray["code"], "no_peer_connection");
    // The session carries on: the mediator's media works, and an answer nobody asked for is
    // refused on a live connection too.
    m.publish().await;
    let unasked = m.request(json!({"type": "answer", "sdp": "v=0"})).await;
    assert_eq!(unasked["code"], "no_offer_pending");
    let ack = m.request(json!({"type": "chat", "text": "继续"})).await;
    assert_eq!(ack["type"], "ack");
}

/// PML 20, 23(3): the moment a party withdraws their consent to an observer, the observer's
/// media stops both ways, while the others go on hearing each other.
async fn a_withdrawn_consent_cuts_the_observers_media(backend: Backend) {
    let (world, _, b_browser) = accepted_world(backend).await;
    let (observer_id, observer_browser) = super::attendance::observer(&world).await;
    super::attendance::consented_by(&[&world.party, &b_browser], &observer_id).await;
    let (mut m, a, mut o) = three_in_the_joint_room(
        &world.mediator,
        &world.case,
        &world.party,
        &observer_browser,
    )
    .await;
    everyone_hears_everyone(&[&m, &a, &o]).await;

    super::attendance::withdrawn_by(&b_browser, &observer_id).await;
    o.state_where(|s| s["status"] == "waiting").await;
    m.state_where(|s| s["members"].as_array().is_some_and(|x| x.len() == 1))
        .await;
    for member in [&m, &a, &o] {
        member.peer.reset_counts();
    }
    tokio::time::sleep(WINDOW).await;
    for (receiver, publisher) in [(&o, &m), (&o, &a), (&m, &o), (&a, &o)] {
        let got = receiver.peer.received(&publisher.member);
        assert_eq!(
            got.packets(),
            0,
            "{} still receives {} after the consent was withdrawn: {got:?}",
            receiver.member,
            publisher.member
        );
    }
    assert!(a.peer.received(&m.member).packets() > 0, "the others go on");
    assert!(m.peer.received(&a.member).packets() > 0);
}

on_both_backends!(
    a_caucus_is_private_for_media,
    a_dropped_member_resumes_with_media,
    bad_media_messages_get_errors,
    a_withdrawn_consent_cuts_the_observers_media,
);
