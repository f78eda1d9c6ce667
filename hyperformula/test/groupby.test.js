'use strict'
// GROUPBY and PIVOTBY on small hand-checkable tables, following Microsoft's pages:
// https://support.microsoft.com/en-us/office/groupby-function-5e08ae8c-6800-4b72-b623-c41773611505
// https://support.microsoft.com/en-us/office/pivotby-function-de86516a-90ad-4ced-8522-3a25fac389cf
// The function argument arrives as importer/translate.py writes `_xleta.SUM`: "_xleta.SUM".
const test = require('node:test')
const assert = require('node:assert')
const { evaluate, assertClose, assertError } = require('./helpers')
const { AGGREGATIONS } = require('../functions/groupby')
const context = require('../context')
const { EmptyValue } = require('hyperformula')

// Evaluate `formula` as an array formula whose stored spill range is height x width (as
// engine.js passes the file's ranges); the formula sits right of the data, on row 1.
function spill (formula, rows, height, width) {
  const left = Math.max(0, ...rows.map((r) => r.length)) + 1
  context.current().declareArrays(0, [[0, left, height, width]])
  try {
    return evaluate(`=ARRAYFORMULA(${formula})`, rows, { array: true })
  } finally {
    context.enter(context.create())
  }
}

// Region, product, units, price: a small sales table with a header row.
const SALES = [
  ['Region', 'Product', 'Units', 'Price'],
  ['East', 'Pear', 3, 2],
  ['West', 'Apple', 5, 1],
  ['East', 'Apple', 2, 1],
  ['West', 'Pear', 1, 2],
  ['east', 'Apple', 4, 1],
]

test('GROUPBY: headers detected, groups ascending, text grouped without case, a Total row', () => {
  // The first value ("Units") is text and the second a number: the first row is headers, not shown.
  assert.deepStrictEqual(spill('GROUPBY(A1:A6,C1:C6,"_xleta.SUM")', SALES, 3, 2), [
    ['East', 9],
    ['West', 6],
    ['Total', 15],
  ])
})

test('GROUPBY: shown headers, two levels with subtotals and a Grand Total', () => {
  assert.deepStrictEqual(spill('GROUPBY(A1:B6,C1:D6,"_xleta.SUM",3,2)', SALES, 8, 4), [
    ['Region', 'Product', 'Units', 'Price'],
    ['East', 'Apple', 6, 2],
    ['East', 'Pear', 3, 2],
    ['East', '', 9, 4],
    ['West', 'Apple', 5, 1],
    ['West', 'Pear', 1, 2],
    ['West', '', 6, 3],
    ['Grand Total', '', 15, 7],
  ])
})

test('GROUPBY: totals at the top (negative total_depth) and no totals (0)', () => {
  assert.deepStrictEqual(spill('GROUPBY(A2:B6,C2:C6,"_xleta.SUM",0,-2)', SALES, 7, 3), [
    ['Grand Total', '', 15],
    ['East', '', 9],
    ['East', 'Apple', 6],
    ['East', 'Pear', 3],
    ['West', '', 6],
    ['West', 'Apple', 5],
    ['West', 'Pear', 1],
  ])
  assert.deepStrictEqual(spill('GROUPBY(A2:A6,C2:C6,"_xleta.SUM",0,0)', SALES, 2, 2), [['East', 9], ['West', 6]])
})

test('GROUPBY: sort_order by the value column, descending (as the page\'s =GROUPBY(C2:C76,D2:D76,SUM,,,-2))', () => {
  assert.deepStrictEqual(spill('GROUPBY(B2:B6,C2:C6,"_xleta.SUM",,,-2)', SALES, 3, 2), [
    ['Apple', 11],
    ['Pear', 4],
    ['Total', 15],
  ])
  // A row field, descending.
  assert.deepStrictEqual(spill('GROUPBY(A2:A6,C2:C6,"_xleta.SUM",0,0,-1)', SALES, 2, 2), [['West', 6], ['East', 9]])
})

