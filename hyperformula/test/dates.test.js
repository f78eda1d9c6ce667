'use strict'
const test = require('node:test')
const assert = require('node:assert')
const { evaluate, assertError, serial } = require('./helpers')

// Microsoft's EDATE page: start 15-Jan-11, months 1, -1, 2.
test('EDATE: documented examples', () => {
  assert.strictEqual(evaluate('=EDATE(DATE(2011,1,15),1)'), serial(2011, 2, 15))
  assert.strictEqual(evaluate('=EDATE(DATE(2011,1,15),-1)'), serial(2010, 12, 15))
  assert.strictEqual(evaluate('=EDATE(DATE(2011,1,15),2)'), serial(2011, 3, 15))
})

test('EDATE clamps to the end of the month, leap years included', () => {
  assert.strictEqual(evaluate('=EDATE(DATE(2024,1,31),1)'), serial(2024, 2, 29))
  assert.strictEqual(evaluate('=EDATE(DATE(2023,1,31),1)'), serial(2023, 2, 28))
  assert.strictEqual(evaluate('=EDATE(DATE(2024,3,31),-1)'), serial(2024, 2, 29))
  assert.strictEqual(evaluate('=EDATE(DATE(2024,2,29),12)'), serial(2025, 2, 28))
  assert.strictEqual(evaluate('=EDATE(DATE(2023,8,31),-18)'), serial(2022, 2, 28))
})

test('EDATE truncates the months and the start date', () => {
  assert.strictEqual(evaluate('=EDATE(DATE(2024,1,31),1.9)'), serial(2024, 2, 29))
  assert.strictEqual(evaluate('=EDATE(DATE(2024,1,31),-0.9)'), serial(2024, 1, 31))
  assert.strictEqual(evaluate('=EDATE(DATE(2024,1,31)+0.75,1)'), serial(2024, 2, 29))
})

test('EDATE errors', () => {
  assertError(evaluate('=EDATE(-1,1)'), '#NUM!')
  assertError(evaluate('=EDATE(DATE(1900,1,1),-1)'), '#NUM!')
  assertError(evaluate('=EDATE("abc",1)'), '#VALUE!')
})

// Serial 0 is Excel's "0 January 1900"; 2958465 is 31 Dec 9999, the last date.
test('DAY, MONTH, YEAR at the ends of the calendar', () => {
  assert.strictEqual(evaluate('=YEAR(0)'), 1900)
  assert.strictEqual(evaluate('=MONTH(0)'), 1)
  assert.strictEqual(evaluate('=DAY(0)'), 0)
  assert.strictEqual(evaluate('=DAY(60)'), 29) // the fictitious 29 Feb 1900
  assert.strictEqual(evaluate('=MONTH(61)'), 3)
  assert.strictEqual(evaluate('=YEAR(2958465)'), 9999)
  assertError(evaluate('=YEAR(2958466)'), '#NUM!')
  assertError(evaluate('=MONTH(-1)'), '#NUM!')
  assert.strictEqual(evaluate('=DAY(45000.9)'), 15) // 15 Mar 2023: the time of day is dropped
  assert.strictEqual(evaluate('=YEAR("2024-03-05")'), 2024)
})

// Microsoft's DAYS360 page: 30 Jan 2011 to 31 Dec 2011 is 330 days (US method), and the
// method's rules: a start on the 31st or on the last day of February becomes the 30th; an end
// on the 31st becomes the 30th when the start is the 30th, else the 1st of the next month.
test('DAYS360: documented example and the US method rules', () => {
  assert.strictEqual(evaluate('=DAYS360(DATE(2011,1,30),DATE(2011,12,31))'), 330)
  assert.strictEqual(evaluate('=DAYS360(DATE(2011,2,28),DATE(2011,3,31))'), 30)
  assert.strictEqual(evaluate('=DAYS360(DATE(2012,2,29),DATE(2012,3,31))'), 30)
  assert.strictEqual(evaluate('=DAYS360(DATE(2012,2,28),DATE(2012,3,31))'), 33) // not February's last day
  assert.strictEqual(evaluate('=DAYS360(DATE(2011,1,15),DATE(2011,3,31))'), 76) // 31 Mar counts as 1 Apr
  assert.strictEqual(evaluate('=DAYS360(DATE(2011,1,15),DATE(2011,3,31),TRUE)'), 75) // European: the 30th
})

