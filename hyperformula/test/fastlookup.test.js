'use strict'
// functions/fastlookup.js: indexed exact-match lookups and criteria aggregations.
// 1. Microsoft's documented examples (VLOOKUP, HLOOKUP, MATCH, XLOOKUP, SUMIFS, COUNTIFS, COUNTIF).
// 2. Excel behaviour where HyperFormula's built-in differs (wildcards, accents, blanks...).
// 3. Differential: random small sheets (seeded), every formula evaluated by the override and by
//    the plain path (lookup.js's scans for the lookups, HyperFormula's built-in criteria).
// 4. Invalidation: after cell edits and row operations the results equal a fresh build.
const { test } = require('node:test')
const assert = require('node:assert')
const { HyperFormula, DetailedCellError } = require('hyperformula')
const { evaluate, assertClose, assertError } = require('./helpers')
const { CONFIG } = require('../config')

const { LookupFunctions } = require('../functions/lookup')
const { ConditionalAggregationPlugin } = require('../internals')
const fast = require('../functions/fastlookup')
const { translationsFor } = require('../functions/common')

// ---------------------------------------------------------------- Microsoft's examples

// VLOOKUP page: the employee table (ID, last name, first name, title).
const EMPLOYEES = [
  ['ID', 'Last name', 'First name', 'Title'],
  [101, 'Davis', 'Sara', 'Sales Rep.'],
  [102, 'Fontana', 'Olivier', 'V.P. of Sales'],
  [103, 'Leal', 'Karina', 'Sales Rep.'],
  [104, 'Patten', 'Michael', 'Sales Rep.'],
  [105, 'Burke', 'Brian', 'Sales Mgr.'],
  [106, 'Sousa', 'Luis', 'Sales Rep.'],
]

test('VLOOKUP: documented exact matches, not found, wildcards', () => {
  assert.strictEqual(evaluate('=VLOOKUP(102,A2:D7,2,FALSE)', EMPLOYEES), 'Fontana')
  assert.strictEqual(evaluate('=VLOOKUP(105,A2:D7,3,FALSE)', EMPLOYEES), 'Brian')
  assert.strictEqual(evaluate('=VLOOKUP(104,A2:D7,4,FALSE)', EMPLOYEES), 'Sales Rep.')
  assertError(evaluate('=VLOOKUP(109,A2:D7,2,FALSE)', EMPLOYEES), '#N/A')
  assert.strictEqual(evaluate('=IFERROR(VLOOKUP(109,A2:D7,2,FALSE),"Not found")', EMPLOYEES), 'Not found')
  // Wildcards in the lookup value (exact mode), case-insensitive.
  assert.strictEqual(evaluate('=VLOOKUP("p*",B2:D7,2,FALSE)', EMPLOYEES), 'Michael')
  assert.strictEqual(evaluate('=VLOOKUP("s?usa",B2:D7,2,FALSE)', EMPLOYEES), 'Luis')
  assert.strictEqual(evaluate('=VLOOKUP("FONTANA",B2:D7,3,FALSE)', EMPLOYEES), 'V.P. of Sales')
  // Argument errors stay the built-in's.
  assertError(evaluate('=VLOOKUP(102,A2:D7,5,FALSE)', EMPLOYEES), '#REF!')
  assertError(evaluate('=VLOOKUP(102,A2:D7,0,FALSE)', EMPLOYEES), '#VALUE!')
})

