'use strict'
// Excel's lookup functions. VLOOKUP, HLOOKUP, MATCH and XLOOKUP replace HyperFormula's built-ins,
// LOOKUP and XMATCH are missing there, INDEX replaces the built-in (see indexWindow).
//
// How Excel searches (Microsoft documents the sort-order requirement, not what happens without
// it; the rules below reproduce the cells Excel saved in the `formulas` test workbook, which
// tries every lookup on unsorted arrays mixing numbers, text and booleans):
// - exact matches (VLOOKUP/HLOOKUP FALSE, MATCH 0, XMATCH/XLOOKUP 0 and 2) scan in order and
//   compare values of the same type only, text ignoring case; VLOOKUP, HLOOKUP and MATCH read
//   * ? ~ as wildcards, XMATCH and XLOOKUP only in match_mode 2;
// - VLOOKUP/HLOOKUP TRUE, MATCH 1 and LOOKUP are a binary search (lastNotGreater): a probe that
//   lands on a value of another type moves forward to the next value of the lookup value's
//   type, and an equal value ends the search;
// - MATCH -1 scans from the start and stops at the first value (of the same type) smaller
//   than the lookup value (firstSmaller);
// - XMATCH and XLOOKUP order all types together: numbers < text < booleans, an empty lookup
//   value after them all. match_mode -1 / 1 with search_mode 1 / -1 scan for the nearest
//   value; search_mode 2 / -2 is a plain binary search over that order (binarySearch).
// The fast index in fastlookup.js subclasses this plugin and replaces only `lookupVector` and
// `exactIn` (the cells of a vector and the exact-match scan) with cached equivalents.
const { FunctionPlugin, FunctionArgumentType: T, ErrorType } = require('hyperformula')
const { SimpleRangeValue, ArraySize, AstNodeType, AbsoluteCellRange, InterpreterState, EmptyValue } = require('../internals')
const { error, translationsFor, isNumber, rawNumber, isEmpty } = require('./common')

// ------------------------------------------------------------------ values and order

function kindOf (value) {
  if (isNumber(value)) return 'number'
  if (typeof value === 'string') return 'text'
  if (typeof value === 'boolean') return 'boolean'
  return null // blank, error, empty lookup value
}

function raw (value) {
  return isNumber(value) ? rawNumber(value) : value
}

// `ctx`: { normalize (case folding per config), collator (HyperFormula's text order) }.
function compareText (a, b, ctx) {
  const x = ctx.normalize(a)
  const y = ctx.normalize(b)
  if (x === y) return 0
  const c = ctx.collator.compare(x, y)
  if (c !== 0) return Math.sign(c)
  return x < y ? -1 : 1
}

// Two values of the same kind.
function compareSame (a, b, kind, ctx) {
  if (kind === 'number') {
    const d = rawNumber(a) - rawNumber(b)
    return d < 0 ? -1 : d > 0 ? 1 : 0
  }
  if (kind === 'text') return compareText(a, b, ctx)
  return Number(a) - Number(b)
}

// XMATCH/XLOOKUP's order across types: numbers < text < booleans < anything else.
const RANK = { number: 0, text: 1, boolean: 2 }

function compareTotal (a, b, ctx) {
  const ka = kindOf(a)
  const kb = kindOf(b)
  if (ka !== kb) return (ka === null ? 3 : RANK[ka]) < (kb === null ? 3 : RANK[kb]) ? -1 : 1
  return ka === null ? 0 : compareSame(a, b, ka, ctx)
}

// ------------------------------------------------------------------ exact match

function hasWildcard (text) {
  return /[*?~]/.test(text)
}

function escapeRegExp (ch) {
  return ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
}

