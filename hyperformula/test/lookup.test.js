'use strict'
const test = require('node:test')
const assert = require('node:assert')
const { evaluate, assertError } = require('./helpers')

const colours = [[4.14, 'red'], [4.19, 'orange'], [5.17, 'yellow'], [5.77, 'green'], [6.39, 'blue']]

// Microsoft's LOOKUP page, vector form.
test('LOOKUP vector form: documented examples', () => {
  assert.strictEqual(evaluate('=LOOKUP(4.19,A1:A5,B1:B5)', colours), 'orange')
  assert.strictEqual(evaluate('=LOOKUP(5.75,A1:A5,B1:B5)', colours), 'yellow')
  assert.strictEqual(evaluate('=LOOKUP(7.66,A1:A5,B1:B5)', colours), 'blue')
  assertError(evaluate('=LOOKUP(0,A1:A5,B1:B5)', colours), '#N/A')
})

// Microsoft's LOOKUP page, array form.
test('LOOKUP array form: documented examples', () => {
  assert.strictEqual(evaluate('=LOOKUP("C",A1:D2)', [['a', 'b', 'c', 'd'], [1, 2, 3, 4]]), 3)
  assert.strictEqual(evaluate('=LOOKUP("bump",A1:B3)', [['a', 1], ['b', 2], ['c', 3]]), 2)
})

test('LOOKUP skips other types and finds the last match of the 1/(cond) idiom', () => {
  assert.strictEqual(evaluate('=LOOKUP(3,A1:A4,B1:B4)', [[1, 'a'], ['x', 'b'], [2, 'c'], [5, 'd']]), 'c')
  const rows = [['east', 10], ['west', 20], ['east', 30], ['north', 40]]
  assert.strictEqual(evaluate('=LOOKUP(2,1/(A1:A4="east"),B1:B4)', rows), 30)
})

test('XMATCH exact, nearest, wildcard and reverse search', () => {
  const fruit = [['Apple'], ['Grape'], ['Pear'], ['Banana'], ['grape']]
  assert.strictEqual(evaluate('=XMATCH("Grape",A1:A5)', fruit), 2)
  assert.strictEqual(evaluate('=XMATCH("grape",A1:A5,0,-1)', fruit), 5)
  assert.strictEqual(evaluate('=XMATCH("Gr?pe",A1:A5,2)', fruit), 2)
  assert.strictEqual(evaluate('=XMATCH("B*",A1:A5,2)', fruit), 4)
  assertError(evaluate('=XMATCH("Kiwi",A1:A5)', fruit), '#N/A')
  const numbers = [[5, 4, 3, 2, 1]]
  assert.strictEqual(evaluate('=XMATCH(4,A1:E1)', numbers), 2)
  assert.strictEqual(evaluate('=XMATCH(4.5,A1:E1,1)', numbers), 1) // next larger is 5
  assert.strictEqual(evaluate('=XMATCH(4.5,A1:E1,-1)', numbers), 2) // next smaller is 4
  assertError(evaluate('=XMATCH(9,A1:E1,1)', numbers), '#N/A')
  assertError(evaluate('=XMATCH(1,A1:B2)', [[1, 2], [3, 4]]), '#VALUE!')
})

// Microsoft's MATCH page: B2:B5 holds 25, 38, 40, 41.
test('MATCH: documented examples, including -1 on ascending data', () => {
  const rows = [['Bananas', 25], ['Oranges', 38], ['Apples', 40], ['Pears', 41]]
  assert.strictEqual(evaluate('=MATCH(39,B1:B4,1)', rows), 2)
  assert.strictEqual(evaluate('=MATCH(41,B1:B4,0)', rows), 4)
  // "returns an error because the values in the range B2:B5 are not in descending order"
  assertError(evaluate('=MATCH(40,B1:B4,-1)', rows), '#N/A')
  // On descending data: the smallest value >= x.
  assert.strictEqual(evaluate('=MATCH(39,{41,40,38,25},-1)'), 2)
  assert.strictEqual(evaluate('=MATCH(40,{41,40,38,25},-1)'), 2)
  assertError(evaluate('=MATCH(42,{41,40,38,25},-1)'), '#N/A')
})