test('VLOOKUP TRUE and HLOOKUP: approximate match on sorted data (binary search)', () => {
  // VLOOKUP page, approximate example: density / viscosity / temperature.
  const rows = [[0.457, 3.55, 500], [0.525, 3.25, 400], [0.606, 2.93, 300], [0.675, 2.75, 250],
    [0.746, 2.57, 200], [0.835, 2.38, 150], [0.946, 2.17, 100], [1.09, 1.95, 50], [1.29, 1.71, 0]]
  assert.strictEqual(evaluate('=VLOOKUP(1,A1:C9,2,TRUE)', rows), 2.17)
  assert.strictEqual(evaluate('=VLOOKUP(1,A1:C9,3,TRUE)', rows), 100)
  assert.strictEqual(evaluate('=VLOOKUP(0.7,A1:C9,3,FALSE)', rows) instanceof DetailedCellError, true)
  assertError(evaluate('=VLOOKUP(0.1,A1:C9,2,TRUE)', rows), '#N/A')
  assert.strictEqual(evaluate('=VLOOKUP(2,A1:C9,2,TRUE)', rows), 1.71)
  // HLOOKUP page: Axles / Bearings / Bolts.
  const grid = [['Axles', 'Bearings', 'Bolts'], [4, 4, 9], [5, 7, 10], [6, 8, 11]]
  assert.strictEqual(evaluate('=HLOOKUP("Axles",A1:C4,2,TRUE)', grid), 4)
  assert.strictEqual(evaluate('=HLOOKUP("B",A1:C4,3,TRUE)', grid), 5)
  assert.strictEqual(evaluate('=HLOOKUP("Bearings",A1:C4,3,FALSE)', grid), 7)
  assert.strictEqual(evaluate('=HLOOKUP("axles",A1:C4,2,FALSE)', grid), 4)
  assert.strictEqual(evaluate('=HLOOKUP("b*s",A1:C4,4,FALSE)', grid), 8)
  assertError(evaluate('=HLOOKUP("Nuts",A1:C4,2,FALSE)', grid), '#N/A')
  const numbers = [[10, 20, 30], ['a', 'b', 'c']]
  assert.strictEqual(evaluate('=HLOOKUP(25,A1:C2,2,TRUE)', numbers), 'b')
  assert.strictEqual(evaluate('=HLOOKUP(30,A1:C2,2)', numbers), 'c')
})

test('MATCH: documented examples, wildcards with match_type 0', () => {
  const rows = [['Bananas', 25], ['Oranges', 38], ['Apples', 40], ['Pears', 41]]
  assert.strictEqual(evaluate('=MATCH(39,B1:B4,1)', rows), 2)
  assert.strictEqual(evaluate('=MATCH(41,B1:B4,0)', rows), 4)
  assertError(evaluate('=MATCH(40,B1:B4,-1)', rows), '#N/A') // not in descending order
  assertError(evaluate('=MATCH(42,B1:B4,0)', rows), '#N/A')
  assert.strictEqual(evaluate('=MATCH("apples",A1:A4,0)', rows), 3)
  assert.strictEqual(evaluate('=MATCH("*ges",A1:A4,0)', rows), 2)
  assert.strictEqual(evaluate('=MATCH("p?ars",A1:A4,0)', rows), 4)
  assert.strictEqual(evaluate('=MATCH(40,A3:B3,0)', rows), 2) // a row vector
})

test('XLOOKUP: documented examples, if_not_found, search from the end, wildcard mode', () => {
  const rows = [['China', 'CN', 86], ['India', 'IN', 91], ['United States', 'US', 1], ['Indonesia', 'ID', 62],
    ['Brazil', 'BR', 55], ['India', 'IX', 0]]
  assert.strictEqual(evaluate('=XLOOKUP("Brazil",A1:A6,C1:C6)', rows), 55)
  assert.strictEqual(evaluate('=XLOOKUP("india",A1:A6,B1:B6)', rows), 'IN')
  assert.strictEqual(evaluate('=XLOOKUP("India",A1:A6,B1:B6,,0,-1)', rows), 'IX')
  assert.strictEqual(evaluate('=XLOOKUP("Chile",A1:A6,B1:B6,"Not found")', rows), 'Not found')
  assertError(evaluate('=XLOOKUP("Chile",A1:A6,B1:B6)', rows), '#N/A')
  // match_mode 0 reads * literally; 2 as a wildcard.
  assertError(evaluate('=XLOOKUP("Ind*",A1:A6,B1:B6)', rows), '#N/A')
  assert.strictEqual(evaluate('=XLOOKUP("Ind*",A1:A6,B1:B6,,2)', rows), 'IN')
  assert.strictEqual(evaluate('=XLOOKUP("Ind*",A1:A6,B1:B6,,2,-1)', rows), 'IX')
  assert.strictEqual(evaluate('=XLOOKUP("*States",A1:A6,C1:C6,,2)', rows), 1)
  // Returning a whole row of the return range.
  assert.deepStrictEqual(evaluate('=XLOOKUP("Brazil",A1:A6,B1:C6)', rows, { array: true }), [['BR', 55]])
  // Approximate modes: next smaller / next larger.
  const grades = [[50, 'E'], [60, 'D'], [70, 'C'], [80, 'B'], [90, 'A']]
  assert.strictEqual(evaluate('=XLOOKUP(75,A1:A5,B1:B5,,-1)', grades), 'C')
  assert.strictEqual(evaluate('=XLOOKUP(75,A1:A5,B1:B5,,1)', grades), 'B')
})

