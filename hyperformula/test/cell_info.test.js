'use strict'
// CELL and INFO: the info types Microsoft's pages list that a workbook itself can answer.
const test = require('node:test')
const assert = require('node:assert')
const { HyperFormula } = require('hyperformula')
const { CONFIG } = require('../config')
const { evaluate, register, assertError } = require('./helpers')
const context = require('../context')

const rows = [['abc', 5, null], [null, '=A1&"x"', 3]]

test('CELL: address, col, row of the reference (its top-left cell)', () => {
  assert.strictEqual(evaluate('=CELL("address",B2)', rows), '$B$2')
  assert.strictEqual(evaluate('=CELL("address",A1:B2)', rows), '$A$1')
  assert.strictEqual(evaluate('=CELL("col",C1)', rows), 3)
  assert.strictEqual(evaluate('=CELL("row",B2)', rows), 2)
  assert.strictEqual(evaluate('=CELL("row",C:C)', rows), 1)
  // computed references too
  assert.strictEqual(evaluate('=CELL("address",INDIRECT("B2"))', rows), '$B$2')
  assert.strictEqual(evaluate('=CELL("address",OFFSET(A1,1,2))', rows), '$C$2')
})

test('CELL: contents is the value, type is b, l or v', () => {
  assert.strictEqual(evaluate('=CELL("contents",B2)', rows), 'abcx')
  assert.strictEqual(evaluate('=CELL("contents",B1)', rows), 5)
  assert.strictEqual(evaluate('=CELL("type",A1)', rows), 'l')
  assert.strictEqual(evaluate('=CELL("type",B1)', rows), 'v')
  assert.strictEqual(evaluate('=CELL("type",C1)', rows), 'b')
  assert.strictEqual(evaluate('=CELL("prefix",A1)', rows), "'")
  assert.strictEqual(evaluate('=CELL("prefix",B1)', rows), '')
})

test('CELL: without a reference, the formula\'s own cell; an unknown info_type is #VALUE!', () => {
  // the formula sits in E1 (two columns right of the data's last)
  assert.strictEqual(evaluate('=CELL("row")', rows), 1)
  assert.strictEqual(evaluate('=CELL("col")', rows), 5)
  assertError(evaluate('=CELL("bogus",A1)', rows), '#VALUE!')
  assertError(evaluate('=CELL("address",5)', rows), '#VALUE!')
})

test('CELL: filename and another sheet\'s address name the workbook when it is known', () => {
  register()
  const hf = HyperFormula.buildEmpty(CONFIG)
  try {
    const one = hf.getSheetId(hf.addSheet('Model'))
    const two = hf.getSheetId(hf.addSheet('Data Sheet'))
    hf.setSheetContent(two, [[1]])
    hf.setSheetContent(one, [['=CELL("address",\'Data Sheet\'!A1)', '=CELL("filename",A1)', '=INFO("numfile")']])
    assert.strictEqual(hf.getCellValue({ sheet: one, row: 0, col: 0 }), "'Data Sheet'!$A$1")
    assert.strictEqual(hf.getCellValue({ sheet: one, row: 0, col: 1 }), '')
    assert.strictEqual(hf.getCellValue({ sheet: one, row: 0, col: 2 }), 2)
    context.enter(context.create({ workbook: { fileName: 'Budget.xlsx', directory: 'C:\\Models\\' } }))
    hf.setSheetContent(one, [['=CELL("address",\'Data Sheet\'!A1)', '=CELL("filename",A1)', '=INFO("directory")']])
    assert.strictEqual(hf.getCellValue({ sheet: one, row: 0, col: 0 }), "'[Budget.xlsx]Data Sheet'!$A$1")
    assert.strictEqual(hf.getCellValue({ sheet: one, row: 0, col: 1 }), 'C:\\Models\\[Budget.xlsx]Model')
    assert.strictEqual(hf.getCellValue({ sheet: one, row: 0, col: 2 }), 'C:\\Models\\')
  } finally {
    context.enter(context.create())
    hf.destroy()
  }
})

test('INFO: numfile, system, recalc; an unknown type_text is #VALUE!', () => {
  assert.strictEqual(evaluate('=INFO("numfile")'), 1)
  assert.strictEqual(evaluate('=INFO("system")'), 'pcdos')
  assert.strictEqual(evaluate('=INFO("RECALC")'), 'Automatic')
  assertError(evaluate('=INFO("memavail")'), '#VALUE!')
})
