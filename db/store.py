"""Writing an analysis: the model row, its names, its cells by COPY and its figures, inside the
caller's one transaction. Nothing of Excel's is computed here: the values, the verdicts and the
figures arrive made (importer/analysis.py); importer/service.py composes the two."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from db import queries

CellRow = Sequence[object]  # in the column order of queries.copy_cells, without model_id


def save_source_file(conn: psycopg.Connection, *, sha256: str, content: bytes, file_name: str) -> None:
    conn.execute(
        queries.upsert_source_file,
        {"sha256": sha256, "content": content, "size": len(content), "file_name": file_name},
    )


def load_source_file(conn: psycopg.Connection, sha256: str) -> dict:
    """A stored workbook: sha256, content (bytes), size, file_name, uploaded_at."""
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(queries.get_source_file, {"sha256": sha256}).fetchone()
    if row is None:
        raise LookupError(f"no source file {sha256}")
    row["content"] = bytes(row["content"])
    return row


def insert_model(
    conn: psycopg.Connection,
    *,
    name: str,
    sha256: str,
    sheets: list[str],
    cell_count: int,
    formula_count: int,
    cycle_cell_count: int,
    calc_settings: dict,
    engine_version: str | None,
) -> int:
    return conn.execute(
        queries.insert_model,
        {
            "name": name,
            "file_sha256": sha256,
            "sheets": Jsonb(sheets),
            "sheet_count": len(sheets),
            "cell_count": cell_count,
            "formula_count": formula_count,
            "cycle_cell_count": cycle_cell_count,
            "calc_settings": Jsonb(calc_settings),
            "engine_version": engine_version,
        },
    ).fetchone()[0]


def insert_names(
    conn: psycopg.Connection, model_id: int, names: Iterable[tuple[str, str | None, str]]
) -> None:
    with conn.cursor() as cur:
        cur.executemany(
            queries.insert_defined_name,
            [{"model_id": model_id, "name": n, "scope": s, "value": v} for n, s, v in names],
        )


def copy_cells(
    conn: psycopg.Connection,
    model_id: int,
    rows: Iterable[CellRow],
    progress: Callable[[int], None] | None = None,
    every: int = 20_000,
) -> int:
    """COPY the cells of one model; returns how many were written."""
    n = 0
    with conn.cursor() as cur, cur.copy(queries.copy_cells) as copy:
        for row in rows:
            copy.write_row((model_id, *row))
            n += 1
            if progress is not None and n % every == 0:
                progress(n)
    return n


def record_summary(conn: psycopg.Connection, model_id: int, summary: Mapping) -> None:
    """Record the analysis' figures on the model row: evaluated, comparable, matched,
    mismatched and reasons ({reason: cells}), as importer.analysis.Summary counts them."""
    conn.execute(
        queries.update_model_summary,
        {
            "model_id": model_id,
            "evaluated": summary["evaluated"],
            "comparable": summary["comparable"],
            "matched": summary["matched"],
            "mismatched": summary["mismatched"],
            "summary": Jsonb(summary["reasons"]),
        },
    )


def revalidate(
    conn: psycopg.Connection,
    model_id: int,
    rows: Iterable[CellRow],
    engine_version: str | None,
    summary: Mapping,
    example_limit: int = 50,
) -> dict:
    """Replace a model's calculated values, verdicts and figures (``summary``, as for
    record_summary); report which cells changed verdict.

    ``rows`` are (sheet, row, col, calculated_value, calculated_text, calculated_type,
    has_mismatch, mismatch_reason). Runs inside the caller's transaction.
    """
    conn.execute(queries.lock_model, {"model_id": model_id})
    conn.execute(queries.create_revalidation_table)
    with conn.cursor() as cur, cur.copy(queries.copy_revalidated) as copy:
        for row in rows:
            copy.write_row(row)
    started, stopped = [], []
    with conn.cursor(row_factory=dict_row) as cur:
        for change in cur.execute(queries.revalidation_changes, {"model_id": model_id}):
            if change["was_mismatch"] and change["is_mismatch"] is False:
                started.append(change)
            elif change["is_mismatch"] and change["was_mismatch"] is not True:
                stopped.append(change)
    conn.execute(queries.apply_revalidation, {"model_id": model_id})
    conn.execute(queries.mark_validated, {"model_id": model_id, "engine_version": engine_version})
    record_summary(conn, model_id, summary)
    return {
        "started_matching": len(started),
        "stopped_matching": len(stopped),
        "started_matching_examples": [f"{c['sheet']}!{c['address']}" for c in started[:example_limit]],
        "stopped_matching_examples": [
            f"{c['sheet']}!{c['address']} ({c['reason']})" for c in stopped[:example_limit]
        ],
    }
