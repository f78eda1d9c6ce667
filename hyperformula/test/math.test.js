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

test('COMPLEX: documented examples, an empty suffix means i', () => {
  assert.strictEqual(evaluate('=COMPLEX(3,4)'), '3+4i')
  assert.strictEqual(evaluate('=COMPLEX(3,4,"j")'), '3+4j')
  assert.strictEqual(evaluate('=COMPLEX(0,1)'), 'i')
  assert.strictEqual(evaluate('=COMPLEX(1,0)'), '1')
  assert.strictEqual(evaluate('=COMPLEX(1.23,9.5121,A1)', [[null]]), '1.23+9.5121i')
  assert.strictEqual(evaluate('=COMPLEX(1.23,9.5121,"")'), '1.23+9.5121i')
  assert.strictEqual(evaluate('=IMSUM("0.1+0.2i","0.2+0.1i")'), '0.3+0.3i')
  assertError(evaluate('=COMPLEX(1,1,"k")'), '#VALUE!')
})

test('CEILING: significance 0 gives 0; FLOOR keeps #DIV/0!', () => {
  assert.strictEqual(evaluate('=CEILING(10,0)'), 0)
  assert.strictEqual(evaluate('=CEILING(2.5,1)'), 3)
  assert.strictEqual(evaluate('=CEILING(-2.5,-2)'), -4)
  assert.strictEqual(evaluate('=CEILING(-2.5,2)'), -2)
  assertError(evaluate('=CEILING(2.5,-2)'), '#NUM!')
  assertError(evaluate('=FLOOR(10,0)'), '#DIV/0!')
})

test('text dates in arithmetic: day/month/year and ISO', () => {
  assert.strictEqual(evaluate('="10/1/2024"+0'), 45301)
  assert.strictEqual(evaluate('="2024-01-10"+0'), 45301)
})

test('FLOOR and CEILING families: quotients to 15 digits, signs and modes', () => {
  // 71 multiples of 0.1, as Excel computes them too (7.1000000000000005), not 70.
  assert.strictEqual(evaluate('=FLOOR.MATH(7.1,0.1)'), 71 * 0.1)
  assert.strictEqual(evaluate('=FLOOR(7.1,0.1)'), 71 * 0.1)
  assert.strictEqual(evaluate('=CEILING.MATH(-5.5,2,-1)'), -6) // Microsoft's example
  assert.strictEqual(evaluate('=CEILING.MATH(-5.5,2)'), -4)
  assert.strictEqual(evaluate('=FLOOR.MATH(-5.5,2,-1)'), -4)
  assert.strictEqual(evaluate('=FLOOR.MATH(-8.1,2)'), -10)
  assert.strictEqual(evaluate('=FLOOR(-2.5,-2)'), -2)
  assert.strictEqual(evaluate('=CEILING.PRECISE(-4.3,2)'), -4)
  assert.strictEqual(evaluate('=ISO.CEILING(4.3,-2)'), 6)
  assert.strictEqual(evaluate('=FLOOR.PRECISE(-3.2,-1)'), -4)
  assertError(evaluate('=FLOOR(2.5,-2)'), '#NUM!')
})
