//! Printable documents: the mediation agreement as a PDF in the layout of a 人民调解协议书.
//!
//! Pure, like `domain/` and `record/`: a description of the document comes in and PDF bytes go
//! out; nothing here reads a file, a clock or a random number. The same input gives the same
//! bytes, so a rendered document can itself be hashed. The CJK font is compiled in and a subset
//! of it is embedded in each document, so the Chinese renders anywhere and copies out as text.
//!
//! - `agreement` says what goes where (PML 29), `words` says it in Chinese or English,
//! - `layout` flows text onto A4 pages, `wrap` breaks lines, `pdf` and `font` write the file.

mod agreement;
mod font;
mod layout;
mod pdf;
mod words;
mod wrap;

#[cfg(test)]
mod tests;

use crate::domain::agreement::AgreementContent;
use crate::domain::staff::Language;

/// One version of an agreement as it is to be printed, with whatever signatures and seal it
/// has so far. Party-entered text is printed as entered, whatever `language` is.
#[derive(Debug, Clone, Copy)]
pub struct AgreementDocument<'a> {
    /// The people's mediation committee (人民调解委员会) that mediated.
    pub committee: &'a str,
    /// The dossier number, e.g. "(2026) 人调字第 12 号".
    pub case_number: &'a str,
    /// The dispute type, already a label in the document's language.
    pub dispute_type: &'a str,
    pub version: u64,
    pub content: &'a AgreementContent,
    /// Hex SHA-256 of the canonical bytes of this version: what every signature covers.
    pub agreement_hash: &'a str,
    /// In signing order.
    pub signatures: &'a [SignatureLine],
    /// Whether and how this version took effect, as the case's record shows it: the document
    /// claims a seal only where one was applied.
    pub effect: Effect<'a>,
}

/// How an agreement took effect. Each route prints what it really is, and nothing more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect<'a> {
    /// Not in effect: still to be signed, or signed in part.
    Pending,
    /// Every signature given and the committee's electronic seal applied (PML 29, OMR 19).
    Sealed(&'a SealLine),
    /// Signed in ink and stamped on paper (ESL 3): the paper original is the agreement, and
    /// this document is its form, with blank lines. RFC 3339 of when it took effect.
    OnPaper { effective_at: &'a str },
    /// An oral agreement the mediator registered (PML 28, 30): it is printed as the
    /// registration of an oral agreement (口头协议登记), with no signature and no seal.
    Oral { effective_at: &'a str },
}

impl<'a> Effect<'a> {
    fn seal(self) -> Option<&'a SealLine> {
        match self {
            Effect::Sealed(seal) => Some(seal),
            _ => None,
        }
    }

    fn effective_at(self) -> Option<&'a str> {
        match self {
            Effect::Pending => None,
            Effect::Sealed(seal) => Some(&seal.sealed_at),
            Effect::OnPaper { effective_at } | Effect::Oral { effective_at } => Some(effective_at),
        }
    }

    /// Whether the signatures are electronic: not for an agreement that ESL 3 keeps on
    /// paper, nor for one signed there, nor for an oral one.
    fn electronic(self, personal_relationship: bool) -> bool {
        !personal_relationship && matches!(self, Effect::Pending | Effect::Sealed(_))
    }
}

/// Who signed, in what capacity, with which key, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureLine {
    pub name: String,
    pub role: SignerRole,
    /// The fingerprint (JWK thumbprint) of the public key the signature verifies with.
    pub key_thumbprint: String,
    /// RFC 3339.
    pub signed_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignerRole {
    Party,
    /// Signs for a party under a power of attorney.
    Agent,
    Mediator,
}

/// The committee's electronic seal (OMR 19).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealLine {
    /// The fingerprint of the committee's published seal key.
    pub fingerprint: String,
    /// RFC 3339.
    pub sealed_at: String,
}

/// The agreement as an A4 PDF: the agreement itself, then an electronic signature page.
pub fn agreement_pdf(doc: &AgreementDocument<'_>, language: Language) -> Vec<u8> {
    let font = font::Font::shipped();
    let words = words::Words::new(language);
    let pages = agreement::lay_out(doc, &words, &font);
    let meta = pdf::Meta {
        title: format!("{} {}", words.title_of(doc.effect), doc.case_number),
        language: language.as_str(),
    };
    pdf::write(&pages, &font, &meta)
}
