//! The document's fixed wording in Chinese or English, and how numbers, sums of money and dates
//! read in each. The Chinese is the wording of the usual 人民调解协议书; the English says the
//! same for a reader who needs it, and is not a legal translation.

use super::SignerRole;
use crate::domain::agreement::Sex;
use crate::domain::staff::Language;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, UtcOffset};

/// Dates on the document are dates in China (UTC+8), wherever the server runs.
const CHINA: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => panic!("+08:00 is a valid offset"),
};

pub(super) struct Words {
    zh: bool,
}

/// Each label in both languages, side by side.
macro_rules! labels {
    ($($name:ident: $zh:literal, $en:literal;)+) => {
        impl Words {
            $(pub(super) fn $name(&self) -> &'static str {
                if self.zh { $zh } else { $en }
            })+
        }
    };
}

labels! {
    title: "人民调解协议书", "People's Mediation Agreement";
    number: "编号：", "No. ";
    party: "当事人：", "Party: ";
    sex: "性别：", "Sex: ";
    age: "年龄：", "Age: ";
    ethnicity: "民族：", "Ethnicity: ";
    occupation: "职业或单位：", "Occupation or employer: ";
    address: "住址：", "Address: ";
    contact: "联系方式：", "Contact: ";
    dispute_type: "纠纷类型：", "Type of dispute: ";
    facts: "纠纷主要事实：", "Main facts of the dispute:";
    issues: "争议事项：", "Issues in dispute:";
    responsibilities: "各方当事人的责任：", "Responsibilities of the parties:";
    agreed: "经调解，自愿达成如下协议：",
        "Through mediation, the parties have voluntarily agreed as follows:";
    obligor: "履行人：", "Performed by: ";
    amount: "金额：", "Amount: ";
    manner: "履行方式：", "Manner of performance: ";
    deadline: "履行期限：", "Deadline: ";
    parties_sign: "当事人（签名）：", "Parties (signature):";
    mediator_sign: "人民调解员（签名）：", "People's mediator (signature):";
    committee_seal: "人民调解委员会（印章）：", "People's mediation committee (seal):";
    signed_electronically: "（电子签名）", " (signed electronically)";
    sealed_electronically: "（电子印章）", " (sealed electronically)";
    blank_date: "　　　　年　　月　　日", "Date: ______________";
    see_signature_page: "电子签名及电子印章的详细信息见电子签名页。",
        "The electronic signatures and seal are detailed on the electronic signature page.";
    wet_ink_only: "本协议涉及婚姻、收养、继承等人身关系。依照《中华人民共和国电子签名法》第三条，\
        电子签名不适用于此类文书：本协议须经各方当事人、人民调解员亲笔签名并加盖人民调解委员会印章，\
        方可生效。",
        "This agreement concerns marriage, adoption, inheritance or another personal relationship. \
        Under Article 3 of the Electronic Signature Law of the PRC, electronic signatures do not \
        apply to such documents: it takes effect only when every party and the people's mediator \
        have signed it in ink and the people's mediation committee has stamped its seal on it.";
    signature_page: "电子签名页", "Electronic signature page";
    version_label: "协议版本：", "Version: ";
    digest: "协议摘要（SHA-256）：", "Digest of the agreement (SHA-256):";
    signatures: "电子签名", "Electronic signatures";
    no_signatures: "尚无电子签名。", "No electronic signatures yet.";
    seal: "人民调解委员会电子印章", "Electronic seal of the people's mediation committee";
    committee: "人民调解委员会：", "Committee: ";
    seal_key: "印章公钥指纹：", "Seal key fingerprint: ";
    sealed_at: "盖章时间：", "Sealed at: ";
    not_sealed: "尚未加盖电子印章。", "Not sealed yet.";
    effective_at: "生效时间：", "In effect since: ";
    not_effective: "本协议尚未生效。", "This agreement is not in effect yet.";
    oral_title: "口头协议登记", "Registration of an Oral Agreement";
    oral_statement: "以上协议系各方当事人在调解中以口头方式达成，由人民调解员登记。口头调解协议\
        自各方当事人达成协议之日起生效（《中华人民共和国人民调解法》第二十八条、第三十条）。\
        本登记未经当事人签名，亦未加盖人民调解委员会印章。",
        "The parties reached the agreement above orally in mediation, and the people's mediator \
        registered it. An oral mediation agreement takes effect when the parties reach it \
        (People's Mediation Law, arts. 28 and 30). This registration bears no party's signature \
        and no seal of the committee.";
    sealed_on_paper: "各方当事人、人民调解员已在纸面原件上亲笔签名，人民调解委员会已在纸面原件上\
        加盖印章；纸面原件存入卷宗。本文件未加盖电子印章。",
        "Every party and the people's mediator signed the paper original in ink, and the \
        committee stamped its seal on it; the paper original is kept in the dossier. This \
        document bears no electronic seal.";
}

