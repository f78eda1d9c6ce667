'use strict'
// Small helpers shared by the plugin modules. Not a plugin itself, so it is
// not listed in index.js.
const { CellError, ErrorType, EmptyValue, SimpleRangeValue } = require('hyperformula')

function error (type, message) {
  return new CellError(ErrorType[type], message)
}

// The translations object registerFunctionPlugin expects: every function the
// plugin implements (and its aliases) keeps its English name.
function translationsFor (plugin) {
  const names = [...Object.keys(plugin.implementedFunctions), ...Object.keys(plugin.aliases || {})]
  const map = Object.fromEntries(names.map((name) => [name, name]))
  return { enGB: map, enUS: map }
}

// Range cells hold plain numbers or "rich" numbers (dates, percents, ...)
// that carry the number in `.val`; the class is not exported, so duck-type it.
function isNumber (value) {
  return typeof value === 'number' || (value !== null && typeof value === 'object' &&
    !(value instanceof CellError) && typeof value.val === 'number')
}

function rawNumber (value) {
  return typeof value === 'number' ? value : value.val
}

function isEmpty (value) {
  return value === EmptyValue || value === null || value === undefined
}

// Cells of a range argument (or of a scalar) in reading order.
function cellsOf (value) {
  if (value && typeof value.valuesFromTopLeftCorner === 'function') return value.valuesFromTopLeftCorner()
  return [value]
}

// Numbers of a range the way SUM sees them: text, booleans and blanks in the
// range are skipped. Returns the first error met instead, unless told to skip
// errors too.
function numbersOf (value, options) {
  return numbersIn(cellsOf(value), options)
}

// The same for a list of cell values.
function numbersIn (cells, { skipErrors = false } = {}) {
  const out = []
  for (const cell of cells) {
    if (cell instanceof CellError) {
      if (!skipErrors) return cell
    } else if (isNumber(cell)) {
      out.push(rawNumber(cell))
    }
  }
  return out
}

// ---- Dates in Excel's 1900 system (CONFIG uses it: nullDate 1899-12-31 and
// the fictitious 29 Feb 1900 as serial 60). Pure functions so the number
// formatter and the bond maths can share them.
const DAY_MS = 86400000
const BASE_MS = Date.UTC(1899, 11, 31)

function isLeapYear (year) {
  if (year === 1900) return true // Lotus 1-2-3 compatibility, as Excel does
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

function daysInMonth (year, month) {
  if (month === 2) return isLeapYear(year) ? 29 : 28
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
}

function serialToDate (serial) {
  const n = Math.floor(serial)
  if (n === 60) return { year: 1900, month: 2, day: 29 }
  if (n === 0) return { year: 1900, month: 1, day: 0 }
  const d = new Date(BASE_MS + (n < 60 ? n : n - 1) * DAY_MS)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

function dateToSerial ({ year, month, day }) {
  if (year === 1900 && month === 2 && day === 29) return 60
  const n = Math.round((Date.UTC(year, month - 1, day) - BASE_MS) / DAY_MS)
  return n >= 60 ? n + 1 : n
}

// Shift a date by whole months keeping its day, clamped to the target
// month's length; `endOfMonth` pins the result to the month's last day.
function addMonths ({ year, month, day }, months, endOfMonth = false) {
  const total = year * 12 + (month - 1) + months
  const y = Math.floor(total / 12)
  const m = total - y * 12 + 1
  const last = daysInMonth(y, m)
  return { year: y, month: m, day: endOfMonth ? last : Math.min(day, last) }
}

function isLastDayOfMonth ({ year, month, day }) {
  return day === daysInMonth(year, month)
}

// ---- Small statistics shared by the aggregating plugins (database, GROUPBY, stats).
function mean (values) {
  return values.reduce((a, b) => a + b, 0) / values.length
}

// Sample (`sample` true: n - 1) or population variance; #DIV/0! without enough numbers.
function variance (values, sample) {
  const n = values.length
  if (n < (sample ? 2 : 1)) return error('DIV_BY_ZERO', 'Not enough numbers')
  const m = mean(values)
  return values.reduce((a, x) => a + (x - m) * (x - m), 0) / (sample ? n - 1 : n)
}

// MODE.SNGL: the most frequent value, the first to reach that count on a tie; #N/A when none
// repeats.
function mode (values) {
  const counts = new Map()
  let best = null
  for (const v of values) {
    const c = (counts.get(v) || 0) + 1
    counts.set(v, c)
    if (c > 1 && (best === null || c > counts.get(best))) best = v
  }
  return best === null ? error('NA', 'No value repeats') : best
}

function sqrtOf (value) {
  return value instanceof CellError ? value : Math.sqrt(value)
}

// The rows of a range or array argument; a scalar is one row of one value.
function rowsOf (value) {
  return value instanceof SimpleRangeValue ? value.data : [[value]]
}

// Whole columns (A:A) and whole rows (1:1) reach a function cut to the sheet's used area, but
// Excel's range runs to the grid's edge (config maxRows x maxColumns): the number of cells past
// the used area, all blank. 0 for any other argument.
function blankCellsBeyond (value, config) {
  if (!(value instanceof SimpleRangeValue) || !value.range) return 0
  const r = value.range
  const held = value.width() * value.height()
  if (r.end.row === Infinity) return Math.max(0, (r.end.col - r.start.col + 1) * config.maxRows - held)
  if (r.end.col === Infinity) return Math.max(0, (r.end.row - r.start.row + 1) * config.maxColumns - held)
  return 0
}

// Excel's largest date, 31 Dec 9999.
const MAX_SERIAL = 2958465

module.exports = {
  error,
  translationsFor,
  isNumber,
  rawNumber,
  isEmpty,
  cellsOf,
  numbersOf,
  numbersIn,
  isLeapYear,
  daysInMonth,
  serialToDate,
  dateToSerial,
  addMonths,
  isLastDayOfMonth,
  MAX_SERIAL,
  mean,
  variance,
  mode,
  sqrtOf,
  rowsOf,
  blankCellsBeyond,
}
