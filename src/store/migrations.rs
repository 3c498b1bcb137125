//! Schema migrations: the SQL files of `migrations/`, applied in order, tracked by
//! `PRAGMA user_version` (the number of migrations applied).

use rusqlite::Connection;

/// Every migration, in order: (file name, SQL). Append only; never edit a published one.
const MIGRATIONS: &[(&str, &str)] = &[(
    "0001_saved_territories.sql",
    include_str!("../../migrations/0001_saved_territories.sql"),
)];

/// Why migrating failed.
pub(super) enum MigrationError {
    Sql(&'static str, rusqlite::Error),
    TooNew(i64),
}

/// Number of migrations this build knows.
pub(super) fn known() -> i64 {
    MIGRATIONS.len() as i64
}

/// Applies the migrations the database lacks, each in its own transaction.
pub(super) fn migrate(conn: &mut Connection) -> Result<(), MigrationError> {
    let applied: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(|e| MigrationError::Sql("PRAGMA user_version", e))?;
    if applied > known() {
        return Err(MigrationError::TooNew(applied));
    }
    for (n, (file, sql)) in MIGRATIONS.iter().enumerate().skip(applied as usize) {
        let fail = |e| MigrationError::Sql(file, e);
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        tx.execute_batch(sql).map_err(fail)?;
        tx.pragma_update(None, "user_version", (n + 1) as i64)
            .map_err(fail)?;
        tx.commit().map_err(fail)?;
    }
    Ok(())
}
