'use strict'
// Numbers turned into text as Excel does (15 significant digits).
const test = require('node:test')
const assert = require('node:assert')
const { evaluate } = require('./helpers')
const { numberText } = require('../functions/number_text')

test('numberText: 15 significant digits, Excel exponents', () => {
  assert.strictEqual(numberText(0.24489999999999998), '0.2449')
  assert.strictEqual(numberText(1 / 3), '0.333333333333333')
  assert.strictEqual(numberText(-2.5), '-2.5')
  assert.strictEqual(numberText(123456789012345), '123456789012345')
  assert.strictEqual(numberText(1e15), '1E+15')
  assert.strictEqual(numberText(123456789012345678), '1.23456789012346E+17')
  assert.strictEqual(numberText(1e-10), '1E-10')
  assert.strictEqual(numberText(0.0000001), '0.0000001')
  assert.strictEqual(numberText(0), '0')
})

test('concatenation and text functions use it', () => {
  assert.strictEqual(evaluate('=A1&"|"', [[0.1 + 0.2]]), '0.3|')
  assert.strictEqual(evaluate('=LEN(A1)', [[1 / 3]]), 17)
  assert.strictEqual(evaluate('=CONCATENATE("x",A1)', [[0.2449 * 1]]), 'x0.2449')
})

test('the empty string is not a number; an empty cell is 0', () => {
  assert.strictEqual(evaluate('=A1+1', [[null]]), 1)
  assert.strictEqual(evaluate('=LEN(A1)+1', [['']]), 1)
  for (const f of ['=""+1', '=FLOOR.MATH(10,"")', '=A1*2']) {
    const v = evaluate(f, [['']])
    assert.strictEqual(v && v.value, '#VALUE!', f)
  }
  assert.strictEqual(evaluate('=COUNTIF(A1:A2,"")', [[''], [null]]), 2)
  assert.strictEqual(evaluate('=N("")'), 0)
})

// The parts of a complex number as COMPLEX and the IM* functions write them (Excel's saved
// results): below 1, written in full up to 21 characters, else in scientific notation.
test('complexPartText and complexText', () => {
  const { complexPartText, complexText } = require('../functions/number_text')
  assert.strictEqual(complexPartText(1e-16), '0.0000000000000001')
  assert.strictEqual(complexPartText(1e-18), '0.000000000000000001')
  assert.strictEqual(complexPartText(1e-20), '1E-20')
  assert.strictEqual(complexPartText(6.92442674613868e-5), '0.0000692442674613868')
  assert.strictEqual(complexPartText(1.28233995888454e-6), '1.28233995888454E-06')
  assert.strictEqual(complexPartText(-0.26560479396574), '-0.26560479396574')
  assert.strictEqual(complexPartText(123.25), '123.25')
  assert.strictEqual(complexText(3, -1, 'j'), '3-j')
  assert.strictEqual(complexText(0, 2.5), '2.5i')
  assert.strictEqual(evaluate('=COMPLEX(0.0000000000000001,0)'), '0.0000000000000001') // IronCalc's COMPLEXs workbook
})
