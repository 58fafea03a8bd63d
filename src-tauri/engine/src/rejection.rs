//! A rejected input row, the common currency of every importer: which file and row,
//! which field, and why. Valid rows are applied; rejected rows are listed, never
//! silently repaired.

use serde::Serialize;
use specta::Type;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Rejection {
    pub file: String,
    /// 1-based line number in the file, the header being line 1 where there is one.
    pub row: u64,
    pub field: String,
    pub reason: String,
}
