//! The agenda of a mediation (议程): the items the mediator means to go through, in order, each
//! pending, in progress, done or skipped, and the time spent on it. Every participant of the case
//! reads it; the assigned mediators keep it (`CaseAction::KeepRecord`).
//!
//! The agenda is short, so a change is applied to the whole of it: [`Agenda::apply`] checks a
//! command and returns the event that records it. Time spent counts in whole seconds from the
//! moment an item starts until it is finished or skipped; `now` is handed in, never read.

use super::events::CaseEvent;
use super::ids::AgendaItemId;
use super::labels::labelled_enum;
use super::{bounded_text, optional_text, Invalid, Timestamp};

labelled_enum! {
    pub enum AgendaStatus {
        Pending = "pending",
        InProgress = "in_progress",
        Done = "done",
        Skipped = "skipped",
    }
}

labelled_enum! {
    /// What the mediator does with one item as the mediation goes through it.
    pub enum AgendaStep {
        /// Take the item up: a pending one, or one skipped earlier.
        Start = "start",
        /// Close the item in progress.
        Finish = "finish",
        /// Pass over an item, pending or in progress; it can be taken up again later.
        Skip = "skip",
    }
}

/// More items than a sitting could go through: a sign of a runaway client, not of a mediation.
pub const MAX_ITEMS: usize = 50;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 2000;

/// An item's words as the mediator typed them, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaDraft {
    pub title: String,
    pub description: Option<String>,
}

impl AgendaDraft {
    pub fn parse(title: &str, description: Option<&str>) -> Result<Self, Invalid> {
        let mut invalid = Invalid::default();
        let title = invalid.take("title", bounded_text(title, 1, MAX_TITLE_CHARS));
        let description = invalid.take(
            "description",
            optional_text(description, MAX_DESCRIPTION_CHARS),
        );
        match (title, description) {
            (Some(title), Some(description)) if invalid.is_empty() => {
                Ok(Self { title, description })
            }
            _ => Err(invalid),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    pub id: AgendaItemId,
    pub title: String,
    pub description: Option<String>,
    pub status: AgendaStatus,
    /// Whole seconds spent on the item in stretches that have closed; the stretch running
    /// since `started_at` is not in it yet.
    pub seconds_spent: i64,
    /// When the item in progress was taken up.
    pub started_at: Option<Timestamp>,
}

impl AgendaItem {
    /// The time spent including the running stretch, as of `now`.
    pub fn seconds_at(&self, now: Timestamp) -> i64 {
        self.seconds_spent + self.started_at.map_or(0, |at| elapsed(at, now))
    }
}

/// Whole seconds from `from` to `to`; a clock that stepped back counts as no time.
fn elapsed(from: Timestamp, to: Timestamp) -> i64 {
    (to.millis() - from.millis()).max(0) / 1000
}

/// A change a mediator asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgendaCommand {
    /// A new item at the end; the caller makes its id.
    Add {
        id: AgendaItemId,
        draft: AgendaDraft,
    },
    Edit {
        id: AgendaItemId,
        draft: AgendaDraft,
    },
    /// Every item of the agenda, in the new order.
    Reorder(Vec<AgendaItemId>),
    Step {
        id: AgendaItemId,
        step: AgendaStep,
    },
    Delete(AgendaItemId),
}

/// Why a change is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgendaRefusal {
    #[error("no such agenda item")]
    UnknownItem,
    #[error("an item that is {status} cannot {step}")]
    StepNotAllowed {
        status: AgendaStatus,
        step: AgendaStep,
    },
    /// One item at a time: the time spent is the time the mediation spent on it.
    #[error("another item is in progress: finish or skip it first")]
    AnotherInProgress,
    #[error("an item in progress cannot be deleted: finish or skip it first")]
    DeleteInProgress,
    #[error("an agenda holds at most {MAX_ITEMS} items")]
    Full,
    #[error("the new order must name every item of the agenda exactly once")]
    NotAPermutation,
}

/// A case's agenda, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Agenda {
    items: Vec<AgendaItem>,
}

impl Agenda {
    /// The agenda of `items`, already in their order.
    pub fn new(items: Vec<AgendaItem>) -> Self {
        Self { items }
    }

    pub fn items(&self) -> &[AgendaItem] {
        &self.items
    }

    pub fn into_items(self) -> Vec<AgendaItem> {
        self.items
    }

