'use strict'
// TODAY and NOW at the as-of instant (functions/asof.js). Expected serials are computed here
// from the calendar (days since 1899-12-30, Excel's serial 0 for dates after February 1900).
const test = require('node:test')
const assert = require('node:assert')
const { HyperFormula } = require('hyperformula')
const { CONFIG } = require('../config')
const { evaluate, assertClose, assertError } = require('./helpers')
const context = require('../context')

const DAY = 86400000
const serial = (y, m, d) => (Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / DAY

function at (instant, fn) {
  return context.using(context.create({ asOf: instant }), fn)
}

test('TODAY() is the as-of date, whatever the time of day', () => {
  assert.strictEqual(at('2024-03-15T23:59:59', () => evaluate('=TODAY()')), serial(2024, 3, 15))
  assert.strictEqual(at('2024-03-15', () => evaluate('=TODAY()')), serial(2024, 3, 15))
  assert.strictEqual(at('2000-02-29T00:00:00', () => evaluate('=TODAY()')), serial(2000, 2, 29))
})

test('NOW() is the as-of date plus the fraction of the day', () => {
  assertClose(at('2024-03-15T10:30:00', () => evaluate('=NOW()')), serial(2024, 3, 15) + 10.5 / 24)
  assertClose(at('2024-03-15T18:00:30.5', () => evaluate('=NOW()')),
    serial(2024, 3, 15) + (18 * 3600 + 30.5) / 86400)
  assertClose(at('2024-03-15 06:15', () => evaluate('=NOW()')), serial(2024, 3, 15) + 6.25 / 24)
})

test('formulas over TODAY follow the as-of date', () => {
  assert.strictEqual(at('2024-03-15T08:00:00', () => evaluate('=DATEDIF(A1,TODAY(),"D")', [[serial(2024, 1, 1)]])),
    serial(2024, 3, 15) - serial(2024, 1, 1))
  assert.strictEqual(at('2024-03-15T08:00:00', () => evaluate('=YEAR(TODAY())*100+MONTH(TODAY())')), 202403)
  assert.strictEqual(at('2024-03-15T08:00:00', () => evaluate('=TODAY()-DATE(2024,3,1)')), 14)
})

test('an unreadable as-of instant is #VALUE!, not a crash', () => {
  assertError(at('15/03/2024', () => evaluate('=TODAY()')), '#VALUE!')
  assertError(at('yesterday', () => evaluate('=NOW()')), '#VALUE!')
})

test('without an as-of instant TODAY and NOW read this machine\'s clock', () => {
  const before = new Date()
  const today = at(null, () => evaluate('=TODAY()'))
  const local = serial(before.getFullYear(), before.getMonth() + 1, before.getDate())
  assert.ok(today === local || today === local + 1, `${today} vs ${local}`) // midnight may pass
})

test('TODAY and NOW stay volatile: recomputed on any change, at the instant set then', () => {
  const hf = HyperFormula.buildEmpty(CONFIG)
  try {
    const sheet = hf.getSheetId(hf.addSheet('S'))
    at('2024-03-15T12:00:00', () => hf.setSheetContent(sheet, [['=TODAY()', '=NOW()', 1]]))
    assert.strictEqual(hf.getCellValue({ sheet, row: 0, col: 0 }), serial(2024, 3, 15))
    at('2025-01-02T06:00:00', () => hf.setCellContents({ sheet, row: 0, col: 2 }, 2))
    assert.strictEqual(hf.getCellValue({ sheet, row: 0, col: 0 }), serial(2025, 1, 2))
    assertClose(hf.getCellValue({ sheet, row: 0, col: 1 }), serial(2025, 1, 2) + 0.25)
  } finally {
    hf.destroy()
  }
})