// Excel wildcards: * any run of characters, ? exactly one, ~ makes the next character literal.
// The pattern and the cells are compared after `normalize` (case folding per config).
function wildcardRegExp (normalizedPattern) {
  let source = ''
  for (let i = 0; i < normalizedPattern.length; i++) {
    const ch = normalizedPattern[i]
    if (ch === '~' && i + 1 < normalizedPattern.length) source += escapeRegExp(normalizedPattern[++i])
    else if (ch === '*') source += '[\\s\\S]*'
    else if (ch === '?') source += '[\\s\\S]'
    else source += escapeRegExp(ch)
  }
  return new RegExp(`^${source}$`)
}

// What an exact match compares: numbers and booleans as themselves, text normalized; the number
// 1 never equals the text "1". undefined (blank, error): never matches.
function lookupKey (value, normalize) {
  const v = raw(value)
  if (typeof v === 'number' || typeof v === 'boolean') return v
  if (typeof v === 'string') return normalize(v)
  return undefined
}

// Position of the first (or last) cell equal to `key`, or -1; with `wildcards`, a text key
// holding * ? ~ is a pattern. The plain scan; fastlookup.js answers the same from an index.
function exactPosition (values, key, wildcards, occurrence, normalize) {
  const v = raw(key)
  let test
  if (wildcards && typeof v === 'string' && hasWildcard(v)) {
    const re = wildcardRegExp(normalize(v))
    test = (cell) => typeof cell === 'string' && re.test(normalize(cell))
  } else {
    const k = lookupKey(v, normalize)
    if (k === undefined) return -1
    test = (cell) => lookupKey(cell, normalize) === k
  }
  const n = values.length
  for (let step = 0; step < n; step++) {
    const i = occurrence === 'last' ? n - 1 - step : step
    if (test(values[i])) return i
  }
  return -1
}

// ------------------------------------------------------------------ approximate match

// MATCH 1, LOOKUP, VLOOKUP/HLOOKUP TRUE: binary search for the last value <= x among the values
// of x's type. A probe on another type walks forward to the next value of x's type (none left
// in the window: the upper half is dropped); an equal value ends the search, at the last of
// its adjacent duplicates. On sorted data: the largest value <= x. -1 when none.
function lastNotGreater (values, x, ctx) {
  const kind = kindOf(x)
  if (kind === null) return -1
  let lo = 0
  let hi = values.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    let j = mid
    while (j <= hi && kindOf(values[j]) !== kind) j++
    if (j > hi) {
      hi = mid - 1
      continue
    }
    const c = compareSame(values[j], x, kind, ctx)
    if (c === 0) {
      while (j + 1 < values.length && kindOf(values[j + 1]) === kind && compareSame(values[j + 1], x, kind, ctx) === 0) j++
      return j
    }
    if (c < 0) lo = j + 1
    else hi = mid - 1
  }
  return hi
}

// MATCH -1: from the start, the values of x's type while they are >= x; the last of them (an
// equal value at once). On data sorted in descending order: the smallest value >= x.
function firstSmaller (values, x, ctx) {
  const kind = kindOf(x)
  if (kind === null) return -1
  let previous = -1
  for (let i = 0; i < values.length; i++) {
    if (kindOf(values[i]) !== kind) continue
    const c = compareSame(values[i], x, kind, ctx)
    if (c === 0) return i
    if (c < 0) return previous
    previous = i
  }
  return previous
}

// XMATCH match_mode -1 / 1, search_mode 1 / -1: the value nearest to x on that side, over all
// types in XMATCH's order (blanks and errors in the array are skipped), first in search order.
function nearest (values, x, side, reverse, ctx) {
  let best = -1
  const n = values.length
  for (let step = 0; step < n; step++) {
    const i = reverse ? n - 1 - step : step
    const v = values[i]
    if (kindOf(v) === null || compareTotal(v, x, ctx) !== side) continue
    if (best === -1 || compareTotal(v, values[best], ctx) === -side) best = i
  }
  return best
}

