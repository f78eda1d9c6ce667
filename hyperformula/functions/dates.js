'use strict'
// Date functions. EDATE replaces HyperFormula's, which clamps to the
// non-leap month length and so never lands on 29 February. DAY, MONTH and YEAR
// replace HyperFormula's for the ends of Excel's calendar: serial 0 is 0 Jan 1900
// (YEAR 1900, MONTH 1, DAY 0), and serials past 31 Dec 9999 are #NUM!.
// EOMONTH replaces HyperFormula's, which refused a fractional months: Excel truncates both
// arguments (https://support.microsoft.com/office/eomonth-function-7314ffa1-2bc9-4005-9d66-f49db127d628).
// DATEVALUE replaces HyperFormula's to read the dates Excel reads with a month's name as
// well: "June 9, 1969", "9-Jun-1969", "Jun 9 1969", "9 June 1969", "June 1969" (the 1st)
// (https://support.microsoft.com/office/datevalue-function-df8b07d4-7761-4a93-bc33-b7471bbff252);
// numeric forms are read as before (config.js dateFormats); a time after the date is ignored.
// Not covered: a text without a year (Excel takes the current year); two-digit years follow
// Excel's 1930 cut-off.
// DAYS360 (https://support.microsoft.com/office/days360-function-b9a509fd-49ef-407e-94df-0cbda5718c2a)
// replaces HyperFormula's: the US method moves a start on the last day of February to the
// 30th, and an end on the 31st to the 30th only when the start is then the 30th (else it
// counts as the 1st of the next month); a start after the end counts the days from the end
// to the start, negated, so DAYS360(31 Mar, 28 Feb) is -30, not -32. The European method
// moves every 31st to the 30th. Not covered: dates before 1 Mar 1900 (Excel's fictitious
// 29 Feb 1900 counts as the last day of February).
// DATEDIF (https://support.microsoft.com/office/datedif-function-25dba1a4-2812-480b-84dd-8b32a451b35c)
// replaces HyperFormula's, which read the unit in upper case only ("d" was #NUM!) and refused a
// start with a time after the end's on the same day. Both dates are truncated to whole days; a
// start after the end, a negative date and any other unit are #NUM!. "MD" and "YD" borrow as
// Excel does, through DATE's overflow: DATEDIF(31-Jan, 1-Mar, "md") is 1-Mar minus DATE(y, 2,
// 31) = -2, the negative result Microsoft warns of; "YD" moves the end into the start's year,
// so a start in 1900 counts Excel's fictitious 29 Feb 1900 (DATEDIF(8, 1987, "yd") is 153).
const { FunctionPlugin, FunctionArgumentType: T } = require('hyperformula')
const { error, translationsFor, serialToDate, dateToSerial, addMonths, isLeapYear, daysInMonth, MAX_SERIAL } = require('./common')

class DateFunctions extends FunctionPlugin {
  edate (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('EDATE'), (start, months) => {
      // Excel truncates both: EDATE(DATE(2024,1,31)+0.7, 1.9) = 2024-02-29
      const from = Math.trunc(start)
      if (from < 0 || from > MAX_SERIAL) return error('NUM', 'Date out of range')
      const result = dateToSerial(addMonths(serialToDate(from), Math.trunc(months)))
      if (result < 0 || result > MAX_SERIAL) return error('NUM', 'Date out of range')
      return result
    })
  }

  eomonth (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('EOMONTH'), (start, months) => {
      const from = Math.trunc(start)
      if (from < 0 || from > MAX_SERIAL) return error('NUM', 'Date out of range')
      const result = dateToSerial(addMonths(serialToDate(from), Math.trunc(months), true))
      if (result < 0 || result > MAX_SERIAL) return error('NUM', 'Date out of range')
      return result
    })
  }

  day (ast, state) {
    return this.datePart(ast, state, 'DAY', (d) => d.day)
  }

  month (ast, state) {
    return this.datePart(ast, state, 'MONTH', (d) => d.month)
  }

  year (ast, state) {
    return this.datePart(ast, state, 'YEAR', (d) => d.year)
  }

  days360 (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('DAYS360'), (start, end, european) => {
      let from = Math.trunc(start)
      let to = Math.trunc(end)
      if (from < 0 || to < 0 || from > MAX_SERIAL || to > MAX_SERIAL) return error('NUM', 'Date out of range')
      const sign = from > to ? -1 : 1
      if (sign < 0) [from, to] = [to, from]
      return sign * days360(serialToDate(from), serialToDate(to), european)
    })
  }

  datedif (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('DATEDIF'), (start, end, unit) => {
      const from = Math.trunc(start)
      const to = Math.trunc(end)
      if (from < 0 || to < 0 || from > MAX_SERIAL || to > MAX_SERIAL) return error('NUM', 'Date out of range')
      if (from > to) return error('NUM', 'DATEDIF: the start is after the end')
      const result = datedif(serialToDate(from), serialToDate(to), from, to, unit.toUpperCase())
      return result === undefined ? error('NUM', `DATEDIF: unknown unit "${unit}"`) : result
    })
  }

  datevalue (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('DATEVALUE'), (text) => {
      const named = namedMonthDate(text)
      if (named !== undefined) return named
      const n = this.dateTimeHelper.dateStringToDateNumber(text)
      if (n === undefined) return error('VALUE', `DATEVALUE: "${text}" is not a date`)
      const serial = Math.floor(typeof n === 'number' ? n : n.val ?? Number(n))
      return Number.isFinite(serial) ? serial : error('VALUE', `DATEVALUE: "${text}" is not a date`)
    })
  }

  datePart (ast, state, name, part) {
    return this.runFunction(ast.args, state, this.metadata(name), (serial) => {
      const n = Math.trunc(serial)
      if (n < 0 || n > MAX_SERIAL) return error('NUM', 'Date out of range')
      return part(serialToDate(n))
    })
  }
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

