//! Sequence-number splicing for forwarded streams whose gate was shut for a while.

/// Keeps a forwarded stream's sequence numbers continuous across the time its gate was shut,
/// so that the subscriber sees a pause, not thousands of lost packets to NACK. Gaps within an
/// epoch (real loss, queue drops) are kept: they are losses.
#[derive(Debug, Default)]
pub(crate) struct SequenceSplicer {
    epoch: Option<u64>,
    offset: u16,
    highest: Option<u16>,
}

impl SequenceSplicer {
    pub(crate) fn splice(&mut self, epoch: u64, sequence: u16) -> u16 {
        if self.epoch != Some(epoch) {
            self.epoch = Some(epoch);
            self.offset = self
                .highest
                .map_or(0, |highest| highest.wrapping_add(1).wrapping_sub(sequence));
        }
        let out = sequence.wrapping_add(self.offset);
        match self.highest {
            Some(highest) if out.wrapping_sub(highest) >= 0x8000 || out == highest => {}
            _ => self.highest = Some(out),
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::SequenceSplicer;

    #[test]
    fn the_first_epoch_keeps_sequence_numbers() {
        let mut s = SequenceSplicer::default();
        assert_eq!(s.splice(1, 1000), 1000);
        assert_eq!(s.splice(1, 1001), 1001);
        assert_eq!(s.splice(1, 1003), 1003, "a loss stays a gap");
        assert_eq!(s.splice(1, 1002), 1002, "a late packet keeps its place");
    }

    #[test]
    fn a_reopened_gate_continues_where_the_stream_stopped() {
        let mut s = SequenceSplicer::default();
        s.splice(1, 1000);
        s.splice(1, 1001);
        assert_eq!(s.splice(2, 4000), 1002);
        assert_eq!(s.splice(2, 4001), 1003);
        assert_eq!(s.splice(3, 10), 1004);
    }

    #[test]
    fn splicing_wraps_around() {
        let mut s = SequenceSplicer::default();
        s.splice(1, 65534);
        assert_eq!(s.splice(1, 65535), 65535);
        assert_eq!(s.splice(1, 0), 0);
        assert_eq!(s.splice(2, 30000), 1);
        assert_eq!(s.splice(2, 29999), 0, "reordered before the splice point");
        assert_eq!(s.splice(2, 30001), 2);
    }
}
