//! Saved territories in an embedded SQLite database (WAL, one transaction per write).
//!
//! Durability: the database runs in WAL mode with `synchronous = FULL`, so a write is on disk
//! when its call returns; a crash or kill loses nothing already acknowledged (see
//! `tests/store_kill.rs`). Concurrency: one connection behind a mutex (SQLite serialises
//! writers anyway); `TerritoryStore` is `Send + Sync`, shared in an `Arc`, and its calls block,
//! so async code runs them in `tokio::task::spawn_blocking`.
//!
//! ```
//! use cpts_atlas::model::{SavedSpec, TerritoryDraft};
//! use cpts_atlas::store::TerritoryStore;
//! let store = TerritoryStore::open_in_memory().unwrap();
//! let saved = store
//!     .create(&TerritoryDraft {
//!         name: "Pays d'Aix".into(),
//!         spec: SavedSpec::Codes(vec!["13001".into(), "13012".into()]),
//!         missions: vec![],
//!         author: "porteur@example.org".into(),
//!     })
//!     .unwrap();
//! assert_eq!(store.get(saved.id).unwrap().name, "Pays d'Aix");
//! ```

mod error;
mod migrations;
pub mod validate;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension, Row};

pub use error::{StoreError, ValidationError};

use crate::model::{SavedSpec, SavedTerritory, TerritoryChange, TerritoryDraft};

/// File name of the database inside a data directory, when no path is configured.
pub const DEFAULT_DATABASE_FILE: &str = "territories.sqlite";

const COLUMNS: &str = "id, name, spec, missions, author, created_at, updated_at";

/// The saved territories of porteurs.
pub struct TerritoryStore {
    conn: Mutex<Connection>,
    label: String,
}

