'use strict'
const test = require('node:test')
const assert = require('node:assert')
const { evaluate, assertError } = require('./helpers')

// Microsoft's XOR page: =XOR(3>0,2<9) is FALSE, =XOR(3>12,4>6) is FALSE, =XOR(3>0,4<6) ... .
test('AND, OR, XOR: documented examples', () => {
  assert.strictEqual(evaluate('=XOR(3>0,2<9)'), false)
  assert.strictEqual(evaluate('=XOR(3>12,4>6)'), false)
  assert.strictEqual(evaluate('=XOR(3>0,4>6)'), true)
  assert.strictEqual(evaluate('=AND(TRUE,1,2>1)'), true)
  assert.strictEqual(evaluate('=OR(FALSE,0)'), false)
})

// In a range only booleans and numbers count; text (even "TRUE") and blanks are skipped.
test('AND, OR, XOR skip text in ranges and need one logical value', () => {
  const rows = [["'TRUE"], [null], [true], [2], [0], ['hola']]
  assertError(evaluate('=XOR(A1:A2)', rows), '#VALUE!')
  assertError(evaluate('=AND(A1:A2)', rows), '#VALUE!')
  assertError(evaluate('=OR(A6)', rows), '#VALUE!') // a text given directly must read as a logical
  assert.strictEqual(evaluate('=XOR(A1:A4)', rows), false) // TRUE and 2: two trues
  assert.strictEqual(evaluate('=AND(A1:A5)', rows), false)
  assert.strictEqual(evaluate('=OR(A1:A2,"true")'), true)
  assertError(evaluate('=OR(1/0,TRUE)'), '#DIV/0!')
})
