'use strict'
// GROUPBY and PIVOTBY (Excel 365), which HyperFormula 3.5 lacks.
// https://support.microsoft.com/en-us/office/groupby-function-5e08ae8c-6800-4b72-b623-c41773611505
// https://support.microsoft.com/en-us/office/pivotby-function-de86516a-90ad-4ced-8522-3a25fac389cf
//
// The function argument is an eta-reduced lambda (`_xleta.SUM` in the file), which
// importer/translate.py hands over as the string "_xleta.SUM". LAMBDA(...) arguments are not
// supported (HyperFormula has no LAMBDA).
//
// Size of the result. HyperFormula fixes an array formula's size when it parses the formula,
// before any value is known, and GROUPBY's size depends on the data. Excel stores the spill
// range of every dynamic-array formula (the `ref` of `<f t="array">`); engine.js declares those
// ranges (context.js declareArrays) before placing the cells, and the size method
// announces that size: a formula with no stored range, or a one-cell one, is one cell. A bigger
// result is cut to it (legacy_arrays.js clips array values); a smaller one is padded by
// HyperFormula with empty cells.
const { FunctionPlugin, FunctionArgumentType: T, CellError, SimpleRangeValue, ArraySize, EmptyValue } = require('hyperformula')
const { error, translationsFor, isNumber, rawNumber, isEmpty, variance, sqrtOf, numbersIn, mode } = require('./common')
const { valueText } = require('./text_extra')
const { declaredSize } = require('../context')

// ---- Cell values ---------------------------------------------------------------------------

// Values as the aggregations see them: numbers unwrapped, blanks as EmptyValue.
function plainValue (v) {
  if (isEmpty(v)) return EmptyValue
  return isNumber(v) ? rawNumber(v) : v
}

function gridOf (value) {
  if (value instanceof SimpleRangeValue) return value.data.map((row) => row.map(plainValue))
  return [[plainValue(value)]]
}

// Grouping key: text compares without case, as Excel's UNIQUE and pivot items do.
function keyOf (v) {
  if (v === EmptyValue) return 'z'
  if (v instanceof CellError) return `e:${v.type}`
  if (typeof v === 'string') return `s:${v.toLowerCase()}`
  return `${typeof v}:${v}`
}

// Excel's sort order: numbers, text (no case), logicals, errors, blanks.
function rank (v) {
  if (typeof v === 'number') return 0
  if (typeof v === 'string') return 1
  if (typeof v === 'boolean') return 2
  if (v instanceof CellError) return 3
  return 4
}

function compareValues (a, b) {
  const ra = rank(a)
  const rb = rank(b)
  if (ra !== rb) return ra - rb
  if (ra === 1) {
    const x = a.toLowerCase()
    const y = b.toLowerCase()
    return x < y ? -1 : x > y ? 1 : 0
  }
  if (ra === 0 || ra === 2) return a < b ? -1 : a > b ? 1 : 0
  return 0
}

// ---- Aggregations (each as Excel's function given one array argument) ----------------------

// Wraps f(nums) so errors pass through and text, logicals and blanks are skipped, as for an
// array argument of SUM.
function onNumbers (f) {
  return (values) => {
    const nums = numbersIn(values)
    return nums instanceof CellError ? nums : f(nums)
  }
}

const sum = (nums) => nums.reduce((a, b) => a + b, 0)

