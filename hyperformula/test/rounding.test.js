'use strict'
// Microsoft's examples for ROUND, ROUNDUP, ROUNDDOWN, TRUNC, INT, MROUND, ROMAN, and the
// limits of the trigonometric functions.
const test = require('node:test')
const assert = require('node:assert')
const { evaluate, assertClose, assertError } = require('./helpers')

test('ROUND: documented examples', () => {
  assert.strictEqual(evaluate('=ROUND(2.15,1)'), 2.2)
  assert.strictEqual(evaluate('=ROUND(2.149,1)'), 2.1)
  assert.strictEqual(evaluate('=ROUND(-1.475,2)'), -1.48)
  assert.strictEqual(evaluate('=ROUND(21.5,-1)'), 20)
  assert.strictEqual(evaluate('=ROUND(626.3,-3)'), 1000)
  assert.strictEqual(evaluate('=ROUND(1.98,-1)'), 0)
  assert.strictEqual(evaluate('=ROUND(-50.55,-2)'), -100)
})

test('ROUND works on the 15 digits Excel shows, half away from zero', () => {
  // 1.005, 5.015 and 0.285 are a hair below the half in binary; Excel rounds them up
  assert.strictEqual(evaluate('=ROUND(1.005,2)'), 1.01)
  assert.strictEqual(evaluate('=ROUND(-1.005,2)'), -1.01)
  assert.strictEqual(evaluate('=ROUND(5.015,2)'), 5.02)
  assert.strictEqual(evaluate('=ROUND(0.285,2)'), 0.29)
  assert.strictEqual(evaluate('=ROUND(2.5,0)'), 3)
  assert.strictEqual(evaluate('=ROUND(-2.5,0)'), -3)
})

test('ROUNDUP and ROUNDDOWN: documented examples', () => {
  assert.strictEqual(evaluate('=ROUNDUP(3.2,0)'), 4)
  assert.strictEqual(evaluate('=ROUNDUP(76.9,0)'), 77)
  assert.strictEqual(evaluate('=ROUNDUP(3.14159,3)'), 3.142)
  assert.strictEqual(evaluate('=ROUNDUP(-3.14159,1)'), -3.2)
  assert.strictEqual(evaluate('=ROUNDUP(31415.92654,-2)'), 31500)
  assert.strictEqual(evaluate('=ROUNDDOWN(3.2,0)'), 3)
  assert.strictEqual(evaluate('=ROUNDDOWN(76.9,0)'), 76)
  assert.strictEqual(evaluate('=ROUNDDOWN(3.14159,3)'), 3.141)
  assert.strictEqual(evaluate('=ROUNDDOWN(-3.14159,1)'), -3.1)
  assert.strictEqual(evaluate('=ROUNDDOWN(31415.92654,-2)'), 31400)
})

test('num_digits is truncated; a product a hair above a decimal does not round up', () => {
  assert.strictEqual(evaluate('=ROUNDUP(3.2,0.5)'), 4)
  assert.strictEqual(evaluate('=ROUND(2.15,1.9)'), 2.2)
  assert.strictEqual(evaluate('=TRUNC(8.96,1.9)'), 8.9)
  // 1.1*3 is 3.3000000000000003 in binary, 3.3 to 15 digits
  assert.strictEqual(evaluate('=ROUNDUP(1.1*3,1)'), 3.3)
})

test('TRUNC and INT: documented examples', () => {
  assert.strictEqual(evaluate('=TRUNC(8.9)'), 8)
  assert.strictEqual(evaluate('=TRUNC(-8.9)'), -8)
  assert.strictEqual(evaluate('=TRUNC(0.45)'), 0)
  assert.strictEqual(evaluate('=INT(8.9)'), 8)
  assert.strictEqual(evaluate('=INT(-8.9)'), -9)
  assert.strictEqual(evaluate('=INT(-0.5)'), -1)
  assert.strictEqual(evaluate('=A1-INT(A1)', [[19.5]]), 0.5)
})

