'use strict'
// Text functions HyperFormula 3.5 lacks, to Microsoft's documentation of each:
// - the byte-counting LENB, LEFTB, RIGHTB, MIDB, FINDB, SEARCHB, REPLACEB. "When a single-byte
//   language is the default, they count one byte per character", like LEN, LEFT... (the
//   corpus's Excel gives LENB("山田太郎ciao") = 8). Written here rather than delegated to the
//   built-ins, whose FIND/SEARCH mishandle a start position (not found after it, 5.9): FIND
//   and SEARCH are replaced by the same code;
// - ASC, BAHTTEXT, TEXTBEFORE, TEXTAFTER, TEXTSPLIT, REGEXTEST, REGEXREPLACE, REGEXEXTRACT,
//   TYPE, VALUETOTEXT, ARRAYTOTEXT;
// - CHAR and CODE (replace the built-ins, which use Latin-1): Excel uses the Windows code page
//   (ANSI, Windows-1252 for Western languages) on Windows and the Macintosh character set on
//   the Mac. the request's context (context.js) holds the code page
//   its docProps/app.xml <Application> names.
const { FunctionPlugin, FunctionArgumentType: T, CellError, ErrorType, SimpleRangeValue, ArraySize } = require('hyperformula')
const { error, translationsFor, isNumber, rawNumber, isEmpty } = require('./common')
const { numberText } = require('./number_text')
const { errorText } = require('./info')
const { declaredSize } = require('../context')
const { AstNodeType, InterpreterState } = require('../internals')
const context = require('../context')

// ---- Code pages for CHAR and CODE (bytes 128-255; 0-127 are ASCII in both).
// Windows-1252: 128-159 hold typographic characters; the five bytes it leaves undefined map to
// the C1 control of the same number, as Windows' conversion does. 160-255 are Latin-1.
const WINDOWS_1252_HIGH = [
  0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
  0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
  ...Array.from({ length: 96 }, (_, i) => 0xA0 + i),
]
// Mac OS Roman (with the euro at 0xDB since Mac OS 8.5, and the Apple logo at 0xF0 as U+F8FF).
const MAC_ROMAN_HIGH = [
  0xC4, 0xC5, 0xC7, 0xC9, 0xD1, 0xD6, 0xDC, 0xE1, 0xE0, 0xE2, 0xE4, 0xE3, 0xE5, 0xE7, 0xE9, 0xE8,
  0xEA, 0xEB, 0xED, 0xEC, 0xEE, 0xEF, 0xF1, 0xF3, 0xF2, 0xF4, 0xF6, 0xF5, 0xFA, 0xF9, 0xFB, 0xFC,
  0x2020, 0xB0, 0xA2, 0xA3, 0xA7, 0x2022, 0xB6, 0xDF, 0xAE, 0xA9, 0x2122, 0xB4, 0xA8, 0x2260, 0xC6, 0xD8,
  0x221E, 0xB1, 0x2264, 0x2265, 0xA5, 0xB5, 0x2202, 0x2211, 0x220F, 0x3C0, 0x222B, 0xAA, 0xBA, 0x3A9, 0xE6, 0xF8,
  0xBF, 0xA1, 0xAC, 0x221A, 0x192, 0x2248, 0x2206, 0xAB, 0xBB, 0x2026, 0xA0, 0xC0, 0xC3, 0xD5, 0x152, 0x153,
  0x2013, 0x2014, 0x201C, 0x201D, 0x2018, 0x2019, 0xF7, 0x25CA, 0xFF, 0x178, 0x2044, 0x20AC, 0x2039, 0x203A, 0xFB01, 0xFB02,
  0x2021, 0xB7, 0x201A, 0x201E, 0x2030, 0xC2, 0xCA, 0xC1, 0xCB, 0xC8, 0xCD, 0xCE, 0xCF, 0xCC, 0xD3, 0xD4,
  0xF8FF, 0xD2, 0xDA, 0xDB, 0xD9, 0x131, 0x2C6, 0x2DC, 0xAF, 0x2D8, 0x2D9, 0x2DA, 0xB8, 0x2DD, 0x2DB, 0x2C7,
]

