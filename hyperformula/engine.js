'use strict'
// CapitalLens HyperFormula engine: a long-lived process that speaks
// line-delimited JSON on stdin/stdout. One request per line, one response per
// line, in order. See bridge.py for the Python side and the protocol.
//
// Request  {"id": 1, "op": "evaluate",
//           "sheets": [{name, cells: [[row, col, content]], read: [[row, col]], arrays: [[top, left,
//                      height, width]], hidden_rows: [row], filtered_rows: [row]}] (0-based),
//           "names": [{name, expression, scope}],
//           "config": {...} (HyperFormula settings over config.js's; optional),
//           "iteration": {iterate, count, delta, cycles} (circular references, see solveCycles),
//           "data_tables": [...] (see fillDataTable), "tables": [...] (for INDIRECT),
//           "pivots": [...] (for GETPIVOTDATA, functions/pivot.js),
//           "application": "Microsoft Macintosh Excel" (docProps/app.xml; CHAR/CODE code page),
//           "as_of": "2024-03-15T10:30:00" (TODAY and NOW's wall clock, functions/asof.js; optional),
//           "workbook": {"file_name": "Book.xlsx", "directory": "C:\\Models\\"} (CELL("filename"),
//                      INFO("directory"), functions/cell_info.js; optional)}
//          Everything but sheets, names and config is what the request knows of its workbook:
//          engine.js puts it in one context (context.js) for the functions that read it.
//          With "follows": true, the fields after "names" may come on the next line instead,
//          {"id": 1, "op": "continue", "iteration": ...}: the sheets are loaded and evaluated
//          meanwhile, and the answer comes after that line (see evaluate).
//          {"id": 2, "op": "ping"} answers {"id": 2, "ok": true, "version": "...", "pid": ...}
// Response {"id": 1, "ok": true, "sheets": [{name, values: [[row, col, value]]}] (see encodeValue),
//           "rejected_names": [...], "timings": {...}, "dynamic_passes": n,
//           "iteration": {passes, not_converged, iterated_off}, "failures": [...] (stages contained
//           to their cells)}
//       or {"id": 1, "ok": false, "error": {"type": "...", "message": "..."}}
//
// Lifecycle: the process serves requests until its stdin closes, then exits. A request
// computes synchronously, so nothing here runs meanwhile: the bridge kills the process to stop
// one (cancel, timeout), and on Linux the kernel kills it when the Python process dies
// (PR_SET_PDEATHSIG, bridge.py). Between requests it also exits when its parent has changed or
// nobody reads its answers.
const readline = require('readline')
const { HyperFormula, DetailedCellError, CellError } = require('hyperformula')
const { CONFIG } = require('./config')
const { SimpleRangeValue, ArrayFormulaVertex } = require('./internals')
const context = require('./context')
const patches = require('./patches')
const dynamicRefs = require('./patches/dynamic_refs')
const iteration = require('./iteration')
const { excelOnlyCode, excelOnlyFormula } = require('./functions/info')

// The functions first (some patches adjust registered ones), then the patches of HyperFormula
// in their one order (patches/index.js). Once: the process serves many requests.
require('./functions/register').registerAll(HyperFormula)
patches.installAll(HyperFormula)

// A value crossing the wire: numbers, strings and booleans as themselves,
// errors as {e: code, m: message, t: type}, empty as null.
function encodeValue (value, depth = 0) {
  if (value instanceof DetailedCellError) {
    // `a`: the cell where the error started ("Sheet1!B2"), to explain errors passed along.
    // #NULL! and #GETTING_DATA are ERROR-typed inside the engine (functions/info.js): sent as
    // themselves with their own `t`, never as "#ERROR!" (which the importer reads as a parse error).
    const excelOnly = excelOnlyCode(value)
    if (excelOnly) return { e: excelOnly, m: value.message, t: excelOnly, a: value.address }
    return { e: value.value, m: value.message || '', t: value.type, a: value.address }
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return { e: '#NUM!', m: 'non-finite result', t: 'NUM' }
  }
  if (value === undefined || value === null) return null
  if (typeof value === 'object') {
    // A range held where one value belongs (a cell of a range that reads a plain cell holding a
    // range, through a cycle): its one cell, else #VALUE! as Excel shows a range it cannot
    // intersect. Never the object itself: it holds the whole dependency graph, and
    // JSON.stringify failed the request on it ("property 'cachedCellValue' closes the circle").
    if (value instanceof SimpleRangeValue) {
      if (value.width() === 1 && value.height() === 1 && depth < 4) {
        return encodeValue(value.data[0][0] instanceof CellError ? hfError(value.data[0][0]) : value.data[0][0], depth + 1)
      }
      return { e: '#VALUE!', m: 'A range where one value belongs.', t: 'VALUE' }
    }
    if (value instanceof CellError) return encodeValue(hfError(value), depth + 1)
    if (typeof value.val === 'number') return encodeValue(value.val, depth + 1) // a typed number (date, percent...)
    return failure(`unexpected value ${value.constructor ? value.constructor.name : typeof value}`)
  }
  return value
}

