//! The one place the server reads the time. Tests replace it with a clock they move by hand, so
//! that expiry rules are tested without waiting.

use crate::domain::Timestamp;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct Clock {
    manual: Option<Arc<AtomicI64>>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock that stands still at `start` until [`Clock::advance`] moves it.
    pub fn manual(start: Timestamp) -> Self {
        Self {
            manual: Some(Arc::new(AtomicI64::new(start.millis()))),
        }
    }

    pub fn now(&self) -> Timestamp {
        match &self.manual {
            Some(ms) => Timestamp::from_millis(ms.load(Ordering::SeqCst)),
            None => {
                let since_epoch = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default();
                Timestamp::from_millis(i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX))
            }
        }
    }

    /// Moves a manual clock forward; a system clock ignores it.
    pub fn advance(&self, ms: i64) {
        if let Some(clock) = &self.manual {
            clock.fetch_add(ms, Ordering::SeqCst);
        }
    }
}
