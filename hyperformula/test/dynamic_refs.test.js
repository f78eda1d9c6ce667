'use strict'
// OFFSET with computed arguments (CL_OFFSET) and INDIRECT, against Microsoft's examples and
// hand-checked values.
const test = require('node:test')
const assert = require('node:assert')
const { HyperFormula } = require('hyperformula')
const { CONFIG } = require('../config')
const { evaluate, register, assertError } = require('./helpers')
const dynamic = require('../functions/dynamic_refs')
const { settle } = require('../patches/dynamic_refs')

const GRID = [[1, 2, 3], [4, 5, 6], [7, 8, 9], ['B2', 'Sheet1!B1:C2', 2]]

test('OFFSET: Microsoft examples', () => {
  // =OFFSET(D3,3,-2,1,1) shows the value in B6; =SUM(OFFSET(D3:F5,3,-2,3,3)) sums B6:D8.
  const rows = [[], [], [null, null, null, 1], [], [], [null, 10, 20, 30], [null, 40, 50, 60], [null, 70, 80, 90]]
  assert.strictEqual(evaluate('=CL_OFFSET(D3,3,-2,1,1)', rows), 10)
  assert.strictEqual(evaluate('=SUM(CL_OFFSET(D3:F5,3,-2,3,3))', rows), 450)
  assertError(evaluate('=CL_OFFSET(D3,-3,-3)', rows), '#REF!')
})

test('OFFSET with computed rows, columns, height and width', () => {
  assert.strictEqual(evaluate('=CL_OFFSET(A1,C4-1,A1)', GRID), 5)
  assert.strictEqual(evaluate('=SUM(CL_OFFSET(A1,1,1,C4,C4))', GRID), 28)
  assert.strictEqual(evaluate('=SUM(CL_OFFSET(C3,0,0,-2,-2))', GRID), 28) // negative size extends up/left
  // Sizes are truncated, but one between 0 and 1 still spans a cell (Excel: OFFSET(W39,2,2,3,0.9)
  // sums a 3x1 block, OFFSET(W39,2,2,3.1,3.99) a 3x3 block).
  assert.strictEqual(evaluate('=SUM(CL_OFFSET(A1,1,1,2.9,0.9))', GRID), evaluate('=SUM(CL_OFFSET(A1,1,1,2,1))', GRID))
  assert.strictEqual(evaluate('=SUM(CL_OFFSET(A1,1.7,1.2,2.99,2.5))', GRID), evaluate('=SUM(B2:C3)', GRID))
  assert.strictEqual(evaluate('=CL_OFFSET(A1,1.9,0)', GRID), 4) // truncated
  assertError(evaluate('=CL_OFFSET(A1,0,0,0,1)', GRID), '#REF!')
  assertError(evaluate('=CL_OFFSET(A1,"x",0)', GRID), '#VALUE!')
  assert.strictEqual(evaluate('=INDEX(CL_OFFSET(A1,0,0,3,3),2,3)', GRID), 6)
  assert.strictEqual(evaluate('=MATCH(8,CL_OFFSET(B1,0,0,3,1),0)', GRID), 3)
})

test('INDIRECT: A1 and R1C1 text, sheets, names', () => {
  assert.strictEqual(evaluate('=INDIRECT("B2")', GRID), 5)
  assert.strictEqual(evaluate('=INDIRECT(A4)', GRID), 5)
  assert.strictEqual(evaluate('=SUM(INDIRECT(B4))', GRID), 16)
  assert.strictEqual(evaluate('=SUM(INDIRECT("A:A"))', GRID), 12)
  assert.strictEqual(evaluate('=INDIRECT("R2C2",FALSE)', GRID), 5)
  assert.strictEqual(evaluate('=INDIRECT("\'Sheet1\'!$C$3")', GRID), 9)
  assertError(evaluate('=INDIRECT("Nope!A1")', GRID), '#REF!')
  assertError(evaluate('=INDIRECT("zz")', GRID), '#REF!')
  assertError(evaluate('=INDIRECT("")', GRID), '#REF!')
})

test('parseReference reads relative R1C1 from the formula cell', () => {
  assert.deepStrictEqual(dynamic.parseReference('R[1]C[-1]', false, { row: 4, col: 4 }), { sheet: undefined, r1: 5, c1: 3, r2: 5, c2: 3 })
  assert.deepStrictEqual(dynamic.parseReference("'A b'!B2:C3", true, { row: 0, col: 0 }), { sheet: 'A b', r1: 1, c1: 1, r2: 2, c2: 2 })
})

