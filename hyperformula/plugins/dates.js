'use strict'
// Date functions. EDATE replaces HyperFormula's, which clamps to the
// non-leap month length and so never lands on 29 February. DAY, MONTH and YEAR
// replace HyperFormula's for the ends of Excel's calendar: serial 0 is 0 Jan 1900
// (YEAR 1900, MONTH 1, DAY 0), and serials past 31 Dec 9999 are #NUM!.
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

  day (ast, state) {
    return this.datePart(ast, state, 'DAY', (d) => d.day)
  }

  month (ast, state) {
    return this.datePart(ast, state, 'MONTH', (d) => d.month)
  }

  year (ast, state) {
    return this.datePart(ast, state, 'YEAR', (d) => d.year)
  }

  datePart (ast, state, name, part) {
    return this.runFunction(ast.args, state, this.metadata(name), (serial) => {
      const n = Math.trunc(serial)
      if (n < 0 || n > MAX_SERIAL) return error('NUM', 'Date out of range')
      return part(serialToDate(n))
    })
  }
}

DateFunctions.implementedFunctions = {
  EDATE: {
    method: 'edate',
    parameters: [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER }],
    returnNumberType: 'NUMBER_DATE',
  },
  DAY: { method: 'day', parameters: [{ argumentType: T.NUMBER }] },
  MONTH: { method: 'month', parameters: [{ argumentType: T.NUMBER }] },
  YEAR: { method: 'year', parameters: [{ argumentType: T.NUMBER }] },
}

module.exports = [{ plugin: DateFunctions, translations: translationsFor(DateFunctions) }]
