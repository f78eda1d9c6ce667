'use strict'
// GETPIVOTDATA (functions/pivot.js) over a pivot sent as the importer sends it, against
// aggregates computed here from the records.
const test = require('node:test')
const assert = require('node:assert')
const { HyperFormula } = require('hyperformula')
const { CONFIG } = require('../config')
const { register } = require('./helpers')
const context = require('../context')

const RECORDS = [['East', 'Apples', 10], ['East', 'Pears', 4], ['West', 'Apples', 7], ['West', 'Apples', 1]]

function value (formula, dataFields = [{ name: 'Sum of Sales', field: 2, subtotal: 'sum' }]) {
  register()
  const hf = HyperFormula.buildEmpty(CONFIG)
  try {
    const sheet = hf.getSheetId(hf.addSheet('P'))
    const request = context.create()
    request.declarePivots([{ sheet: 'P', top: 2, left: 0, bottom: 6, right: 1, fields: ['Region', 'Fruit', 'Sales'],
      row_fields: [0], col_fields: [1], data_fields: dataFields, records: RECORDS }], (name) => hf.getSheetId(name))
    return context.using(request, () => {
      hf.setCellContents({ sheet, row: 0, col: 5 }, [[formula]])
      return hf.getCellValue({ sheet, row: 0, col: 5 })
    })
  } finally {
    hf.destroy()
  }
}

test('GETPIVOTDATA sums the matching records; names and items in any case', () => {
  assert.strictEqual(value('=GETPIVOTDATA("Sum of Sales",$A$3)'), 22)
  assert.strictEqual(value('=GETPIVOTDATA("sales",B5,"Region","east")'), 14)
  assert.strictEqual(value('=GETPIVOTDATA("Sum of Sales",A3:B4,"Region","West","Fruit","Apples")'), 8)
})

test('GETPIVOTDATA uses the data field subtotal', () => {
  const df = (subtotal) => [{ name: 'X of Sales', field: 2, subtotal }]
  assert.strictEqual(value('=GETPIVOTDATA("X of Sales",A3,"Fruit","Apples")', df('average')), 6)
  assert.strictEqual(value('=GETPIVOTDATA("X of Sales",A3,"Fruit","Apples")', df('count')), 3)
  assert.strictEqual(value('=GETPIVOTDATA("X of Sales",A3,"Fruit","Apples")', df('max')), 10)
  assert.strictEqual(value('=GETPIVOTDATA("X of Sales",A3,"Fruit","Apples")', df('product')), 70)
  const mean = 6
  const sample = ((10 - mean) ** 2 + (7 - mean) ** 2 + (1 - mean) ** 2) / 2
  assert.ok(Math.abs(value('=GETPIVOTDATA("X of Sales",A3,"Fruit","Apples")', df('var')) - sample) < 1e-12)
  assert.ok(Math.abs(value('=GETPIVOTDATA("X of Sales",A3,"Fruit","Apples")', df('stdDevp')) - Math.sqrt(sample * 2 / 3)) < 1e-12)
})

test('GETPIVOTDATA is #REF! outside a pivot, for an unknown field or item', () => {
  assert.strictEqual(value('=GETPIVOTDATA("Sum of Sales",$D$1)').type, 'REF')
  assert.strictEqual(value('=GETPIVOTDATA("Sum of Cost",A3)').type, 'REF')
  assert.strictEqual(value('=GETPIVOTDATA("Sum of Sales",A3,"Colour","Red")').type, 'REF')
  assert.strictEqual(value('=GETPIVOTDATA("Sum of Sales",A3,"Region","North")').type, 'REF')
  assert.strictEqual(value('=GETPIVOTDATA("Sum of Sales",A3,"Sales",10)').type, 'REF') // a data field, not an axis
})