// XMATCH search_mode 2 / -2: binary search in XMATCH's order (reversed when descending) over
// [lo, hi] with the probe at floor((lo + hi) / 2); an equal value ends it, else the neighbour on
// the match_mode side (0: none).
function binarySearch (values, x, matchMode, descending, ctx) {
  let lo = 0
  let hi = values.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    let c = compareTotal(values[mid], x, ctx)
    if (descending) c = -c
    if (c === 0) return mid
    if (c < 0) lo = mid + 1
    else hi = mid - 1
  }
  if (matchMode === 0) return -1
  // hi: the last value before x in the searched order, lo: the first after it.
  const before = descending ? matchMode === 1 : matchMode === -1
  const i = before ? hi : lo
  return i >= 0 && i < values.length ? i : -1
}

// ------------------------------------------------------------------ reading ranges

// The cells of `range` (an AbsoluteCellRange) in reading order, or one row / column of it.
// As SimpleRangeValue reads a range: a cell holding an array reads as #VALUE!.
function readCells (dependencyGraph, range, part, offset = 0) {
  const sheet = range.sheet
  const top = range.start.row
  const left = range.start.col
  const bottom = range.effectiveEndRow(dependencyGraph)
  const right = range.effectiveEndColumn(dependencyGraph)
  const out = []
  const at = (row, col) => {
    const value = dependencyGraph.getCellValue({ sheet, row, col })
    return value instanceof SimpleRangeValue ? error('VALUE', 'A cell holds an array') : value
  }
  if (part === 'col') {
    for (let row = top; row <= bottom; row++) out.push(at(row, left + offset))
  } else if (part === 'row') {
    for (let col = left; col <= right; col++) out.push(at(top + offset, col))
  } else {
    for (let row = top; row <= bottom; row++) {
      for (let col = left; col <= right; col++) out.push(at(row, col))
    }
  }
  return out
}

// The cells of a range argument (a reference or an array): all, or one column / row of it.
function vectorCells (dependencyGraph, rangeValue, part, offset = 0) {
  if (rangeValue.range !== undefined) return readCells(dependencyGraph, rangeValue.range, part, offset)
  const data = rangeValue.data
  if (part === 'col') return data.map((row) => row[offset])
  if (part === 'row') return data[offset].slice()
  return data.flat()
}

// One cell of a range argument; an empty cell as 0, as Excel returns it.
function cellOf (dependencyGraph, rangeValue, row, col, keepEmpty = false) {
  let value
  if (rangeValue.range === undefined) {
    value = rangeValue.data[row][col]
  } else {
    const start = rangeValue.range.start
    value = dependencyGraph.getCellValue({ sheet: start.sheet, row: start.row + row, col: start.col + col })
  }
  if (value instanceof SimpleRangeValue) return error('VALUE', 'A cell holds an array')
  return value === EmptyValue && !keepEmpty ? 0 : value
}

function column (range, index) {
  return range.data.map((row) => row[index])
}

function notFound () {
  return error('NA', 'Value not found')
}

// ------------------------------------------------------------------ INDEX

// Excel's INDEX(array, row_num, [column_num]), where HyperFormula's built-in differs:
// - on a one-row array, INDEX(B2:F2, 3) counts columns (the built-in counts rows: #NUM!);
// - row_num or column_num 0 (or left empty) selects the whole column or row;
// - an index past the array is #REF!, a negative one #VALUE!;
// - only the chosen cells are read, never the whole (possibly whole-column) range.
// Returns the [row, col] window (1-based, 0 = all) or an error.
function indexWindow (height, width, row, col, columnGiven) {
  if (!columnGiven && height === 1 && width > 1) [row, col] = [1, row]
  else if (!columnGiven && width > 1) col = 0 // a 2-D array and one index: the whole row
  row = Math.trunc(row)
  col = Math.trunc(col)
  if (row < 0 || col < 0) return error('VALUE', 'INDEX: negative index')
  if (row > height || col > width) return error('REF', 'INDEX: index outside the array')
  return [row, col]
}

function isWhole (arg) {
  return arg === undefined || arg.type === AstNodeType.EMPTY ||
    (arg.type === AstNodeType.NUMBER && arg.value === 0)
}

// ------------------------------------------------------------------ ADDRESS