// SUMIFS page.
const PRODUCE = [
  [5, 'Apples', 'Tom'], [4, 'Apples', 'Sarah'], [15, 'Artichokes', 'Tom'], [3, 'Artichokes', 'Sarah'],
  [22, 'Bananas', 'Tom'], [12, 'Bananas', 'Sarah'], [10, 'Carrots', 'Tom'], [33, 'Carrots', 'Sarah'],
]

test('SUMIFS: documented examples', () => {
  assert.strictEqual(evaluate('=SUMIFS(A1:A8,B1:B8,"=A*",C1:C8,"Tom")', PRODUCE), 20)
  assert.strictEqual(evaluate('=SUMIFS(A1:A8,B1:B8,"<>Bananas",C1:C8,"Tom")', PRODUCE), 30)
  assert.strictEqual(evaluate('=SUMIFS(A1:A8,C1:C8,"sarah")', PRODUCE), 52)
  assert.strictEqual(evaluate('=SUMIFS(A1:A8,A1:A8,">=10",A1:A8,"<20")', PRODUCE), 37)
  assert.strictEqual(evaluate('=SUMIF(B1:B8,"Bananas",A1:A8)', PRODUCE), 34)
  assert.strictEqual(evaluate('=SUMIF(A1:A8,">10")', PRODUCE), 82)
  assertClose(evaluate('=AVERAGEIFS(A1:A8,C1:C8,"Tom",B1:B8,"<>Carrots")', PRODUCE), 14)
  assert.strictEqual(evaluate('=AVERAGEIF(C1:C8,"Sarah",A1:A8)', PRODUCE), 13)
  assert.strictEqual(evaluate('=MAXIFS(A1:A8,C1:C8,"Tom")', PRODUCE), 22)
  assert.strictEqual(evaluate('=MINIFS(A1:A8,B1:B8,"c*")', PRODUCE), 10)
  assertError(evaluate('=SUMIFS(A1:A8,B1:B7,"Apples")', PRODUCE), '#VALUE!')
  assertError(evaluate('=AVERAGEIF(C1:C8,"Nobody",A1:A8)', PRODUCE), '#DIV/0!')
})

test('COUNTIFS and COUNTIF: documented examples', () => {
  const quota = [['Davidoski', 'Yes', 'No', 'No'], ['Burke', 'Yes', 'Yes', 'No'],
    ['Sundaram', 'Yes', 'Yes', 'Yes'], ['Levitan', 'No', 'Yes', 'Yes']]
  assert.strictEqual(evaluate('=COUNTIFS(B1:D1,"=Yes")', quota), 1)
  assert.strictEqual(evaluate('=COUNTIFS(B1:B4,"=Yes",C1:C4,"=Yes")', quota), 2)
  assert.strictEqual(evaluate('=COUNTIFS(B4:D4,"=Yes",B2:D2,"=Yes")', quota), 1)
  const numbered = [[1, 40664], [2, 40665], [3, 40666], [4, 40667], [5, 40668], [6, 40669]]
  assert.strictEqual(evaluate('=COUNTIFS(A1:A6,"<6",A1:A6,">1")', numbered), 4)
  assert.strictEqual(evaluate('=COUNTIFS(A1:A6,"<5",B1:B6,"<"&B3)', numbered), 2)
  assert.strictEqual(evaluate('=COUNTIFS(A1:A6,"<"&A5,B1:B6,"<"&B3)', numbered), 2)
  const fruit = [['apples', 32], ['oranges', 54], ['peaches', 75], ['apples', 86]]
  assert.strictEqual(evaluate('=COUNTIF(A1:A4,"apples")', fruit), 2)
  assert.strictEqual(evaluate('=COUNTIF(A1:A4,A3)', fruit), 1)
  assert.strictEqual(evaluate('=COUNTIF(A1:A4,A3)+COUNTIF(A1:A4,A2)', fruit), 2)
  assert.strictEqual(evaluate('=COUNTIF(B1:B4,">55")', fruit), 2)
  assert.strictEqual(evaluate('=COUNTIF(B1:B4,"<>"&B3)', fruit), 3)
  assert.strictEqual(evaluate('=COUNTIF(B1:B4,">=32")-COUNTIF(B1:B4,">85")', fruit), 3)
  assert.strictEqual(evaluate('=COUNTIF(A1:A4,"*")', fruit), 4)
  assert.strictEqual(evaluate('=COUNTIF(A1:A4,"?????es")', fruit), 2)
})