impl Words {
    /// The document's title: an oral agreement is registered, not drawn up as a 协议书.
    pub(super) fn title_of(&self, effect: super::Effect<'_>) -> &'static str {
        match effect {
            super::Effect::Oral { .. } => self.oral_title(),
            _ => self.title(),
        }
    }

    pub(super) fn new(language: Language) -> Self {
        Self {
            zh: language == Language::ZhCn,
        }
    }

    pub(super) fn signature_table_header(&self) -> [&'static str; 5] {
        if self.zh {
            ["序号", "签名人", "身份", "公钥指纹", "签名时间"]
        } else {
            ["No.", "Signer", "Capacity", "Key fingerprint", "Signed at"]
        }
    }

    pub(super) fn sex_value(&self, sex: Sex) -> &'static str {
        match (sex, self.zh) {
            (Sex::Female, true) => "女",
            (Sex::Male, true) => "男",
            (Sex::Female, false) => "female",
            (Sex::Male, false) => "male",
        }
    }

    pub(super) fn age_value(&self, age: u16) -> String {
        if self.zh {
            format!("{age} 岁")
        } else {
            age.to_string()
        }
    }

    pub(super) fn role(&self, role: SignerRole) -> &'static str {
        match (role, self.zh) {
            (SignerRole::Party, true) => "当事人",
            (SignerRole::Agent, true) => "委托代理人",
            (SignerRole::Mediator, true) => "人民调解员",
            (SignerRole::Party, false) => "party",
            (SignerRole::Agent, false) => "agent",
            (SignerRole::Mediator, false) => "people's mediator",
        }
    }

    /// A signer as a signature block names them: an agent is marked as one.
    pub(super) fn signer(&self, name: &str, role: SignerRole) -> String {
        match (role, self.zh) {
            (SignerRole::Agent, true) => format!("{name}（委托代理人）"),
            (SignerRole::Agent, false) => format!("{name} (agent)"),
            _ => name.to_owned(),
        }
    }

    /// "一、" or "1. ", before the `n`th term (from 1).
    pub(super) fn term_number(&self, n: usize) -> String {
        if self.zh {
            format!("{}、", chinese_number(n))
        } else {
            format!("{n}. ")
        }
    }

    /// The standard closing statement (PML 29: effect on signature and seal; one copy for each
    /// party and one for the committee's archive).
    pub(super) fn closing(&self, copies: usize) -> String {
        if self.zh {
            format!(
                "本协议自各方当事人签名、人民调解员签名并加盖人民调解委员会印章之日起生效。\
                本协议书一式{}份，当事人各执一份，人民调解委员会留存一份。",
                chinese_number(copies)
            )
        } else {
            format!(
                "This agreement takes effect on the day on which every party and the people's \
                mediator have signed it and the people's mediation committee has affixed its \
                seal. It is made in {copies} copies: one for each party and one kept by the \
                people's mediation committee."
            )
        }
    }

    pub(super) fn signature_page_intro(&self, case_number: &str, version: u64) -> String {
        if self.zh {
            format!(
                "本页是{case_number}人民调解协议书第 {version} 版的组成部分，记载该版本的电子签名和\
                电子印章。下列摘要是该版本协议内容规范化字节的 SHA-256 值；各项签名和印章均针对这一内容，\
                签署后对内容的任何改动都能够被发现（《中华人民共和国电子签名法》第十三条）。"
            )
        } else {
            format!(
                "This page is part of people's mediation agreement {case_number}, version \
                {version}, and records the electronic signatures and seal of that version. The \
                digest below is the SHA-256 of the canonical bytes of its content; every signature \
                and the seal cover exactly that content, so any change made after signing can be \
                detected (Electronic Signature Law of the PRC, Article 13)."
            )
        }
    }

    pub(super) fn version(&self, version: u64) -> String {
        if self.zh {
            format!("第 {version} 版")
        } else {
            format!("version {version}")
        }
    }

    /// The version after its label: "协议版本：第 3 版", "Version: 3".
    pub(super) fn version_value(&self, version: u64) -> String {
        if self.zh {
            self.version(version)
        } else {
            version.to_string()
        }
    }

    pub(super) fn page_of(&self, page: usize, pages: usize) -> String {
        if self.zh {
            format!("第 {page} 页 共 {pages} 页")
        } else {
            format!("Page {page} of {pages}")
        }
    }

    /// A sum in fen as yuan with two decimals and thousands separators: "12,345.67 元". A
    /// no-break space keeps the number on the line of its unit.
    pub(super) fn yuan(&self, fen: i64) -> String {
        let sign = if fen < 0 { "-" } else { "" };
        let (yuan, fen) = (fen.unsigned_abs() / 100, fen.unsigned_abs() % 100);
        let digits = yuan.to_string();
        let mut grouped = String::new();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        let unit = if self.zh { "元" } else { "yuan" };
        format!("{sign}{grouped}.{fen:02}\u{a0}{unit}")
    }

    /// "2026年12月31日前" or "by 2026-12-31", from `YYYY-MM-DD`.
    pub(super) fn deadline_value(&self, date: &str) -> String {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        match (Date::parse(date, &format), self.zh) {
            (Ok(date), true) => format!("{}前", chinese_date(date)),
            (Err(_), true) => format!("{date}前"),
            (_, false) => format!("by {date}"),
        }
    }

    /// The date in China of an RFC 3339 instant, as a signature block shows it.
    pub(super) fn date_of(&self, instant: &str) -> String {
        match OffsetDateTime::parse(instant, &Rfc3339) {
            Ok(at) if self.zh => chinese_date(at.to_offset(CHINA).date()),
            Ok(at) => at.to_offset(CHINA).date().to_string(),
            Err(_) => instant.to_owned(),
        }
    }

    /// An RFC 3339 instant to the second, in China's time with its offset written out, the same
    /// in both languages: "2026-05-03 20:00:00 +08:00".
    pub(super) fn moment(&self, instant: &str) -> String {
        let format = time::macros::format_description!(
            "[year]-[month]-[day] [hour]:[minute]:[second] [offset_hour sign:mandatory]:[offset_minute]"
        );
        OffsetDateTime::parse(instant, &Rfc3339)
            .ok()
            .and_then(|at| at.to_offset(CHINA).format(&format).ok())
            .unwrap_or_else(|| instant.to_owned())
    }
}

