'use strict'
const test = require('node:test')
const assert = require('node:assert')
const { evaluate, assertClose, assertRounded, assertError } = require('./helpers')

// Microsoft's AVERAGEIFS page: students' quiz and exam grades.
const grades = [
  ['Emilio', 75, 85, 87],
  ['Julie', 94, 80, 88],
  ['Hans', 86, 93, 'Incomplete'],
  ['Frederique', 'Incomplete', 75, 75],
]

test('AVERAGEIFS: documented examples', () => {
  assertClose(evaluate('=AVERAGEIFS(B1:B4,B1:B4,">70",B1:B4,"<90")', grades), 80.5)
  assertError(evaluate('=AVERAGEIFS(C1:C4,C1:C4,">95")', grades), '#DIV/0!')
  assertClose(evaluate('=AVERAGEIFS(D1:D4,D1:D4,"<>Incomplete",D1:D4,">80")', grades), 87.5)
})

test('AVERAGEIFS across columns', () => {
  const rows = [['a', 1, 10], ['b', 2, 20], ['a', 3, 30]]
  assertClose(evaluate('=AVERAGEIFS(C1:C3,A1:A3,"a",B1:B3,">=1")', rows), 20)
})

// Microsoft's RANK / RANK.EQ pages: 7, 3.5, 3.5, 1, 2.
const ranked = [[7], [3.5], [3.5], [1], [2]]

test('RANK and RANK.EQ: documented examples', () => {
  assert.strictEqual(evaluate('=RANK(A2,A1:A5,1)', ranked), 3)
  assert.strictEqual(evaluate('=RANK(A1,A1:A5,1)', ranked), 5)
  assert.strictEqual(evaluate('=RANK.EQ(A1,A1:A5,1)', ranked), 5)
  assert.strictEqual(evaluate('=RANK.EQ(A5,A1:A5)', ranked), 4)
  assert.strictEqual(evaluate('=RANK.EQ(A2,A1:A5,1)', ranked), 3)
  assertError(evaluate('=RANK(9,A1:A5)', ranked), '#N/A')
})

// Microsoft's RANK.AVG page: temperatures 89, 88, 92, 101, 94, 97, 95.
test('RANK.AVG', () => {
  const temps = [[89], [88], [92], [101], [94], [97], [95]]
  assert.strictEqual(evaluate('=RANK.AVG(94,A1:A7)', temps), 4)
  assert.strictEqual(evaluate('=RANK.AVG(3.5,A1:A5,1)', ranked), 3.5) // ranks 3 and 4 tie
})

// Microsoft's FORECAST page: known_y 6,7,9,15,21, known_x 20,28,31,38,40.
test('FORECAST and FORECAST.LINEAR: documented example', () => {
  const data = [[6, 20], [7, 28], [9, 31], [15, 38], [21, 40]]
  assertRounded(evaluate('=FORECAST(30,A1:A5,B1:B5)', data), 10.607253, 6)
  assertRounded(evaluate('=FORECAST.LINEAR(30,A1:A5,B1:B5)', data), 10.607253, 6)
  assertError(evaluate('=FORECAST(1,A1:A2,B1:B2)', [[1, 5], [2, 5]]), '#DIV/0!')
  assertError(evaluate('=FORECAST(1,A1:A3,B1:B2)', [[1, 5], [2, 6], [3]]), '#N/A')
})

// Microsoft's INTERCEPT page: known_y 2,3,9,1,8, known_x 6,5,11,7,5.
test('INTERCEPT: documented example', () => {
  const data = [[2, 6], [3, 5], [9, 11], [1, 7], [8, 5]]
  assertRounded(evaluate('=INTERCEPT(A1:A5,B1:B5)', data), 0.0483871, 7)
})

// Microsoft's AGGREGATE page: column A with errors, column B without.
const aggregateData = [
  ['=1/0', 82], [72, 65], [30, 95], ['=SQRT(-1)', 63], [31, 53], [96, 71],
  [32, 55], [81, 83], [33, 100], [53, 91], [34, 89],
]

test('AGGREGATE: documented examples', () => {
  assert.strictEqual(evaluate('=AGGREGATE(4,6,A1:A11)', aggregateData), 96)
  assert.strictEqual(evaluate('=AGGREGATE(14,6,A1:A11,3)', aggregateData), 72)
  assertError(evaluate('=AGGREGATE(15,6,A1:A11)', aggregateData), '#VALUE!')
  assert.strictEqual(evaluate('=AGGREGATE(12,6,A1:A11,B1:B11)', aggregateData), 68)
})

