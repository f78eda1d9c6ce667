'use strict'
// XIRR replaces HyperFormula's, which is Newton only and gives #NUM! on some
// cash flows Excel solves. Here Newton runs first (Excel's method, so the
// same root when it converges) and a bracketing bisection takes over if not.
// PMT, PV, IPMT and PPMT gain Excel's domain checks (see AnnuityFunctions).
const { HyperFormula, FunctionPlugin, FunctionArgumentType: T, CellError } = require('hyperformula')
const { error, translationsFor, isNumber, rawNumber, isEmpty, cellsOf } = require('./common')

const TOLERANCE = 1e-12

// Cash flows or dates as numbers; blanks are 0 and anything else is #VALUE!.
function numbersStrict (range) {
  const out = []
  for (const v of cellsOf(range)) {
    if (v instanceof CellError) return v
    if (isEmpty(v)) out.push(0)
    else if (isNumber(v)) out.push(rawNumber(v))
    else return error('VALUE', 'XIRR needs numbers')
  }
  return out
}

// Net present value at rate r and its derivative; times in years of 365 days
// from the first date, as Excel defines XIRR.
function npv (values, years, r) {
  let f = 0
  let df = 0
  for (let i = 0; i < values.length; i++) {
    const discount = Math.pow(1 + r, -years[i])
    f += values[i] * discount
    df -= years[i] * values[i] * discount / (1 + r)
  }
  return { f, df }
}

function newton (values, years, guess) {
  let r = guess
  for (let i = 0; i < 100; i++) {
    const { f, df } = npv(values, years, r)
    if (!Number.isFinite(f) || !Number.isFinite(df) || df === 0) return null
    const next = r - f / df
    if (!Number.isFinite(next) || next <= -1) return null
    if (Math.abs(next - r) <= TOLERANCE * Math.max(1, Math.abs(r))) return next
    r = next
  }
  return null
}

// Look for a sign change on a grid from -99.99% up to 10^6 %, nearest to the
// guess first, then bisect it.
function bisection (values, years, guess) {
  const grid = [-0.9999, -0.999, -0.99, -0.95, -0.9, -0.8, -0.6, -0.4, -0.2, -0.1, 0, 0.05, 0.1, 0.2, 0.4,
    0.7, 1, 2, 5, 10, 100, 1000, 10000]
  const brackets = []
  for (let i = 0; i + 1 < grid.length; i++) {
    const a = npv(values, years, grid[i]).f
    const b = npv(values, years, grid[i + 1]).f
    if (Number.isFinite(a) && Number.isFinite(b) && Math.sign(a) !== Math.sign(b)) brackets.push([grid[i], grid[i + 1]])
  }
  if (brackets.length === 0) return null
  const distance = ([lo, hi]) => Math.min(Math.abs(lo - guess), Math.abs(hi - guess))
  let [lo, hi] = brackets.sort((p, q) => distance(p) - distance(q))[0]
  let flo = npv(values, years, lo).f
  for (let i = 0; i < 200 && hi - lo > TOLERANCE * Math.max(1, Math.abs(lo)); i++) {
    const mid = (lo + hi) / 2
    const fmid = npv(values, years, mid).f
    if (fmid === 0) return mid
    if (Math.sign(fmid) === Math.sign(flo)) {
      lo = mid
      flo = fmid
    } else {
      hi = mid
    }
  }
  return (lo + hi) / 2
}

function xirr (valueRange, dateRange, guess) {
  const values = numbersStrict(valueRange)
  if (values instanceof CellError) return values
  const dates = numbersStrict(dateRange)
  if (dates instanceof CellError) return dates
  if (values.length !== dates.length) return error('NUM', 'values and dates differ in size')
  if (values.length < 2) return error('NUM', 'At least two cash flows are needed')
  if (!values.some((v) => v > 0) || !values.some((v) => v < 0)) return error('NUM', 'Needs a positive and a negative cash flow')
  const days = dates.map(Math.trunc)
  if (days.some((d) => d < 0 || d < days[0])) return error('NUM', 'A date is before the first date')
  if (guess <= -1) return error('NUM', 'guess must be greater than -1')
  const years = days.map((d) => (d - days[0]) / 365)
  const rate = newton(values, years, guess) ?? bisection(values, years, guess)
  return rate === null ? error('NUM', 'XIRR did not converge') : rate
}

