CREATE TABLE application_profile (
    id              TEXT PRIMARY KEY,
    home_region     TEXT NOT NULL,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL,
    model_id        TEXT NOT NULL,
    copied_from     TEXT,
    regions         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    client_token    TEXT,
    request_digest  TEXT NOT NULL,
    UNIQUE (home_region, name),
    UNIQUE (home_region, client_token)
);

CREATE TABLE application_profile_tag (
    profile_id  TEXT NOT NULL REFERENCES application_profile (id) ON DELETE CASCADE,
    tag_key     TEXT NOT NULL,
    tag_value   TEXT NOT NULL,
    PRIMARY KEY (profile_id, tag_key)
);
