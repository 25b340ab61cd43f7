//! Signing the agreement: signers' keys and their binding to a verified identity, signatures,
//! and the committee's seal that makes the agreement take effect (PML 29, OMR 19, ESL 13).

use super::agreements::{db_version, latest_version, stored_version, take_effect};
use super::cases::lock_for_write;
use super::seal_wrapping::SealWrapping;
use super::{events, label, Db, StoreError, StoreResult};
use crate::domain::agreement::{Signer, SigningRefused, SigningState};
use crate::domain::events::{CaseEvent, EventActor};
use crate::domain::ids::{CaseId, CommitteeId, ParticipantId, UserId};
use crate::domain::live::MemberId;
use crate::domain::participant::{IdentityMethod, ParticipantRole};
use crate::domain::Timestamp;
use crate::record::agreement::SignerRole;
use crate::record::signature::{decode_base64url, encode_base64url, SealKey, SignerKey};
use sqlx::{AnyConnection, Row as _};

/// A signer's key as registered from their browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerKeyRecord {
    pub signer: String,
    pub public_key: SignerKey,
    pub registered_at: Timestamp,
    /// Bound to the signer's verified identity; only a bound key may sign.
    pub bound_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureRecord {
    pub version: u64,
    pub signer: String,
    pub role: SignerRole,
    pub name: String,
    pub public_key: SignerKey,
    /// IEEE P1363 r||s.
    pub signature: Vec<u8>,
    pub signed_at: Timestamp,
}

/// A signature the server has verified over the version's canonical bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSignature {
    pub version: u64,
    pub agreement_hash: String,
    pub signer: Signer,
    pub role: SignerRole,
    pub name: String,
    pub public_key: SignerKey,
    pub signature: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureRefused {
    #[error(transparent)]
    Rule(#[from] SigningRefused),
    #[error("this is not the version open for signing, or its text has changed")]
    NotThisVersion,
    /// ESL 13(1): the key must be the one bound to the signer's verified identity.
    #[error("sign with the key bound to your verified identity")]
    KeyNotBound,
}

/// What a recorded signature led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signed {
    /// Others have yet to sign.
    Recorded,
    /// That was the last signature: the seal went on and the agreement took effect.
    Sealed,
}

/// A signer's name in the case's stream naming: `p-<participant>` or `s-<staff user>`.
pub fn signer_id(signer: Signer) -> String {
    match signer {
        // An agent signs with their own key, under their own id; the role says for whom.
        Signer::Party(p) | Signer::Agent { agent: p, .. } => MemberId::Participant(p).to_string(),
        Signer::Mediator(u) => MemberId::Staff(u).to_string(),
    }
}

fn parse_key(raw: &str) -> StoreResult<SignerKey> {
    let jwk: serde_json::Value =
        serde_json::from_str(raw).map_err(|e| StoreError::Corrupt(format!("signer key: {e}")))?;
    SignerKey::from_jwk(&jwk).map_err(|e| StoreError::Corrupt(format!("signer key: {e}")))
}

async fn bind_key(
    conn: &mut AnyConnection,
    case: CaseId,
    signer: &str,
    key: &SignerKey,
    actor: EventActor,
    now: Timestamp,
) -> StoreResult<()> {
    sqlx::query("UPDATE signer_keys SET bound_at = $1 WHERE case_id = $2 AND signer = $3")
        .bind(now.millis())
        .bind(case.to_string())
        .bind(signer)
        .execute(&mut *conn)
        .await?;
    let bound = CaseEvent::SignerKeyBound {
        signer: signer.to_owned(),
        key_thumbprint: key.thumbprint(),
        public_key: key.to_jwk(),
    };
    events::append(conn, case, actor, &bound, now).await?;
    Ok(())
}

