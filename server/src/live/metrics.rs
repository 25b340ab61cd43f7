//! Figures of the live sessions, for `/metrics`.

use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

#[derive(Debug, Clone, Default)]
pub struct LiveMetrics {
    pub(super) sessions: Gauge,
    pub(super) participants: Gauge,
}

impl LiveMetrics {
    pub fn register(&self, registry: &mut Registry) {
        registry.register(
            "live_sessions",
            "Live sessions running",
            self.sessions.clone(),
        );
        registry.register(
            "live_participants",
            "People connected to live sessions, waiting or admitted",
            self.participants.clone(),
        );
    }
}
