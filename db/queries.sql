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
  AND has_mismatch IS DISTINCT FROM false -- a matched cell's note (iteration_off) is no mismatch
GROUP BY mismatch_reason ORDER BY count(*) DESC, mismatch_reason;

-- name: update_model_summary --
UPDATE models
SET evaluated_count = %(evaluated)s, comparable_count = %(comparable)s,
    matched_count = %(matched)s, mismatched_count = %(mismatched)s,
    mismatch_summary = %(summary)s
WHERE id = %(model_id)s;

-- name: list_models --
-- Newest first, paginated by id (db/reads.py); %(before_id)s NULL: from the newest.
SELECT id, name, file_sha256, sheet_count, cell_count, formula_count, comparable_count,
       matched_count, mismatched_count, cycle_cell_count, imported_at, validated_at
FROM models
WHERE (%(before_id)s::bigint IS NULL OR id < %(before_id)s)
ORDER BY id DESC LIMIT %(limit)s;

-- name: get_model --
SELECT m.*, s.file_name, s.size AS file_size
FROM models m JOIN source_files s ON s.sha256 = m.file_sha256
WHERE m.id = %(model_id)s;

-- name: find_live_import --
SELECT job_id FROM job_runs
WHERE job_type = 'import' AND status IN ('pending', 'processing')
  AND file_sha256 = %(sha256)s AND model_name = %(name)s;

-- name: find_imported_model --
SELECT id FROM models WHERE file_sha256 = %(sha256)s AND name = %(name)s ORDER BY id DESC LIMIT 1;

-- name: insert_job_run --
INSERT INTO job_runs (job_type, params, file_sha256, model_name, model_id)
VALUES (%(job_type)s, %(params)s, %(sha256)s, %(name)s, %(model_id)s)
RETURNING job_id;

-- name: defer_job --
-- procrastinate's own defer function, called inside our transaction so that the job, the
-- job_runs row and the file commit together.
SELECT (procrastinate_defer_jobs_v1(ARRAY[ROW(
    %(queue)s, %(task_name)s, 0, NULL, %(queueing_lock)s, %(args)s, NULL
)::procrastinate_job_to_defer_v1]))[1] AS id;

-- name: set_procrastinate_job --
UPDATE job_runs SET procrastinate_job_id = %(procrastinate_job_id)s WHERE job_id = %(job_id)s;

-- name: start_job --
-- Only a pending or processing (retried after a crash) job starts; a cancelled one stays so.
UPDATE job_runs
SET status = 'processing', started_at = now(), attempts = %(attempt)s, worker = %(worker)s,
    error = NULL
WHERE job_id = %(job_id)s AND status IN ('pending', 'processing')
RETURNING job_id, job_type, params, file_sha256, model_name, model_id;

-- name: finish_job --
UPDATE job_runs
SET status = %(status)s, completed_at = now(), result = %(result)s, error = %(error)s,
    model_id = coalesce(%(model_id)s, model_id)
WHERE job_id = %(job_id)s AND status IN ('pending', 'processing');

-- name: requeue_job --
-- A transient failure that procrastinate will retry: back to pending, with the last error.
UPDATE job_runs SET status = 'pending', error = %(error)s
WHERE job_id = %(job_id)s AND status = 'processing';

-- name: insert_progress --
INSERT INTO job_progress (job_id, stage, percent, message)
VALUES (%(job_id)s, %(stage)s, %(percent)s, %(message)s);

-- name: get_job --
SELECT r.job_id, r.job_type, r.status, r.created_at, r.started_at, r.completed_at, r.params,
       r.result, r.error, r.model_id, r.model_name, r.file_sha256, r.attempts, r.worker,
       r.procrastinate_job_id, s.stage, s.percent, s.message, s.progress_at
FROM job_runs r JOIN job_status s USING (job_id)
WHERE r.job_id = %(job_id)s;

-- name: job_progress_history --
SELECT id, stage, percent, message, "timestamp" FROM job_progress
WHERE job_id = %(job_id)s AND id > %(after_id)s ORDER BY id;

-- name: list_jobs --
SELECT job_id, job_type, status, model_name, model_id, created_at, started_at, completed_at,
       stage, percent, message, error_type
FROM job_status
WHERE (%(status)s::text IS NULL OR status = %(status)s)
  AND (%(job_type)s::text IS NULL OR job_type = %(job_type)s)
  AND (%(before_id)s::bigint IS NULL OR job_id < %(before_id)s)
ORDER BY job_id DESC
LIMIT %(limit)s;