/// Who must sign: the case's parties still in it, and its mediators.
async fn signing_state(
    conn: &mut AnyConnection,
    case: CaseId,
    version: u64,
) -> StoreResult<SigningState> {
    let parties: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM participants WHERE case_id = $1 AND role = $2 AND removed_at IS NULL",
    )
    .bind(case.to_string())
    .bind(ParticipantRole::Party.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let mediators: Vec<String> =
        sqlx::query_scalar("SELECT user_id FROM case_mediators WHERE case_id = $1")
            .bind(case.to_string())
            .fetch_all(&mut *conn)
            .await?;
    // Every agent of the case, and whether their authority to sign was checked.
    let agent_rows = sqlx::query(
        "SELECT id, represents, signing_authority_at FROM participants \
         WHERE case_id = $1 AND role = $2",
    )
    .bind(case.to_string())
    .bind(ParticipantRole::Agent.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let mut agents = Vec::with_capacity(agent_rows.len());
    let mut authorised_agents = Vec::new();
    for row in &agent_rows {
        let agent = super::stored_id(&row.try_get::<String, _>("id")?, ParticipantId::parse)?;
        let Some(principal) = row.try_get::<Option<String>, _>("represents")? else {
            continue;
        };
        let principal = super::stored_id(&principal, ParticipantId::parse)?;
        agents.push((agent, principal));
        if row
            .try_get::<Option<i64>, _>("signing_authority_at")?
            .is_some()
        {
            authorised_agents.push((agent, principal));
        }
    }
    let signed: Vec<(String, String)> = sqlx::query_as(
        "SELECT signer, role FROM agreement_signatures WHERE case_id = $1 AND version = $2",
    )
    .bind(case.to_string())
    .bind(db_version(version))
    .fetch_all(&mut *conn)
    .await?;
    let signed = signed
        .iter()
        .filter_map(|(signer, role)| match MemberId::parse(signer) {
            Some(MemberId::Participant(p)) if role == SignerRole::Agent.as_str() => agents
                .iter()
                .find(|(agent, _)| *agent == p)
                .map(|&(agent, principal)| Signer::Agent { agent, principal }),
            Some(MemberId::Participant(p)) => Some(Signer::Party(p)),
            Some(MemberId::Staff(u)) => Some(Signer::Mediator(u)),
            None => None,
        })
        .collect();
    Ok(SigningState {
        parties: parties
            .iter()
            .map(|id| super::stored_id(id, ParticipantId::parse))
            .collect::<StoreResult<_>>()?,
        mediators: mediators
            .iter()
            .map(|id| super::stored_id(id, UserId::parse))
            .collect::<StoreResult<_>>()?,
        authorised_agents,
        signed,
    })
}

/// The committee's seal key, made on first use.
async fn seal_key_in(
    conn: &mut AnyConnection,
    wrapping: &SealWrapping,
    committee: CommitteeId,
    now: Timestamp,
) -> StoreResult<SealKey> {
    let fresh = SealKey::generate(&mut rand::rngs::OsRng);
    sqlx::query(
        "INSERT INTO committee_seal_keys (committee_id, secret_key, public_key, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (committee_id) DO NOTHING",
    )
    .bind(committee.to_string())
    .bind(wrapping.wrap(committee, &fresh.to_bytes()))
    .bind(fresh.public_key().to_base64url())
    .bind(now.millis())
    .execute(&mut *conn)
    .await?;
    let stored: String =
        sqlx::query_scalar("SELECT secret_key FROM committee_seal_keys WHERE committee_id = $1")
            .bind(committee.to_string())
            .fetch_one(&mut *conn)
            .await?;
    Ok(SealKey::from_bytes(&wrapping.unwrap(committee, &stored)?))
}

impl Db {
    /// The committee's seal key, made on first use (OMR 19).
    pub async fn seal_key(&self, committee: CommitteeId, now: Timestamp) -> StoreResult<SealKey> {
        let mut conn = self.pool().acquire().await?;
        seal_key_in(&mut conn, &self.seal_wrapping, committee, now).await
    }

    /// Registers the key `signer`'s browser made. A mediator's is bound at once (their account
    /// is their identity); a party's waits for a mediator to verify who they are. The same key
    /// again changes nothing (returns false); a new one replaces the old, which no longer signs.
    pub async fn register_signer_key(
        &self,
        case: CaseId,
        signer: Signer,
        key: &SignerKey,
        actor: EventActor,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let id = signer_id(signer);
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, case, now).await?;
        let current: Option<String> = sqlx::query_scalar(
            "SELECT thumbprint FROM signer_keys WHERE case_id = $1 AND signer = $2",
        )
        .bind(case.to_string())
        .bind(&id)
        .fetch_optional(&mut *tx)
        .await?;
        if current.as_deref() == Some(key.thumbprint().as_str()) {
            return Ok(false);
        }
        sqlx::query("DELETE FROM signer_keys WHERE case_id = $1 AND signer = $2")
            .bind(case.to_string())
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO signer_keys (case_id, signer, public_key, thumbprint, registered_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(case.to_string())
        .bind(&id)
        .bind(key.to_jwk().to_string())
        .bind(key.thumbprint())
        .bind(now.millis())
        .execute(&mut *tx)
        .await?;
        if matches!(signer, Signer::Mediator(_)) {
            bind_key(&mut tx, case, &id, key, actor, now).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Records that a mediator verified `participant`'s identity (OMR 17), and binds the key
    /// their browser registered, if any. Returns the bound key's thumbprint.
    pub async fn verify_identity(
        &self,
        case: CaseId,
        participant: ParticipantId,
        method: IdentityMethod,
        actor: EventActor,
        now: Timestamp,
    ) -> StoreResult<Option<String>> {
        let id = signer_id(Signer::Party(participant));
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, case, now).await?;
        let verified = CaseEvent::IdentityVerified {
            participant,
            method,
        };
        events::append(&mut tx, case, actor, &verified, now).await?;
        let pending: Option<String> = sqlx::query_scalar(
            "SELECT public_key FROM signer_keys WHERE case_id = $1 AND signer = $2 \
             AND bound_at IS NULL",
        )
        .bind(case.to_string())
        .bind(&id)
        .fetch_optional(&mut *tx)
        .await?;
        let bound = match pending {
            Some(raw) => {
                let key = parse_key(&raw)?;
                bind_key(&mut tx, case, &id, &key, actor, now).await?;
                Some(key.thumbprint())
            }
            None => None,
        };
        tx.commit().await?;
        Ok(bound)
    }

    /// The keys registered in a case.
    pub async fn signer_keys(&self, case: CaseId) -> StoreResult<Vec<SignerKeyRecord>> {
        let rows = sqlx::query(
            "SELECT signer, public_key, registered_at, bound_at FROM signer_keys \
             WHERE case_id = $1 ORDER BY registered_at, signer",
        )
        .bind(case.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SignerKeyRecord {
                    signer: row.try_get("signer")?,
                    public_key: parse_key(&row.try_get::<String, _>("public_key")?)?,
                    registered_at: Timestamp::from_millis(row.try_get("registered_at")?),
                    bound_at: row
                        .try_get::<Option<i64>, _>("bound_at")?
                        .map(Timestamp::from_millis),
                })
            })
            .collect()
    }

    /// Records a verified signature on the version open for signing; with the last one, seals
    /// the agreement with `committee`'s key and the case takes effect (PML 29, OMR 19).
    pub async fn record_signature(
        &self,
        case: CaseId,
        committee: CommitteeId,
        signature: &NewSignature,
        personal_relationship: bool,
        now: Timestamp,
    ) -> StoreResult<Result<Signed, SignatureRefused>> {
        let signer = signer_id(signature.signer);
        let actor = match signature.signer {
            Signer::Party(p) | Signer::Agent { agent: p, .. } => EventActor::Participant(p),
            Signer::Mediator(u) => EventActor::Staff(u),
        };
        let mut tx = self.pool().begin().await?;
        let status = lock_for_write(&mut tx, case, now).await?;
        let latest = latest_version(&mut tx, case).await?;
        let open = latest.filter(|v| {
            v.version == signature.version && v.agreement_hash == signature.agreement_hash
        });
        let Some(version) = open else {
            return Ok(Err(SignatureRefused::NotThisVersion));
        };
        let stage = version.stage();
        let mut state = signing_state(&mut tx, case, version.version).await?;
        if let Err(refused) = state.check(stage, personal_relationship, signature.signer) {
            return Ok(Err(refused.into()));
        }
        let bound: Option<String> = sqlx::query_scalar(
            "SELECT thumbprint FROM signer_keys WHERE case_id = $1 AND signer = $2 \
             AND bound_at IS NOT NULL",
        )
        .bind(case.to_string())
        .bind(&signer)
        .fetch_optional(&mut *tx)
        .await?;
        let thumbprint = signature.public_key.thumbprint();
        if bound.as_deref() != Some(thumbprint.as_str()) {
            return Ok(Err(SignatureRefused::KeyNotBound));
        }
        sqlx::query(
            "INSERT INTO agreement_signatures (case_id, version, signer, role, name, public_key, \
             signature, signed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(case.to_string())
        .bind(db_version(version.version))
        .bind(&signer)
        .bind(signature.role.as_str())
        .bind(&signature.name)
        .bind(signature.public_key.to_jwk().to_string())
        .bind(encode_base64url(&signature.signature))
        .bind(now.millis())
        .execute(&mut *tx)
        .await?;
        let signed = CaseEvent::AgreementSigned {
            signer,
            version: version.version,
            agreement_hash: version.agreement_hash.clone(),
            key_thumbprint: thumbprint,
        };
        events::append(&mut tx, case, actor, &signed, now).await?;
        state.signed.push(signature.signer);
        if !state.complete() {
            tx.commit().await?;
            return Ok(Ok(Signed::Recorded));
        }
        let seal = seal_key_in(&mut tx, &self.seal_wrapping, committee, now).await?;
        let sealed = CaseEvent::AgreementSealed {
            version: version.version,
            agreement_hash: version.agreement_hash.clone(),
            seal_public_key: seal.public_key().to_base64url(),
        };
        events::append(&mut tx, case, EventActor::System, &sealed, now).await?;
        take_effect(&mut tx, case, &version, status, EventActor::System, now).await?;
        tx.commit().await?;
        Ok(Ok(Signed::Sealed))
    }

    /// The signatures on `version`, in the order they were given.
    pub async fn agreement_signatures(
        &self,
        case: CaseId,
        version: u64,
    ) -> StoreResult<Vec<SignatureRecord>> {
        let rows = sqlx::query(
            "SELECT version, signer, role, name, public_key, signature, signed_at \
             FROM agreement_signatures WHERE case_id = $1 AND version = $2",
        )
        .bind(case.to_string())
        .bind(db_version(version))
        .fetch_all(self.pool())
        .await?;
        // In the chain's order, which the package must follow: two signatures can carry the
        // same millisecond, so their times cannot order them.
        let chained: Vec<String> = sqlx::query_scalar(
            "SELECT payload FROM case_events WHERE case_id = $1 AND kind = $2 ORDER BY seq",
        )
        .bind(case.to_string())
        .bind(crate::record::agreement::AGREEMENT_SIGNED)
        .fetch_all(self.pool())
        .await?;
        let order: Vec<String> = chained
            .iter()
            .filter_map(|payload| serde_json::from_str::<serde_json::Value>(payload).ok())
            .filter(|payload| payload["version"].as_u64() == Some(version))
            .filter_map(|payload| payload["signer"].as_str().map(str::to_owned))
            .collect();
        let place = |signer: &str| order.iter().position(|s| s == signer).unwrap_or(usize::MAX);
        let mut records = rows
            .iter()
            .map(|row| {
                let role = label(&row.try_get::<String, _>("role")?, |raw| match raw {
                    "party" => Some(SignerRole::Party),
                    "agent" => Some(SignerRole::Agent),
                    "mediator" => Some(SignerRole::Mediator),
                    _ => None,
                })?;
                Ok(SignatureRecord {
                    version: stored_version(row.try_get("version")?)?,
                    signer: row.try_get("signer")?,
                    role,
                    name: row.try_get("name")?,
                    public_key: parse_key(&row.try_get::<String, _>("public_key")?)?,
                    signature: decode_base64url(&row.try_get::<String, _>("signature")?)
                        .map_err(|e| StoreError::Corrupt(format!("signature: {e}")))?,
                    signed_at: Timestamp::from_millis(row.try_get("signed_at")?),
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        records.sort_by_key(|record| place(&record.signer));
        Ok(records)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::agreement::{key_bound_payload, sealed_payload, signed_payload};

    /// The verifier reads these events by the record module's payload builders: the events
    /// the store writes must carry the same members.
    #[test]
    fn signing_events_carry_what_the_package_verifier_reads() {
        let secret = p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
        let point = secret.verifying_key().to_encoded_point(false);
        let key =
            SignerKey::from_coordinates((*point.x().unwrap()).into(), (*point.y().unwrap()).into())
                .unwrap();
        let seal = SealKey::from_bytes(&[9u8; 32]).public_key();
        let contains = |event: CaseEvent, expected: serde_json::Value| {
            let (_, payload) = event.to_parts();
            for (name, value) in expected.as_object().unwrap() {
                assert_eq!(payload.get(name), Some(value), "{name}");
            }
        };
        contains(
            CaseEvent::SignerKeyBound {
                signer: "p-1".into(),
                key_thumbprint: key.thumbprint(),
                public_key: key.to_jwk(),
            },
            key_bound_payload("p-1", &key),
        );
        contains(
            CaseEvent::AgreementSigned {
                signer: "p-1".into(),
                version: 3,
                agreement_hash: "ab".into(),
                key_thumbprint: key.thumbprint(),
            },
            signed_payload("p-1", 3, "ab", &key),
        );
        contains(
            CaseEvent::AgreementSealed {
                version: 3,
                agreement_hash: "ab".into(),
                seal_public_key: seal.to_base64url(),
            },
            sealed_payload(3, "ab", &seal),
        );
    }
}