fn chinese_date(date: Date) -> String {
    format!(
        "{}年{}月{}日",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// 1 to 99 in Chinese numerals (一, 十二, 九十九), as terms and copies are counted; larger
/// numbers in digits.
fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match (n / 10, n % 10) {
        _ if n == 0 || n >= 100 => n.to_string(),
        (0, ones) => DIGITS[ones].to_owned(),
        (tens, ones) => {
            let tens = if tens == 1 { "" } else { DIGITS[tens] };
            let ones = if ones == 0 { "" } else { DIGITS[ones] };
            format!("{tens}十{ones}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers_read_as_written() {
        let read: Vec<String> = [1, 3, 10, 12, 20, 99, 100].map(chinese_number).into();
        assert_eq!(read, ["一", "三", "十", "十二", "二十", "九十九", "100"]);
    }

    #[test]
    fn sums_in_fen_read_as_yuan() {
        let zh = Words::new(Language::ZhCn);
        assert_eq!(zh.yuan(1_234_567), "12,345.67\u{a0}元");
        assert_eq!(zh.yuan(5), "0.05\u{a0}元");
        assert_eq!(zh.yuan(100_000_000), "1,000,000.00\u{a0}元");
        assert_eq!(Words::new(Language::En).yuan(30_000), "300.00\u{a0}yuan");
    }

    #[test]
    fn dates_are_dates_in_china() {
        let zh = Words::new(Language::ZhCn);
        assert_eq!(zh.date_of("2026-05-03T17:00:00Z"), "2026年5月4日");
        assert_eq!(
            zh.moment("2026-05-03T17:00:00Z"),
            "2026-05-04 01:00:00 +08:00"
        );
        assert_eq!(zh.deadline_value("2026-12-31"), "2026年12月31日前");
        let en = Words::new(Language::En);
        assert_eq!(en.date_of("2026-05-03T17:00:00Z"), "2026-05-04");
        assert_eq!(en.date_of("yesterday"), "yesterday");
    }
}
