//! What goes where on a 人民调解协议书: the contents PML 29 requires, in the order of the usual
//! form, then a page that records the electronic signatures and the seal (ESL 13, OMR 19). An
//! oral agreement prints as its registration (口头协议登记, PML 28, 30), with neither.

use super::font::Font;
use super::layout::{Align, Flow, Indent, Page, Style};
use super::words::Words;
use super::{AgreementDocument, Effect, SignatureLine, SignerRole};
use crate::domain::agreement::PartyDetails;

const TITLE: Style = Style::bold(22.0);
const SUBTITLE: Style = Style::regular(14.0);
const BODY: Style = Style::regular(12.0);
const HEADING: Style = Style::bold(12.0);
const SMALL: Style = Style::regular(10.0);
/// Between sections, in points.
const GAP: f32 = 6.0;

pub(super) fn lay_out(doc: &AgreementDocument<'_>, words: &Words, font: &Font) -> Vec<Page> {
    let mut flow = Flow::new(font);
    heading(&mut flow, doc, words);
    for party in &doc.content.parties {
        party_details(&mut flow, party, words);
    }
    flow.labelled(words.dispute_type(), doc.dispute_type, BODY, 0.0);
    dispute(&mut flow, doc, words);
    terms(&mut flow, doc, words);
    if let Effect::Oral { effective_at } = doc.effect {
        oral_registration(&mut flow, doc, words, effective_at);
    } else {
        signatures(&mut flow, doc, words);
        flow.new_page();
        signature_page(&mut flow, doc, words);
    }
    let corner = format!("{} · {}", doc.case_number, words.version(doc.version));
    flow.finish(|page, pages| (corner.clone(), words.page_of(page, pages)))
}

fn heading(flow: &mut Flow<'_>, doc: &AgreementDocument<'_>, words: &Words) {
    flow.aligned(doc.committee, SUBTITLE, Align::Centre);
    flow.aligned(words.title_of(doc.effect), TITLE, Align::Centre);
    flow.space(GAP);
    let number = format!("{}{}", words.number(), doc.case_number);
    flow.aligned(&number, BODY, Align::Right);
    flow.space(GAP);
}

/// PML 29(1): each party's name, sex, age, ethnicity, occupation or employer, address and
/// contact; whatever was not given is left out rather than printed empty.
fn party_details(flow: &mut Flow<'_>, party: &PartyDetails, words: &Words) {
    flow.keep(Flow::lines(BODY, 3));
    flow.labelled(words.party(), &party.name, HEADING, 0.0);
    let short = [
        (party.sex).map(|sex| format!("{}{}", words.sex(), words.sex_value(sex))),
        (party.age).map(|age| format!("{}{}", words.age(), words.age_value(age))),
        (party.ethnicity.as_ref()).map(|e| format!("{}{e}", words.ethnicity())),
    ];
    short_fields(flow, short.into_iter().flatten().collect());
    for (label, value) in [
        (words.occupation(), &party.occupation),
        (words.address(), &party.address),
        (words.contact(), &party.contact),
    ] {
        if let Some(value) = value {
            flow.labelled(label, value, BODY, 2.0);
        }
    }
    flow.space(GAP / 2.0);
}

/// PML 29(2): the main facts, the issues in dispute, and each party's responsibility.
fn dispute(flow: &mut Flow<'_>, doc: &AgreementDocument<'_>, words: &Words) {
    let content = doc.content;
    for (label, text) in [
        (words.facts(), &content.facts),
        (words.issues(), &content.issues),
        (words.responsibilities(), &content.responsibilities),
    ] {
        flow.space(GAP);
        flow.keep(Flow::lines(BODY, 3));
        flow.paragraph(label, HEADING, Indent::NONE);
        flow.paragraph(text, BODY, Indent::PARAGRAPH);
    }
}

