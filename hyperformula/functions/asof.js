'use strict'
// TODAY() and NOW() at the workbook's as-of instant, not at the moment the engine runs:
// https://support.microsoft.com/office/today-function-5eb3078d-a82c-4736-8930-2f51a028fdd9
// https://support.microsoft.com/office/now-function-3337fd29-145a-4347-b2e6-20c904739c46
// Excel caches them at its last recalculation, almost always the save, so the importer sends
// that instant (docProps/core.xml's modified time unless the user gives another) as a
// wall-clock text, "YYYY-MM-DDTHH:MM:SS[.fff]", in the time zone it chose (importer/pipeline.py).
// The instant is the request's (context.js: asOf); without one they read this machine's
// clock, as HyperFormula's own do. Both stay volatile in the engine.
// Not covered: the instant of a recalculation Excel did without saving; NOW() can only equal
// Excel's cached value when the as-of instant is the real recalculation instant.
const { FunctionPlugin } = require('hyperformula')
const { translationsFor, error } = require('./common')
const { timeToNumber } = require('../internals')
const context = require('../context')

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?$/

// {year, month, day, hours, minutes, seconds} of the as-of instant, or undefined when the
// text cannot be read; this machine's local clock when no instant was given.
function wallClock () {
  const asOf = context.current().asOf
  if (asOf == null) {
    const now = new Date(Date.now())
    return { year: now.getFullYear(), month: now.getMonth() + 1, day: now.getDate(),
      hours: now.getHours(), minutes: now.getMinutes(), seconds: now.getSeconds() + now.getMilliseconds() / 1000 }
  }
  const m = WALL_CLOCK.exec(String(asOf))
  if (!m) return undefined
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]),
    hours: Number(m[4] || 0), minutes: Number(m[5] || 0), seconds: Number(m[6] || 0) }
}

class AsOfFunctions extends FunctionPlugin {
  today (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('TODAY'), () => {
      const clock = wallClock()
      if (clock === undefined) return error('VALUE', 'TODAY: the as-of instant is not a date')
      return this.dateTimeHelper.dateToNumber(clock)
    })
  }

  now (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('NOW'), () => {
      const clock = wallClock()
      if (clock === undefined) return error('VALUE', 'NOW: the as-of instant is not a date')
      return this.dateTimeHelper.dateToNumber(clock) + timeToNumber(clock)
    })
  }
}

AsOfFunctions.implementedFunctions = {
  TODAY: { method: 'today', parameters: [], isVolatile: true, returnNumberType: 'NUMBER_DATE' },
  NOW: { method: 'now', parameters: [], isVolatile: true, returnNumberType: 'NUMBER_DATETIME' },
}

module.exports = [{ plugin: AsOfFunctions, translations: translationsFor(AsOfFunctions) }]
