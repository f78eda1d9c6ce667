'use strict'
// Excel number-format codes applied to a value, as TEXT() does. Pure: no
// HyperFormula here, so it can be tested and reused (TEXT, FIXED, CONCAT).
//
// Supported: sections (positive;negative;zero;text) and [conditions], digit
// placeholders 0 # ?, grouping and scaling commas, %, scientific E+/E-,
// literals ("..." \x _x, and the usual punctuation), [$€-407] currency
// strings, [$-409] locale tags and [Red] colours (ignored), @, General, and
// date/time codes y m d h s AM/PM A/P [h] [m] [s] with fractional seconds.
// Not supported: fractions (# ?/?), Buddhist/other calendars, * fill (dropped).
const { serialToDate } = require('./common')

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
  'August', 'September', 'October', 'November', 'December']
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

// ---------------------------------------------------------------- parsing

// Split on ';' that are not inside quotes, brackets or after a backslash.
function splitSections (format) {
  const sections = []
  let current = ''
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]
    if (ch === '"') {
      const end = format.indexOf('"', i + 1)
      const stop = end === -1 ? format.length : end
      current += format.slice(i, stop + 1)
      i = stop
    } else if (ch === '\\' || ch === '_' || ch === '*') {
      current += format.slice(i, i + 2)
      i++
    } else if (ch === '[') {
      const end = format.indexOf(']', i)
      const stop = end === -1 ? format.length : end
      current += format.slice(i, stop + 1)
      i = stop
    } else if (ch === ';') {
      sections.push(current)
      current = ''
    } else {
      current += ch
    }
  }
  sections.push(current)
  return sections
}

const DATE_LETTERS = 'ymdhs'

// A bracketed code: condition, elapsed time, currency/locale, or colour.
function bracketToken (body) {
  const condition = /^(<=|>=|<>|<|>|=)\s*(-?[\d.]+(?:e[+-]?\d+)?)$/i.exec(body)
  if (condition) return { type: 'cond', op: condition[1], value: Number(condition[2]) }
  if (/^(h+|m+|s+)$/i.test(body)) return { type: 'elapsed', unit: body[0].toLowerCase(), count: body.length }
  if (body.startsWith('$')) {
    const symbol = body.slice(1).split('-')[0]
    return symbol ? { type: 'lit', text: symbol } : null
  }
  return null // colours and anything else only change how a cell looks
}

function tokenize (section) {
  const tokens = []
  const lit = (text) => tokens.push({ type: 'lit', text })
  let i = 0
  while (i < section.length) {
    const ch = section[i]
    const lower = ch.toLowerCase()
    const rest = section.slice(i)
    if (ch === '"') {
      const end = section.indexOf('"', i + 1)
      const stop = end === -1 ? section.length : end
      lit(section.slice(i + 1, stop))
      i = stop + 1
    } else if (ch === '\\') {
      lit(section[i + 1] || '')
      i += 2
    } else if (ch === '_') {
      lit(' ') // "leave room for the next character": one space in text
      i += 2
    } else if (ch === '*') {
      i += 2 // fill to the column width: meaningless for a string
    } else if (ch === '[') {
      const end = section.indexOf(']', i)
      const stop = end === -1 ? section.length : end
      const token = bracketToken(section.slice(i + 1, stop))
      if (token) tokens.push(token)
      i = stop + 1
    } else if (/^general/i.test(rest)) {
      tokens.push({ type: 'general' })
      i += 7
    } else if (/^am\/pm/i.test(rest)) {
      tokens.push({ type: 'ampm', long: true })
      i += 5
    } else if (/^a\/p/i.test(rest)) {
      tokens.push({ type: 'ampm', long: false, lower: ch === 'a' })
      i += 3
    } else if (ch === '@') {
      tokens.push({ type: 'text' })
      i++
    } else if (ch === '0' || ch === '#' || ch === '?') {
      tokens.push({ type: 'digit', ch })
      i++
    } else if (ch === '.') {
      tokens.push({ type: 'point' })
      i++
    } else if (ch === ',') {
      tokens.push({ type: 'comma' })
      i++
    } else if (ch === '%') {
      tokens.push({ type: 'percent' })
      i++
    } else if (lower === 'e' && (section[i + 1] === '+' || section[i + 1] === '-')) {
      tokens.push({ type: 'exp', plus: section[i + 1] === '+' })
      i += 2
    } else if (DATE_LETTERS.includes(lower)) {
      let count = 1
      while (section[i + count] && section[i + count].toLowerCase() === lower) count++
      tokens.push({ type: 'date', unit: lower, count })
      i += count
    } else {
      lit(ch)
      i++
    }
  }
  return tokens
}