const MAX_ROW = 1048576
const MAX_COL = 16384

function columnLetters (col) {
  let out = ''
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out
  return out
}

// A sheet name as a reference writes it: quoted unless it is a plain word ('My Sheet'!A1).
// A workbook in brackets in front is part of the reference's syntax: Microsoft's ADDRESS
// example gives [Book1]Sheet1!R2C3 unquoted; the whole is quoted when the book or the sheet
// needs it ('[My Book]Sheet1'!A1).
function sheetPrefix (name) {
  const book = /^\[([^\]]+)\](.+)$/.exec(name)
  const plain = book
    ? /^[A-Za-z0-9_.]+$/.test(book[1]) && plainSheetName(book[2])
    : plainSheetName(name)
  return plain ? `${name}!` : `'${name.replace(/'/g, "''")}'!`
}

function plainSheetName (name) {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) && !/^[A-Za-z]{1,3}[0-9]+$/.test(name) && !/^[Rr]([0-9]|$)|^[Cc]([0-9]|$)/.test(name)
}

// ADDRESS(row, column, [abs_num], [a1], [sheet_text]): numbers are truncated; abs_num 1-4 picks
// the absolute parts; a1 FALSE (or an empty cell) writes R1C1 with [n] for relative parts; an
// empty sheet_text still writes the "!" (Excel: ADDRESS(1,3,4,TRUE,A9) with A9 empty is "!C1").
function address (row, col, absNum, a1, sheet) {
  row = Math.trunc(row)
  col = Math.trunc(col)
  absNum = Math.trunc(absNum)
  if (row < 1 || col < 1 || row > MAX_ROW || col > MAX_COL) return error('VALUE', 'ADDRESS: row or column outside the sheet')
  if (absNum < 1 || absNum > 4) return error('VALUE', 'ADDRESS: abs_num must be 1 to 4')
  const absRow = absNum === 1 || absNum === 2
  const absCol = absNum === 1 || absNum === 3
  const cell = a1
    ? `${absCol ? '$' : ''}${columnLetters(col)}${absRow ? '$' : ''}${row}`
    : `R${absRow ? row : `[${row}]`}C${absCol ? col : `[${col}]`}`
  if (sheet === undefined) return cell
  return sheet === '' ? `!${cell}` : sheetPrefix(sheet) + cell
}

// ------------------------------------------------------------------ the plugin

class LookupFunctions extends FunctionPlugin {
  // The cells of a lookup vector as { values }; fastlookup.js caches them per range.
  lookupVector (rangeValue, part, offset = 0) {
    return { values: vectorCells(this.dependencyGraph, rangeValue, part, offset) }
  }

  // Exact-match position in a lookupVector entry; fastlookup.js answers from an index.
  exactIn (entry, key, wildcards, occurrence) {
    return exactPosition(entry.values, key, wildcards, occurrence, this.order().normalize)
  }

  order () {
    const helper = this.arithmeticHelper
    return { normalize: (text) => helper.normalizeString(text), collator: helper.collator }
  }

  // Is this call evaluated once per element of an array argument (in an array formula)? An
  // array constant counts even with one element: {=INDEX({2,3;4,5},{1})} gives 2, not {2,3}.
  isVectorized (ast, state, positions) {
    if (!state.arraysFlag) return false
    return positions.some((i) => {
      const arg = ast.args[i]
      if (arg === undefined) return false
      if (arg.type === AstNodeType.ARRAY) return true
      const size = this.arraySizeForAst(arg, new InterpreterState(state.formulaAddress, true))
      return size.width * size.height > 1
    })
  }

  // The size of a call evaluated once per element: the largest of those arguments.
  vectorizedSize (ast, state, positions) {
    let width = 1
    let height = 1
    for (const i of positions) {
      if (ast.args[i] === undefined) continue
      const size = this.arraySizeForAst(ast.args[i], state)
      width = Math.max(width, size.width)
      height = Math.max(height, size.height)
    }
    return new ArraySize(width, height)
  }

