'use strict'
// GETPIVOTDATA over a pivot table of the same workbook, computed from the pivot's cache records.
//   https://support.microsoft.com/office/getpivotdata-function-8c083b99-a922-4ca0-af5e-3af55960761f
// GETPIVOTDATA(data_field, pivot_table, [field1, item1], ...):
//   data_field   the data field's name ("Sum of Sales") or its source field's ("Sales"), any case
//   pivot_table  any cell (or range: its top-left cell) inside a pivot table's location
//   field/item   pairs that narrow the records: the field by its cache name, the item matched
//                case-insensitively (numbers and booleans by value)
// The value is the data field's subtotal (sum, count, average, max, min, product, countNums,
// stdDev, stdDevp, var, varp) over the matching cache records, as the pivot would show it.
// #REF! when the reference is in no pivot, the data field or a field is not in it, or no
// record has the item (the pivot shows no such cell).
// Not covered: page-field filters and hidden items (every record counts), "show values as"
// (% of total...), calculated fields and items, grouped dates, OLAP pivots.
// The importer sends the pivots with each request (context.js: pivots).
const { FunctionPlugin, FunctionArgumentType: T, CellError, SimpleRangeValue } = require('hyperformula')
const { error, translationsFor } = require('./common')
const { AstNodeType } = require('../internals')
const context = require('../context')

function unwrap (ast) {
  while (ast && ast.type === AstNodeType.PARENTHESIS) ast = ast.expression
  return ast
}

function fold (text) {
  return String(text).trim().toLowerCase()
}

function sameItem (recordValue, item) {
  if (recordValue === null || recordValue === undefined) return item === '' || fold(item) === '(blank)'
  if (typeof item === 'number' || typeof item === 'boolean') {
    if (typeof recordValue === typeof item) return recordValue === item
    return fold(recordValue) === fold(item)
  }
  return fold(recordValue) === fold(item)
}

const SUBTOTALS = {
  sum: (xs) => nums(xs).reduce((a, b) => a + b, 0),
  count: (xs) => xs.filter((x) => x !== null && x !== undefined).length,
  countNums: (xs) => nums(xs).length,
  average: (xs) => { const n = nums(xs); return n.length ? n.reduce((a, b) => a + b, 0) / n.length : error('DIV_BY_ZERO') },
  max: (xs) => { const n = nums(xs); return n.length ? Math.max(...n) : 0 },
  min: (xs) => { const n = nums(xs); return n.length ? Math.min(...n) : 0 },
  product: (xs) => nums(xs).reduce((a, b) => a * b, 1),
  var: (xs) => variance(nums(xs), 1),
  varp: (xs) => variance(nums(xs), 0),
  stdDev: (xs) => root(variance(nums(xs), 1)),
  stdDevp: (xs) => root(variance(nums(xs), 0)),
}

function nums (xs) {
  return xs.filter((x) => typeof x === 'number')
}

function variance (n, ddof) {
  if (n.length - ddof <= 0) return error('DIV_BY_ZERO', 'GETPIVOTDATA: too few values')
  const mean = n.reduce((a, b) => a + b, 0) / n.length
  return n.reduce((a, b) => a + (b - mean) ** 2, 0) / (n.length - ddof)
}

function root (v) {
  return v instanceof CellError ? v : Math.sqrt(v)
}

class PivotFunctions extends FunctionPlugin {
  getpivotdata (ast, state) {
    const args = ast.args
    if (args.length < 2 || args.length % 2 !== 0) return error('NA', 'GETPIVOTDATA takes a data field, a pivot table and field/item pairs')
    const at = this.referenceStart(args[1], state)
    if (at instanceof CellError) return at
    const pivot = context.current().pivots.find((p) => p.sheetId === at.sheet && p.top <= at.row && at.row <= p.bottom && p.left <= at.col && at.col <= p.right)
    if (!pivot) return error('REF', 'GETPIVOTDATA: the reference is in no pivot table')
    const name = this.scalar(args[0], state)
    if (name instanceof CellError) return name
    const dataField = pivot.data_fields.find((d) => fold(d.name) === fold(name)) ||
      pivot.data_fields.find((d) => fold(pivot.fields[d.field]) === fold(name))
    if (!dataField) return error('REF', `GETPIVOTDATA: no data field ${name}`)
    const shown = new Set([...pivot.row_fields, ...pivot.col_fields, ...(pivot.page_fields || [])])
    const filters = []
    for (let k = 2; k < args.length; k += 2) {
      const field = this.scalar(args[k], state)
      if (field instanceof CellError) return field
      const item = this.scalar(args[k + 1], state)
      if (item instanceof CellError) return item
      const index = pivot.fields.findIndex((f, i) => shown.has(i) && fold(f) === fold(field))
      if (index < 0) return error('REF', `GETPIVOTDATA: no field ${field} in the pivot table`)
      filters.push([index, item])
    }
    const records = pivot.records.filter((r) => filters.every(([index, item]) => sameItem(r[index], item)))
    if (filters.length && !records.length) return error('REF', 'GETPIVOTDATA: no such item in the pivot table')
    const subtotal = SUBTOTALS[dataField.subtotal || 'sum'] || SUBTOTALS.sum
    return subtotal(records.map((r) => r[dataField.field]))
  }

  scalar (argument, state) {
    let value = this.evaluateAst(argument, state)
    if (value instanceof SimpleRangeValue) value = value.data[0][0]
    if (value && typeof value === 'object' && !(value instanceof CellError) && typeof value.val === 'number') value = value.val
    return value
  }

  // The top-left cell of the pivot_table argument: a reference written in the formula, or computed.
  referenceStart (argument, state) {
    const ref = unwrap(argument)
    if (ref.type === AstNodeType.CELL_REFERENCE) return ref.reference.toSimpleCellAddress(state.formulaAddress)
    if (ref.type === AstNodeType.CELL_RANGE) return ref.start.toSimpleCellAddress(state.formulaAddress)
    const value = this.interpreter.evaluateAstWithoutPostprocessing(ref, state)
    if (value instanceof CellError) return value
    if (value instanceof SimpleRangeValue && !value.isAdHoc()) return value.range.start
    return error('REF', 'GETPIVOTDATA needs a reference to a pivot table')
  }
}

PivotFunctions.implementedFunctions = {
  GETPIVOTDATA: { method: 'getpivotdata', parameters: [{ argumentType: T.ANY }, { argumentType: T.ANY }], repeatLastArgs: 2 },
}

module.exports = [{ plugin: PivotFunctions, translations: translationsFor(PivotFunctions) }]
