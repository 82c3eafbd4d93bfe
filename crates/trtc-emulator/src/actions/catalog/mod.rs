//! The actions served from the members the spec declares for them: the task actions (`tasks.rs`) and the
//! room, user and usage queries (`statistics.rs`).

mod statistics;
mod tasks;

use super::ActionSpec;

/// Every action of the catalog.
pub(super) fn all() -> impl Iterator<Item = &'static ActionSpec> {
    tasks::TASKS.iter().chain(statistics::STATISTICS)
}
