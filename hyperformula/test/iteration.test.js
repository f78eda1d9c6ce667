'use strict'
// Iterative calculation of circular references (iteration.js), against fixed points
// computed by hand.
const test = require('node:test')
const assert = require('node:assert')
const { HyperFormula } = require('hyperformula')
const { CONFIG } = require('../config')
const { register } = require('./helpers')
const iteration = require('../iteration')

// A sheet from {A1: content}, and solve() over the given cycles (lists of A1 addresses).
function solveSheet (cells, cycles, options) {
  register()
  const hf = HyperFormula.buildEmpty(CONFIG)
  const sheet = hf.getSheetId(hf.addSheet('Sheet1'))
  const at = (a1) => hf.simpleCellAddressFromString(a1, sheet)
  for (const [a1, content] of Object.entries(cells)) hf.setCellContents(at(a1), [[content]])
  const report = iteration.solve(hf, cycles.map((members) => members.map((a1) => ({ ...at(a1), formula: cells[a1] }))), options)
  return { hf, report, value: (a1) => hf.getCellValue(at(a1)) }
}

// resolveStatic() over the given cycles, with iteration off.
function resolveSheet (cells, cycles) {
  register()
  const hf = HyperFormula.buildEmpty(CONFIG)
  const sheet = hf.getSheetId(hf.addSheet('Sheet1'))
  const at = (a1) => hf.simpleCellAddressFromString(a1, sheet)
  for (const [a1, content] of Object.entries(cells)) hf.setCellContents(at(a1), [[content]])
  iteration.resolveStatic(hf, cycles.map((members) => members.map((a1) => ({ ...at(a1), formula: cells[a1] }))))
  return { hf, value: (a1) => hf.getCellValue(at(a1)) }
}

test('iteration off: a cycle that is never read is computed, a real one stays #CYCLE!', () => {
  const { hf, value } = resolveSheet({
    A1: false, A2: true,
    // Row 1: IF(FALSE, ...) does not read the cycle, so Excel computes it.
    B1: '=C1', C1: '=D1', D1: '=IF(A1,B1,7)', E1: '=B1+1',
    // Row 2: the same cells with the condition true really are circular.
    B2: '=C2', C2: '=D2', D2: '=IF(A2,B2,7)', E2: '=B2+1',
    // Row 3: INDEX(r,1,1):INDEX(r,1,n) (CL_RANGE once translated) reaches only cells left of the cell.
    A3: 1, B3: '=SUM(CL_RANGE(INDEX(A3:D3,1,1),INDEX(A3:D3,1,1)))*2', C3: '=SUM(CL_RANGE(INDEX(A3:D3,1,1),INDEX(A3:D3,1,2)))',
  }, [['B1', 'C1', 'D1'], ['B2', 'C2', 'D2'], ['B3', 'C3']])
  assert.strictEqual(value('B1'), 7)
  assert.strictEqual(value('C1'), 7)
  assert.strictEqual(value('E1'), 8)
  for (const a1 of ['B2', 'C2', 'D2', 'E2']) assert.strictEqual(value(a1).type, 'CYCLE', a1)
  assert.strictEqual(value('B3'), 2)
  assert.strictEqual(value('C3'), 3)
  hf.destroy()
})

test('interest on average debt converges to the hand-computed fixed point', () => {
  // Interest = rate * (opening + closing) / 2; closing = opening - (cash flow - interest).
  // B1 = 0.05 * (1800 + B1)  =>  B1 = 90 / 0.95.
  const { hf, report, value } = solveSheet({
    A1: 1000, A2: 200, A3: 0.1,
    B1: '=A3*(A1+B2)/2',
    B2: '=A1-(A2-B1)',
    C1: '=B2*2', // downstream of the cycle: computed normally afterwards
  }, [['B1', 'B2']])
  // To TIGHT (1e-13, relative): the passes stop there.
  assert.ok(Math.abs(value('B1') / (90 / 0.95) - 1) < 1e-13)
  assert.ok(Math.abs(value('B2') - (800 + 90 / 0.95)) < 1e-9)
  assert.ok(Math.abs(value('C1') - 2 * (800 + 90 / 0.95)) < 1e-9)
  assert.deepStrictEqual(report.notConverged, [])
  assert.ok(report.passes[0] < 50)
  hf.destroy()
})

test('an input change is followed by resolve()', () => {
  const { hf, report, value } = solveSheet({
    A1: 1000, A2: 200, A3: 0.1, B1: '=A3*(A1+B2)/2', B2: '=A1-(A2-B1)',
  }, [['B1', 'B2']])
  hf.setCellContents({ sheet: 0, row: 2, col: 0 }, [[0.2]]) // rate 20%: B1 = 0.1 * (1800 + B1)
  report.resolve()
  assert.ok(Math.abs(value('B1') - 180 / 0.9) < 1e-9)
  hf.destroy()
})

test('members are evaluated at their own address (ROW())', () => {
  // D5 = ROW()/100 + E5/2, E5 = D5  =>  D5 = 0.1 (at A1, ROW() would give 0.02).
  const { hf, value } = solveSheet({ D5: '=ROW()/100+E5/2', E5: '=D5' }, [['D5', 'E5']])
  assert.ok(Math.abs(value('D5') - 0.1) < 1e-12)
  hf.destroy()
})

