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

// Microsoft's PMT page: 10% a year over 10 months, 10,000 borrowed: -1,037.03.
// IPMT page: 10% a year, period 1 of 3 years' monthly payments on 8,000: -22.41.
// PPMT page: 10% a year over 2 years, 2,000: -75.62 in month 1.
test('PMT, IPMT, PPMT: documented examples', () => {
  assertRounded(evaluate('=PMT(0.08/12,10,10000)'), -1037.03, 2)
  assertRounded(evaluate('=IPMT(0.1/12,1,36,8000)'), -66.67, 2)
  assertRounded(evaluate('=PPMT(0.1/12,1,24,2000)'), -75.62, 2)
})

// Excel's domain: a rate of -100% or less, and a period outside 1 <= per < nper + 1, are #NUM!.
test('PMT, PV, IPMT, PPMT: rates of -100% or less and periods out of range are #NUM!', () => {
  assertError(evaluate('=PMT(-1,1,-100)'), '#NUM!')
  assertError(evaluate('=PMT(-3,5,100,300,1)'), '#NUM!')
  assertError(evaluate('=PV(-1,1,-100)'), '#NUM!')
  assertError(evaluate('=IPMT(-2,1,3,100)'), '#NUM!')
  assertError(evaluate('=IPMT(0.1,4,3,8000,10,1)'), '#NUM!')
  assertError(evaluate('=PPMT(0.01,0.99999,36,8000)'), '#NUM!')
  assertError(evaluate('=PPMT(0.1,0,36,8000)'), '#NUM!')
  // A fractional period inside the range is computed, as Excel does.
  assertRounded(evaluate('=IPMT(0.1,3.9,3,8000,10,1)'), -26.8663646677, 10)
  // A rate above -100% is fine: -90% over 3 periods, payment at the start.
  assertRounded(evaluate('=PMT(-0.9,3,120,300,1)'), -2703.7837837838, 10)
})