  index (ast, state) {
    // Row or column numbers given as arrays: INDEX runs once per element, and each result
    // must be a value (HyperFormula cannot vectorize a function that returns a range).
    const vectorized = this.isVectorized(ast, state, [1, 2])
    return this.runFunction(ast.args, state, this.metadata('INDEX'), (array, row, col, area) => {
      // One area only (HyperFormula has no reference unions): area_num must be 1.
      if (area !== undefined && Math.trunc(area) !== 1) return error('REF', 'INDEX: area_num past the areas')
      // A 2-D reference with column_num left out is #REF! (a 2-D array gives its whole row).
      const columnGiven = ast.args.length > 2
      const window = indexWindow(array.height(), array.width(), row, col ?? 1, columnGiven)
      if (!Array.isArray(window)) return window
      if (!columnGiven && !array.isAdHoc() && array.height() > 1 && array.width() > 1) {
        return error('REF', 'INDEX: a 2-D reference needs column_num')
      }
      const [r, c] = window
      const top = r === 0 ? 0 : r - 1
      const left = c === 0 ? 0 : c - 1
      const height = r === 0 ? array.height() : 1
      const width = c === 0 ? array.width() : 1
      // Once per element of an array argument, each result is one value: the window's first.
      if ((height === 1 && width === 1 && array.isAdHoc()) || vectorized) {
        if (array.isAdHoc()) return array.data[top][left]
        const start = array.range.start
        return this.dependencyGraph.getCellValue({ sheet: start.sheet, row: start.row + top, col: start.col + left })
      }
      if (array.isAdHoc()) {
        return SimpleRangeValue.onlyValues(array.data.slice(top, top + height).map((line) => line.slice(left, left + width)))
      }
      // A reference, even to one cell (read as its value wherever a value is wanted), so that
      // INDEX(...):INDEX(...), ROW(INDEX(...)) and OFFSET(INDEX(...),...) see where it is.
      const start = array.range.start
      const from = { sheet: start.sheet, row: start.row + top, col: start.col + left }
      const range = AbsoluteCellRange.spanFrom(from, width, height)
      return SimpleRangeValue.onlyRange(range, this.dependencyGraph)
    })
  }

  // The result's size before evaluation (HyperFormula sizes array formulas from the syntax):
  // a whole column or row when row_num or column_num is 0 or empty.
  indexArraySize (ast, state) {
    if (ast.args.length < 2) return ArraySize.error()
    if (this.isVectorized(ast, state, [1, 2])) return this.vectorizedSize(ast, state, [1, 2])
    const size = this.arraySizeForAst(ast.args[0], state)
    const columnGiven = ast.args.length > 2
    if (!columnGiven && size.isRef && size.height > 1 && size.width > 1) return ArraySize.scalar() // #REF!
    const wholeRows = isWhole(ast.args[1]) && (columnGiven || size.height > 1)
    const wholeCols = columnGiven ? isWhole(ast.args[2]) : size.height > 1 && size.width > 1
    return new ArraySize(wholeCols ? size.width : 1, wholeRows ? size.height : 1)
  }

  vlookup (ast, state) {
    return this.runFunction(this.tableArgs(ast, state), state, this.metadata('VLOOKUP'), (key, table, index, approximate) =>
      this.tableLookup(key, table, index, approximate, 'col'))
  }

  hlookup (ast, state) {
    return this.runFunction(this.tableArgs(ast, state), state, this.metadata('HLOOKUP'), (key, table, index, approximate) =>
      this.tableLookup(key, table, index, approximate, 'row'))
  }

  // An array formula that looks up an array of values reads only the first element of an array
  // index: {=HLOOKUP(C1:Q1,{-1.1,2.1;5,6},{2,1},0)} returns row 2 for every value in Excel.
  tableArgs (ast, state) {
    if (!this.isVectorized(ast, state, [0]) || !this.isVectorized(ast, state, [2])) return ast.args
    let index = this.evaluateAst(ast.args[2], state)
    if (index instanceof SimpleRangeValue) index = index.data[0][0]
    if (typeof index !== 'number') return ast.args
    const args = ast.args.slice()
    args[2] = { type: AstNodeType.NUMBER, value: index }
    return args
  }

