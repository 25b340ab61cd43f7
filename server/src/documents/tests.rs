use super::*;
use crate::domain::agreement::{PartyDetails, Sex, Term};
use crate::domain::ids::ParticipantId;
use uuid::Uuid;

fn participant(n: u128) -> ParticipantId {
    ParticipantId::from_uuid(Uuid::from_u128(n))
}

const HASH: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

fn content() -> AgreementContent {
    AgreementContent {
        parties: vec![
            PartyDetails {
                participant: participant(1),
                name: "李甲".into(),
                sex: Some(Sex::Female),
                age: Some(45),
                ethnicity: Some("汉族".into()),
                occupation: Some("北京某某餐饮管理有限公司 会计".into()),
                address: Some("北京市朝阳区望京街道花家地西里三区 12 号楼 3 单元 502 室".into()),
                contact: Some("138 0000 1234".into()),
            },
            PartyDetails {
                participant: participant(2),
                name: "王乙".into(),
                sex: Some(Sex::Male),
                age: Some(52),
                ethnicity: Some("回族".into()),
                occupation: None,
                address: Some("北京市朝阳区望京街道花家地西里三区 12 号楼 3 单元 602 室".into()),
                contact: None,
            },
        ],
        facts: "2026 年 3 月 2 日，王乙家中卫生间水管破裂，漏水渗入楼下李甲家，致其厨房吊顶、\
            橱柜及部分墙面受损。李甲要求王乙赔偿维修费用，双方协商未果，于 2026 年 3 月 20 日申请调解。"
            .into(),
        issues: "漏水损失的范围与金额；维修期间李甲另行租房的费用由谁承担。".into(),
        responsibilities: "王乙未及时检修老化水管，对漏水造成的损失承担主要责任；\
            李甲在发现漏水后未及时通知物业，对损失扩大承担次要责任。"
            .into(),
        terms: vec![
            Term {
                text: "王乙赔偿李甲厨房吊顶、橱柜及墙面维修费用。".into(),
                obligor: Some(participant(2)),
                manner: "银行转账至李甲名下账户".into(),
                deadline: Some("2026-04-30".into()),
                amount_fen: Some(1_234_567),
            },
            Term {
                text: "王乙于维修完成前更换卫生间老化水管，并请物业验收。".into(),
                obligor: Some(participant(2)),
                manner: "自行委托有资质的维修单位施工".into(),
                deadline: Some("2026-04-15".into()),
                amount_fen: None,
            },
            Term {
                text: "双方就本次漏水纠纷再无其他争议。".into(),
                obligor: None,
                manner: "本协议生效即履行完毕".into(),
                deadline: None,
                amount_fen: None,
            },
        ],
        personal_relationship: false,
    }
}

fn signatures() -> Vec<SignatureLine> {
    let line = |name: &str, role, thumbprint: &str, at: &str| SignatureLine {
        name: name.into(),
        role,
        key_thumbprint: thumbprint.into(),
        signed_at: at.into(),
    };
    vec![
        line(
            "李甲",
            SignerRole::Party,
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
            "2026-03-28T02:15:09Z",
        ),
        line(
            "张丙",
            SignerRole::Agent,
            "kZ2dBq3n0L1mR8sT4uV6wX9yA2bC5dE7fG0hJ3kL6mN",
            "2026-03-28T02:17:41Z",
        ),
        line(
            "赵调解",
            SignerRole::Mediator,
            "pQ8rS1tU4vW7xY0zA3bC6dE9fG2hJ5kL8mN1pQ4rS7t",
            "2026-03-28T02:20:00Z",
        ),
    ]
}

fn seal() -> SealLine {
    SealLine {
        fingerprint: "ed25519:Qm9hcmQgb2YgbWVkaWF0aW9uIHNlYWwga2V5IDIwMjY".into(),
        sealed_at: "2026-03-28T02:21:30Z".into(),
    }
}

fn document<'a>(
    content: &'a AgreementContent,
    signatures: &'a [SignatureLine],
    seal: Option<&'a SealLine>,
) -> AgreementDocument<'a> {
    AgreementDocument {
        committee: "北京市朝阳区望京街道人民调解委员会",
        case_number: "(2026) 人调字第 12 号",
        dispute_type: "邻里纠纷",
        version: 3,
        content,
        agreement_hash: HASH,
        signatures,
        effect: seal.map_or(Effect::Pending, Effect::Sealed),
    }
}

