//! The exact words each consent is given to, in Chinese and English. What a participant
//! consents to is recorded as the kind, this version, the language and the SHA-256 of the
//! rendered text, so that the record shows precisely what was read. A change of wording is a
//! new version: the old one stays what earlier consents refer to.

use super::ConsentKind;
use crate::domain::staff::Language;

/// The version of the texts below.
pub const TEXTS_VERSION: &str = "2026-11-29";

/// A consent's text as shown to one participant: `{committee}` and `{mediators}` filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentText {
    pub kind: ConsentKind,
    pub version: &'static str,
    pub language: Language,
    pub title: String,
    pub body: String,
}

impl ConsentText {
    pub fn render(
        kind: ConsentKind,
        language: Language,
        committee: &str,
        mediators: &str,
    ) -> ConsentText {
        let (title, body) = words(kind, language);
        let fill = |s: &str| {
            s.replace("{committee}", committee)
                .replace("{mediators}", mediators)
        };
        ConsentText {
            kind,
            version: TEXTS_VERSION,
            language,
            title: fill(title),
            body: fill(body),
        }
    }

    /// Consent 11's text for one application: besides the committee, it names the court, the
    /// case and the agreement's hash, so that what each party applies for is on the record.
    pub fn application(
        language: Language,
        committee: &str,
        court: &str,
        case_number: &str,
        agreement_hash: &str,
    ) -> ConsentText {
        let mut text = Self::render(ConsentKind::JudicialConfirmation, language, committee, "");
        let fill = |s: &str| {
            s.replace("{court}", court)
                .replace("{case}", case_number)
                .replace("{agreement}", agreement_hash)
        };
        text.title = fill(&text.title);
        text.body = fill(&text.body);
        text
    }

    /// The bytes whose hash is recorded: title and body as shown.
    pub fn shown(&self) -> String {
        format!("{}\n\n{}", self.title, self.body)
    }
}

