'use strict'
// Implicit intersection in plain cells, element-wise evaluation in ARRAYFORMULA, and INDEX
// with Excel's rules (Microsoft's INDEX page and its "implicit intersection operator" page).
const test = require('node:test')
const assert = require('node:assert')
const { evaluate, assertError } = require('./helpers')

// The formula goes on row 1, right of the data.
const rows = [[1, 10], [2, 20], [3, 30]]

test('a plain cell intersects a column range with its own row', () => {
  assert.strictEqual(evaluate('=A1:A3*2', rows), 2)
  assert.strictEqual(evaluate('=A1:A3', rows), 1)
  assertError(evaluate('=A2:A3', rows), '#VALUE!') // row 1 is outside A2:A3
  assert.strictEqual(evaluate('=A3:A3', rows), 3) // a one-cell range is that cell
  // Landing on a blank cell shows 0, as `=A1` does; inside a function the blank stays blank.
  assert.strictEqual(evaluate('=C1:C3', rows), 0)
  assert.strictEqual(evaluate('=ISBLANK(C1:C3)', rows), true)
})

test('array formulas and array-parameter functions compute element-wise', () => {
  assert.strictEqual(evaluate('=ARRAYFORMULA(SUM(A1:A3*B1:B3))', rows), 140)
  assert.strictEqual(evaluate('=SUMPRODUCT((A1:A3>1)*B1:B3)', rows), 50)
  assert.strictEqual(evaluate('=SUM(A1:A3*B1:B3)', rows), 10) // legacy Excel: row 1 only
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(A1:A3*10)', rows, { array: true }), [[10], [20], [30]])
})

// Microsoft's INDEX examples: =INDEX(A2:B3,2,2) on Apples/Lemons, Bananas/Pears is "Pears".
test('INDEX: documented examples', () => {
  const fruit = [['Apples', 'Lemons'], ['Bananas', 'Pears']]
  assert.strictEqual(evaluate('=INDEX(A1:B2,2,2)', fruit), 'Pears')
  assert.strictEqual(evaluate('=INDEX(A1:B2,2,1)', fruit), 'Bananas')
  assert.strictEqual(evaluate('=INDEX({1,2;3,4},0,2)', [], { array: false }), 2)
  assert.strictEqual(evaluate('=SUM(INDEX({1,2;3,4},0,2))'), 6)
})

test('INDEX on one row counts columns; 0 or empty selects a whole row or column', () => {
  const grid = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
  assert.strictEqual(evaluate('=INDEX(A1:C1,3)', grid), 3)
  assert.strictEqual(evaluate('=INDEX(A1:A3,2)', grid), 4)
  assert.strictEqual(evaluate('=SUM(INDEX(A1:C3,,2))', grid), 15)
  assert.strictEqual(evaluate('=SUM(INDEX(A1:C3,2,0))', grid), 15)
  assertError(evaluate('=INDEX(A1:C3,4,1)', grid), '#REF!')
  assertError(evaluate('=INDEX(A1:C3,-1,1)', grid), '#VALUE!')
})

test('an array formula that is a bare range spills it', () => {
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA($A$1:$A$3)', [[1], [2], [3]], { array: true }), [[1], [2], [3]])
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(A1:B2)', [[1, 5], [2, 6]], { array: true }), [[1, 5], [2, 6]])
})

test('INDEX reads its row and column numbers by implicit intersection in a plain cell', () => {
  // The formula sits in row 1, column G: A1:A3 intersects at A1 (2); B2:E2 misses column G.
  const rows = [[2, 10, 20, 30, 40], ['x', 1, 2, 3, 1], ['y']]
  assert.strictEqual(evaluate('=INDEX(B1:E1,1,A1:A3)', rows), 20)
  assert.strictEqual(evaluate('=INDEX(B1:E1,MATCH(A1:A3,A1:A3,0),2)', rows), 20)
  assertError(evaluate('=INDEX(B1:E1,1,B2:E2)', rows), '#VALUE!')
  // In an array formula they are element-wise: 10+20+30+10.
  assert.strictEqual(evaluate('=ARRAYFORMULA(SUM(INDEX(B1:E1,1,B2:E2)))', rows), 70)
})

