//! Saved territories in an embedded SQLite database (rollback journal, one transaction per
//! write).
//!
//! Durability: the database runs with a rollback journal (`journal_mode = TRUNCATE`) and
//! `synchronous = FULL`, so a write is on disk when its call returns; a crash or kill loses
//! nothing already acknowledged (see `tests/store_kill.rs`). No WAL: its `-shm` index is a
//! shared memory map, and a process whose mapped file becomes unwritable dies of SIGBUS.
//! Faults: [`TerritoryStore::open_for_service`] never fails: a database that cannot be opened,
//! written or fails `PRAGMA quick_check` gives a store whose writes (and, when unreadable, reads)
//! fail with [`StoreError::Unavailable`], so the rest of the service runs. Concurrency: one connection behind a mutex (SQLite serialises
//! writers anyway); `TerritoryStore` is `Send + Sync`, shared in an `Arc`, and its calls block,
//! so async code runs them in `tokio::task::spawn_blocking`.
//!
//! ```
//! use cpts_atlas::model::{RawTerritory, TerritoryDraft};
//! use cpts_atlas::store::TerritoryStore;
//! let store = TerritoryStore::open_in_memory().unwrap();
//! let saved = store
//!     .create(&TerritoryDraft {
//!         name: "Pays d'Aix".into(),
//!         spec: RawTerritory::Codes(vec!["13001".into(), "13012".into()]),
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
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Row};

pub use error::{StoreError, ValidationError};

use crate::model::{RawTerritory, SavedTerritory, TerritoryChange, TerritoryDraft};

/// File name of the database inside a data directory, when no path is configured.
pub const DEFAULT_DATABASE_FILE: &str = "territories.sqlite";

const COLUMNS: &str = "id, name, spec, missions, author, created_at, updated_at";

/// The saved territories of porteurs.
pub struct TerritoryStore {
    /// `None` when the database could not be opened at all.
    conn: Option<Mutex<Connection>>,
    label: String,
    /// Why writes are refused (a damaged, read-only or unopenable database), if they are.
    refused: Option<String>,
    /// Writes committed through this store, for [`TerritoryStore::version`].
    writes: AtomicU64,
}

/// Saved territories as listed, with the rows that could not be decoded left out.
#[derive(Debug, Default)]
pub struct Listing {
    pub territories: Vec<SavedTerritory>,
    /// Ids of the rows skipped because they could not be decoded.
    pub skipped: Vec<i64>,
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

    /// Opens the database for the service, never failing: when it cannot be opened read-write,
    /// migrated or passes no `quick_check` (truncated, garbage, damaged, read-only, full disk),
    /// it is opened read-only if it can be read, else not at all; writes then fail with
    /// [`StoreError::Unavailable`] and [`TerritoryStore::refused`] says why.
    pub fn open_for_service(path: &Path) -> Self {
        let label = path.display().to_string();
        let reason = match Self::open(path) {
            Ok(store) => return store,
            Err(e) => short_reason(&e),
        };
        let read_only = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .and_then(|conn| {
                conn.busy_timeout(std::time::Duration::from_secs(5))?;
                // Readable: the schema is there and the table answers.
                conn.query_row("SELECT count(*) FROM saved_territory", [], |_| Ok(()))?;
                Ok(conn)
            });
        Self {
            conn: read_only.ok().map(Mutex::new),
            label,
            refused: Some(reason),
            writes: AtomicU64::new(0),
        }
    }

    /// Why writes are refused, when the database is damaged, read-only or could not be opened.
    pub fn refused(&self) -> Option<&str> {
        self.refused.as_deref()
    }