// ---------------------------------------------------------------- Excel where the built-in differs

test('mixed types: numbers never equal text, booleans only booleans', () => {
  // "'1" is the text 1 (HyperFormula reads a bare '1' as the number).
  const rows = [["'1", 'text one'], [1, 'number one'], [true, 'true'], ["'TRUE", 'text true']]
  assert.strictEqual(evaluate('=VLOOKUP(1,A1:B4,2,FALSE)', rows), 'number one')
  assert.strictEqual(evaluate('=VLOOKUP("1",A1:B4,2,FALSE)', rows), 'text one')
  assert.strictEqual(evaluate('=MATCH(TRUE,A1:A4,0)', rows), 3)
  assert.strictEqual(evaluate('=MATCH("true",A1:A4,0)', rows), 4)
  assert.strictEqual(evaluate('=XLOOKUP(1,A1:A4,B1:B4)', rows), 'number one')
  // COUNTIF reads numeric text as a number (criterion 1 or "1"), booleans only as booleans.
  assert.strictEqual(evaluate('=COUNTIF(A1:A4,1)', rows), 2)
  assert.strictEqual(evaluate('=COUNTIF(A1:A4,"1")', rows), 2)
  assert.strictEqual(evaluate('=COUNTIF(A1:A4,TRUE)', rows), 1)
  assert.strictEqual(evaluate('=COUNTIF(A1:A4,">0")', rows), 1)
})

test('blanks, empty text and errors in the ranges', () => {
  const rows = [[null, 1], ['=""', 2], ['=1/0', 3], [0, 4], ['x', 5]]
  assert.strictEqual(evaluate('=MATCH(0,A1:A5,0)', rows), 4) // a blank is not 0
  assert.strictEqual(evaluate('=VLOOKUP("x",A1:B5,2,FALSE)', rows), 5) // past the error
  assertError(evaluate('=MATCH("y",A1:A5,0)', rows), '#N/A')
  assert.strictEqual(evaluate('=COUNTIF(A1:A5,"")', rows), 2) // blank and empty text
  assert.strictEqual(evaluate('=COUNTIF(A1:A5,"=")', rows), 1) // blank only
  assert.strictEqual(evaluate('=COUNTIF(A1:A5,"<>")', rows), 4)
  assert.strictEqual(evaluate('=SUMIF(A1:A5,"<>x",B1:B5)', rows), 10)
  assert.strictEqual(evaluate('=SUMIF(A1:A5,0,B1:B5)', rows), 4)
  // An error in a summed cell that matches is the result; one that does not match is ignored.
  const sums = [['a', 1], ['b', '=NA()'], ['a', 2]]
  assert.strictEqual(evaluate('=SUMIF(A1:A3,"a",B1:B3)', sums), 3)
  assertError(evaluate('=SUMIF(A1:A3,"b",B1:B3)', sums), '#N/A')
  // A criterion that refers to an empty cell is 0 (COUNTIFS documentation).
  assert.strictEqual(evaluate('=COUNTIF(B1:B5,D9)', [[null, 0], [null, 0], [null, 1]]), 2)
})