// An internal CellError as the DetailedCellError HyperFormula exports (its English codes).
const ERROR_CODES = { DIV_BY_ZERO: '#DIV/0!', NA: '#N/A', NAME: '#NAME?', NUM: '#NUM!', REF: '#REF!', VALUE: '#VALUE!',
  CYCLE: '#CYCLE!', ERROR: '#ERROR!', SPILL: '#SPILL!', LIC: '#LIC!' }
function hfError (error) {
  return new DetailedCellError(error, ERROR_CODES[error.type] || '#VALUE!')
}

// A failure of the engine contained to the cells concerned: an error value the importer stores
// as `engine_error` (importer/evaluate.py reads the "Engine exception:" prefix), never a failed
// request.
function failure (message) {
  return { e: '#VALUE!', m: `Engine exception: ${message}`, t: 'VALUE' }
}

// One cell's value as it crosses the wire; an exception while reading it back fails that cell only.
function readCell (hf, address) {
  try {
    return encodeValue(hf.getCellValue(address))
  } catch (err) {
    return failure(String((err && err.message) || err))
  }
}

function placeSheet (hf, sheetId, cells) {
  let maxRow = 0
  let maxCol = 0
  for (const [row, col] of cells) {
    if (row > maxRow) maxRow = row
    if (col > maxCol) maxCol = col
  }
  // Dense arrays are the fast path; a sheet with a few far-away cells would
  // make a huge, mostly empty array, so those cells are set one by one.
  if (cells.length && (maxRow + 1) * (maxCol + 1) <= Math.max(4 * cells.length, 100000)) {
    const data = []
    for (let r = 0; r <= maxRow; r++) data.push(new Array(maxCol + 1).fill(null))
    for (const [row, col, content] of cells) data[row][col] = content
    hf.setSheetContent(sheetId, data)
  } else {
    for (const [row, col, content] of cells) {
      hf.setCellContents({ sheet: sheetId, row, col }, [[content]])
    }
  }
}

// A what-if data table {=TABLE(row_input, col_input)}: for each result cell, put the values
// bordering it into the input cell(s), recompute, read the formula cell, then restore the
// inputs. The results are written into the table's cells as constants, so that formulas
// reading the table see them. `table`: {sheet, top, left, bottom, right (0-based result
// cells), row_input, col_input ({row, col} or null)}.
function fillDataTable (hf, table, afterChange = () => {}) {
  const sheet = hf.getSheetId(table.sheet)
  const at = (row, col) => ({ sheet, row, col })
  const inputs = [table.row_input, table.col_input].filter(Boolean).map((c) => at(c.row, c.col))
  const saved = inputs.map((cell) => hf.getCellSerialized(cell))
  const results = []
  for (let row = table.top; row <= table.bottom; row++) {
    const line = []
    for (let col = table.left; col <= table.right; col++) {
      let output
      if (table.row_input && table.col_input) {
        hf.setCellContents(at(table.row_input.row, table.row_input.col), [[hf.getCellValue(at(table.top - 1, col))]])
        hf.setCellContents(at(table.col_input.row, table.col_input.col), [[hf.getCellValue(at(row, table.left - 1))]])
        output = at(table.top - 1, table.left - 1)
      } else if (table.row_input) { // one input, values across the top row, formulas down the left
        hf.setCellContents(at(table.row_input.row, table.row_input.col), [[hf.getCellValue(at(table.top - 1, col))]])
        output = at(row, table.left - 1)
      } else { // one input, values down the left column, formulas across the top row
        hf.setCellContents(at(table.col_input.row, table.col_input.col), [[hf.getCellValue(at(row, table.left - 1))]])
        output = at(table.top - 1, col)
      }
      afterChange()
      line.push(plain(hf.getCellValue(output)))
    }
    results.push(line)
  }
  inputs.forEach((cell, i) => hf.setCellContents(cell, [[saved[i]]]))
  afterChange()
  hf.setCellContents(at(table.top, table.left), results)
}

