'use strict'
// patches/excel_precision.js: Excel's 15 significant digits in comparisons and in a formula's
// final addition or subtraction (Microsoft, "Floating-point arithmetic may give inaccurate
// results in Excel").
const test = require('node:test')
const assert = require('node:assert')
const { evaluate } = require('./helpers')
const { sameTo15Digits } = require('../patches/excel_precision')

test('numbers that agree to 15 significant digits are equal', () => {
  assert.strictEqual(evaluate('=0.1+0.2=0.3'), true)
  assert.strictEqual(evaluate('=A1=A2', [['=10559.02+0.01'], [10559.03]]), true)
  assert.strictEqual(evaluate('=A1<>A2', [['=10559.02+0.01'], [10559.03]]), false)
  assert.strictEqual(evaluate('=A1<A2', [['=10559.02+0.01'], [10559.03]]), false)
  assert.strictEqual(evaluate('=A1>=A2', [['=10559.02+0.01'], [10559.03]]), true)
  // the 15th digit still counts
  assert.strictEqual(evaluate('=A1=A2', [[1.00000000000001], [1]]), false)
  assert.strictEqual(evaluate('=A1<A2', [[1], [1.00000000000001]]), true)
  assert.strictEqual(evaluate('=A1=A2', [[0], [1e-300]]), false)
  assert.strictEqual(evaluate('=IF(A1=A2,"OK","NOT BALANCED")', [['=0.1+0.2'], [0.3]]), 'OK')
})

test("a formula's last + or - that cancels to 15 digits is 0 (Excel 97 and later)", () => {
  // Microsoft's example: =1.333+1.225-1.333-1.225 is 0; inside a product it is not corrected
  assert.strictEqual(evaluate('=1.333+1.225-1.333-1.225'), 0)
  assert.strictEqual(evaluate('=.5-.4-.1'.replace(/\./g, '0.')), 0)
  assert.strictEqual(evaluate('=1*(0.5-0.4-0.1)'), 0.5 - 0.4 - 0.1)
  assert.notStrictEqual(0.5 - 0.4 - 0.1, 0)
  // the order decides: the last operands of A1-A3+A2 differ in the 15th digit
  const cells = [[818562.54], [-40026.44], [778536.1]]
  assert.strictEqual(evaluate('=A1+A2-A3', cells), 0)
  assert.strictEqual(evaluate('=A1-A3+A2', cells), 818562.54 - 778536.1 + -40026.44)
  assert.notStrictEqual(818562.54 - 778536.1 + -40026.44, 0)
  // a balance check: each year's assets less liabilities is 0, so their SUM is 0 too
  const sheet = [['=0.1+0.2', 0.3, '=A1-B1'], ['=0.7+0.1', 0.8, '=A2-B2']]
  assert.strictEqual(evaluate('=IF(SUM(C1:C2)=0,"OK","NOT BALANCED")', sheet), 'OK')
  assert.strictEqual(evaluate('=A1-B1', [['=0.1+0.2', 0.3]]), 0)
  // a real difference stays
  assert.strictEqual(evaluate('=A1-B1', [[100.0000000001, 100]]), 100.0000000001 - 100)
  // text and errors are not numbers: nothing to compensate
  assert.strictEqual(evaluate('=A1-B1', [['="0.3"', 0.3]]), 0)
})

test('sameTo15Digits', () => {
  assert.strictEqual(sameTo15Digits(10559.029999999999, 10559.03), true)
  assert.strictEqual(sameTo15Digits(40026.44000000006, 40026.44), false)
  assert.strictEqual(sameTo15Digits(-2, -2.0000000000000004), true)
  assert.strictEqual(sameTo15Digits(2, -2), false)
  assert.strictEqual(sameTo15Digits(NaN, NaN), false)
})
