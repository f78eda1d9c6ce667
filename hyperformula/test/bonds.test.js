'use strict'
const test = require('node:test')
const assert = require('node:assert')
const { evaluate, assertRounded, assertClose, assertError, serial } = require('./helpers')

// Microsoft's COUP* pages: settlement 25-Jan-11, maturity 15-Nov-11,
// semiannual, actual/actual.
const terms = 'DATE(2011,1,25),DATE(2011,11,15),2,1'

test('COUP* functions: documented examples', () => {
  assert.strictEqual(evaluate(`=COUPDAYBS(${terms})`), 71)
  assert.strictEqual(evaluate(`=COUPDAYS(${terms})`), 181)
  assert.strictEqual(evaluate(`=COUPDAYSNC(${terms})`), 110)
  assert.strictEqual(evaluate(`=COUPNCD(${terms})`), serial(2011, 5, 15))
  assert.strictEqual(evaluate(`=COUPPCD(${terms})`), serial(2010, 11, 15))
  assert.strictEqual(evaluate('=COUPNUM(DATE(2007,1,25),DATE(2008,11,15),2,1)'), 4)
})

test('COUP* day-count bases and end-of-month coupons', () => {
  // 30/360: 15 Nov to 25 Jan is 70 days; periods are 180 days
  assert.strictEqual(evaluate('=COUPDAYBS(DATE(2011,1,25),DATE(2011,11,15),2,0)'), 70)
  assert.strictEqual(evaluate('=COUPDAYS(DATE(2011,1,25),DATE(2011,11,15),2,0)'), 180)
  assert.strictEqual(evaluate('=COUPDAYS(DATE(2011,1,25),DATE(2011,11,15),2,3)'), 182.5)
  // maturity on 30 Jun (a month end): coupons on 31 Dec
  assert.strictEqual(evaluate('=COUPPCD(DATE(2024,2,1),DATE(2030,6,30),2,1)'), serial(2023, 12, 31))
  // maturity on 31 Aug: the February coupon is the 29th in a leap year
  assert.strictEqual(evaluate('=COUPNCD(DATE(2024,1,10),DATE(2030,8,31),2,1)'), serial(2024, 2, 29))
})

test('COUP* errors', () => {
  assertError(evaluate('=COUPNUM(DATE(2012,1,1),DATE(2011,1,1),2,1)'), '#NUM!')
  assertError(evaluate('=COUPNUM(DATE(2011,1,1),DATE(2012,1,1),3,1)'), '#NUM!')
  assertError(evaluate('=COUPNUM(DATE(2011,1,1),DATE(2012,1,1),2,5)'), '#NUM!')
})

// Microsoft's PRICE page: 94.63436162.
test('PRICE: documented example', () => {
  assertRounded(evaluate('=PRICE(DATE(2008,2,15),DATE(2017,11,15),0.0575,0.065,100,2,0)'), 94.63436162, 8)
})

test('PRICE of a bond whose coupon equals its yield, on a coupon date, is par', () => {
  assertClose(evaluate('=PRICE(DATE(2020,1,15),DATE(2025,1,15),0.05,0.05,100,2,0)'), 100)
})

// Microsoft's YIELD page: 0.065 (6.5%).
test('YIELD: documented example', () => {
  assertRounded(evaluate('=YIELD(DATE(2008,2,15),DATE(2016,11,15),0.0575,95.04287,100,2,0)'), 0.065, 6)
})

test('YIELD inverts PRICE', () => {
  assertClose(evaluate('=YIELD(DATE(2008,2,15),DATE(2017,11,15),0.0575,PRICE(DATE(2008,2,15),DATE(2017,11,15),0.0575,0.065,100,2,0),100,2,0)'), 0.065)
  // one coupon left: Excel's closed form
  assertClose(evaluate('=YIELD(DATE(2011,5,15),DATE(2011,11,15),0.06,PRICE(DATE(2011,5,15),DATE(2011,11,15),0.06,0.04,100,2,0),100,2,0)'), 0.04)
})