test('AGGREGATE options and functions', () => {
  assertError(evaluate('=AGGREGATE(9,4,A1:A11)', aggregateData), '#DIV/0!')
  assert.strictEqual(evaluate('=AGGREGATE(9,6,A1:A3)', aggregateData), 102)
  assert.strictEqual(evaluate('=AGGREGATE(2,4,A1:A11)', aggregateData), 9)
  assert.strictEqual(evaluate('=AGGREGATE(3,6,A1:A11)', aggregateData), 9)
  assertClose(evaluate('=AGGREGATE(1,6,A2:A3)', aggregateData), 51)
  assertClose(evaluate('=AGGREGATE(11,6,A2:A3)', aggregateData), 441) // ((72-51)^2+(30-51)^2)/2
  // a nested SUBTOTAL/AGGREGATE cell is left out with options 0-3, counted with 4
  const nested = [[1], [2], ['=SUBTOTAL(9,A1:A2)']]
  assert.strictEqual(evaluate('=AGGREGATE(9,0,A1:A3)', nested), 3)
  assert.strictEqual(evaluate('=AGGREGATE(9,4,A1:A3)', nested), 6)
})

// Microsoft's SUBTOTAL page: 9 sums, 109 sums and ignores hidden rows; nested SUBTOTALs are
// left out so that grand totals do not double count; rows an AutoFilter hides are left out
// by 1-11 too, rows hidden by hand only by 101-111.
test('SUBTOTAL: nested subtotals, hidden and filtered rows', () => {
  const context = require('../context')
  const rows = [[120], [10], [150], [23], ['=SUBTOTAL(9,A1:A4)'], [5]]
  assert.strictEqual(evaluate('=SUBTOTAL(9,A1:A6)', rows), 308) // A5 is a nested subtotal
  assert.strictEqual(evaluate('=SUBTOTAL(109,A1:A4)', rows), 303)
  assert.strictEqual(evaluate('=SUBTOTAL(1,A1:A4)', rows), 75.75)
  assertError(evaluate('=SUBTOTAL(9,A1:A2,1/0)', rows), '#DIV/0!')
  assertError(evaluate('=SUBTOTAL(12,A1:A4)', rows), '#VALUE!')
  const request = context.create()
  request.declareHiddenRows(0, [1, 2], [2]) // rows 2 and 3 hidden; row 3 by a filter
  context.using(request, () => {
    assert.strictEqual(evaluate('=SUBTOTAL(9,A1:A4)', rows), 153) // skips the filtered row only
    assert.strictEqual(evaluate('=SUBTOTAL(109,A1:A4)', rows), 143) // skips both
    assert.strictEqual(evaluate('=SUBTOTAL(102.7,A1:A4)', rows), 2) // function_num is truncated
    assert.strictEqual(evaluate('=AGGREGATE(9,5,A1:A4)', rows), 143) // option 5: hidden rows
    // one-cell references are skipped the same way as the cells of a range
    assert.strictEqual(evaluate('=SUBTOTAL(109,A1,A2,A3,A4)', rows), 143)
    assert.strictEqual(evaluate('=SUBTOTAL(9,A1,A3,(A4))', rows), 143)
  })
})

// A nested subtotal given as a one-cell reference is left out too, whatever the order.
test('SUBTOTAL and AGGREGATE skip nested subtotals named one cell at a time', () => {
  const rows = [[1], [2], [3], [4], ['=SUBTOTAL(109,A3:A4,A1:A2)'], [11], [12]]
  assert.strictEqual(evaluate('=SUBTOTAL(109,A7,A6,A5,A4,A3,A2,A1)', rows), 33)
  assert.strictEqual(evaluate('=SUBTOTAL(9,A5)', rows), 0)
  assert.strictEqual(evaluate('=SUBTOTAL(9,A1:A7)', rows), 33)
  assert.strictEqual(evaluate('=AGGREGATE(9,0,A5,A6)', rows), 11)
  assert.strictEqual(evaluate('=AGGREGATE(9,4,A5,A6)', rows), 21) // option 4 counts nested ones
  const errors = [[1], ['=1/0'], ['=SUBTOTAL(9,A2)']]
  assertError(evaluate('=SUBTOTAL(9,A1,A2)', errors), '#DIV/0!')
  assert.strictEqual(evaluate('=AGGREGATE(9,6,A1:A2)', errors), 1)
})
