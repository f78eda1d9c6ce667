'use strict'
// Excel 365's dynamic-array functions that HyperFormula 3.5 lacks: CHOOSECOLS, CHOOSEROWS,
// TAKE, DROP, TOCOL, TOROW, EXPAND, WRAPROWS, WRAPCOLS, SORTBY, TRIMRANGE; and SORT, UNIQUE,
// FILTER, which replace the built-ins: Excel sorts and de-duplicates error cells as values
// (HyperFormula returns the first error instead), and FILTER takes a 2-D array, an include
// row or column and an if_empty value.
//
// Sizes. HyperFormula must know the size of an array result when it parses the formula
// (sizeOfResultArrayMethod), before any cell is computed; a result larger than that size
// aborts the whole evaluation, a smaller one is padded. So each size method below returns the
// exact size when it follows from the array arguments' shapes and the counts written as
// literals (TAKE(A1:C9,2) is 2x3), and otherwise an upper bound from the shapes (TAKE(A1:C9,B1)
// is at most 9x3). EXPAND, WRAPROWS and WRAPCOLS grow with a count: a count that is not a
// literal gives no bound, so the formula is sized as one cell (its top-left value is right,
// the rest of its spill range is not).
//
// Empty results are Excel's #CALC!, which HyperFormula lacks: an ERROR-typed CellError that
// info.js reports under its Excel code (EXCEL_ONLY there).
const { FunctionPlugin, FunctionArgumentType: T, CellError, ErrorType, SimpleRangeValue, ArraySize } =
  require('hyperformula')
const { AstNodeType, InterpreterState } = require('../internals')
const { error, translationsFor, isNumber, rawNumber, isEmpty, rowsOf } = require('./common')

const CALC_MESSAGE = 'Excel error #CALC!'

function calc () {
  return new CellError(ErrorType.ERROR, CALC_MESSAGE)
}

// ---- Arrays as rows of values -----------------------------------------------------------

function transpose (rows) {
  return rows.length ? rows[0].map((_, c) => rows.map((row) => row[c])) : []
}

// The function's value for `rows`: #CALC! when empty, a single value for one cell.
function result (rows) {
  if (!rows.length || !rows[0].length) return calc()
  if (rows.length === 1 && rows[0].length === 1) return rows[0][0]
  return SimpleRangeValue.onlyValues(rows)
}

// ---- Counts and indices -----------------------------------------------------------------

// A count or index as Excel reads it: truncated; TRUE is 1, a blank 0, numeric text its number.
function integer (value, helper) {
  if (value instanceof CellError) return value
  const n = helper.coerceScalarToNumberOrError(value)
  return n instanceof CellError ? n : Math.trunc(rawNumber(n))
}

// Every value of a (possibly array) argument as integers, or the first error.
function integers (value, helper) {
  const out = []
  for (const row of rowsOf(value)) {
    for (const cell of row) {
      const n = integer(cell, helper)
      if (n instanceof CellError) return n
      out.push(n)
    }
  }
  return out
}

// `n`-th of `length` items, counting from the end when negative; undefined when out of range.
function position (n, length) {
  if (n === 0 || Math.abs(n) > length) return undefined
  return n > 0 ? n - 1 : length + n
}

function omitted (ast, i) {
  return !ast.args[i] || ast.args[i].type === AstNodeType.EMPTY
}

// A number written in the formula (2, -1, +3): its value; null when the argument is omitted;
// undefined otherwise (its value is known only when evaluated).
function literal (ast) {
  if (!ast || ast.type === AstNodeType.EMPTY) return null
  if (ast.type === AstNodeType.NUMBER) return Math.trunc(ast.value)
  if (ast.type === AstNodeType.MINUS_UNARY_OP || ast.type === AstNodeType.PLUS_UNARY_OP) {
    const v = literal(ast.value)
    if (typeof v !== 'number') return undefined
    return ast.type === AstNodeType.MINUS_UNARY_OP ? -v : v
  }
  return undefined
}

// ---- Excel's sort order -----------------------------------------------------------------

