'use strict'
const test = require('node:test')
const assert = require('node:assert')
const { evaluate, assertError } = require('./helpers')

const colours = [[4.14, 'red'], [4.19, 'orange'], [5.17, 'yellow'], [5.77, 'green'], [6.39, 'blue']]

// Microsoft's LOOKUP page, vector form.
test('LOOKUP vector form: documented examples', () => {
  assert.strictEqual(evaluate('=LOOKUP(4.19,A1:A5,B1:B5)', colours), 'orange')
  assert.strictEqual(evaluate('=LOOKUP(5.75,A1:A5,B1:B5)', colours), 'yellow')
  assert.strictEqual(evaluate('=LOOKUP(7.66,A1:A5,B1:B5)', colours), 'blue')
  assertError(evaluate('=LOOKUP(0,A1:A5,B1:B5)', colours), '#N/A')
})

// Microsoft's LOOKUP page, array form.
test('LOOKUP array form: documented examples', () => {
  assert.strictEqual(evaluate('=LOOKUP("C",A1:D2)', [['a', 'b', 'c', 'd'], [1, 2, 3, 4]]), 3)
  assert.strictEqual(evaluate('=LOOKUP("bump",A1:B3)', [['a', 1], ['b', 2], ['c', 3]]), 2)
})

test('LOOKUP skips other types and finds the last match of the 1/(cond) idiom', () => {
  assert.strictEqual(evaluate('=LOOKUP(3,A1:A4,B1:B4)', [[1, 'a'], ['x', 'b'], [2, 'c'], [5, 'd']]), 'c')
  const rows = [['east', 10], ['west', 20], ['east', 30], ['north', 40]]
  assert.strictEqual(evaluate('=LOOKUP(2,1/(A1:A4="east"),B1:B4)', rows), 30)
})

test('XMATCH exact, nearest, wildcard and reverse search', () => {
  const fruit = [['Apple'], ['Grape'], ['Pear'], ['Banana'], ['grape']]
  assert.strictEqual(evaluate('=XMATCH("Grape",A1:A5)', fruit), 2)
  assert.strictEqual(evaluate('=XMATCH("grape",A1:A5,0,-1)', fruit), 5)
  assert.strictEqual(evaluate('=XMATCH("Gr?pe",A1:A5,2)', fruit), 2)
  assert.strictEqual(evaluate('=XMATCH("B*",A1:A5,2)', fruit), 4)
  assertError(evaluate('=XMATCH("Kiwi",A1:A5)', fruit), '#N/A')
  const numbers = [[5, 4, 3, 2, 1]]
  assert.strictEqual(evaluate('=XMATCH(4,A1:E1)', numbers), 2)
  assert.strictEqual(evaluate('=XMATCH(4.5,A1:E1,1)', numbers), 1) // next larger is 5
  assert.strictEqual(evaluate('=XMATCH(4.5,A1:E1,-1)', numbers), 2) // next smaller is 4
  assertError(evaluate('=XMATCH(9,A1:E1,1)', numbers), '#N/A')
  assertError(evaluate('=XMATCH(1,A1:B2)', [[1, 2], [3, 4]]), '#VALUE!')
})