/// PML 29(3): the terms agreed, each with who performs it, the sum, and the manner and deadline
/// of performance.
fn terms(flow: &mut Flow<'_>, doc: &AgreementDocument<'_>, words: &Words) {
    flow.space(GAP);
    flow.keep(Flow::lines(BODY, 3));
    flow.paragraph(words.agreed(), HEADING, Indent::NONE);
    for (i, term) in doc.content.terms.iter().enumerate() {
        flow.space(GAP / 2.0);
        flow.keep(Flow::lines(BODY, 2));
        let text = format!("{}{}", words.term_number(i + 1), term.text);
        flow.paragraph(&text, BODY, Indent::PARAGRAPH);
        let obligor = term.obligor.and_then(|obligor| {
            let parties = &doc.content.parties;
            parties.iter().find(|p| p.participant == obligor)
        });
        let short = [
            obligor.map(|party| format!("{}{}", words.obligor(), party.name)),
            (term.amount_fen).map(|fen| format!("{}{}", words.amount(), words.yuan(fen))),
            (term.deadline.as_deref())
                .map(|date| format!("{}{}", words.deadline(), words.deadline_value(date))),
        ];
        short_fields(flow, short.into_iter().flatten().collect());
        flow.labelled(words.manner(), &term.manner, BODY, 2.0);
    }
}

/// Short fields share a line, set apart by two ideographic spaces.
fn short_fields(flow: &mut Flow<'_>, fields: Vec<String>) {
    if !fields.is_empty() {
        let indent = Indent::hanging(2.0, 2.0);
        flow.paragraph(&fields.join("\u{3000}\u{3000}"), BODY, indent);
    }
}

/// The closing statement and the blocks where parties and mediator sign and the committee seals
/// (PML 29). Electronic signatures are shown by name and date; where there are none yet, or
/// where ESL 3 rules them out, there are blank lines to sign on paper.
fn signatures(flow: &mut Flow<'_>, doc: &AgreementDocument<'_>, words: &Words) {
    let content = doc.content;
    let electronic = doc.effect.electronic(content.personal_relationship);
    let signed = |roles: &[SignerRole]| -> Vec<&SignatureLine> {
        let by_role = doc.signatures.iter().filter(|s| roles.contains(&s.role));
        by_role.filter(|_| electronic).collect()
    };
    let parties = signed(&[SignerRole::Party, SignerRole::Agent]);
    let mediators = signed(&[SignerRole::Mediator]);

    // The signature blocks share a page with the end of the text, never stand on a page of
    // their own that could be put under another text (why Chinese documents write 此页无正文).
    let rows = content.parties.len().max(parties.len()) + mediators.len().max(1) + 1;
    let notice = if electronic { 0 } else { 5 };
    flow.space(GAP);
    flow.keep(Flow::lines(BODY, 4 + notice + 3 + rows));
    let copies = content.parties.len() + 1;
    flow.paragraph(&words.closing(copies), BODY, Indent::PARAGRAPH);
    if !electronic {
        flow.space(GAP);
        flow.boxed(words.wet_ink_only(), HEADING);
    }

    let row = |flow: &mut Flow<'_>, signature: &SignatureLine| {
        let who = words.signer(&signature.name, signature.role);
        let who = format!("{who}{}", words.signed_electronically());
        flow.signature_row(&who, false, &words.date_of(&signature.signed_at), BODY);
    };
    flow.space(2.0 * GAP);
    flow.paragraph(words.parties_sign(), HEADING, Indent::NONE);
    if parties.is_empty() {
        for party in &content.parties {
            flow.signature_row(&party.name, true, words.blank_date(), BODY);
        }
    }
    parties.into_iter().for_each(|s| row(flow, s));

    flow.keep(Flow::lines(BODY, mediators.len().max(1) + 1));
    flow.paragraph(words.mediator_sign(), HEADING, Indent::NONE);
    if mediators.is_empty() {
        flow.signature_row("", true, words.blank_date(), BODY);
    }
    mediators.into_iter().for_each(|s| row(flow, s));

    flow.keep(Flow::lines(BODY, 2));
    flow.paragraph(words.committee_seal(), HEADING, Indent::NONE);
    match doc.effect.seal() {
        Some(seal) => {
            let who = format!("{}{}", doc.committee, words.sealed_electronically());
            flow.signature_row(&who, false, &words.date_of(&seal.sealed_at), BODY);
        }
        None => flow.signature_row(doc.committee, false, words.blank_date(), BODY),
    }
    if electronic && (!doc.signatures.is_empty() || doc.effect.seal().is_some()) {
        flow.space(GAP);
        flow.paragraph(words.see_signature_page(), SMALL, Indent::NONE);
    }
}