function codePage (high) {
  const chars = Array.from({ length: 256 }, (_, i) => String.fromCodePoint(i < 128 ? i : high[i - 128]))
  const codes = new Map(chars.map((c, i) => [c, i]))
  return { chars, codes }
}
const CODE_PAGES = { windows: codePage(WINDOWS_1252_HIGH), mac: codePage(MAC_ROMAN_HIGH) }
// Whether the workbook was saved by Mac Excel (INFO("system")).
function isMacWorkbook () {
  return context.current().codePage === 'mac'
}

// ---- Shared helpers
// A cell value as the text Excel shows for it in VALUETOTEXT / ARRAYTOTEXT; `strict` quotes text.
function valueText (value, strict) {
  if (value instanceof CellError) return errorText(value)
  if (isEmpty(value)) return ''
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (isNumber(value)) return numberText(rawNumber(value))
  const text = String(value)
  return strict ? `"${text.replace(/"/g, '""')}"` : text
}

// Format argument of VALUETOTEXT / ARRAYTOTEXT: 0 concise, 1 strict, else #VALUE!.
function textFormat (format) {
  const f = Math.trunc(format)
  return f === 0 || f === 1 ? f === 1 : error('VALUE', 'Format must be 0 or 1')
}

// A delimiter argument (one value or an array of them) as a list of strings; empty entries
// are dropped (an omitted argument). "" gives #VALUE! in TEXTSPLIT; TEXTBEFORE and TEXTAFTER
// accept it (it matches at every position).
function delimiters (range, allowEmpty = false) {
  const out = []
  for (const cell of range.valuesFromTopLeftCorner()) {
    if (cell instanceof CellError) return cell
    if (isEmpty(cell)) continue
    const text = valueText(cell, false)
    if (text === '' && !allowEmpty) return error('VALUE', 'Empty delimiter')
    out.push(text)
  }
  return out
}

function matchMode (mode) {
  const m = Math.trunc(mode)
  return m === 0 || m === 1 ? m === 1 : error('VALUE', 'match_mode must be 0 or 1')
}

// Every non-overlapping occurrence of any delimiter, left to right: [{start, end}].
// At one position the longest delimiter wins.
function occurrences (text, delims, ignoreCase) {
  const hay = ignoreCase ? text.toLowerCase() : text
  const needles = delims.map((d) => (ignoreCase ? d.toLowerCase() : d)).sort((a, b) => b.length - a.length)
  const out = []
  let i = 0
  while (i <= hay.length) {
    const hit = needles.find((n) => hay.startsWith(n, i))
    if (hit === undefined) {
      i++
    } else if (hit.length === 0) {
      out.push({ start: i, end: i })
      i++
    } else {
      out.push({ start: i, end: i + hit.length })
      i += hit.length
    }
  }
  return out
}

// ---- REGEX*: Excel uses PCRE2; JavaScript's RegExp agrees on the common syntax. A leading
// (?i) becomes the i flag; other PCRE-only syntax gives #VALUE! (RegExp rejects it).
function compile (pattern, caseSensitivity, global) {
  const c = Math.trunc(caseSensitivity)
  if (c !== 0 && c !== 1) return error('VALUE', 'case_sensitivity must be 0 or 1')
  let source = pattern
  let flags = global ? 'g' : ''
  if (c === 1) flags += 'i'
  if (source.startsWith('(?i)')) {
    source = source.slice(4)
    if (!flags.includes('i')) flags += 'i'
  }
  try {
    return new RegExp(source, flags)
  } catch (err) {
    return error('VALUE', `Invalid regular expression: ${err.message}`)
  }
}

// PCRE2 replacement syntax: ${n} and ${name}; JavaScript writes $n and $<name>.
function jsReplacement (replacement) {
  return replacement.replace(/\$\{(\d+)\}/g, '$$$1').replace(/\$\{([A-Za-z_]\w*)\}/g, '$$<$1>')
}