// The Analysis ToolPak functions take a reference where they take a value: a multi-cell range
// is #VALUE! (in every cell of an array formula, as Excel saved in the `formulas` project's
// test workbook: {=IMSEC(C46:E46)}, {=EDATE(E9:I9,C9:G9)}...), while an array is lifted.
test('ATP functions: a multi-cell reference is #VALUE!, an array is lifted', () => {
  const errorOf = (v) => v[0][0].value
  assert.strictEqual(errorOf(evaluate('=ARRAYFORMULA(ISODD(A1:C1))', [[1, 2, 3]], { array: true })), '#VALUE!')
  assert.strictEqual(errorOf(evaluate('=ARRAYFORMULA(EDATE(A1:B1,1))', [[1, 2]], { array: true })), '#VALUE!')
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(ISODD(A1:C1+0))', [[1, 2, 3]], { array: true }), [[true, false, true]])
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(FACT(A1:C1))', [[1, 2, 3]], { array: true }), [[1, 2, 6]]) // not ATP
  assertError(evaluate('=ISODD(A1:A3)', [[1], [2], [3]]), '#VALUE!') // no implicit intersection
  assert.strictEqual(evaluate('=ISODD(A1:A1)', [[1]]), true) // one cell is fine
  assertError(evaluate('=DELTA(A1)', [[true]]), '#VALUE!')
  assert.strictEqual(evaluate('=XNPV(0.1,A1:B1,A2:B2)', [[-100, 110], [40000, 40000]]), 10) // range parameters
})

// Excel: a function lifted over arrays of different sizes gives #N/A past the smaller one
// (IronCalc's IF_ARRAY workbook: {=IF({TRUE,FALSE},{1,2,3,4},{10,11,12,13})} is 1,11,#N/A,#N/A).
test('arrays of different sizes: #N/A past the smaller one', () => {
  const values = (v) => v[0].map((x) => (x && x.value) || x)
  assert.deepStrictEqual(values(evaluate('=ARRAYFORMULA(IF({TRUE,FALSE},{1,2,3,4},{10,11,12,13}))', [], { array: true })), [1, 11, '#N/A', '#N/A'])
  assert.deepStrictEqual(values(evaluate('=ARRAYFORMULA(ROUND({1.1,2.2,3.3},{0,1}))', [], { array: true })), [1, 2.2, '#N/A'])
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(ROUND({1.1,2.2,3.3},0))', [], { array: true }), [[1, 2, 3]])
})

// An array formula keeps to the range Excel saved for it: a one-cell array formula shows the
// top-left value of a bigger result instead of #SPILL! over its neighbours.
test('declared array formula ranges clip the result', () => {
  const { HyperFormula } = require('hyperformula')
  const { CONFIG } = require('../config')
  const context = require('../context')
  evaluate('=1') // registers the plugins
  const hf = HyperFormula.buildEmpty(CONFIG)
  try {
    const sheet = hf.getSheetId(hf.addSheet('S'))
    context.current().declareArrays(sheet, [[1, 0, 1, 2]]) // A2:B2 is an array formula; A1 is one cell
    hf.setSheetContent(sheet, [
      ['=ARRAYFORMULA({1,2,3}*10)', 'occupied'],
      ['=ARRAYFORMULA({1,2,3}*10)', null, 'occupied'],
    ])
    assert.strictEqual(hf.getCellValue({ sheet, row: 0, col: 0 }), 10)
    assert.strictEqual(hf.getCellValue({ sheet, row: 1, col: 0 }), 10)
    assert.strictEqual(hf.getCellValue({ sheet, row: 1, col: 1 }), 20)
    assert.strictEqual(hf.getCellValue({ sheet, row: 1, col: 2 }), 'occupied')
  } finally {
    context.enter(context.create())
    hf.destroy()
  }
})

// Errors inside array formulas (issue 11, cause 4). Excel: an operator applied to arrays works
// element by element, so an error in one element of an operand is the error of that element
// of the result, and the others compute as usual; SUM, MAX, AND, SUMPRODUCT over an array that
// holds an error give that error (the first one, in row-major order), COUNT skips it, IFERROR
// and ISERROR see each element.
const { DetailedCellError } = require('hyperformula')
const withErrors = [[1, 2, '=1/0'], [4, '=NA()', 6], [7, 8, 9]]

test('array arithmetic: an error element propagates element-wise, in any operand position', () => {
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(ISERROR(A1:C1*1))', withErrors, { array: true }), [[false, false, true]])
  for (const f of ['A1:C3+1', '1+A1:C3', 'A1:C3-A1:C3', 'A1:C3*2', '2/A1:C3', 'A1:C3^2', '-A1:C3', 'A1:C3%', 'A1:C3&"x"',
    'A1:C3=1', '1<A1:C3', 'A1:C3<>A3:C3', '(A3:C3>0)*A1:C3']) {
    const out = evaluate(`=ARRAYFORMULA(${f})`, withErrors, { array: true })
    assertError(out[0][2], '#DIV/0!')
    assertError(out[1][1], '#N/A')
    assert.ok(!(out[2][2] instanceof DetailedCellError), `${f}: the error-free elements compute`)
  }
})