test('DAYS360: a start after the end is the days from end to start, negated (both methods)', () => {
  assert.strictEqual(evaluate('=DAYS360(DATE(2011,12,31),DATE(2011,1,30))'), -330)
  assert.strictEqual(evaluate('=DAYS360(DATE(2011,3,31),DATE(2011,2,28))'), -30)
  assert.strictEqual(evaluate('=DAYS360(DATE(2011,3,31),DATE(2011,1,15))'), -76)
  assert.strictEqual(evaluate('=DAYS360(DATE(2011,3,31),DATE(2011,1,15),TRUE)'), -75)
  assert.strictEqual(evaluate('=DAYS360(DATE(2011,3,31),DATE(2011,2,28),TRUE)'), -32)
  assert.strictEqual(evaluate('=DAYS360(DATE(2011,3,31)+0.9,DATE(2011,2,28)+0.2)'), -30) // truncated
})

// Microsoft's EOMONTH page: one month after 1 Jan 2011 ends on 28 Feb 2011; three before, on
// 31 Oct 2010; months that are not whole are truncated.
test('EOMONTH: documented examples; fractional months and start truncated', () => {
  assert.strictEqual(evaluate('=EOMONTH(DATE(2011,1,1),1)'), serial(2011, 2, 28))
  assert.strictEqual(evaluate('=EOMONTH(DATE(2011,1,1),-3)'), serial(2010, 10, 31))
  assert.strictEqual(evaluate('=EOMONTH(DATE(2023,3,15)+0.9,1.9)'), serial(2023, 4, 30))
  assert.strictEqual(evaluate('=EOMONTH(DATE(2024,1,31),1)'), serial(2024, 2, 29))
  assertError(evaluate('=EOMONTH(-1,0)'), '#NUM!')
  assertError(evaluate('=EOMONTH(DATE(9999,12,1),1)'), '#NUM!')
})

// Microsoft's DATEVALUE page reads "22-MAY-2011" and "2011/02/23"; a month's name in other
// common orders is read too ("June 9, 1969" is a cell of SheetJS's formula stress test).
test('DATEVALUE: month names in every common order; the time is ignored', () => {
  assert.strictEqual(evaluate('=DATEVALUE("22-MAY-2011")'), serial(2011, 5, 22))
  assert.strictEqual(evaluate('=DATEVALUE("2011/02/23")'), serial(2011, 2, 23))
  assert.strictEqual(evaluate('=DATEVALUE("June 9, 1969")'), serial(1969, 6, 9))
  assert.strictEqual(evaluate('=DATEVALUE("Jun 9 1969")'), serial(1969, 6, 9))
  assert.strictEqual(evaluate('=DATEVALUE("9 June 1969")'), serial(1969, 6, 9))
  assert.strictEqual(evaluate('=DATEVALUE("June 1969")'), serial(1969, 6, 1))
  assert.strictEqual(evaluate('=DATEVALUE("June 9, 1969 10:30 AM")'), serial(1969, 6, 9))
  assert.strictEqual(evaluate('=DATEVALUE("2024-01-31 10:00")'), serial(2024, 1, 31))
  assertError(evaluate('=DATEVALUE("Feb 30, 2020")'), '#VALUE!')
  assertError(evaluate('=DATEVALUE("abc")'), '#VALUE!')
})

// Microsoft's DATEDIF page: 1/1/2001 to 1/1/2003 is 2 years; 6/1/2001 to 8/15/2002 is 440 days,
// 75 days ignoring years ("YD") and 14 days ignoring months and years ("MD").
test('DATEDIF: documented examples', () => {
  assert.strictEqual(evaluate('=DATEDIF(DATE(2001,1,1),DATE(2003,1,1),"Y")'), 2)
  assert.strictEqual(evaluate('=DATEDIF(DATE(2001,6,1),DATE(2002,8,15),"D")'), 440)
  assert.strictEqual(evaluate('=DATEDIF(DATE(2001,6,1),DATE(2002,8,15),"YD")'), 75)
  assert.strictEqual(evaluate('=DATEDIF(DATE(2001,6,1),DATE(2002,8,15),"MD")'), 14)
})

