'use strict'
// functions/register.js: a plugin whose array-size method throws while HyperFormula parses a
// formula does not abort the workbook: the formula is computed as one cell.
const test = require('node:test')
const assert = require('node:assert')
const { HyperFormula, FunctionPlugin } = require('hyperformula')
const { CONFIG } = require('../config')
const { registerAll } = require('../functions/register')

class Throwing extends FunctionPlugin {
  clBoom () { return 1 }
  clBoomSize () { throw new Error('size failed') }
}
Throwing.implementedFunctions = { CL_TEST_BOOM: { method: 'clBoom', sizeOfResultArrayMethod: 'clBoomSize', parameters: [] } }

test('a throwing array-size method leaves its formula one cell, and the others still compute', () => {
  registerAll(HyperFormula, [{ plugin: Throwing, translations: { enGB: { CL_TEST_BOOM: 'CL_TEST_BOOM' } } }])
  try {
    const hf = HyperFormula.buildFromArray([['=CL_TEST_BOOM()', '=1+1']], CONFIG)
    assert.strictEqual(hf.getCellValue({ sheet: 0, row: 0, col: 0 }), 1)
    assert.strictEqual(hf.getCellValue({ sheet: 0, row: 0, col: 1 }), 2)
    hf.destroy()
  } finally {
    HyperFormula.unregisterFunction('CL_TEST_BOOM')
  }
})
