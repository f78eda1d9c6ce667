'use strict'
// Shared test helpers: register the plugins once, then evaluate a formula
// alone or on top of a small sheet, with the engine's own settings.
const assert = require('node:assert')
const { HyperFormula, DetailedCellError } = require('hyperformula')
const { CONFIG } = require('../config')

let registered = false
function register () {
  if (registered) return
  // As engine.js does: the functions, then the patches in their one order.
  require('../functions/register').registerAll(HyperFormula)
  require('../patches').installAll(HyperFormula)
  registered = true
}

// Evaluate `formula` in a sheet holding `rows` (array of arrays, A1 at [0][0]).
// The formula goes in a column right of the data, on the first row, and the
// value of that cell (or the spilled array when `array` is set) is returned.
function evaluate (formula, rows = [], { array = false } = {}) {
  register()
  const hf = HyperFormula.buildEmpty(CONFIG)
  try {
    const sheet = hf.getSheetId(hf.addSheet('Sheet1'))
    hf.addNamedExpression('TRUE', '=TRUE()')
    hf.addNamedExpression('FALSE', '=FALSE()')
    const width = Math.max(0, ...rows.map((r) => r.length))
    const data = rows.map((r) => [...r, ...new Array(width - r.length).fill(null)])
    if (data.length === 0) data.push([])
    data[0][width + 1] = formula
    hf.setSheetContent(sheet, data)
    require('../patches/dynamic_refs').settle(hf) // as engine.js does after evaluating
    const at = { sheet, row: 0, col: width + 1 }
    if (!array) return hf.getCellValue(at)
    const size = hf.getSheetDimensions(sheet)
    const out = []
    for (let r = 0; r < size.height; r++) {
      const line = []
      for (let c = width + 1; c < size.width; c++) line.push(hf.getCellValue({ sheet, row: r, col: c }))
      if (line.some((v) => v !== null)) out.push(line.filter((v, i) => line.slice(i).some((w) => w !== null)))
    }
    return out
  } finally {
    hf.destroy()
  }
}

function assertClose (actual, expected, tolerance = 1e-9) {
  assert.strictEqual(typeof actual, 'number', `expected a number, got ${describe(actual)}`)
  const scale = Math.max(1, Math.abs(expected))
  assert.ok(Math.abs(actual - expected) <= tolerance * scale, `${actual} is not within ${tolerance} of ${expected}`)
}

// For documented examples shown rounded: compare at that rounding.
function assertRounded (actual, expected, decimals) {
  assert.strictEqual(typeof actual, 'number', `expected a number, got ${describe(actual)}`)
  assert.strictEqual(Number(actual.toFixed(decimals)), expected)
}

function assertError (actual, code) {
  assert.ok(actual instanceof DetailedCellError, `expected ${code}, got ${describe(actual)}`)
  assert.strictEqual(actual.value, code)
}

function describe (value) {
  return value instanceof DetailedCellError ? `${value.value} (${value.message})` : JSON.stringify(value)
}

// Excel serial number of a date (1900 system), for readable test data.
function serial (year, month, day) {
  return require('../functions/common').dateToSerial({ year, month, day })
}

module.exports = { evaluate, register, assertClose, assertRounded, assertError, serial }
