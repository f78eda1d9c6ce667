'use strict'
// Settings measured to match Excel (see README, "Engine settings").
const CONFIG = {
  licenseKey: 'gpl-v3',
  maxRows: 1048576,
  maxColumns: 16384,
  leapYear1900: true,
  nullDate: { year: 1899, month: 12, day: 31 },
  // Off: plain cells use Excel's implicit intersection, and array formulas arrive wrapped in
  // ARRAYFORMULA(...) (see plugins/legacy_arrays.js).
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
}

module.exports = { CONFIG }
