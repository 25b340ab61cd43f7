//! Reading a bundle's zip archive by hand, strictly.
//!
//! A zip file says what it holds twice: once in each member's local header, once in the
//! central directory at the end. General-purpose readers trust one or the other and keep the
//! last of two members of one name, so an archive with a forged `agreement.pdf` first and the
//! genuine one after, or a local header naming another file than the directory does, shows one
//! thing to this verifier and another to an unzip tool. Bundles are written one way only
//! ([`super::build`]: stored members, one after another, then the directory, no comments), so
//! this reader accepts exactly that layout: every byte of the file belongs to a member, the
//! directory or its end record, each name once, both headers agreeing.
//!
//! Zip format: PKWARE APPNOTE.TXT 6.3, sections 4.3.7 (local header), 4.3.12 (central
//! directory header) and 4.3.16 (end of central directory record).

use crate::record::agreement::VerifyError;

/// No member of a real bundle comes near this; a larger one is refused before it is read.
pub(super) const MAX_MEMBER_BYTES: u64 = 64 * 1024 * 1024;

const LOCAL_SIGNATURE: u32 = 0x0403_4b50;
const CENTRAL_SIGNATURE: u32 = 0x0201_4b50;
const END_SIGNATURE: u32 = 0x0605_4b50;
const LOCAL_LEN: usize = 30;
const CENTRAL_LEN: usize = 46;
const END_LEN: usize = 22;
/// General-purpose flag bit 11: names are UTF-8. Every other flag (encryption, data
/// descriptors, patches...) is something a bundle never uses.
const UTF8_FLAG: u16 = 1 << 11;

/// One member as the archive stores it.
#[derive(Debug)]
pub(super) struct Member<'a> {
    pub(super) name: String,
    pub(super) content: &'a [u8],
}

fn unusable(reason: impl Into<String>) -> VerifyError {
    VerifyError::Unusable(reason.into())
}

fn invalid(reason: impl Into<String>) -> VerifyError {
    VerifyError::Invalid(reason.into())
}

/// Little-endian fields at fixed offsets; reading past the end is a damaged archive.
struct Fields<'a> {
    bytes: &'a [u8],
    at: usize,
    what: &'static str,
}