fn words(kind: ConsentKind, language: Language) -> (&'static str, &'static str) {
    use ConsentKind as K;
    match (kind, language) {
        (K::VoluntaryParticipation, Language::ZhCn) => (
            "自愿参加调解",
            "我自愿参加{committee}主持的本次人民调解。我知道调解不收取任何费用（《人民调解法》第四条），我可以随时要求终止调解（第二十三条），调解不成的，我可以通过仲裁、行政或者司法途径维护自己的权利（第二十六条）。",
        ),
        (K::VoluntaryParticipation, Language::En) => (
            "Taking part voluntarily",
            "I take part of my own free will in this people's mediation presided over by {committee}. I know that mediation is free of charge (People's Mediation Law, art. 4), that I may ask to end it at any time (art. 23), and that if it fails I may protect my rights through arbitration, administrative or judicial routes (art. 26).",
        ),
        (K::RightsNotice, Language::ZhCn) => (
            "当事人的权利和义务",
            "我已阅读并理解：我有权选择或者接受调解员，接受调解、拒绝调解或者要求终止调解，要求调解公开进行或者不公开进行，自主表达意愿、自愿达成调解协议（《人民调解法》第二十三条）；我应当如实陈述纠纷事实，遵守调解现场秩序、尊重调解员，尊重对方当事人行使权利（第二十四条）。",
        ),
        (K::RightsNotice, Language::En) => (
            "Your rights and duties",
            "I have read and understood that I may choose or accept the mediator; accept, refuse or end the mediation; ask for it to be held in public or not; and speak freely and agree only of my own will (People's Mediation Law, art. 23). I must state the facts truthfully, keep order and respect the mediator, and respect the other party's exercise of their rights (art. 24).",
        ),
        (K::OnlineMode, Language::ZhCn) => (
            "在线视频调解",
            "我同意通过本系统以在线视频方式进行调解，包括等候室、共同调解和单独谈话（背靠背调解）。我知道我可以随时撤回此项同意，撤回后我将不再参加在线调解（《人民法院在线调解规则》第四条）。",
        ),
        (K::OnlineMode, Language::En) => (
            "Mediation online, by video",
            "I agree to take part by video through this system, including a waiting room, joint sessions and private talks with the mediator (caucus). I know I may withdraw this consent at any time, and that I then no longer take part online (SPC Online Mediation Rules, art. 4).",
        ),
        (K::MediatorAcceptance, Language::ZhCn) => (
            "接受调解员",
            "本案调解员为：{mediators}。调解员已声明与本案当事人及纠纷不存在利害关系；如果我知道调解员存在应当回避的情形，可以要求更换调解员。我接受上述调解员主持调解（《人民调解法》第十九条、第二十三条）。",
        ),
        (K::MediatorAcceptance, Language::En) => (
            "Accepting the mediator",
            "The mediators of this case are: {mediators}. They have declared no interest in the parties or the dispute; if I know of a reason why one of them should step aside, I may ask for another mediator. I accept these mediators (People's Mediation Law, arts. 19, 23).",
        ),
        (K::Confidentiality, Language::ZhCn) => (
            "保密承诺",
            "我承诺对调解中知悉的他人个人信息、商业秘密和调解过程中的陈述予以保密，不录音、不录像、不截屏、不向他人传播。我知道各方在调解中为达成协议作出的让步和认可，不得在后续诉讼中作为对其不利的证据（《人民法院在线调解规则》第十八条、第二十九条）。",
        ),
        (K::Confidentiality, Language::En) => (
            "Keeping it confidential",
            "I undertake to keep confidential the personal information, business secrets and statements of others that I learn in this mediation, and not to record, film, screenshot or pass them on. I know that concessions made to reach agreement cannot be used against anyone in later litigation (SPC Online Mediation Rules, arts. 18, 29).",
        ),
        (K::Recording, Language::ZhCn) => (
            "同意录音录像",
            "我同意对本次调解进行录音录像，录像仅用于调解记录。未经各方当事人一致同意，不进行录音录像；以录音录像代替书面调解笔录的，须经双方当事人明确同意（《人民法院在线调解规则》第二十二条）。",
        ),
        (K::Recording, Language::En) => (
            "Recording the session",
            "I agree that this mediation may be recorded, for the mediation record only. Nothing is recorded unless every party agrees; replacing the written record by a recording needs the express consent of both parties (SPC Online Mediation Rules, art. 22).",
        ),
        (K::IdentityVerification, Language::ZhCn) => (
            "身份核验与虚假调解警示",
            "我同意调解员在等候室通过视频核验我的身份（例如出示身份证件）。我知道以虚假身份参加调解、与他人恶意串通通过调解损害国家利益、社会公共利益或者他人合法权益的，将依法承担法律责任（《人民法院在线调解规则》第十七条）。",
        ),
        (K::IdentityVerification, Language::En) => (
            "Identity check, and a warning against sham mediation",
            "I agree that the mediator checks my identity by video in the waiting room (for example by an identity document shown to the camera). I know that taking part under a false identity, or colluding with others to harm the interests of the state, the public or third parties through mediation, is punishable by law (SPC Online Mediation Rules, art. 17).",
        ),
        (K::ElectronicSignature, Language::ZhCn) => (
            "使用电子签名",
            "我同意以电子签名方式签署调解协议等文书。签名密钥在我自己的浏览器中生成并仅由我控制；签署后文书内容的任何改动都可以被发现（《电子签名法》第三条、第十三条）。涉及婚姻、收养、继承等人身关系的文书不适用电子签名，须另行以书面方式签署。",
        ),
        (K::ElectronicSignature, Language::En) => (
            "Signing electronically",
            "I agree to sign the mediation agreement and other documents electronically. My signing key is made in my own browser and controlled by me alone; any later change to a signed document can be detected (Electronic Signature Law, arts. 3, 13). Documents on marriage, adoption, inheritance or other personal relationships cannot be signed electronically and are signed on paper instead.",
        ),
        (K::PersonalInformation, Language::ZhCn) => (
            "个人信息处理",
            "我同意{committee}为办理本案处理我的个人信息，包括姓名、联系方式、身份信息、音视频和调解记录，仅用于本次调解、卷宗归档和司法确认，并依法保存和保护。我可以查阅、更正我的个人信息（《个人信息保护法》第十四条、第十七条）。生物识别信息（如人脸比对）须另行单独同意；未满十四周岁的，须由监护人同意。",
        ),
        (K::PersonalInformation, Language::En) => (
            "Your personal information",
            "I agree that {committee} processes my personal information for this case — name, contact details, identity information, audio and video, and the mediation record — only for this mediation, its dossier and judicial confirmation, kept and protected as the law requires. I may see and correct it (Personal Information Protection Law, arts. 14, 17). Biometric checks (such as face matching) need a separate consent; under-14s need a guardian's consent.",
        ),
        (K::JudicialConfirmation, Language::ZhCn) => (
            "共同申请司法确认",
            "我与对方当事人共同向{court}申请司法确认{committee}主持达成的调解协议（案号{case}，协议 SHA-256：{agreement}）。我知道应当自调解协议生效之日起三十日内提出申请（《人民调解法》第三十三条；《民事诉讼法》第二百零五条），我同意{committee}将调解协议、签名、我的身份信息和调解记录提交该法院。法院确认后，一方拒绝履行的，对方可以申请强制执行。",
        ),
        (K::JudicialConfirmation, Language::En) => (
            "Applying jointly for judicial confirmation",
            "Together with the other party I apply to {court} for judicial confirmation of the mediation agreement reached under {committee} (case {case}, agreement SHA-256 {agreement}). I know that the application must be made within thirty days of the agreement taking effect (People's Mediation Law, art. 33; Civil Procedure Law, art. 205), and I agree that {committee} sends the agreement, the signatures, my identity details and the record of the mediation to that court. Once the court confirms it, if a party does not perform, the other may apply for enforcement.",
        ),
        (K::ServiceAddress, Language::ZhCn) => (
            "送达地址确认",
            "我确认调解员登记的联系方式和送达地址真实有效，同意调解文书通过本系统或向该地址送达；地址变更的，我将及时告知调解员。",
        ),
        (K::ServiceAddress, Language::En) => (
            "Where documents are served",
            "I confirm that the contact details and service address the mediator registered for me are true and current, and I agree that mediation documents are served through this system or to that address. I will tell the mediator if they change.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_words_in_both_languages_and_placeholders_are_filled() {
        for kind in ConsentKind::ALL {
            for language in Language::ALL {
                let text = match kind {
                    ConsentKind::JudicialConfirmation => {
                        ConsentText::application(*language, "某调委会", "某法院", "(2026) 1", "ab")
                    }
                    _ => ConsentText::render(*kind, *language, "某调委会", "王丽"),
                };
                assert!(!text.title.is_empty() && !text.body.is_empty());
                assert!(
                    !text.shown().contains('{'),
                    "{kind} {language}: {}",
                    text.body
                );
            }
        }
        let named = ConsentText::render(
            ConsentKind::MediatorAcceptance,
            Language::ZhCn,
            "x",
            "王丽、李明",
        );
        assert!(named.body.contains("王丽、李明"));
    }
}