function median (nums) {
  if (!nums.length) return error('NUM', 'No numbers')
  const s = [...nums].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

function concat (values) {
  let out = ''
  for (const v of values) {
    if (v instanceof CellError) return v
    out += valueText(v, false)
  }
  return out
}

// ARRAYTOTEXT(array) in its concise format: errors are shown as their text, not passed on.
function arrayToText (values) {
  return values.map((v) => valueText(v, false)).join(', ')
}

// PERCENTOF(subset, everything): SUM(subset) / SUM(everything).
function percentOf (values, all) {
  const part = numbersIn(values)
  if (part instanceof CellError) return part
  const whole = numbersIn(all)
  if (whole instanceof CellError) return whole
  const total = sum(whole)
  return total === 0 ? error('DIV_BY_ZERO', 'The total is 0') : sum(part) / total
}

const AGGREGATIONS = {
  SUM: onNumbers(sum),
  AVERAGE: onNumbers((n) => (n.length ? sum(n) / n.length : error('DIV_BY_ZERO', 'No numbers'))),
  COUNT: (values) => values.filter((v) => typeof v === 'number').length,
  COUNTA: (values) => values.filter((v) => v !== EmptyValue).length,
  MAX: onNumbers((n) => (n.length ? Math.max(...n) : 0)),
  MIN: onNumbers((n) => (n.length ? Math.min(...n) : 0)),
  PRODUCT: onNumbers((n) => (n.length ? n.reduce((a, b) => a * b, 1) : 0)),
  MEDIAN: onNumbers(median),
  'MODE.SNGL': onNumbers(mode),
  'STDEV.S': onNumbers((n) => sqrtOf(variance(n, true))),
  'STDEV.P': onNumbers((n) => sqrtOf(variance(n, false))),
  'VAR.S': onNumbers((n) => variance(n, true)),
  'VAR.P': onNumbers((n) => variance(n, false)),
  CONCAT: concat,
  ARRAYTOTEXT: arrayToText,
  PERCENTOF: percentOf,
  // IF needs a second argument: called with the values alone it gives #VALUE! (as saved by Excel).
  IF: () => error('VALUE', 'IF needs more than one argument'),
}

// The aggregation named by the function argument, or the error Excel gives.
function aggregationOf (fn) {
  if (fn instanceof CellError) return fn
  const match = typeof fn === 'string' && /^_xleta\.(.+)$/i.exec(fn)
  if (!match) return error('VALUE', 'The function argument must be a function')
  const aggregate = AGGREGATIONS[match[1].toUpperCase()]
  return aggregate || error('VALUE', `GROUPBY/PIVOTBY with ${match[1]} is not supported`)
}

// ---- Arguments -----------------------------------------------------------------------------

function isOmitted (v) {
  return v === undefined || v === EmptyValue
}

// An optional whole-number argument within [min, max], or the error Excel gives.
function optionalInt (v, fallback, min, max) {
  if (isOmitted(v)) return fallback
  if (v instanceof CellError) return v
  if (typeof v === 'boolean') v = v ? 1 : 0
  if (typeof v !== 'number') return error('VALUE', 'A number is expected')
  const n = Math.trunc(v)
  return n < min || n > max ? error('VALUE', `Expected a number from ${min} to ${max}`) : n
}

// sort_order: one number or a vector of them; each a 1-based column (negative: descending).
function sortKeys (v, columns) {
  if (isOmitted(v)) return []
  const keys = []
  for (const x of gridOf(v).flat()) {
    if (x instanceof CellError) return x
    if (typeof x !== 'number') return error('VALUE', 'sort_order must be numbers')
    const n = Math.trunc(x)
    if (n === 0 || Math.abs(n) > columns) return error('VALUE', 'sort_order is out of range')
    keys.push({ col: Math.abs(n) - 1, desc: n < 0 })
  }
  return keys
}

// Whether the first row holds headers: field_headers 1 or 3, or (omitted) when the first
// value is text and the second a number.
function hasHeaders (fieldHeaders, values) {
  if (fieldHeaders !== undefined) return fieldHeaders === 1 || fieldHeaders === 3
  return values.length > 1 && typeof values[0][0] === 'string' && typeof values[1][0] === 'number'
}

// The data rows that filter_array keeps (its first column; the header row is not data).
function keptRows (filter, count, skip) {
  if (isOmitted(filter)) return Array.from({ length: count }, (_, i) => i)
  const grid = gridOf(filter)
  if (grid.length !== count + skip) return error('VALUE', 'filter_array must be as long as the fields')
  const kept = []
  for (let i = 0; i < count; i++) {
    const v = grid[i + skip][0]
    if (v instanceof CellError) return v
    if (typeof v === 'string') return error('VALUE', 'filter_array must be logical values')
    if (v === true || (typeof v === 'number' && v !== 0)) kept.push(i)
  }
  return kept
}

// ---- One axis (rows of GROUPBY; rows or columns of PIVOTBY) --------------------------------
// Entries in display order: {keys (one per field level, '' past the entry's level), rows
// (data row indexes), parent (rows of the entry one level up), kind: 'item' | 'total'}.

function buildTree (fields, rows) {
  const root = { rows, children: new Map() }
  for (const r of rows) {
    let node = root
    for (let d = 0; d < fields[r].length; d++) {
      const v = fields[r][d]
      const k = keyOf(v)
      let child = node.children.get(k)
      if (!child) {
        child = { value: v, rows: [], children: new Map() }
        node.children.set(k, child)
      }
      child.rows.push(r)
      node = child
    }
  }
  return root
}

// Hierarchy: a sort key on field d orders level d; a key on a value orders the innermost
// level (outer levels keep their fields' order, as Excel saved); ties go ascending.
function levelOrder (d, levels, keys, valueOf) {
  return (a, b) => {
    for (const { col, desc } of keys) {
      let c = 0
      if (col === d) c = compareValues(a.value, b.value)
      else if (col >= levels && d === levels - 1) c = compareValues(valueOf(a.rows, col - levels), valueOf(b.rows, col - levels))
      if (c) return desc ? -c : c
    }
    return compareValues(a.value, b.value)
  }
}

function axisEntries (fields, rows, { depth, keys, table, valueOf }) {
  const levels = fields.length ? fields[0].length : 0
  const out = []
  const subtotals = !table && Math.abs(depth) >= 2 && levels >= 2
  const pad = (path) => [...path, ...new Array(levels - path.length).fill('')]
  if (table) {
    out.push(...tableEntries(fields, rows, levels, keys, valueOf))
  } else {
    const walk = (node, d, path) => {
      const children = [...node.children.values()].sort(levelOrder(d, levels, keys, valueOf))
      for (const child of children) {
        const here = [...path, child.value]
        if (d === levels - 1) {
          out.push({ keys: here, rows: child.rows, parent: node.rows, kind: 'item' })
          continue
        }
        const sub = d + 2 <= Math.abs(depth)
        const entry = { keys: pad(here), rows: child.rows, parent: node.rows, kind: 'item' }
        if (sub && depth < 0) out.push(entry)
        walk(child, d + 1, here)
        if (sub && depth > 0) out.push(entry)
      }
    }
    walk(buildTree(fields, rows), 0, [])
  }
  if (depth !== 0) {
    const total = { keys: pad([subtotals ? 'Grand Total' : 'Total']), rows, parent: rows, kind: 'total' }
    if (depth < 0) out.unshift(total)
    else out.push(total)
  }
  return out
}

// Table relationship: every combination of fields is one entry, sorted as a whole.
function tableEntries (fields, rows, levels, keys, valueOf) {
  const groups = new Map()
  for (const r of rows) {
    const k = fields[r].map(keyOf).join('\u0000')
    if (!groups.has(k)) groups.set(k, { keys: fields[r], rows: [], parent: rows, kind: 'item' })
    groups.get(k).rows.push(r)
  }
  const byFields = (a, b) => {
    for (let d = 0; d < levels; d++) {
      const c = compareValues(a.keys[d], b.keys[d])
      if (c) return c
    }
    return 0
  }
  return [...groups.values()].sort((a, b) => {
    for (const { col, desc } of keys) {
      const c = col < levels
        ? compareValues(a.keys[col], b.keys[col])
        : compareValues(valueOf(a.rows, col - levels), valueOf(b.rows, col - levels))
      if (c) return desc ? -c : c
    }
    return byFields(a, b)
  })
}

// ---- Shared set-up -------------------------------------------------------------------------

// Reads fields and values, checks their shapes, applies headers and the filter.
// `parts`: {name: grid}; all must have the same number of rows.
function prepare (parts, fieldHeaders, filter) {
  const heights = Object.values(parts).map((g) => g.length)
  if (heights.some((h) => h !== heights[0])) return error('VALUE', 'The fields and values must have the same number of rows')
  const headers = hasHeaders(fieldHeaders, parts.values)
  const skip = headers ? 1 : 0
  const data = {}
  const names = {}
  for (const [name, grid] of Object.entries(parts)) {
    names[name] = headers ? grid[0] : null
    data[name] = grid.slice(skip)
  }
  const rows = keptRows(filter, heights[0] - skip, skip)
  if (rows instanceof CellError) return rows
  return { data, names, rows }
}

// Generated field headers (field_headers 2) follow Excel's English names.
function headerNames (names, count, generated) {
  return names || Array.from({ length: count }, (_, i) => `${generated} ${i + 1}`)
}

// Headers are returned for field_headers 2 and 3 only. Omitted, Microsoft's page says they are
// shown when there are several group levels, but the cells Excel saved (GROUPBY over three row
// fields, headers detected) show none: we follow the saved cells.
function shown (fieldHeaders) {
  return fieldHeaders === 2 || fieldHeaders === 3
}

// An output cell: one aggregation of the values of `rows` in value column `v`.
function cellValue (aggregate, values, v, rows, denominator) {
  const column = rows.map((r) => values[r][v])
  return aggregate(column, denominator.map((r) => values[r][v]))
}

// valueOf for sorting: each group's aggregate computed once, not at every comparison.
function memoized (valueOf) {
  const cache = new WeakMap()
  return (group, v) => {
    let byColumn = cache.get(group)
    if (!byColumn) cache.set(group, (byColumn = new Map()))
    if (!byColumn.has(v)) byColumn.set(v, valueOf(group, v))
    return byColumn.get(v)
  }
}

function intersect (a, b) {
  const inB = new Set(b)
  return a.filter((r) => inB.has(r))
}

// The grid as a value: one cell alone is a scalar, rows are padded to a rectangle.
function result (grid) {
  const width = Math.max(...grid.map((r) => r.length))
  const rect = grid.map((r) => [...r, ...new Array(width - r.length).fill('')])
  return rect.length === 1 && width === 1 ? rect[0][0] : SimpleRangeValue.onlyValues(rect)
}

// ---- The functions -------------------------------------------------------------------------

class GroupByFunctions extends FunctionPlugin {
  groupby (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('GROUPBY'), (...args) => {
      const grid = groupBy(...args)
      return grid instanceof CellError ? grid : result(grid)
    })
  }

  pivotby (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('PIVOTBY'), (...args) => {
      const grid = pivotBy(...args)
      return grid instanceof CellError ? grid : result(grid)
    })
  }

  spillSize (ast, state) {
    const declared = state.arraysFlag ? declaredSize(state.formulaAddress) : undefined
    return declared ? new ArraySize(declared[1], declared[0]) : ArraySize.scalar()
  }
}