function monthNumber (word) {
  const w = word.toLowerCase()
  const i = MONTHS.indexOf(w.slice(0, 3))
  const full = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']
  if (i === -1 || !(w.length === 3 || full[i] === w || (w === 'sept'))) return undefined
  return i + 1
}

function fullYear (y) {
  const n = Number(y)
  if (y.length <= 2) return n < 30 ? 2000 + n : 1900 + n
  return n
}

// "June 9, 1969" and friends as a serial; undefined when the text is not of those shapes.
function namedMonthDate (text) {
  const t = text.trim().replace(/\s+(\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s*[AaPp][Mm])?)$/, '')
  let m = /^([A-Za-z]+)\.?[\s-]+(\d{1,2})(?:st|nd|rd|th)?,?[\s-]+(\d{2}|\d{4})$/.exec(t)
  let year, month, day
  if (m) [month, day, year] = [monthNumber(m[1]), Number(m[2]), fullYear(m[3])]
  else if ((m = /^(\d{1,2})[\s-]+([A-Za-z]+)\.?,?[\s-]+(\d{2}|\d{4})$/.exec(t))) [day, month, year] = [Number(m[1]), monthNumber(m[2]), fullYear(m[3])]
  else if ((m = /^([A-Za-z]+)\.?[\s-]+(\d{4})$/.exec(t))) [day, month, year] = [1, monthNumber(m[1]), Number(m[2])]
  else return undefined
  if (!month || year < 1900 || year > 9999 || day < 1 || day > daysInMonth(year, month)) return undefined
  return dateToSerial({ year, month, day })
}

// DATEDIF of two dates a <= b (their serials from and to) in `unit`; undefined for no unit.
function datedif (a, b, from, to, unit) {
  const months = (b.year - a.year) * 12 + b.month - a.month - (b.day < a.day ? 1 : 0)
  switch (unit) {
    case 'D': return to - from
    case 'M': return months
    case 'Y': return Math.floor(months / 12)
    case 'YM': return months % 12
    case 'MD': return to - dateToSerial({ year: b.year, month: b.month - (b.day < a.day ? 1 : 0), day: a.day })
    case 'YD': { // the end moved into the start's year (the next one if that falls before it)
      const before = b.month < a.month || (b.month === a.month && b.day < a.day)
      return dateToSerial({ year: a.year + (before ? 1 : 0), month: b.month, day: b.day }) - from
    }
    default: return undefined
  }
}

function days360 (a, b, european) {
  let d1 = a.day
  let d2 = b.day
  if (european) {
    d1 = Math.min(d1, 30)
    d2 = Math.min(d2, 30)
  } else {
    if (d1 === 31) d1 = 30
    else if (a.month === 2 && (d1 === 29 || (d1 === 28 && !isLeapYear(a.year)))) d1 = 30
    if (d2 === 31 && d1 === 30) d2 = 30
  }
  return (b.year - a.year) * 360 + (b.month - a.month) * 30 + d2 - d1
}

DateFunctions.implementedFunctions = {
  EDATE: {
    method: 'edate',
    parameters: [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER }],
    returnNumberType: 'NUMBER_DATE',
  },
  DATEVALUE: { method: 'datevalue', parameters: [{ argumentType: T.STRING }] },
  EOMONTH: {
    method: 'eomonth',
    parameters: [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER }],
    returnNumberType: 'NUMBER_DATE',
  },
  DAYS360: {
    method: 'days360',
    parameters: [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER }, { argumentType: T.BOOLEAN, defaultValue: false }],
  },
  DATEDIF: {
    method: 'datedif',
    parameters: [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER }, { argumentType: T.STRING }],
  },
  DAY: { method: 'day', parameters: [{ argumentType: T.NUMBER }] },
  MONTH: { method: 'month', parameters: [{ argumentType: T.NUMBER }] },
  YEAR: { method: 'year', parameters: [{ argumentType: T.NUMBER }] },
}

module.exports = [{ plugin: DateFunctions, translations: translationsFor(DateFunctions) }]
