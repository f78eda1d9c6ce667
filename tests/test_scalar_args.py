"""A one-cell reference where a function takes a scalar (issue 11, cause 3).

Excel reads a one-cell range, a one-cell defined name (workbook or sheet scope) and a name to a
formula as the value they hold wherever a parameter takes a scalar. The property test asks the
real engine, for every function it registers (HyperFormula's built-ins and our plugins, by
their `parameters` metadata) whose required parameters are all scalars, for the same answer in
all those forms; the workbook test goes through the importer (names, translation, engine).
"""

import datetime as dt
import json
import math
import subprocess
from pathlib import Path

import psycopg
from psycopg.rows import dict_row

from importer import service
from tests.workbooks import build

ENGINE_DIR = Path(__file__).resolve().parent.parent / "hyperformula"

# Functions whose answer depends on the reference itself, not on the value it holds.
REFERENCE_FUNCTIONS = {"ISFORMULA": "asks whether the referenced cell holds a formula"}

PROBE = r"""
const { HyperFormula } = require('hyperformula')
const { register } = require('./test/helpers')
const { CONFIG } = require('./config')
register()
const SCALAR = new Set(['NUMBER', 'INTEGER', 'STRING', 'BOOLEAN', 'SCALAR', 'NOERROR'])
const SKIP = new Set(['RAND', 'RANDBETWEEN', 'RANDARRAY', 'NOW', 'TODAY'])
// Which of the cells A1:E1 (2, 45000.5, "m", TRUE, 3) feeds an argument of each type.
const POOL = {
  NUMBER: ['A', 'B'], INTEGER: ['A', 'E'], STRING: ['C'], BOOLEAN: ['D'],
  SCALAR: ['B', 'A'], NOERROR: ['A', 'B'],
}
const hf = HyperFormula.buildEmpty(CONFIG)
const sheet = hf.getSheetId(hf.addSheet('Sheet1'))
hf.addNamedExpression('TRUE', '=TRUE()')
hf.addNamedExpression('FALSE', '=FALSE()')
for (const col of 'ABCDE') {
  hf.addNamedExpression(`N_${col}`, `=Sheet1!$${col}$1`)
  hf.addNamedExpression(`L_${col}`, `=Sheet1!$${col}$1`, sheet)
  hf.addNamedExpression(`F_${col}`, `=IF(TRUE(), Sheet1!$${col}$1)`)
}
const FORMS = {
  cell: (c) => `$${c}$1`,
  range: (c) => `$${c}$1:$${c}$1`,
  name: (c) => `N_${c}`,
  sheet_name: (c) => `L_${c}`,
  formula_name: (c) => `F_${c}`,
}
const rows = [[2, 45000.5, 'm', true, 3]]
const names = []
for (const name of HyperFormula.getRegisteredFunctionNames('enGB')) {
  if (SKIP.has(name) || name.startsWith('CL_')) continue
  const plugin = HyperFormula.getFunctionPlugin(name)
  const meta = plugin && plugin.implementedFunctions[name]
  if (!meta || !meta.parameters) continue
  const required = meta.parameters.filter((p) => p.defaultValue === undefined && !p.optionalArg)
  if (required.length === 0 || !required.every((p) => SCALAR.has(p.argumentType))) continue
  const cols = required.map((p, i) => POOL[p.argumentType][i % POOL[p.argumentType].length])
  names.push(name)
  rows.push(Object.values(FORMS).map((form) => `=${name}(${cols.map(form).join(',')})`))
}
hf.setSheetContent(sheet, rows)
const show = (v) => (v !== null && typeof v === 'object' ? { error: v.value } : v)
const out = {}
names.forEach((name, k) => {
  const value = (i) => show(hf.getCellValue({ sheet, row: k + 1, col: i }))
  out[name] = Object.fromEntries(Object.keys(FORMS).map((form, i) => [form, value(i)]))
})
console.log(JSON.stringify(out))
hf.destroy()
"""


def _same(a, b) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300)
    return a == b


def test_every_scalar_parameter_reads_a_one_cell_range_or_name_as_its_value():
    run = subprocess.run(
        ["node", "-e", PROBE], cwd=ENGINE_DIR, capture_output=True, text=True, timeout=120, check=True
    )
    results = json.loads(run.stdout)
    assert {"DATEDIF", "TEXT", "EDATE", "YEAR", "ROUND"} <= results.keys()
    assert len(results) > 250  # the whole registry, not a hand-picked few
    answered = [n for n, forms in results.items() if not isinstance(forms["cell"], dict)]
    assert len(answered) > 0.6 * len(results)  # most calls give a value, so equality means something
    differ = {
        name: forms
        for name, forms in results.items()
        if name not in REFERENCE_FUNCTIONS and not all(_same(forms["cell"], v) for v in forms.values())
    }
    assert differ == {}


def _serial(d: dt.date) -> int:
    return (d - dt.date(1899, 12, 30)).days


def _report_date_workbook() -> bytes:
    """Report!B3 holds the report date; Model!B2 the start. ReportDate (workbook scope),
    LocalDate (Model's scope) and FormulaDate (=Report!$B$3+0) all read it."""

    def fill(wb):
        model = wb.add_worksheet("Model")
        report = wb.add_worksheet("Report")
        report.write_number("B3", _serial(dt.date(2024, 3, 15)))
        model.write_number("B2", _serial(dt.date(2023, 1, 31)))
        wb.define_name("ReportDate", "=Report!$B$3")
        wb.define_name("Model!LocalDate", "=Report!$B$3")
        wb.define_name("FormulaDate", "=Report!$B$3+0")
        formulas = {
            "C1": '=DATEDIF(B2,ReportDate,"m")',
            "C2": '=DATEDIF(B2,Report!B3:B3,"m")',
            "C3": '=DATEDIF(B2,LocalDate,"d")',
            "C4": '=DATEDIF(B2,FormulaDate,"y")',
            "C5": '=DATEDIF(B2:B2,ReportDate,"md")',
            "C6": '=ROUNDUP((DATEDIF($B$2,ReportDate,"d")+1)/365,0)',
            "C7": "=EDATE(ReportDate,1)",
            "C8": "=YEAR(LocalDate)+MONTH(FormulaDate)",
        }
        for cell, formula in formulas.items():
            model.write_formula(cell, formula, None, 0)
        model.write_formula("C9", '=TEXT(ReportDate,"yyyy-mm-dd")', None, "")

    return build(fill)


def test_one_cell_names_and_ranges_feed_date_functions_through_the_importer(database, engine):
    result = service.import_file(_report_date_workbook(), "report date", engine=engine)
    with psycopg.connect(database) as conn, conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            "SELECT address, calculated_value, calculated_text FROM cells"
            " WHERE model_id = %s AND sheet = 'Model' AND col = 3",
            (result.model_id,),
        ).fetchall()
    got = {
        r["address"]: r["calculated_value"] if r["calculated_text"] is None else r["calculated_text"]
        for r in rows
    }
    start, end = dt.date(2023, 1, 31), dt.date(2024, 3, 15)
    days = (end - start).days
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    assert got == {
        "C1": months,
        "C2": months,
        "C3": days,
        "C4": months // 12,
        # "md": 15 Mar minus DATE(2024, 2, 31), which overflows to 29 Feb + 2 days.
        "C5": (end - (dt.date(2024, 2, 29) + dt.timedelta(days=2))).days,
        "C6": math.ceil((days + 1) / 365),
        "C7": _serial(dt.date(2024, 4, 15)),
        "C8": 2024 + 3,
        "C9": "2024-03-15",
    }
