'use strict'
const test = require('node:test')
const assert = require('node:assert')
const { evaluate } = require('./helpers')

// Microsoft's COUNTBLANK page: "Cells with formulas that return "" (empty text) are also
// counted. Cells with zero values are not counted." 
test('COUNTBLANK counts empty cells and empty text, not zeros', () => {
  const rows = [['Data', 'Data'], ['=""', null], [null, 27], [4, 34], [0, ' ']]
  assert.strictEqual(evaluate('=COUNTBLANK(A2:B5)', rows), 3) // A2 (""), B2, A3
  assert.strictEqual(evaluate('=COUNTBLANK(A2)', rows), 1)
  assert.strictEqual(evaluate('=COUNTBLANK(A5:B5)', rows), 0)
  assert.strictEqual(evaluate('=COUNTBLANK(C1:C3)', rows), 3)
})

test('COUNTBLANK: an error is not blank, and is not the result', () => {
  const rows = [['=NA()'], [null]]
  assert.strictEqual(evaluate('=COUNTBLANK(A1)', rows), 0)
  assert.strictEqual(evaluate('=COUNTBLANK(A1:A2)', rows), 1)
})

// A whole row has 16384 cells and a whole column 1048576, blank past the used area.
test('COUNTBLANK over a whole row or column counts to the grid edge', () => {
  const rows = [[1], [true, 'b', 3]]
  assert.strictEqual(evaluate('=COUNTBLANK(2:2)', rows), 16384 - 3)
  assert.strictEqual(evaluate('=COUNTBLANK(C:C)', rows), 1048576 - 1)
})