  // VLOOKUP (`part` 'col': search the first column) and HLOOKUP ('row': the first row).
  tableLookup (key, table, index, approximate, part) {
    if (!Number.isFinite(index)) return error('NA', 'No index for this element')
    index = Math.trunc(index)
    if (index > (part === 'col' ? table.width() : table.height())) return error('REF', 'Index past the table')
    const x = key === EmptyValue ? 0 : key
    const entry = this.lookupVector(table, part, 0)
    const i = approximate ? lastNotGreater(entry.values, x, this.order()) : this.exactIn(entry, x, true, 'first')
    // Not found wins over an index below 1 (EPPlus's FormulaTest: VLOOKUP(8,I10:I28,0,FALSE)
    // with no 8 is #N/A in Excel).
    if (i === -1) return notFound()
    if (index < 1) return error('VALUE', 'Index less than 1')
    // An empty cell found is passed on as empty, as Excel does: ISBLANK(VLOOKUP(...)) is TRUE
    // and VLOOKUP(...)="" too, while the cell itself shows 0 (evaluateNullToZero).
    return part === 'col'
      ? cellOf(this.dependencyGraph, table, i, index - 1, true)
      : cellOf(this.dependencyGraph, table, index - 1, i, true)
  }

  match (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('MATCH'), (key, range, type) => {
      if (range.width() > 1 && range.height() > 1) return error('NA', 'Lookup array must be one row or one column')
      const x = key === EmptyValue ? 0 : key
      const entry = this.lookupVector(range, 'all')
      let i
      if (type === 0) i = this.exactIn(entry, x, true, 'first')
      else if (type > 0) i = lastNotGreater(entry.values, x, this.order())
      else i = firstSmaller(entry.values, x, this.order())
      return i === -1 ? notFound() : i + 1
    })
  }

  lookup (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('LOOKUP'), (key, lookupRange, resultRange) => {
      let keys
      let results
      if (resultRange === undefined) {
        // Array form: search the first row of a wide array, else the first column,
        // and return from the last row or column.
        const wide = lookupRange.width() > lookupRange.height()
        keys = wide ? lookupRange.data[0] : column(lookupRange, 0)
        results = wide ? lookupRange.data[lookupRange.height() - 1] : column(lookupRange, lookupRange.width() - 1)
      } else {
        keys = lookupRange.height() === 1 || lookupRange.width() === 1
          ? this.lookupVector(lookupRange, 'all').values
          : column(lookupRange, 0)
        results = resultRange.data.flat()
      }
      const i = lastNotGreater(keys, key === EmptyValue ? 0 : key, this.order())
      if (i === -1) return error('NA', 'No value less than or equal to the lookup value')
      if (i >= results.length) return error('NA', 'Result vector shorter than the lookup vector')
      return results[i] === EmptyValue ? 0 : results[i]
    })
  }

  xmatch (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('XMATCH'), (key, range, matchMode, searchMode) => {
      if (range.width() !== 1 && range.height() !== 1) return error('VALUE', 'Lookup array must be one row or one column')
      const i = this.xsearch(this.lookupVector(range, 'all'), key, matchMode, searchMode)
      if (typeof i !== 'number') return i
      return i === -1 ? notFound() : i + 1
    })
  }

  xlookup (ast, state) {
    const vectorized = this.isVectorized(ast, state, [0, 3, 4, 5])
    return this.runFunction(ast.args, state, this.metadata('XLOOKUP'), (key, lookupRange, returnRange, ifNotFound, matchMode, searchMode) => {
      const lookup = lookupRange instanceof SimpleRangeValue ? lookupRange : SimpleRangeValue.fromScalar(lookupRange)
      const returned = returnRange instanceof SimpleRangeValue ? returnRange : SimpleRangeValue.fromScalar(returnRange)
      const vertical = lookup.width() === 1 && returned.height() === lookup.height()
      const horizontal = lookup.height() === 1 && returned.width() === lookup.width()
      if (!vertical && !horizontal) return error('VALUE', 'Lookup and return arrays do not match')
      const i = this.xsearch(this.lookupVector(lookup, 'all'), key, matchMode, searchMode)
      if (typeof i !== 'number') return i
      if (i === -1) return ifNotFound === ErrorType.NA ? notFound() : ifNotFound
      const cells = vertical
        ? [Array.from({ length: returned.width() }, (_, c) => cellOf(this.dependencyGraph, returned, i, c))]
        : Array.from({ length: returned.height() }, (_, r) => [cellOf(this.dependencyGraph, returned, r, i)])
      // One cell, or one per element of an array argument (each must be a value): a scalar.
      if ((cells.length === 1 && cells[0].length === 1) || vectorized) return cells[0][0]
      return SimpleRangeValue.onlyValues(cells)
    })
  }

  // XLOOKUP's size before evaluation: the returned row or column, or one cell per element
  // when an array formula gives arrays where XLOOKUP expects values.
  xlookupArraySize (ast, state) {
    if (ast.args.length < 3) return ArraySize.error()
    if (this.isVectorized(ast, state, [0, 3, 4, 5])) return this.vectorizedSize(ast, state, [0, 3, 4, 5])
    const lookup = this.arraySizeForAst(ast.args[1], state)
    const returned = this.arraySizeForAst(ast.args[2], state)
    if (lookup.width === 1 && returned.height === lookup.height) return new ArraySize(returned.width, 1)
    if (lookup.height === 1 && returned.width === lookup.width) return new ArraySize(1, returned.height)
    return ArraySize.scalar()
  }

  // CHOOSE(index_num, value1, ...): index_num is truncated, and outside 1..count is #VALUE!
  // (HyperFormula's built-in wants an integer and answers #NUM!).
  choose (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('CHOOSE'), (selector, ...values) => {
      const i = Math.trunc(selector)
      if (!(i >= 1 && i <= values.length)) return error('VALUE', 'CHOOSE: index_num outside the values')
      return values[i - 1]
    })
  }

  address (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ADDRESS'), address)
  }

  // AREAS(reference): HyperFormula has no reference unions, so a reference is one area; a
  // value that is not a reference is #VALUE!.
  areas (ast, state) {
    if (ast.args.length !== 1) return error('NA', 'AREAS takes one argument')
    let arg = ast.args[0]
    while (arg.type === AstNodeType.PARENTHESIS) arg = arg.expression
    const references = [AstNodeType.CELL_REFERENCE, AstNodeType.CELL_RANGE, AstNodeType.COLUMN_RANGE, AstNodeType.ROW_RANGE]
    if (references.includes(arg.type)) return 1
    const value = this.evaluateAst(arg, state)
    if (value instanceof SimpleRangeValue) return value.isAdHoc() ? error('VALUE', 'AREAS needs a reference') : 1
    return kindOf(value) === null && !isEmpty(value) ? value : error('VALUE', 'AREAS needs a reference')
  }

  // XMATCH / XLOOKUP: the 0-based position, -1 when none, or an error for a bad mode.
  xsearch (entry, key, matchMode, searchMode) {
    matchMode = Math.floor(matchMode) // -1.1 is -2 (a binary search), as Excel reads it
    searchMode = Math.floor(searchMode)
    if (![0, -1, 1, 2].includes(matchMode) || ![1, -1, 2, -2].includes(searchMode)) {
      return error('VALUE', 'Invalid match_mode or search_mode')
    }
    const binary = searchMode === 2 || searchMode === -2
    if (binary && matchMode === 2) return error('VALUE', 'Wildcards cannot be used in a binary search')
    if (binary) return binarySearch(entry.values, key, matchMode, searchMode === -2, this.order())
    const approximate = matchMode === -1 || matchMode === 1
    // An empty lookup value sorts after everything: no exact match in the approximate modes.
    if (isEmpty(key) && approximate) return nearest(entry.values, key, matchMode, searchMode === -1, this.order())
    const exact = this.exactIn(entry, isEmpty(key) ? 0 : key, matchMode === 2, searchMode === -1 ? 'last' : 'first')
    if (exact !== -1 || !approximate) return exact
    return nearest(entry.values, key, matchMode, searchMode === -1, this.order())
  }
}

