'use strict'
// ERROR.TYPE: Excel's number for each error value.
const { FunctionPlugin, FunctionArgumentType: T, CellError, ErrorType } = require('hyperformula')
const { error, translationsFor } = require('./common')

// Excel's codes (#NULL! = 1 and #GETTING_DATA = 8 do not exist in HyperFormula).
const CODES = {
  [ErrorType.DIV_BY_ZERO]: 2,
  [ErrorType.VALUE]: 3,
  [ErrorType.REF]: 4,
  [ErrorType.NAME]: 5,
  [ErrorType.NUM]: 6,
  [ErrorType.NA]: 7,
  [ErrorType.SPILL]: 9,
}

class InfoFunctions extends FunctionPlugin {
  errortype (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ERROR.TYPE'), (value) => {
      if (!(value instanceof CellError)) return error('NA', 'Not an error value')
      // HyperFormula-only errors (#CYCLE!, #ERROR!, #LIC!) have no Excel
      // code; passing them on keeps the real cause visible.
      return CODES[value.type] ?? value
    })
  }
}

InfoFunctions.implementedFunctions = {
  'ERROR.TYPE': { method: 'errortype', parameters: [{ argumentType: T.SCALAR }] },
}

module.exports = [{ plugin: InfoFunctions, translations: translationsFor(InfoFunctions) }]
