//! Consent 5 of DOMAIN.md: each party's consent to each invited participant (PML 20) and each
//! observer (PML 23(3)). People other than the parties hear what is said in a mediation only
//! when every party has agreed to them, one by one: until then a mediator cannot admit them.
//! Recording follows the same all-parties rule (OMR 22): it stays off unless every party has
//! consented to it.

use crate::domain::ids::ParticipantId;
use crate::domain::participant::ParticipantRole;
use crate::domain::staff::Language;

/// The version of the attendance text below.
pub const ATTENDANCE_TEXT_VERSION: &str = "2026-11-29";

/// Does a participant in `role` need every party's consent to attend?
pub fn needs_parties_consent(role: ParticipantRole) -> bool {
    matches!(role, ParticipantRole::Invited | ParticipantRole::Observer)
}

/// The parties who have not (or no longer) consented, in the order of `parties`. Empty when
/// the attendee may be admitted, or recording may run.
pub fn missing_consents(
    parties: &[ParticipantId],
    consented: &[ParticipantId],
) -> Vec<ParticipantId> {
    parties
        .iter()
        .filter(|p| !consented.contains(p))
        .copied()
        .collect()
}

/// The words a party consents to for one attendee: title and body, `{name}` filled in.
pub fn attendance_text(language: Language, name: &str, role: ParticipantRole) -> (String, String) {
    let (title, body) = match (language, role == ParticipantRole::Observer) {
        (Language::ZhCn, false) => (
            "同意{name}参加调解",
            "我同意{name}作为受邀人员参加本案的调解（《人民调解法》第二十条）。受邀人员应当对调解中知悉的情况保密。我可以随时撤回这一同意。",
        ),
        (Language::ZhCn, true) => (
            "同意{name}旁听调解",
            "我同意{name}旁听本案的调解（《人民调解法》第二十三条第三项：当事人有权要求调解公开或者不公开进行）。旁听人员应当对调解中知悉的情况保密。我可以随时撤回这一同意。",
        ),
        (Language::En, false) => (
            "{name} taking part in the mediation",
            "I agree that {name} takes part in the mediation of this case as an invited participant (People's Mediation Law, art. 20). They must keep confidential what they learn in it. I may withdraw this consent at any time.",
        ),
        (Language::En, true) => (
            "{name} observing the mediation",
            "I agree that {name} observes the mediation of this case (People's Mediation Law, art. 23(3): a party may require that mediation be held in public or not). They must keep confidential what they learn in it. I may withdraw this consent at any time.",
        ),
    };
    (title.replace("{name}", name), body.replace("{name}", name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn p(n: u128) -> ParticipantId {
        ParticipantId::from_uuid(Uuid::from_u128(n))
    }

    #[test]
    fn only_invited_people_and_observers_need_the_parties_consent() {
        let needing: Vec<_> = ParticipantRole::ALL
            .iter()
            .filter(|r| needs_parties_consent(**r))
            .collect();
        assert_eq!(
            needing,
            [&ParticipantRole::Invited, &ParticipantRole::Observer]
        );
    }

    #[test]
    fn every_party_must_have_consented() {
        assert_eq!(missing_consents(&[p(1), p(2)], &[p(2)]), [p(1)]);
        assert!(missing_consents(&[p(1), p(2)], &[p(2), p(1), p(3)]).is_empty());
        assert!(missing_consents(&[], &[]).is_empty());
    }

    #[test]
    fn the_text_names_the_attendee_and_the_article() {
        let (title, body) = attendance_text(Language::ZhCn, "周律师", ParticipantRole::Invited);
        assert!(title.contains("周律师") && body.contains("第二十条"));
        let (_, body) = attendance_text(Language::En, "Ms Zhou", ParticipantRole::Observer);
        assert!(body.contains("Ms Zhou") && body.contains("art. 23(3)"));
    }
}
