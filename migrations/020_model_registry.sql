-- 020: the model registry (issue 11). Every trained version of a prediction model, its full
-- artifact (everything needed to score without the training data) and the columns `ail models
-- list` / `show` read without opening any artifact; aliases (MLflow's `name@champion`); and the
-- predictions of stored rows, keyed so that scoring the same rows with the same version again
-- adds nothing. Re-runnable.

CREATE TABLE IF NOT EXISTS ail_model_versions (
    model_name        text NOT NULL CHECK (model_name ~ '^[a-z][a-z0-9_]{0,62}$'),
    version           integer NOT NULL CHECK (version >= 1),
    kind              text NOT NULL CHECK (kind IN ('logistic', 'linear')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    training_rows     integer NOT NULL CHECK (training_rows >= 0),
    evaluation_rows   integer NOT NULL CHECK (evaluation_rows >= 0),
    window_start      timestamptz NOT NULL,
    evaluation_start  timestamptz NOT NULL,
    evaluation_end    timestamptz NOT NULL,
    primary_metric    text NOT NULL CHECK (primary_metric IN ('log_loss', 'rmse')),
    primary_value     double precision NOT NULL,
    baseline_value    double precision,
    query_checksum    text NOT NULL,
    engine_version    text NOT NULL,
    promotion_note    text,
    artifact          jsonb NOT NULL,
    PRIMARY KEY (model_name, version),
    CHECK (window_start <= evaluation_start AND evaluation_start <= evaluation_end)
);
COMMENT ON TABLE ail_model_versions IS 'One row per trained model version (ail train); artifact is the models/<model>/<version>.json document';
COMMENT ON COLUMN ail_model_versions.model_name IS 'Model name (success, tool_failure, code_acceptance, time_to_decision, satisfaction, satisfaction_high)';
COMMENT ON COLUMN ail_model_versions.version IS 'Version number, 1, 2, … per model';
COMMENT ON COLUMN ail_model_versions.kind IS 'logistic (a probability) or linear (an expected value)';
COMMENT ON COLUMN ail_model_versions.created_at IS 'When the version was registered';
COMMENT ON COLUMN ail_model_versions.training_rows IS 'Rows the model was fitted on (earliest part of the window)';
COMMENT ON COLUMN ail_model_versions.evaluation_rows IS 'Held-out rows (latest part of the window) the evaluation used';
COMMENT ON COLUMN ail_model_versions.window_start IS 'First training row';
COMMENT ON COLUMN ail_model_versions.evaluation_start IS 'Start of the held-out part (end of training, exclusive)';
COMMENT ON COLUMN ail_model_versions.evaluation_end IS 'Last held-out row';
COMMENT ON COLUMN ail_model_versions.primary_metric IS 'The figure the champion rule compares: log_loss (classifiers) or rmse (linear models), lower is better';
COMMENT ON COLUMN ail_model_versions.primary_value IS 'Held-out value of primary_metric';
COMMENT ON COLUMN ail_model_versions.baseline_value IS 'primary_metric of the baseline (training base rate or mean) on the same rows';
COMMENT ON COLUMN ail_model_versions.query_checksum IS 'SHA-256 (hex) of the feature query text';
COMMENT ON COLUMN ail_model_versions.engine_version IS 'ail version that trained it';
COMMENT ON COLUMN ail_model_versions.promotion_note IS 'Why the version did or did not become champion when it was registered';
COMMENT ON COLUMN ail_model_versions.artifact IS 'The full artifact: encoding, coefficients, covariance, evaluation, window, row counts, query (models/README.md)';

CREATE TABLE IF NOT EXISTS ail_model_aliases (
    model_name  text NOT NULL,
    alias       text NOT NULL CHECK (alias ~ '^[a-z][a-z0-9_]{0,62}$'),
    version     integer NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model_name, alias),
    FOREIGN KEY (model_name, version) REFERENCES ail_model_versions (model_name, version)
);
COMMENT ON TABLE ail_model_aliases IS 'Named pointers to versions (champion = the version in use, also installed as SQL function ail_predict_<model>)';
COMMENT ON COLUMN ail_model_aliases.model_name IS 'The model the alias belongs to';
COMMENT ON COLUMN ail_model_aliases.alias IS 'Alias name, e.g. champion';
COMMENT ON COLUMN ail_model_aliases.version IS 'The version the alias names';
COMMENT ON COLUMN ail_model_aliases.updated_at IS 'When the alias last moved';

CREATE TABLE IF NOT EXISTS ail_model_predictions (
    model_name  text NOT NULL,
    version     integer NOT NULL,
    row_key     text NOT NULL,
    score       double precision NOT NULL,
    scored_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model_name, version, row_key),
    FOREIGN KEY (model_name, version) REFERENCES ail_model_versions (model_name, version)
);
COMMENT ON TABLE ail_model_predictions IS 'Scores of stored rows (ail predict MODEL --since DATE); re-scoring with the same version adds nothing';
COMMENT ON COLUMN ail_model_predictions.model_name IS 'The model that scored the row';
COMMENT ON COLUMN ail_model_predictions.version IS 'The version that scored the row';
COMMENT ON COLUMN ail_model_predictions.row_key IS 'The scored row: its event id, or the session id for session-level models';
COMMENT ON COLUMN ail_model_predictions.score IS 'Probability (logistic) or expected value (linear)';
COMMENT ON COLUMN ail_model_predictions.scored_at IS 'When the row was scored';
