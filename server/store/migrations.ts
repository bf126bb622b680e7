/**
 * Schema of the alarm tables, one entry per version. Append only: a released migration never changes, a new
 * version adds an entry.
 *
 * SQLite (`MIGRATIONS`): the alarm file's own schema, its version in PRAGMA user_version (= index + 1), the same
 * for AlarmStore and the SQL-port AlarmRecords, so either opens a file the other wrote.
 * PostgreSQL (`PG_MIGRATIONS`): the same tables and indexes, recorded in schema_migrations under 'alarms'
 * (server/store/sqlDb.ts migrateModule); it never had SQLite's v1 layout, so its first version is SQLite's v2.
 */
export const MIGRATIONS: readonly string[] = [
  // v1
  `
  CREATE TABLE alarms (
    id            INTEGER PRIMARY KEY,
    rule_id       TEXT    NOT NULL,
    source        TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    domain        TEXT    NOT NULL,
    commune       TEXT,
    severity      TEXT    NOT NULL,
    severity_rank INTEGER NOT NULL,
    state         TEXT    NOT NULL,
    open          INTEGER NOT NULL,
    raised_at     INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    ack_at        INTEGER,
    rev           INTEGER NOT NULL,
    data          TEXT    NOT NULL
  );
  -- One open alarm per (rule, source) holds in the file too, not only in the engine's memory.
  CREATE UNIQUE INDEX alarms_open_key ON alarms (rule_id, source) WHERE open = 1;
  CREATE INDEX alarms_raised   ON alarms (raised_at);
  CREATE INDEX alarms_open     ON alarms (open, raised_at);
  CREATE INDEX alarms_state    ON alarms (state, raised_at);
  CREATE INDEX alarms_severity ON alarms (severity, raised_at);
  CREATE INDEX alarms_domain   ON alarms (domain, raised_at);
  CREATE INDEX alarms_commune  ON alarms (commune, raised_at);
  CREATE INDEX alarms_ack      ON alarms (ack_at) WHERE ack_at IS NOT NULL;

  CREATE TABLE audit (
    id       INTEGER PRIMARY KEY,
    alarm_id INTEGER NOT NULL REFERENCES alarms (id),
    rev      INTEGER NOT NULL UNIQUE,
    at       INTEGER NOT NULL,
    actor    TEXT    NOT NULL,
    change   TEXT    NOT NULL,
    note     TEXT,
    snapshot TEXT    NOT NULL
  );
  CREATE INDEX audit_alarm ON audit (alarm_id, rev);
  -- Append-only means the file refuses edits, whatever code holds the connection.
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
  `,  // v2: when an ended alarm ended (the earlier of resolvedAt and closedAt; null while open), as a column, so
  // "open at an instant" needs no JSON function (which PostgreSQL spells differently). Filled from the records.
  `
  ALTER TABLE alarms ADD COLUMN ended_at INTEGER;
  UPDATE alarms SET ended_at = COALESCE(
    MIN(json_extract(data, '$.resolvedAt'), json_extract(data, '$.closedAt')),
    json_extract(data, '$.resolvedAt'),
    json_extract(data, '$.closedAt'))
  WHERE open = 0;
  `,
];

/** PostgreSQL: the SQLite schema at v2. Times and ids BIGINT; the record and snapshots as text (parsed by us). */
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE alarms (
    id            BIGINT   PRIMARY KEY,
    rule_id       TEXT     NOT NULL,
    source        TEXT     NOT NULL,
    kind          TEXT     NOT NULL,
    domain        TEXT     NOT NULL,
    commune       TEXT,
    severity      TEXT     NOT NULL,
    severity_rank SMALLINT NOT NULL,
    state         TEXT     NOT NULL,
    open          SMALLINT NOT NULL,
    raised_at     BIGINT   NOT NULL,
    updated_at    BIGINT   NOT NULL,
    ack_at        BIGINT,
    ended_at      BIGINT,
    rev           BIGINT   NOT NULL,
    data          TEXT     NOT NULL
  );
  CREATE UNIQUE INDEX alarms_open_key ON alarms (rule_id, source) WHERE open = 1;
  CREATE INDEX alarms_raised   ON alarms (raised_at);
  CREATE INDEX alarms_open     ON alarms (open, raised_at);
  CREATE INDEX alarms_state    ON alarms (state, raised_at);
  CREATE INDEX alarms_severity ON alarms (severity, raised_at);
  CREATE INDEX alarms_domain   ON alarms (domain, raised_at);
  CREATE INDEX alarms_commune  ON alarms (commune, raised_at);
  CREATE INDEX alarms_ack      ON alarms (ack_at) WHERE ack_at IS NOT NULL;

  CREATE TABLE audit (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alarm_id BIGINT NOT NULL REFERENCES alarms (id),
    rev      BIGINT NOT NULL UNIQUE,
    at       BIGINT NOT NULL,
    actor    TEXT   NOT NULL,
    change   TEXT   NOT NULL,
    note     TEXT,
    snapshot TEXT   NOT NULL
  );
  CREATE INDEX audit_alarm ON audit (alarm_id, rev);
  CREATE FUNCTION alarm_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
    $$ BEGIN RAISE EXCEPTION 'audit is append-only'; END $$;
  CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION alarm_audit_append_only();
  -- TRUNCATE fires no row trigger: refused on its own.
  CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION alarm_audit_append_only();
  `,
];
