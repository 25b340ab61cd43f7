//! A zip writer by hand, for archives no zip library would write: a name
//! twice, or a local header that names another file than the directory. Also
//! used by the CLI tests (`server/tests/verify.rs`).

/// One stored member: the name in its local header, the name in the
/// central directory, and its bytes.
pub(crate) struct Raw<'a> {
    pub(crate) local: &'a str,
    pub(crate) central: &'a str,
    pub(crate) content: &'a [u8],
}

/// Writes stored members and their central directory by hand (APPNOTE 4.3).
pub(crate) fn raw_zip(entries: &[Raw<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for entry in entries {
        let offset = u32::try_from(out.len()).unwrap();
        let crc = crc32fast::hash(entry.content);
        let size = u32::try_from(entry.content.len()).unwrap();
        let local_name = u16::try_from(entry.local.len()).unwrap();
        out.extend(0x0403_4b50_u32.to_le_bytes());
        out.extend([20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]); // version, flags, method, time, date
        out.extend(crc.to_le_bytes());
        out.extend(size.to_le_bytes());
        out.extend(size.to_le_bytes());
        out.extend(local_name.to_le_bytes());
        out.extend(0_u16.to_le_bytes());
        out.extend(entry.local.as_bytes());
        out.extend(entry.content);
        let central_name = u16::try_from(entry.central.len()).unwrap();
        directory.extend(0x0201_4b50_u32.to_le_bytes());
        directory.extend([20, 3, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
        directory.extend(crc.to_le_bytes());
        directory.extend(size.to_le_bytes());
        directory.extend(size.to_le_bytes());
        directory.extend(central_name.to_le_bytes());
        directory.extend([0; 8]); // extra, comment, disk, internal attributes
        directory.extend((0o100_644_u32 << 16).to_le_bytes());
        directory.extend(offset.to_le_bytes());
        directory.extend(entry.central.as_bytes());
    }
    let count = u16::try_from(entries.len()).unwrap();
    let at = u32::try_from(out.len()).unwrap();
    let size = u32::try_from(directory.len()).unwrap();
    out.extend(directory);
    out.extend(0x0605_4b50_u32.to_le_bytes());
    out.extend([0, 0, 0, 0]);
    out.extend(count.to_le_bytes());
    out.extend(count.to_le_bytes());
    out.extend(size.to_le_bytes());
    out.extend(at.to_le_bytes());
    out.extend([0, 0]);
    out
}
