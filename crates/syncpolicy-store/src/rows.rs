//! Reading history and part rows into the crate's own structs, once for both backends: each
//! backend's row type says how it reads a column of each SQL type ([`ColumnRow`]), and
//! [`read_history_entry`] and [`read_part`] do the mapping.

use crate::backend::HistoryEntry;
use crate::parts::Part;

/// A database row whose columns can be read by position, one method per SQL column type used
/// by the history and part tables (the columns are those of `HISTORY_COLUMNS` and
/// `part_columns()`, in that order).
pub(crate) trait ColumnRow {
    /// What a failed read returns.
    type Error;

    /// An `INTEGER` column as `i64` (64 bits in SQLite, 32 bits widened in PostgreSQL).
    fn integer(&self, idx: usize) -> Result<i64, Self::Error>;
    /// A `BIGINT` (or SQLite `INTEGER`) column.
    fn bigint(&self, idx: usize) -> Result<i64, Self::Error>;
    /// A `TEXT` column.
    fn text(&self, idx: usize) -> Result<String, Self::Error>;
    /// A `TEXT` column as shared text, copied once from the row (a part's body).
    fn shared_text(&self, idx: usize) -> Result<std::sync::Arc<str>, Self::Error>;
}

/// SQLite rows: a read that fails (wrong type, NULL) is an error.
impl ColumnRow for rusqlite::Row<'_> {
    type Error = rusqlite::Error;

    fn integer(&self, idx: usize) -> Result<i64, rusqlite::Error> {
        self.get(idx)
    }

    fn bigint(&self, idx: usize) -> Result<i64, rusqlite::Error> {
        self.get(idx)
    }

    fn text(&self, idx: usize) -> Result<String, rusqlite::Error> {
        self.get(idx)
    }

    fn shared_text(&self, idx: usize) -> Result<std::sync::Arc<str>, rusqlite::Error> {
        self.get_ref(idx)?.as_str().map(Into::into).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, e.into())
        })
    }
}

/// PostgreSQL rows: a read that fails (wrong type, NULL) is an error too, not a panic.
impl ColumnRow for postgres::Row {
    type Error = postgres::Error;

    fn integer(&self, idx: usize) -> Result<i64, postgres::Error> {
        self.try_get::<_, i32>(idx).map(i64::from)
    }

    fn bigint(&self, idx: usize) -> Result<i64, postgres::Error> {
        self.try_get(idx)
    }

    fn text(&self, idx: usize) -> Result<String, postgres::Error> {
        self.try_get(idx)
    }

    fn shared_text(&self, idx: usize) -> Result<std::sync::Arc<str>, postgres::Error> {
        self.try_get::<_, &str>(idx).map(Into::into)
    }
}

/// A history entry from a row of `SELECT {HISTORY_COLUMNS} FROM history`.
pub(crate) fn read_history_entry<R: ColumnRow>(r: &R) -> Result<HistoryEntry, R::Error> {
    Ok(HistoryEntry {
        id: r.bigint(0)?,
        at: r.text(1)?,
        at_millis: r.bigint(2)?,
        author: r.text(3)?,
        command: r.text(4)?,
        summary: r.text(5)?,
        digest: r.text(6)?,
        snapshot: r.text(7)?,
    })
}

/// A part from a row of `SELECT {part_columns()} FROM <kind's table>`.
pub(crate) fn read_part<R: ColumnRow>(r: &R) -> Result<Part, R::Error> {
    Ok(Part {
        key: r.text(0)?,
        parent: r.text(1)?,
        ordinal: r.integer(2)?,
        label: r.text(3)?,
        body: r.shared_text(4)?,
    })
}

/// A delta row from `SELECT {DELTA_COLUMNS} FROM history_delta`; `None` for a kind this build
/// does not know.
pub(crate) fn read_delta<R: ColumnRow>(
    r: &R,
) -> Result<Option<crate::backend::DeltaRow>, R::Error> {
    let kind = r.text(1)?;
    let Some(kind) = crate::parts::PartKind::from_table(&kind) else {
        return Ok(None);
    };
    let key = r.text(2)?;
    let before = if r.integer(3)? != 0 {
        Some(Part {
            key: key.clone(),
            parent: r.text(4)?,
            ordinal: r.integer(5)?,
            label: r.text(6)?,
            body: r.text(7)?.into(),
        })
    } else {
        None
    };
    Ok(Some(crate::backend::DeltaRow {
        history_id: r.bigint(0)?,
        kind,
        key,
        before,
    }))
}
