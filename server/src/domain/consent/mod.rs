//! Consents (DOMAIN.md, "Consents to capture"): each given by one participant, to one text in one
//! version, recorded with when and how, and withdrawable. Which ones a participant must have given
//! before they may join a live session depends on their role.

use super::labels::labelled_enum;
use super::participant::ParticipantRole;

labelled_enum! {
    pub enum ConsentKind {
        /// 1. Voluntary participation in mediation (PML 17). Withdrawing it ends the
        /// participation (PML 23(2)).
        VoluntaryParticipation = "voluntary_participation",
        /// 2. The notice of rights and duties, acknowledged (PML 23-24; dossier item 2).
        RightsNotice = "rights_notice",
        /// 3. Mediation online, by video (OMR 4). Withdrawing it ends the participation.
        OnlineMode = "online_mode",
        /// 4. Acceptance of the mediator and of their conflict disclosure (PML 19, OMR 13).
        MediatorAcceptance = "mediator_acceptance",
        /// 6. Confidentiality, including that concessions cannot be used later (OMR 18, 29).
        Confidentiality = "confidentiality",
        /// 7. Recording, if any (OMR 22).
        Recording = "recording",
        /// 8. Identity verification, and the warning against sham mediation (OMR 17).
        IdentityVerification = "identity_verification",
        /// 9. Use of electronic signatures (ESL 3, 13).
        ElectronicSignature = "electronic_signature",
        /// 10. Processing of personal information (PIPL 14, 17).
        PersonalInformation = "personal_information",
        /// 11. The joint application for judicial confirmation, one per party (PML 33). Asked only
        /// once the mediator has prepared an application naming the court (domain::confirmation).
        JudicialConfirmation = "judicial_confirmation",
        /// 12. The service address for documents (送达地址确认).
        ServiceAddress = "service_address",
    }
}

impl ConsentKind {
    /// What a participant in `role` must have consented to before joining a live session.
    /// Parties and their agents take part in the mediation itself; the others attend it.
    pub fn required_to_join(role: ParticipantRole) -> &'static [ConsentKind] {
        use ConsentKind as K;
        match role {
            ParticipantRole::Party | ParticipantRole::Agent => &[
                K::VoluntaryParticipation,
                K::RightsNotice,
                K::OnlineMode,
                K::MediatorAcceptance,
                K::Confidentiality,
                K::IdentityVerification,
                K::PersonalInformation,
            ],
            ParticipantRole::Invited | ParticipantRole::Observer | ParticipantRole::Interpreter => {
                &[K::OnlineMode, K::Confidentiality, K::PersonalInformation]
            }
        }
    }

    /// Which consents a participant in `role` is asked for at all.
    pub fn asked_of(role: ParticipantRole) -> &'static [ConsentKind] {
        use ConsentKind as K;
        match role {
            ParticipantRole::Party | ParticipantRole::Agent => &[
                K::VoluntaryParticipation,
                K::RightsNotice,
                K::OnlineMode,
                K::MediatorAcceptance,
                K::Confidentiality,
                K::IdentityVerification,
                K::PersonalInformation,
                K::ServiceAddress,
                K::ElectronicSignature,
                K::Recording,
            ],
            ParticipantRole::Invited | ParticipantRole::Observer | ParticipantRole::Interpreter => {
                &[K::OnlineMode, K::Confidentiality, K::PersonalInformation]
            }
        }
    }

    /// Withdrawing this consent ends the participant's participation (DOMAIN.md: consents 1 and
    /// 3; PML 23(2)).
    pub fn withdrawal_ends_participation(self) -> bool {
        matches!(
            self,
            ConsentKind::VoluntaryParticipation | ConsentKind::OnlineMode
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_required_is_always_asked() {
        for role in ParticipantRole::ALL {
            let asked = ConsentKind::asked_of(*role);
            for kind in ConsentKind::required_to_join(*role) {
                assert!(
                    asked.contains(kind),
                    "{role}: {kind} required but not asked"
                );
            }
        }
    }

    #[test]
    fn parties_must_consent_to_mediation_itself_observers_to_attending() {
        let party = ConsentKind::required_to_join(ParticipantRole::Party);
        assert!(party.contains(&ConsentKind::VoluntaryParticipation));
        assert!(
            !party.contains(&ConsentKind::Recording),
            "recording is never a condition"
        );
        let observer = ConsentKind::required_to_join(ParticipantRole::Observer);
        assert!(!observer.contains(&ConsentKind::VoluntaryParticipation));
        assert!(observer.contains(&ConsentKind::Confidentiality));
    }

    #[test]
    fn only_participation_and_online_mode_end_participation_when_withdrawn() {
        let ending: Vec<_> = ConsentKind::ALL
            .iter()
            .filter(|k| k.withdrawal_ends_participation())
            .collect();
        assert_eq!(
            ending,
            [
                &ConsentKind::VoluntaryParticipation,
                &ConsentKind::OnlineMode
            ]
        );
    }
}

pub mod attendance;
mod texts;
pub use texts::{ConsentText, TEXTS_VERSION};