// Circular references (iteration.js): iterative calculation when the request asks for
// it; else the members that do not really read their cycle are computed as Excel does with
// iteration off (resolveStatic), and the real circular references are then iterated anyway.
// `request.iteration` = {iterate, count, delta, cycles: [[[sheet index, row, col], ...], ...]}
// (0-based, each cycle in evaluation order). Not-converged cells are returned as
// [sheet index, row, col], and so are the members solved although the workbook has iteration off.
function solveCycles (hf, ids, request) {
  const it = request.iteration
  if (!it || !(it.cycles || []).length) return { passes: [], not_converged: [] }
  const formulas = request.sheets.map((sheet) => {
    const byCell = new Map()
    for (const [row, col, content] of sheet.cells) {
      if (typeof content === 'string' && content.startsWith('=')) byCell.set(row * 16384 + col, content)
    }
    return byCell
  })
  const cycles = it.cycles.map((members) => members
    .filter(([si, row, col]) => formulas[si] && formulas[si].has(row * 16384 + col))
    .map(([si, row, col]) => ({ sheet: ids[si], row, col, formula: formulas[si].get(row * 16384 + col) })))
  // With iteration off, the real circular references are solved all the same (a file saved
  // with iteration off usually holds the values of an earlier iterative session) and reported
  // as `iterated_off`, for the importer's note.
  const options = { delta: it.delta, count: it.count }
  const report = it.iterate ? iteration.solve(hf, cycles, options) : iteration.solveIterationOff(hf, cycles, options)
  const index = new Map(ids.map((id, si) => [id, si]))
  return {
    passes: report.passes,
    not_converged: report.notConverged.map((c) => [index.get(c.sheet), c.row, c.col]),
    iterated_off: (report.iterated || []).map((c) => [index.get(c.sheet), c.row, c.col]),
    resolve: report.resolve,
  }
}

// What Excel shows in the cells of an array formula's range that its result does not reach:
// a one-row result repeats down, a one-column result across, a single value everywhere,
// and #N/A elsewhere. `arrays`: [top, left, height, width] of each multi-cell array formula
// (0-based). Returns encoded values by row * 16384 + col for the cells outside the result.
function arrayFill (hf, sheet, arrays) {
  const filled = new Map()
  for (const [top, left, height, width] of arrays) {
    const vertex = hf.dependencyGraph.addressMapping.getCell({ sheet, row: top, col: left })
    if (!vertex) continue
    // A result that is one error (MINVERSE of a non-square range) fills the range like any single value.
    const spilled = vertex instanceof ArrayFormulaVertex && vertex.array.size && !vertex.array.size.isRef && !vertex.array.error
    const h = spilled ? Math.min(vertex.height, height) : 1
    const w = spilled ? Math.min(vertex.width, width) : 1
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        if (r < h && c < w) continue
        const sr = h === 1 ? 0 : r
        const sc = w === 1 ? 0 : c
        const value = sr < h && sc < w
          ? readCell(hf, { sheet, row: top + sr, col: left + sc })
          : { e: '#N/A', m: 'Outside the array result.', t: 'NA' }
        filled.set((top + r) * 16384 + left + c, value)
      }
    }
  }
  return filled
}

// A computed value as cell content: errors as their literal (=#N/A), the rest as is.
function plain (value) {
  if (value instanceof DetailedCellError) {
    const excelOnly = excelOnlyCode(value)
    return '=' + (excelOnly ? excelOnlyFormula(excelOnly) : value.value)
  }
  return value
}

// Every formula cell and every read cell of the request, as [sheet index, row, col].
function allFormulaCells (request) {
  const cells = []
  request.sheets.forEach((sheet, si) => {
    for (const [row, col, content] of sheet.cells) {
      if (typeof content === 'string' && content.startsWith('=')) cells.push([si, row, col])
    }
    for (const [row, col] of sheet.read || []) cells.push([si, row, col])
  })
  return cells
}

// A data table's result cells, as [sheet index, row, col].
function tableCells (request, table) {
  const si = request.sheets.findIndex((sheet) => sheet.name === table.sheet)
  const cells = []
  for (let row = table.top; row <= table.bottom; row++) {
    for (let col = table.left; col <= table.right; col++) cells.push([si, row, col])
  }
  return cells
}

