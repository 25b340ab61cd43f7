//! Rights taken away reach the live session at once. For each way a right can be taken away,
//! with real media flowing among a mediator and two parties: once the call that took it away
//! has returned, no packet and no chat of the session reaches the evicted member; they get a
//! `revoked` goodbye naming the cause, the close code 4401, and the eviction is in the record.

use super::agreement::Signing;
use super::live_media::{everyone_hears_everyone, three_in_the_joint_room, WINDOW};
use accord::app::admin::{run, AdminCommand};
use accord_tests::live::LiveClient;
use accord_tests::session::MediaMember;
use accord_tests::{expect, Backend};
use serde_json::{json, Value};

/// A case in mediation, its mediator (`m`) and two parties (`a`, `b`) in the joint room, each
/// hearing and seeing the others.
struct Sitting {
    s: Signing,
    m: MediaMember,
    a: MediaMember,
    b: MediaMember,
}

impl Sitting {
    async fn start(backend: Backend) -> Sitting {
        let s = Signing::build(backend).await;
        let (m, a, b) =
            three_in_the_joint_room(&s.world.mediator, &s.world.case, &s.world.party, &s.other)
                .await;
        everyone_hears_everyone(&[&m, &a, &b]).await;
        Sitting { s, m, a, b }
    }

    fn case_path(&self, rest: &str) -> String {
        format!("/api/cases/{}{rest}", self.s.world.case)
    }