test('GROUPBY: field_relationship 1 (table) sorts whole rows by the value', () => {
  // Hierarchy keeps East's rows together; a table sorts every row by Units.
  assert.deepStrictEqual(spill('GROUPBY(A2:B6,C2:C6,"_xleta.SUM",0,0,3,,1)', SALES, 4, 3), [
    ['West', 'Pear', 1],
    ['East', 'Pear', 3],
    ['West', 'Apple', 5],
    ['East', 'Apple', 6],
  ])
})

test('GROUPBY: filter_array keeps the TRUE rows; its header row is skipped with the headers', () => {
  const rows = SALES.map((r, i) => [...r, i === 0 ? 'keep' : [1, 4, 5].includes(i)])
  assert.deepStrictEqual(spill('GROUPBY(A1:A6,C1:C6,"_xleta.SUM",3,1,,E1:E6)', rows, 4, 2), [
    ['Region', 'Units'],
    ['East', 7], // rows 2 and 6: 3 + 4 (row 5 is West)
    ['West', 1],
    ['Total', 8],
  ])
})

test('GROUPBY: PERCENTOF divides by the grand total', () => {
  const out = spill('GROUPBY(A2:A6,C2:C6,"_xleta.PERCENTOF")', SALES, 3, 2)
  assertClose(out[0][1], 9 / 15)
  assertClose(out[1][1], 6 / 15)
  assert.strictEqual(out[2][1], 1)
})

test('GROUPBY: errors as Excel gives them', () => {
  assertError(spill('GROUPBY(A1:A6,C1:C5,"_xleta.SUM")', SALES, 1, 1)[0][0], '#VALUE!') // heights differ
  assertError(spill('GROUPBY(A1:A6,C1:C6,"_xleta.SUM",1,1,3)', SALES, 1, 1)[0][0], '#VALUE!') // 2 columns only
  assertError(spill('GROUPBY(A1:A6,C1:C6,"SUM")', SALES, 1, 1)[0][0], '#VALUE!') // text, not a function
  assertError(spill('GROUPBY(A1:A6,C1:C6,NA())', SALES, 1, 1)[0][0], '#N/A') // an error is passed on
  assertError(spill('GROUPBY(A1:A6,C1:C6,"_xleta.SUM",0,3)', SALES, 1, 1)[0][0], '#VALUE!') // depth 3, one level
})

test('GROUPBY: the result fills the stored spill range; without one it shows its top-left cell', () => {
  // Stored range smaller than the result: cut. Larger: the rest is empty.
  assert.deepStrictEqual(spill('GROUPBY(A2:A6,C2:C6,"_xleta.SUM")', SALES, 2, 1), [['East'], ['West']])
  assert.deepStrictEqual(spill('GROUPBY(A2:A6,C2:C6,"_xleta.SUM",0,0)', SALES, 3, 2), [['East', 9], ['West', 6]])
  assert.strictEqual(evaluate('=ARRAYFORMULA(GROUPBY(A2:A6,C2:C6,"_xleta.SUM"))', SALES), 'East')
})