function groupBy (rowFields, values, fn, fieldHeaders, totalDepth, sortOrder, filter, relationship) {
  const aggregate = aggregationOf(fn)
  if (aggregate instanceof CellError) return aggregate
  fieldHeaders = optionalInt(fieldHeaders, undefined, 0, 3)
  const table = optionalInt(relationship, 0, 0, 1)
  for (const v of [fieldHeaders, table]) if (v instanceof CellError) return v
  const set = prepare({ fields: gridOf(rowFields), values: gridOf(values) }, fieldHeaders, filter)
  if (set instanceof CellError) return set
  const { data, names, rows } = set
  const levels = data.fields[0] ? data.fields[0].length : 0
  const width = data.values[0] ? data.values[0].length : 0
  const depth = optionalInt(totalDepth, 1, -Math.max(2, levels), Math.max(2, levels))
  const keys = sortKeys(sortOrder, levels + width)
  for (const v of [depth, keys]) if (v instanceof CellError) return v
  if (!rows.length) return error('VALUE', 'No rows to group (Excel: #CALC!)')
  const valueOf = memoized((group, v) => cellValue(aggregate, data.values, v, group, rows))
  const entries = axisEntries(data.fields, rows, { depth, keys, table: table === 1, valueOf })
  const out = []
  if (shown(fieldHeaders)) {
    out.push([...headerNames(names.fields, levels, 'Row Field'), ...headerNames(names.values, width, 'Value')])
  }
  for (const entry of entries) {
    const line = [...entry.keys]
    for (let v = 0; v < width; v++) line.push(valueOf(entry.rows, v))
    out.push(line)
  }
  return out
}