test('settle() recomputes a dynamic reference that read a cell computed after it', () => {
  register()
  const hf = HyperFormula.buildEmpty(CONFIG)
  const sheet = hf.getSheetId(hf.addSheet('S'))
  hf.suspendEvaluation()
  // A1 reads C1 through INDIRECT; the graph does not know, and C1 depends on B1 -> A2 chain.
  hf.setSheetContent(sheet, [['=INDIRECT("C1")*2', '=A2+1', '=B1*10'], [5]])
  hf.resumeEvaluation()
  settle(hf)
  assert.strictEqual(hf.getCellValue({ sheet, row: 0, col: 0 }), 120)
  // Volatile: an input change reaches it.
  hf.setCellContents({ sheet, row: 1, col: 0 }, [[1]])
  assert.strictEqual(hf.getCellValue({ sheet, row: 0, col: 0 }), 40)
  hf.destroy()
})

test('ROW, COLUMN, ISREF and ISFORMULA read computed references', () => {
  const rows = [[1, '=A1*2'], ['B1']]
  assert.strictEqual(evaluate('=ROW(INDIRECT("C7"))', rows), 7)
  assert.strictEqual(evaluate('=COLUMN(CL_OFFSET(A1,0,3))', rows), 4)
  assert.strictEqual(evaluate('=ROW(A5)+COLUMN()', rows), 9)
  assert.strictEqual(evaluate('=ISREF(CL_OFFSET(A1,6,5))', rows), true)
  assert.strictEqual(evaluate('=ISREF(INDIRECT("A1"))', rows), true)
  assert.strictEqual(evaluate('=ISREF(A1:B2)', rows), true)
  assert.strictEqual(evaluate('=ISREF(1)', rows), false)
  assert.strictEqual(evaluate('=ISREF(INDIRECT("bad ref"))', rows), false)
  assert.strictEqual(evaluate('=ISFORMULA(INDIRECT(A2))', rows), true)
  assert.strictEqual(evaluate('=ISFORMULA(A1)', rows), false)
})

// Microsoft's ISFORMULA page: TRUE for a cell holding a formula, whatever its value. An error
// typed in a cell is a constant (the importer sends it as CL_CONSTANT, importer/values.py).
test('ISFORMULA and FORMULATEXT: a constant error is no formula, =#N/A is one', () => {
  const rows = [['=CL_CONSTANT(#N/A)', '=#N/A', '=CL_CONSTANT(CL_ERROR("#NULL!"))', '=10', 7]]
  assert.strictEqual(evaluate('=ISFORMULA(A1)', rows), false)
  assert.strictEqual(evaluate('=ISFORMULA(B1)', rows), true)
  assert.strictEqual(evaluate('=ISFORMULA(C1)', rows), false)
  assert.strictEqual(evaluate('=ISFORMULA(D1)', rows), true)
  assertError(evaluate('=FORMULATEXT(A1)', rows), '#N/A')
  assert.strictEqual(evaluate('=FORMULATEXT(B1)', rows), '=#N/A')
  assertError(evaluate('=A1', rows), '#N/A')
  assert.strictEqual(evaluate('=ERROR.TYPE(C1)', rows), 1)
  // in an array formula, one answer per cell of the range
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(ISFORMULA(A1:E1))', rows, { array: true }), [[false, true, false, true, false]])
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(ISFORMULA(A1:A2))', [[1], ['=1']], { array: true }), [[false], [true]])
  // in a plain cell, the first cell
  assert.strictEqual(evaluate('=ISFORMULA(B1:E1)', rows), true)
})

test('the range operator around computed references (CL_RANGE)', () => {
  const rows = [[1, 10], [2, 20], [3, 30], [4, 40]]
  assert.strictEqual(evaluate('=SUM(CL_RANGE(A2,CL_OFFSET(A1,3,0)))', rows), 9)
  assert.strictEqual(evaluate('=SUM(CL_RANGE(INDEX(A1:B4,1,1),INDEX(A1:B4,2,2)))', rows), 33)
  assert.strictEqual(evaluate('=SUM(CL_RANGE(CL_OFFSET(A1,1,1),CL_OFFSET(A1,3,1)))', rows), 90)
  assert.strictEqual(evaluate('=ROWS(CL_RANGE(B4,INDEX(A:A,2)))', rows), 3)
  assert.strictEqual(evaluate('=ROW(INDEX(A1:A4,3))', rows), 3)
  assertError(evaluate('=SUM(CL_RANGE(A1,2))', rows), '#VALUE!')
})