// ---- BAHTTEXT: Thai words for an amount in baht and satang (the scheme Excel and
// LibreOffice share: 1 in the units after a ten is "et", 2 tens is "yi sip", each full
// million adds "lan").
const TH_DIGITS = ['ศูนย์', 'หนึ่ง', 'สอง', 'สาม', 'สี่', 'ห้า', 'หก', 'เจ็ด', 'แปด', 'เก้า']
const TH_POWERS = ['', 'สิบ', 'ร้อย', 'พัน', 'หมื่น', 'แสน']

function thaiBlock (n) { // 1 <= n <= 999999
  let out = ''
  for (let p = 5; p >= 2; p--) {
    const d = Math.floor(n / 10 ** p) % 10
    if (d > 0) out += TH_DIGITS[d] + TH_POWERS[p]
  }
  const tens = Math.floor(n / 10) % 10
  const ones = n % 10
  if (tens === 2) out += 'ยี่'
  else if (tens >= 3) out += TH_DIGITS[tens]
  if (tens > 0) out += 'สิบ'
  if (tens > 0 && ones === 1) out += 'เอ็ด'
  else if (ones > 0) out += TH_DIGITS[ones]
  return out
}

function bahtText (value) {
  const minus = value < 0
  const cents = Math.floor(Math.abs(value) * 100 + 0.5)
  let baht = Math.floor(cents / 100)
  const satang = cents % 100
  let text = ''
  if (baht === 0) {
    if (satang === 0) text = TH_DIGITS[0]
  } else {
    while (baht > 0) {
      const block = baht % 1e6
      baht = Math.floor(baht / 1e6)
      text = (baht > 0 ? 'ล้าน' : '') + (block > 0 ? thaiBlock(block) : '') + text
    }
  }
  if (text) text += 'บาท'
  text += satang === 0 ? 'ถ้วน' : thaiBlock(satang) + 'สตางค์'
  return (minus ? 'ลบ' : '') + text
}

// ---- ASC: full-width (double-byte) characters to their half-width forms: the full-width
// ASCII block, the ideographic space and katakana (voiced ones split into base + mark).
const KATAKANA_FULL = 'ァアィイゥウェエォオカキクケコサシスセソタチッツテトナニヌネノハヒフヘホマミムメモャヤュユョヨラリルレロワヲンー・「」、。゛゜'
const KATAKANA_HALF = 'ｧｱｨｲｩｳｪｴｫｵｶｷｸｹｺｻｼｽｾｿﾀﾁｯﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓｬﾔｭﾕｮﾖﾗﾘﾙﾚﾛﾜｦﾝｰ･｢｣､｡ﾞﾟ'
const HALF_OF = new Map([...KATAKANA_FULL].map((c, i) => [c, KATAKANA_HALF[i]]))

function asc (text) {
  let out = ''
  for (const ch of text) {
    const code = ch.codePointAt(0)
    if (code >= 0xFF01 && code <= 0xFF5E) {
      out += String.fromCharCode(code - 0xFEE0)
    } else if (code === 0x3000) {
      out += ' '
    } else if (HALF_OF.has(ch)) {
      out += HALF_OF.get(ch)
    } else {
      // voiced / semi-voiced katakana: decompose, then map base and mark
      const [base, mark] = [...ch.normalize('NFD')]
      if (mark === '\u3099' && HALF_OF.has(base)) out += HALF_OF.get(base) + 'ﾞ'
      else if (mark === '\u309A' && HALF_OF.has(base)) out += HALF_OF.get(base) + 'ﾟ'
      else if (ch === 'ヴ') out += 'ｳﾞ'
      else out += ch
    }
  }
  return out
}

// ---- Array results. A function that returns an array inside a vectorized call (a range
// where a scalar is expected, in an array formula) yields its top-left value per element, as
// Excel does; HyperFormula would throw, so array results travel wrapped until runFunction
// returns.
class Nested {
  constructor (rows) {
    this.rows = rows
  }
}