// Microsoft's DURATION (5.993775) and MDURATION (5.73567) pages.
test('DURATION and MDURATION: documented examples', () => {
  assertRounded(evaluate('=DURATION(DATE(2018,1,1),DATE(2026,1,1),0.08,0.09,2,1)'), 5.993775, 6)
  assertRounded(evaluate('=MDURATION(DATE(2008,1,1),DATE(2016,1,1),0.08,0.09,2,1)'), 5.73567, 5)
})

test('DURATION of a zero-coupon bond on a coupon date is its life', () => {
  assertClose(evaluate('=DURATION(DATE(2020,1,1),DATE(2025,1,1),0,0.05,1,1)'), 5)
})

// Microsoft's ACCRINT page: issue 1-Mar-08, first interest 31-Aug-08,
// settlement 1-May-08, 10%, par 1000, semiannual, 30/360.
test('ACCRINT: documented examples', () => {
  assertRounded(evaluate('=ACCRINT(DATE(2008,3,1),DATE(2008,8,31),DATE(2008,5,1),0.1,1000,2,0)'), 16.666667, 6)
  assertRounded(evaluate('=ACCRINT(DATE(2008,3,5),DATE(2008,8,31),DATE(2008,5,1),0.1,1000,2,0,FALSE)'), 15.555556, 6)
  assertRounded(evaluate('=ACCRINT(DATE(2008,4,5),DATE(2008,8,31),DATE(2008,5,1),0.1,1000,2,0,TRUE)'), 7.2222222, 7)
})

test('ACCRINT over several periods and with calc_method FALSE', () => {
  // one full year of a 10% bond on 1000, 30/360: 100
  assertClose(evaluate('=ACCRINT(DATE(2020,1,1),DATE(2020,7,1),DATE(2021,1,1),0.1,1000,2,0)'), 100)
  // from first interest (1 Jul) to settlement (1 Oct) only: a quarter year
  assertClose(evaluate('=ACCRINT(DATE(2020,1,1),DATE(2020,7,1),DATE(2020,10,1),0.1,1000,2,0,FALSE)'), 25)
  assertError(evaluate('=ACCRINT(DATE(2020,1,1),DATE(2020,7,1),DATE(2019,10,1),0.1,1000,2,0)'), '#NUM!')
})

// On a coupon date a bond is worth its whole-period cash flows on every
// basis: actual/360 must not discount by 365/360 of a period.
test('PRICE on a coupon date with actual/360 and actual/365 discounts whole periods', () => {
  const annuity = (coupon, y, n, redemption) => {
    let total = redemption / (1 + y) ** n
    for (let k = 1; k <= n; k++) total += coupon / (1 + y) ** k
    return total
  }
  assertClose(evaluate('=PRICE(DATE(2020,3,1),DATE(2030,3,1),0.04,0.05,155,1,2)'), annuity(4, 0.05, 10, 155))
  assertClose(evaluate('=PRICE(DATE(2020,3,1),DATE(2030,3,1),0.06,0.07,23,2,3)'), annuity(3, 0.035, 20, 23))
  assertClose(evaluate('=YIELD(DATE(2020,3,1),DATE(2030,3,1),0.04,PRICE(DATE(2020,3,1),DATE(2030,3,1),0.04,0.05,155,1,2),155,1,2)'), 0.05)
})

// Microsoft's ODDFPRICE page: 113.597717474079.
test('ODDFPRICE: documented example (short first period)', () => {
  assertClose(evaluate('=ODDFPRICE(DATE(2008,11,11),DATE(2021,3,1),DATE(2008,10,15),DATE(2009,3,1),0.0785,0.0625,100,2,1)'), 113.597717474079, 1e-12)
})

// Microsoft's ODDFYIELD page: 7.72%.
test('ODDFYIELD: documented example and inverse of ODDFPRICE', () => {
  assertRounded(evaluate('=ODDFYIELD(DATE(2008,11,11),DATE(2021,3,1),DATE(2008,10,15),DATE(2009,3,1),0.0575,84.5,100,2,0)'), 0.0772, 4)
  const price = 'ODDFPRICE(DATE(2020,3,1),DATE(2030,3,1),DATE(2020,1,15),DATE(2021,3,1),0.075,0.05,120,2,1)'
  assertClose(evaluate(`=ODDFYIELD(DATE(2020,3,1),DATE(2030,3,1),DATE(2020,1,15),DATE(2021,3,1),0.075,${price},120,2,1)`), 0.05)
})

