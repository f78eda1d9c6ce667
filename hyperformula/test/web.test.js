'use strict'
// ENCODEURL from Microsoft's example; SINGLE (@) as implicit intersection.
const test = require('node:test')
const assert = require('node:assert')
const { evaluate, assertError } = require('./helpers')

test('ENCODEURL: documented example', () => {
  assert.strictEqual(
    evaluate('=ENCODEURL("http://contoso.sharepoint.com/teams/Finance/Documents/April Reports/Profit and Loss Statement.xlsx")'),
    'http%3A%2F%2Fcontoso.sharepoint.com%2Fteams%2FFinance%2FDocuments%2FApril%20Reports%2FProfit%20and%20Loss%20Statement.xlsx')
})

test('ENCODEURL: unreserved characters stay, others are UTF-8 bytes', () => {
  assert.strictEqual(evaluate('=ENCODEURL("a-b_c.d~e")'), 'a-b_c.d~e')
  assert.strictEqual(evaluate('=ENCODEURL("é&=?")'), '%C3%A9%26%3D%3F')
})

test('SINGLE: the cell in the formula\'s row of a column; an array\'s first value', () => {
  const rows = [[1, 2], [3, 4], [5, 6]]
  // the formula is in D1: row 1
  assert.strictEqual(evaluate('=SINGLE(A1:A3)', rows), 1)
  assert.strictEqual(evaluate('=SINGLE(B1:B3)*10', rows), 20)
  assertError(evaluate('=SINGLE(A2:A3)', rows), '#VALUE!')
  assertError(evaluate('=SINGLE(A1:B1)', rows), '#VALUE!') // a row that does not reach column D
  assert.strictEqual(evaluate('=SINGLE({7,8})', rows), 7)
  assert.strictEqual(evaluate('=SINGLE(5)', rows), 5)
})
