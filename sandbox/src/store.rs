//! SQLite storage of customers, agreements, replayable responses (idempotency by
//! `MS-RequestId`) and document links. One connection behind a mutex: enough for a sandbox.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use csp_agreements::{Agreement, AgreementType, Contact};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use csp_agreements::rules::date::{format_date, parse_date};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS customers (
    id TEXT PRIMARY KEY,
    domain TEXT NOT NULL UNIQUE COLLATE NOCASE,
    company_name TEXT NOT NULL,
    country TEXT NOT NULL,
    email TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    phone TEXT,
    culture TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS agreements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id TEXT NOT NULL REFERENCES customers(id),
    type TEXT NOT NULL,
    template_id TEXT NOT NULL,
    date_agreed TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    user_id TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS requests (
    request_id TEXT PRIMARY KEY,
    -- SHA-256 of the method, path and body: the body itself is not kept.
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
-- Enhanced attestations: created by the partner, accepted by the customer on the sandbox's
-- acceptance page, completed by the partner (which records the agreement). The customer is
-- bound at completion, as Partner Center binds it (a body naming it binds it at creation).
-- Times are YYYY-MM-DDTHH:MM:SSZ on the sandbox's calendar.
CREATE TABLE IF NOT EXISTS attestations (
    id TEXT PRIMARY KEY,
    customer_id TEXT REFERENCES customers(id),
    status TEXT NOT NULL,
    request TEXT NOT NULL,
    created_on TEXT NOT NULL,
    accepted_on TEXT,
    expires_on TEXT
);
-- The ledger of attestations a portal keeps in its own backend (the toolkit's httpStore): one
-- record each, as JSON, with its version for writers that race.
CREATE TABLE IF NOT EXISTS ledger (
    attestation_id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    record TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- Customers who accepted the Customer Agreement themselves (Microsoft 365 admin center).
CREATE TABLE IF NOT EXISTS direct_acceptances (
    customer_id TEXT PRIMARY KEY REFERENCES customers(id),
    accepted_on TEXT NOT NULL
);
-- A customer's agreements and attestations are read by customer: a portfolio reads them all.
CREATE INDEX IF NOT EXISTS agreements_by_customer ON agreements(customer_id);
CREATE INDEX IF NOT EXISTS attestations_by_customer ON attestations(customer_id);
CREATE TABLE IF NOT EXISTS documents (
    token TEXT PRIMARY KEY,
    country TEXT NOT NULL,
    language TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
";

/// A customer tenant, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: String,
    pub domain: String,
    pub company_name: String,
    pub country: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub culture: String,
}

/// How long a response is kept for replay under its `MS-RequestId`: retries come within
/// seconds, a reload of a page within hours. Older rows are deleted as new ones come.
pub const REPLAY_HOURS: i64 = 24;

/// A response stored under its `MS-RequestId`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    /// SHA-256 (hex) of what identifies the request: method, path and body.
    pub fingerprint: String,
    pub status: u16,
    pub body: String,
}

pub struct Store {
    connection: Mutex<Connection>,
}

impl Store {
    /// Opens (and creates) the database at `path`, or an in-memory one.
    pub fn open(path: Option<&Path>) -> rusqlite::Result<Store> {
        let connection = match path {
            Some(path) => Connection::open(path)?,
            None => Connection::open_in_memory()?,
        };
        connection.execute_batch("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;")?;
        migrate(&connection)?;
        connection.execute_batch(SCHEMA)?;
        Ok(Store {
            connection: Mutex::new(connection),
        })
    }

    /// SQLite's own check of the whole database: `"ok"` when nothing is corrupted.
    pub fn integrity(&self) -> rusqlite::Result<String> {
        self.lock()
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
    }

    /// Lets the database grow by at most `pages` pages from now (a full disk, for the tests:
    /// a write that needs more fails with SQLITE_FULL, answered 503).
    pub fn limit_growth(&self, pages: u64) -> rusqlite::Result<()> {
        let db = self.lock();
        let count: u64 = db.query_row("PRAGMA page_count", [], |row| row.get(0))?;
        db.query_row(
            &format!("PRAGMA max_page_count = {}", count + pages),
            [],
            |_| Ok(()),
        )
    }

    /// The connection, held for the whole of a request's work (idempotency check included);
    /// writes go through one transaction each (`Connection::transaction`).
    pub fn lock(&self) -> MutexGuard<'_, Connection> {
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The schema's version (`PRAGMA user_version`) this build writes.
const SCHEMA_VERSION: i64 = 1;

/// Brings a database made by an earlier build to this schema, keeping what it holds: version 1
/// lets an attestation wait for its customer (bound at completion) and gives it an expiry.
fn migrate(db: &Connection) -> rusqlite::Result<()> {
    let version: i64 = db.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let old_attestations: bool = db.query_row(
        "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'attestations'",
        [],
        |row| row.get(0),
    )?;
    if version < 1 && old_attestations {
        db.execute_batch(
            "BEGIN;
             ALTER TABLE attestations RENAME TO attestations_v0;
             CREATE TABLE attestations (
                 id TEXT PRIMARY KEY,
                 customer_id TEXT REFERENCES customers(id),
                 status TEXT NOT NULL,
                 request TEXT NOT NULL,
                 created_on TEXT NOT NULL,
                 accepted_on TEXT,
                 expires_on TEXT
             );
             INSERT INTO attestations (id, customer_id, status, request, created_on, accepted_on, expires_on)
                 SELECT id, customer_id, status, request,
                        strftime('%Y-%m-%dT%H:%M:%SZ', created_on),
                        accepted_on,
                        strftime('%Y-%m-%dT%H:%M:%SZ', created_on, '+7 days')
                 FROM attestations_v0;
             DROP TABLE attestations_v0;
             COMMIT;",
        )?;
    }
    if version < SCHEMA_VERSION {
        db.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))?;
    }
    Ok(())
}

pub fn customer_count(db: &Connection) -> rusqlite::Result<u64> {
    db.query_row("SELECT COUNT(*) FROM customers", [], |row| row.get(0))
}

pub fn insert_customer(db: &Connection, c: &Customer, now: &str) -> rusqlite::Result<()> {
    db.execute(
        "INSERT INTO customers (id, domain, company_name, country, email, first_name, last_name, phone, culture, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![c.id, c.domain, c.company_name, c.country, c.email, c.first_name, c.last_name, c.phone, c.culture, now],
    )?;
    Ok(())
}

fn customer_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Customer> {
    Ok(Customer {
        id: row.get(0)?,
        domain: row.get(1)?,
        company_name: row.get(2)?,
        country: row.get(3)?,
        email: row.get(4)?,
        first_name: row.get(5)?,
        last_name: row.get(6)?,
        phone: row.get(7)?,
        culture: row.get(8)?,
    })
}

const CUSTOMER_COLUMNS: &str =
    "id, domain, company_name, country, email, first_name, last_name, phone, culture";

pub fn customer(db: &Connection, id: &str) -> rusqlite::Result<Option<Customer>> {
    db.query_row(
        &format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = ?1"),
        [id],
        customer_of,
    )
    .optional()
}

pub fn domain_taken(db: &Connection, domain: &str) -> rusqlite::Result<bool> {
    db.query_row(
        "SELECT COUNT(*) FROM customers WHERE domain = ?1",
        [domain],
        |row| row.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

/// Customers whose company name or domain contains `text` (case-insensitive), by name, from
/// `offset`, at most `limit`; and how many match in all.
pub fn search_customers(
    db: &Connection,
    text: &str,
    limit: u32,
    offset: u64,
) -> rusqlite::Result<(Vec<Customer>, u64)> {
    let pattern = format!(
        "%{}%",
        text.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    const MATCHES: &str = "company_name LIKE ?1 ESCAPE '\\' OR domain LIKE ?1 ESCAPE '\\'";
    let total: u64 = db.query_row(
        &format!("SELECT COUNT(*) FROM customers WHERE {MATCHES}"),
        [&pattern],
        |row| row.get(0),
    )?;
    let mut statement = db.prepare(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE {MATCHES}
         ORDER BY company_name COLLATE NOCASE, id LIMIT ?2 OFFSET ?3"
    ))?;
    let rows = statement.query_map(params![pattern, limit, offset], customer_of)?;
    Ok((rows.collect::<rusqlite::Result<_>>()?, total))
}

pub fn insert_agreement(
    db: &Connection,
    customer_id: &str,
    a: &Agreement,
    now: &str,
) -> rusqlite::Result<()> {
    let c = &a.primary_contact;
    db.execute(
        "INSERT INTO agreements (customer_id, type, template_id, date_agreed, first_name, last_name, email, phone, user_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            customer_id,
            a.agreement_type.as_str(),
            a.template_id,
            format_date(a.date_agreed),
            c.first_name,
            c.last_name,
            c.email,
            c.phone_number,
            a.user_id.as_deref().unwrap_or_default(),
            now
        ],
    )?;
    Ok(())
}

/// A customer's agreements of the given types, oldest first.
pub fn agreements(
    db: &Connection,
    customer_id: &str,
    types: &[AgreementType],
) -> rusqlite::Result<Vec<Agreement>> {
    let mut statement = db.prepare(
        "SELECT type, template_id, date_agreed, first_name, last_name, email, phone, user_id
         FROM agreements WHERE customer_id = ?1 ORDER BY id",
    )?;
    let rows = statement.query_map([customer_id], |row| {
        let kind: String = row.get(0)?;
        let date: String = row.get(2)?;
        Ok((
            kind,
            date,
            row.get(1)?,
            row.get(3)?,
            row.get(4)?,
            row.get(5)?,
            row.get(6)?,
            row.get(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, date, template_id, first_name, last_name, email, phone, user_id): (
            String,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            String,
        ) = row?;
        let Some(agreement_type) = AgreementType::parse(&kind) else {
            continue;
        };
        let Some(date_agreed) = parse_date(&date) else {
            continue;
        };
        if types.contains(&agreement_type) {
            out.push(Agreement {
                user_id: Some(user_id),
                primary_contact: Contact {
                    first_name,
                    last_name,
                    email,
                    phone_number: phone,
                },
                template_id,
                date_agreed,
                agreement_type,
                agreement_link: Some(agreement_type.default_template().agreement_link.to_string()),
            });
        }
    }
    Ok(out)
}

pub fn stored_response(
    db: &Connection,
    request_id: &str,
) -> rusqlite::Result<Option<StoredResponse>> {
    db.query_row(
        "SELECT fingerprint, status, body FROM requests WHERE request_id = ?1",
        [request_id],
        |row| {
            Ok(StoredResponse {
                fingerprint: row.get(0)?,
                status: row.get(1)?,
                body: row.get(2)?,
            })
        },
    )
    .optional()
}

/// Stores a response for replay, and forgets those older than [`REPLAY_HOURS`]. `now` is an
/// RFC 3339 UTC time written `YYYY-MM-DDTHH:MM:SSZ` (see [`timestamp`]), so that times compare
/// as text.
pub fn store_response(
    db: &Connection,
    request_id: &str,
    response: &StoredResponse,
    now: chrono::DateTime<chrono::Utc>,
) -> rusqlite::Result<()> {
    let cutoff = timestamp(now - chrono::Duration::hours(REPLAY_HOURS));
    db.execute("DELETE FROM requests WHERE created_at < ?1", [cutoff])?;
    let now = timestamp(now);
    db.execute(
        "INSERT OR IGNORE INTO requests (request_id, fingerprint, status, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![request_id, response.fingerprint, response.status, response.body, now],
    )?;
    Ok(())
}

/// A time as the tables keep it: `2026-11-24T10:00:00Z`.
pub fn timestamp(time: chrono::DateTime<chrono::Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Forgets the response stored under a request id (the sandbox's "forget the request id" fault).
pub fn forget_response(db: &Connection, request_id: &str) -> rusqlite::Result<()> {
    db.execute("DELETE FROM requests WHERE request_id = ?1", [request_id])?;
    Ok(())
}

/// Rows kept for replay (for the tests of their pruning).
pub fn stored_response_count(db: &Connection) -> rusqlite::Result<u64> {
    db.query_row("SELECT COUNT(*) FROM requests", [], |row| row.get(0))
}

/// Document links (for the tests of their pruning).
pub fn document_count(db: &Connection) -> rusqlite::Result<u64> {
    db.query_row("SELECT COUNT(*) FROM documents", [], |row| row.get(0))
}

/// Stores a document link, and forgets the links that expired before `now`.
pub fn insert_document(
    db: &Connection,
    token: &str,
    country: &str,
    language: &str,
    expires_at: i64,
    now: i64,
) -> rusqlite::Result<()> {
    db.execute("DELETE FROM documents WHERE expires_at < ?1", [now])?;
    db.execute(
        "INSERT INTO documents (token, country, language, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![token, country, language, expires_at],
    )?;
    Ok(())
}

/// The document behind a link: (country, language, expires_at).
pub fn document(db: &Connection, token: &str) -> rusqlite::Result<Option<(String, String, i64)>> {
    db.query_row(
        "SELECT country, language, expires_at FROM documents WHERE token = ?1",
        [token],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )
    .optional()
}

/// An enhanced attestation, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAttestation {
    pub id: String,
    /// The customer, once bound (at completion, or at creation when the body named it).
    pub customer_id: Option<String>,
    /// `Pending`, `Accepted` or `Completed` (expiry is read from `expires_on`).
    pub status: String,
    /// The creation's body (JSON), as validated.
    pub request: String,
    /// When it was created (`YYYY-MM-DDTHH:MM:SSZ`, the sandbox's calendar).
    pub created_on: String,
    pub accepted_on: Option<String>,
    /// When its link expires.
    pub expires_on: Option<String>,
}

const ATTESTATION_COLUMNS: &str =
    "id, customer_id, status, request, created_on, accepted_on, expires_on";

fn attestation_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredAttestation> {
    Ok(StoredAttestation {
        id: row.get(0)?,
        customer_id: row.get(1)?,
        status: row.get(2)?,
        request: row.get(3)?,
        created_on: row.get(4)?,
        accepted_on: row.get(5)?,
        expires_on: row.get(6)?,
    })
}

pub fn insert_attestation(db: &Connection, a: &StoredAttestation) -> rusqlite::Result<()> {
    db.execute(
        &format!(
            "INSERT INTO attestations ({ATTESTATION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        ),
        params![
            a.id,
            a.customer_id,
            a.status,
            a.request,
            a.created_on,
            a.accepted_on,
            a.expires_on
        ],
    )?;
    Ok(())
}

pub fn attestation(db: &Connection, id: &str) -> rusqlite::Result<Option<StoredAttestation>> {
    db.query_row(
        &format!("SELECT {ATTESTATION_COLUMNS} FROM attestations WHERE id = ?1"),
        [id],
        attestation_of,
    )
    .optional()
}

/// Moves an attestation on: `Pending` to `Accepted` (with the time), `Accepted` to
/// `Completed` (binding its customer).
pub fn set_attestation_status(
    db: &Connection,
    id: &str,
    status: &str,
    accepted_on: Option<&str>,
    customer_id: Option<&str>,
) -> rusqlite::Result<()> {
    db.execute(
        "UPDATE attestations SET status = ?2, accepted_on = COALESCE(?3, accepted_on),
                customer_id = COALESCE(?4, customer_id) WHERE id = ?1",
        params![id, status, accepted_on, customer_id],
    )?;
    Ok(())
}

/// A record of the ledger, as stored: its version and its JSON.
pub fn ledger_record(
    db: &Connection,
    attestation_id: &str,
) -> rusqlite::Result<Option<(u64, String)>> {
    db.query_row(
        "SELECT version, record FROM ledger WHERE attestation_id = ?1",
        [attestation_id],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .optional()
}

/// Every record of the ledger, in the order they were first written.
pub fn ledger_records(db: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut statement = db.prepare("SELECT record FROM ledger ORDER BY rowid")?;
    let rows = statement.query_map([], |row| row.get(0))?;
    rows.collect()
}

/// Writes a record of the ledger at `version`.
pub fn put_ledger_record(
    db: &Connection,
    attestation_id: &str,
    customer_id: &str,
    version: u64,
    record: &str,
    now: &str,
) -> rusqlite::Result<()> {
    db.execute(
        "INSERT INTO ledger (attestation_id, customer_id, version, record, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(attestation_id) DO UPDATE SET customer_id = ?2, version = ?3, record = ?4, updated_at = ?5",
        params![attestation_id, customer_id, version, record, now],
    )?;
    Ok(())
}

pub fn insert_direct_acceptance(
    db: &Connection,
    customer_id: &str,
    day: &str,
) -> rusqlite::Result<()> {
    db.execute(
        "INSERT OR REPLACE INTO direct_acceptances (customer_id, accepted_on) VALUES (?1, ?2)",
        params![customer_id, day],
    )?;
    Ok(())
}

/// The day a customer accepted directly, if they did.
pub fn direct_acceptance(db: &Connection, customer_id: &str) -> rusqlite::Result<Option<String>> {
    db.query_row(
        "SELECT accepted_on FROM direct_acceptances WHERE customer_id = ?1",
        [customer_id],
        |row| row.get(0),
    )
    .optional()
}

/// Every attestation and confirmation, as `GET /sandbox/records` shows them.
pub fn records(
    db: &Connection,
) -> rusqlite::Result<(Vec<StoredAttestation>, Vec<serde_json::Value>)> {
    let mut statement = db.prepare(&format!(
        "SELECT {ATTESTATION_COLUMNS} FROM attestations ORDER BY rowid"
    ))?;
    let attestations = statement
        .query_map([], attestation_of)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut statement =
        db.prepare("SELECT customer_id, type, email, date_agreed FROM agreements ORDER BY id")?;
    let agreements = statement
        .query_map([], |row| {
            Ok(serde_json::json!({
                "customerId": row.get::<_, String>(0)?,
                "type": row.get::<_, String>(1)?,
                "email": row.get::<_, String>(2)?,
                "dateAgreed": row.get::<_, String>(3)?,
            }))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((attestations, agreements))
}
