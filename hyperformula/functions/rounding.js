'use strict'
// Rounding and the elementary functions at the edges of their domain, where HyperFormula 3.5
// differs from Excel:
//   ROUND, ROUNDUP, ROUNDDOWN, TRUNC  https://support.microsoft.com/office/round-function-c018c5d8-40fb-4053-90b1-b3e7f61a213c
//     num_digits is truncated (HyperFormula raised 10 to a fractional power), and the number
//     is read to 15 significant digits before it is rounded, half away from zero, as Excel
//     does: ROUND(1.005,2) is 1.01 and ROUNDUP(1.1*3,1) is 3.3 (1.005 is 1.00499999999999989
//     in binary, 1.1*3 is 3.3000000000000003).
//   INT  https://support.microsoft.com/office/int-function-a6c4af9e-356d-4369-ab6a-cb1fd9d343ef
//     rounds down: INT(-8.9) is -9 (HyperFormula truncated toward zero).
//   MROUND  https://support.microsoft.com/office/mround-function-c299c3b0-15a5-426d-aa4b-d2d5b3baf427
//     the quotient is read to 15 digits (MROUND(1.005,0.01) is 1.01); different signs #NUM!.
//   ROMAN  https://support.microsoft.com/office/roman-function-d6b0b99e-de46-4704-a518-b45a0f8b56f5
//     ROMAN(0) is "", a negative number or one above 3999 is #VALUE!; forms 0 to 4, TRUE
//     (classic, 0) and FALSE (simplified, 4).
//   ARABIC  https://support.microsoft.com/office/arabic-function-9a8da418-c17b-4ef9-a657-9370a30a674f
//     read leniently, as Excel does for any string of numerals: each numeral adds its value, or
//     subtracts it when a larger one comes anywhere after it ("IXIX" is 18, "CMM" 1900,
//     "IIIIIIV" -1, "IILMIIC" 1046: Excel's saved results); case and surrounding spaces
//     ignored, a leading minus negates, "" is 0; more than 255 characters, a number or any
//     other character is #VALUE!; an error is passed on.
//   PI  https://support.microsoft.com/office/pi-function-264199d0-a3ba-46b8-975a-c4a04608989b
//     the double nearest to pi (HyperFormula's PI() is 3.14159265358979, 3e-15 short, so
//     SIN(PI()) was 3.2e-15 where Excel gives 1.22e-16).
//   SIN, COS, TAN, COT, CSC, SEC: an argument of 2^27 or more in absolute value is #NUM!, the
//     constraint Microsoft's COT, CSC and SEC pages state and Excel applies to all six.
// Not covered: Excel's own correction of sums near zero (=0.1+0.2-0.3 is 0 in Excel) is
// outside these functions.
const { FunctionPlugin, FunctionArgumentType: T, CellError } = require('hyperformula')
const { error, translationsFor, isEmpty } = require('./common')

// x * 10^by, exactly as decimal text would shift it.
function shift (x, by) {
  const [mantissa, exponent] = x.toExponential().split('e')
  return Number(`${mantissa}e${Number(exponent) + by}`)
}

// |x| to 15 significant digits, rounded at `places` with `step` (Math.round / ceil / floor
// on the magnitude), the sign put back.
function decimalRound (x, places, step) {
  if (x === 0 || !Number.isFinite(x)) return x
  const digits = Math.max(-400, Math.min(400, Math.trunc(places)))
  const p = Number(Math.abs(x).toPrecision(15))
  const magnitude = Math.floor(Math.log10(p))
  if (digits >= 15 - magnitude) return x // nothing to round within 15 digits
  const rounded = shift(step(shift(p, digits)), -digits)
  return x < 0 ? -rounded : rounded
}

const halfAway = Math.round // on magnitudes, Math.round is half away from zero
const TRIG_LIMIT = 2 ** 27

function toRoman (n, form) {
  const chars = ['M', 'D', 'C', 'L', 'X', 'V', 'I']
  const values = [1000, 500, 100, 50, 10, 5, 1]
  const last = values.length - 1
  let out = ''
  let rest = n
  for (let i = 0; i <= last / 2; i++) {
    let index = 2 * i
    const digit = Math.floor(rest / values[index])
    if (digit % 5 === 4) {
      // a subtractive pair: the wider forms let a smaller letter stand before a larger one
      const index2 = digit === 4 ? index - 1 : index - 2
      let steps = 0
      while (steps < form && index < last) {
        steps++
        if (values[index2] - values[index + 1] <= rest) index++
        else steps = form
      }
      out += chars[index] + chars[index2]
      rest = rest + values[index] - values[index2]
    } else {
      if (digit > 4) out += chars[index - 1]
      out += chars[index].repeat(digit % 5)
      rest %= values[index]
    }
  }
  return out
}

