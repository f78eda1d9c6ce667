'use strict'
const { test } = require('node:test')
const assert = require('node:assert')
const { evaluate, assertClose, assertRounded, assertError } = require('./helpers')

const values = (out) => out.map((row) => row.map((v) => (v && v.value) || v))

// https://support.microsoft.com/office/kurt-function-bc3a265c-5da4-4dcb-b7fd-c237789095ab
test('KURT: the documented example, and its coercions', () => {
  const data = [[3], [4], [5], [2], [3], [4], [5], [6], [4], [7]]
  assertRounded(evaluate('=KURT(A1:A10)', data), -0.151799637, 9)
  // a number as text given directly counts, "" does not convert, fewer than four is #DIV/0!
  assertRounded(evaluate('=KURT(A1:A9,"7")', data), -0.151799637, 9)
  assertError(evaluate('=KURT(A1:A10,"")', data), '#VALUE!')
  assertError(evaluate('=KURT(1,2,3)'), '#DIV/0!')
  assertError(evaluate('=KURT(A1:A4)', [[1], ['x'], [true], [1], [2]]), '#DIV/0!')
  assertError(evaluate('=KURT(A1:A2,1,2,3)', [[1], ['=1/0']]), '#DIV/0!')
  assertError(evaluate('=KURT(A1:A2,1,2,3)', [[1], ['=NA()']]), '#N/A')
})

// https://support.microsoft.com/office/mode-sngl-function-f1267c16-66c6-4386-959f-8fba5f8bb7f8
test('MODE.SNGL and MODE: the most frequent number, the first of ties', () => {
  const data = [[5.6], [4], [4], [3], [2], [4]]
  assert.strictEqual(evaluate('=MODE.SNGL(A1:A6)', data), 4)
  assert.strictEqual(evaluate('=MODE(1,2,2,1)'), 1)
  assertError(evaluate('=MODE.SNGL(1,2,3)'), '#N/A')
  // direct text is skipped (not an error), an empty argument is #VALUE!
  assert.strictEqual(evaluate('=MODE.SNGL(1,2,"",2)'), 2)
  assertError(evaluate('=MODE.SNGL(1,2,2,)'), '#VALUE!')
})

// https://support.microsoft.com/office/mode-mult-function-50fd9464-b2ba-4191-b57a-39446689ae8c
test('MODE.MULT: every mode, in a column, #N/A below', () => {
  const data = [[1], [2], [3], [4], [3], [2], [1], [2], [3], [5], [6], [1]]
  assert.deepStrictEqual(values(evaluate('=ARRAYFORMULA(MODE.MULT(A1:A12))', data, { array: true })).slice(0, 4),
    [[1], [2], [3], ['#N/A']])
  assert.strictEqual(evaluate('=MODE.MULT(A1:A12)', data), 1)
})

// https://support.microsoft.com/office/percentrank-inc-function-149592c9-00c0-49ba-86c1-c1f45b80463a
// https://support.microsoft.com/office/percentrank-exc-function-d8afee96-b7e2-4a2f-8c01-8fcdedaa6314
test('PERCENTRANK.INC, PERCENTRANK and PERCENTRANK.EXC: documented examples', () => {
  const inc = [[13], [12], [11], [8], [4], [3], [2], [1], [1], [1]]
  assert.strictEqual(evaluate('=PERCENTRANK.INC(A1:A10,2)', inc), 0.333)
  assert.strictEqual(evaluate('=PERCENTRANK.INC(A1:A10,4)', inc), 0.555)
  assert.strictEqual(evaluate('=PERCENTRANK.INC(A1:A10,8)', inc), 0.666)
  assert.strictEqual(evaluate('=PERCENTRANK.INC(A1:A10,5)', inc), 0.583)
  assert.strictEqual(evaluate('=PERCENTRANK(A1:A10,5)', inc), 0.583)
  const exc = [[1], [2], [3], [6], [6], [6], [7], [8], [9]]
  assert.strictEqual(evaluate('=PERCENTRANK.EXC(A1:A9,7)', exc), 0.7)
  assert.strictEqual(evaluate('=PERCENTRANK.EXC(A1:A9,5.43)', exc), 0.381)
  assert.strictEqual(evaluate('=PERCENTRANK.EXC(A1:A9,5.43,1)', exc), 0.3)
})

