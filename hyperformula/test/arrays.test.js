'use strict'
// Dynamic-array functions (functions/arrays.js). Examples from Microsoft's pages, cited per
// function, and hand-checkable arrays.
const { test } = require('node:test')
const assert = require('node:assert')
const { evaluate, assertError } = require('./helpers')
const { excelOnlyCode } = require('../functions/info')

const M = '{1,2,3;4,5,6;7,8,9}'
const spill = (formula, rows) => evaluate(`=ARRAYFORMULA(${formula})`, rows, { array: true })
const one = (formula, rows) => evaluate(`=ARRAYFORMULA(${formula})`, rows)

function assertCalc (value) {
  assert.strictEqual(excelOnlyCode(value), '#CALC!', `expected #CALC!, got ${value && value.value}`)
}

// https://support.microsoft.com/office/choosecols-function-bf117976-2722-4466-9b9a-1c01ed9aebff
test('CHOOSECOLS picks columns, negative from the end, arrays of indices', () => {
  assert.deepStrictEqual(spill(`CHOOSECOLS(${M},1,3)`), [[1, 3], [4, 6], [7, 9]])
  assert.deepStrictEqual(spill(`CHOOSECOLS(${M},-1,1)`), [[3, 1], [6, 4], [9, 7]])
  assert.deepStrictEqual(spill(`CHOOSECOLS(${M},{2,2})`), [[2, 2], [5, 5], [8, 8]])
  assert.deepStrictEqual(spill(`CHOOSECOLS(${M},A1)`, [[-3.9]]), [[1], [4], [7]]) // truncated
  assertError(one(`CHOOSECOLS(${M},4)`), '#VALUE!')
  assertError(one(`CHOOSECOLS(${M},0)`), '#VALUE!')
  assertError(one(`CHOOSECOLS(${M},1/0)`), '#DIV/0!')
})

// https://support.microsoft.com/office/chooserows-function-51ace882-9bab-4a44-9625-7274ef7507a3
test('CHOOSEROWS picks rows', () => {
  assert.deepStrictEqual(spill(`CHOOSEROWS(${M},{1,3})`), [[1, 2, 3], [7, 8, 9]])
  assert.deepStrictEqual(spill(`CHOOSEROWS(${M},-1)`), [[7, 8, 9]])
  assertError(one(`CHOOSEROWS(${M},-4)`), '#VALUE!')
})

// https://support.microsoft.com/office/take-function-25382ff1-5da1-4f78-ab43-f33bd2e4e003
test('TAKE keeps rows and columns from the start or the end', () => {
  assert.deepStrictEqual(spill(`TAKE(${M},2)`), [[1, 2, 3], [4, 5, 6]])
  assert.deepStrictEqual(spill(`TAKE(${M},,2)`), [[1, 2], [4, 5], [7, 8]])
  assert.deepStrictEqual(spill(`TAKE(${M},-2)`), [[4, 5, 6], [7, 8, 9]])
  assert.deepStrictEqual(spill(`TAKE(${M},2,2)`), [[1, 2], [4, 5]])
  assert.deepStrictEqual(spill(`TAKE(${M},9)`), [[1, 2, 3], [4, 5, 6], [7, 8, 9]])
  // A count read from a cell: sized from the array, filled from the value.
  assert.deepStrictEqual(spill('TAKE(A1:B3,C1)', [[1, 2, -1], [3, 4], [5, 6]]), [[5, 6]])
  assertCalc(one(`TAKE(${M},0)`))
})

// https://support.microsoft.com/office/drop-function-1cb4e151-9e17-4838-abe5-9ba48d8c6a34
test('DROP removes rows and columns from the start or the end', () => {
  assert.deepStrictEqual(spill(`DROP(${M},2)`), [[7, 8, 9]])
  assert.deepStrictEqual(spill(`DROP(${M},,2)`), [[3], [6], [9]])
  assert.deepStrictEqual(spill(`DROP(${M},-2)`), [[1, 2, 3]])
  assert.deepStrictEqual(one(`DROP(${M},2,2)`), 9)
  assert.deepStrictEqual(spill(`DROP(${M},0)`), [[1, 2, 3], [4, 5, 6], [7, 8, 9]])
  assertCalc(one(`DROP(${M},3)`))
})