-- name: cancel_pending_job --
UPDATE job_runs SET status = 'cancelled', completed_at = now(),
       error = '{"type": "cancelled", "message": "Cancelled before it started.", "stage": null, "details": {}}'
WHERE job_id = %(job_id)s AND status = 'pending';

-- name: orphaned_job_runs --
-- job_runs still open whose procrastinate job has ended (e.g. failed after its last attempt
-- while the worker was dying): closed by the rescuer so no job stays 'processing' forever.
SELECT r.job_id, j.status::text AS queue_status
FROM job_runs r JOIN procrastinate_jobs j ON j.id = r.procrastinate_job_id
WHERE r.status IN ('pending', 'processing')
  AND j.status IN ('failed', 'cancelled', 'aborted', 'succeeded');

-- name: prune_progress --
DELETE FROM job_progress p USING job_runs r
WHERE p.job_id = r.job_id AND r.completed_at < now() - make_interval(hours => %(hours)s);

-- name: create_revalidation_table --
CREATE TEMPORARY TABLE revalidated (
    sheet text, row integer, col integer, calculated_value double precision,
    calculated_text text, calculated_type text, has_mismatch boolean, mismatch_reason text,
    PRIMARY KEY (sheet, row, col)
) ON COMMIT DROP;

-- name: copy_revalidated --
COPY revalidated (sheet, row, col, calculated_value, calculated_text, calculated_type,
                  has_mismatch, mismatch_reason)
FROM STDIN;

-- name: revalidation_changes --
-- Cells whose verdict changes: those that start matching and those that stop.
SELECT c.sheet, c.address, c.has_mismatch AS was_mismatch, n.has_mismatch AS is_mismatch,
       c.mismatch_reason AS was_reason, n.mismatch_reason AS reason
FROM cells c JOIN revalidated n USING (sheet, row, col)
WHERE c.model_id = %(model_id)s
  AND c.has_mismatch IS DISTINCT FROM n.has_mismatch
ORDER BY c.sheet, c.row, c.col;

-- name: apply_revalidation --
UPDATE cells c
SET calculated_value = n.calculated_value, calculated_text = n.calculated_text,
    calculated_type = n.calculated_type, has_mismatch = n.has_mismatch,
    mismatch_reason = n.mismatch_reason
FROM revalidated n
WHERE c.model_id = %(model_id)s AND c.sheet = n.sheet AND c.row = n.row AND c.col = n.col;

-- name: mark_validated --
UPDATE models SET validated_at = now(), engine_version = %(engine_version)s WHERE id = %(model_id)s;

-- name: lock_model --
SELECT id FROM models WHERE id = %(model_id)s FOR UPDATE;

-- name: insert_api_key --
INSERT INTO api_keys (name, key_hash, prefix) VALUES (%(name)s, %(key_hash)s, %(prefix)s)
RETURNING id, name, prefix, created_at;

-- name: list_api_keys --
SELECT id, name, prefix, created_at, revoked_at FROM api_keys ORDER BY id;

-- name: revoke_api_key --
UPDATE api_keys SET revoked_at = now() WHERE id = %(key_id)s AND revoked_at IS NULL
RETURNING id;

-- name: check_api_key --
-- Whether the API is locked (any live key) and which live key, if any, has this hash.
SELECT EXISTS (SELECT 1 FROM api_keys WHERE revoked_at IS NULL) AS any_keys,
       (SELECT id FROM api_keys WHERE key_hash = %(key_hash)s AND revoked_at IS NULL) AS key_id;

-- name: lock_upload_bucket --
SELECT pg_advisory_xact_lock(hashtextextended('capitallens_upload:' || %(bucket)s, 0));

-- name: forget_old_upload_hits --
DELETE FROM upload_hits
WHERE bucket = %(bucket)s AND at <= now() - make_interval(secs => %(window)s);

-- name: recent_upload_hits --
-- How many uploads the window holds, and in how many seconds the oldest leaves it.
SELECT count(*) AS hits,
       extract(epoch FROM min(at) + make_interval(secs => %(window)s) - now()) AS frees_in
FROM upload_hits WHERE bucket = %(bucket)s;

-- name: insert_upload_hit --
INSERT INTO upload_hits (bucket) VALUES (%(bucket)s);

-- name: list_cells --
-- Keyset pagination in primary-key order; every filter is optional.
SELECT sheet, address, row, col, formula, raw_value, raw_text, raw_type, calculated_value,
       calculated_text, calculated_type, has_mismatch, mismatch_reason