// A long first period (issue 15 Jan 2020, first coupon 1 Mar 2021, annual)
// spans two quasi-coupon periods. With a zero yield the price is the plain
// sum of the cash flows less accrued interest: 120 + 7.5 x (9 regular
// coupons after the first + the odd first coupon's 1 + 46/366 periods)
// - 7.5 x 46/366 accrued, where the odd coupon counts 15 Jan-1 Mar 2020
// (46 of the 366 days of its quasi-period) and then a full year.
test('ODDFPRICE: long first period at a zero yield is the sum of the cash flows', () => {
  assertClose(evaluate('=ODDFPRICE(DATE(2020,3,1),DATE(2030,3,1),DATE(2020,1,15),DATE(2021,3,1),0.075,0,120,1,1)'),
    120 + 7.5 * (9 + 1 + 46 / 366) - 7.5 * 46 / 366)
})

test('ODDFPRICE and ODDFYIELD: Excel\'s date order and argument checks', () => {
  const dates = 'DATE(2020,3,1),DATE(2030,3,1),DATE(2020,1,15),DATE(2021,3,1)'
  assertError(evaluate(`=ODDFPRICE(${dates},0.075,0.05,120,1,5)`), '#NUM!') // basis 5
  assertError(evaluate(`=ODDFPRICE(${dates},0.075,0.05,120,3,1)`), '#NUM!') // frequency 3
  assertError(evaluate(`=ODDFPRICE(${dates},-0.01,0.05,120,1,1)`), '#NUM!')
  assertError(evaluate('=ODDFPRICE(DATE(2020,1,1),DATE(2030,3,1),DATE(2020,1,15),DATE(2021,3,1),0.075,0.05,120,1,1)'), '#NUM!') // settlement before issue
  assertError(evaluate('=ODDFPRICE(DATE(2020,3,1),DATE(2030,3,1),DATE(2020,1,15),DATE(2030,4,1),0.075,0.05,120,1,1)'), '#NUM!') // first coupon after maturity
  assertError(evaluate(`=ODDFYIELD(${dates},0.075,0,120,1,1)`), '#NUM!') // pr 0
})

// Microsoft's ODDLPRICE (99.8782860) and ODDLYIELD (4.52%) pages.
test('ODDLPRICE and ODDLYIELD: documented examples', () => {
  assertRounded(evaluate('=ODDLPRICE(DATE(2008,2,7),DATE(2008,6,15),DATE(2007,10,15),0.0375,0.0405,100,2,0)'), 99.878286, 6)
  assertRounded(evaluate('=ODDLYIELD(DATE(2008,4,20),DATE(2008,6,15),DATE(2007,12,24),0.0375,99.875,100,2,0)'), 0.045192, 6)
})

test('ODDLYIELD inverts ODDLPRICE; dates out of order are #NUM!', () => {
  const terms = 'DATE(2020,3,1),DATE(2030,3,1),DATE(2020,1,15),0.075'
  assertClose(evaluate(`=ODDLYIELD(${terms},ODDLPRICE(${terms},0.06,120,2,1),120,2,1)`), 0.06)
  // one quasi-period on 30/360 (European): 15 Jan-15 Jul holds settlement (1 Mar, 46 days in)
  // and maturity (1 May, 106 days in): (100 + 106/180 x 4) / (1 + 60/180 x 0.03) - 46/180 x 4
  assertClose(evaluate('=ODDLPRICE(DATE(2020,3,1),DATE(2020,5,1),DATE(2020,1,15),0.08,0.06,100,2,4)'),
    (100 + 106 / 180 * 4) / (1 + 60 / 180 * 0.03) - 46 / 180 * 4)
  assertError(evaluate('=ODDLPRICE(DATE(2020,1,1),DATE(2030,3,1),DATE(2020,1,15),0.075,0.06,120,2,1)'), '#NUM!')
  assertError(evaluate('=ODDLPRICE(DATE(2030,3,1),DATE(2030,3,1),DATE(2020,1,15),0.075,0.06,120,2,1)'), '#NUM!')
})
