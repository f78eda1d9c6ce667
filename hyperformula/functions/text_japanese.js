'use strict'
// Double-byte text: JIS and DBCS (the same function under its Excel 2013 name), PHONETIC.
//   JIS      https://support.microsoft.com/office/jis-function-b72fb1a7-ee52-4062-8a5e-1d1a1b6ff5fe
//   DBCS     https://support.microsoft.com/office/dbcs-function-a4025e73-63d2-4958-9423-21a24794c9e5
//   PHONETIC https://support.microsoft.com/office/phonetic-function-9a329dac-0c0f-42f8-9a55-639086988554
// JIS turns half-width (single-byte) characters into their full-width forms: ASCII 0x21-0x7E
// into U+FF01-U+FF5E, the space into the ideographic space, half-width katakana into
// katakana (a base followed by ﾞ or ﾟ becomes one voiced letter); the inverse of ASC.
// PHONETIC reads the furigana a cell keeps; the importer sends no phonetic runs (<rPh> in
// the shared strings), so PHONETIC gives the cell's own text, as Excel does for a cell
// without furigana. Not covered: the furigana themselves; a number or blank gives "".
const { FunctionPlugin, FunctionArgumentType: T, CellError, SimpleRangeValue } = require('hyperformula')
const { translationsFor } = require('./common')
const { KATAKANA_FULL, KATAKANA_HALF } = require('./text_extra')

const FULL_OF = new Map([...KATAKANA_HALF].map((c, i) => [c, KATAKANA_FULL[i]]))

function jis (text) {
  const chars = [...text]
  let out = ''
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]
    const code = ch.codePointAt(0)
    if (code >= 0x21 && code <= 0x7E) {
      out += String.fromCharCode(code + 0xFEE0)
    } else if (ch === ' ') {
      out += '\u3000'
    } else if (FULL_OF.has(ch)) {
      const full = FULL_OF.get(ch)
      const next = chars[i + 1]
      const mark = next === 'ﾞ' ? '\u3099' : next === 'ﾟ' ? '\u309A' : null
      const voiced = mark && (ch === 'ｳ' && mark === '\u3099' ? 'ヴ' : (full + mark).normalize('NFC'))
      if (voiced && voiced.length === 1) {
        out += voiced
        i++
      } else {
        out += full
      }
    } else {
      out += ch
    }
  }
  return out
}

class JapaneseTextFunctions extends FunctionPlugin {
  jis (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('JIS'), jis)
  }

  dbcs (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('DBCS'), jis)
  }

  phonetic (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('PHONETIC'), (reference) => {
      const value = reference instanceof SimpleRangeValue ? reference.data[0][0] : reference
      if (value instanceof CellError) return value
      return typeof value === 'string' ? value : ''
    })
  }
}

JapaneseTextFunctions.implementedFunctions = {
  JIS: { method: 'jis', parameters: [{ argumentType: T.STRING }] },
  DBCS: { method: 'dbcs', parameters: [{ argumentType: T.STRING }] },
  PHONETIC: { method: 'phonetic', parameters: [{ argumentType: T.RANGE }] },
}

module.exports = Object.assign(
  [{ plugin: JapaneseTextFunctions, translations: translationsFor(JapaneseTextFunctions) }],
  { jis },
)