test('a cycle that does not converge is reported', () => {
  // x <- 1 - x from 0 swings between 0 and 1 for ever; y <- y + 1 grows for ever.
  const { hf, report } = solveSheet({ A1: '=1-A1', B1: '=B2+1', B2: '=B1' }, [['A1'], ['B1', 'B2']], { count: 100 })
  assert.deepStrictEqual(report.passes, [100, 100])
  assert.deepStrictEqual(report.notConverged.map((c) => [c.row, c.col]), [[0, 0], [0, 1], [1, 1]])
  hf.destroy()
})

test('text, booleans and errors in a cycle are kept as values', () => {
  const { hf, report, value } = solveSheet({ A1: '=IF(B1=0, "x", B1)', B1: '=A1' }, [['A1', 'B1']])
  assert.strictEqual(value('A1'), 'x')
  assert.strictEqual(value('B1'), 'x')
  assert.deepStrictEqual(report.notConverged, [])
  hf.destroy()
})

test('volatile cells are left alone while iterating, then settled', () => {
  // C1 reads B2 through OFFSET (volatile); it must show the solved value afterwards.
  const { hf, value } = solveSheet({
    A1: 1000, A2: 200, A3: 0.1, B1: '=A3*(A1+B2)/2', B2: '=A1-(A2-B1)', C1: '=CL_OFFSET(B1,1,0)',
  }, [['B1', 'B2']])
  require('../patches/dynamic_refs').settle(hf)
  assert.ok(Math.abs(value('C1') - (800 + 90 / 0.95)) < 1e-9)
  hf.destroy()
})

test('a chain listed against its direction settles in a few passes, not one link per pass', () => {
  // A1 = A200/2+1, A<i> = A<i-1>/2+1, members given from A1 then A200 down to A2 (the order a
  // depth-first search meets them); the fixed point is 2 everywhere.
  const cells = { A1: '=A200/2+1' }
  for (let r = 2; r <= 200; r++) cells[`A${r}`] = `=A${r - 1}/2+1`
  const order = ['A1']
  for (let r = 200; r >= 2; r--) order.push(`A${r}`)
  const { hf, report, value } = solveSheet(cells, [order])
  for (const a1 of ['A1', 'A2', 'A100', 'A200']) assert.ok(Math.abs(value(a1) - 2) < 1e-12, a1)
  assert.deepStrictEqual(report.notConverged, [])
  assert.ok(report.passes[0] <= 6, `passes: ${report.passes[0]}`)
  hf.destroy()
})

// solveIterationOff() over the given cycles, as engine.js calls it for a workbook saved with
// iteration off.
function solveOffSheet (cells, cycles, options) {
  register()
  const hf = HyperFormula.buildEmpty(CONFIG)
  const sheet = hf.getSheetId(hf.addSheet('Sheet1'))
  const at = (a1) => hf.simpleCellAddressFromString(a1, sheet)
  for (const [a1, content] of Object.entries(cells)) hf.setCellContents(at(a1), [[content]])
  const report = iteration.solveIterationOff(hf, cycles.map((members) => members.map((a1) => ({ ...at(a1), formula: cells[a1] }))), options)
  const a1Of = (c) => hf.simpleCellAddressToString(c, sheet)
  return { hf, report, value: (a1) => hf.getCellValue(at(a1)), a1Of }
}

test('iteration off: a real cycle is iterated to its fixed point and listed as iterated', () => {
  // Interest on average debt: B1 = 0.1 * (1000 + B2) / 2, B2 = 1000 - (200 - B1)
  // => B1 = 0.05 * (1800 + B1) => B1 = 90 / 0.95.
  const { hf, report, value, a1Of } = solveOffSheet({
    A1: 1000, A2: 200, A3: 0.1, A4: false,
    B1: '=A3*(A1+B2)/2', B2: '=A1-(A2-B1)', C1: '=B2*2',
    // A cycle of the static graph that is never read: computed without iterating, not listed.
    D1: '=E1', E1: '=IF(A4,D1,7)',
  }, [['B1', 'B2'], ['D1', 'E1']])
  assert.ok(Math.abs(value('B1') / (90 / 0.95) - 1) < 1e-13)
  assert.ok(Math.abs(value('C1') - 2 * (800 + 90 / 0.95)) < 1e-9)
  assert.strictEqual(value('D1'), 7)
  assert.deepStrictEqual(report.iterated.map(a1Of).sort(), ['B1', 'B2'])
  assert.deepStrictEqual(report.notConverged, [])
  hf.destroy()
})

test('iteration off: a self-referencing total diverges and is reported, one that adds 0 converges', () => {
  // J1 = F1 + H1 + J1 grows by F1 + H1 every pass: Excel's 100 iterations never settle it.
  const { hf, report, a1Of, value } = solveOffSheet({
    F1: 3, H1: 4, J1: '=F1+H1+J1',
    F2: 3, H2: -3, J2: '=F2+H2+J2',
  }, [['J1'], ['J2']])
  assert.deepStrictEqual(report.notConverged.map(a1Of), ['J1'])
  assert.deepStrictEqual(report.iterated.map(a1Of).sort(), ['J1', 'J2'])
  assert.strictEqual(value('J2'), 0)
  hf.destroy()
})

test('iteration off: with nothing really circular, nothing is iterated', () => {
  const { hf, report } = solveOffSheet({ A1: false, B1: '=C1', C1: '=IF(A1,B1,1)' }, [['B1', 'C1']])
  assert.deepStrictEqual(report.iterated, [])
  assert.strictEqual(report.resolve, undefined)
  hf.destroy()
})
