'use strict'
// Date functions. EDATE replaces HyperFormula's, which clamps to the
// non-leap month length and so never lands on 29 February.
const { FunctionPlugin, FunctionArgumentType: T } = require('hyperformula')
const { error, translationsFor, serialToDate, dateToSerial, addMonths, MAX_SERIAL } = require('./common')

class DateFunctions extends FunctionPlugin {
  edate (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('EDATE'), (start, months) => {
      // Excel truncates both: EDATE(DATE(2024,1,31)+0.7, 1.9) = 2024-02-29
      const from = Math.trunc(start)
      if (from < 0 || from > MAX_SERIAL) return error('NUM', 'Date out of range')
      const result = dateToSerial(addMonths(serialToDate(from), Math.trunc(months)))
      if (result < 0 || result > MAX_SERIAL) return error('NUM', 'Date out of range')
      return result
    })
  }
}

DateFunctions.implementedFunctions = {
  EDATE: {
    method: 'edate',
    parameters: [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER }],
    returnNumberType: 'NUMBER_DATE',
  },
}

module.exports = [{ plugin: DateFunctions, translations: translationsFor(DateFunctions) }]
