'use strict'
// functions/database.js: Excel's database functions.
// 1. Microsoft's shared orchard example (pages "DAVERAGE function", "DCOUNT function", "DCOUNTA
//    function", "DGET function", "DMAX function", "DMIN function", "DPRODUCT function", "DSTDEV
//    function", "DSTDEVP function", "DSUM function", "DVAR function", "DVARP function").
// 2. The criteria rules of "Examples of complex criteria" and the rules derived from the cells
//    Excel saved in the IronCalc DATABASE workbooks, on small hand-checkable tables.
const { test } = require('node:test')
const assert = require('node:assert')
const { evaluate, assertClose, assertRounded, assertError, serial } = require('./helpers')

// Criteria in A1:F3, database in A5:E11, as on Microsoft's pages. The criteria cells hold the
// text "=Apple" and "=Pear" (entered there as ="=Apple").
const ORCHARD = [
  ['Tree', 'Height', 'Age', 'Yield', 'Profit', 'Height'],
  ['="=Apple"', '>10', null, null, null, '<16'],
  ['="=Pear"'],
  [],
  ['Tree', 'Height', 'Age', 'Yield', 'Profit'],
  ['Apple', 18, 20, 14, 105],
  ['Pear', 12, 12, 10, 96],
  ['Cherry', 13, 14, 9, 105],
  ['Apple', 14, 15, 10, 75],
  ['Pear', 9, 8, 8, 76.8],
  ['Apple', 8, 9, 6, 45],
]

const orchard = (formula) => evaluate(formula, ORCHARD)

test('Microsoft examples: DAVERAGE, DCOUNT, DCOUNTA, DGET', () => {
  assert.strictEqual(orchard('=DAVERAGE(A5:E11,"Yield",A1:B2)'), 12)
  assert.strictEqual(orchard('=DAVERAGE(A5:E11,3,A5:E11)'), 13)
  assert.strictEqual(orchard('=DCOUNT(A5:E11,"Age",A1:F2)'), 1)
  assert.strictEqual(orchard('=DCOUNTA(A5:E11,"Profit",A1:F2)'), 1)
  assertError(orchard('=DGET(A5:E11,"Yield",A1:A3)'), '#NUM!')
  assert.strictEqual(orchard('=DGET(A5:E11,"Yield",A1:F2)'), 10)
})

test('Microsoft examples: DMAX, DMIN, DPRODUCT, DSUM', () => {
  assert.strictEqual(orchard('=DMAX(A5:E11,"Profit",A1:F3)'), 96)
  assert.strictEqual(orchard('=DMIN(A5:E11,"Profit",A1:B2)'), 75)
  assert.strictEqual(orchard('=DPRODUCT(A5:E11,"Yield",A1:F3)'), 800)
  assert.strictEqual(orchard('=DSUM(A5:E11,"Profit",A1:A2)'), 225)
  assert.strictEqual(orchard('=DSUM(A5:E11,"Profit",A1:F2)'), 75)
})

test('Microsoft examples: DSTDEV, DSTDEVP, DVAR, DVARP', () => {
  assertRounded(orchard('=DSTDEV(A5:E11,"Yield",A1:A3)'), 2.97, 2)
  assertRounded(orchard('=DSTDEVP(A5:E11,"Yield",A1:A3)'), 2.65, 2)
  assertClose(orchard('=DVAR(A5:E11,"Yield",A1:A3)'), 8.8)
  assertClose(orchard('=DVARP(A5:E11,"Yield",A1:A3)'), 7.04)
})

// A small sales table (A1:F7) and criteria written to its right, from column H.
const SALES = [
  ['Region', 'Name', 'Units', 'Date', true, 1],
  ['East', 'Alice', 120, serial(2024, 1, 15), 'a', 'b'],
  ['West', 'Bob', 80, serial(2024, 7, 2), 'b', 'B'],
  ['East', 'Cara', 200, serial(2024, 8, 10), 'A', null],
  ['North', 'Ella', null, serial(2024, 3, 1), '=NA()', 'BB'],
  ['east', 'Frank', 'n/a', serial(2024, 9, 9), 2, 'a'],
  ['South', 'Hank', 300, serial(2024, 11, 1), 'ab', 7],
]

