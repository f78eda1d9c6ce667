'use strict'
// ENCODEURL and SINGLE.
//   ENCODEURL https://support.microsoft.com/office/encodeurl-function-07c7fb90-7c60-4bff-8687-fac50fe33d0e
//     UTF-8 percent-encoding of every character but the unreserved A-Z a-z 0-9 - _ . ~
//     (a space is %20); no service is called, unlike WEBSERVICE.
//   SINGLE https://support.microsoft.com/office/implicit-intersection-operator-ce3be07b-0101-4450-a24e-c1c999be2b34
//     the @ operator, saved as _xlfn.SINGLE: the cell of the range in the formula's row (a
//     column), column (a row) or both; #VALUE! when the formula is outside it; an array's
//     top-left value. importer/translate.py rewrites most SINGLE calls before the engine sees
//     them; this is the engine's own answer for the rest.
const { FunctionPlugin, FunctionArgumentType: T, SimpleRangeValue } = require('hyperformula')
const { error, translationsFor } = require('./common')

function encodeUrl (text) {
  let out = ''
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte)
    out += /[A-Za-z0-9\-_.~]/.test(ch) ? ch : '%' + byte.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}

class WebFunctions extends FunctionPlugin {
  encodeurl (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ENCODEURL'), (text) =>
      text.length > 2048 ? error('VALUE', 'ENCODEURL: at most 2048 characters') : encodeUrl(text))
  }

  single (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('SINGLE'), (value) => {
      if (!(value instanceof SimpleRangeValue)) return value
      if (value.isAdHoc() || (value.width() === 1 && value.height() === 1)) return value.data[0][0]
      const r = value.range
      const at = state.formulaAddress
      if (r.sheet !== at.sheet && !(value.height() === 1 || value.width() === 1)) return error('VALUE', 'SINGLE: no intersection')
      let row = 0
      let col = 0
      if (value.height() > 1) {
        row = at.row - r.start.row
        if (r.sheet !== at.sheet || row < 0 || row >= value.height()) return error('VALUE', 'SINGLE: no intersection')
      }
      if (value.width() > 1) {
        col = at.col - r.start.col
        if (r.sheet !== at.sheet || col < 0 || col >= value.width()) return error('VALUE', 'SINGLE: no intersection')
      }
      return value.data[row][col]
    })
  }
}

WebFunctions.implementedFunctions = {
  ENCODEURL: { method: 'encodeurl', parameters: [{ argumentType: T.STRING }] },
  SINGLE: { method: 'single', parameters: [{ argumentType: T.RANGE }] },
}

module.exports = Object.assign([{ plugin: WebFunctions, translations: translationsFor(WebFunctions) }], { encodeUrl })
