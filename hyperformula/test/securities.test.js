'use strict'
// Microsoft's documented examples for the discount and at-maturity securities, AMORDEGRC,
// AMORLINC and VDB, and the error rules their pages list.
const test = require('node:test')
const { evaluate, assertRounded, assertClose, assertError } = require('./helpers')

test('ACCRINTM: documented example (actual/365)', () => {
  assertRounded(evaluate('=ACCRINTM(39539,39614,0.1,1000,3)'), 20.54794521, 8)
})

test('ACCRINTM: par defaults to 1000; issue on or after settlement is #NUM!', () => {
  // 30/360 (basis omitted): 1 Apr to 15 Jun is 74 days
  assertClose(evaluate('=ACCRINTM(39539,39614,0.1)'), 1000 * 0.1 * 74 / 360)
  assertError(evaluate('=ACCRINTM(39614,39539,0.1,1000,3)'), '#NUM!')
  assertError(evaluate('=ACCRINTM(39539,39614,0,1000,3)'), '#NUM!')
  assertError(evaluate('=ACCRINTM(39539,39614,0.1,1000,5)'), '#NUM!')
})

test('DISC: documented example on actual/actual across 30 years', () => {
  assertClose(evaluate('=DISC(DATE(2018,7,1),DATE(2048,1,1),97.975,100,1)'), 0.000686384169121348, 1e-9)
})

test('DISC: errors', () => {
  assertError(evaluate('=DISC(DATE(2018,7,1),DATE(2018,7,1),97.975,100,1)'), '#NUM!')
  assertError(evaluate('=DISC(DATE(2018,7,1),DATE(2048,1,1),0,100,1)'), '#NUM!')
  assertError(evaluate('=DISC(DATE(2018,7,1),DATE(2048,1,1),97.975,100,-1)'), '#NUM!')
})

test('INTRATE: documented example (actual/360)', () => {
  assertClose(evaluate('=INTRATE(DATE(2008,2,15),DATE(2008,5,15),1000000,1014420,2)'), 0.05768)
})

test('PRICEDISC: documented example', () => {
  assertRounded(evaluate('=PRICEDISC(DATE(2008,2,16),DATE(2008,3,1),0.0525,100,2)'), 99.79583333, 8)
})

test('PRICEMAT: documented example (30/360)', () => {
  assertRounded(evaluate('=PRICEMAT(DATE(2008,2,15),DATE(2008,4,13),DATE(2007,11,11),0.061,0.061,0)'), 99.98449888, 8)
})

test('RECEIVED: documented example', () => {
  assertRounded(evaluate('=RECEIVED(DATE(2008,2,15),DATE(2008,5,15),1000000,0.0575,2)'), 1014584.654, 3)
})

test('YIELDDISC: documented example', () => {
  assertRounded(evaluate('=YIELDDISC(DATE(2008,2,16),DATE(2008,3,1),99.795,100,2)'), 0.052823, 6)
})

test('YIELDMAT: documented example', () => {
  assertRounded(evaluate('=YIELDMAT(DATE(2008,3,15),DATE(2008,11,3),DATE(2007,11,8),0.0625,100.0123,0)'), 0.060954, 6)
})

test('dates and basis are truncated', () => {
  assertRounded(evaluate('=PRICEDISC(DATE(2008,2,16)+0.9,DATE(2008,3,1)+0.2,0.0525,100,2.7)'), 99.79583333, 8)
})

test('AMORDEGRC and AMORLINC: documented examples', () => {
  assertClose(evaluate('=AMORDEGRC(2400,39679,39813,300,1,0.15,1)'), 776)
  assertClose(evaluate('=AMORLINC(2400,39679,39813,300,1,0.15,1)'), 360)
})

test('AMORLINC: the first, prorated period and the last, partial one', () => {
  // first period: 134 of 366 days at 15% of 2400
  assertClose(evaluate('=AMORLINC(2400,39679,39813,300,0,0.15,1)'), 2400 * 0.15 * 134 / 366)
  // 2100 to depreciate: 131.80 first, five full periods of 360, the rest, then nothing
  assertClose(evaluate('=AMORLINC(2400,39679,39813,300,6,0.15,1)'), 2100 - 5 * 360 - 2400 * 0.15 * 134 / 366)
  assertClose(evaluate('=AMORLINC(2400,39679,39813,300,7,0.15,1)'), 0)
  assertError(evaluate('=AMORLINC(2400,39679,39813,300,1,0.15,2)'), '#NUM!')
})

test('VDB: documented examples', () => {
  // 2400 cost, 300 salvage, a life of 10 years
  assertRounded(evaluate('=VDB(2400,300,3650,0,1)'), 1.32, 2)
  assertRounded(evaluate('=VDB(2400,300,120,0,1)'), 40.00, 2)
  assertRounded(evaluate('=VDB(2400,300,10,0,1)'), 480.00, 2)
  assertRounded(evaluate('=VDB(2400,300,120,6,18)'), 396.31, 2)
  assertRounded(evaluate('=VDB(2400,300,120,6,18,1.5)'), 311.81, 2)
  assertRounded(evaluate('=VDB(2400,300,10,0,0.875,1.5)'), 315.00, 2)
})

