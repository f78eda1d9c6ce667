'use strict'
// Function coverage (issue 11): every function of Excel's alphabetical list
// (functions/excel_functions.tsv) is registered in the running engine, or excluded with a
// reason (functions/exclusions.tsv: a live service, a data model, outside code), or a known
// gap (functions/known_gaps.tsv), which this test reports as a TODO.
const test = require('node:test')
const assert = require('node:assert')
const fs = require('node:fs')
const path = require('node:path')
const { HyperFormula } = require('hyperformula')
const { CONFIG } = require('../config')
const { register } = require('./helpers')

const DIR = path.join(__dirname, '..', 'functions')

// Rows of a TSV with a header line; lines starting with # are comments.
function readTable (name) {
  const lines = fs.readFileSync(path.join(DIR, name), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'))
  const header = lines[0].split('\t')
  return lines.slice(1).map((line) => Object.fromEntries(line.split('\t').map((v, i) => [header[i], v])))
}

register()
const registered = new Set(HyperFormula.getRegisteredFunctionNames('enGB'))
const excel = readTable('excel_functions.tsv')
const exclusions = readTable('exclusions.tsv')
const gaps = readTable('known_gaps.tsv')
const names = new Set(excel.map((r) => r.name))

test('the list is Excel\'s whole list: about 500 names, each once', () => {
  assert.ok(excel.length >= 500, `only ${excel.length} functions listed`)
  assert.strictEqual(names.size, excel.length, 'a name is listed twice')
  for (const row of excel) assert.ok(row.category, `${row.name} has no category`)
})

test('every Excel function is registered, excluded with a reason, or a known gap', () => {
  const accounted = new Set([...exclusions, ...gaps].map((r) => r.name))
  const missing = [...names].filter((n) => !registered.has(n) && !accounted.has(n))
  assert.deepStrictEqual(missing, [], `not registered and not listed in exclusions.tsv or known_gaps.tsv: ${missing.join(', ')}`)
})

test('exclusions and gaps name Excel functions the engine does not register, each with a reason', () => {
  for (const row of [...exclusions, ...gaps]) {
    assert.ok(names.has(row.name), `${row.name} is not in excel_functions.tsv`)
    assert.ok(row.reason && row.reason.length > 10, `${row.name} has no reason`)
    assert.ok(!registered.has(row.name), `${row.name} is registered now: remove it from its list`)
  }
  const both = exclusions.filter((e) => gaps.some((g) => g.name === e.name)).map((e) => e.name)
  assert.deepStrictEqual(both, [], 'a function is both excluded and a gap')
})

test('exclusions only for what needs something outside the workbook', () => {
  for (const row of exclusions) {
    assert.match(row.reason, /^(OLAP cube|live service|data model|outside code):/, `${row.name}: ${row.reason}`)
  }
})

test('a registered function is answered, not #NAME?', () => {
  // a call with no arguments reaches the function: the answer may be an argument error, never
  // #NAME? (which HyperFormula gives a name it does not know)
  const hf = HyperFormula.buildEmpty(CONFIG)
  try {
    const sheet = hf.getSheetId(hf.addSheet('Sheet1'))
    const tried = []
    for (const name of names) {
      if (!registered.has(name)) continue
      try {
        hf.setCellContents({ sheet, row: tried.length, col: 0 }, [[`=${name}()`]])
        tried.push(name)
      } catch (err) {
        // the parser refuses the empty call (OFFSET): it knows the name
      }
    }
    const unnamed = tried.filter((name, row) => {
      const value = hf.getCellValue({ sheet, row, col: 0 })
      return value && value.value === '#NAME?'
    })
    assert.deepStrictEqual(unnamed, [])
    assert.ok(tried.length > 400)
  } finally {
    hf.destroy()
  }
})

for (const gap of gaps) {
  test(`known gap: ${gap.name}`, { todo: gap.reason }, () => {
    assert.ok(registered.has(gap.name), `${gap.name} is not implemented`)
  })
}