// Microsoft's XMATCH page.
test('XMATCH: documented examples (next larger, wildcard)', () => {
  const fruit = [['Apple'], ['Grape'], ['Pear'], ['Banana'], ['Cherry']]
  assert.strictEqual(evaluate('=XMATCH("Gra",A1:A5,1)', fruit), 2)
  assert.strictEqual(evaluate('=XMATCH(4,{5,4,3,2,1})'), 2)
  assert.strictEqual(evaluate('=XMATCH(4.5,{5,4,3,2,1},1)'), 1)
  assert.strictEqual(evaluate('=XMATCH("*rry",A1:A5,2)', fruit), 5)
})

// Unsorted data and mixed types: the answers Excel saved in the `formulas` project's test
// workbook (LOOKUP sheet), which follow from a binary search, not from a scan.
test('approximate MATCH / LOOKUP on unsorted, mixed-type arrays: Excel\'s binary search', () => {
  assertError(evaluate('=LOOKUP(2,{4.1,2.1,3.1,1.1})'), '#N/A')
  assert.strictEqual(evaluate('=LOOKUP(3,{4.1,2.1,3.1,1.1})'), 2.1)
  assert.strictEqual(evaluate('=LOOKUP(4,{4.1,2.1,3.1,1.1})'), 1.1)
  assert.strictEqual(evaluate('=LOOKUP("b",{"b",4.1,"a",1.1})'), 'a')
  assert.strictEqual(evaluate('=LOOKUP(4.1,{"b",4.1,"a",1.1})'), 4.1)
  assertError(evaluate('=LOOKUP(4,{"b",4.1,"a",1.1})'), '#N/A')
  assert.strictEqual(evaluate('=MATCH(4.1,{"a",2.1,"c bau c",4.1})'), 4)
  assert.strictEqual(evaluate('=MATCH(3,{"a",2.1,"c bau c",4.1})'), 2)
  assertError(evaluate('=MATCH(1.1,{"c bau c",4.1,"a",1.1})'), '#N/A')
  assert.strictEqual(evaluate('=MATCH(4.1,{"c bau c",4.1,"a",1.1})'), 2)
  assert.strictEqual(evaluate('=MATCH(4,{4.1,3.1,2.1,1.1})'), 4)
  assertError(evaluate('=MATCH(3,{4.1,3.1,2.1,1.1})'), '#N/A')
  assert.strictEqual(evaluate('=MATCH(TRUE,{TRUE,4.1,FALSE,1.1})'), 3)
  assert.strictEqual(evaluate('=MATCH(TRUE,{TRUE,FALSE,"a","c bau c"})'), 2)
  assertError(evaluate('=MATCH(TRUE,{-1.1,2.1,3.1,4.1})'), '#N/A')
  assertError(evaluate('=MATCH("b",{-1.1,2.1,3.1,4.1})'), '#N/A')
  // An empty lookup value is 0.
  assert.strictEqual(evaluate('=MATCH(A1,{-1.1,2.1,3.1,4.1})', [[null]]), 1)
  // MATCH -1 scans until the first value smaller than x.
  assert.strictEqual(evaluate('=MATCH(-2,{-1.1,2.1,3.1,4.1},-1)'), 4)
  assertError(evaluate('=MATCH(1.1,{-1.1,2.1,3.1,4.1},-1)'), '#N/A')
  assert.strictEqual(evaluate('=MATCH(1.1,{"a",2.1,"c bau c",4.1},-1)'), 4)
  assert.strictEqual(evaluate('=MATCH("*b?u*",{"a",2.1,"c bau c",4.1},-1)'), 3)
  assertError(evaluate('=MATCH(TRUE,{FALSE,2.1,TRUE,4.1},-1)'), '#N/A')
  // VLOOKUP and HLOOKUP search the same way, and accept arrays.
  assert.strictEqual(evaluate('=VLOOKUP(2.1,{-1.1,5;2.1,6;3.1,7;4.1,8},2,0)'), 6)
  assert.strictEqual(evaluate('=VLOOKUP(4,{-1.1,5;2.1,6;3.1,7;4.1,8},2,-2)'), 7)
  assertError(evaluate('=VLOOKUP("b",{-1.1,5;2.1,6;3.1,7;4.1,8},2,TRUE)'), '#N/A')
  assert.strictEqual(evaluate('=HLOOKUP(3,{-1.1,2.1,3.1,4.1;5,6,7,8},2,TRUE)'), 6)
})