    /// The causes of the evictions the case's log records, with each one's actor.
    async fn recorded_evictions(&self) -> Vec<(String, String, Value)> {
        let log = expect(
            // The admin reads any case of the committee, also once its mediator is gone.
            self.s.world.admin.get(&self.case_path("/events")).await,
            200,
        );
        log["events"]
            .as_array()
            .expect("events")
            .iter()
            .filter(|e| e["kind"] == "session_evicted")
            .map(|e| {
                (
                    e["payload"]["member"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    e["payload"]["cause"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    e["actor"].clone(),
                )
            })
            .collect()
    }
}

/// Called right after the call that took `evicted`'s right away has returned: from now on,
/// nothing reaches them while `speaker` goes on talking to `listener` (media and chat), and
/// their connection was closed with a `revoked` goodbye for `cause` and 4401.
async fn nothing_more_reaches(
    evicted: &mut MediaMember,
    cause: &str,
    speaker: &MediaMember,
    listener: &MediaMember,
) {
    evicted.peer.reset_counts();
    listener.peer.reset_counts();
    let chats_before = evicted.heard("chat").len();
    let said = speaker
        .request(json!({"type": "chat", "text": "after the call returned"}))
        .await;
    assert_eq!(said["type"], "ack", "{said}");
    tokio::time::sleep(WINDOW).await;
    let got = evicted.peer.received_all();
    let packets: u64 = got.values().map(|r| r.packets()).sum();
    assert_eq!(
        packets, 0,
        "{} received media after losing their right: {got:?}",
        evicted.member
    );
    assert_eq!(
        evicted.heard("chat").len(),
        chats_before,
        "{} received chat after losing their right",
        evicted.member
    );
    assert_evicted(evicted, cause).await;
    assert!(
        listener.peer.received(&speaker.member).packets() > 0,
        "the others go on talking"
    );
    assert!(listener
        .heard("chat")
        .iter()
        .any(|c| c["text"] == "after the call returned"));
}

async fn assert_evicted(evicted: &mut MediaMember, cause: &str) {
    assert_eq!(evicted.closed().await, Some(4401), "{}", evicted.member);
    let goodbye = evicted.heard("goodbye");
    let last = goodbye.last().expect("a goodbye");
    assert_eq!(last["reason"], "revoked", "{last}");
    assert_eq!(last["cause"], cause, "{last}");
}

fn evicted_for(evictions: &[(String, String, Value)], member: &str, cause: &str) -> Value {
    evictions
        .iter()
        .find(|(m, c, _)| m == member && c == cause)
        .map(|(_, _, actor)| actor.clone())
        .unwrap_or_else(|| panic!("no eviction of {member} for {cause} in {evictions:?}"))
}

async fn a_removed_participant_leaves_the_session_at_once(backend: Backend) {
    let mut t = Sitting::start(backend).await;
    let path = t.case_path(&format!("/participants/{}", t.s.other_id));
    expect(t.s.world.mediator.delete(&path).await, 204);
    nothing_more_reaches(&mut t.b, "participant_removed", &t.a, &t.m).await;
    let evictions = t.recorded_evictions().await;
    let actor = evicted_for(&evictions, &t.b.member, "participant_removed");
    assert_eq!(actor, format!("user:{}", t.s.world.mediator_id));
    // The door stays shut: their sign-in went with their place in the case.
    let again = LiveClient::connect(&t.s.other, &t.s.world.case).await;
    assert_eq!(again.expect_err("refused").status, 401);
}

async fn a_revoked_invitation_takes_its_holder_out(backend: Backend) {
    let mut t = Sitting::start(backend).await;
    let invitations = expect(
        t.s.world.mediator.get(&t.case_path("/invitations")).await,
        200,
    );
    let invitation = invitations
        .as_array()
        .expect("invitations")
        .iter()
        .find(|i| i["participant_id"] == t.s.other_id.as_str())
        .expect("B's invitation")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let path = t.case_path(&format!("/invitations/{invitation}/revoke"));
    expect(t.s.world.mediator.post(&path, json!({})).await, 204);
    nothing_more_reaches(&mut t.b, "invitation_revoked", &t.a, &t.m).await;
    evicted_for(
        &t.recorded_evictions().await,
        &t.b.member,
        "invitation_revoked",
    );
}

async fn an_unassigned_mediator_runs_the_session_no_more(backend: Backend) {
    let mut t = Sitting::start(backend).await;
    let users = expect(t.s.world.admin.get("/api/users").await, 200);
    let colleague = users
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["username"] == "colleague")
        .expect("colleague")["id"]
        .clone();
    let assign = json!({"mediators": [colleague]});
    expect(
        t.s.world
            .admin
            .put(&t.case_path("/mediators"), assign)
            .await,
        200,
    );
    nothing_more_reaches(&mut t.m, "mediator_unassigned", &t.a, &t.b).await;
    evicted_for(
        &t.recorded_evictions().await,
        &t.m.member,
        "mediator_unassigned",
    );
}

async fn a_disabled_account_is_out_of_every_session(backend: Backend) {
    let mut t = Sitting::start(backend).await;
    let path = format!("/api/users/{}/disable", t.s.world.mediator_id);
    expect(t.s.world.admin.post(&path, json!({})).await, 204);
    nothing_more_reaches(&mut t.m, "account_disabled", &t.a, &t.b).await;
    evicted_for(
        &t.recorded_evictions().await,
        &t.m.member,
        "account_disabled",
    );
}

/// An operator's command changes the database behind the server's back: the session finds out
/// by checking every member again, every few seconds.
async fn a_password_reset_at_the_console_signs_the_mediator_out_of_the_session(backend: Backend) {
    let mut t = Sitting::start(backend).await;
    let app = &t.s.world.app;
    let command = AdminCommand::ResetPassword {
        username: "mediator".into(),
        supervisor: false,
    };
    let mut input: &[u8] = b"a brand new passphrase 2026\n";
    let mut out = Vec::new();
    run(command, &app.db, app.clock.now(), &mut input, &mut out)
        .await
        .expect("reset");
    // The check comes within its interval (5 s); from the eviction on, nothing more.
    assert_eq!(t.m.closed().await, Some(4401));
    nothing_more_reaches(&mut t.m, "signed_out", &t.a, &t.b).await;
    let actor = evicted_for(&t.recorded_evictions().await, &t.m.member, "signed_out");
    assert_eq!(actor, "system");
}

async fn a_consent_withdrawn_mid_session_takes_the_participant_out(backend: Backend) {
    let mut t = Sitting::start(backend).await;
    // Not a withdrawal from the mediation (PML 23(2)), but without it they may not attend.
    let withdrawn =
        t.s.other
            .post("/api/me/consents/confidentiality/withdraw", json!({}))
            .await;
    expect(withdrawn, 204);
    nothing_more_reaches(&mut t.b, "consent_withdrawn", &t.a, &t.m).await;
    evicted_for(
        &t.recorded_evictions().await,
        &t.b.member,
        "consent_withdrawn",
    );
    // Given again, the consent lets them knock again.
    accord_tests::fixtures::give_required_consents(&t.s.other).await;
    let mut back = LiveClient::connect(&t.s.other, &t.s.world.case)
        .await
        .expect("the door opens again");
    back.state_where(|s| s["status"] == "waiting").await;
}

/// Those in the session stay while the agreement they made takes effect; archiving the case
/// ends that sitting for everyone first (an archived record takes no more events), on the
/// record, with the admin who archived it as its actor.
async fn archiving_the_case_ends_its_sitting_first(backend: Backend) {
    let mut t = Sitting::start(backend).await;
    t.s.oral_agreement_in_effect().await;
    let still =
        t.m.request(json!({"type": "chat", "text": "the agreement is in effect"}))
            .await;
    assert_eq!(still["type"], "ack", "{still}");
    let archive = json!({"transition": "archive"});
    expect(
        t.s.world
            .admin
            .post(&t.case_path("/transitions"), archive)
            .await,
        200,
    );
    for member in [&mut t.m, &mut t.a, &mut t.b] {
        member.peer.reset_counts();
    }
    tokio::time::sleep(WINDOW).await;
    for member in [&mut t.m, &mut t.a, &mut t.b] {
        let got = member.peer.received_all();
        let packets: u64 = got.values().map(|r| r.packets()).sum();
        assert_eq!(packets, 0, "{} after the archive: {got:?}", member.member);
        assert_eq!(member.closed().await, Some(4410), "{}", member.member);
        let goodbye = member.heard("goodbye");
        assert_eq!(goodbye.last().expect("a goodbye")["reason"], "ended");
    }
    let log = expect(t.s.world.admin.get(&t.case_path("/events")).await, 200);
    let events = log["events"].as_array().expect("events");
    let ended = events
        .iter()
        .rposition(|e| e["kind"] == "session_ended")
        .expect("the sitting's end is recorded");
    let archived = events
        .iter()
        .rposition(|e| e["kind"] == "status_changed" && e["payload"]["to"] == "archived")
        .unwrap_or_else(|| panic!("no archive in {events:?}"));
    assert!(
        ended < archived,
        "the sitting ends before the dossier closes"
    );
    let admin = expect(t.s.world.admin.get("/api/auth/me").await, 200);
    assert_eq!(
        events[ended]["actor"],
        format!("user:{}", admin["user"]["id"].as_str().expect("id"))
    );
}

on_both_backends!(
    a_removed_participant_leaves_the_session_at_once,
    a_revoked_invitation_takes_its_holder_out,
    an_unassigned_mediator_runs_the_session_no_more,
    a_disabled_account_is_out_of_every_session,
    a_password_reset_at_the_console_signs_the_mediator_out_of_the_session,
    a_consent_withdrawn_mid_session_takes_the_participant_out,
    archiving_the_case_ends_its_sitting_first,
);