test('wildcards: ? is one character, ~ escapes, regex characters are literal', () => {
  const rows = [['ac', 1], ['abc', 2], ['a*c', 3], ['a?c', 4], ['a|c', 5], ['a.c', 6], ['a~c', 7]]
  assert.strictEqual(evaluate('=COUNTIF(A1:A7,"a?c")', rows), 6) // all but "ac"
  assert.strictEqual(evaluate('=COUNTIF(A1:A7,"a*c")', rows), 7)
  assert.strictEqual(evaluate('=SUMIF(A1:A7,"a~*c",B1:B7)', rows), 3)
  assert.strictEqual(evaluate('=SUMIF(A1:A7,"a~?c",B1:B7)', rows), 4)
  assert.strictEqual(evaluate('=SUMIF(A1:A7,"a|c",B1:B7)', rows), 5)
  assert.strictEqual(evaluate('=VLOOKUP("a~*c",A1:B7,2,FALSE)', rows), 3)
  assert.strictEqual(evaluate('=VLOOKUP("a.c",A1:B7,2,FALSE)', rows), 6)
  assert.strictEqual(evaluate('=MATCH("a?c",A1:A7,0)', rows), 2)
  assert.strictEqual(evaluate('=COUNTIF(A1:A7,"=a~~c")', rows), 1)
})

test('text: case-insensitive, accent-sensitive; operators only at the start; text comparisons', () => {
  const rows = [['Café', 1], ['cafe', 2], ['a=b', 3], ['b', 4], ['apple', 5], [10, 6]]
  assert.strictEqual(evaluate('=VLOOKUP("CAFÉ",A1:B6,2,FALSE)', rows), 1)
  assert.strictEqual(evaluate('=VLOOKUP("café",A1:B6,2,FALSE)', rows), 1)
  assert.strictEqual(evaluate('=MATCH("Cafe",A1:A6,0)', rows), 2)
  assert.strictEqual(evaluate('=SUMIF(A1:A6,"a=b",B1:B6)', rows), 3)
  assert.strictEqual(evaluate('=COUNTIF(A1:A6,"<b")', rows), 2) // a=b, apple; not the number
  assert.strictEqual(evaluate('=COUNTIF(A1:A6,">=b")', rows), 3) // b, Café, cafe
  // A one-cell range (no range vertex) follows the same rules.
  assert.strictEqual(evaluate('=COUNTIF(A5:A5,"<b")', rows), 1)
  assert.strictEqual(evaluate('=MATCH("café",A1:A1,0)', rows), 1)
})

test('a date as lookup value matches its serial number', () => {
  const rows = [[43831, 'new year'], [43832, 'next day']]
  assert.strictEqual(evaluate('=VLOOKUP(DATE(2020,1,2),A1:B2,2,FALSE)', rows), 'next day')
  assert.strictEqual(evaluate('=MATCH(DATE(2020,1,1),A1:A2,0)', rows), 1)
  assert.strictEqual(evaluate('=COUNTIF(A1:A2,DATE(2020,1,1))', rows), 1)
})

// ---------------------------------------------------------------- differential and invalidation