// Evaluate `formula` with criteria `criteria` (rows of cells) placed at H1.
function sales (formula, criteria = []) {
  const rows = SALES.map((r, i) => [...r, null, ...(criteria[i] || [])])
  for (let i = SALES.length; i < criteria.length; i++) rows.push([null, null, null, null, null, null, null, ...criteria[i]])
  return evaluate(formula, rows)
}

test('criteria: text without an operator matches text that begins with it, case-insensitively', () => {
  assert.strictEqual(sales('=DCOUNTA(A1:F7,"Name",H1:H2)', [['Region'], ['EAST']]), 3)
  assert.strictEqual(sales('=DCOUNTA(A1:F7,"Name",H1:H2)', [['Region'], ['Ea']]), 3)
  assert.strictEqual(sales('=DCOUNTA(A1:F7,"Name",H1:H2)', [['Name'], ['*a?k']]), 2) // Frank, Hank
  assert.strictEqual(sales('=DCOUNTA(A1:F7,"Name",H1:H2)', [['Name'], ['="=ALICE"']]), 1)
  assert.strictEqual(sales('=DCOUNTA(A1:F7,"Name",H1:H2)', [['Name'], ['="=Al"']]), 0) // = is whole text
  assert.strictEqual(sales('=DCOUNTA(A1:F7,"Name",H1:H2)', [['Name'], ['>E']]), 3) // Ella, Frank, Hank
})

test('criteria: comparisons keep to their kind; <> is met by everything else', () => {
  assert.strictEqual(sales('=DCOUNT(A1:F7,"Units",H1:H2)', [['Units'], ['>100']]), 3)
  assert.strictEqual(sales('=DCOUNTA(A1:F7,"Name",H1:H2)', [['Units'], ['<100']]), 1) // not blank, not text
  assert.strictEqual(sales('=DCOUNTA(A1:F7,"Name",H1:H2)', [['Units'], ['<>120']]), 5) // blank and text too
  assert.strictEqual(sales('=DCOUNTA(A1:F7,"Name",H1:H2)', [['Units'], ['="="']]), 1) // blank only
  assert.strictEqual(sales('=DCOUNTA(A1:F7,"Name",H1:H2)', [['Units'], ['<>']]), 5) // not blank
  assert.strictEqual(sales('=DCOUNTA(A1:F7,"Name",H1:H2)', [['Units'], [200]]), 1)
  // A date written as text is a date.
  assert.strictEqual(sales('=DCOUNT(A1:F7,"Units",H1:H2)', [['Date'], ['>=2024-07-01']]), 3) // Bob, Cara, Hank
})

test('criteria: rows are ORed, cells in a row ANDed, an empty row matches every record', () => {
  const criteria = [['Region', 'Units'], ['East', '>150'], ['West']]
  assert.strictEqual(sales('=DSUM(A1:F7,"Units",H1:I3)', criteria), 280) // Cara 200, Bob 80
  assert.strictEqual(sales('=DSUM(A1:F7,"Units",H1:I4)', [...criteria, []]), 700)
})

test('labels: numbers and booleans are compared as text; unknown labels', () => {
  // The criteria label TRUE (or "true") names column E, labelled TRUE; the label 1 column F.
  assert.strictEqual(sales('=DCOUNTA(A1:F7,"Name",H1:H2)', [[true], ['a']]), 3) // a, A, ab
  assert.strictEqual(sales('=DCOUNTA(A1:F7,"Name",H1:H2)', [['true'], ['<>a']]), 4) // b, #N/A, 2, ab
  assert.strictEqual(sales('=DCOUNTA(A1:F7,"Name",H1:H2)', [[1], ['b']]), 3) // b, B, BB
  assert.strictEqual(sales('=DCOUNT(A1:F7,"1",H1:H2)', [['Region'], []]), 1) // the field "1": column F
  assert.strictEqual(sales('=DCOUNTA(A1:F7,TRUE,H1:H2)', [['Region'], []]), 6) // TRUE as an index: column A
  // A condition under a label that is not the database's (or blank) is never met; an empty one is ignored.
  assert.strictEqual(sales('=DCOUNTA(A1:F7,"Name",H1:H2)', [['Area'], ['East']]), 0)
  assert.strictEqual(sales('=DCOUNTA(A1:F7,"Name",H1:I2)', [['Area', 'Region'], [null, 'East']]), 3)
  assert.strictEqual(sales('=DCOUNTA(A1:F7,"Name",H1:I2)', [[null, 'Region'], ['East']]), 0)
})