function pivotBy (rowFields, colFields, values, fn, fieldHeaders, rowTotalDepth, rowSortOrder, colTotalDepth,
  colSortOrder, filter, relativeTo) {
  const aggregate = aggregationOf(fn)
  if (aggregate instanceof CellError) return aggregate
  fieldHeaders = optionalInt(fieldHeaders, undefined, 0, 3)
  const relative = optionalInt(relativeTo, 0, 0, 4)
  for (const v of [fieldHeaders, relative]) if (v instanceof CellError) return v
  const set = prepare({ rows: gridOf(rowFields), cols: gridOf(colFields), values: gridOf(values) }, fieldHeaders, filter)
  if (set instanceof CellError) return set
  const { data, names, rows } = set
  const width = (grid) => (grid[0] ? grid[0].length : 0)
  const [rowLevels, colLevels, count] = [width(data.rows), width(data.cols), width(data.values)]
  const rowDepth = optionalInt(rowTotalDepth, 1, -Math.max(2, rowLevels), Math.max(2, rowLevels))
  const colDepth = optionalInt(colTotalDepth, 1, -Math.max(2, colLevels), Math.max(2, colLevels))
  const rowKeys = sortKeys(rowSortOrder, rowLevels + count)
  const colKeys = sortKeys(colSortOrder, colLevels + count)
  for (const v of [rowDepth, colDepth, rowKeys, colKeys]) if (v instanceof CellError) return v
  if (!rows.length) return error('VALUE', 'No rows to pivot (Excel: #CALC!)')
  // Sorting by a value uses the entry's total over the other axis.
  const valueOf = memoized((group, v) => cellValue(aggregate, data.values, v, group, rows))
  const rowEntries = axisEntries(data.rows, rows, { depth: rowDepth, keys: rowKeys, table: false, valueOf })
  const colEntries = axisEntries(data.cols, rows, { depth: colDepth, keys: colKeys, table: false, valueOf })
  const perColumn = (f) => colEntries.flatMap((entry) => Array.from({ length: count }, (_, v) => f(entry, v)))
  const blanks = new Array(rowLevels).fill('')
  const out = []
  if (shown(fieldHeaders)) out.push([...blanks, headerNames(names.cols, colLevels, 'Col Field').join(', ')])
  for (let level = 0; level < colLevels; level++) out.push([...blanks, ...perColumn((entry) => entry.keys[level])])
  if (shown(fieldHeaders)) {
    const valueNames = headerNames(names.values, count, 'Value')
    out.push([...headerNames(names.rows, rowLevels, 'Row Field'), ...perColumn((_, v) => valueNames[v])])
  }
  for (const rowEntry of rowEntries) {
    out.push([...rowEntry.keys, ...perColumn((colEntry, v) => {
      const cells = intersect(rowEntry.rows, colEntry.rows)
      if (!cells.length) return ''
      return cellValue(aggregate, data.values, v, cells, denominator(relative, rowEntry, colEntry, rows))
    })])
  }
  return out
}