// Excel's error codes (ERROR.TYPE), which order errors in SORT and SORTBY.
const ERROR_ORDER = {
  [ErrorType.DIV_BY_ZERO]: 2, [ErrorType.VALUE]: 3, [ErrorType.REF]: 4, [ErrorType.NAME]: 5,
  [ErrorType.NUM]: 6, [ErrorType.NA]: 7, [ErrorType.SPILL]: 9,
}
const EXCEL_ONLY_ORDER = { 'Excel error #NULL!': 1, 'Excel error #GETTING_DATA': 8, [CALC_MESSAGE]: 14 }

function errorOrder (e) {
  return ERROR_ORDER[e.type] ?? EXCEL_ONLY_ORDER[e.message] ?? 99
}

// Numbers, then text, then FALSE and TRUE, then errors; blanks always last.
function rank (v) {
  if (isEmpty(v)) return 4
  if (isNumber(v)) return 0
  if (typeof v === 'string') return 1
  if (typeof v === 'boolean') return 2
  return 3
}

// Compare two values in Excel's ascending order (`order` 1) or descending (-1). Blanks stay
// last either way; text ignores case (the collation HyperFormula compares text with).
function compareValues (a, b, order, collator) {
  const ra = rank(a)
  const rb = rank(b)
  if (ra === 4 || rb === 4) return ra - rb
  if (ra !== rb) return (ra - rb) * order
  let c = 0
  if (ra === 0) c = Math.sign(rawNumber(a) - rawNumber(b))
  else if (ra === 1) c = collator.compare(a, b)
  else if (ra === 2) c = Number(a) - Number(b)
  else c = errorOrder(a) - errorOrder(b)
  return c * order
}

// Stable sort of `items` by several keys: keys[k](item) is the item's k-th key.
function sortBy (items, keys, orders, collator) {
  const indexed = items.map((item, i) => ({ item, i, k: keys.map((key) => key(item, i)) }))
  indexed.sort((x, y) => {
    for (let k = 0; k < keys.length; k++) {
      const c = compareValues(x.k[k], y.k[k], orders[k], collator)
      if (c !== 0) return c
    }
    return x.i - y.i
  })
  return indexed.map((x) => x.item)
}

// ---- Equality for UNIQUE ----------------------------------------------------------------

function keyOf (v) {
  if (isEmpty(v)) return 'blank'
  if (isNumber(v)) return 'n' + rawNumber(v)
  if (typeof v === 'string') return 't' + v.toLowerCase()
  if (typeof v === 'boolean') return 'b' + v
  if (v instanceof CellError) return 'e' + v.type + (v.type === ErrorType.ERROR ? v.message : '')
  return 'x' + String(v)
}

// ---- Include arrays for FILTER ----------------------------------------------------------

// FILTER's include value as a boolean, or the error Excel gives (text is #VALUE!).
function included (v) {
  if (v instanceof CellError) return v
  if (isEmpty(v)) return false
  if (typeof v === 'boolean') return v
  if (isNumber(v)) return rawNumber(v) !== 0
  return error('VALUE', 'FILTER: include must be numbers or booleans')
}

class ArrayFunctions extends FunctionPlugin {
  shape (ast, state) {
    if (!ast) return new ArraySize(1, 1)
    const size = this.arraySizeForAst(ast, new InterpreterState(state.formulaAddress, true))
    return { width: size.width, height: size.height }
  }