test('field: label, truncated index, omitted for the counts; errors', () => {
  assert.strictEqual(sales('=DSUM(A1:F7,3.9,H1:H2)', [['Region'], ['East']]), 320)
  assert.strictEqual(sales('=DSUM(A1:F7,"units",H1:H2)', [['Region'], ['East']]), 320)
  assert.strictEqual(sales('=DCOUNT(A1:F7,,H1:H2)', [['Region'], ['East']]), 3) // records, numbers or not
  assertError(sales('=DSUM(A1:F7,,H1:H2)', [['Region'], ['East']]), '#VALUE!')
  assertError(sales('=DSUM(A1:F7,0,H1:H2)', [['Region'], ['East']]), '#VALUE!')
  assertError(sales('=DSUM(A1:F7,7,H1:H2)', [['Region'], ['East']]), '#VALUE!')
  assertError(sales('=DSUM(A1:F7,-1,H1:H2)', [['Region'], ['East']]), '#VALUE!')
  assertError(sales('=DSUM(A1:F7,"Revenue",H1:H2)', [['Region'], ['East']]), '#VALUE!')
  assertError(sales('=DSUM(A1:F7,C1:D1,H1:H2)', [['Region'], ['East']]), '#VALUE!')
  // A database without records.
  assertError(sales('=DSUM(A1:F1,"Units",H1:H2)', [['Region'], ['East']]), '#VALUE!')
  assertError(sales('=DCOUNT(A2:F7,"Units",H1:H2)', [['Region'], ['East']]), '#VALUE!')
})

test('results: counts, errors in the field, nothing matched', () => {
  const none = [['Region'], ['Central']]
  const ella = [['Name'], ['Ella']]
  assert.strictEqual(sales('=DCOUNT(A1:F7,"Units",H1:H2)', [['Region'], ['East']]), 2) // "n/a" is text
  assert.strictEqual(sales('=DCOUNTA(A1:F7,"Units",H1:H2)', [['Region'], ['East']]), 3)
  assert.strictEqual(sales('=DCOUNTA(A1:F7,5,H1:H2)', ella), 1) // #N/A is not blank
  assert.strictEqual(sales('=DCOUNT(A1:F7,5,H1:H2)', ella), 0)
  assertError(sales('=DSUM(A1:F7,5,H1:H2)', ella), '#N/A')
  assertError(sales('=DGET(A1:F7,5,H1:H2)', ella), '#N/A')
  assert.strictEqual(sales('=DGET(A1:F7,"Units",H1:H2)', ella), 0) // a blank cell
  assertError(sales('=DGET(A1:F7,"Units",H1:H2)', none), '#VALUE!')
  for (const f of ['DSUM', 'DMAX', 'DMIN', 'DPRODUCT']) {
    assert.strictEqual(sales(`=${f}(A1:F7,"Units",H1:H2)`, none), 0, f)
  }
  for (const f of ['DAVERAGE', 'DVAR', 'DVARP', 'DSTDEV', 'DSTDEVP']) {
    assertError(sales(`=${f}(A1:F7,"Units",H1:H2)`, none), '#DIV/0!')
  }
  // One number: the population measures are 0, the sample ones #DIV/0!.
  const alice = [['Name'], ['Alice']]
  assert.strictEqual(sales('=DVARP(A1:F7,"Units",H1:H2)', alice), 0)
  assert.strictEqual(sales('=DSTDEVP(A1:F7,"Units",H1:H2)', alice), 0)
  assertError(sales('=DVAR(A1:F7,"Units",H1:H2)', alice), '#DIV/0!')
  assertError(sales('=DSTDEV(A1:F7,"Units",H1:H2)', alice), '#DIV/0!')
  assert.strictEqual(sales('=DMIN(A1:F7,"Date",H1:H2)', [['Units'], ['>=120']]), serial(2024, 1, 15))
})
