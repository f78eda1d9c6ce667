'use strict'
const test = require('node:test')
const { evaluate, assertClose, assertRounded, assertError, serial } = require('./helpers')

// Microsoft's XIRR page: 0.373362535 (37.34%).
test('XIRR: documented example', () => {
  const flows = [
    [-10000, serial(2008, 1, 1)], [2750, serial(2008, 3, 1)], [4250, serial(2008, 10, 30)],
    [3250, serial(2009, 2, 15)], [2750, serial(2009, 4, 1)],
  ]
  // The page shows 0.373362535; the exact root is 0.3733625335..., so Excel
  // stops its iteration ~1.5e-9 short. Compare at the page's 37.34% and 1e-8.
  const rate = evaluate('=XIRR(A1:A5,B1:B5)', flows)
  assertRounded(rate * 100, 37.34, 2)
  assertClose(rate, 0.373362535, 1e-8)
})

test('XIRR falls back to bisection where Newton leaves the domain', () => {
  // -1000 now, 10 after exactly 365 days: 10 / (1 + r) = 1000, r = -0.99.
  // Newton from 10% jumps below -100% on its first step.
  assertClose(evaluate('=XIRR(A1:A2,B1:B2)', [[-1000, serial(2021, 1, 1)], [10, serial(2022, 1, 1)]]), -0.99, 1e-9)
})

test('XIRR: simple one-year doubling', () => {
  assertClose(evaluate('=XIRR(A1:A2,B1:B2)', [[-100, serial(2021, 1, 1)], [200, serial(2022, 1, 1)]]), 1, 1e-9)
})

test('XIRR errors', () => {
  assertError(evaluate('=XIRR(A1:A2,B1:B2)', [[100, serial(2021, 1, 1)], [200, serial(2022, 1, 1)]]), '#NUM!')
  assertError(evaluate('=XIRR(A1:A2,B1:B2)', [[-100, serial(2021, 1, 1)], [200, serial(2020, 1, 1)]]), '#NUM!')
  assertError(evaluate('=XIRR(A1:A2,B1:B3)', [[-100, 1], [200, 2], [null, 3]]), '#NUM!')
})

test('XNPV: documented example, with dates from DATE()', () => {
  // Microsoft's example: 2086.65 at 9%.
  const rows = [
    [-10000, '=DATE(2008,1,1)'], [2750, '=DATE(2008,3,1)'], [4250, '=DATE(2008,10,30)'],
    [3250, '=DATE(2009,2,15)'], [2750, '=DATE(2009,4,1)'],
  ]
  assertClose(evaluate('=XNPV(0.09,A1:A5,B1:B5)', rows), 2086.647602, 1e-6)
  assertError(evaluate('=XNPV(0.09,A1:A5,B1:B4)', rows), '#NUM!')
  assertError(evaluate('=XNPV(0.09,A1:A2,C1:C2)', [[1, null, 'x'], [2, null, 3]]), '#VALUE!')
})
