'use strict'
// RANDARRAY: Microsoft's page gives the argument rules; the values are random, so the tests
// check their shape and bounds.
const test = require('node:test')
const assert = require('node:assert')
const { evaluate, assertError } = require('./helpers')

test('RANDARRAY() is one number in [0, 1)', () => {
  for (let i = 0; i < 20; i++) {
    const v = evaluate('=RANDARRAY()')
    assert.ok(typeof v === 'number' && v >= 0 && v < 1, `${v}`)
  }
})

test('RANDARRAY(rows, columns, min, max, TRUE) spills whole numbers from min to max', () => {
  const rows = evaluate('=RANDARRAY(5,3,1,6,TRUE)', [], { array: true })
  assert.strictEqual(rows.length, 5)
  for (const row of rows) {
    assert.strictEqual(row.length, 3)
    for (const v of row) assert.ok(Number.isInteger(v) && v >= 1 && v <= 6, `${v}`)
  }
  const decimals = evaluate('=RANDARRAY(4,1,10,20)', [], { array: true })
  assert.strictEqual(decimals.length, 4)
  for (const [v] of decimals) assert.ok(v >= 10 && v < 20, `${v}`)
})

test('RANDARRAY: max below min, fractional bounds for whole numbers, negative counts are #VALUE!', () => {
  assertError(evaluate('=RANDARRAY(1,1,5,1)'), '#VALUE!')
  assertError(evaluate('=RANDARRAY(1,1,0.5,2,TRUE)'), '#VALUE!')
  assertError(evaluate('=RANDARRAY(-1)'), '#VALUE!')
})