test('functions over an array holding an error give that error; IFERROR, ISERROR and COUNT see each element', () => {
  assertError(evaluate('=ARRAYFORMULA(SUM(A1:A3/B1:B3))', withErrors), '#N/A')
  assertError(evaluate('=ARRAYFORMULA(SUM(A1:C1*A2:C2))', withErrors), '#N/A') // {4,#N/A,#DIV/0!}: the first
  assertError(evaluate('=ARRAYFORMULA(SUM((A1:A3=1)*A1:C3))', withErrors), '#DIV/0!')
  assertError(evaluate('=ARRAYFORMULA(MAX(A2:C2+1))', withErrors), '#N/A')
  assertError(evaluate('=ARRAYFORMULA(AND(A1:C1>0))', withErrors), '#DIV/0!')
  assertError(evaluate('=SUMPRODUCT(A1:C1,A3:C3)', withErrors), '#DIV/0!')
  assertError(evaluate('=SUMPRODUCT((A1:C1>0)*A3:C3)', withErrors), '#DIV/0!')
  assert.strictEqual(evaluate('=ARRAYFORMULA(SUM(IFERROR(A1:C3,0)))', withErrors), 37)
  assert.strictEqual(evaluate('=ARRAYFORMULA(SUM(IF(ISERROR(A1:C3),0,A1:C3)))', withErrors), 37)
  assert.strictEqual(evaluate('=ARRAYFORMULA(COUNT(A1:C3*1))', withErrors), 7)
  // INDEX picks one element: the error where it points, the value elsewhere.
  assertError(evaluate('=ARRAYFORMULA(INDEX(A1:C3*1,2,2))', withErrors), '#N/A')
  assert.strictEqual(evaluate('=ARRAYFORMULA(INDEX(A1:C3*1,3,3))', withErrors), 9)
  // MMULT over an error: an error value, never an engine failure.
  const mmult = evaluate('=ARRAYFORMULA(SUM(MMULT(A1:C3,A1:A3)))', withErrors)
  assert.ok(mmult instanceof DetailedCellError && !/Engine exception/.test(mmult.message), String(mmult))
})

// An array formula whose whole result is one error (here #REF! plus a range) shows that error
// in every cell of its range; a formula reading exactly that range sees those errors. It was
// "Engine exception: Unknown array" (558 cells of one corpus model, a CSE SUM over such a block).
test('a range that is an errored array formula reads as its error cells', () => {
  const { HyperFormula } = require('hyperformula')
  const { CONFIG } = require('../config')
  const context = require('../context')
  evaluate('=1') // registers the plugins
  const hf = HyperFormula.buildEmpty(CONFIG)
  try {
    const sheet = hf.getSheetId(hf.addSheet('S'))
    context.current().declareArrays(sheet, [[0, 1, 2, 2]]) // B1:C2 is one array formula
    const readers = ['=ARRAYFORMULA(SUM(B1:C2))', '=ARRAYFORMULA(SUM(A1:A2*B1:C2))', '=SUM(B1:C2)',
      '=ARRAYFORMULA(SUM(IFERROR(B1:C2,5)))', '=SUMPRODUCT(B1:C2)', '=ARRAYFORMULA(COUNT(B1:C2))',
      '=ROWS(B1:C2)', '=INDEX(B1:C2,2,2)', '=ARRAYFORMULA(SUM((B1:C2=1)*1))', '=ARRAYFORMULA(SUM(-B1:C2))']
    hf.setSheetContent(sheet, [[1, '=ARRAYFORMULA(#REF!+A1:A2)', null, ...readers], [2]])
    const at = (col) => hf.getCellValue({ sheet, row: 0, col })
    assertError(hf.getCellValue({ sheet, row: 1, col: 2 }), '#REF!')
    const expected = ['#REF!', '#REF!', '#REF!', 20, '#REF!', 0, 2, '#REF!', '#REF!', '#REF!']
    expected.forEach((want, i) => {
      const got = at(3 + i)
      if (typeof want === 'number') assert.strictEqual(got, want, readers[i])
      else assertError(got, want)
    })
  } finally {
    context.enter(context.create())
    hf.destroy()
  }
})