FROM cells
WHERE model_id = %(model_id)s
  AND (%(sheet)s::text IS NULL OR sheet = %(sheet)s)
  AND (NOT %(formulas_only)s OR formula IS NOT NULL)
  AND (NOT %(mismatches_only)s OR has_mismatch)
  AND (%(reason)s::text IS NULL OR mismatch_reason = %(reason)s
       OR mismatch_reason LIKE %(reason)s || ':%%')
  AND (%(min_row)s::int IS NULL OR row BETWEEN %(min_row)s AND %(max_row)s)
  AND (%(min_col)s::int IS NULL OR col BETWEEN %(min_col)s AND %(max_col)s)
  AND (%(after_sheet)s::text IS NULL OR (sheet, row, col) > (%(after_sheet)s, %(after_row)s, %(after_col)s))
ORDER BY sheet, row, col
LIMIT %(limit)s;

-- name: live_jobs_of_model --
SELECT job_id, job_type, status FROM job_runs
WHERE model_id = %(model_id)s AND status IN ('pending', 'processing')
ORDER BY job_id;

-- name: delete_model --
DELETE FROM models WHERE id = %(model_id)s RETURNING id;

-- name: model_exists --
SELECT id FROM models WHERE id = %(model_id)s;

-- name: list_defined_names --
SELECT name, scope, value FROM defined_names WHERE model_id = %(model_id)s
ORDER BY name, scope NULLS FIRST, id;

-- name: advisory_xact_lock --
-- Serialises enqueues of the same file and name (or of the same model's validation).
SELECT pg_advisory_xact_lock(%(key)s);

-- name: find_live_validation --
SELECT job_id FROM job_runs
WHERE job_type = 'validation' AND model_id = %(model_id)s AND status IN ('pending', 'processing');

-- name: lock_job_run --
SELECT status, procrastinate_job_id FROM job_runs WHERE job_id = %(job_id)s FOR UPDATE;

-- name: abort_queue_job --
-- procrastinate's own cancel: a 'todo' job becomes cancelled, a 'doing' one is asked to abort.
SELECT procrastinate_cancel_job_v1(%(procrastinate_job_id)s, true, false);

-- name: lock_stalled_jobs --
-- The running jobs of workers silent for %(stalled_after)s seconds (or whose worker row is gone),
-- each with its job_runs row, locked so that two rescuers never handle the same job.
SELECT j.id AS queue_job_id, j.task_name, j.abort_requested, r.job_id, r.attempts,
       r.worker_deaths, r.worker
FROM procrastinate_jobs j
LEFT JOIN procrastinate_workers w ON w.id = j.worker_id
LEFT JOIN job_runs r ON r.procrastinate_job_id = j.id
WHERE j.status = 'doing'
  AND (j.worker_id IS NULL OR w.last_heartbeat < now() - make_interval(secs => %(stalled_after)s))
ORDER BY j.id
FOR UPDATE OF j SKIP LOCKED;

-- name: retry_queue_job --
-- procrastinate's own retry: a 'doing' job goes back to 'todo', to run from scratch.
SELECT procrastinate_retry_job_v2(%(queue_job_id)s, now(), NULL, NULL, NULL);

-- name: end_queue_job --
-- procrastinate's own finish: 'failed', or 'aborted' for a job whose abort was requested.
SELECT procrastinate_finish_job_v1(%(queue_job_id)s, %(status)s::procrastinate_job_status, false);

-- name: count_worker_death --
UPDATE job_runs SET worker_deaths = worker_deaths + 1 WHERE job_id = %(job_id)s
RETURNING worker_deaths;

-- name: mismatched_cells --
-- Every mismatched formula cell of the given models (volatile ones left out), for the triage
-- view of `capitallens fidelity --by-cause` (importer/causes.py). %(model_ids)s NULL: every model.
SELECT c.model_id, m.name AS workbook, c.sheet, c.address, c.formula, c.mismatch_reason AS reason,
       c.raw_type, c.raw_value, c.raw_text,
       c.calculated_type, c.calculated_value, c.calculated_text
FROM cells c JOIN models m ON m.id = c.model_id
WHERE c.has_mismatch AND c.mismatch_reason <> 'volatile'
  AND (%(model_ids)s::bigint[] IS NULL OR c.model_id = ANY (%(model_ids)s::bigint[]))
ORDER BY m.name, c.sheet, c.row, c.col;

-- name: latest_models --
-- The newest model of each name: what `capitallens fidelity --by-cause` reads with no file given.
SELECT max(id) AS id FROM models GROUP BY name;