// XNPV as HyperFormula computes it, but accepting every kind of number: its own rejects a
// date that comes from DATE() or EDATE() (a typed number), so a DCF's XNPV over computed
// dates gave #VALUE!.
function xnpv (rate, valueRange, dateRange) {
  const values = []
  for (const v of cellsOf(valueRange)) {
    if (v instanceof CellError) return v
    if (!isNumber(v)) return error('VALUE', 'XNPV needs numbers')
    values.push(rawNumber(v))
  }
  const dates = []
  for (const d of cellsOf(dateRange)) {
    if (d instanceof CellError) return d
    if (!isNumber(d)) return error('VALUE', 'XNPV needs dates')
    dates.push(Math.floor(rawNumber(d)))
  }
  if (values.length !== dates.length) return error('NUM', 'values and dates differ in size')
  if (dates[0] < 0) return error('NUM', 'A date is negative')
  let total = 0
  for (let i = 0; i < values.length; i++) {
    if (dates[i] < dates[0]) return error('NUM', 'A date is before the first date')
    total += values[i] / Math.pow(1 + rate, (dates[i] - dates[0]) / 365)
  }
  return total
}

class FinancialFunctions extends FunctionPlugin {
  xirr (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('XIRR'), xirr)
  }

  xnpv (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('XNPV'), xnpv)
  }
}

// ---------------------------------------------------------------- PMT, PV, IPMT, PPMT

// HyperFormula's annuity functions with Excel's domain checks added: a rate of -100% or less
// is #NUM! (PMT(-1,1,-100), PV(-3,5,100)), and IPMT/PPMT need 1 <= per < nper + 1
// (per 3.9 of 3 periods is computed, per 4 or 0.99999 is #NUM!). The maths is the built-in's
// (HyperFormula does not export its cores, so pmtCore & co. are restated here).
const BuiltinFinancial = HyperFormula.getFunctionPlugin('PMT')

function pmtCore (rate, periods, present, future, type) {
  if (rate === 0) return (-present - future) / periods
  const term = Math.pow(1 + rate, periods)
  return (future * rate + present * rate * term) * (type ? 1 / (1 + rate) : 1) / (1 - term)
}

function fvCore (rate, periods, payment, value, type) {
  if (rate === 0) return -value - payment * periods
  const term = Math.pow(1 + rate, periods)
  return payment * (type ? 1 + rate : 1) * (1 - term) / rate - value * term
}

function ipmtCore (rate, period, periods, present, future, type) {
  const payment = pmtCore(rate, periods, present, future, type)
  if (period === 1) return rate * (type ? 0 : -present)
  return rate * (type
    ? fvCore(rate, period - 2, payment, present, type) - payment
    : fvCore(rate, period - 1, payment, present, type))
}

const RATE_DOMAIN = 'The rate must be greater than -100%'

function inPeriodDomain (period, periods) {
  return period >= 1 && period < periods + 1
}

class AnnuityFunctions extends FunctionPlugin {
  pmt (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('PMT'), (rate, ...rest) =>
      rate <= -1 ? error('NUM', RATE_DOMAIN) : pmtCore(rate, ...rest))
  }

  pv (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('PV'), (rate, periods, payment, future, type) => {
      if (rate <= -1) return error('NUM', RATE_DOMAIN)
      if (rate === 0) return -payment * periods - future
      const term = Math.pow(1 + rate, periods)
      return ((1 - term) * payment * (1 + rate * (type ? 1 : 0)) / rate - future) / term
    })
  }

  ipmt (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('IPMT'), (rate, period, periods, ...rest) => {
      if (rate <= -1) return error('NUM', RATE_DOMAIN)
      if (!inPeriodDomain(period, periods)) return error('NUM', 'per must be between 1 and nper')
      return ipmtCore(rate, period, periods, ...rest)
    })
  }

  ppmt (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('PPMT'), (rate, period, periods, ...rest) => {
      if (rate <= -1) return error('NUM', RATE_DOMAIN)
      if (!inPeriodDomain(period, periods)) return error('NUM', 'per must be between 1 and nper')
      return pmtCore(rate, periods, ...rest) - ipmtCore(rate, period, periods, ...rest)
    })
  }
}

// The built-in's argument declarations, unchanged. (Not a subclass of the built-in plugin:
// HyperFormula would then route the built-in's other functions, NPER & co., to this class.)
AnnuityFunctions.implementedFunctions = Object.fromEntries(['PMT', 'PV', 'IPMT', 'PPMT'].map((name) =>
  [name, { ...BuiltinFinancial.implementedFunctions[name], method: name.toLowerCase() }]))

FinancialFunctions.implementedFunctions = {
  XIRR: {
    method: 'xirr',
    parameters: [{ argumentType: T.RANGE }, { argumentType: T.RANGE }, { argumentType: T.NUMBER, defaultValue: 0.1 }],
    returnNumberType: 'NUMBER_PERCENT',
  },
  XNPV: {
    method: 'xnpv',
    parameters: [{ argumentType: T.NUMBER }, { argumentType: T.RANGE }, { argumentType: T.RANGE }],
  },
}

module.exports = [
  { plugin: FinancialFunctions, translations: translationsFor(FinancialFunctions) },
  { plugin: AnnuityFunctions, translations: translationsFor(AnnuityFunctions) },
]
module.exports.xirr = xirr
module.exports.xnpv = xnpv