// What the request knows of its workbook, for the functions that read it (context.js): CHAR and
// CODE's code page (Mac Excel's or Windows-1252), TODAY and NOW's instant (when Excel last
// recalculated, as the importer chose it), the file's name and directory (CELL, INFO), the
// tables (INDIRECT). The parts that need sheet ids are declared once the sheets exist.
function requestContext (request) {
  const workbook = request.workbook || {}
  return context.create({
    application: request.application,
    asOf: request.as_of,
    tables: request.tables,
    workbook: { fileName: workbook.file_name, directory: workbook.directory },
  })
}

// A request with `follows: true` is answered after its rest arrives on the next line, as
// {"op": "continue", "id": <the same id>, ...fields}: the engine loads and evaluates the sheets
// while the caller works out what only it can (the importer's circular references, which its
// dependency graph finds meanwhile), then solves the cycles with those fields and answers.
function evaluate (request) {
  const ctx = requestContext(request)
  const steps = evaluateSteps(ctx, request)
  const step = (input) => context.using(ctx, () => steps.next(input))
  if (!request.follows) return step().value
  let failed = null
  try {
    step() // to the point where the rest is needed
  } catch (err) {
    failed = err // answered when the rest comes, as the answer to this request
  }
  return {
    pending: true,
    resume: (rest) => {
      if (failed) throw failed
      return step(rest).value
    },
    abandon: () => { if (!failed) context.using(ctx, () => steps.return()) },
  }
}

function * evaluateSteps (ctx, request) {
  const timings = {}
  let t = Date.now()
  // No undo: we never undo, and its bookkeeping cost a third of the load and most of the iteration.
  const hf = HyperFormula.buildEmpty({ ...CONFIG, undoLimit: 0, ...(request.config || {}) })
  try {
    hf.suspendEvaluation()
    const ids = []
    for (const sheet of request.sheets) {
      ids.push(hf.getSheetId(hf.addSheet(sheet.name)))
    }
    // Array formulas keep to the range Excel saved for them (patches/legacy_arrays.js); SUBTOTAL
    // and AGGREGATE skip the hidden rows (functions/stats.js).
    request.sheets.forEach((sheet, i) => {
      ctx.declareArrays(ids[i], sheet.arrays)
      ctx.declareHiddenRows(ids[i], sheet.hidden_rows, sheet.filtered_rows)
    })
    // Excel reads bare TRUE and FALSE as booleans; HyperFormula needs names.
    hf.addNamedExpression('TRUE', '=TRUE()')
    hf.addNamedExpression('FALSE', '=FALSE()')
    const rejectedNames = []
    for (const name of request.names || []) {
      const scope = name.scope == null ? undefined : hf.getSheetId(name.scope)
      try {
        hf.addNamedExpression(name.name, name.expression, scope)
      } catch (err) {
        rejectedNames.push({ name: name.name, scope: name.scope, message: String(err.message || err) })
      }
    }
    // GETPIVOTDATA: the workbook's pivot tables with their cache records (functions/pivot.js).
    ctx.declarePivots(request.pivots, (name) => hf.getSheetId(name))
    request.sheets.forEach((sheet, i) => placeSheet(hf, ids[i], sheet.cells))
    timings.load = (Date.now() - t) / 1000
    t = Date.now()
    // Each stage below contains its own failure (issue 11, cause 12): an exception fails the
    // cells it concerns, as `engine_error` with the stage and message, never the request.
    const failed = new Map() // sheet index -> Map(row * 16384 + col -> encoded failure)
    const failures = []
    const fail = (stage, err, cells) => {
      const message = `${stage}: ${String((err && err.message) || err)}`
      failures.push({ stage, message, cells: cells === undefined ? null : cells.length })
      const value = failure(message)
      for (const [si, row, col] of cells || allFormulaCells(request)) {
        if (!failed.has(si)) failed.set(si, new Map())
        failed.get(si).set(row * 16384 + col, value)
      }
    }
    let passes = 0
    try {
      hf.resumeEvaluation()
      passes = dynamicRefs.settle(hf)
    } catch (err) {
      fail('evaluation', err)
    }
    timings.evaluate = (Date.now() - t) / 1000
    if (request.follows) Object.assign(request, yield)
    t = Date.now()
    let cycles = { passes: [], not_converged: [] }
    try {
      cycles = solveCycles(hf, ids, request)
      dynamicRefs.settle(hf)
    } catch (err) {
      fail('iteration', err, ((request.iteration || {}).cycles || []).flat())
    }
    timings.iteration = (Date.now() - t) / 1000
    t = Date.now()
    // With circular references solved, each substituted input needs the cycles solved again.
    const afterChange = cycles.resolve ? () => { cycles.resolve(); dynamicRefs.settle(hf) } : undefined
    for (const table of request.data_tables || []) {
      try {
        fillDataTable(hf, table, afterChange)
      } catch (err) {
        fail('data_table', err, tableCells(request, table))
      }
    }
    timings.data_tables = (Date.now() - t) / 1000
    t = Date.now()
    const sheets = request.sheets.map((sheet, i) => {
      const values = []
      const overrides = failed.get(i) || new Map()
      const read = (row, col) => overrides.get(row * 16384 + col) || readCell(hf, { sheet: ids[i], row, col })
      for (const [row, col, content] of sheet.cells) {
        if (typeof content === 'string' && content.startsWith('=')) values.push([row, col, read(row, col)])
      }
      // Cells the caller wants read although it sent no formula there (array results).
      let filled = new Map()
      try {
        filled = arrayFill(hf, ids[i], sheet.arrays || [])
      } catch (err) {
        failures.push({ stage: 'read', message: `read: ${String((err && err.message) || err)}`, cells: null })
      }
      for (const [row, col] of sheet.read || []) {
        const value = overrides.get(row * 16384 + col) || filled.get(row * 16384 + col)
        values.push([row, col, value !== undefined ? value : read(row, col)])
      }
      return { name: sheet.name, values }
    })
    timings.read = (Date.now() - t) / 1000
    return {
      ok: true,
      sheets,
      rejected_names: rejectedNames,
      timings,
      dynamic_passes: passes,
      iteration: { passes: cycles.passes, not_converged: cycles.not_converged, iterated_off: cycles.iterated_off || [] },
      failures,
    }
  } finally {
    hf.destroy()
  }
}

