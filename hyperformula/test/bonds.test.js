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
