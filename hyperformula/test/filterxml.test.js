'use strict'
// FILTERXML over XML text the sheet builds (no web service): Microsoft's page shows it
// reading attributes of an RSS-like feed ("//rc/@title"); the common split-a-string form.
const test = require('node:test')
const assert = require('node:assert')
const { evaluate, assertError } = require('./helpers')
const context = require('../context')

// As an array formula whose saved range is `height` rows of one column (as engine.js declares).
function spill (formula, rows, height) {
  context.current().declareArrays(0, [[0, Math.max(0, ...rows.map((r) => r.length)) + 1, height, 1]])
  try {
    return evaluate(`=ARRAYFORMULA(${formula})`, rows, { array: true })
  } finally {
    context.enter(context.create())
  }
}


test('FILTERXML: attributes of the documented feed shape, one per row', () => {
  const xml = '<r><rc title="One" n="1"/><rc title="Two"/></r>'
  assert.deepStrictEqual(spill('FILTERXML(A1,"//rc/@title")', [[xml]], 2), [['One'], ['Two']])
  // in a plain cell, the first value
  assert.strictEqual(evaluate('=FILTERXML(A1,"//rc/@title")', [[xml]]), 'One')
  assert.strictEqual(evaluate('=FILTERXML(A1,"//rc/@n")', [[xml]]), 1) // numeric text is a number
})

test('FILTERXML splits a string built with SUBSTITUTE; positions and last()', () => {
  const rows = [['a,2,c']]
  const xml = '"<t><s>"&SUBSTITUTE(A1,",","</s><s>")&"</s></t>"'
  assert.strictEqual(evaluate(`=FILTERXML(${xml},"//s[1]")`, rows), 'a')
  assert.strictEqual(evaluate(`=FILTERXML(${xml},"//s[2]")`, rows), 2)
  assert.strictEqual(evaluate(`=FILTERXML(${xml},"//s[last()]")`, rows), 'c')
  assert.strictEqual(evaluate(`=SUM(FILTERXML("<t><s>1</s><s>2</s><s>x</s></t>","//s"))`), 3)
  assert.strictEqual(evaluate(`=FILTERXML(${xml},"//s[.='c']")`, rows), 'c')
})

test('FILTERXML: no match, malformed XML and unsupported XPath are #VALUE!', () => {
  assertError(evaluate('=FILTERXML("<t><s>a</s></t>","//x")'), '#VALUE!')
  assertError(evaluate('=FILTERXML("<t><s>a</t>","//s")'), '#VALUE!')
  assertError(evaluate('=FILTERXML("plain text","//s")'), '#VALUE!')
  assertError(evaluate('=FILTERXML("<t/>","count(//s)")'), '#VALUE!')
})