test('FORMULATEXT shows OFFSET and the range operator as written', () => {
  const rows = [[1, '=SUM(CL_RANGE(A1,CL_OFFSET(A1,1,0)))+LEN("CL_OFFSET(")'], ['B1']]
  assert.strictEqual(evaluate('=FORMULATEXT(B1)', rows), '=SUM(A1:OFFSET(A1,1,0))+LEN("CL_OFFSET(")')
  assert.strictEqual(evaluate('=FORMULATEXT(INDIRECT(A2))', rows), '=SUM(A1:OFFSET(A1,1,0))+LEN("CL_OFFSET(")')
  assertError(evaluate('=FORMULATEXT(A1)', rows), '#N/A')
})

test('ANCHORARRAY (C3#) is the range an array formula fills', () => {
  const rows = [[1, '=ARRAYFORMULA(A1:A3*2)'], [2], [3]]
  assert.strictEqual(evaluate('=SUM(ANCHORARRAY(B1))', rows), 12)
  assert.strictEqual(evaluate('=ROWS(ANCHORARRAY(B1))', rows), 3)
  assertError(evaluate('=SUM(ANCHORARRAY(A1))', rows), '#REF!')
})

test('ROW and COLUMN of a range give arrays in an array formula, the first in a plain cell', () => {
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(ROW(A3:A5))', [[1]], { array: true }), [[3], [4], [5]])
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(COLUMN(B1:D1))', [[1]], { array: true }), [[2, 3, 4]])
  assert.strictEqual(evaluate('=ARRAYFORMULA(SUM(ROW(A1:A4)))', [[1]]), 10)
  assert.strictEqual(evaluate('=ROW(A3:A5)', [[1]]), 3)
  assert.strictEqual(evaluate('=SUMPRODUCT(ROW(A1:A4))', [[1]]), 10)
})

// A chain of dynamic references written against the evaluation order (each OFFSET reads the
// cell below, itself an OFFSET) settles in the first evaluation: the cell a reference reaches
// is computed first, on demand. It used to settle one link per pass and stop at 20 passes.
test('a chain of 300 OFFSETs settles in one pass', () => {
  register()
  const hf = HyperFormula.buildEmpty(CONFIG)
  try {
    const sheet = hf.getSheetId(hf.addSheet('S'))
    const n = 300
    const data = Array.from({ length: n }, (_, i) => [`=CL_OFFSET(A${i + 2},0,0)+1`])
    data.push([1])
    hf.setSheetContent(sheet, data)
    assert.ok(settle(hf) <= 2)
    for (let i = 0; i < n; i++) assert.strictEqual(hf.getCellValue({ sheet, row: i, col: 0 }), n + 1 - i)
  } finally {
    hf.destroy()
  }
})

// Microsoft's INDIRECT page: ref_text may be "a defined name as a reference"; names are not
// case-sensitive, and a name for one cell is a reference like the others.
test('INDIRECT of a name for one cell, in any case', () => {
  const hf = HyperFormula.buildEmpty(CONFIG)
  require('./helpers').evaluate('=1') // the engine's functions and patches
  const sheet = hf.getSheetId(hf.addSheet('Referencing'))
  hf.setSheetContent(sheet, [[12, '=INDIRECT("naMed_reFerence")', '=SUM(INDIRECT("Block"))', '=ROW(INDIRECT("named_reference"))'], [30]])
  hf.addNamedExpression('Named_reference', '=Referencing!$A$1')
  hf.addNamedExpression('Block', '=Referencing!$A$1:$A$2')
  require('../patches/dynamic_refs').settle(hf)
  assert.strictEqual(hf.getCellValue({ sheet, row: 0, col: 1 }), 12)
  assert.strictEqual(hf.getCellValue({ sheet, row: 0, col: 2 }), 42)
  assert.strictEqual(hf.getCellValue({ sheet, row: 0, col: 3 }), 1)
  hf.destroy()
})