// https://support.microsoft.com/office/tocol-function-22839d9b-0b55-4fc1-b4e6-2761f8f122ed
test('TOCOL and TOROW flatten by row or by column, skipping blanks or errors', () => {
  assert.deepStrictEqual(spill('TOCOL({1,2;3,4})'), [[1], [2], [3], [4]])
  assert.deepStrictEqual(spill('TOCOL({1,2;3,4},0,TRUE)'), [[1], [3], [2], [4]])
  assert.deepStrictEqual(spill('TOROW({1,2;3,4})'), [[1, 2, 3, 4]])
  const rows = [[1, null], ['=1/0', 4]]
  assert.deepStrictEqual(spill('TOROW(A1:B2,3)', rows), [[1, 4]])
  const kept = spill('TOCOL(A1:B2,1)', rows)
  assert.strictEqual(kept.length, 3)
  assertError(kept[1][0], '#DIV/0!')
  assertError(one('TOCOL({1,2},4)'), '#VALUE!')
  assertCalc(one('TOCOL(A1:A2,1)', [[null], [null]]))
})

// https://support.microsoft.com/office/expand-function-7433fba5-4ad1-41da-a904-d5d95808bc38
test('EXPAND pads with #N/A or the given value', () => {
  const padded = spill('EXPAND({1,2;3,4},3,3)')
  assert.deepStrictEqual(padded[0].slice(0, 2), [1, 2])
  assertError(padded[0][2], '#N/A')
  assertError(padded[2][0], '#N/A')
  assert.deepStrictEqual(spill('EXPAND({1,2;3,4},3,3,"-")'), [[1, 2, '-'], [3, 4, '-'], ['-', '-', '-']])
  assert.deepStrictEqual(spill('EXPAND({1,2},2,,0)'), [[1, 2], [0, 0]])
  assertError(one('EXPAND({1,2;3,4},1,3)'), '#VALUE!')
})

// https://support.microsoft.com/office/wraprows-function-796825f3-975a-4cee-9c84-1bbddf60ade0
// https://support.microsoft.com/office/wrapcols-function-d038b05a-57b7-4ee0-be94-ded0792511e2
test('WRAPROWS and WRAPCOLS', () => {
  const letters = [['A', 'B', 'C', 'D', 'E', 'F', 'G']]
  const rows = spill('WRAPROWS(A1:G1,3)', letters)
  assert.deepStrictEqual(rows.slice(0, 2), [['A', 'B', 'C'], ['D', 'E', 'F']])
  assert.strictEqual(rows[2][0], 'G')
  assertError(rows[2][1], '#N/A')
  assert.deepStrictEqual(spill('WRAPROWS(A1:G1,3,"x")', letters)[2], ['G', 'x', 'x'])
  assert.deepStrictEqual(spill('WRAPCOLS({1,2,3,4,5},2,0)'), [[1, 3, 5], [2, 4, 0]])
  assertError(one('WRAPROWS({1,2;3,4},2)'), '#VALUE!')
  assertError(one('WRAPCOLS({1,2,3},0)'), '#NUM!')
})

// https://support.microsoft.com/office/sort-function-22f63bd0-ccc8-492f-953d-c20e8e44b86c
// Mixed values sort as Excel does: numbers, text (any case), FALSE, TRUE, errors by their
// ERROR.TYPE code, blanks last in either order; errors are values, not propagated.
test('SORT orders mixed values and errors like Excel', () => {
  const rows = [[3], ['b'], [true], ['=NA()'], [null], ['=1/0'], ['A'], [-1]]
  const up = spill('SORT(A1:A8)', rows)
  assert.deepStrictEqual(up.slice(0, 5).map((r) => r[0]), [-1, 3, 'A', 'b', true])
  assertError(up[5][0], '#DIV/0!')
  assertError(up[6][0], '#N/A')
  assert.strictEqual(up[7][0], 0) // the blank, spilled as 0
  const down = spill('SORT(A1:A8,1,-1)', rows)
  assertError(down[0][0], '#N/A')
  assert.deepStrictEqual(down.slice(2, 7).map((r) => r[0]), [true, 'b', 'A', 3, -1])
  assert.strictEqual(down[7][0], 0)
  assert.deepStrictEqual(spill('SORT(A1:B3,{2,1},{1,-1})', [[1, 'x'], [2, 'y'], [3, 'x']]), [[3, 'x'], [1, 'x'], [2, 'y']])
  assert.deepStrictEqual(spill('SORT({3,1,2},1,1,TRUE)'), [[1, 2, 3]])
  assertError(one('SORT({3,1,2},1,2)'), '#VALUE!')
  assertError(one('SORT({3;1;2},2)'), '#VALUE!')
})