function nested (rows) {
  return rows.length === 1 && rows[0].length === 1 ? rows[0][0] : new Nested(rows)
}

function unwrap (result) {
  if (result instanceof Nested) return SimpleRangeValue.onlyValues(result.rows)
  if (result instanceof SimpleRangeValue && result.data.some((row) => row.some((v) => v instanceof Nested))) {
    return SimpleRangeValue.onlyValues(result.data.map((row) => row.map((v) => (v instanceof Nested ? v.rows[0][0] : v))))
  }
  return result
}

// An argument whose value is known before evaluation (literals, array literals, TRUE/FALSE):
// the result size of TEXTSPLIT / REGEXEXTRACT can then be computed when the formula is parsed.
// TRUE and FALSE are named expressions, not computed yet while the engine loads the sheets
// with evaluation suspended: computedArraySize then falls back to the declared range.
function isStatic (ast) {
  switch (ast.type) {
    case AstNodeType.NUMBER: case AstNodeType.STRING: case AstNodeType.EMPTY: case AstNodeType.ERROR:
      return true
    case AstNodeType.MINUS_UNARY_OP: case AstNodeType.PLUS_UNARY_OP: case AstNodeType.PERCENT_OP:
      return isStatic(ast.value)
    case AstNodeType.PARENTHESIS:
      return isStatic(ast.expression)
    case AstNodeType.CONCATENATE_OP:
      return isStatic(ast.left) && isStatic(ast.right)
    case AstNodeType.ARRAY:
      return ast.args.every((row) => row.every(isStatic))
    case AstNodeType.NAMED_EXPRESSION:
      return ['TRUE', 'FALSE'].includes(String(ast.expressionName).toUpperCase())
    default:
      return false
  }
}