test('PERCENTRANK: truncation, out-of-range x and bad significance', () => {
  const data = [[0], [0.1], [0.7], [0.002], [4]]
  // (3 + 1.3/3.3) / 4 = 0.848..., cut (not rounded) to 0.84
  assert.strictEqual(evaluate('=PERCENTRANK.INC(A1:A5,2,2)', data), 0.84)
  assert.strictEqual(evaluate('=PERCENTRANK.EXC(A1:A5,4,4)', data), 0.8333)
  assertError(evaluate('=PERCENTRANK.INC(A1:A5,13)', data), '#N/A')
  assertError(evaluate('=PERCENTRANK.EXC(A1:A5,2,0.7)', data), '#NUM!')
  assertError(evaluate('=PERCENTRANK.INC(A1:A2,1)', [['a'], ['b']]), '#NUM!')
})

// https://support.microsoft.com/office/permut-function-3bd1cb9a-2880-41ab-a197-f246a7a602d3
// https://support.microsoft.com/office/permutationa-function-6c7d7fdc-d657-44e6-aa19-2857b25cae4e
test('PERMUT and PERMUTATIONA', () => {
  assert.strictEqual(evaluate('=PERMUT(100,3)'), 970200)
  assert.strictEqual(evaluate('=PERMUT(3,2)'), 6)
  assert.strictEqual(evaluate('=PERMUT(10,2.3)'), 90)
  assertError(evaluate('=PERMUT(0,1)'), '#NUM!')
  assertError(evaluate('=PERMUT(2,3)'), '#NUM!')
  assertError(evaluate('=PERMUT("ciao",1)'), '#VALUE!')
  assert.strictEqual(evaluate('=PERMUTATIONA(3,2)'), 9)
  assert.strictEqual(evaluate('=PERMUTATIONA(2,2)'), 4)
  assert.strictEqual(evaluate('=PERMUTATIONA(0,1)'), 0)
  assertError(evaluate('=PERMUTATIONA(-1,10)'), '#NUM!')
})

// https://support.microsoft.com/office/prob-function-9ac30561-c81c-4259-8253-34f0a238fc49
test('PROB: documented example, errors', () => {
  const data = [[0, 0.2], [1, 0.3], [2, 0.1], [3, 0.4]]
  assertClose(evaluate('=PROB(A1:A4,B1:B4,2)', data), 0.1)
  assertClose(evaluate('=PROB(A1:A4,B1:B4,1,3)', data), 0.8)
  assert.strictEqual(evaluate('=PROB(A1:A4,B1:B4,3,1)', data), 0)
  assertError(evaluate('=PROB({1,2},{0.5,0.4},1)'), '#NUM!')
  assertError(evaluate('=PROB({1,2},{0.5,0.4,0.1},1)'), '#N/A')
})

// https://support.microsoft.com/office/trimmean-function-d90c9878-a119-4746-88fa-63d988f511d3
test('TRIMMEAN: documented example, bounds of percent', () => {
  const data = [[4], [5], [6], [7], [2], [3], [4], [5], [1], [2], [3]]
  assertRounded(evaluate('=TRIMMEAN(A1:A11,0.2)', data), 3.777777778, 9)
  // 5 numbers at 70%: one dropped at each end
  assertClose(evaluate('=TRIMMEAN(A1:A6,0.7)', [[0], [1], [0.7], [0.2], [-1], ['x']]), 0.3)
  assertError(evaluate('=TRIMMEAN(A1:A11,1)', data), '#NUM!')
  assertError(evaluate('=TRIMMEAN(A1:A11,-0.1)', data), '#NUM!')
})

