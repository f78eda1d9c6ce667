'use strict'
// Text functions: TEXT (replaces HyperFormula's, which mishandles most
// format codes), CONCAT, NUMBERVALUE, FIXED, VALUE (replaces HyperFormula's, which refused
// Microsoft's own example VALUE("$1,000"): a currency sign, thousands separators in groups of
// three, a percent sign and accounting parentheses are read as Excel reads a typed number;
// dates and times as before; https://support.microsoft.com/office/value-function-257d0108-07dc-437d-ae1c-bc2d3be4b5ba), and the currency texts DOLLAR, USDOLLAR and YEN.
// DOLLAR follows https://support.microsoft.com/office/dollar-function-a6cd05d9-9740-4ad3-a469-8109d18ff611:
// the format $#,##0.00_);($#,##0.00) with the decimals asked for (2 when omitted; negative
// decimals round left of the point). Not covered: Excel takes the symbol and the negative form
// from the machine's regional settings; here DOLLAR and USDOLLAR always give the US form of
// Microsoft's examples, without the trailing space `_)` would add, and YEN (DOLLAR's name in
// Japanese Excel) gives ¥ with 0 decimals by default and a leading minus (Japan's convention).
const { FunctionPlugin, FunctionArgumentType: T, CellError } = require('hyperformula')
const { error, translationsFor, isNumber, rawNumber, isEmpty } = require('./common')
const { formatValue, numberToText, roundTo } = require('./numberformat')

const MAX_TEXT = 32767 // Excel's limit on a cell's text

class TextFunctions extends FunctionPlugin {
  text (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('TEXT'), (value, format) => {
      if (value instanceof CellError) return value
      const result = formatValue(this.textValueToFormat(value), format)
      return result === null ? error('VALUE', 'Value cannot be shown with this format') : result
    })
  }

  // TEXT reads numeric text ("12.5", "2024-01-31") as the number; blank is 0.
  textValueToFormat (value) {
    if (isEmpty(value)) return 0
    if (isNumber(value)) return rawNumber(value)
    if (typeof value === 'string') {
      const n = this.coerceScalarToNumberOrError(value)
      return isNumber(n) ? rawNumber(n) : value
    }
    return value
  }

  concat (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('CONCAT'), (...values) => {
      let out = ''
      for (const value of values) {
        if (value instanceof CellError) return value
        out += scalarToText(value)
      }
      return out.length > MAX_TEXT ? error('VALUE', 'Text longer than 32767 characters') : out
    })
  }

  value (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('VALUE'), (value) => {
      if (value instanceof CellError) return value
      if (isNumber(value)) return rawNumber(value)
      if (typeof value === 'boolean') return error('VALUE', 'VALUE of a logical value')
      if (isEmpty(value)) return 0
      if (typeof value !== 'string') return error('VALUE', 'VALUE needs text or a number')
      const typed = typedNumber(value)
      if (typed !== undefined) return typed
      const n = this.coerceScalarToNumberOrError(value)
      return isNumber(n) ? rawNumber(n) : error('VALUE', `"${value}" is not a number`)
    })
  }

  numbervalue (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('NUMBERVALUE'), parseLocaleNumber)
  }

  fixed (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('FIXED'), (number, decimals, noCommas) => {
      const places = Math.max(-400, Math.trunc(decimals)) // past 10^308 everything rounds to 0
      if (places > 127) return error('VALUE', 'At most 127 decimals')
      const shown = Math.max(0, places)
      const format = (noCommas ? '0' : '#,##0') + (shown > 0 ? '.' + '0'.repeat(shown) : '')
      // negative decimals round to the left of the point: FIXED(1234.5,-1) = "1,230"
      return formatValue(roundTo(number, places), format)
    })
  }

  dollar (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('DOLLAR'), (n, d) => currencyText(n, d, '$', 'parentheses'))
  }

  usdollar (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('USDOLLAR'), (n, d) => currencyText(n, d, '$', 'parentheses'))
  }

  yen (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('YEN'), (n, d) => currencyText(n, d, '¥', 'minus'))
  }
}