class TextExtraFunctions extends FunctionPlugin {
  // ---- Byte versions (one byte per character in a single-byte language)
  lenb (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('LENB'), (text) => text.length)
  }

  leftb (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('LEFTB'), (text, count) => {
      const n = Math.trunc(count)
      return n < 0 ? error('VALUE', 'Negative length') : text.slice(0, n)
    })
  }

  rightb (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('RIGHTB'), (text, count) => {
      const n = Math.trunc(count)
      if (n < 0) return error('VALUE', 'Negative length')
      return n === 0 ? '' : text.slice(-n)
    })
  }

  midb (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('MIDB'), (text, start, count) => {
      const s = Math.trunc(start)
      const n = Math.trunc(count)
      if (s < 1) return error('VALUE', 'Start must be at least 1')
      if (n < 0) return error('VALUE', 'Negative length')
      return text.substr(s - 1, n)
    })
  }

  replaceb (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('REPLACEB'), (text, start, count, replacement) => {
      const s = Math.trunc(start)
      const n = Math.trunc(count)
      if (s < 1) return error('VALUE', 'Start must be at least 1')
      if (n < 0) return error('VALUE', 'Negative length')
      return text.slice(0, s - 1) + replacement + text.slice(s - 1 + n)
    })
  }

  findb (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('FINDB'), (find, within, start) => {
      const s = Math.trunc(start)
      if (s < 1 || s > Math.max(1, within.length)) return error('VALUE', 'Start out of range')
      const at = within.indexOf(find, s - 1)
      return at < 0 ? error('VALUE', 'Text not found') : at + 1
    })
  }

  // SEARCH: case-insensitive, with wildcards ? and * (~ escapes them).
  searchb (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('SEARCHB'), (find, within, start) => {
      const s = Math.trunc(start)
      if (s < 1 || s > Math.max(1, within.length)) return error('VALUE', 'Start out of range')
      const source = find.replace(/~([?*~])|([?*])|([.+^${}()|[\]\\])/g,
        (m, escaped, wild, special) => escaped ? '\\' + escaped : wild ? (wild === '?' ? '.' : '.*') : '\\' + special)
      const re = new RegExp(source, 'is')
      const found = re.exec(within.slice(s - 1))
      return found ? found.index + s : error('VALUE', 'Text not found')
    })
  }

  asc (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ASC'), asc)
  }

  bahttext (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('BAHTTEXT'), bahtText)
  }

  // ---- CHAR / CODE in the workbook's code page
  char (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('CHAR'), (number) => {
      const n = Math.trunc(number)
      if (n < 1 || n > 255) return error('VALUE', 'Character code must be between 1 and 255')
      return CODE_PAGES[context.current().codePage].chars[n]
    })
  }

  code (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('CODE'), (text) => {
      if (text.length === 0) return error('VALUE', 'Empty text')
      const first = String.fromCodePoint(text.codePointAt(0))
      const code = CODE_PAGES[context.current().codePage].codes.get(first)
      return code === undefined ? 63 : code // a character outside the code page reads as "?"
    })
  }

  // ---- TEXTBEFORE / TEXTAFTER
  textbefore (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('TEXTBEFORE'), (...args) => this.textAround(true, ...args))
  }

  textafter (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('TEXTAFTER'), (...args) => this.textAround(false, ...args))
  }

  textAround (before, text, delimiter, instance, mode, matchEnd, ifNotFound) {
    const delims = delimiters(delimiter, true)
    if (delims instanceof CellError) return delims
    if (delims.length === 0) return error('VALUE', 'No delimiter')
    const ignoreCase = matchMode(mode)
    if (ignoreCase instanceof CellError) return ignoreCase
    const n = Math.trunc(instance)
    if (n === 0 || Math.abs(n) > Math.max(1, text.length)) return error('VALUE', 'instance_num out of range')
    const found = occurrences(text, delims, ignoreCase)
    if (matchEnd) {
      // the end of the text (searching forward) or its start (backward) counts as a delimiter
      if (n > 0) found.push({ start: text.length, end: text.length })
      else found.unshift({ start: 0, end: 0 })
    }
    const hit = n > 0 ? found[n - 1] : found[found.length + n]
    if (!hit) return ifNotFound === undefined ? error('NA', 'Delimiter not found') : ifNotFound
    return before ? text.slice(0, hit.start) : text.slice(hit.end)
  }

  // ---- TEXTSPLIT
  textsplit (ast, state) {
    return unwrap(this.runFunction(ast.args, state, this.metadata('TEXTSPLIT'), (text, colDelim, rowDelim, ignoreEmpty, mode, padWith) => {
      const cols = delimiters(colDelim)
      if (cols instanceof CellError) return cols
      const rowsBy = rowDelim === undefined ? [] : delimiters(rowDelim)
      if (rowsBy instanceof CellError) return rowsBy
      if (cols.length === 0 && rowsBy.length === 0) return error('VALUE', 'No delimiter')
      if (text === '') return error('VALUE', 'Empty text') // as Excel gives for a blank cell
      const ignoreCase = matchMode(mode)
      if (ignoreCase instanceof CellError) return ignoreCase
      const split = (s, delims) => {
        if (delims.length === 0) return [s]
        const parts = []
        let from = 0
        for (const { start, end } of occurrences(s, delims, ignoreCase)) {
          if (end === start) continue
          parts.push(s.slice(from, start))
          from = end
        }
        parts.push(s.slice(from))
        return ignoreEmpty ? parts.filter((p) => p !== '') : parts
      }
      const lines = split(text, rowsBy).map((line) => split(line, cols))
      const rows = lines.filter((line) => line.length > 0)
      // An empty array is #CALC!, which HyperFormula lacks: info.js's stand-in for it.
      if (rows.length === 0) return new CellError(ErrorType.ERROR, 'Excel error #CALC!')
      const width = Math.max(...rows.map((r) => r.length))
      const pad = padWith === undefined ? error('NA', 'Padding') : padWith
      return nested(rows.map((r) => [...r, ...new Array(width - r.length).fill(pad)]))
    }))
  }

  // ---- REGEX*
  regextest (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('REGEXTEST'), (text, pattern, caseSensitivity) => {
      const re = compile(pattern, caseSensitivity, false)
      return re instanceof CellError ? re : re.test(text)
    })
  }

  regexreplace (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('REGEXREPLACE'), (text, pattern, replacement, occurrence, caseSensitivity) => {
      const re = compile(pattern, caseSensitivity, true)
      if (re instanceof CellError) return re
      const n = Math.trunc(occurrence)
      const by = jsReplacement(replacement)
      if (n === 0) return text.replace(re, by)
      const matches = [...text.matchAll(re)]
      const m = n > 0 ? matches[n - 1] : matches[matches.length + n]
      if (!m) return text
      return text.slice(0, m.index) + text.slice(m.index).replace(new RegExp(re.source, re.flags.replace('g', '')), by)
    })
  }

  regexextract (ast, state) {
    return unwrap(this.runFunction(ast.args, state, this.metadata('REGEXEXTRACT'), (text, pattern, returnMode, caseSensitivity) => {
      const mode = Math.trunc(returnMode)
      if (mode < 0 || mode > 2) return error('VALUE', 'return_mode must be 0, 1 or 2')
      const re = compile(pattern, caseSensitivity, mode === 1)
      if (re instanceof CellError) return re
      if (mode === 1) {
        const all = [...text.matchAll(re)].map((m) => m[0])
        return all.length === 0 ? error('NA', 'No match') : nested([all])
      }
      const m = re.exec(text)
      if (!m) return error('NA', 'No match')
      if (mode === 0) return m[0]
      // PCRE2 reports the groups up to the last one that matched; unset ones before it are "".
      const groups = m.slice(1)
      while (groups.length && groups[groups.length - 1] === undefined) groups.pop()
      if (groups.length === 0) return error('VALUE', 'The pattern has no capture group')
      return nested([groups.map((g) => (g === undefined ? '' : g))])
    }))
  }

  // Size of an array result known only by computing it: done at parse time when every
  // argument is a literal; otherwise one cell (the top-left of the result is shown).
  // A range or array given for a scalar parameter makes the call vectorized: one (top-left)
  // value per element.
  computedArraySize (ast, state) {
    const metadata = this.constructor.implementedFunctions[ast.procedureName]
    let width = 1
    let height = 1
    ast.args.forEach((arg, i) => {
      const param = metadata.parameters[i]
      if (!state.arraysFlag || !param || param.argumentType === T.RANGE) return
      const size = this.arraySizePredictor.checkArraySizeForAst(arg, state)
      width = Math.max(width, size.width)
      height = Math.max(height, size.height)
    })
    if (width > 1 || height > 1) return new ArraySize(width, height)
    if (ast.args.every(isStatic)) {
      try {
        const value = this[metadata.method](ast, new InterpreterState(state.formulaAddress, true))
        return value instanceof SimpleRangeValue ? new ArraySize(value.width(), value.height()) : ArraySize.scalar()
      } catch (err) {
        // fall through: a throw here would make the cell a parse error
      }
    }
    // Known only after evaluation: take the range Excel saved for the array formula (the
    // engine declares them; legacy_arrays.js cuts the value to it), else one cell.
    const declared = state.arraysFlag ? declaredSize(state.formulaAddress) : undefined
    return declared ? new ArraySize(declared[1], declared[0]) : ArraySize.scalar()
  }

  // ---- TYPE: reads its argument whole (an array or a range of several cells is 64, even in
  // an array formula); an error is 16, not passed on.
  type (ast, state) {
    if (ast.args.length !== 1 || ast.args[0].type === AstNodeType.EMPTY) {
      return ast.args.length === 1 ? 1 : error('NA', 'Wrong number of arguments')
    }
    let value = this.evaluateAst(ast.args[0], state)
    if (value instanceof SimpleRangeValue) {
      if (value.width() * value.height() > 1) return 64
      value = value.data[0][0]
    }
    if (value instanceof CellError) return 16
    if (typeof value === 'boolean') return 4
    if (typeof value === 'string') return 2
    return 1 // numbers and blanks
  }

  valuetotext (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('VALUETOTEXT'), (value, format) => {
      const strict = textFormat(format)
      return strict instanceof CellError ? strict : valueText(value, strict)
    })
  }

  arraytotext (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ARRAYTOTEXT'), (range, format) => {
      const strict = textFormat(format)
      if (strict instanceof CellError) return strict
      // Excel's strict format refuses a lone blank cell (concise gives "")
      if (strict && range.width() * range.height() === 1 && isEmpty(range.data[0][0])) {
        return error('VALUE', 'Nothing to show')
      }
      const rows = range.data.map((row) => row.map((v) => valueText(v, strict)))
      return strict ? `{${rows.map((r) => r.join(',')).join(';')}}` : rows.map((r) => r.join(', ')).join(', ')
    })
  }
}

