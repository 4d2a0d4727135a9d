-- Each source region's model invocation logging configuration (Bedrock's LoggingConfig as JSON).
CREATE TABLE invocation_logging_config (
    region       TEXT PRIMARY KEY,
    config_json  TEXT NOT NULL
);
