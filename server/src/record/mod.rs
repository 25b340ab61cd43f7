//! The record of a case as evidence.
//!
//! A mediated agreement may end up before a court, so what happened in a case
//! must be provable afterwards, byte for byte. This module holds the two
//! pieces that make that possible:
//!
//! - [`canonical`]: RFC 8785 canonical JSON, so that the same logical value
//!   always hashes to the same bytes, whoever serialises it and in whatever
//!   language they do;
//! - [`chain`]: the hash-chained event log of a case, so that changing,
//!   removing or reordering any recorded event is detectable;
//! - [`commitment`]: the SHA-256 the chain keeps of texts stored apart
//!   (chat messages, the mediator's notes);
//! - [`signature`]: the signers' WebCrypto ECDSA P-256 keys and signatures,
//!   and the committee's Ed25519 seal;
//! - [`bundle`]: the judicial-confirmation bundle (a sealed zip) and its offline check;
//! - [`agreement`]: the signed and sealed agreement package, built for
//!   export and verified offline (`accord verify`).
//!
//! Everything here is pure — no IO, no clocks, no database — so it can be
//! tested exhaustively and reused by an offline verifier.

pub mod agreement;
pub mod bundle;
pub mod canonical;
pub mod chain;
pub mod commitment;
pub mod signature;