// https://support.microsoft.com/office/binom-dist-range-function-17331329-74c7-4053-bb4c-6653a7421595
test('BINOM.DIST.RANGE: documented example and edge cases', () => {
  assertRounded(evaluate('=BINOM.DIST.RANGE(60,0.75,48)'), 0.084, 3)
  assertRounded(evaluate('=BINOM.DIST.RANGE(60,0.75,45,50)'), 0.524, 3)
  assertClose(evaluate('=BINOM.DIST.RANGE(4,0.7,0,1)'), 0.0837)
  assert.strictEqual(evaluate('=BINOM.DIST.RANGE(0,,,)'), 1)
  assertError(evaluate('=BINOM.DIST.RANGE(3,-1,0.2)'), '#NUM!')
  assertError(evaluate('=BINOM.DIST.RANGE(3,0.5,2,1)'), '#NUM!')
  assertError(evaluate('=BINOM.DIST.RANGE(3,0.5,0,"TRUE")'), '#VALUE!')
})

// https://support.microsoft.com/office/percentof-function-6d4c3a4e-d2b2-4e0b-8a5a-2dd6d1f9b9a5
test('PERCENTOF: sum of the subset over the sum of all', () => {
  const data = [[0, 2, 2.3, -0.2, -2]]
  assertClose(evaluate('=PERCENTOF(A1:C1,B1:E1)', data), 4.3 / 2.1)
  assertClose(evaluate('=PERCENTOF(A1:A2,A1:A3)', [[1], [1], [2]]), 0.5)
  assertError(evaluate('=PERCENTOF(A1:A2,A1:A3)', [[1], ['=NA()'], [2]]), '#NUM!')
  assertError(evaluate('=PERCENTOF(A1:A2,A1:A2)', [[0], [0]]), '#DIV/0!')
})

// https://support.microsoft.com/office/gestep-function-f37e7d2a-41da-4129-be95-640883fca9df
test('GESTEP: documented example, no booleans', () => {
  assert.strictEqual(evaluate('=GESTEP(5,4)'), 1)
  assert.strictEqual(evaluate('=GESTEP(5,5)'), 1)
  assert.strictEqual(evaluate('=GESTEP(-4,-5)'), 1)
  assert.strictEqual(evaluate('=GESTEP(-1)'), 0)
  assert.strictEqual(evaluate('=GESTEP(25,"30.2")'), 0)
  assertError(evaluate('=GESTEP(A1)', [[true]]), '#VALUE!')
  assertError(evaluate('=GESTEP(2,"a")'), '#VALUE!')
})

// https://support.microsoft.com/office/erf-precise-function-9a349593-705c-4278-9a98-e4122831a8e0
// https://support.microsoft.com/office/erfc-precise-function-e90e6bab-f45e-45df-b2ac-cd2eb4d4a273
// Values to 16 digits as Excel computes them.
test('ERF, ERFC and their .PRECISE forms', () => {
  assertRounded(evaluate('=ERF.PRECISE(0.745)'), 0.70792892, 8)
  assertRounded(evaluate('=ERF.PRECISE(1)'), 0.84270079, 8)
  assertRounded(evaluate('=ERFC.PRECISE(1)'), 0.15729921, 8)
  assertRounded(evaluate('=ERF(0,1.5)'), 0.966105146, 9)
  assertClose(evaluate('=ERFC(3.2)'), 6.025761151762083e-06, 1e-15)
  assertClose(evaluate('=ERFC(2.3)'), 0.0011431765973566527, 1e-15)
  assertClose(evaluate('=ERFC.PRECISE(-0.002)'), 1.0022567553251835, 1e-15)
  assertClose(evaluate('=ERF(-0.002)'), -0.002256755325183524, 1e-15)
  assertError(evaluate('=ERF(A1)', [[true]]), '#VALUE!')
  assertError(evaluate('=ERFC.PRECISE(A1)', [[true]]), '#VALUE!')
})
