'use strict'
// COUNTBLANK with Excel's meaning of blank: an empty cell or a cell whose value is the empty
// text "" (a formula returning ""), which HyperFormula's built-in does not count. Numbers,
// zeros, errors and text with spaces are not blank. A whole column or row counts its blank
// cells to the grid's edge (COUNTBLANK(2:2) of a row holding 3 values is 16381), not only
// those of the used area.
// https://support.microsoft.com/office/countblank-function-6a92d772-675c-4bee-b346-24af6bd3ac22
const { FunctionPlugin, FunctionArgumentType: T } = require('hyperformula')
const { error, translationsFor, isEmpty, cellsOf, blankCellsBeyond } = require('./common')

class CountingFunctions extends FunctionPlugin {
  // Evaluated here, not through runFunction, which returns an error argument as the result:
  // COUNTBLANK(A1) of a cell holding #N/A is 0 (not blank), not #N/A.
  countblank (ast, state) {
    if (ast.args.length !== 1) return error('NA', 'COUNTBLANK takes one range')
    const range = this.evaluateAst(ast.args[0], state)
    return cellsOf(range).filter((v) => isEmpty(v) || v === '').length + blankCellsBeyond(range, this.config)
  }
}

CountingFunctions.implementedFunctions = {
    COUNTBLANK: { method: 'countblank', parameters: [{ argumentType: T.ANY }] },
}

module.exports = [{ plugin: CountingFunctions, translations: translationsFor(CountingFunctions) }]
