'use strict'
const test = require('node:test')
const assert = require('node:assert')
const { evaluate, assertError } = require('./helpers')

// Codes from Microsoft's ERROR.TYPE page.
test('ERROR.TYPE maps each error to its code', () => {
  assert.strictEqual(evaluate('=ERROR.TYPE(1/0)'), 2)
  assert.strictEqual(evaluate('=ERROR.TYPE("a"+1)'), 3)
  assert.strictEqual(evaluate('=ERROR.TYPE(NOSUCHFUNCTION())'), 5)
  assert.strictEqual(evaluate('=ERROR.TYPE(SQRT(-1))'), 6)
  assert.strictEqual(evaluate('=ERROR.TYPE(NA())'), 7)
  assert.strictEqual(evaluate('=ERROR.TYPE(A1)', [['=1/0']]), 2)
})

test('ERROR.TYPE of a non-error is #N/A', () => {
  assertError(evaluate('=ERROR.TYPE(5)'), '#N/A')
  assertError(evaluate('=ERROR.TYPE("text")'), '#N/A')
})

// #NULL! and #GETTING_DATA do not exist in HyperFormula: CL_ERROR (written by the importer
// for a constant, a literal or an empty intersection) makes them. Excel: errors propagate,
// ISERROR/ISERR/IFERROR see them, ISNA/IFNA do not, ERROR.TYPE gives 1 and 8 (Microsoft's
// ERROR.TYPE page).
const { excelOnlyCode } = require('../functions/info')
const NULL_CELL = [['=CL_ERROR("#NULL!")', 1]]

function assertExcelError (actual, code) {
  assert.strictEqual(excelOnlyCode(actual), code, `expected ${code}, got ${JSON.stringify(actual)}`)
}

test('#NULL! propagates through functions, operators and ranges', () => {
  assertExcelError(evaluate('=SECOND(A1)', NULL_CELL), '#NULL!')
  assertExcelError(evaluate('=B1+A1*2', NULL_CELL), '#NULL!')
  assertExcelError(evaluate('=SUM(A1:B1)', NULL_CELL), '#NULL!')
  assertExcelError(evaluate('=ARRAYFORMULA(SUM(SQRT(A1:B1)))', NULL_CELL), '#NULL!')
  assertExcelError(evaluate('=IFNA(A1,5)', NULL_CELL), '#NULL!')
  assertExcelError(evaluate('=CL_ERROR("#GETTING_DATA")&"x"'), '#GETTING_DATA')
})

test('#NULL! is an error for ISERROR, ISERR and IFERROR, not for ISNA', () => {
  assert.strictEqual(evaluate('=ISERROR(A1)', NULL_CELL), true)
  assert.strictEqual(evaluate('=ISERR(A1)', NULL_CELL), true)
  assert.strictEqual(evaluate('=ISNA(A1)', NULL_CELL), false)
  assert.strictEqual(evaluate('=IFERROR(A1,5)', NULL_CELL), 5)
  assert.strictEqual(evaluate('=COUNT(A1:B1)', NULL_CELL), 1)
})

test('ERROR.TYPE of #NULL! is 1 and of #GETTING_DATA is 8', () => {
  assert.strictEqual(evaluate('=ERROR.TYPE(A1)', NULL_CELL), 1)
  assert.strictEqual(evaluate('=ERROR.TYPE(CL_ERROR("#GETTING_DATA"))'), 8)
})

test('a parse error is not taken for #NULL!, and CL_ERROR rejects other codes', () => {
  assert.strictEqual(excelOnlyCode(evaluate('=1+')), undefined)
  assertError(evaluate('=CL_ERROR("#BOGUS!")'), '#VALUE!')
})
