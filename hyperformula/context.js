'use strict'
// What one request knows of its workbook, in one object: engine.js creates it from the
// request, enters it once before building the workbook, and leaves it when the answer is
// ready; the functions and patches that need a fact read `current()`. The engine process
// serves one request at a time, synchronously, so one current context is enough.
//
// Facts of the request (set from it, then read only):
//   workbook     { fileName, directory }: the file's name and the directory the importer
//                knows it from, for CELL("filename"), CELL("address") and INFO("directory");
//                '' when unknown (functions/cell_info.js)
//   codePage     'mac' for a workbook Mac Excel saved (docProps/app.xml), else 'windows':
//                CHAR, CODE and INFO("system") (functions/text_extra.js, cell_info.js)
//   asOf         TODAY and NOW's wall clock, "YYYY-MM-DDTHH:MM:SS", or null for this
//                machine's clock (functions/asof.js)
//   tables       the workbook's tables, for INDIRECT("Table1[Col]") (functions/dynamic_refs.js)
//   pivots       the pivot tables with their cache records and HyperFormula sheet ids
//                (functions/pivot.js)
//   hiddenRows   sheet id -> { hidden: Set(row), filtered: Set(row) }: rows saved hidden, and
//                those an AutoFilter hides, for SUBTOTAL and AGGREGATE (functions/stats.js)
//   arrays       sheet id -> Map(row * 16384 + col -> [height, width]): the range Excel saved
//                for each array formula (patches/legacy_arrays.js, declaredSize)
// State of the evaluation (written while the request computes):
//   selfSized    array formulas sized by their own declaration (patches/legacy_arrays.js)
//   dynamic      { missed, evaluator }: a dynamic reference read a cell not computed yet, and
//                the evaluator computing them (patches/dynamic_refs.js)

// Excel writes a directory with its separator at the end ("C:\\Models\\[Book.xlsx]Sheet1").
function withSeparator (directory) {
  if (!directory || /[\\/]$/.test(directory)) return directory
  return directory + (directory.includes('\\') ? '\\' : '/')
}

class RequestContext {
  constructor ({ workbook, application, asOf, tables } = {}) {
    const { fileName, directory } = workbook || {}
    this.workbook = { fileName: fileName || '', directory: withSeparator(directory || '') }
    this.codePage = /macintosh/i.test(application || '') ? 'mac' : 'windows'
    this.asOf = asOf == null ? null : asOf
    this.tables = tables || []
    this.pivots = []
    this.hiddenRows = new Map()
    this.arrays = new Map()
    this.selfSized = new Set()
    this.dynamic = { missed: false, evaluator: null }
  }

  // `list`: [{sheet, top, left, bottom, right (0-based), fields, row_fields, col_fields,
  // data_fields, records}] as the importer sends them; `sheetId`: a sheet name to its id.
  declarePivots (list, sheetId) {
    this.pivots = (list || []).map((p) => ({ ...p, sheetId: sheetId(p.sheet) }))
  }

  declareHiddenRows (sheet, hidden = [], filtered = []) {
    if ((hidden && hidden.length) || (filtered && filtered.length)) {
      this.hiddenRows.set(sheet, { hidden: new Set(hidden || []), filtered: new Set(filtered || []) })
    }
  }

  // Is the row of `address` skipped? `which` is 'hidden' (all hidden rows) or 'filtered'.
  isRowSkipped (address, which) {
    const rows = address && this.hiddenRows.get(address.sheet)
    return Boolean(rows && rows[which].has(address.row))
  }

  // `arrays`: [top, left, height, width] of each array formula of the sheet (0-based). A sheet
  // declared so has every other formula one cell (patches/legacy_arrays.js).
  declareArrays (sheet, arrays) {
    const sizes = new Map()
    for (const [top, left, height, width] of arrays || []) sizes.set(top * 16384 + left, [height, width])
    this.arrays.set(sheet, sizes)
  }

  // The [height, width] Excel saved for the array formula at `address`, or undefined.
  declaredSize (address) {
    const sizes = address && this.arrays.get(address.sheet)
    return sizes ? sizes.get(address.row * 16384 + address.col) : undefined
  }
}

// The context with no facts: this machine's clock, Windows, no file name, nothing declared.
let active = new RequestContext()

function current () {
  return active
}

// Makes `context` the current one; returns the one it replaces.
function enter (context) {
  const previous = active
  active = context
  return previous
}

// Runs `fn(context)` with `context` current, then puts the previous one back.
function using (context, fn) {
  const previous = enter(context)
  try {
    return fn(context)
  } finally {
    enter(previous)
  }
}

function create (facts) {
  return new RequestContext(facts)
}

// The size Excel saved for the array formula at `address` in the current request (used by the
// functions whose result size is known only after evaluation: TEXTSPLIT, GROUPBY, LAMBDA...).
function declaredSize (address) {
  return active.declaredSize(address)
}

module.exports = { RequestContext, create, current, enter, using, declaredSize }