/// The text of each page, as a PDF reader extracts it through the font's ToUnicode map, with
/// whitespace removed: wrapping decides where lines end, and that is not what is checked.
fn pages_text(pdf: &[u8]) -> Vec<String> {
    let parsed = lopdf::Document::load_mem(pdf).expect("the output parses as PDF");
    let pages = parsed.get_pages();
    let text = |page: u32| parsed.extract_text(&[page]).expect("the text extracts");
    pages.keys().map(|page| squash(&text(*page))).collect()
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn assert_contains(text: &str, expected: &[&str]) {
    for e in expected {
        assert!(text.contains(&squash(e)), "{e:?} is missing from:\n{text}");
    }
}

#[test]
fn a_chinese_agreement_reads_as_a_people_s_mediation_agreement() {
    let (content, signatures, seal) = (content(), signatures(), seal());
    let pdf = agreement_pdf(
        &document(&content, &signatures, Some(&seal)),
        Language::ZhCn,
    );
    let pages = pages_text(&pdf);
    let all = pages.concat();
    assert_contains(
        &all,
        &["北京市朝阳区望京街道人民调解委员会", "人民调解协议书"],
    );
    assert_contains(&all, &["编号：(2026) 人调字第 12 号", "纠纷类型：邻里纠纷"]);
    assert_contains(
        &all,
        &["当事人：李甲", "性别：女", "年龄：45 岁", "民族：汉族"],
    );
    assert_contains(&all, &["职业或单位：北京某某餐饮管理有限公司 会计"]);
    assert_contains(
        &all,
        &["住址：北京市朝阳区望京街道花家地西里三区 12 号楼 3 单元 502 室"],
    );
    assert_contains(
        &all,
        &["当事人：王乙", "民族：回族", "联系方式：138 0000 1234"],
    );
    assert_contains(
        &all,
        &[
            "纠纷主要事实：",
            &content.facts,
            "争议事项：",
            &content.issues,
        ],
    );
    assert_contains(&all, &["各方当事人的责任：", &content.responsibilities]);
    assert_contains(
        &all,
        &["经调解，自愿达成如下协议：", "一、王乙赔偿李甲厨房吊顶"],
    );
    assert_contains(
        &all,
        &[
            "履行人：王乙",
            "金额：12,345.67 元",
            "履行方式：银行转账至李甲名下账户",
        ],
    );
    assert_contains(
        &all,
        &[
            "履行期限：2026年4月30日前",
            "二、王乙于维修完成前",
            "三、双方",
        ],
    );
    assert_contains(
        &all,
        &["本协议书一式三份，当事人各执一份，人民调解委员会留存一份。"],
    );
    assert_contains(
        &all,
        &[
            "当事人（签名）：",
            "李甲（电子签名）",
            "张丙（委托代理人）（电子签名）",
        ],
    );
    assert_contains(
        &all,
        &[
            "人民调解员（签名）：",
            "赵调解（电子签名）",
            "2026年3月28日",
        ],
    );
    assert_contains(&all, &["人民调解委员会（印章）："]);

    // The signature page stands on its own: everything needed to check the signatures.
    let last = pages.last().expect("pages");
    assert_contains(last, &["电子签名页", "第 3 版", HASH, "序号", "公钥指纹"]);
    assert_contains(
        last,
        &[
            "李甲",
            "当事人",
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
        ],
    );
    assert_contains(last, &["张丙", "委托代理人", "赵调解", "人民调解员"]);
    assert_contains(
        last,
        &["2026-03-28 10:15:09 +08:00", "2026-03-28 10:20:00 +08:00"],
    );
    assert_contains(
        last,
        &[
            "印章公钥指纹：",
            &seal.fingerprint,
            "生效时间：2026-03-28 10:21:30",
        ],
    );
    for (i, page) in pages.iter().enumerate() {
        let footer = format!("第 {} 页 共 {} 页", i + 1, pages.len());
        assert_contains(page, &[&footer, "(2026) 人调字第 12 号 · 第 3 版"]);
    }
}

#[test]
fn an_english_agreement_has_english_labels_and_the_parties_own_words() {
    let (content, signatures, seal) = (content(), signatures(), seal());
    let pdf = agreement_pdf(&document(&content, &signatures, Some(&seal)), Language::En);
    let pages = pages_text(&pdf);
    let all = pages.concat();
    assert_contains(
        &all,
        &["People's Mediation Agreement", "No. (2026) 人调字第 12 号"],
    );
    assert_contains(
        &all,
        &["Party: 李甲", "Sex: female", "Age: 45", "Ethnicity: 汉族"],
    );
    assert_contains(&all, &["Main facts of the dispute:", &content.facts]);
    assert_contains(
        &all,
        &["Through mediation, the parties have voluntarily agreed as follows:"],
    );
    assert_contains(
        &all,
        &[
            "1. 王乙赔偿李甲",
            "Performed by: 王乙",
            "Amount: 12,345.67 yuan",
        ],
    );
    assert_contains(&all, &["Deadline: by 2026-04-30", "It is made in 3 copies"]);
    assert_contains(
        &all,
        &["张丙 (agent) (signed electronically)", "2026-03-28"],
    );
    let last = pages.last().expect("pages");
    assert_contains(
        last,
        &[
            "Electronic signature page",
            "version 3",
            HASH,
            "people's mediator",
        ],
    );
    assert_contains(&pages[0], &[&format!("Page 1 of {}", pages.len())]);
}

#[test]
fn a_document_is_small_and_the_same_every_time() {
    let (content, signatures, seal) = (content(), signatures(), seal());
    let doc = document(&content, &signatures, Some(&seal));
    let pdf = agreement_pdf(&doc, Language::ZhCn);
    // The whole font is 4.4 MiB: only a subset of it is in the file.
    assert!(pdf.len() < 200_000, "{} bytes", pdf.len());
    assert_eq!(pdf, agreement_pdf(&doc, Language::ZhCn));
}

#[test]
fn many_long_terms_run_onto_numbered_pages() {
    let mut content = content();
    let long = "王乙分期向李甲支付维修费用及维修期间的租房费用，每期款项支付后由李甲出具收条，\
        逾期未付的，李甲可就未付部分申请司法确认后强制执行。"
        .repeat(3);
    content.terms = (1..=30)
        .map(|n| Term {
            text: format!("第{n}期：{long}"),
            obligor: Some(participant(2)),
            manner: "银行转账".into(),
            deadline: Some("2026-12-31".into()),
            amount_fen: Some(50_000),
        })
        .collect();
    let pdf = agreement_pdf(&document(&content, &[], None), Language::ZhCn);
    let pages = pages_text(&pdf);
    assert!(pages.len() >= 5, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        assert_contains(page, &[&format!("第 {} 页 共 {} 页", i + 1, pages.len())]);
    }
    let all = pages.concat();
    assert_contains(&all, &["一、第1期", "三十、第30期", &long]);
    // The signature page comes last, on a page of its own.
    assert_contains(
        &pages[pages.len() - 1],
        &["电子签名页", "尚无电子签名。", "本协议尚未生效。"],
    );
    assert!(!pages[pages.len() - 2].contains("电子签名页"));
}

#[test]
fn the_signature_blocks_never_stand_on_a_page_of_their_own() {
    // However long the text, wherever it ends on its page.
    for terms in 1..=12 {
        let mut content = content();
        content.terms = content.terms.into_iter().cycle().take(terms).collect();
        let signatures = signatures();
        let pdf = agreement_pdf(&document(&content, &signatures, None), Language::ZhCn);
        let pages = pages_text(&pdf);
        let signing = pages
            .iter()
            .find(|p| p.contains("当事人（签名）："))
            .expect("signing");
        assert_contains(signing, &["本协议书一式三份", "人民调解委员会（印章）："]);
    }
}

#[test]
fn a_personal_relationship_agreement_says_it_must_be_signed_in_ink() {
    let mut content = content();
    content.personal_relationship = true;
    let pdf = agreement_pdf(&document(&content, &[], None), Language::ZhCn);
    let pages = pages_text(&pdf);
    let notice = "依照《中华人民共和国电子签名法》第三条，电子签名不适用于此类文书";
    let (signature_page, agreement) = pages.split_last().expect("pages");
    assert_contains(&agreement.concat(), &[notice]);
    assert_contains(signature_page, &[notice]);
    // Blank lines to sign on paper, not electronic signatures.
    assert!(!pages.concat().contains("（电子签名）"));

    let pdf = agreement_pdf(&document(&content, &[], None), Language::En);
    assert_contains(
        &pages_text(&pdf).concat(),
        &["Under Article 3 of the Electronic Signature Law"],
    );
}

/// An agreement signed and stamped on paper (ESL 3) prints as the form it was signed on: blank
/// lines for the wet signatures and the stamp, and no electronic seal anywhere, though it is in
/// effect.
#[test]
fn a_paper_signed_agreement_claims_no_electronic_seal() {
    let mut content = content();
    content.personal_relationship = true;
    let mut doc = document(&content, &[], None);
    doc.effect = Effect::OnPaper {
        effective_at: "2026-03-28T02:21:30Z",
    };
    let all = pages_text(&agreement_pdf(&doc, Language::ZhCn)).concat();
    assert_contains(
        &all,
        &[
            "人民调解委员会（印章）：北京市朝阳区望京街道人民调解委员会年月日",
            "人民调解委员会已在纸面原件上加盖印章",
            "本文件未加盖电子印章",
            "生效时间：2026-03-2810:21:30+08:00",
        ],
    );
    for claim in ["（电子印章）", "印章公钥指纹", "盖章时间", "（电子签名）"]
    {
        assert!(
            !all.contains(claim),
            "{claim} is printed on a paper agreement"
        );
    }
}

/// PML 28, 30: an oral agreement is registered, not drawn up as a 协议书; nobody signed it and
/// no seal went on it, and its registration says so.
#[test]
fn an_oral_agreement_prints_as_its_registration() {
    let content = content();
    let mut doc = document(&content, &[], None);
    doc.effect = Effect::Oral {
        effective_at: "2026-03-28T02:21:30Z",
    };
    let pages = pages_text(&agreement_pdf(&doc, Language::ZhCn));
    let all = pages.concat();
    assert_contains(
        &all,
        &[
            "口头协议登记",
            "第二十八条、第三十条",
            "本登记未经当事人签名，亦未加盖人民调解委员会印章",
            HASH,
            "生效时间：2026-03-2810:21:30+08:00",
        ],
    );
    for claim in [
        "人民调解协议书",
        "（电子印章）",
        "电子签名页",
        "印章公钥指纹",
        "（签名）",
        "（印章）",
    ] {
        assert!(
            !all.contains(claim),
            "{claim} is printed on an oral agreement"
        );
    }
    let english = pages_text(&agreement_pdf(&doc, Language::En)).concat();
    assert_contains(
        &english,
        &[
            "Registration of an Oral Agreement",
            "bears no party's signature",
        ],
    );
}

#[test]
fn details_not_given_are_left_out() {
    let mut content = content();
    for party in &mut content.parties {
        *party = PartyDetails {
            participant: party.participant,
            name: party.name.clone(),
            sex: None,
            age: None,
            ethnicity: None,
            occupation: None,
            address: None,
            contact: None,
        };
    }
    let pdf = agreement_pdf(&document(&content, &[], None), Language::ZhCn);
    let all = pages_text(&pdf).concat();
    assert_contains(&all, &["当事人：李甲", "当事人：王乙"]);
    for label in ["性别", "年龄", "民族", "职业或单位", "住址", "联系方式"] {
        assert!(!all.contains(label), "{label} is printed without a value");
    }
}

/// `docs/samples/agreement-zh.pdf` is this test's document. To refresh it after changing the
/// layout: `ACCORD_BLESS=1 cargo test -p accord --lib documents`.
#[test]
fn the_sample_in_docs_is_current() {
    let (content, signatures, seal) = (content(), signatures(), seal());
    let pdf = agreement_pdf(
        &document(&content, &signatures, Some(&seal)),
        Language::ZhCn,
    );
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/samples/agreement-zh.pdf"
    );
    if std::env::var_os("ACCORD_BLESS").is_some() {
        std::fs::write(path, &pdf).expect("the sample is written");
    }
    let committed = std::fs::read(path).unwrap_or_default();
    assert!(
        committed == pdf,
        "{path} is stale: refresh it with ACCORD_BLESS=1"
    );
}