test('approximate match on sorted data: the largest value <= x, the last of duplicates', () => {
  assert.strictEqual(evaluate('=MATCH(2,{1,2,2,2,3})'), 4)
  assert.strictEqual(evaluate('=MATCH(2.5,{1,2,2,2,3})'), 4)
  assertError(evaluate('=MATCH(0,{1,2,3})'), '#N/A')
  const sorted = Array.from({ length: 100 }, (_, i) => [i * 2])
  assert.strictEqual(evaluate('=MATCH(77,A1:A100)', sorted), 39)
  assert.strictEqual(evaluate('=VLOOKUP(1000,A1:A100,1)', sorted), 198)
  // Blanks after the data (a whole-column reference) are skipped.
  assert.strictEqual(evaluate('=MATCH(7,A1:A10)', [[1], [5], [9], [null], [null], [null], [null], [null], [null], [null]]), 2)
})

test('XMATCH orders numbers < text < booleans; an empty lookup value comes last', () => {
  const rows = [[null, '*b?u*']]
  // match_mode -1 / 1, linear: the nearest value on that side, over all types.
  assert.strictEqual(evaluate('=XMATCH(B1,{TRUE,4.1,FALSE,"c bau c"},-1)', rows), 2)
  assert.strictEqual(evaluate('=XMATCH(A1,{TRUE,4.1,FALSE,"c bau c"},-1)', rows), 1)
  assert.strictEqual(evaluate('=XMATCH(A1,{"a",2.1,"c bau c",4.1},-1)', rows), 3)
  assert.strictEqual(evaluate('=XMATCH(TRUE,{-1.1,2.1,3.1,4.1},-1)'), 4)
  assertError(evaluate('=XMATCH(A1,{-1.1,2.1,3.1,4.1},1)', rows), '#N/A')
  assert.strictEqual(evaluate('=XMATCH(-2,{"a",TRUE,2.1,"c bau c",4.1},1)'), 3)
  // search_mode 2 / -2: a binary search in that order.
  assert.strictEqual(evaluate('=XMATCH(-2,{"",4.1,"a",1.1},1,2)'), 1)
  assert.strictEqual(evaluate('=XMATCH(3,{"",4.1,"a",1.1},1,2)'), 1)
  assert.strictEqual(evaluate('=XMATCH(B1,{"",4.1,"a",1.1},1,2)', rows), 3)
  assert.strictEqual(evaluate('=XMATCH(4.1,{TRUE,4.1,FALSE,1.1},-1,2)'), 2)
  assertError(evaluate('=XMATCH(3,{TRUE,4.1,FALSE,1.1},-1,2)'), '#N/A')
  assert.strictEqual(evaluate('=XMATCH(TRUE,{TRUE,4.1,FALSE,1.1},-1,2)'), 4)
  assert.strictEqual(evaluate('=XMATCH(A1,{TRUE,4.1,FALSE,"c bau c"},-1,-2)', rows), 1)
  assert.strictEqual(evaluate('=XMATCH(B1,{TRUE,4.1,FALSE,"c bau c"},-1,-2)', rows), 2)
  assertError(evaluate('=XMATCH(1.1,{"c bau c",4.1,"a",1.1},0,2)'), '#N/A')
  // Wildcards cannot be combined with a binary search.
  assertError(evaluate('=XMATCH(4.1,{4.1,3.1,2.1,1.1},2,2)'), '#VALUE!')
})

test('array formulas: XLOOKUP, HLOOKUP and INDEX once per element', () => {
  const rows = [[-1.1, 2.1, 3, 4.1, 'b']]
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(XLOOKUP(A1:E1,{-1.1,2.1,3.1,4.1},{"L","ML","MR","R"},"none",-1))', rows, { array: true }),
    [['L', 'ML', 'ML', 'R', 'R']])
  // An array index reads its first element when the lookup value is an array too.
  const hl = evaluate('=ARRAYFORMULA(HLOOKUP(A1:D1,{-1.1,2.1,3.1,4.1;5,6,7,8},{2,1},0))', rows, { array: true })
  assert.deepStrictEqual([hl[0][0], hl[0][1], hl[0][3]], [5, 6, 8])
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(INDEX({2,3;4,5},{1,2}))', [], { array: true }), [[2, 4]])
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(INDEX({2,3;4,5},{1}))', [], { array: true }), [[2]])
})

test('INDEX: area_num, and a 2-D reference without column_num', () => {
  const grid = [[1, 2, 3], [4, 5, 6]]
  assert.strictEqual(evaluate('=INDEX(A1:C2,2,3,1)', grid), 6)
  assertError(evaluate('=INDEX(A1:C2,2,3,2)', grid), '#REF!')
  assertError(evaluate('=INDEX(A1:C2,2)', grid), '#REF!')
  assert.strictEqual(evaluate('=SUM(INDEX({1,2;3,4},2))'), 7) // an array gives its whole row
})

