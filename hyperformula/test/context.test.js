'use strict'
// context.js: what one request knows of its workbook, entered once per request by engine.js.
const test = require('node:test')
const assert = require('node:assert')
const { evaluate } = require('./helpers')
const context = require('../context')

test('a new context knows nothing of a workbook', () => {
  const ctx = context.create()
  assert.deepStrictEqual(ctx.workbook, { fileName: '', directory: '' })
  assert.strictEqual(ctx.codePage, 'windows')
  assert.strictEqual(ctx.asOf, null)
  assert.deepStrictEqual([ctx.tables, ctx.pivots], [[], []])
  assert.strictEqual(ctx.declaredSize({ sheet: 0, row: 0, col: 0 }), undefined)
  assert.strictEqual(ctx.isRowSkipped({ sheet: 0, row: 1 }, 'hidden'), false)
})

test('a directory ends with its separator, as Excel writes it before [Book.xlsx]', () => {
  assert.strictEqual(context.create({ workbook: { directory: 'C:\\Models' } }).workbook.directory, 'C:\\Models\\')
  assert.strictEqual(context.create({ workbook: { directory: '/srv/models/' } }).workbook.directory, '/srv/models/')
  assert.strictEqual(context.create({ workbook: { directory: '/srv/models' } }).workbook.directory, '/srv/models/')
})

test('using() makes a context current for the call only, even when it throws', () => {
  const before = context.current()
  const mac = context.create({ application: 'Microsoft Macintosh Excel' })
  assert.strictEqual(context.using(mac, () => context.current()), mac)
  assert.throws(() => context.using(mac, () => { throw new Error('boom') }), /boom/)
  assert.strictEqual(context.current(), before)
})

test('the functions read the current context: file name, code page, as-of instant, declared arrays', () => {
  const ctx = context.create({
    workbook: { fileName: 'Book.xlsx', directory: 'C:\\dir' },
    application: 'Microsoft Macintosh Excel',
    asOf: '2024-03-15T12:00:00',
  })
  ctx.declareArrays(0, [[0, 1, 1, 3]]) // B1:D1, where helpers.js puts the formula
  context.using(ctx, () => {
    assert.strictEqual(evaluate('=CELL("filename")'), 'C:\\dir\\[Book.xlsx]Sheet1')
    assert.strictEqual(evaluate('=INFO("system")'), 'mac')
    assert.strictEqual(evaluate('=CHAR(219)'), '€')
    assert.strictEqual(evaluate('=TODAY()'), 45366)
    assert.deepStrictEqual(evaluate('=ARRAYFORMULA(TEXTSPLIT("a,b,c",","))', [], { array: true }), [['a', 'b', 'c']])
  })
  assert.strictEqual(evaluate('=CELL("filename")'), '')
  assert.strictEqual(evaluate('=INFO("system")'), 'pcdos')
})
