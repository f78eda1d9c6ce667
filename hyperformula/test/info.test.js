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
