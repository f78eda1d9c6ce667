"""Structured references (Excel tables) as the dependency graph and the engine read them: the
exact rectangle each form denotes, [#This Row] as the formula's own row, so that ordering and
TODAY()'s propagation follow them. Workbooks with real table parts (tests/fidelity_workbooks.py);
expected values are computed here from the table's inputs."""

import datetime as dt

import psycopg
from psycopg.rows import dict_row

from importer import graph, service, workbook
from tests import fidelity_workbooks
from tests.fidelity_workbooks import BACKLOG

AS_OF = "2024-03-15"
TODAY = (dt.date(2024, 3, 15) - dt.date(1899, 12, 30)).days


def _deps():
    wb = workbook.read(fidelity_workbooks.structured_references())
    deps = graph.build(wb)
    names = [s.name for s in wb.sheets]
    node = {(names[si], r, c): n for n, (si, r, c) in enumerate(deps.cells)}
    return deps, node


def _targets(deps, n):
    """The formula cells node n reads, through range nodes too."""
    out = set()
    for t in deps.adjacency[n]:
        out |= {t} if t < len(deps.cells) else set(deps.adjacency[t])
    return out


def test_this_row_is_an_edge_to_the_cell_of_the_formulas_own_row():
    deps, node = _deps()
    for row in (2, 3, 4):
        ship, lead = node["Orders", row, 4], node["Orders", row, 5]
        assert _targets(deps, lead) == {ship}  # Order Date and Qty are constants
        assert deps.order.index(ship) < deps.order.index(lead)
    assert _targets(deps, node["Orders", 10, 7]) == {node["Orders", r, 4] for r in (2, 3, 4)}
    assert _targets(deps, node["Report", 1, 1]) == {node["Orders", r, 5] for r in (2, 3, 4)}


def test_today_reaches_every_cell_reading_a_ship_date_through_a_table_reference():
    deps, _ = _deps()
    reached = {deps.cells[n] for n in deps.dependents_of(deps.as_of)}
    names = {0: "Orders", 1: "Report"}
    reached = {(names[si], r, c) for si, r, c in reached}
    ship_dates = {("Orders", r, 4) for r in (2, 3, 4)} | {("Orders", r, 5) for r in (2, 3, 4)}
    # G4 ROWS(Backlog[#All]) reads the whole table too, as Excel's own dependency tree has it.
    whole_table = {("Orders", r, 7) for r in (4, 7, 8, 9, 10)} | {("Report", 1, 1)}
    assert reached == ship_dates | whole_table
    # Columns without a ship date, totals and the headerless table are not reached.
    for cell in [("Orders", 1, 7), ("Orders", 3, 7), ("Orders", 5, 7), ("Orders", 2, 8), ("Report", 3, 1)]:
        assert cell not in reached


def test_every_form_computes_the_rectangle_it_denotes(database, engine):
    result = service.import_file(
        fidelity_workbooks.structured_references(), "tables", engine=engine, as_of=AS_OF
    )
    with psycopg.connect(database) as conn, conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            "SELECT sheet, address, calculated_value, calculated_text FROM cells WHERE model_id = %s",
            (result.model_id,),
        ).fetchall()
    got = {(r["sheet"], r["address"]): r["calculated_value"] for r in rows}
    ship = [TODAY + qty * 10 for _, qty, _ in BACKLOG]
    lead = [round((s - order) / qty) for s, (order, qty, _) in zip(ship, BACKLOG, strict=True)]
    data = sum(sum(row) for row in BACKLOG) + sum(ship) + sum(lead)
    expected = {
        **{("Orders", f"D{r}"): v for r, v in zip((2, 3, 4), ship, strict=True)},
        **{("Orders", f"E{r}"): v for r, v in zip((2, 3, 4), lead, strict=True)},
        **{("Orders", f"H{r}"): q * 100 for r, (_, _, q) in zip((2, 3, 4), BACKLOG, strict=True)},
        ("Orders", "B5"): sum(q for _, q, _ in BACKLOG),
        ("Orders", "C5"): sum(q for _, _, q in BACKLOG),
        ("Orders", "G1"): sum(q for _, q, _ in BACKLOG),
        ("Orders", "G2"): 2 * sum(q for _, q, _ in BACKLOG),
        ("Orders", "G3"): 5,  # five header cells
        ("Orders", "G4"): 5,  # header, three data rows, totals
        ("Orders", "G5"): 4,
        ("Orders", "G6"): sum(sum(row) for row in BACKLOG),
        ("Orders", "G7"): data,
        ("Orders", "G8"): data,
        ("Orders", "G9"): data,
        ("Orders", "G10"): max(ship),
        ("Orders", "G11"): 4 + 5 + 6,
        ("Orders", "G12"): 3,
        ("Report", "A1"): sum(lead),
        ("Report", "A2"): sum(q for _, _, q in BACKLOG) + 1,
        ("Report", "A3"): sum(q * q1 for _, q, q1 in BACKLOG),
    }
    assert {k: got[k] for k in expected} == expected
