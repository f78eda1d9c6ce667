'use strict'
// Numbers as text with Excel's 15 significant digits wherever HyperFormula turns a number into
// text (`=A1&""`, CONCATENATE, LEN(A1)), complex numbers likewise, and the empty string not
// read as the number 0. The digits are functions/number_text.js's.
const { arithmetic, isExtendedNumber, getRawValue } = require('../internals')
const { numberText, complexText } = require('../functions/number_text')

function install () {
  const original = arithmetic.coerceScalarToString
  if (original.excelText) return
  arithmetic.coerceScalarToString = function (arg) {
    return isExtendedNumber(arg) ? numberText(getRawValue(arg)) : original(arg)
  }
  arithmetic.coerceScalarToString.excelText = true
  // And the other way: the empty string is not a number (=""+1 and FLOOR.MATH(10,"") are
  // #VALUE! in Excel); HyperFormula reads it as 0. Empty cells still count as 0.
  const toNumber = arithmetic.ArithmeticHelper.prototype.coerceNonDateScalarToMaybeNumber
  arithmetic.ArithmeticHelper.prototype.coerceNonDateScalarToMaybeNumber = function (arg) {
    return arg === '' ? undefined : toNumber.call(this, arg)
  }
  // Text with spaces around it is a number (" 12 "+0 is 12) but never a date in Excel
  // (" 2024-01-10 "+0 is #VALUE!).
  const toMaybeNumber = arithmetic.ArithmeticHelper.prototype.coerceToMaybeNumber
  arithmetic.ArithmeticHelper.prototype.coerceToMaybeNumber = function (arg) {
    if (typeof arg === 'string' && arg !== arg.trim()) return this.coerceNonDateScalarToMaybeNumber(arg)
    return toMaybeNumber.call(this, arg)
  }
  // Complex numbers as text (COMPLEX, IMSUM...): the same 15 digits for each part.
  const originalComplex = arithmetic.coerceComplexToString
  arithmetic.coerceComplexToString = function ([re, im], symbol) {
    if (!Number.isFinite(re) || !Number.isFinite(im)) return originalComplex([re, im], symbol)
    return complexText(re, im, symbol || 'i')
  }
}

module.exports = { install }
