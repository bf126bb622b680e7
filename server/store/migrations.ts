/**
 * Schema of the alarm database, one entry per version (PRAGMA user_version = index + 1). Append only: a
 * released migration never changes, a new version adds an entry.
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
  `,
];