class RoundingFunctions extends FunctionPlugin {
  round (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ROUND'), (x, places) => decimalRound(x, places, halfAway))
  }

  roundup (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ROUNDUP'), (x, places) => decimalRound(x, places, Math.ceil))
  }

  rounddown (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ROUNDDOWN'), (x, places) => decimalRound(x, places, Math.floor))
  }

  trunc (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('TRUNC'), (x, places) => decimalRound(x, places, Math.floor))
  }

  int (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('INT'), (x) => {
      const down = decimalRound(x, 0, x < 0 ? Math.ceil : Math.floor)
      return down === 0 ? 0 : down
    })
  }

  mround (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('MROUND'), (x, multiple) => {
      if (x === 0 || multiple === 0) return 0
      if (Math.sign(x) !== Math.sign(multiple)) return error('NUM', 'MROUND: number and multiple have different signs')
      const q = Number((x / multiple).toPrecision(15))
      // the product to 15 digits too: MROUND(1.3,0.2) is 1.4, not 7 * 0.2 = 1.4000000000000001
      return Number((halfAway(q) * multiple).toPrecision(15))
    })
  }

  roman (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ROMAN'), (number, form) => {
      let f = form
      if (f === true) f = 0
      else if (f === false) f = 4
      else {
        f = this.coerceScalarToNumberOrError(f)
        if (typeof f !== 'number') return f
      }
      f = Math.trunc(f)
      if (f < 0 || f > 4) return error('VALUE', 'ROMAN: form must be 0 to 4')
      const n = Math.trunc(number)
      if (n < 0 || n > 3999) return error('VALUE', 'ROMAN: number must be 0 to 3999')
      return toRoman(n, f)
    })
  }

  arabic (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ARABIC'), (text) => {
      if (text instanceof CellError) return text
      if (isEmpty(text)) return 0
      if (typeof text !== 'string') return error('VALUE', 'ARABIC: the argument must be text')
      return fromRoman(text)
    })
  }

  pi (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('PI'), () => Math.PI)
  }

  trig (ast, state) {
    const name = ast.procedureName
    return this.runFunction(ast.args, state, this.metadata(name), (x) => {
      if (Math.abs(x) >= TRIG_LIMIT) return error('NUM', `${name}: the argument must be below 2^27`)
      const result = TRIG[name](x)
      return Number.isFinite(result) ? result : error('DIV_BY_ZERO', `${name}: no finite value`)
    })
  }
}

const TRIG = {
  SIN: Math.sin,
  COS: Math.cos,
  TAN: Math.tan,
  COT: (x) => (x === 0 ? Infinity : 1 / Math.tan(x)),
  CSC: (x) => (x === 0 ? Infinity : 1 / Math.sin(x)),
  SEC: (x) => 1 / Math.cos(x),
}

const NUMERALS = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 }

function fromRoman (text) {
  let body = text.trim()
  if (body.length > 255) return error('VALUE', 'ARABIC: at most 255 characters')
  const sign = body.startsWith('-') ? -1 : 1
  if (sign < 0) body = body.slice(1)
  const values = [...body.toUpperCase()].map((ch) => NUMERALS[ch])
  if (values.some((v) => v === undefined)) return error('VALUE', `ARABIC: "${text}" is not a Roman numeral`)
  let total = 0
  let largestAfter = 0
  for (let i = values.length - 1; i >= 0; i--) {
    total += values[i] < largestAfter ? -values[i] : values[i]
    largestAfter = Math.max(largestAfter, values[i])
  }
  return sign * total
}

const N = { argumentType: T.NUMBER }
const PLACES = { argumentType: T.NUMBER, defaultValue: 0 }

RoundingFunctions.implementedFunctions = {
  ROUND: { method: 'round', parameters: [N, N] },
  ROUNDUP: { method: 'roundup', parameters: [N, N] },
  ROUNDDOWN: { method: 'rounddown', parameters: [N, N] },
  TRUNC: { method: 'trunc', parameters: [N, PLACES] },
  INT: { method: 'int', parameters: [N] },
  MROUND: { method: 'mround', parameters: [N, N] },
  ROMAN: { method: 'roman', parameters: [N, { argumentType: T.SCALAR, defaultValue: 0 }] },
  ARABIC: { method: 'arabic', parameters: [{ argumentType: T.SCALAR }] },
  PI: { method: 'pi', parameters: [] },
  ...Object.fromEntries(Object.keys(TRIG).map((name) => [name, { method: 'trig', parameters: [N] }])),
}

module.exports = Object.assign([{ plugin: RoundingFunctions, translations: translationsFor(RoundingFunctions) }], {
  decimalRound,
  toRoman,
  fromRoman,
})
