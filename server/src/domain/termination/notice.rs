//! The notice a mediator gives the parties when the mediation ends without agreement (PML 26): the
//! routes that stay open to them, in Chinese and English. As with the consent texts, a change of
//! wording is a new version, and the record keeps the version and the SHA-256 of what was given.

use crate::domain::staff::Language;

/// The version of the words below.
pub const NOTICE_VERSION: &str = "2026-11-29";

/// The notice as given in one language, `{committee}` filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutesNotice {
    pub version: &'static str,
    pub language: Language,
    pub title: String,
    pub body: String,
}

impl RoutesNotice {
    pub fn render(language: Language, committee: &str) -> RoutesNotice {
        let (title, body) = words(language);
        RoutesNotice {
            version: NOTICE_VERSION,
            language,
            title: title.to_owned(),
            body: body.replace("{committee}", committee),
        }
    }

    /// The text whose hash is recorded: title and body as shown.
    pub fn shown(&self) -> String {
        format!("{}\n\n{}", self.title, self.body)
    }
}

fn words(language: Language) -> (&'static str, &'static str) {
    match language {
        Language::ZhCn => (
            "终止调解告知书：其他维权途径",
            "经{committee}主持调解，本纠纷未能达成调解协议，调解已经终止。根据《中华人民共和国人民调解法》第二十六条，您可以依法通过下列途径维护自己的权利：\n\
             一、仲裁：当事人之间订有仲裁协议或者事后达成仲裁协议的，可以向约定的仲裁机构申请仲裁；劳动争议、农村土地承包经营纠纷等，可以依法向相应的仲裁委员会申请仲裁。\n\
             二、行政途径：属于行政机关职权范围的事项，可以请求有关行政机关依法处理。\n\
             三、诉讼：可以依法向有管辖权的人民法院提起诉讼。\n\
             请注意仲裁时效和诉讼时效，及时行使权利。各方在调解中为达成协议作出的让步和认可，不得在后续诉讼中作为对其不利的证据（《人民法院在线调解规则》第十八条）。",
        ),
        Language::En => (
            "Notice of your other routes",
            "The mediation of this dispute presided over by {committee} did not lead to an agreement and has ended. Under article 26 of the People's Mediation Law of the People's Republic of China, you may protect your rights through these routes, as the law provides:\n\
             1. Arbitration: if the parties have an arbitration agreement, or make one now, you may apply to the arbitration institution it names; labour disputes, disputes over rural land contracts and others may go to the arbitration commission the law provides for.\n\
             2. An administrative route: where the matter lies within the powers of an administrative authority, you may ask that authority to deal with it.\n\
             3. Litigation: you may bring a lawsuit before the people's court that has jurisdiction.\n\
             Mind the time limits for arbitration and for lawsuits, and act in time. Concessions and admissions made in the mediation to reach an agreement cannot be used against you in later litigation (SPC Online Mediation Rules, art. 18).",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_name_the_committee_and_the_three_routes_of_pml_26() {
        let zh = RoutesNotice::render(Language::ZhCn, "朝阳区人民调解委员会");
        assert!(zh.body.contains("朝阳区人民调解委员会") && !zh.shown().contains('{'));
        for route in ["仲裁", "行政", "诉讼", "第二十六条"] {
            assert!(zh.body.contains(route), "{route}");
        }
        let en = RoutesNotice::render(Language::En, "Chaoyang committee");
        for route in ["Arbitration", "administrative", "Litigation", "article 26"] {
            assert!(en.body.contains(route), "{route}");
        }
        assert_eq!(en.version, NOTICE_VERSION);
        assert!(en.shown().starts_with("Notice of your other routes\n\n"));
    }
}