test('DATEDIF reads the unit in any case', () => {
  for (const [unit, expected] of [['y', 1], ['m', 14], ['d', 440], ['md', 14], ['ym', 2], ['yd', 75]]) {
    assert.strictEqual(evaluate(`=DATEDIF(DATE(2001,6,1),DATE(2002,8,15),"${unit}")`), expected, unit)
    assert.strictEqual(evaluate(`=DATEDIF(DATE(2001,6,1),DATE(2002,8,15),"${unit.toUpperCase()}")`), expected, unit)
  }
  assert.strictEqual(evaluate('=ROUNDUP((DATEDIF(DATE(2024,1,1),DATE(2024,12,31),"d")+1)/365,0)'), 2)
})

test('DATEDIF counts whole months and years: a day short is one fewer', () => {
  assert.strictEqual(evaluate('=DATEDIF(DATE(2024,1,31),DATE(2024,2,29),"m")'), 0)
  assert.strictEqual(evaluate('=DATEDIF(DATE(2024,1,31),DATE(2024,3,31),"m")'), 2)
  assert.strictEqual(evaluate('=DATEDIF(DATE(2024,2,29),DATE(2025,2,28),"y")'), 0)
  assert.strictEqual(evaluate('=DATEDIF(DATE(2024,2,29),DATE(2025,3,1),"y")'), 1)
  assert.strictEqual(evaluate('=DATEDIF(DATE(2020,11,20),DATE(2024,2,10),"ym")'), 2)
  assert.strictEqual(evaluate('=DATEDIF(DATE(2020,11,20),DATE(2024,2,10),"yd")'), 82) // 20 Nov 2023 to 10 Feb 2024
  assert.strictEqual(evaluate('=DATEDIF(DATE(2020,11,20),DATE(2024,2,10),"md")'), 21) // 20 Jan to 10 Feb
  // "YD" moves the end into the start's year: from 8 Jan 1900 to 9 Jun (1905) counts Excel's
  // 29 Feb 1900: 23 + 29 + 31 + 30 + 31 + 9 days.
  assert.strictEqual(evaluate('=DATEDIF(8,DATE(1905,6,9),"yd")'), 23 + 29 + 31 + 30 + 31 + 9)
  assert.strictEqual(evaluate('=DATEDIF(DATE(2023,1,15),DATE(2024,3,1),"yd")'), 16 + 28 + 1) // 15 Jan to 1 Mar 2023, not 2024
  // "MD" borrows through DATE's overflow: 1 Mar 2015 - DATE(2015,2,31) (3 Mar) = -2.
  assert.strictEqual(evaluate('=DATEDIF(DATE(2015,1,31),DATE(2015,3,1),"md")'), -2)
})

test('DATEDIF truncates times, accepts start = end, text dates and booleans', () => {
  assert.strictEqual(evaluate('=DATEDIF(DATE(2024,3,5)+0.75,DATE(2024,3,5)+0.25,"d")'), 0)
  assert.strictEqual(evaluate('=DATEDIF(DATE(2024,3,5)+0.75,DATE(2024,3,6)+0.25,"d")'), 1)
  assert.strictEqual(evaluate('=DATEDIF(A1,A1,"m")', [[45000]]), 0)
  assert.strictEqual(evaluate('=DATEDIF("2024-01-31","2024-03-01","m")'), 1)
  assert.strictEqual(evaluate('=DATEDIF("2024-01-31","2024-03-01","d")'), 30)
  assert.strictEqual(evaluate('=DATEDIF(TRUE,10,"d")'), 9)
  assert.strictEqual(evaluate('=DATEDIF(A1:A1,A2:A2,"d")', [[45000.5], [45100.25]]), 100)
})

test('DATEDIF errors', () => {
  assertError(evaluate('=DATEDIF(DATE(2024,3,6),DATE(2024,3,5),"d")'), '#NUM!')
  assertError(evaluate('=DATEDIF(-1,5,"d")'), '#NUM!')
  assertError(evaluate('=DATEDIF(1,5,"w")'), '#NUM!')
  assertError(evaluate('=DATEDIF(1,5,"d ")'), '#NUM!')
  assertError(evaluate('=DATEDIF("abc",5,"d")'), '#VALUE!')
  assertError(evaluate('=DATEDIF(1/0,5,"d")'), '#DIV/0!')
})
