'use strict'
const test = require('node:test')
const { evaluate, assertClose, assertRounded, assertError } = require('./helpers')

// Microsoft's CONVERT page.
test('CONVERT: documented examples', () => {
  assertRounded(evaluate('=CONVERT(1,"lbm","kg")'), 0.4535924, 7)
  assertClose(evaluate('=CONVERT(68,"F","C")'), 20)
  assertError(evaluate('=CONVERT(2.5,"ft","sec")'), '#N/A')
  assertClose(evaluate('=CONVERT(CONVERT(100,"ft","m"),"ft","m")'), 9.290304)
  assertClose(evaluate('=CONVERT(6,"tsp","tbs")'), 2) // from the page's table of units: 3 tsp = 1 tbs
})

// Exact definitions: 1 in = 2.54 cm, 1 mi = 1609.344 m, 1 gal = 231 in3.
test('CONVERT: exact unit definitions and prefixes', () => {
  assertClose(evaluate('=CONVERT(1,"in","cm")'), 2.54)
  assertClose(evaluate('=CONVERT(1,"mi","km")'), 1.609344)
  assertClose(evaluate('=CONVERT(1,"gal","l")'), 3.785411784)
  assertClose(evaluate('=CONVERT(1,"km2","m2")'), 1e6)
  assertClose(evaluate('=CONVERT(1,"day","hr")'), 24)
  assertClose(evaluate('=CONVERT(1,"yr","day")'), 365.25)
  assertClose(evaluate('=CONVERT(1,"kbyte","bit")'), 8000)
  assertClose(evaluate('=CONVERT(1,"kibyte","byte")'), 1024)
  assertClose(evaluate('=CONVERT(1,"kWh","J")'), 3.6e6)
  assertClose(evaluate('=CONVERT(100,"C","K")'), 373.15)
  assertClose(evaluate('=CONVERT(0,"K","F")'), -459.67)
  assertClose(evaluate('=CONVERT(1,"atm","Pa")'), 101325)
  assertClose(evaluate('=CONVERT(1,"ton","lbm")'), 2000)
})

test('CONVERT: unknown units and mixed groups are #N/A', () => {
  assertError(evaluate('=CONVERT(1,"furlong","m")'), '#N/A')
  assertError(evaluate('=CONVERT(1,"kmi","m")'), '#N/A') // mile takes no prefix
  assertError(evaluate('=CONVERT(1,"g","m")'), '#N/A')
})

test('CONVERT: a boolean is not a number; numeric text is', () => {
  const { evaluate: run, assertError: isError } = require('./helpers')
  isError(run('=CONVERT(TRUE,"C","F")'), '#VALUE!')
  isError(run('=CONVERT(A1,"C","F")', [[true]]), '#VALUE!')
  require('node:assert').strictEqual(run('=CONVERT("100","C","F")'), 212)
})
