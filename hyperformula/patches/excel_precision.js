'use strict'
// Excel's 15 significant digits where HyperFormula works with all 17 (config.js sets
// precisionEpsilon to 0, because HyperFormula's epsilon would snap every inner sum too):
//
// 1. Numbers that agree to 15 significant digits are equal: `=0.1+0.2=0.3` is TRUE, and a
//    balance check `=IF(SUM(A1:A3)=B1,...)` holds when the two differ only past the 15th
//    digit (10559.029999999999 = 10559.03). The comparison operators and the criteria of
//    COUNTIF & co. go through ArithmeticHelper.floatCmp.
// 2. "Should an addition or subtraction operation result in a value at or very close to zero,
//    Excel 97 and later will compensate for any error introduced as a result of converting an
//    operand to and from binary" (Microsoft, "Floating-point arithmetic may give inaccurate
//    results in Excel"), for the last operation of a formula only: `=.5-.4-.1` is 0, but
//    `=1*(.5-.4-.1)` stays -2.78E-17. The result is 0 when the two operands of the formula's
//    final + or - cancel to 15 significant digits; `=A1-A3+A2` with 818562.54, -40026.44 and
//    778536.1 keeps its 5.82E-11 (its operands differ in the 15th digit), `=A1+A2-A3` is 0.
// Not covered: Excel's display rounding (a cell shows 15 digits; the stored double is kept).
const { AstNodeType, Evaluator, arithmetic, getRawValue } = require('../internals')

const DIGITS = 15
// Two numbers that agree to 15 significant digits differ by less than this share of the
// larger: the cheap test first, the exact one (toPrecision) only for near-equal numbers.
const NEAR = 1e-14

function sameTo15Digits (a, b) {
  if (a === b) return true
  if (!(Math.abs(a - b) <= NEAR * Math.max(Math.abs(a), Math.abs(b)))) return false
  return Number(a.toPrecision(DIGITS)) === Number(b.toPrecision(DIGITS))
}

// The latest + or - the interpreter computed: { result, left, right, sign }.
let latest = null
const TRACKED = Symbol('excel_precision.tracked')

function track (interpreter) {
  if (interpreter[TRACKED]) return
  interpreter[TRACKED] = true
  const plus = interpreter.plusOp
  const minus = interpreter.minusOp
  interpreter.plusOp = (left, right) => {
    const result = plus(left, right)
    latest = { result, left, right, sign: 1 }
    return result
  }
  interpreter.minusOp = (left, right) => {
    const result = minus(left, right)
    latest = { result, left, right, sign: -1 }
    return result
  }
}

// The value of a formula whose last operation is `op`: 0 when its operands cancel.
function compensated (value, op, helper) {
  if (op === null || op.result !== value) return value // the root operation did not produce it
  const result = getRawValue(value)
  if (typeof result !== 'number' || result === 0) return value
  const left = helper.coerceScalarToNumberOrError(op.left)
  const right = helper.coerceScalarToNumberOrError(op.right)
  if (typeof getRawValue(left) !== 'number' || typeof getRawValue(right) !== 'number') return value
  return sameTo15Digits(getRawValue(left), -op.sign * getRawValue(right)) ? 0 : value
}

let installed = false

function install () {
  if (installed) return
  installed = true
  arithmetic.ArithmeticHelper.prototype.floatCmp = function (leftArg, rightArg) {
    const left = getRawValue(leftArg)
    const right = getRawValue(rightArg)
    if (sameTo15Digits(left, right)) return 0
    return left > right ? 1 : -1
  }
  const evaluate = Evaluator.prototype.evaluateAstToCellValue
  Evaluator.prototype.evaluateAstToCellValue = function (ast, state) {
    if (ast.type !== AstNodeType.PLUS_OP && ast.type !== AstNodeType.MINUS_OP) return evaluate.call(this, ast, state)
    track(this.interpreter)
    latest = null
    const value = evaluate.call(this, ast, state)
    const op = latest
    latest = null
    return compensated(value, op, this.interpreter.arithmeticHelper)
  }
}

module.exports = { install, sameTo15Digits }