// Deterministic PRNG (mulberry32).
function rng (seed) {
  return () => {
    seed |= 0
    seed = (seed + 0x6D2B79F5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const CELLS = [1, 2, 3, 2.5, 0, -1, 10, 'a', 'A', 'b', 'apple', 'Apple', 'banana', 'ab', "'1", "'2", '="1"', '=""',
  true, false, null, null, '=1/0', '=NA()', 'x y', 'apples']
const KEYS = ['1', '2', '2.5', '"a"', '"A"', '"b"', '"apple"', '"APPLE"', '"1"', '"2"', 'TRUE', 'FALSE',
  '"zzz"', '99', '"banana"', '"ab"', '"x y"', '-1', '0']
// "<>n" is left out where a cell holds n as text: Excel counts that text, HyperFormula's plain
// path does not (the COUNTIF(S) criteria test above pins Excel's answer).
const CRITERIA = ['1', '2', '"a"', '"A"', '"apple"', '"1"', '">1"', '">=2"', '"<2.5"', '"<=0"', '"<>a"',
  '"<>2.5"', '"=2"', '"=b"', '"a*"', '"*e"', '"*"', '"=a*"', '"<>*p*"', 'TRUE', 'FALSE', '"TRUE"', '"<>"',
  '"="', '"banana"', '"<>banana"', '">-1"']

function pick (r, list) {
  return list[Math.floor(r() * list.length)]
}

function literal (value) {
  if (value === null) return null
  return value
}

// A sheet: data in A1:D{n}, formulas in column F. Returns [data rows with formulas in col 5].
function randomSheet (seed, n = 12, formulas = 40) {
  const r = rng(seed)
  const rows = []
  for (let i = 0; i < Math.max(n, formulas); i++) {
    const row = [null, null, null, null, null, null]
    if (i < n) for (let c = 0; c < 4; c++) row[c] = literal(pick(r, c === 3 ? [1, 2, 3, 4.5, 'x', null, -2] : CELLS))
    rows.push(row)
  }
  const ref = (col) => `${col}1:${col}${n}`
  for (let i = 0; i < formulas; i++) {
    const kind = Math.floor(r() * 14)
    const key = pick(r, KEYS)
    const c1 = pick(r, CRITERIA)
    const c2 = pick(r, CRITERIA)
    let f
    switch (kind) {
      case 0: f = `=VLOOKUP(${key},A1:D${n},${1 + Math.floor(r() * 4)},FALSE)`; break
      case 1: f = `=MATCH(${key},${ref(pick(r, ['A', 'B', 'C']))},0)`; break
      case 2: f = `=XLOOKUP(${key},${ref('B')},${ref('D')},"nf",0,${pick(r, [1, -1])})`; break
      case 3: f = `=SUMIFS(${ref('D')},${ref('A')},${c1},${ref('B')},${c2})`; break
      case 4: f = `=COUNTIFS(${ref('A')},${c1},${ref('C')},${c2})`; break
      case 5: f = `=SUMIF(${ref(pick(r, ['A', 'B', 'C']))},${c1},${ref('D')})`; break
      case 6: f = `=COUNTIF(A1:C${n},${c1})`; break
      case 7: f = `=AVERAGEIF(${ref('B')},${c1},${ref('D')})`; break
      case 8: f = `=${pick(r, ['MAXIFS', 'MINIFS'])}(${ref('D')},${ref('C')},${c1})`; break
      case 9: f = `=XLOOKUP(${key},${ref('A')},${ref('C')})`; break
      // Approximate and binary searches run on the cached vector.
      case 10: f = `=MATCH(${key},${ref(pick(r, ['A', 'B', 'C']))},${pick(r, [1, -1])})`; break
      case 11: f = `=VLOOKUP(${key},A1:D${n},${1 + Math.floor(r() * 4)},TRUE)`; break
      case 12: f = `=XMATCH(${key},${ref(pick(r, ['A', 'B', 'C']))},${pick(r, [-1, 0, 1, 2])},${pick(r, [1, -1, 2, -2])})`; break
      default: f = `=LOOKUP(${key},${ref(pick(r, ['A', 'B']))},${ref('D')})`
    }
    rows[i][5] = f
  }
  return rows
}

function computeSheet (rows) {
  const hf = HyperFormula.buildEmpty(CONFIG)
  try {
    const sheet = hf.getSheetId(hf.addSheet('Sheet1'))
    hf.addNamedExpression('TRUE', '=TRUE()')
    hf.addNamedExpression('FALSE', '=FALSE()')
    hf.setSheetContent(sheet, rows)
    return rows.map((row, i) => [row[5], show(hf.getCellValue({ sheet, row: i, col: 5 }))])
  } finally {
    hf.destroy()
  }
}

function show (value) {
  return value instanceof DetailedCellError ? value.value : value
}

function withPlainPath (fn) {
  const plain = [LookupFunctions, ConditionalAggregationPlugin]
  evaluate('=1') // registers the engine's plugins (helpers.js) before swapping
  for (const plugin of plain) HyperFormula.registerFunctionPlugin(plugin, translationsFor(plugin))
  try {
    return fn()
  } finally {
    for (const { plugin, translations } of fast) HyperFormula.registerFunctionPlugin(plugin, translations)
  }
}

test('differential: random sheets give the plain path\'s results (lookups and criteria)', () => {
  let compared = 0
  for (let seed = 1; seed <= 60; seed++) {
    const rows = randomSheet(seed)
    evaluate('=1')
    const mine = computeSheet(rows)
    const theirs = withPlainPath(() => computeSheet(rows))
    for (let i = 0; i < mine.length; i++) {
      assert.deepStrictEqual(mine[i], theirs[i], `seed ${seed}, row ${i + 1}: ${mine[i][0]}`)
      compared++
    }
  }
  assert.strictEqual(compared, 60 * 40)
})

test('invalidation: after edits and row operations the results equal a fresh build', () => {
  for (let seed = 100; seed < 120; seed++) {
    const r = rng(seed)
    const rows = randomSheet(seed, 12, 30)
    evaluate('=1')
    const hf = HyperFormula.buildEmpty(CONFIG)
    try {
      const sheet = hf.getSheetId(hf.addSheet('Sheet1'))
      hf.addNamedExpression('TRUE', '=TRUE()')
      hf.addNamedExpression('FALSE', '=FALSE()')
      hf.setSheetContent(sheet, rows)
      for (let step = 0; step < 8; step++) {
        const what = r()
        if (what < 0.7) {
          const value = pick(r, CELLS)
          hf.setCellContents({ sheet, row: Math.floor(r() * 12), col: Math.floor(r() * 4) }, [[value]])
        } else if (what < 0.85) {
          hf.addRows(sheet, [Math.floor(r() * 10) + 1, 1])
        } else {
          hf.removeRows(sheet, [Math.floor(r() * 10) + 1, 1])
        }
        const now = hf.getSheetSerialized(sheet)
        const width = Math.max(...now.map((row) => row.length))
        const fresh = computeSheet(now.map((row) => {
          const full = [...row, ...new Array(Math.max(0, width - row.length)).fill(null)]
          while (full.length < 6) full.push(null)
          return full
        }))
        for (let i = 0; i < now.length; i++) {
          assert.deepStrictEqual(show(hf.getCellValue({ sheet, row: i, col: 5 })), fresh[i][1],
            `seed ${seed}, step ${step}, row ${i + 1}: ${now[i][5]}`)
        }
      }
    } finally {
      hf.destroy()
    }
  }
})

test('the build patch skips re-walking shared ranges and gives the same graph results', () => {
  const { stats } = fast.internals.build
  const before = stats.skipped
  const rows = []
  for (let i = 0; i < 300; i++) rows.push([i % 7, i, `=SUMIFS($B$1:$B$300,$A$1:$A$300,A${i + 1})`, `=VLOOKUP(A${i + 1},$A$1:$B$300,2,FALSE)`])
  const hf = HyperFormula.buildEmpty(CONFIG)
  try {
    const sheet = hf.getSheetId(hf.addSheet('Sheet1'))
    hf.addNamedExpression('FALSE', '=FALSE()')
    hf.setSheetContent(sheet, rows)
    assert.ok(stats.skipped - before >= 2 * 299 - 2, `skipped ${stats.skipped - before}`)
    const total = (k) => { let s = 0; for (let i = 0; i < 300; i++) if (i % 7 === k) s += i; return s }
    for (let i = 0; i < 300; i += 37) {
      assert.strictEqual(hf.getCellValue({ sheet, row: i, col: 2 }), total(i % 7))
      assert.strictEqual(hf.getCellValue({ sheet, row: i, col: 3 }), i % 7)
    }
    hf.setCellContents({ sheet, row: 0, col: 1 }, [[1000]]) // B1: 0 -> 1000, key 0
    assert.strictEqual(hf.getCellValue({ sheet, row: 7, col: 2 }), total(0) + 1000)
    hf.setCellContents({ sheet, row: 0, col: 0 }, [[6]]) // A1: key 0 -> 6
    assert.strictEqual(hf.getCellValue({ sheet, row: 7, col: 2 }), total(0))
    assert.strictEqual(hf.getCellValue({ sheet, row: 6, col: 2 }), total(6) + 1000)
    assert.strictEqual(hf.getCellValue({ sheet, row: 6, col: 3 }), 1000) // VLOOKUP(6) finds A1 now
  } finally {
    hf.destroy()
  }
})

// An error given as criteria matches the cells holding that error (ironcalc's SUMIF_AVERAGE_IF
// workbook: COUNTIF(B2:B10, D6) with D6 =NA() is 1; the formulas workbook: SUMIF(K:L, K, M:N)
// with K #VALUE! is the #DIV/0! of M). "<=TRUE" compares booleans (FALSE < TRUE).
test('criteria that are errors or compare booleans', () => {
  const rows = [[3, 1], [4, 2], ['=NA()', 3], ['=1/0', 4], ['=NA()', '=1/0'], [true, 5], [false, 6]]
  assert.strictEqual(evaluate('=COUNTIF(A1:A5,A3)', rows), 2)
  assert.strictEqual(evaluate('=COUNTIF(A1:A5,1/0)', rows), 1)
  assert.strictEqual(evaluate('=SUMIF(A1:A5,A4,B1:B5)', rows), 4)
  assertError(evaluate('=SUMIF(A1:A5,A3,B1:B5)', rows), '#DIV/0!') // B5, an error, is summed
  assert.strictEqual(evaluate('=MAXIFS(B1:B4,A1:A4,A3)', rows), 3)
  assert.strictEqual(evaluate('=SUMIF(A1:A7,"<=TRUE",B1:B7)', rows), 11)
  assert.strictEqual(evaluate('=COUNTIFS(A1:A7,">FALSE")', rows), 1)
  assert.strictEqual(evaluate('=AVERAGEIFS(B1:B7,A1:A7,"<=TRUE")', rows), 5.5)
  assert.strictEqual(evaluate('=COUNTIF(A1:A5,">3")', rows), 1)
  // An error among the values to average (or take the max of) is the result; one the
  // criteria do not select is not.
  assertError(evaluate('=AVERAGEIF(A1:A5,A3)', rows), '#N/A')
  assertError(evaluate('=MAXIFS(B1:B7,A1:A7,A3)', rows), '#DIV/0!')
  assert.strictEqual(evaluate('=AVERAGEIF(B1:B7,">1")', rows), 4)
})

// Issue 11: COUNTIFS over a whole row with a criterion built by CONCAT("<>", B2) counts the
// row's empty cells to column XFD, as Excel does.
test('COUNTIF(S) over whole rows and columns count the blank cells past the used area', () => {
  const rows = [[1], [true, 'b', 3]]
  assert.strictEqual(evaluate('=COUNTIFS(2:2,CONCAT("<>",B2))', rows), 16384 - 1)
  assert.strictEqual(evaluate('=COUNTIF(2:2,"<>b")', rows), 16384 - 1)
  assert.strictEqual(evaluate('=COUNTIF(2:2,"b")', rows), 1)
  assert.strictEqual(evaluate('=COUNTIF(B:B,"")', rows), 1048576 - 1)
  assert.strictEqual(evaluate('=COUNTIF(B:B,"<>")', rows), 1)
  // both blank past the used area: each row there meets both criteria
  assert.strictEqual(evaluate('=COUNTIFS(B:B,"<>b",C:C,"")', rows), 1048576 - 1)
  assert.strictEqual(evaluate('=COUNTIFS(B:B,"<>b",C:C,3)', rows), 0)
  // a bounded range counts only its own cells
  assert.strictEqual(evaluate('=COUNTIF(B1:B5,"<>b")', rows), 4)
})

// Excel's criteria for error values and "<>n" (the values Excel saved in IronCalc's
// COUNTIFS workbook): "=23" also counts the text "23", "<>23" leaves out only the number; an
// error, or its text "#DIV/0!", matches the cells holding that error and not the text.
test('COUNTIF(S) criteria: errors as values or text, and "<>" with a number', () => {
  const rows = [['Steven', '=1/0'], ['=NA()'], ["'#DIV/0!"], ['=1/0'], ['=1/0'], [23], ["'23"], [true]]
  assert.strictEqual(evaluate('=COUNTIFS(A1:A8, B1)', rows), 2)
  assert.strictEqual(evaluate('=COUNTIFS(A1:A8, "#DIV/0!")', rows), 2)
  assert.strictEqual(evaluate('=COUNTIF(A1:A8, "=#N/A")', rows), 1)
  assert.strictEqual(evaluate('=COUNTIF(A1:A8, "<>#N/A")', rows), 7)
  assert.strictEqual(evaluate('=COUNTIF(A1:A8, "=23")', rows), 2)
  assert.strictEqual(evaluate('=COUNTIFS(A1:A8, "<>23")', rows), 7)
  assert.strictEqual(evaluate('=COUNTIFS(A1:A8, CONCAT("<>", 23))', rows), 7)
  assert.strictEqual(evaluate('=SUMIF(A1:A8, "<>23", C1:C8)', rows.map((r, i) => [r[0], r[1] ?? null, i + 1])), 36 - 6)
})
