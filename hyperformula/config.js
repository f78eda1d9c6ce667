'use strict'
// Settings measured to match Excel (see README, "Engine settings").
const CONFIG = {
  licenseKey: 'gpl-v3',
  maxRows: 1048576,
  maxColumns: 16384,
  leapYear1900: true,
  nullDate: { year: 1899, month: 12, day: 31 },
  // Off: plain cells use Excel's implicit intersection, and array formulas arrive wrapped in
  // ARRAYFORMULA(...) (see patches/legacy_arrays.js).
  useArrayArithmetic: false,
  evaluateNullToZero: true,
  smartRounding: false,
  precisionEpsilon: 0,
  precisionRounding: 15,
  caseSensitive: false,
  accentSensitive: true,
  useWildcards: true,
  useRegularExpressions: false,
  matchWholeCell: true,
  functionArgSeparator: ',',
  decimalSeparator: '.',
  // Text read as a date where a number is wanted (="2024-01-10"+0). Excel reads it in the
  // user's locale, which the file does not record: HyperFormula's day/month/year (the
  // corpus's text dates, "26/08/1987", are written so), plus ISO dates, which Excel reads in
  // every locale.
  dateFormats: ['DD/MM/YYYY', 'DD/MM/YY', 'YYYY-MM-DD', 'YYYY/MM/DD'],
}

module.exports = { CONFIG }