impl TerritoryStore {
    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let label = path.display().to_string();
        let conn = Connection::open(path).map_err(|source| StoreError::Database {
            path: label.clone(),
            source,
        })?;
        Self::prepare(conn, label)
    }

    /// A throw-away database in memory (tests, examples).
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let label = ":memory:".to_string();
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Database {
            path: label.clone(),
            source,
        })?;
        Self::prepare(conn, label)
    }

    fn prepare(mut conn: Connection, label: String) -> Result<Self, StoreError> {
        let db = |source| StoreError::Database {
            path: label.clone(),
            source,
        };
        // journal_mode returns a row; in memory it stays "memory".
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .map_err(db)?;
        conn.execute_batch(
            "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
        )
        .map_err(db)?;
        migrations::migrate(&mut conn).map_err(|e| match e {
            migrations::MigrationError::Sql(migration, source) => StoreError::Migration {
                path: label.clone(),
                migration: migration.to_string(),
                source,
            },
            migrations::MigrationError::TooNew(found) => StoreError::TooNew {
                path: label.clone(),
                found,
                known: migrations::known(),
            },
        })?;
        Ok(Self {
            conn: Mutex::new(conn),
            label,
        })
    }

    /// How long a write waits for another connection's lock before failing as busy (5 s by
    /// default; the service then answers 503).
    pub fn set_busy_timeout(&self, timeout: std::time::Duration) -> Result<(), StoreError> {
        self.conn().busy_timeout(timeout).map_err(|e| self.db(e))
    }

    /// The database path (or `:memory:`), for messages.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The default database path of a data directory.
    pub fn default_path(data_dir: &Path) -> PathBuf {
        data_dir.join(DEFAULT_DATABASE_FILE)
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-done write: every write is one
        // transaction, rolled back when dropped.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn db(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Database {
            path: self.label.clone(),
            source,
        }
    }

    /// Validates and saves a new territory; returns it with its id and timestamps.
    pub fn create(&self, draft: &TerritoryDraft) -> Result<SavedTerritory, StoreError> {
        let mut saved = self.create_all(std::slice::from_ref(draft))?;
        Ok(saved.remove(0))
    }

    /// Validates and saves several territories in one transaction (all or none), e.g. the
    /// candidates of a proposal; returns them in order with their ids.
    pub fn create_all(&self, drafts: &[TerritoryDraft]) -> Result<Vec<SavedTerritory>, StoreError> {
        let mut checked = Vec::with_capacity(drafts.len());
        for draft in drafts {
            let name = validate::name(&draft.name)?;
            let author = validate::author(&draft.author)?;
            validate::spec(&draft.spec)?;
            validate::missions(&draft.missions)?;
            checked.push((name, author, draft));
        }
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(|e| self.db(e))?;
        let mut saved = Vec::with_capacity(drafts.len());
        for (name, author, draft) in checked {
            tx.execute(
                "INSERT INTO saved_territory (name, spec, missions, author) VALUES (?1, ?2, ?3, ?4)",
                params![name, to_json(&draft.spec), to_json(&draft.missions), author],
            )
            .map_err(|e| self.db(e))?;
            let id = tx.last_insert_rowid();
            saved.push(self.select(&tx, id)?);
        }
        tx.commit().map_err(|e| self.db(e))?;
        Ok(saved)
    }

    /// A saved territory by id.
    pub fn get(&self, id: i64) -> Result<SavedTerritory, StoreError> {
        self.select(&self.conn(), id)
    }

    /// Every saved territory (of one author when given), most recently updated first.
    pub fn list(&self, author: Option<&str>) -> Result<Vec<SavedTerritory>, StoreError> {
        let conn = self.conn();
        let mut statement = conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM saved_territory WHERE ?1 IS NULL OR author = ?1 \
                 ORDER BY updated_at DESC, id DESC"
            ))
            .map_err(|e| self.db(e))?;
        let rows = statement
            .query_map([author.map(str::trim)], read_row)
            .map_err(|e| self.db(e))?;
        rows.map(|row| self.decode(row.map_err(|e| self.db(e))?))
            .collect()
    }

    /// Replaces the fields given in `change`; returns the territory as saved.
    pub fn update(&self, id: i64, change: &TerritoryChange) -> Result<SavedTerritory, StoreError> {
        let name = change.name.as_deref().map(validate::name).transpose()?;
        if let Some(spec) = &change.spec {
            validate::spec(spec)?;
        }
        if let Some(missions) = &change.missions {
            validate::missions(missions)?;
        }
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(|e| self.db(e))?;
        let changed = tx
            .execute(
                "UPDATE saved_territory SET \
                   name = coalesce(?2, name), \
                   spec = coalesce(?3, spec), \
                   missions = coalesce(?4, missions), \
                   updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
                 WHERE id = ?1",
                params![
                    id,
                    name,
                    change.spec.as_ref().map(to_json),
                    change.missions.as_ref().map(to_json)
                ],
            )
            .map_err(|e| self.db(e))?;
        if changed == 0 {
            return Err(StoreError::NotFound(id));
        }
        let saved = self.select(&tx, id)?;
        tx.commit().map_err(|e| self.db(e))?;
        Ok(saved)
    }

    /// Renames a saved territory.
    pub fn rename(&self, id: i64, name: &str) -> Result<SavedTerritory, StoreError> {
        self.update(
            id,
            &TerritoryChange {
                name: Some(name.to_string()),
                ..TerritoryChange::default()
            },
        )
    }

    /// Deletes a saved territory.
    pub fn delete(&self, id: i64) -> Result<(), StoreError> {
        let deleted = self
            .conn()
            .execute("DELETE FROM saved_territory WHERE id = ?1", [id])
            .map_err(|e| self.db(e))?;
        if deleted == 0 {
            Err(StoreError::NotFound(id))
        } else {
            Ok(())
        }
    }

    fn select(&self, conn: &Connection, id: i64) -> Result<SavedTerritory, StoreError> {
        let raw = conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM saved_territory WHERE id = ?1"),
                [id],
                read_row,
            )
            .optional()
            .map_err(|e| self.db(e))?
            .ok_or(StoreError::NotFound(id))?;
        self.decode(raw)
    }

    fn decode(&self, raw: RawRow) -> Result<SavedTerritory, StoreError> {
        let corrupt = |reason: serde_json::Error| StoreError::Corrupt {
            path: self.label.clone(),
            id: raw.id,
            reason: reason.to_string(),
        };
        let spec: SavedSpec = serde_json::from_str(&raw.spec).map_err(corrupt)?;
        let missions: Vec<String> = serde_json::from_str(&raw.missions).map_err(corrupt)?;
        Ok(SavedTerritory {
            id: raw.id,
            name: raw.name,
            spec,
            missions,
            author: raw.author,
            created_at: raw.created_at,
            updated_at: raw.updated_at,
        })
    }
}

/// A row as stored, before its JSON columns are decoded.
struct RawRow {
    id: i64,
    name: String,
    spec: String,
    missions: String,
    author: String,
    created_at: String,
    updated_at: String,
}

fn read_row(row: &Row<'_>) -> rusqlite::Result<RawRow> {
    Ok(RawRow {
        id: row.get(0)?,
        name: row.get(1)?,
        spec: row.get(2)?,
        missions: row.get(3)?,
        author: row.get(4)?,
        created_at: row.get(5)?,
        updated_at: row.get(6)?,
    })
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serializes")
}
