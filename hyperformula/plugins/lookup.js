'use strict'
// Lookup functions HyperFormula 3.5 lacks: LOOKUP (vector and array forms)
// and XMATCH; and INDEX, which replaces the built-in (see indexOf).
const path = require('path')
const { FunctionPlugin, FunctionArgumentType: T } = require('hyperformula')
const lib = path.dirname(require.resolve('hyperformula'))
const { SimpleRangeValue } = require(path.join(lib, 'SimpleRangeValue.js'))
const { ArraySize } = require(path.join(lib, 'ArraySize.js'))
const { AstNodeType } = require(path.join(lib, 'parser', 'index.js'))
const { AbsoluteCellRange } = require(path.join(lib, 'AbsoluteCellRange.js'))
const { InterpreterState } = require(path.join(lib, 'interpreter', 'InterpreterState.js'))
const { error, translationsFor, isNumber, rawNumber, cellsOf } = require('./common')

// Excel compares only values of the same kind: numbers with numbers, text
// with text (ignoring case), booleans with booleans. Returns null when the
// kinds differ or a cell is blank or an error.
function kind (value) {
  if (isNumber(value)) return 'number'
  if (typeof value === 'string') return 'text'
  if (typeof value === 'boolean') return 'boolean'
  return null
}

function compare (a, b) {
  const ka = kind(a)
  if (ka === null || ka !== kind(b)) return null
  if (ka === 'number') return Math.sign(rawNumber(a) - rawNumber(b))
  if (ka === 'text') {
    const x = a.toLowerCase()
    const y = b.toLowerCase()
    return x < y ? -1 : x > y ? 1 : 0
  }
  return Number(a) - Number(b)
}

// Excel wildcards: * any run, ? one character, ~ escapes the next one.
function wildcardRegExp (pattern) {
  let source = ''
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]
    if (ch === '~' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i])
    else if (ch === '*') source += '[\\s\\S]*'
    else if (ch === '?') source += '[\\s\\S]'
    else source += escapeRegExp(ch)
  }
  return new RegExp(`^${source}$`, 'i')
}

function escapeRegExp (ch) {
  return ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

// Rows or columns of a 2-D range, as Excel's LOOKUP array form picks them.
function column (range, index) {
  return range.data.map((row) => row[index])
}

// Approximate match of LOOKUP: the last value of the same kind that is <= x.
// On sorted data this is Excel's binary-search answer, and it also gives
// Excel's result for the LOOKUP(2, 1/(cond), values) "last match" idiom.
function lastNotGreater (values, x) {
  let found = -1
  values.forEach((value, i) => {
    const c = compare(value, x)
    if (c !== null && c <= 0) found = i
  })
  return found
}

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

class LookupFunctions extends FunctionPlugin {
  index (ast, state) {
    // Row or column numbers given as arrays: INDEX runs once per element, and each result
    // must be a value (HyperFormula cannot vectorize a function that returns a range).
    const vectorized = state.arraysFlag && ast.args.slice(1).some((arg) => {
      const size = this.arraySizeForAst(arg, new InterpreterState(state.formulaAddress, true))
      return size.width * size.height > 1
    })
    return this.runFunction(ast.args, state, this.metadata('INDEX'), (array, row, col) => {
      const window = indexWindow(array.height(), array.width(), row, col ?? 1, ast.args.length > 2)
      if (!Array.isArray(window)) return window
      const [r, c] = window
      const top = r === 0 ? 0 : r - 1
      const left = c === 0 ? 0 : c - 1
      const height = r === 0 ? array.height() : 1
      const width = c === 0 ? array.width() : 1
      if (height === 1 && width === 1 && (array.isAdHoc() || vectorized)) {
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
    const size = this.arraySizeForAst(ast.args[0], state)
    const columnGiven = ast.args.length > 2
    const wholeRows = isWhole(ast.args[1]) && (columnGiven || size.height > 1)
    const wholeCols = columnGiven ? isWhole(ast.args[2]) : size.height > 1 && size.width > 1
    return new ArraySize(wholeCols ? size.width : 1, wholeRows ? size.height : 1)
  }

  lookup (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('LOOKUP'), (x, lookupRange, resultRange) => {
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
          ? cellsOf(lookupRange)
          : column(lookupRange, 0)
        results = cellsOf(resultRange)
      }
      const i = lastNotGreater(keys, x)
      if (i === -1) return error('NA', 'No value less than or equal to the lookup value')
      if (i >= results.length) return error('NA', 'Result vector shorter than the lookup vector')
      return results[i]
    })
  }

  xmatch (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('XMATCH'), (x, range, matchMode, searchMode) => {
      if (range.width() !== 1 && range.height() !== 1) return error('VALUE', 'Lookup array must be one row or one column')
      matchMode = Math.trunc(matchMode)
      searchMode = Math.trunc(searchMode)
      if (![0, -1, 1, 2].includes(matchMode) || ![1, -1, 2, -2].includes(searchMode)) {
        return error('VALUE', 'Invalid match_mode or search_mode')
      }
      const i = xmatchIndex(x, cellsOf(range), matchMode, searchMode)
      return i === -1 ? error('NA', 'Value not found') : i + 1
    })
  }
}

// Positions in search order: last-to-first for search_mode -1. The binary
// modes (2, -2) assume sorted data, where a linear scan gives the same match.
function xmatchIndex (x, values, matchMode, searchMode) {
  const order = values.map((v, i) => i)
  if (searchMode === -1) order.reverse()
  if (matchMode === 2 && typeof x === 'string') {
    const re = wildcardRegExp(x)
    return order.find((i) => typeof values[i] === 'string' && re.test(values[i])) ?? -1
  }
  const exact = order.find((i) => compare(values[i], x) === 0)
  if (exact !== undefined || matchMode === 0 || matchMode === 2) return exact ?? -1
  // next smaller (-1) or next larger (1): the closest value on that side
  let best = -1
  for (const i of order) {
    const c = compare(values[i], x)
    if (c === null || c !== matchMode) continue
    if (best === -1 || compare(values[i], values[best]) === -matchMode) best = i
  }
  return best
}

LookupFunctions.implementedFunctions = {
  INDEX: {
    method: 'index',
    sizeOfResultArrayMethod: 'indexArraySize',
    parameters: [
      { argumentType: T.RANGE },
      { argumentType: T.NUMBER, defaultValue: 0 },
      { argumentType: T.NUMBER, optionalArg: true },
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
}

module.exports = [{ plugin: LookupFunctions, translations: translationsFor(LookupFunctions) }]
module.exports.wildcardRegExp = wildcardRegExp
