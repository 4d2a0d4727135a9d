-- One source region's audit trail: CloudTrail-shaped records in a hash chain (see HashChain).
CREATE TABLE audit_event (
    sequence      INTEGER PRIMARY KEY,
    event_time_ms INTEGER NOT NULL,
    event_id      TEXT    NOT NULL UNIQUE,
    event_name    TEXT    NOT NULL,
    event_source  TEXT    NOT NULL,
    username      TEXT,
    access_key_id TEXT,
    read_only     INTEGER NOT NULL,
    resource_type TEXT,
    resource_name TEXT,
    record_json   TEXT    NOT NULL,
    prev_hash     TEXT    NOT NULL,
    hash          TEXT    NOT NULL
);
CREATE INDEX audit_event_time ON audit_event (event_time_ms);

-- Where the retained chain starts after older events were exported and purged.
CREATE TABLE audit_checkpoint (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    last_sequence INTEGER NOT NULL,
    last_hash     TEXT    NOT NULL
);