function parseSection (text) {
  const tokens = tokenize(text)
  const condition = tokens.find((t) => t.type === 'cond')
  return {
    tokens: tokens.filter((t) => t.type !== 'cond'),
    condition,
    isDate: tokens.some((t) => t.type === 'date' || t.type === 'ampm' || t.type === 'elapsed'),
    hasText: tokens.some((t) => t.type === 'text'),
  }
}

// ---------------------------------------------------------------- numbers

// Excel works on 15 significant digits and rounds half away from zero.
// Shifting through the decimal string avoids 1.005 -> 1.00 binary surprises.
function roundTo (x, decimals) {
  const p = Number(Math.abs(x).toPrecision(15))
  const shift = (v, by) => {
    const [m, e] = v.toExponential().split('e')
    return Number(`${m}e${Number(e) + by}`)
  }
  const rounded = decimals > 15 ? p : shift(Math.round(shift(p, decimals)), -decimals)
  return x < 0 ? -rounded : rounded
}

function toFixedDigits (x, decimals) {
  // toFixed switches to exponent notation at 1e21; Excel keeps digits.
  if (x >= 1e21) {
    const digits = BigInt(Math.round(x)).toString()
    return decimals > 0 ? `${digits}.${'0'.repeat(decimals)}` : digits
  }
  return x.toFixed(Math.min(decimals, 100))
}

// Excel's "General": at most 11 characters for ordinary numbers, otherwise
// scientific with up to 5 decimals.
function formatGeneral (n) {
  if (n === 0) return '0'
  const abs = Math.abs(n)
  const sign = n < 0 ? '-' : ''
  if (abs >= 1e11 || abs < 1e-9) {
    return sign + formatNumber(abs, parseSection('0.#####E+00').tokens)
  }
  const intDigits = abs >= 1 ? Math.floor(Math.log10(abs)) + 1 : 1
  const text = toFixedDigits(roundTo(abs, Math.max(0, 10 - intDigits)), Math.max(0, 10 - intDigits))
  return sign + (text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text)
}

// How Excel turns a number into text in "a" & 1 and CONCAT: 15 significant
// digits, no trailing zeros, exponent with at least two digits.
function numberToText (n) {
  const text = String(Number(n.toPrecision(15)))
  return text.replace(/e([+-])(\d)$/, 'E$10$2').replace('e', 'E')
}

// Classify each comma: between integer placeholders it groups thousands;
// after the last placeholder (or just before the point) it divides by 1000.
function classifyCommas (tokens) {
  let scale = 0
  let grouping = false
  tokens.forEach((t, i) => {
    if (t.type !== 'comma') return
    const before = tokens.slice(0, i).some((u) => u.type === 'digit')
    const after = tokens.slice(i + 1)
    const nextDigit = after.findIndex((u) => u.type === 'digit')
    const nextPoint = after.findIndex((u) => u.type === 'point')
    const trailing = nextDigit === -1 || (nextPoint !== -1 && nextPoint < nextDigit &&
      after.slice(0, nextPoint).every((u) => u.type === 'comma'))
    if (before && trailing) {
      scale++
      t.role = 'scale'
    } else if (before) {
      grouping = true
      t.role = 'group'
    } else {
      t.role = 'lit'
    }
  })
  return { scale, grouping }
}

