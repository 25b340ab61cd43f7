//! Writing a bundle: deterministic bytes, sealed manifest, and a check before handing it out.

use std::io::{Cursor, Write as _};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::{
    verify_bundle, BundleContents, BundleError, Manifest, ManifestEntry, SealFile, FORMAT,
    MANIFEST, SEAL,
};
use crate::record::signature::{seal, SealKey};

/// Builds the bundle and verifies it before returning it: a bundle that would not verify is
/// never handed to a court.
pub fn build_bundle(contents: &BundleContents, key: &SealKey) -> Result<Vec<u8>, BundleError> {
    let members: Vec<(&str, Vec<u8>)> = vec![
        ("agreement.json", contents.package.clone()),
        ("agreement.pdf", contents.pdf.clone()),
        ("application.json", pretty(&contents.application)?),
        ("events.json", pretty(&contents.events)?),
        ("identities.json", pretty(&contents.identities)?),
        ("presided.json", pretty(&contents.presided)?),
    ];
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        case_id: contents.case_id.clone(),
        application_id: contents.application_id.clone(),
        members: members
            .iter()
            .map(|(name, bytes)| ManifestEntry {
                name: (*name).to_owned(),
                sha256: hex::encode(Sha256::digest(bytes)),
                size: bytes.len() as u64,
            })
            .collect(),
    };
    let manifest_bytes = pretty(&manifest)?;
    let seal_file = SealFile {
        public_key: key.public_key().to_base64url(),
        signature: seal(key, &manifest_bytes).to_base64url(),
    };
    let seal_bytes = pretty(&seal_file)?;
    let mut names: Vec<(&str, &[u8])> = members.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    names.push((MANIFEST, &manifest_bytes));
    names.push((SEAL, &seal_bytes));
    names.sort_by_key(|(name, _)| *name);
    let bytes = write_zip(&names).map_err(|e| BundleError::Write(e.to_string()))?;
    verify_bundle(&bytes).map_err(BundleError::WouldNotVerify)?;
    Ok(bytes)
}

/// Stored members with a fixed time and mode: the same members always give the same bytes.
pub(super) fn write_zip(members: &[(&str, &[u8])]) -> zip::result::ZipResult<Vec<u8>> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in members {
        zip.start_file(*name, options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

fn pretty<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, BundleError> {
    serde_json::to_vec_pretty(value).map_err(|e| BundleError::Write(e.to_string()))
}