// DOLLAR, USDOLLAR, YEN: `number` rounded to `decimals`, shown with the currency's format.
function currencyText (number, decimals, symbol, negative) {
  const places = Math.max(-400, Math.trunc(decimals)) // past 10^308 everything rounds to 0
  if (places > 127) return error('VALUE', 'At most 127 decimals')
  const digits = '#,##0' + (places > 0 ? '.' + '0'.repeat(places) : '')
  const shown = `${symbol}${digits}`
  const format = `${shown};${negative === 'parentheses' ? `(${shown})` : `-${shown}`}`
  return formatValue(roundTo(number, places), format)
}

function scalarToText (value) {
  if (isEmpty(value)) return ''
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (isNumber(value)) return numberToText(rawNumber(value))
  return String(value)
}

// A number typed with a currency sign, thousands separators (groups of three), a percent sign
// or accounting parentheses: "$1,000" 1000, "(1,234.5)" -1234.5, "-$5" -5, "12%" 0.12.
// undefined when the text is not of that shape (dates, times... are read elsewhere).
const TYPED = /^([+-]?)(\(?)([+-]?)\$?([+-]?)(\d{1,3}(?:,\d{3})+|\d*)(\.\d*)?(?:[eE]([+-]?\d+))?(\)?)(%?)$/
function typedNumber (text) {
  const m = TYPED.exec(text.trim())
  if (!m) return undefined
  const [, sign1, open, sign2, sign3, whole, fraction = '', exponent, close, percent] = m
  if (Boolean(open) !== Boolean(close)) return undefined
  if (!whole && fraction.length <= 1) return undefined
  const signs = [sign1, sign2, sign3].filter(Boolean)
  if (signs.length > 1 || (open && signs.length)) return undefined
  let n = Number(`${whole.replace(/,/g, '') || '0'}${fraction}${exponent ? `e${exponent}` : ''}`)
  if (!Number.isFinite(n)) return undefined
  if (open || signs[0] === '-') n = -n
  return percent ? n / 100 : n
}

// NUMBERVALUE: spaces are ignored anywhere, group separators only before the
// decimal separator, and each trailing % divides by 100.
function parseLocaleNumber (text, decimalSep, groupSep) {
  const dec = decimalSep === undefined || decimalSep === '' ? '.' : decimalSep[0]
  const group = groupSep === undefined || groupSep === '' ? ',' : groupSep[0]
  if (dec === group) return error('VALUE', 'Decimal and group separators must differ')
  let s = text.replace(/\s+/g, '')
  let percents = 0
  while (s.endsWith('%')) {
    s = s.slice(0, -1)
    percents++
  }
  if (s === '') return 0
  const point = s.indexOf(dec)
  if (point !== -1 && s.indexOf(dec, point + 1) !== -1) return error('VALUE', 'More than one decimal separator')
  const whole = (point === -1 ? s : s.slice(0, point)).split(group).join('')
  const fraction = point === -1 ? '' : s.slice(point + 1)
  if (fraction.includes(group)) return error('VALUE', 'Group separator after the decimal separator')
  const normal = point === -1 ? whole : `${whole}.${fraction}`
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(normal)) return error('VALUE', `Not a number: ${text}`)
  return Number(normal) / Math.pow(100, percents)
}

TextFunctions.implementedFunctions = {
  TEXT: {
    method: 'text',
    parameters: [{ argumentType: T.SCALAR }, { argumentType: T.STRING }],
  },
  CONCAT: {
    method: 'concat',
    parameters: [{ argumentType: T.SCALAR }],
    repeatLastArgs: 1,
    expandRanges: true,
  },
  VALUE: { method: 'value', parameters: [{ argumentType: T.SCALAR }] },
  NUMBERVALUE: {
    method: 'numbervalue',
    parameters: [
      { argumentType: T.STRING },
      { argumentType: T.STRING, optionalArg: true },
      { argumentType: T.STRING, optionalArg: true },
    ],
  },
  FIXED: {
    method: 'fixed',
    parameters: [
      { argumentType: T.NUMBER },
      { argumentType: T.NUMBER, defaultValue: 2 },
      { argumentType: T.BOOLEAN, defaultValue: false },
    ],
  },
  DOLLAR: { method: 'dollar', parameters: [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER, defaultValue: 2 }] },
  USDOLLAR: { method: 'usdollar', parameters: [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER, defaultValue: 2 }] },
  YEN: { method: 'yen', parameters: [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER, defaultValue: 0 }] },
}

module.exports = [{ plugin: TextFunctions, translations: translationsFor(TextFunctions) }]
