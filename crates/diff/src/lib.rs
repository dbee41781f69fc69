//! Models shared, compared and merged (issue 16). Everything here works on the model's
//! lists through each kind's [`Entity`](tributary_core::entity::Entity) description and on
//! items' fields through their serde JSON form, so a new kind of item or a new field is
//! compared and merged without a change here.
//!
//! - [`diff`]: what differs between two models, by item and name, in words, and what it does
//!   to the numbers; [`deltas`]: the same difference as the engine's edits.
//! - [`merge`]: three-way merge with named conflicts ([`Conflict`]), resolved one by one with
//!   [`take_theirs`].
//! - [`proposal`]: a colleague's changes as a scenario of the current model.

mod conflict;
mod deltas;
mod diff;
mod impact;
mod lists;
mod merge;
mod order;
mod proposal;
mod repair;
mod resolve;
mod text;
mod value;

pub use conflict::{Conflict, Reason, Side};
pub use deltas::deltas;
pub use diff::{Diff, FieldChange, ItemDiff, Status, diff};
pub use impact::{BusinessCase, Impact, ScenarioImpact, StreamImpact};
pub use merge::{Merge, merge};
pub use proposal::{LeftOut, Proposal, proposal};
pub use resolve::take_theirs;