  // ---- CHOOSECOLS, CHOOSEROWS: https://support.microsoft.com/office/choosecols-function-bf117976-2722-4466-9b9a-1c01ed9aebff
  choosecols (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('CHOOSECOLS'), (array, ...indices) =>
      this.choose(transpose(rowsOf(array)), indices, 'CHOOSECOLS', true))
  }

  chooserows (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('CHOOSEROWS'), (array, ...indices) =>
      this.choose(rowsOf(array), indices, 'CHOOSEROWS', false))
  }

  // `lines`: rows (or columns, then `columns` is set) of the array; each index picks one.
  choose (lines, indices, name, columns) {
    const picked = []
    for (const index of indices) {
      const numbers = integers(index, this.arithmeticHelper)
      if (numbers instanceof CellError) return numbers
      for (const n of numbers) {
        const at = position(n, lines.length)
        if (at === undefined) return error('VALUE', `${name}: index ${n} out of range`)
        picked.push(lines[at])
      }
    }
    return result(columns ? transpose(picked) : picked)
  }

  chooseSize (ast, state) {
    const array = this.shape(ast.args[0], state)
    let count = 0
    for (const arg of ast.args.slice(1)) {
      const s = this.shape(arg, state)
      count += s.width * s.height
    }
    return { array, count: Math.max(count, 1) }
  }

  choosecolsSize (ast, state) {
    const { array, count } = this.chooseSize(ast, state)
    return new ArraySize(count, array.height)
  }

  chooserowsSize (ast, state) {
    const { array, count } = this.chooseSize(ast, state)
    return new ArraySize(array.width, count)
  }

  // ---- TAKE, DROP: https://support.microsoft.com/office/take-function-25382ff1-5da1-4f78-ab43-f33bd2e4e003
  // and https://support.microsoft.com/office/drop-function-1cb4e151-9e17-4838-abe5-9ba48d8c6a34
  take (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('TAKE'), (array, rows, cols) =>
      this.slice(ast, array, rows, cols, (n, length) => (n >= 0 ? [0, Math.min(n, length)] : [Math.max(length + n, 0), length])))
  }

  drop (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('DROP'), (array, rows, cols) =>
      this.slice(ast, array, rows, cols, (n, length) => (n >= 0 ? [Math.min(n, length), length] : [0, Math.max(length + n, 0)])))
  }

  // Rows and columns kept by TAKE or DROP: `span(n, length)` gives [from, to) for a count; an
  // omitted count keeps everything.
  slice (ast, array, rows, cols, span) {
    const data = rowsOf(array)
    const spans = []
    for (const [i, count, length] of [[1, rows, data.length], [2, cols, data[0].length]]) {
      if (omitted(ast, i)) {
        spans.push([0, length])
        continue
      }
      const n = integer(count, this.arithmeticHelper)
      if (n instanceof CellError) return n
      spans.push(span(n, length))
    }
    const [[r0, r1], [c0, c1]] = spans
    return result(data.slice(r0, r1).map((row) => row.slice(c0, c1)))
  }

  takeSize (ast, state) {
    return this.sliceSize(ast, state, (n, length) => Math.max(1, Math.min(Math.abs(n), length)))
  }

  dropSize (ast, state) {
    return this.sliceSize(ast, state, (n, length) => Math.max(1, length - Math.abs(n)))
  }

  sliceSize (ast, state, kept) {
    const { width, height } = this.shape(ast.args[0], state)
    const size = (i, length) => {
      const n = literal(ast.args[i])
      return typeof n === 'number' ? kept(n, length) : length
    }
    return new ArraySize(size(2, width), size(1, height))
  }

  // ---- TOCOL, TOROW: https://support.microsoft.com/office/tocol-function-22839d9b-0b55-4fc1-b4e6-2761f8f122ed
  tocol (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('TOCOL'), (array, ignore, byColumn) => {
      const values = this.flatten(array, ignore, byColumn)
      return values instanceof CellError ? values : result(values.map((v) => [v]))
    })
  }

  torow (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('TOROW'), (array, ignore, byColumn) => {
      const values = this.flatten(array, ignore, byColumn)
      return values instanceof CellError ? values : result(values.length ? [values] : [])
    })
  }

  // The array's values in reading order (or column by column), without blanks (ignore 1),
  // errors (2) or both (3).
  flatten (array, ignore, byColumn) {
    if (![0, 1, 2, 3].includes(Math.trunc(ignore))) return error('VALUE', 'ignore must be 0, 1, 2 or 3')
    const mode = Math.trunc(ignore)
    const lines = byColumn ? transpose(rowsOf(array)) : rowsOf(array)
    return lines.flat().filter((v) => !((mode & 1) && isEmpty(v)) && !((mode & 2) && v instanceof CellError))
  }

  tocolSize (ast, state) {
    const { width, height } = this.shape(ast.args[0], state)
    return new ArraySize(1, width * height)
  }

  torowSize (ast, state) {
    const { width, height } = this.shape(ast.args[0], state)
    return new ArraySize(width * height, 1)
  }

  // ---- EXPAND: https://support.microsoft.com/office/expand-function-7433fba5-4ad1-41da-a904-d5d95808bc38
  expand (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('EXPAND'), (array, rows, cols, pad) => {
      const data = rowsOf(array)
      const target = []
      for (const [i, count, length] of [[1, rows, data.length], [2, cols, data[0].length]]) {
        const n = omitted(ast, i) ? length : integer(count, this.arithmeticHelper)
        if (n instanceof CellError) return n
        if (n < length) return error('VALUE', 'EXPAND: the size is smaller than the array')
        target.push(n)
      }
      const fill = omitted(ast, 3) ? error('NA', 'EXPAND padding') : pad
      return result(Array.from({ length: target[0] }, (_, r) =>
        Array.from({ length: target[1] }, (_, c) => (r < data.length && c < data[0].length ? data[r][c] : fill))))
    })
  }

  expandSize (ast, state) {
    const { width, height } = this.shape(ast.args[0], state)
    const rows = literal(ast.args[1])
    const cols = literal(ast.args[2])
    if (rows === undefined || cols === undefined) return ArraySize.error()
    return new ArraySize(Math.max(cols ?? width, width), Math.max(rows ?? height, height))
  }

  // ---- WRAPROWS, WRAPCOLS: https://support.microsoft.com/office/wraprows-function-796825f3-975a-4cee-9c84-1bbddf60ade0
  wraprows (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('WRAPROWS'), (vector, count, pad) =>
      this.wrap(ast, vector, count, pad, false))
  }

  wrapcols (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('WRAPCOLS'), (vector, count, pad) =>
      this.wrap(ast, vector, count, pad, true))
  }

  wrap (ast, vector, count, pad, columns) {
    const data = rowsOf(vector)
    if (data.length > 1 && data[0].length > 1) return error('VALUE', 'The vector must be one row or one column')
    const n = integer(count, this.arithmeticHelper)
    if (n instanceof CellError) return n
    if (n < 1) return error('NUM', 'wrap_count must be at least 1')
    const values = data.flat()
    const fill = omitted(ast, 2) ? error('NA', 'Wrap padding') : pad
    const lines = []
    for (let i = 0; i < values.length; i += n) {
      lines.push(Array.from({ length: n }, (_, k) => (i + k < values.length ? values[i + k] : fill)))
    }
    return result(columns ? transpose(lines) : lines)
  }

  wrapSize (ast, state, columns) {
    const { width, height } = this.shape(ast.args[0], state)
    const n = literal(ast.args[1])
    if (typeof n !== 'number' || n < 1) return ArraySize.error()
    const lines = Math.ceil((width * height) / n)
    return columns ? new ArraySize(lines, n) : new ArraySize(n, lines)
  }

  wraprowsSize (ast, state) {
    return this.wrapSize(ast, state, false)
  }

  wrapcolsSize (ast, state) {
    return this.wrapSize(ast, state, true)
  }

  // ---- SORT: https://support.microsoft.com/office/sort-function-22f63bd0-ccc8-492f-953d-c20e8e44b86c
  sort (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('SORT'), (array, index, order, byCol) => {
      const lines = byCol ? transpose(rowsOf(array)) : rowsOf(array)
      const indices = omitted(ast, 1) ? [1] : integers(index, this.arithmeticHelper)
      if (indices instanceof CellError) return indices
      const orders = omitted(ast, 2) ? [1] : integers(order, this.arithmeticHelper)
      if (orders instanceof CellError) return orders
      if (orders.length !== 1 && orders.length !== indices.length) return error('VALUE', 'SORT: sort_order does not match sort_index')
      if (orders.some((o) => o !== 1 && o !== -1)) return error('VALUE', 'SORT: sort_order must be 1 or -1')
      const depth = lines[0].length
      if (indices.some((i) => i < 1 || i > depth)) return error('VALUE', 'SORT: sort_index out of range')
      const keys = indices.map((i) => (line) => line[i - 1])
      const sorted = sortBy(lines, keys, indices.map((_, k) => orders[orders.length === 1 ? 0 : k]), this.arithmeticHelper.collator)
      return result(byCol ? transpose(sorted) : sorted)
    })
  }

  sameShape (ast, state) {
    const { width, height } = this.shape(ast.args[0], state)
    return new ArraySize(width, height)
  }

  // ---- SORTBY: https://support.microsoft.com/office/sortby-function-cd2d7a62-1b93-435c-b561-d6a35134f28f
  sortby (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('SORTBY'), (array, ...pairs) => {
      const data = rowsOf(array)
      const keys = []
      const orders = []
      let byColumns
      for (let k = 0; k < pairs.length; k += 2) {
        const by = rowsOf(pairs[k])
        const order = k + 1 < pairs.length && !omitted(ast, k + 2) ? integer(pairs[k + 1], this.arithmeticHelper) : 1
        if (order instanceof CellError) return order
        if (order !== 1 && order !== -1) return error('VALUE', 'SORTBY: sort_order must be 1 or -1')
        // A column as tall as the array sorts rows; a row as wide as the array sorts columns.
        const columns = by[0].length === 1 && by.length === data.length ? false
          : by.length === 1 && by[0].length === data[0].length ? true : undefined
        if (columns === undefined || (byColumns !== undefined && columns !== byColumns)) {
          return error('VALUE', 'SORTBY: by_array must be one row or column matching the array')
        }
        byColumns = columns
        const values = by.flat()
        keys.push((_, i) => values[i])
        orders.push(order)
      }
      const lines = byColumns ? transpose(data) : data
      const sorted = sortBy(lines, keys, orders, this.arithmeticHelper.collator)
      return result(byColumns ? transpose(sorted) : sorted)
    })
  }

  // ---- UNIQUE: https://support.microsoft.com/office/unique-function-c5ab87fd-30a3-4ce9-9d1a-40204fb85e1e
  unique (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('UNIQUE'), (array, byCol, exactlyOnce) => {
      const lines = byCol ? transpose(rowsOf(array)) : rowsOf(array)
      const seen = new Map() // key of a line -> [first line, count]
      for (const line of lines) {
        const key = line.map(keyOf).join('\u0000')
        const entry = seen.get(key)
        if (entry) entry[1]++
        else seen.set(key, [line, 1])
      }
      const kept = [...seen.values()].filter(([, count]) => !exactlyOnce || count === 1).map(([line]) => line)
      return result(byCol ? transpose(kept) : kept)
    })
  }

  // ---- FILTER: https://support.microsoft.com/office/filter-function-f4f7cb66-82eb-4767-8f7c-4877ad80c759
  filter (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('FILTER'), (array, include, ifEmpty) => {
      const data = rowsOf(array)
      const flags = rowsOf(include)
      // A column as tall as the array keeps rows; a row as wide as the array keeps columns.
      let columns
      if (flags[0].length === 1 && flags.length === data.length) columns = false
      else if (flags.length === 1 && flags[0].length === data[0].length) columns = true
      else return error('VALUE', 'FILTER: include must be one row or column matching the array')
      const keep = []
      for (const v of flags.flat()) {
        const ok = included(v)
        if (ok instanceof CellError) return ok
        keep.push(ok)
      }
      const kept = columns ? data.map((row) => row.filter((_, c) => keep[c])) : data.filter((_, r) => keep[r])
      if (kept.length && kept[0].length) return result(kept)
      if (omitted(ast, 2)) return calc()
      return ifEmpty instanceof SimpleRangeValue ? result(ifEmpty.data) : ifEmpty
    })
  }

  filterSize (ast, state) {
    const array = this.shape(ast.args[0], state)
    const ifEmpty = ast.args[2] ? this.shape(ast.args[2], state) : { width: 1, height: 1 }
    return new ArraySize(Math.max(array.width, ifEmpty.width), Math.max(array.height, ifEmpty.height))
  }

  // ---- TRIMRANGE: https://support.microsoft.com/office/trimrange-function-d7812248-3bc5-4c6b-901c-1afa9564f999
  trimrange (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('TRIMRANGE'), (range, trimRows, trimCols) => {
      const modes = []
      for (const m of [trimRows, trimCols]) {
        if (m instanceof CellError) return m
        const n = this.arithmeticHelper.coerceScalarToNumberOrError(m)
        if (n instanceof CellError) return n
        // A whole number from 0 to 3 only: Excel gives #VALUE! for 2.3.
        if (![0, 1, 2, 3].includes(rawNumber(n))) return error('VALUE', 'TRIMRANGE: trim mode must be 0, 1, 2 or 3')
        modes.push(rawNumber(n))
      }
      const data = rowsOf(range)
      // Excel returns a reference: nothing left of an entirely blank range is #REF!.
      if (data.every((row) => row.every(isEmpty))) return error('REF', 'TRIMRANGE: the range is blank')
      return result(transpose(trimLines(transpose(trimLines(data, modes[0])), modes[1])))
    })
  }
}