// Fill integer placeholders right to left; the leftmost one takes every digit
// left over. Returns a map token index -> text.
function fillInteger (tokens, indexes, digits, grouping) {
  const out = new Map()
  let next = digits.length - 1
  let emitted = 0
  const take = (ch) => {
    const sep = grouping && emitted > 0 && emitted % 3 === 0 ? ',' : ''
    emitted++
    return ch + sep
  }
  for (let k = indexes.length - 1; k >= 0; k--) {
    const ch = tokens[indexes[k]].ch
    let text = ''
    if (next >= 0) text = take(digits[next--])
    else if (ch === '0') text = take('0')
    else if (ch === '?') text = ' '
    if (k === 0) while (next >= 0) text = take(digits[next--]) + text
    out.set(indexes[k], text)
  }
  return out
}

function fillDecimals (tokens, indexes, digits) {
  const out = new Map()
  const lastSignificant = digits.replace(/0+$/, '').length - 1
  indexes.forEach((index, k) => {
    const ch = tokens[index].ch
    if (k <= lastSignificant) out.set(index, digits[k])
    else out.set(index, ch === '0' ? '0' : ch === '?' ? ' ' : '')
  })
  return out
}

// Split placeholders into integer part, decimals and exponent digits.
function layout (tokens) {
  const exp = tokens.findIndex((t) => t.type === 'exp')
  const end = exp === -1 ? tokens.length : exp
  const point = tokens.slice(0, end).findIndex((t) => t.type === 'point')
  const intEnd = point === -1 ? end : point
  const digitsIn = (from, to) => tokens.map((t, i) => i).filter((i) => i >= from && i < to && tokens[i].type === 'digit')
  return {
    exp,
    point,
    intIdx: digitsIn(0, intEnd),
    decIdx: point === -1 ? [] : digitsIn(point + 1, end),
    expIdx: exp === -1 ? [] : digitsIn(exp + 1, tokens.length),
  }
}

// Scientific notation: the exponent is chosen so the mantissa fills the
// integer placeholders; with '#' in them (##0.0E+0) it is a multiple of
// their count (engineering notation).
function scientific (n, tokens, lay) {
  const ni = Math.max(1, lay.intIdx.length)
  const engineering = ni > 1 && lay.intIdx.some((i) => tokens[i].ch === '#')
  const decimals = lay.decIdx.length
  const exponentFor = (v) => {
    const e = Math.floor(Math.log10(v))
    return engineering ? Math.floor(e / ni) * ni : e - (ni - 1)
  }
  let e = n === 0 ? 0 : exponentFor(n)
  let mantissa = n === 0 ? 0 : roundTo(Number(n.toPrecision(15)) / Math.pow(10, e), decimals)
  if (n !== 0 && mantissa >= Math.pow(10, ni)) { // rounding carried into a new digit
    e = exponentFor(mantissa * Math.pow(10, e))
    mantissa = roundTo(n / Math.pow(10, e), decimals)
  }
  return { mantissa, e }
}

// Format a non-negative number with the tokens of one numeric section.
function formatNumber (n, tokens) {
  tokens = tokens.map((t) => ({ ...t }))
  const { scale, grouping } = classifyCommas(tokens)
  const percents = tokens.filter((t) => t.type === 'percent').length
  let value = n * Math.pow(100, percents) / Math.pow(1000, scale)
  const lay = layout(tokens)
  const out = new Map()
  let expText = null
  if (lay.exp !== -1) {
    const { mantissa, e } = scientific(value, tokens, lay)
    value = mantissa
    const digits = String(Math.abs(e))
    const minDigits = lay.expIdx.filter((i) => tokens[i].ch === '0').length
    const sign = e < 0 ? '-' : lay.exp !== -1 && tokens[lay.exp].plus ? '+' : ''
    expText = 'E' + sign + digits.padStart(minDigits, '0')
  }
  const fixed = toFixedDigits(roundTo(value, lay.decIdx.length), lay.decIdx.length)
  let [intDigits, decDigits = ''] = fixed.split('.')
  if (intDigits === '0') intDigits = '' // "#.00" shows .50, "0.00" pads it back
  for (const [k, v] of fillInteger(tokens, lay.intIdx, intDigits, grouping && lay.exp === -1)) out.set(k, v)
  for (const [k, v] of fillDecimals(tokens, lay.decIdx, decDigits)) out.set(k, v)
  if (lay.intIdx.length === 0 && lay.decIdx.length > 0 && intDigits) out.set(-1, intDigits) // ".00" still shows 12.50
  return render(tokens, out, lay, expText, n)
}

