'use strict'
const test = require('node:test')
const assert = require('node:assert')
const { evaluate, assertClose, assertError } = require('./helpers')

function assertMatrixClose (actual, expected) {
  assert.strictEqual(actual.length, expected.length)
  actual.forEach((row, r) => row.forEach((v, c) => assertClose(v, expected[r][c], 1e-12)))
}

// Microsoft's MDETERM page.
test('MDETERM: documented examples', () => {
  assertClose(evaluate('=MDETERM(A1:D4)', [[1, 3, 8, 5], [1, 3, 6, 1], [1, 1, 1, 0], [7, 3, 10, 2]]), 88)
  assertClose(evaluate('=MDETERM({3,6,1;1,1,0;3,10,2})'), 1)
  assertClose(evaluate('=MDETERM({3,6;1,1})'), -3)
  assertError(evaluate('=MDETERM({1,3,8,5;1,3,6,1})'), '#VALUE!')
  assertError(evaluate('=MDETERM(A1:B2)', [[1, 'x'], [2, 3]]), '#VALUE!')
})

// Microsoft's MINVERSE page.
test('MINVERSE: documented examples', () => {
  assertMatrixClose(evaluate('=MINVERSE(A1:B2)', [[4, -1], [2, 0]], { array: true }), [[0, 0.5], [-1, 2]])
  assertMatrixClose(evaluate('=MINVERSE(A1:C3)', [[1, 2, 1], [3, 4, -1], [0, 2, 0]], { array: true }),
    [[0.25, 0.25, -0.75], [0, 0, 0.5], [0.75, -0.25, -0.25]])
})

test('MINVERSE errors', () => {
  assertError(evaluate('=MINVERSE(A1:B2)', [[1, 2], [2, 4]]), '#NUM!')
  assertError(evaluate('=MINVERSE(A1:B1)', [[1, 2]]), '#VALUE!')
})

test('MUNIT', () => {
  assert.deepStrictEqual(evaluate('=MUNIT(3)', [], { array: true }), [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
  assert.strictEqual(evaluate('=MUNIT(1)'), 1)
  assertError(evaluate('=MUNIT(0)'), '#VALUE!')
})