// Drop the blank lines at the start (mode 1 or 3) and the end (mode 2 or 3).
function trimLines (lines, mode) {
  const blank = (line) => line.every(isEmpty)
  let start = 0
  let end = lines.length
  if (mode & 1) while (start < end && blank(lines[start])) start++
  if (mode & 2) while (end > start && blank(lines[end - 1])) end--
  return lines.slice(start, end)
}

const ARRAY = { argumentType: T.RANGE }
const COUNT = { argumentType: T.SCALAR }
const OPTIONAL = { argumentType: T.SCALAR, optionalArg: true }
// Array functions read their arguments as arrays in any cell, never element by element.
const common = { enableArrayArithmeticForArguments: true, vectorizationForbidden: true }

ArrayFunctions.implementedFunctions = {
  CHOOSECOLS: { method: 'choosecols', sizeOfResultArrayMethod: 'choosecolsSize', parameters: [ARRAY, ARRAY], repeatLastArgs: 1, ...common },
  CHOOSEROWS: { method: 'chooserows', sizeOfResultArrayMethod: 'chooserowsSize', parameters: [ARRAY, ARRAY], repeatLastArgs: 1, ...common },
  TAKE: { method: 'take', sizeOfResultArrayMethod: 'takeSize', parameters: [ARRAY, COUNT, OPTIONAL], ...common },
  DROP: { method: 'drop', sizeOfResultArrayMethod: 'dropSize', parameters: [ARRAY, COUNT, OPTIONAL], ...common },
  TOCOL: {
    method: 'tocol',
    sizeOfResultArrayMethod: 'tocolSize',
    parameters: [ARRAY, { argumentType: T.NUMBER, defaultValue: 0, emptyAsDefault: true },
      { argumentType: T.BOOLEAN, defaultValue: false, emptyAsDefault: true }],
    ...common,
  },
  TOROW: {
    method: 'torow',
    sizeOfResultArrayMethod: 'torowSize',
    parameters: [ARRAY, { argumentType: T.NUMBER, defaultValue: 0, emptyAsDefault: true },
      { argumentType: T.BOOLEAN, defaultValue: false, emptyAsDefault: true }],
    ...common,
  },
  EXPAND: { method: 'expand', sizeOfResultArrayMethod: 'expandSize', parameters: [ARRAY, COUNT, OPTIONAL, OPTIONAL], ...common },
  WRAPROWS: { method: 'wraprows', sizeOfResultArrayMethod: 'wraprowsSize', parameters: [ARRAY, COUNT, OPTIONAL], ...common },
  WRAPCOLS: { method: 'wrapcols', sizeOfResultArrayMethod: 'wrapcolsSize', parameters: [ARRAY, COUNT, OPTIONAL], ...common },
  SORT: {
    method: 'sort',
    sizeOfResultArrayMethod: 'sameShape',
    parameters: [ARRAY, { argumentType: T.RANGE, optionalArg: true }, { argumentType: T.RANGE, optionalArg: true },
      { argumentType: T.BOOLEAN, defaultValue: false, emptyAsDefault: true }],
    ...common,
  },
  SORTBY: { method: 'sortby', sizeOfResultArrayMethod: 'sameShape', parameters: [ARRAY, ARRAY, OPTIONAL], repeatLastArgs: 2, ...common },
  UNIQUE: {
    method: 'unique',
    sizeOfResultArrayMethod: 'sameShape',
    parameters: [ARRAY, { argumentType: T.BOOLEAN, defaultValue: false, emptyAsDefault: true },
      { argumentType: T.BOOLEAN, defaultValue: false, emptyAsDefault: true }],
    ...common,
  },
  FILTER: { method: 'filter', sizeOfResultArrayMethod: 'filterSize', parameters: [ARRAY, ARRAY, { argumentType: T.ANY, optionalArg: true }], ...common },
  TRIMRANGE: {
    method: 'trimrange',
    sizeOfResultArrayMethod: 'sameShape',
    parameters: [ARRAY, { argumentType: T.SCALAR, defaultValue: 3, emptyAsDefault: true },
      { argumentType: T.SCALAR, defaultValue: 3, emptyAsDefault: true }],
    ...common,
  },
}

module.exports = Object.assign([{ plugin: ArrayFunctions, translations: translationsFor(ArrayFunctions) }], { CALC_MESSAGE })