/// What a court or a party needs to check the electronic signatures: which version, its
/// digest, and each signer's key and time, then the seal and when the agreement took effect.
fn signature_page(flow: &mut Flow<'_>, doc: &AgreementDocument<'_>, words: &Words) {
    flow.aligned(words.signature_page(), Style::bold(18.0), Align::Centre);
    flow.space(GAP);
    let intro = words.signature_page_intro(doc.case_number, doc.version);
    flow.paragraph(&intro, BODY, Indent::PARAGRAPH);
    flow.space(GAP);
    flow.labelled(words.number(), doc.case_number, BODY, 0.0);
    version_and_digest(flow, doc, words);
    if doc.content.personal_relationship {
        flow.space(GAP);
        flow.boxed(words.wet_ink_only(), HEADING);
    }

    flow.space(2.0 * GAP);
    flow.keep(Flow::lines(BODY, 4));
    flow.paragraph(words.signatures(), HEADING, Indent::NONE);
    if doc.signatures.is_empty() {
        flow.paragraph(words.no_signatures(), BODY, Indent::NONE);
    } else {
        let rows: Vec<Vec<String>> = (doc.signatures.iter().enumerate())
            .map(|(i, s)| {
                let role = words.role(s.role).to_owned();
                let at = words.moment(&s.signed_at);
                vec![
                    (i + 1).to_string(),
                    s.name.clone(),
                    role,
                    s.key_thumbprint.clone(),
                    at,
                ]
            })
            .collect();
        flow.table(
            &[1.0, 3.0, 2.5, 6.0, 4.0],
            &words.signature_table_header(),
            &rows,
        );
    }

    flow.space(2.0 * GAP);
    flow.keep(Flow::lines(BODY, 4));
    flow.paragraph(words.seal(), HEADING, Indent::NONE);
    flow.labelled(words.committee(), doc.committee, BODY, 0.0);
    match doc.effect {
        Effect::Sealed(seal) => {
            flow.labelled(words.seal_key(), &seal.fingerprint, BODY, 0.0);
            flow.labelled(words.sealed_at(), &words.moment(&seal.sealed_at), BODY, 0.0);
        }
        Effect::OnPaper { .. } => flow.paragraph(words.sealed_on_paper(), BODY, Indent::NONE),
        Effect::Pending | Effect::Oral { .. } => {
            flow.paragraph(words.not_sealed(), BODY, Indent::NONE);
        }
    }
    flow.space(GAP);
    match doc.effect.effective_at() {
        Some(at) => flow.labelled(words.effective_at(), &words.moment(at), HEADING, 0.0),
        None => flow.paragraph(words.not_effective(), HEADING, Indent::NONE),
    }
}

/// PML 28, 30: an oral agreement binds from the parties' assent, and the mediator registers
/// it. Nobody signed it and no seal went on it, so the registration shows neither, only which
/// version was registered, its digest, and since when it is in effect.
fn oral_registration(flow: &mut Flow<'_>, doc: &AgreementDocument<'_>, words: &Words, at: &str) {
    flow.space(GAP);
    flow.keep(Flow::lines(BODY, 8));
    flow.paragraph(words.oral_statement(), BODY, Indent::PARAGRAPH);
    flow.space(GAP);
    version_and_digest(flow, doc, words);
    flow.labelled(words.effective_at(), &words.moment(at), HEADING, 0.0);
}

/// Which version this is and the digest every signature (or registration) covers.
fn version_and_digest(flow: &mut Flow<'_>, doc: &AgreementDocument<'_>, words: &Words) {
    flow.labelled(
        words.version_label(),
        &words.version_value(doc.version),
        BODY,
        0.0,
    );
    flow.paragraph(words.digest(), BODY, Indent::NONE);
    flow.paragraph(doc.agreement_hash, SMALL, Indent::hanging(2.0, 2.0));
}