function render (tokens, out, lay, expText, n) {
  let text = ''
  tokens.forEach((t, i) => {
    if (i === lay.point && out.has(-1)) text += out.get(-1)
    if (out.has(i)) text += out.get(i)
    else if (t.type === 'lit') text += t.text
    else if (t.type === 'point') text += '.'
    else if (t.type === 'percent') text += '%'
    else if (t.type === 'comma' && t.role === 'lit') text += ','
    else if (t.type === 'exp') text += expText
    else if (t.type === 'general') text += formatGeneral(n)
    else if (t.type === 'date') text += t.unit.repeat(t.count) // stray letters in a numeric section
  })
  return text
}

// ---------------------------------------------------------------- dates

// Minutes, not months: an m/mm right after hours or right before seconds.
function markMinutes (tokens) {
  const timeish = tokens.map((t, i) => [t, i]).filter(([t]) => t.type === 'date' || t.type === 'elapsed')
  timeish.forEach(([t], k) => {
    if (t.type !== 'date' || t.unit !== 'm' || t.count > 2) return
    const prev = timeish[k - 1] && timeish[k - 1][0]
    const next = timeish[k + 1] && timeish[k + 1][0]
    if ((prev && prev.unit === 'h') || (next && next.unit === 's')) t.unit = 'min'
  })
}

function dateParts (serial, secondDecimals) {
  // Round the time to the shown precision first, so 23:59:59.9 becomes the next day.
  const factor = Math.pow(10, secondDecimals)
  const totalUnits = Math.round(serial * 86400 * factor)
  const dayUnits = 86400 * factor
  const days = Math.floor(totalUnits / dayUnits)
  const timeUnits = totalUnits - days * dayUnits
  const seconds = timeUnits / factor
  const date = serialToDate(days)
  return {
    ...date,
    weekday: (((days - 1) % 7) + 7) % 7, // serial 1 (1900-01-01) is a Sunday in Excel
    hours: Math.floor(seconds / 3600),
    minutes: Math.floor(seconds / 60) % 60,
    seconds: Math.floor(seconds) % 60,
    fraction: (timeUnits % factor) / factor,
    totalSeconds: totalUnits / factor,
  }
}

function pad (value, count) {
  return String(value).padStart(count, '0')
}

function dateToken (t, p, twelveHour) {
  const n = t.count
  switch (t.unit) {
    case 'y': return n <= 2 ? pad(p.year % 100, 2) : pad(p.year, 4)
    case 'm':
      if (n === 1 || n === 2) return pad(p.month, n)
      if (n === 3) return MONTHS[p.month - 1].slice(0, 3)
      if (n === 5) return MONTHS[p.month - 1][0]
      return MONTHS[p.month - 1]
    case 'd':
      if (n <= 2) return pad(p.day, n)
      return n === 3 ? DAYS[p.weekday].slice(0, 3) : DAYS[p.weekday]
    case 'h': {
      const h = twelveHour ? ((p.hours + 11) % 12) + 1 : p.hours
      return pad(h, Math.min(n, 2))
    }
    case 'min': return pad(p.minutes, Math.min(n, 2))
    case 's': return pad(p.seconds, Math.min(n, 2))
  }
  return ''
}