test('VDB: the whole life depreciates cost minus salvage; no_switch stays declining', () => {
  assertClose(evaluate('=VDB(2400,300,10,0,10)'), 2100)
  // declining balance only, stopped at salvage: periods 8 to 10 take the value left after 7
  assertClose(evaluate('=VDB(2400,300,10,7,10,2,TRUE)'), 2400 * Math.pow(0.8, 7) - 300)
  assertClose(evaluate('=VDB(2400,300,10,0,3,2,TRUE)'), 2400 * (1 - Math.pow(0.8, 3)))
  assertError(evaluate('=VDB(2400,300,10,5,4)'), '#NUM!')
  assertError(evaluate('=VDB(2400,300,10,0,11)'), '#NUM!')
})

test('VDB and AMORDEGRC end on absurd inputs instead of looping', () => {
  assertError(evaluate('=VDB(1E+300,1,1E+300,0,1E+300)'.replace(/E\+/g, 'e+')), '#NUM!')
  // a rate so small that every amount rounds to 0: 0 for any period
  assertClose(evaluate('=AMORDEGRC(2400,39679,39813,300,1e+12,1e-9,1)'), 0)
})

// Microsoft's TBILLEQ page: settlement 31 March 2008, maturity 1 June 2008, discount 9.14%.
test('TBILLEQ: documented example (a bill of half a year or less)', () => {
  assertRounded(evaluate('=TBILLEQ(DATE(2008,3,31),DATE(2008,6,1),0.0914)'), 0.094151, 6)
  assertClose(evaluate('=TBILLEQ(100,200,1)'), (365 * 1) / (360 - 100))
})

// A longer bill: the yield y is the semi-annual bond equivalent, P (1 + y/2) (1 + (x - 1/2) y)
// = 100, with P = 100 (1 - rate DSM / 360) and x = DSM / 365 (366 for a 366-day bill).
test('TBILLEQ: a bill of more than 182 days solves the bond equivalence', () => {
  const check = (settlement, maturity, rate, year) => {
    const y = evaluate(`=TBILLEQ(${settlement},${maturity},${rate})`)
    const dsm = maturity - settlement
    const price = 100 * (1 - (rate * dsm) / 360)
    const x = dsm / year
    assertClose(price * (1 + y / 2) * (1 + (x - 0.5) * y), 100, 1e-12)
  }
  check(2040, 2400, 0.8, 365)
  check(45332, 45650, 0.1, 365)
  check(14640, 15005, 0.5, 365) // 30 Jan 1940 + 365 days
  check(14640, 15006, 0.5, 366) // 30 Jan 1940 to 30 Jan 1941: 366 days, one calendar year
  check(2040, 2223, 0.8, 365)
})

test('TBILLEQ: more than a calendar year, a price of 0 or less, no discount: #NUM!', () => {
  assertError(evaluate('=TBILLEQ(1000,1366,0.5)'), '#NUM!') // 26 Sep 1902 to 27 Sep 1903
  assertError(evaluate('=TBILLEQ(45366,45732,0.5)'), '#NUM!')
  assertError(evaluate('=TBILLEQ(45332,45650,7)'), '#NUM!')
  assertError(evaluate('=TBILLEQ(45332,45650,0)'), '#NUM!')
  assertError(evaluate('=TBILLEQ(45650,45332,0.5)'), '#NUM!')
})

// Microsoft's YEARFRAC page: 1 January 2012 to 30 July 2012 on bases 0, 1 and 3.
test('YEARFRAC: documented examples', () => {
  assertRounded(evaluate('=YEARFRAC(DATE(2012,1,1),DATE(2012,7,30))'), 0.58055556, 8)
  assertRounded(evaluate('=YEARFRAC(DATE(2012,1,1),DATE(2012,7,30),1)'), 0.57650273, 8)
  assertRounded(evaluate('=YEARFRAC(DATE(2012,1,1),DATE(2012,7,30),3)'), 0.57808219, 8)
})

test('YEARFRAC: basis truncated, dates swapped, actual/actual over several years', () => {
  assertClose(evaluate('=YEARFRAC(1,345,2.9)'), 344 / 360)
  assertClose(evaluate('=YEARFRAC(345,1,2)'), 344 / 360)
  // 1900 to 1905: the average of 365 (1900 in the real calendar), 365, 365, 365, 366, 365
  assertClose(evaluate('=YEARFRAC(1987,345,1)'), 1642 / (2191 / 6))
  // 2019 to 2021: (365 + 366 + 365) / 3
  assertClose(evaluate('=YEARFRAC(DATE(2019,3,1),DATE(2021,3,1),1)'), 731 / (1096 / 3))
  assertError(evaluate('=YEARFRAC(1,345,5)'), '#NUM!')
  assertError(evaluate('=YEARFRAC(-1,345)'), '#NUM!')
  assertError(evaluate('=YEARFRAC("x",345)'), '#VALUE!')
})