const text = { argumentType: T.STRING }
const number = (defaultValue) => ({ argumentType: T.NUMBER, ...(defaultValue === undefined ? {} : { defaultValue }) })
const delimiter = { argumentType: T.RANGE }

TextExtraFunctions.implementedFunctions = {
  LENB: { method: 'lenb', parameters: [text] },
  LEFTB: { method: 'leftb', parameters: [text, number(1)] },
  RIGHTB: { method: 'rightb', parameters: [text, number(1)] },
  MIDB: { method: 'midb', parameters: [text, number(), number()] },
  REPLACEB: { method: 'replaceb', parameters: [text, number(), number(), text] },
  FINDB: { method: 'findb', parameters: [text, text, number(1)] },
  SEARCHB: { method: 'searchb', parameters: [text, text, number(1)] },
  // FIND and SEARCH replace the built-ins with the same code (one byte per character).
  FIND: { method: 'findb', parameters: [text, text, number(1)] },
  SEARCH: { method: 'searchb', parameters: [text, text, number(1)] },
  ASC: { method: 'asc', parameters: [text] },
  BAHTTEXT: { method: 'bahttext', parameters: [number()] },
  CHAR: { method: 'char', parameters: [number()] },
  CODE: { method: 'code', parameters: [text] },
  TEXTBEFORE: {
    method: 'textbefore',
    parameters: [text, delimiter, number(1), number(0), { argumentType: T.BOOLEAN, defaultValue: false },
      { argumentType: T.SCALAR, optionalArg: true }],
  },
  TEXTAFTER: {
    method: 'textafter',
    parameters: [text, delimiter, number(1), number(0), { argumentType: T.BOOLEAN, defaultValue: false },
      { argumentType: T.SCALAR, optionalArg: true }],
  },
  TEXTSPLIT: {
    method: 'textsplit',
    sizeOfResultArrayMethod: 'computedArraySize',
    parameters: [text, delimiter, { argumentType: T.RANGE, optionalArg: true },
      { argumentType: T.BOOLEAN, defaultValue: false }, number(0), { argumentType: T.SCALAR, optionalArg: true }],
  },
  REGEXTEST: { method: 'regextest', parameters: [text, text, number(0)] },
  REGEXREPLACE: { method: 'regexreplace', parameters: [text, text, text, number(0), number(0)] },
  REGEXEXTRACT: {
    method: 'regexextract',
    sizeOfResultArrayMethod: 'computedArraySize',
    parameters: [text, text, number(0), number(0)],
  },
  TYPE: { method: 'type', parameters: [{ argumentType: T.ANY }] },
  VALUETOTEXT: { method: 'valuetotext', parameters: [{ argumentType: T.SCALAR }, number(0)] },
  ARRAYTOTEXT: { method: 'arraytotext', parameters: [{ argumentType: T.RANGE }, number(0)] },
}

module.exports = Object.assign(
  [{ plugin: TextExtraFunctions, translations: translationsFor(TextExtraFunctions) }],
  { isMacWorkbook, bahtText, asc, valueText, KATAKANA_FULL, KATAKANA_HALF },
)