    /// Applies `command` at `now`, or says why not (leaving the agenda as it was). The event is
    /// what the case's record keeps of the change.
    pub fn apply(
        &mut self,
        command: AgendaCommand,
        now: Timestamp,
    ) -> Result<CaseEvent, AgendaRefusal> {
        match command {
            AgendaCommand::Add { id, draft } => self.add(id, draft),
            AgendaCommand::Edit { id, draft } => {
                let item = self.item_mut(id)?;
                item.title.clone_from(&draft.title);
                item.description.clone_from(&draft.description);
                Ok(CaseEvent::AgendaItemEdited {
                    item: id,
                    title: draft.title,
                    description: draft.description,
                })
            }
            AgendaCommand::Reorder(order) => self.reorder(order),
            AgendaCommand::Step { id, step } => self.step(id, step, now),
            AgendaCommand::Delete(id) => {
                let at = self.position(id)?;
                if self.items[at].status == AgendaStatus::InProgress {
                    return Err(AgendaRefusal::DeleteInProgress);
                }
                self.items.remove(at);
                Ok(CaseEvent::AgendaItemDeleted { item: id })
            }
        }
    }

    fn position(&self, id: AgendaItemId) -> Result<usize, AgendaRefusal> {
        self.items
            .iter()
            .position(|item| item.id == id)
            .ok_or(AgendaRefusal::UnknownItem)
    }

    fn item_mut(&mut self, id: AgendaItemId) -> Result<&mut AgendaItem, AgendaRefusal> {
        let at = self.position(id)?;
        Ok(&mut self.items[at])
    }

    fn add(&mut self, id: AgendaItemId, draft: AgendaDraft) -> Result<CaseEvent, AgendaRefusal> {
        if self.items.len() >= MAX_ITEMS {
            return Err(AgendaRefusal::Full);
        }
        let position = u32::try_from(self.items.len()).map_err(|_| AgendaRefusal::Full)?;
        self.items.push(AgendaItem {
            id,
            title: draft.title.clone(),
            description: draft.description.clone(),
            status: AgendaStatus::Pending,
            seconds_spent: 0,
            started_at: None,
        });
        Ok(CaseEvent::AgendaItemAdded {
            item: id,
            title: draft.title,
            description: draft.description,
            position,
        })
    }

    fn reorder(&mut self, order: Vec<AgendaItemId>) -> Result<CaseEvent, AgendaRefusal> {
        // As many ids as items and every item named: a permutation, duplicates and strangers
        // included in the check.
        let complete = order.len() == self.items.len()
            && self.items.iter().all(|item| order.contains(&item.id));
        if !complete {
            return Err(AgendaRefusal::NotAPermutation);
        }
        self.items
            .sort_by_key(|item| order.iter().position(|id| *id == item.id));
        Ok(CaseEvent::AgendaReordered { items: order })
    }

    fn step(
        &mut self,
        id: AgendaItemId,
        step: AgendaStep,
        now: Timestamp,
    ) -> Result<CaseEvent, AgendaRefusal> {
        use AgendaStatus as S;
        let at = self.position(id)?;
        let status = self.items[at].status;
        let allowed = match step {
            AgendaStep::Start => matches!(status, S::Pending | S::Skipped),
            AgendaStep::Finish => status == S::InProgress,
            AgendaStep::Skip => matches!(status, S::Pending | S::InProgress),
        };
        if !allowed {
            return Err(AgendaRefusal::StepNotAllowed { status, step });
        }
        if step == AgendaStep::Start && self.items.iter().any(|i| i.status == S::InProgress) {
            return Err(AgendaRefusal::AnotherInProgress);
        }
        let item = &mut self.items[at];
        if step == AgendaStep::Start {
            item.status = S::InProgress;
            item.started_at = Some(now);
            return Ok(CaseEvent::AgendaItemStarted { item: id });
        }
        item.seconds_spent = item.seconds_at(now);
        item.started_at = None;
        let seconds_spent = item.seconds_spent;
        Ok(if step == AgendaStep::Finish {
            item.status = S::Done;
            CaseEvent::AgendaItemFinished {
                item: id,
                seconds_spent,
            }
        } else {
            item.status = S::Skipped;
            CaseEvent::AgendaItemSkipped {
                item: id,
                seconds_spent,
            }
        })
    }
}

#[cfg(test)]
mod tests;