LookupFunctions.implementedFunctions = {
  CHOOSE: {
    method: 'choose',
    parameters: [
      { argumentType: T.NUMBER },
      { argumentType: T.SCALAR, passSubtype: true },
    ],
    repeatLastArgs: 1,
  },
  ADDRESS: {
    method: 'address',
    parameters: [
      { argumentType: T.NUMBER },
      { argumentType: T.NUMBER },
      { argumentType: T.NUMBER, defaultValue: 1 },
      { argumentType: T.BOOLEAN, defaultValue: true },
      { argumentType: T.STRING, optionalArg: true },
    ],
  },
  AREAS: {
    method: 'areas',
    parameters: [{ argumentType: T.RANGE }],
  },
  INDEX: {
    method: 'index',
    sizeOfResultArrayMethod: 'indexArraySize',
    parameters: [
      { argumentType: T.RANGE },
      { argumentType: T.NUMBER, defaultValue: 0 },
      { argumentType: T.NUMBER, optionalArg: true },
      { argumentType: T.NUMBER, optionalArg: true },
    ],
  },
  VLOOKUP: {
    method: 'vlookup',
    parameters: [
      { argumentType: T.NOERROR },
      { argumentType: T.RANGE },
      { argumentType: T.NUMBER },
      { argumentType: T.BOOLEAN, defaultValue: true },
    ],
  },
  HLOOKUP: {
    method: 'hlookup',
    parameters: [
      { argumentType: T.NOERROR },
      { argumentType: T.RANGE },
      { argumentType: T.NUMBER },
      { argumentType: T.BOOLEAN, defaultValue: true },
    ],
  },
  MATCH: {
    method: 'match',
    parameters: [
      { argumentType: T.NOERROR },
      { argumentType: T.RANGE },
      { argumentType: T.NUMBER, defaultValue: 1 },
    ],
  },
  LOOKUP: {
    method: 'lookup',
    parameters: [
      { argumentType: T.NOERROR },
      { argumentType: T.RANGE },
      { argumentType: T.RANGE, optionalArg: true },
    ],
  },
  XMATCH: {
    method: 'xmatch',
    parameters: [
      { argumentType: T.NOERROR },
      { argumentType: T.RANGE },
      { argumentType: T.NUMBER, defaultValue: 0 },
      { argumentType: T.NUMBER, defaultValue: 1 },
    ],
  },
  XLOOKUP: {
    method: 'xlookup',
    sizeOfResultArrayMethod: 'xlookupArraySize',
    parameters: [
      { argumentType: T.NOERROR },
      { argumentType: T.RANGE },
      { argumentType: T.RANGE },
      { argumentType: T.SCALAR, optionalArg: true, defaultValue: ErrorType.NA },
      { argumentType: T.NUMBER, optionalArg: true, defaultValue: 0 },
      { argumentType: T.NUMBER, optionalArg: true, defaultValue: 1 },
    ],
  },
}

module.exports = [{ plugin: LookupFunctions, translations: translationsFor(LookupFunctions) }]
module.exports.LookupFunctions = LookupFunctions
module.exports.sheetPrefix = sheetPrefix
module.exports.columnLetters = columnLetters
module.exports.internals = {
  kindOf,
  raw,
  hasWildcard,
  wildcardRegExp,
  lookupKey,
  exactPosition,
  lastNotGreater,
  firstSmaller,
  nearest,
  binarySearch,
  readCells,
  vectorCells,
}