// The rows PERCENTOF divides by (relative_to): 0 the column's total, 1 the row's, 2 the grand
// total, 3 the parent column's total in this row, 4 the parent row's total in this column.
function denominator (relative, rowEntry, colEntry, rows) {
  switch (relative) {
    case 0: return colEntry.rows
    case 1: return rowEntry.rows
    case 2: return rows
    case 3: return intersect(rowEntry.rows, colEntry.parent)
    default: return intersect(colEntry.rows, rowEntry.parent)
  }
}

const optional = { argumentType: T.ANY, optionalArg: true }
GroupByFunctions.implementedFunctions = {
  GROUPBY: {
    method: 'groupby',
    sizeOfResultArrayMethod: 'spillSize',
    enableArrayArithmeticForArguments: true,
    vectorizationForbidden: true,
    parameters: [{ argumentType: T.ANY }, { argumentType: T.ANY }, { argumentType: T.ANY }, ...new Array(5).fill(optional)],
  },
  PIVOTBY: {
    method: 'pivotby',
    sizeOfResultArrayMethod: 'spillSize',
    enableArrayArithmeticForArguments: true,
    vectorizationForbidden: true,
    parameters: [...new Array(4).fill({ argumentType: T.ANY }), ...new Array(7).fill(optional)],
  },
}

module.exports = Object.assign([{ plugin: GroupByFunctions, translations: translationsFor(GroupByFunctions) }], {
  AGGREGATIONS,
})