const OPS = {
  ping: () => ({ ok: true, version: HyperFormula.version, pid: process.pid }),
  evaluate,
}

// For the tests of the bridge's limits only: a request that never answers, one that kills the
// process, and one that exhausts the heap.
if (process.env.CAPITALLENS_ENGINE_TEST_OPS === '1') {
  OPS.hang = () => { for (;;) {} } // eslint-disable-line no-empty
  OPS.crash = () => process.exit(3)
  OPS.exhaust = () => { const hog = []; for (;;) hog.push(new Array(1e6).fill(Math.random())) }
}

// The request waiting for its rest (see evaluate): {id, resume(rest), abandon()}.
let pending = null

function handle (line) {
  let request
  try {
    request = JSON.parse(line)
  } catch (err) {
    return { id: null, ok: false, error: { type: 'ProtocolError', message: `bad JSON: ${err.message}` } }
  }
  const waiting = pending
  pending = null
  if (request.op === 'continue') {
    if (!waiting || waiting.id !== request.id) {
      return { id: request.id, ok: false, error: { type: 'ProtocolError', message: `no request ${request.id} waits for its rest` } }
    }
    return answer(request.id, () => waiting.resume(request))
  }
  if (waiting) waiting.abandon() // its caller went on without it
  const op = OPS[request.op]
  if (!op) {
    return { id: request.id, ok: false, error: { type: 'ProtocolError', message: `unknown op ${request.op}` } }
  }
  return answer(request.id, () => {
    const result = op(request)
    if (!result.pending) return result
    pending = { id: request.id, resume: result.resume, abandon: result.abandon }
    return null // answered when its rest comes
  })
}

function answer (id, fn) {
  try {
    const result = fn()
    return result === null ? null : { id, ...result }
  } catch (err) {
    return { id, ok: false, error: { type: err.constructor.name, message: String(err.message || err) } }
  }
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
rl.on('line', (line) => {
  if (!line.trim()) return
  const response = handle(line)
  if (response === null) return
  let text
  try {
    text = JSON.stringify(response)
  } catch (err) { // the last guard: encodeValue sends only plain values
    text = JSON.stringify({ id: response.id, ok: false, error: { type: 'EncodingError', message: String(err.message || err) } })
  }
  process.stdout.write(text + '\n')
})
rl.on('close', () => process.exit(0))
process.stdout.on('error', () => process.exit(1)) // EPIPE: the bridge is gone
// Without PR_SET_PDEATHSIG (not Linux), a parent that died is seen here, between requests.
const parentPid = process.ppid
setInterval(() => { if (process.ppid !== parentPid) process.exit(1) }, 1000).unref()