// https://support.microsoft.com/office/sortby-function-cd2d7a62-1b93-435c-b561-d6a35134f28f
test('SORTBY sorts by other arrays, stable, several keys', () => {
  const people = [['Tom', 52], ['Fred', 65], ['Amy', 22], ['Sal', 73]]
  assert.deepStrictEqual(spill('SORTBY(A1:A4,B1:B4)', people), [['Amy'], ['Tom'], ['Fred'], ['Sal']])
  assert.deepStrictEqual(spill('SORTBY(A1:A4,B1:B4,-1)', people), [['Sal'], ['Fred'], ['Tom'], ['Amy']])
  assert.deepStrictEqual(spill('SORTBY(A1:A3,B1:B3,1,C1:C3,-1)', [['a', 1, 1], ['b', 1, 2], ['c', 0, 2]]), [['c'], ['b'], ['a']])
  assert.deepStrictEqual(spill('SORTBY({1,2,3;4,5,6},{3,2,2},1,{5,1,4},-1)'), [[3, 2, 1], [6, 5, 4]])
  assertError(one('SORTBY(A1:A4,B1:B3)', people), '#VALUE!')
  assertError(one('SORTBY(A1:A4,B1:B4,0)', people), '#VALUE!')
})

// https://support.microsoft.com/office/unique-function-c5ab87fd-30a3-4ce9-9d1a-40204fb85e1e
test('UNIQUE keeps first occurrences, ignores case, keeps errors as values', () => {
  const rows = [['a'], ['A'], ['=NA()'], ['=NA()'], [null], ['b']]
  const out = spill('UNIQUE(A1:A6)', rows)
  assert.strictEqual(out[0][0], 'a')
  assertError(out[1][0], '#N/A')
  assert.deepStrictEqual(out.slice(2), [[0], ['b']])
  assert.deepStrictEqual(spill('UNIQUE(A1:A3,,TRUE)', [['a'], ['A'], ['b']]), [['b']])
  assert.deepStrictEqual(spill('UNIQUE({1,2,1;3,4,3},TRUE)'), [[1, 2], [3, 4]])
  assertCalc(one('UNIQUE({1;1},,TRUE)'))
})

// https://support.microsoft.com/office/filter-function-f4f7cb66-82eb-4767-8f7c-4877ad80c759
test('FILTER keeps rows or columns, if_empty, #CALC! when nothing is left', () => {
  const rows = [[1, 2, true], [3, 4, false], [5, 6, 1]]
  assert.deepStrictEqual(spill('FILTER(A1:B3,C1:C3)', rows), [[1, 2], [5, 6]])
  assert.deepStrictEqual(spill('FILTER(A1:B3,A1:B1>1)', rows), [[2], [4], [6]])
  assert.deepStrictEqual(spill('FILTER({"a",2.1,"b",4.1;"a",2.1,"b",4.1},{FALSE,-2.1,0,4.1})'), [[2.1, 4.1], [2.1, 4.1]])
  assert.strictEqual(one('FILTER(A1:A3,C1:C3=9,"none")', rows), 'none')
  assertCalc(one('FILTER(A1:A3,C1:C3=9)', rows))
  assertError(one('FILTER(A1:B3,{TRUE;FALSE})', rows), '#VALUE!')
  assertError(one('FILTER(A1:A2,{1;"x"})'), '#VALUE!')
  assertError(one('FILTER(A1:A2,{1;#N/A})'), '#N/A')
})

// https://support.microsoft.com/office/trimrange-function-d7812248-3bc5-4c6b-901c-1afa9564f999
test('TRIMRANGE drops blank edge rows and columns', () => {
  const rows = [[null, null, null], [null, 1, null], [null, null, 2], [null, null, null]]
  assert.deepStrictEqual(spill('TRIMRANGE(A1:C4)', rows), [[1, 0], [0, 2]])
  assert.deepStrictEqual(spill('TRIMRANGE(A1:C4,2,0)', rows).length, 3)
  assertError(one('TRIMRANGE(A1:B2)', [[null, null], [null, null]]), '#REF!')
  assertError(one('TRIMRANGE(A1:C4,2.3)', rows), '#VALUE!')
})

test('an array formula shows a blank cell as 0', () => {
  assert.deepStrictEqual(spill('A1:A3', [[1], [null], [3]]), [[1], [0], [3]])
})

test('#CALC! is reported under its Excel code and ERROR.TYPE 14', () => {
  assert.strictEqual(evaluate('=ERROR.TYPE(TAKE({1,2},0))'), 14)
  assert.strictEqual(evaluate('=IFERROR(DROP({1,2},1),"empty")'), 'empty')
})