impl<'a> Fields<'a> {
    fn u16(&self, offset: usize) -> Result<u16, VerifyError> {
        let b = self.slice(offset, 2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&self, offset: usize) -> Result<u32, VerifyError> {
        let b = self.slice(offset, 4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn slice(&self, offset: usize, len: usize) -> Result<&'a [u8], VerifyError> {
        let start = self.at.checked_add(offset);
        start
            .and_then(|s| Some(s..s.checked_add(len)?))
            .and_then(|range| self.bytes.get(range))
            .ok_or_else(|| {
                unusable(format!(
                    "the archive is damaged: {} is cut short",
                    self.what
                ))
            })
    }
}

/// The directory's view of one member.
struct Entry {
    name: String,
    name_bytes: Vec<u8>,
    flags: u16,
    method: u16,
    crc32: u32,
    size: u32,
    local_offset: usize,
}

/// Every member, in the archive's order. `Unusable` when the bytes are no zip archive or a
/// damaged one; `Invalid` when a readable archive holds anything a bundle as written cannot.
pub(super) fn read(bytes: &[u8]) -> Result<Vec<Member<'_>>, VerifyError> {
    let (count, directory_at, directory_end) = end_record(bytes)?;
    let entries = directory(bytes, count, directory_at, directory_end)?;
    let mut members = Vec::with_capacity(entries.len());
    let mut at = 0;
    for entry in &entries {
        if entry.local_offset != at {
            return Err(invalid(format!(
                "{:?} starts at byte {}, where the archive holds {}: bytes were added or \
                 members moved",
                entry.name,
                entry.local_offset,
                if at == 0 {
                    "the start of the file".to_owned()
                } else {
                    "the end of the member before it".to_owned()
                }
            )));
        }
        let (content, next) = local(bytes, entry)?;
        members.push(Member {
            name: entry.name.clone(),
            content,
        });
        at = next;
    }
    if at != directory_at {
        return Err(invalid(format!(
            "{} bytes between the last member and the central directory belong to no member",
            directory_at.saturating_sub(at)
        )));
    }
    Ok(members)
}

/// The end record: it must close the file, with no comment and no second disk. Returns the
/// member count and where the central directory starts and ends.
fn end_record(bytes: &[u8]) -> Result<(usize, usize, usize), VerifyError> {
    // Search back as far as the longest comment could reach, so that an archive with a comment
    // is named as such rather than as no archive at all.
    let earliest = bytes.len().saturating_sub(END_LEN + usize::from(u16::MAX));
    let at = (earliest..=bytes.len().saturating_sub(END_LEN))
        .rev()
        .find(|&at| bytes[at..].starts_with(&END_SIGNATURE.to_le_bytes()))
        .filter(|_| bytes.len() >= END_LEN)
        .ok_or_else(|| unusable("not a zip archive: it has no end of central directory record"))?;
    let end = Fields {
        bytes,
        at,
        what: "the end of central directory record",
    };
    if at + END_LEN != bytes.len() {
        return Err(invalid(format!(
            "the archive ends with {} bytes that belong to no member (a comment or appended \
             data)",
            bytes.len() - at - END_LEN
        )));
    }
    if end.u16(20)? != 0 {
        return Err(unusable(
            "the archive is damaged: its end record announces a comment that is not there",
        ));
    }
    let (disk, directory_disk) = (end.u16(4)?, end.u16(6)?);
    let (on_disk, total) = (end.u16(8)?, end.u16(10)?);
    if disk != 0 || directory_disk != 0 || on_disk != total {
        return Err(invalid("the archive claims to span several disks"));
    }
    let size = end.u32(12)? as usize;
    let directory_at = end.u32(16)? as usize;
    if directory_at.checked_add(size) != Some(at) {
        return Err(invalid(
            "the central directory does not end where the end record begins: bytes were \
             added between them (or the archive uses Zip64, which no bundle does)",
        ));
    }
    Ok((usize::from(total), directory_at, at))
}

/// The central directory: exactly `count` entries filling it, no name twice.
fn directory(
    bytes: &[u8],
    count: usize,
    directory_at: usize,
    directory_end: usize,
) -> Result<Vec<Entry>, VerifyError> {
    let mut entries: Vec<Entry> = Vec::with_capacity(count.min(64));
    let mut at = directory_at;
    for index in 0..count {
        let header = Fields {
            bytes,
            at,
            what: "a central directory entry",
        };
        if header.u32(0)? != CENTRAL_SIGNATURE {
            return Err(invalid(format!(
                "central directory entry {index} is not where the directory says"
            )));
        }
        let name_len = usize::from(header.u16(28)?);
        let (extra_len, comment_len) = (header.u16(30)?, header.u16(32)?);
        let name_bytes = header.slice(CENTRAL_LEN, name_len)?.to_vec();
        let name = String::from_utf8(name_bytes.clone())
            .map_err(|_| invalid(format!("member {index}'s name is not UTF-8")))?;
        if extra_len != 0 || comment_len != 0 {
            return Err(invalid(format!(
                "{name:?} carries extra fields or a comment in the central directory, which no \
                 bundle has"
            )));
        }
        if header.u16(34)? != 0 {
            return Err(invalid(format!("{name:?} claims to be on another disk")));
        }
        if entries.iter().any(|e| e.name_bytes == name_bytes) {
            return Err(invalid(format!(
                "{name:?} appears twice in the archive: which copy counts depends on who reads it"
            )));
        }
        let compressed = header.u32(20)?;
        let size = header.u32(24)?;
        if compressed != size {
            return Err(invalid(format!(
                "{name:?} is compressed, and a bundle's members are stored"
            )));
        }
        entries.push(Entry {
            name,
            name_bytes,
            flags: header.u16(8)?,
            method: header.u16(10)?,
            crc32: header.u32(16)?,
            size,
            local_offset: header.u32(42)? as usize,
        });
        at += CENTRAL_LEN + name_len;
    }
    if at != directory_end {
        return Err(invalid(format!(
            "the central directory holds more than its {count} entries"
        )));
    }
    Ok(entries)
}

/// A member's local header, which must say what the directory says, and its content. Returns
/// the content and where the next member starts.
fn local<'a>(bytes: &'a [u8], entry: &Entry) -> Result<(&'a [u8], usize), VerifyError> {
    let name = &entry.name;
    let header = Fields {
        bytes,
        at: entry.local_offset,
        what: "a member's local header",
    };
    if header.u32(0)? != LOCAL_SIGNATURE {
        return Err(invalid(format!(
            "{name:?} has no local header where the directory says"
        )));
    }
    let name_len = usize::from(header.u16(26)?);
    let extra_len = header.u16(28)?;
    let local_name = header.slice(LOCAL_LEN, name_len)?;
    if local_name != entry.name_bytes.as_slice() {
        return Err(invalid(format!(
            "the central directory calls a member {name:?}, its local header {:?}: two readers \
             would see two different archives",
            String::from_utf8_lossy(local_name)
        )));
    }
    if extra_len != 0 {
        return Err(invalid(format!(
            "{name:?} carries extra fields in its local header, which no bundle has"
        )));
    }
    let flags = header.u16(6)?;
    let same = flags == entry.flags
        && header.u16(8)? == entry.method
        && header.u32(14)? == entry.crc32
        && header.u32(18)? == entry.size
        && header.u32(22)? == entry.size;
    if !same {
        return Err(invalid(format!(
            "{name:?}: its local header and the central directory disagree"
        )));
    }
    if entry.flags & !UTF8_FLAG != 0 || entry.method != 0 {
        return Err(invalid(format!(
            "{name:?} is encrypted, compressed or written in parts, and a bundle's members are \
             stored whole"
        )));
    }
    if u64::from(entry.size) > MAX_MEMBER_BYTES {
        return Err(invalid(format!("{name:?} is implausibly large")));
    }
    let content = header.slice(LOCAL_LEN + name_len, entry.size as usize)?;
    if crc32fast::hash(content) != entry.crc32 {
        return Err(invalid(format!(
            "{name:?} was altered: its CRC-32 is not the one the archive records"
        )));
    }
    Ok((
        content,
        entry.local_offset + LOCAL_LEN + name_len + content.len(),
    ))
}