test('aggregations: Excel\'s results on an array argument (text and blanks skipped)', () => {
  const values = [3, 'x', EmptyValue, 1, 3, true]
  const run = (name, v = values) => AGGREGATIONS[name](v, v)
  assert.strictEqual(run('SUM'), 7)
  assertClose(run('AVERAGE'), 7 / 3)
  assert.strictEqual(run('COUNT'), 3)
  assert.strictEqual(run('COUNTA'), 5)
  assert.strictEqual(run('MAX'), 3)
  assert.strictEqual(run('MIN'), 1)
  assert.strictEqual(run('PRODUCT'), 9)
  assert.strictEqual(run('MEDIAN'), 3)
  assert.strictEqual(run('MODE.SNGL'), 3)
  assertClose(run('VAR.S'), 4 / 3)
  assertClose(run('VAR.P'), 8 / 9)
  assertClose(run('STDEV.S'), Math.sqrt(4 / 3))
  assertClose(run('STDEV.P'), Math.sqrt(8 / 9))
  assert.strictEqual(run('CONCAT'), '3x13TRUE')
  assert.strictEqual(run('ARRAYTOTEXT'), '3, x, , 1, 3, TRUE')
  // With no numbers at all.
  const none = ['a', EmptyValue]
  assert.strictEqual(run('SUM', none), 0)
  assert.strictEqual(run('MAX', none), 0)
  assert.strictEqual(run('PRODUCT', none), 0)
  assert.strictEqual(run('AVERAGE', none).type, 'DIV_BY_ZERO')
  assert.strictEqual(run('MEDIAN', none).type, 'NUM')
  assert.strictEqual(run('STDEV.S', [2]).type, 'DIV_BY_ZERO')
  assert.strictEqual(run('MODE.SNGL', [1, 2]).type, 'NA')
})

test('GROUPBY: COUNT and AVERAGE per group', () => {
  assert.deepStrictEqual(spill('GROUPBY(A2:A6,C2:C6,"_xleta.COUNT")', SALES, 3, 2), [['East', 3], ['West', 2], ['Total', 5]])
  assert.deepStrictEqual(spill('GROUPBY(A2:A6,C2:C6,"_xleta.AVERAGE")', SALES, 3, 2), [['East', 3], ['West', 3], ['Total', 3]])
})

test('PIVOTBY: rows by region, columns by product, totals both ways, blanks where no data', () => {
  const rows = [...SALES, ['North', 'Pear', 7, 2]]
  assert.deepStrictEqual(spill('PIVOTBY(A2:A7,B2:B7,C2:C7,"_xleta.SUM")', rows, 5, 4), [
    ['', 'Apple', 'Pear', 'Total'],
    ['East', 6, 3, 9],
    ['North', '', 7, 7],
    ['West', 5, 1, 6],
    ['Total', 11, 11, 22],
  ])
})

test('PIVOTBY: shown headers with two value columns, totals at the top-left, sorted by value', () => {
  assert.deepStrictEqual(spill('PIVOTBY(A1:A6,B1:B6,C1:D6,"_xleta.SUM",3,-1,-2,-1,1)', SALES, 6, 7), [
    ['', 'Product', '', '', '', '', ''],
    ['', 'Total', 'Total', 'Apple', 'Apple', 'Pear', 'Pear'],
    ['Region', 'Units', 'Price', 'Units', 'Price', 'Units', 'Price'],
    ['Total', 15, 7, 11, 3, 4, 4],
    ['East', 9, 4, 6, 2, 3, 2], // rows sorted by Units, descending
    ['West', 6, 3, 5, 1, 1, 2],
  ])
})

test('PIVOTBY: PERCENTOF relative to column, row and grand totals', () => {
  const formula = (relative) => `PIVOTBY(A2:A6,B2:B6,C2:C6,"_xleta.PERCENTOF",0,1,,1,,,${relative})`
  // East/Apple = 6: column Apple 11, row East 9, grand total 15.
  assertClose(spill(formula(0), SALES, 4, 4)[1][1], 6 / 11)
  assertClose(spill(formula(1), SALES, 4, 4)[1][1], 6 / 9)
  assertClose(spill(formula(2), SALES, 4, 4)[1][1], 6 / 15)
  // One level each way: the parent column is the row total, the parent row the column total.
  assertClose(spill(formula(3), SALES, 4, 4)[1][1], 6 / 9)
  assertClose(spill(formula(4), SALES, 4, 4)[1][1], 6 / 11)
})

test('PIVOTBY: IF as the function gives #VALUE! in every aggregated cell', () => {
  const out = spill('PIVOTBY(A2:A6,B2:B6,C2:C6,"_xleta.IF")', SALES, 4, 4)
  assert.deepStrictEqual(out[0], ['', 'Apple', 'Pear', 'Total'])
  assertError(out[1][1], '#VALUE!')
})