    /// A number that changes whenever the saved territories may have changed (a write through
    /// this store or a commit by another connection), for caches built from them.
    pub fn version(&self) -> Result<u64, StoreError> {
        let data_version: i64 = self
            .conn()?
            .query_row("PRAGMA data_version", [], |row| row.get(0))
            .map_err(|e| self.db(e))?;
        Ok((self.writes.load(Ordering::Acquire) << 32) ^ data_version as u64)
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
        conn.execute_batch("PRAGMA busy_timeout = 5000;")
            .map_err(db)?;
        // A rollback journal, no WAL (whose -shm file is memory-mapped); a database left in WAL
        // by an older build is converted. In memory it stays "memory".
        let mode: String = conn
            .query_row("PRAGMA journal_mode = TRUNCATE", [], |row| row.get(0))
            .map_err(db)?;
        if mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Unavailable {
                path: label.clone(),
                reason: "still in WAL mode (another process has it open)".into(),
            });
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(db)?;
        let check: String = conn
            .query_row("PRAGMA quick_check(1)", [], |row| row.get(0))
            .map_err(db)?;
        if check != "ok" {
            return Err(StoreError::Unavailable {
                path: label.clone(),
                reason: format!("damaged (quick_check: {check})"),
            });
        }
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
            conn: Some(Mutex::new(conn)),
            label,
            refused: None,
            writes: AtomicU64::new(0),
        })
    }

    /// How long a write waits for another connection's lock before failing as busy (5 s by
    /// default; the service then answers 503).
    pub fn set_busy_timeout(&self, timeout: std::time::Duration) -> Result<(), StoreError> {
        self.conn()?.busy_timeout(timeout).map_err(|e| self.db(e))
    }

    /// The database path (or `:memory:`), for messages.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The default database path of a data directory.
    pub fn default_path(data_dir: &Path) -> PathBuf {
        data_dir.join(DEFAULT_DATABASE_FILE)
    }

    fn conn(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        let Some(conn) = &self.conn else {
            return Err(self.unavailable());
        };
        // A panic while holding the lock cannot leave a half-done write: every write is one
        // transaction, rolled back when dropped.
        Ok(conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    /// The connection for a write, unless writes are refused.
    fn writer(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        if self.refused.is_some() {
            return Err(self.unavailable());
        }
        self.conn()
    }

    fn unavailable(&self) -> StoreError {
        StoreError::Unavailable {
            path: self.label.clone(),
            reason: self
                .refused
                .clone()
                .unwrap_or_else(|| "not opened".to_string()),
        }
    }

    fn wrote(&self) {
        self.writes.fetch_add(1, Ordering::Release);
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
        let mut conn = self.writer()?;
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
        self.wrote();
        Ok(saved)
    }

    /// A saved territory by id.
    pub fn get(&self, id: i64) -> Result<SavedTerritory, StoreError> {
        self.select(&*self.conn()?, id)
    }

    /// Every saved territory (of one author when given), most recently updated first; rows
    /// that cannot be decoded are left out (see [`TerritoryStore::listing`]).
    pub fn list(&self, author: Option<&str>) -> Result<Vec<SavedTerritory>, StoreError> {
        Ok(self.listing(author)?.territories)
    }

    /// Every saved territory (of one author when given), most recently updated first, with the
    /// ids of the rows skipped because their columns could not be decoded (a malformed row
    /// must not hide the others).
    pub fn listing(&self, author: Option<&str>) -> Result<Listing, StoreError> {
        let conn = self.conn()?;
        let mut statement = conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM saved_territory WHERE ?1 IS NULL OR author = ?1 \
                 ORDER BY updated_at DESC, id DESC"
            ))
            .map_err(|e| self.db(e))?;
        let mut rows = statement
            .query([author.map(str::trim)])
            .map_err(|e| self.db(e))?;
        let mut listing = Listing::default();
        // A failing step (a damaged page) fails the whole list; a row whose columns do not
        // decode is skipped.
        while let Some(row) = rows.next().map_err(|e| self.db(e))? {
            let decoded = read_row(row)
                .map_err(|e| e.to_string())
                .and_then(|raw| self.decode(raw).map_err(|e| e.to_string()));
            match decoded {
                Ok(territory) => listing.territories.push(territory),
                Err(_) => listing.skipped.push(row.get(0).unwrap_or(-1)),
            }
        }
        Ok(listing)
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
        let mut conn = self.writer()?;
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
        self.wrote();
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
            .writer()?
            .execute("DELETE FROM saved_territory WHERE id = ?1", [id])
            .map_err(|e| self.db(e))?;
        self.wrote();
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
        let spec: RawTerritory = serde_json::from_str(&raw.spec).map_err(corrupt)?;
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

/// A reason for clients, without the path: "file is not a database", "damaged (...)".
fn short_reason(e: &StoreError) -> String {
    match e {
        StoreError::Database { source, .. } | StoreError::Migration { source, .. } => {
            source.to_string()
        }
        StoreError::Unavailable { reason, .. } => reason.clone(),
        other => other.to_string(),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serializes")
}