test('MROUND: documented examples; the quotient read to 15 digits', () => {
  assert.strictEqual(evaluate('=MROUND(10,3)'), 9)
  assert.strictEqual(evaluate('=MROUND(-10,-3)'), -9)
  assert.strictEqual(evaluate('=MROUND(1.3,0.2)'), 1.4)
  assertError(evaluate('=MROUND(5,-2)'), '#NUM!')
  assertError(evaluate('=MROUND(-5,2)'), '#NUM!')
  assert.strictEqual(evaluate('=MROUND(1.005,0.01)'), 1.01)
  // an omitted multiple is 0, and a multiple of 0 is 0
  assert.strictEqual(evaluate('=MROUND(10,)'), 0)
  assert.strictEqual(evaluate('=MROUND(10,0)'), 0)
})

test('ROMAN: documented forms 0 to 4, ROMAN(0) is ""', () => {
  assert.strictEqual(evaluate('=ROMAN(499,0)'), 'CDXCIX')
  assert.strictEqual(evaluate('=ROMAN(499,1)'), 'LDVLIV')
  assert.strictEqual(evaluate('=ROMAN(499,2)'), 'XDIX')
  assert.strictEqual(evaluate('=ROMAN(499,3)'), 'VDIV')
  assert.strictEqual(evaluate('=ROMAN(499,4)'), 'ID')
  assert.strictEqual(evaluate('=ROMAN(499,TRUE)'), 'CDXCIX')
  assert.strictEqual(evaluate('=ROMAN(499,FALSE)'), 'ID')
  assert.strictEqual(evaluate('=ROMAN(0)'), '')
  assert.strictEqual(evaluate('=ROMAN(3999)'), 'MMMCMXCIX')
  assert.strictEqual(evaluate('=ROMAN(12.9)'), 'XII')
  assertError(evaluate('=ROMAN(-1)'), '#VALUE!')
  assertError(evaluate('=ROMAN(4000)'), '#VALUE!')
  assertError(evaluate('=ROMAN(499,5)'), '#VALUE!')
})

test('PI is the double nearest to pi; trigonometry stops at 2^27', () => {
  assert.strictEqual(evaluate('=PI()'), Math.PI)
  assertClose(evaluate('=SIN(PI())'), 1.22464679914735e-16, 1e-6)
  assertClose(evaluate('=TAN(PI()/2)'), 1.63312393531954e16, 1e-9)
  assertClose(evaluate('=TAN(PI()/4)'), 1)
  for (const f of ['SIN', 'COS', 'TAN', 'COT', 'CSC', 'SEC']) {
    assertError(evaluate(`=${f}(134217728)`), '#NUM!')
    assertError(evaluate(`=${f}(-134217728)`), '#NUM!')
    assert.strictEqual(typeof evaluate(`=${f}(134217727)`), 'number')
  }
  assertError(evaluate('=COT(0)'), '#DIV/0!')
  assertError(evaluate('=CSC(0)'), '#DIV/0!')
})

test('EXP at its limits: past 709.78 is #NUM!, far below is 0', () => {
  assertClose(evaluate('=EXP(709.78)'), Math.exp(709.78))
  assertError(evaluate('=EXP(709.79)'), '#NUM!')
  assert.strictEqual(evaluate('=EXP(-746)'), 0)
})

