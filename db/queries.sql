-- Every SQL statement the application runs, by name. Loaded once by db/queries.py.
-- Placeholders are psycopg's %(name)s.

-- name: upsert_source_file --
INSERT INTO source_files (sha256, content, size, file_name)
VALUES (%(sha256)s, %(content)s, %(size)s, %(file_name)s)
ON CONFLICT (sha256) DO NOTHING;

-- name: get_source_file --
SELECT sha256, content, size, file_name, uploaded_at FROM source_files WHERE sha256 = %(sha256)s;

-- name: insert_model --
INSERT INTO models (name, file_sha256, sheets, sheet_count, cell_count, formula_count,
                    evaluated_count, comparable_count, matched_count, mismatched_count,
                    cycle_cell_count, calc_settings, mismatch_summary, engine_version)
VALUES (%(name)s, %(file_sha256)s, %(sheets)s, %(sheet_count)s, %(cell_count)s,
        %(formula_count)s, 0, 0, 0, 0, %(cycle_cell_count)s, %(calc_settings)s, '{}',
        %(engine_version)s)
RETURNING id;

-- name: insert_defined_name --
INSERT INTO defined_names (model_id, name, scope, value)
VALUES (%(model_id)s, %(name)s, %(scope)s, %(value)s);

-- name: copy_cells --
COPY cells (model_id, sheet, address, row, col, formula, raw_value, raw_text, raw_type,
            calculated_value, calculated_text, calculated_type, has_mismatch, mismatch_reason)
FROM STDIN;

-- name: model_summary --
-- The verdict as stored: counted from the cells table, not from memory.
SELECT count(*) FILTER (WHERE formula IS NOT NULL) AS formula_count,
       count(*) FILTER (WHERE formula IS NOT NULL AND calculated_type IS NOT NULL) AS evaluated,
       count(*) FILTER (WHERE has_mismatch IS NOT NULL
                          AND coalesce(mismatch_reason, '') <> 'volatile') AS comparable,
       count(*) FILTER (WHERE has_mismatch = false) AS matched,
       count(*) FILTER (WHERE has_mismatch AND mismatch_reason <> 'volatile') AS mismatched,
       count(*) FILTER (WHERE mismatch_reason = 'volatile') AS volatile
FROM cells WHERE model_id = %(model_id)s;

-- name: mismatch_reasons --
SELECT mismatch_reason AS reason, count(*) AS cells
FROM cells
WHERE model_id = %(model_id)s AND mismatch_reason IS NOT NULL
GROUP BY mismatch_reason ORDER BY count(*) DESC, mismatch_reason;

-- name: update_model_summary --
UPDATE models
SET evaluated_count = %(evaluated)s, comparable_count = %(comparable)s,
    matched_count = %(matched)s, mismatched_count = %(mismatched)s,
    mismatch_summary = %(summary)s
WHERE id = %(model_id)s;

-- name: list_models --
SELECT id, name, file_sha256, sheet_count, cell_count, formula_count, comparable_count,
       matched_count, mismatched_count, cycle_cell_count, imported_at
FROM models ORDER BY id DESC LIMIT %(limit)s;

-- name: get_model --
SELECT m.*, s.file_name, s.size AS file_size
FROM models m JOIN source_files s ON s.sha256 = m.file_sha256
WHERE m.id = %(model_id)s;
