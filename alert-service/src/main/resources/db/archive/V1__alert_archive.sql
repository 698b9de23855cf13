-- Every alert the service ingested, once by alert_id. Insert-only: rows never change, except
-- export_batch, set once when the row is claimed for a Parquet export batch.
CREATE TABLE alert_archive (
    alert_id     text        PRIMARY KEY,
    rule_id      text        NOT NULL,
    rule_version integer     NOT NULL,
    kind         text        NOT NULL,
    severity     text        NOT NULL,
    title        text        NOT NULL,
    message      text        NOT NULL,
    tags         text[]      NOT NULL,
    owner        text,
    alert_key    jsonb       NOT NULL,
    key_text     text        NOT NULL,
    start_time   timestamptz NOT NULL,
    end_time     timestamptz NOT NULL,
    detected_at  timestamptz NOT NULL,
    archived_at  timestamptz NOT NULL DEFAULT now(),
    alert        jsonb       NOT NULL,
    export_batch bigint
);

-- Newest first, with alert_id as the tie-breaker of the keyset cursor.
CREATE INDEX alert_archive_by_time ON alert_archive (detected_at DESC, alert_id DESC);
CREATE INDEX alert_archive_by_rule ON alert_archive (rule_id, detected_at DESC, alert_id DESC);
CREATE INDEX alert_archive_by_severity ON alert_archive (severity, detected_at DESC, alert_id DESC);
-- key=name=value filters use containment (alert_key @> '{"name":"value"}').
CREATE INDEX alert_archive_by_key ON alert_archive USING gin (alert_key jsonb_path_ops);
CREATE INDEX alert_archive_by_key_text ON alert_archive (key_text, detected_at DESC);
-- The rows no Parquet batch has claimed yet: small, since the exporter keeps up.
CREATE INDEX alert_archive_unexported ON alert_archive (archived_at, alert_id) WHERE export_batch IS NULL;
CREATE INDEX alert_archive_by_export_batch ON alert_archive (export_batch);

-- One row per Parquet export batch: claimed (its rows fixed) first, written_at once its files are
-- in place. A batch without written_at is written again, to the same file names.
CREATE SEQUENCE parquet_export_batch;
CREATE TABLE parquet_export (
    batch      bigint      PRIMARY KEY,
    row_count  integer     NOT NULL,
    claimed_at timestamptz NOT NULL DEFAULT now(),
    written_at timestamptz
);