test('COMBIN truncates its arguments; COMBINA too', () => {
  assert.strictEqual(evaluate('=COMBIN(8,2)'), 28)
  assert.strictEqual(evaluate('=COMBIN(8.9,2.9)'), 28)
  assertError(evaluate('=COMBIN(2,3)'), '#NUM!')
  assertError(evaluate('=COMBIN(-1,0)'), '#NUM!')
  assert.strictEqual(evaluate('=COMBINA(4,3)'), 20)
  assert.strictEqual(evaluate('=COMBINA(4.9,3.9)'), 20)
  // truncated first: COMBIN(0,0) is 1
  assert.strictEqual(evaluate('=COMBIN(1E-10,0.1)'.replace('E-', 'e-')), 1)
  assert.strictEqual(evaluate('=COMBINA(0,0)'), 1)
  assertError(evaluate('=COMBINA(0,5)'), '#NUM!')
  assertError(evaluate('=COMBINA(A1,2)', [[null]]), '#NUM!')
  assert.strictEqual(evaluate('=COMBINA(1,3)'), 1)
  assert.strictEqual(evaluate('=COMBINA(3,10)'), 66) // more chosen than there are: repetitions
  assertError(evaluate('=COMBINA(-1,2)'), '#NUM!')
})

test('COMBIN and COMBINA overflow only where the result does', () => {
  // C(1199, 200) = C(1000, 200) * prod_{i=1..199} (1000 + i) / (800 + i): checked against the
  // ratio, so the test does not reuse the function's own product.
  const combin = evaluate('=COMBIN(1000,200)')
  let ratio = 1
  for (let i = 1; i <= 199; i++) ratio *= (1000 + i) / (800 + i)
  assertClose(evaluate('=COMBINA(1000,200)') / (combin * ratio), 1, 1e-12)
  assert.ok(evaluate('=COMBINA(1000,200)') > 1e233)
  assertError(evaluate('=COMBIN(2000,1000)'), '#NUM!')
  // the exact integers while they fit
  assert.strictEqual(evaluate('=COMBIN(52,5)'), 2598960)
  assertClose(evaluate('=COMBIN(60,30)') / 118264581564861424, 1, 1e-15)
})

// Microsoft's ARABIC page, and Excel's lenient reading of numerals in any order.
test('ARABIC: documented examples and lenient numerals', () => {
  assert.strictEqual(evaluate('=ARABIC("LVII")'), 57)
  assert.strictEqual(evaluate('=ARABIC("mcmxii")'), 1912)
  assert.strictEqual(evaluate('=ARABIC("")'), 0)
  assert.strictEqual(evaluate('=ARABIC("-MMXI")'), -2011)
  assert.strictEqual(evaluate('=ARABIC("  MMXI ")'), 2011)
  assert.strictEqual(evaluate('=ARABIC(A1)', [[null]]), 0)
  // each numeral adds, or subtracts before a larger one
  assert.strictEqual(evaluate('=ARABIC("ixix")'), 18)
  assert.strictEqual(evaluate('=ARABIC("CMM")'), 1900)
  assert.strictEqual(evaluate('=ARABIC("ICIC")'), 198)
  // a numeral with a larger one anywhere after it is subtracted
  assert.strictEqual(evaluate('=ARABIC("IIIIIIV")'), -1)
  assert.strictEqual(evaluate('=ARABIC("IILmIIC")'), 1046)
  assert.strictEqual(evaluate('=ARABIC("IL")'), 49)
  assertError(evaluate('=ARABIC(A1)', [['=NA()']]), '#N/A')
  assertError(evaluate('=ARABIC(1/0)'), '#DIV/0!')
  assert.strictEqual(evaluate(`=ARABIC("${'M'.repeat(255)}")`), 255000)
  assertError(evaluate(`=ARABIC("${'M'.repeat(256)}")`), '#VALUE!')
  assertError(evaluate('=ARABIC("ABC")'), '#VALUE!')
  assertError(evaluate('=ARABIC(12)'), '#VALUE!')
  assertError(evaluate('=ARABIC(A1)', [[12]]), '#VALUE!')
})

test('ARABIC reads back every form ROMAN writes', () => {
  for (const n of [1, 4, 9, 14, 40, 45, 49, 90, 99, 400, 450, 490, 495, 499, 999, 1999, 2024, 3999]) {
    for (const form of [0, 1, 2, 3, 4]) {
      assert.strictEqual(evaluate(`=ARABIC(ROMAN(${n},${form}))`), n, `ROMAN(${n},${form})`)
    }
  }
})