// Microsoft's ADDRESS page, and the cells of the `formulas` workbook (truncation, empty cells).
test('ADDRESS: documented examples, truncated numbers, an empty sheet_text', () => {
  assert.strictEqual(evaluate('=ADDRESS(2,3)'), '$C$2')
  assert.strictEqual(evaluate('=ADDRESS(2,3,2)'), 'C$2')
  assert.strictEqual(evaluate('=ADDRESS(2,3,2,FALSE)'), 'R2C[3]')
  // the workbook in brackets is reference syntax, not part of a name to quote (issue 11)
  assert.strictEqual(evaluate('=ADDRESS(2,3,1,FALSE,"[Book1]Sheet1")'), '[Book1]Sheet1!R2C3')
  assert.strictEqual(evaluate('=ADDRESS(2,3,4,TRUE,"[My Book]Sheet1")'), "'[My Book]Sheet1'!C2")
  assert.strictEqual(evaluate('=ADDRESS(2,3,4,TRUE,"[Book1]My Sheet")'), "'[Book1]My Sheet'!C2")
  assert.strictEqual(evaluate('=ADDRESS(2,3,1,FALSE,"EXCEL SHEET")'), "'EXCEL SHEET'!R2C3")
  assert.strictEqual(evaluate('=ADDRESS(1.1,3,4,4.1,A1)', [[null]]), '!C1')
  assert.strictEqual(evaluate('=ADDRESS(3,4,4.1,A1,"*b?u*")', [[null]]), "'*b?u*'!R[3]C[4]")
  assertError(evaluate('=ADDRESS(0,1)'), '#VALUE!')
  assertError(evaluate('=ADDRESS(1,1,5)'), '#VALUE!')
})

// Microsoft's CHOOSE page.
test('CHOOSE: documented example, truncated index, #VALUE! outside the values', () => {
  assert.strictEqual(evaluate('=CHOOSE(2,"1st","2nd","3rd","Finished")'), '2nd')
  assert.strictEqual(evaluate('=CHOOSE(4,"1st","2nd","3rd","Finished")'), 'Finished')
  assert.strictEqual(evaluate('=CHOOSE(1.9,"a","b")'), 'a')
  assertError(evaluate('=CHOOSE(3,"a","b")'), '#VALUE!')
  assertError(evaluate('=CHOOSE(0,"a","b")'), '#VALUE!')
  assert.strictEqual(evaluate('=SUM(A1:A3,CHOOSE(2,A1,A2))', [[1], [2], [3]]), 8)
})

// Microsoft's AREAS page (one range: 1; HyperFormula cannot parse reference unions).
test('AREAS: a reference is one area', () => {
  assert.strictEqual(evaluate('=AREAS(A1:B3)', [[1]]), 1)
  assert.strictEqual(evaluate('=AREAS(A1)', [[1]]), 1)
  assert.strictEqual(evaluate('=AREAS(INDEX(A1:B3,2,0))', [[1]]), 1)
  assertError(evaluate('=AREAS({1,2})'), '#VALUE!')
})

test('XMATCH binary search probes the middle first ({1,"SS",...}: "ss" is found at 2)', () => {
  assert.strictEqual(evaluate('=XMATCH("ss",{1,"SS","c bau c",4.1},0,2)'), 2)
  // search_mode -1.1 is read as -2 (rounded down): a binary search from the end.
  assert.strictEqual(evaluate('=XLOOKUP(-1.1,{-1.1,2.1,3.1,4.1},{"L","ML","MR","R"},1,1,-1.1)'), 'R')
  assert.strictEqual(evaluate('=XLOOKUP(4.1,{-1.1,2.1,3.1,4.1},{"L","ML","MR","R"},1,1,-1.1)'), 1)
})

// VLOOKUP's index below 1 is #VALUE! (Microsoft's page), but a value not found is #N/A first
// (the cells Excel saved in EPPlus's FormulaTest workbook).
test('VLOOKUP: not found before an index below 1', () => {
  const rows = [[1, 'a'], [2, 'b']]
  assertError(evaluate('=VLOOKUP(2,A1:B2,0,FALSE)', rows), '#VALUE!')
  assertError(evaluate('=VLOOKUP(8,A1:B2,0,FALSE)', rows), '#N/A')
  assert.strictEqual(evaluate('=VLOOKUP(2,A1:B2,2,FALSE)', rows), 'b')
})