function formatDate (serial, tokens) {
  tokens = tokens.map((t) => ({ ...t }))
  markMinutes(tokens)
  // ".0", ".00", ".000" right after seconds are fractional seconds
  let secondDecimals = 0
  tokens.forEach((t, i) => {
    const prev = tokens[i - 1]
    if (t.type === 'point' && prev && (prev.unit === 's' || (prev.type === 'elapsed' && prev.unit === 's'))) {
      let k = i + 1
      while (tokens[k] && tokens[k].type === 'digit' && tokens[k].ch === '0') k++
      t.fraction = k - i - 1
      secondDecimals = Math.max(secondDecimals, t.fraction)
      for (let j = i + 1; j < k; j++) tokens[j].skip = true
    }
  })
  const p = dateParts(serial, secondDecimals)
  const twelveHour = tokens.some((t) => t.type === 'ampm')
  let text = ''
  for (const t of tokens) {
    if (t.skip) continue
    if (t.type === 'date') text += dateToken(t, p, twelveHour)
    else if (t.type === 'elapsed') {
      const divisor = { h: 3600, m: 60, s: 1 }[t.unit]
      text += pad(Math.floor(p.totalSeconds / divisor), t.count)
    } else if (t.type === 'ampm') {
      const am = p.hours < 12
      const marker = t.long ? (am ? 'AM' : 'PM') : (am ? 'A' : 'P')
      text += t.lower ? marker.toLowerCase() : marker
    } else if (t.type === 'point') {
      text += t.fraction ? p.fraction.toFixed(t.fraction).slice(1) : '.'
    } else if (t.type === 'lit') text += t.text
    else if (t.type === 'digit') text += t.ch
    else if (t.type === 'comma') text += ','
    else if (t.type === 'percent') text += '%'
  }
  return text
}

// ---------------------------------------------------------------- sections

function conditionHolds ({ op, value }, n) {
  switch (op) {
    case '<': return n < value
    case '<=': return n <= value
    case '>': return n > value
    case '>=': return n >= value
    case '=': return n === value
    case '<>': return n !== value
  }
  return false
}

// Pick the section for a number and whether a '-' must be added.
function pickSection (sections, n) {
  const numeric = sections.slice(0, 3)
  if (numeric.some((s) => s.condition)) {
    const match = numeric.find((s) => s.condition && conditionHolds(s.condition, n)) ||
      numeric.find((s) => !s.condition) || numeric[numeric.length - 1]
    const signShown = match.condition && match.condition.op.startsWith('<')
    return { section: match, minus: n < 0 && !signShown }
  }
  if (numeric.length === 1 || n > 0) return { section: numeric[0], minus: n < 0 }
  if (n < 0) return { section: numeric[1], minus: false }
  return { section: numeric.length >= 3 ? numeric[2] : numeric[0], minus: false }
}

function formatText (text, sections) {
  const textSection = sections.length >= 4 ? sections[3] : sections.find((s) => s.hasText)
  if (!textSection) return text
  return textSection.tokens.map((t) => (t.type === 'text' ? text : t.type === 'lit' ? t.text : '')).join('')
}

// value: number, string or boolean. Returns a string, or null when Excel
// would give #VALUE! (a negative date, for instance).
function formatValue (value, format) {
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  const sections = splitSections(format).map(parseSection)
  if (typeof value === 'string') return formatText(value, sections)
  if (format === '') return ''
  const { section, minus } = pickSection(sections, value)
  if (section.isDate) {
    if (value < 0) return null
    return formatDate(value, section.tokens)
  }
  if (section.tokens.length === 1 && section.tokens[0].type === 'text') return formatGeneral(value)
  const text = formatNumber(Math.abs(value), section.tokens)
  return minus ? '-' + text : text
}

module.exports = { formatValue, formatGeneral, numberToText, roundTo, splitSections }
