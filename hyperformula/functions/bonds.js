'use strict'
// Bond functions HyperFormula 3.5 lacks: the COUP* family, PRICE, YIELD,
// DURATION, MDURATION, ACCRINT and the odd-period ODDFPRICE, ODDFYIELD,
// ODDLPRICE, ODDLYIELD, with Excel's day-count bases:
//   0 US (NASD) 30/360, 1 actual/actual, 2 actual/360, 3 actual/365, 4 European 30/360.
const { FunctionPlugin, FunctionArgumentType: T, CellError } = require('hyperformula')
const { error, translationsFor, serialToDate, dateToSerial, addMonths, isLastDayOfMonth } = require('./common')

// ---------------------------------------------------------------- day counts

function isLastOfFebruary (d) {
  return d.month === 2 && isLastDayOfMonth(d)
}

// 30/360 US as Excel applies it to coupons (and YEARFRAC basis 0).
function days360US (from, to) {
  const a = serialToDate(from)
  const b = serialToDate(to)
  let d1 = a.day
  let d2 = b.day
  if (isLastOfFebruary(a) && isLastOfFebruary(b)) d2 = 30
  if (isLastOfFebruary(a)) d1 = 30
  if (d2 === 31 && d1 >= 30) d2 = 30
  if (d1 === 31) d1 = 30
  return (b.year - a.year) * 360 + (b.month - a.month) * 30 + d2 - d1
}

function days360EU (from, to) {
  const a = serialToDate(from)
  const b = serialToDate(to)
  return (b.year - a.year) * 360 + (b.month - a.month) * 30 + Math.min(b.day, 30) - Math.min(a.day, 30)
}

function dayCount (from, to, basis) {
  if (basis === 0) return days360US(from, to)
  if (basis === 4) return days360EU(from, to)
  return to - from
}

// ---------------------------------------------------------------- coupons

// Coupon dates run back from maturity in steps of 12/frequency months; when
// maturity is a month's last day, every coupon is on a month's last day.
function couponDate (maturity, frequency, periodsBack) {
  return shiftMonths(maturity, -periodsBack * (12 / frequency))
}

// A date moved by whole months, kept on the month's last day when it is one.
function shiftMonths (serial, months) {
  const date = serialToDate(serial)
  return dateToSerial(addMonths(date, months, isLastDayOfMonth(date)))
}

// The coupon period holding settlement and the number of coupons left.
function schedule (settlement, maturity, frequency) {
  // start near the answer, then step to it
  let n = Math.max(1, Math.floor((maturity - settlement) / (365.25 / frequency)))
  while (n > 1 && couponDate(maturity, frequency, n - 1) <= settlement) n--
  while (couponDate(maturity, frequency, n) > settlement) n++
  return { pcd: couponDate(maturity, frequency, n), ncd: couponDate(maturity, frequency, n - 1), n }
}

function coupDays (s, basis, frequency) {
  if (basis === 1) return s.ncd - s.pcd
  return (basis === 3 ? 365 : 360) / frequency
}

// Everything PRICE, YIELD and DURATION need about a settlement date.
function couponFacts (settlement, maturity, frequency, basis) {
  const s = schedule(settlement, maturity, frequency)
  const E = coupDays(s, basis, frequency)
  const A = dayCount(s.pcd, settlement, basis)
  // COUPDAYSNC is E - A on the 30/360 bases, actual days otherwise; but
  // PRICE, YIELD and DURATION discount the first period by (E - A) / E on
  // every basis (on actual/360 and actual/365 the two differ).
  const DSC = basis === 0 || basis === 4 ? E - A : s.ncd - settlement
  return { ...s, E, A, DSC, first: (E - A) / E }
}

// Shared checks: dates are truncated, settlement before maturity, frequency
// 1, 2 or 4 and basis 0-4, else #NUM!.
function checkTerms (settlement, maturity, frequency, basis) {
  const terms = {
    settlement: Math.trunc(settlement),
    maturity: Math.trunc(maturity),
    frequency: Math.trunc(frequency),
    basis: Math.trunc(basis),
  }
  if (terms.settlement < 0 || terms.settlement >= terms.maturity) return error('NUM', 'Settlement must be before maturity')
  if (![1, 2, 4].includes(terms.frequency)) return error('NUM', 'Frequency must be 1, 2 or 4')
  if (terms.basis < 0 || terms.basis > 4) return error('NUM', 'Basis must be 0 to 4')
  return terms
}

// ---------------------------------------------------------------- prices

function price (f, rate, yld, redemption, frequency) {
  const coupon = 100 * rate / frequency
  const accrued = coupon * f.A / f.E
  if (f.n === 1) {
    return (redemption + coupon) / (1 + f.first * yld / frequency) - accrued
  }
  const base = 1 + yld / frequency
  const first = f.first
  let total = redemption / Math.pow(base, f.n - 1 + first)
  for (let k = 1; k <= f.n; k++) total += coupon / Math.pow(base, k - 1 + first)
  return total - accrued
}

// YIELD: Excel's closed form with one coupon left, else solve price(y) = pr.
function solveYield (f, rate, pr, redemption, frequency) {
  if (f.n === 1) {
    const accruedShare = f.A / f.E * rate / frequency
    const paid = redemption / 100 + rate / frequency
    const cost = pr / 100 + accruedShare
    return (paid - cost) / cost * frequency / f.first
  }
  return solveRate((y) => price(f, rate, y, redemption, frequency) - pr, frequency)
}

// The yield where gap(y) = 0: Newton (numeric slope) from 5%, bisection
// over (-frequency, 100] if Newton fails. null when there is no root.
function solveRate (gap, frequency) {
  let y = 0.05
  for (let i = 0; i < 100; i++) {
    const g = gap(y)
    const slope = (gap(y + 1e-7) - g) / 1e-7
    const next = y - g / slope
    if (!Number.isFinite(next)) break
    if (Math.abs(next - y) < 1e-12) return next
    y = next
  }
  let lo = -frequency + 1e-9
  let hi = 100
  if (Math.sign(gap(lo)) === Math.sign(gap(hi))) return null
  for (let i = 0; i < 300 && hi - lo > 1e-14; i++) {
    const mid = (lo + hi) / 2
    if (Math.sign(gap(mid)) === Math.sign(gap(lo))) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

// Macaulay duration in years, on a face of 100.
function duration (f, rate, yld, frequency) {
  const coupon = 100 * rate / frequency
  const base = 1 + yld / frequency
  let weighted = 0
  let value = 0
  for (let k = 1; k <= f.n; k++) {
    const t = k - 1 + f.first
    const cash = coupon + (k === f.n ? 100 : 0)
    const pv = cash / Math.pow(base, t)
    weighted += t * pv
    value += pv
  }
  return weighted / value / frequency
}

// ---------------------------------------------------------------- ACCRINT

// Sum over the quasi-coupon periods (anchored on first_interest) of the
// days accrued in each divided by that period's length.
function accrint (issue, first, settlement, rate, par, frequency, basis, fromIssue) {
  const months = 12 / frequency
  const anchor = serialToDate(first)
  const eom = isLastDayOfMonth(anchor)
  const quasi = (k) => dateToSerial(addMonths(anchor, k * months, eom))
  const start = !fromIssue && settlement > first ? first : issue
  let k = 0
  while (quasi(k) > start) k--
  while (quasi(k + 1) <= start) k++
  let periods = 0
  for (; quasi(k) < settlement; k++) {
    const ps = quasi(k)
    const pe = quasi(k + 1)
    const from = Math.max(start, ps)
    const to = Math.min(settlement, pe)
    const length = basis === 1 ? pe - ps : (basis === 3 ? 365 : 360) / frequency
    periods += dayCount(from, to, basis) / length
  }
  return par * rate / frequency * periods
}

// ---------------------------------------------------------------- odd periods
// Microsoft's ODDFPRICE and ODDLPRICE pages give the formulas; a long odd
// period is cut into quasi-coupon periods (the regular schedule carried
// past the odd coupon) and each piece counts as its share of its own period.

// Days from `from` to `to` on the basis, 0 when `to` comes first.
function daysBetween (from, to, basis) {
  return Math.max(0, dayCount(from, to, basis))
}

// ODDLPRICE measures its quasi-coupon periods on basis 0 with both ends
// moved to the 30th (31st, or last of February) — the 30/360 "PSA" count.
function oddLastDays (from, to, basis) {
  if (basis !== 0) return daysBetween(from, to, basis)
  const a = serialToDate(from)
  const b = serialToDate(to)
  const d1 = a.day === 31 || isLastOfFebruary(a) ? 30 : a.day
  const d2 = b.day === 31 || isLastOfFebruary(b) ? 30 : b.day
  return Math.max(0, (b.year - a.year) * 360 + (b.month - a.month) * 30 + d2 - d1)
}

// ODDFPRICE: the first coupon is paid at `first` after an odd period that
// began at `issue`; regular coupons follow to maturity.
function oddFirstPrice (t, issue, first, rate, yld, redemption) {
  const { settlement, maturity, frequency, basis } = t
  const coupon = 100 * rate / frequency
  const base = 1 + yld / frequency
  const s = schedule(settlement, first, frequency)
  const E = coupDays(s, basis, frequency)
  const DFC = daysBetween(issue, first, basis)
  if (DFC < E) {
    // short first period: it lies in the quasi-period holding settlement
    const N = schedule(settlement, maturity, frequency).n
    const DSC = daysBetween(settlement, first, basis)
    const A = daysBetween(issue, settlement, basis)
    const x = DSC / E
    let total = redemption / Math.pow(base, N - 1 + x) + coupon * DFC / E / Math.pow(base, x)
    for (let k = 2; k <= N; k++) total += coupon / Math.pow(base, k - 1 + x)
    return total - coupon * A / E
  }
  // long first period: sum its quasi-coupon periods, the latest first
  const NC = schedule(issue, first, frequency).n
  let counted = 0
  let accrued = 0
  for (let k = 1; k <= NC; k++) {
    const late = couponDate(first, frequency, k - 1)
    const early = couponDate(first, frequency, k)
    const NL = basis === 1 ? late - early : E
    const DC = k < NC ? NL : daysBetween(issue, late, basis)
    counted += DC / NL
    accrued += daysBetween(Math.max(issue, early), Math.min(settlement, late), basis) / NL
  }
  const DSC = basis === 2 || basis === 3 ? s.ncd - settlement : E - dayCount(s.pcd, settlement, basis)
  const Nq = s.n - 1 // whole quasi-periods between the next quasi-coupon and the first coupon
  const N = schedule(first, maturity, frequency).n
  const x = Nq + DSC / E
  let total = redemption / Math.pow(base, N + x) + coupon * counted / Math.pow(base, x)
  for (let k = 1; k <= N; k++) total += coupon / Math.pow(base, k + x)
  return total - coupon * accrued
}

// ODDLPRICE / ODDLYIELD share three sums over the quasi-coupon periods of
// the odd last period (from `last` to maturity): days counted (DC), days
// accrued before settlement (A) and days left after settlement (DSC), each
// over its quasi-period's normal length (NL).
function oddLastSums (t, last) {
  const { settlement, maturity, frequency, basis } = t
  const months = 12 / frequency
  const NC = schedule(last, maturity, frequency).n
  const sums = { counted: 0, accrued: 0, remaining: 0 }
  for (let k = 1; k <= NC; k++) {
    const early = shiftMonths(last, (k - 1) * months)
    const late = shiftMonths(last, k * months)
    const NL = oddLastDays(early, late, basis)
    const DC = k < NC ? NL : oddLastDays(early, maturity, basis)
    const A = late < settlement ? DC : daysBetween(early, settlement, basis)
    sums.counted += DC / NL
    sums.accrued += A / NL
    sums.remaining += daysBetween(Math.max(settlement, early), Math.min(maturity, late), basis) / NL
  }
  return sums
}

// Microsoft's ODDLPRICE formula: simple interest over the odd period.
function oddLastPrice (t, last, rate, yld, redemption) {
  const coupon = 100 * rate / t.frequency
  const s = oddLastSums(t, last)
  return (redemption + s.counted * coupon) / (1 + s.remaining * yld / t.frequency) - s.accrued * coupon
}

// Microsoft's ODDLYIELD formula, the closed-form inverse of ODDLPRICE.
function oddLastYield (t, last, rate, pr, redemption) {
  const coupon = 100 * rate / t.frequency
  const s = oddLastSums(t, last)
  const cost = pr + s.accrued * coupon
  return (redemption + s.counted * coupon - cost) / cost * t.frequency / s.remaining
}

// ---------------------------------------------------------------- plugin

class BondFunctions extends FunctionPlugin {
  // Run a COUP* function: validate terms, then compute from the schedule.
  coupon (name, ast, state, compute) {
    return this.runFunction(ast.args, state, this.metadata(name), (settlement, maturity, frequency, basis) => {
      const terms = checkTerms(settlement, maturity, frequency, basis)
      if (terms instanceof CellError) return terms
      return compute(terms, couponFacts(terms.settlement, terms.maturity, terms.frequency, terms.basis))
    })
  }

  coupdaybs (ast, state) { return this.coupon('COUPDAYBS', ast, state, (t, f) => f.A) }
  coupdays (ast, state) { return this.coupon('COUPDAYS', ast, state, (t, f) => f.E) }
  coupdaysnc (ast, state) { return this.coupon('COUPDAYSNC', ast, state, (t, f) => f.DSC) }
  coupncd (ast, state) { return this.coupon('COUPNCD', ast, state, (t, f) => f.ncd) }
  couppcd (ast, state) { return this.coupon('COUPPCD', ast, state, (t, f) => f.pcd) }
  coupnum (ast, state) { return this.coupon('COUPNUM', ast, state, (t, f) => f.n) }

  price (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('PRICE'), (settlement, maturity, rate, yld, redemption, frequency, basis) => {
      const terms = checkTerms(settlement, maturity, frequency, basis)
      if (terms instanceof CellError) return terms
      if (rate < 0 || yld < 0 || redemption <= 0) return error('NUM', 'rate and yld must be >= 0, redemption > 0')
      const f = couponFacts(terms.settlement, terms.maturity, terms.frequency, terms.basis)
      return price(f, rate, yld, redemption, terms.frequency)
    })
  }

  yield (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('YIELD'), (settlement, maturity, rate, pr, redemption, frequency, basis) => {
      const terms = checkTerms(settlement, maturity, frequency, basis)
      if (terms instanceof CellError) return terms
      if (rate < 0 || pr <= 0 || redemption <= 0) return error('NUM', 'rate must be >= 0, pr and redemption > 0')
      const f = couponFacts(terms.settlement, terms.maturity, terms.frequency, terms.basis)
      const y = solveYield(f, rate, pr, redemption, terms.frequency)
      return y === null ? error('NUM', 'YIELD did not converge') : y
    })
  }

  duration (ast, state) {
    return this.runDuration('DURATION', ast, state, (d) => d)
  }

  mduration (ast, state) {
    return this.runDuration('MDURATION', ast, state, (d, yld, frequency) => d / (1 + yld / frequency))
  }

  runDuration (name, ast, state, finish) {
    return this.runFunction(ast.args, state, this.metadata(name), (settlement, maturity, rate, yld, frequency, basis) => {
      const terms = checkTerms(settlement, maturity, frequency, basis)
      if (terms instanceof CellError) return terms
      if (rate < 0 || yld < 0) return error('NUM', 'coupon and yld must be >= 0')
      const f = couponFacts(terms.settlement, terms.maturity, terms.frequency, terms.basis)
      return finish(duration(f, rate, yld, terms.frequency), yld, terms.frequency)
    })
  }

  accrint (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ACCRINT'), (issue, first, settlement, rate, par, frequency, basis, fromIssue) => {
      const terms = checkTerms(Math.trunc(issue), Math.trunc(settlement), frequency, basis)
      if (terms instanceof CellError) return terms
      if (rate <= 0 || par <= 0) return error('NUM', 'rate and par must be > 0')
      return accrint(terms.settlement, Math.trunc(first), terms.maturity, rate, par, terms.frequency, terms.basis, fromIssue)
    })
  }

  // ODDFPRICE and ODDFYIELD: Excel asks maturity > first_coupon > settlement > issue.
  oddFirst (name, ast, state, compute) {
    return this.runFunction(ast.args, state, this.metadata(name), (settlement, maturity, issue, first, rate, value, redemption, frequency, basis) => {
      const terms = checkTerms(settlement, maturity, frequency, basis)
      if (terms instanceof CellError) return terms
      const [i, f] = [Math.trunc(issue), Math.trunc(first)]
      if (!(terms.maturity > f && f > terms.settlement && terms.settlement > i)) {
        return error('NUM', 'Dates must satisfy maturity > first_coupon > settlement > issue')
      }
      if (rate < 0 || redemption <= 0) return error('NUM', 'rate must be >= 0 and redemption > 0')
      return compute(terms, i, f, rate, value, redemption)
    })
  }

  oddfprice (ast, state) {
    return this.oddFirst('ODDFPRICE', ast, state, (t, issue, first, rate, yld, redemption) => {
      if (yld < 0) return error('NUM', 'yld must be >= 0')
      return oddFirstPrice(t, issue, first, rate, yld, redemption)
    })
  }

  oddfyield (ast, state) {
    return this.oddFirst('ODDFYIELD', ast, state, (t, issue, first, rate, pr, redemption) => {
      if (pr <= 0) return error('NUM', 'pr must be > 0')
      const y = solveRate((yld) => oddFirstPrice(t, issue, first, rate, yld, redemption) - pr, t.frequency)
      return y === null ? error('NUM', 'ODDFYIELD did not converge') : y
    })
  }

  // ODDLPRICE and ODDLYIELD: Excel asks maturity > settlement > last_interest.
  oddLast (name, ast, state, compute) {
    return this.runFunction(ast.args, state, this.metadata(name), (settlement, maturity, last, rate, value, redemption, frequency, basis) => {
      const terms = checkTerms(settlement, maturity, frequency, basis)
      if (terms instanceof CellError) return terms
      const l = Math.trunc(last)
      if (!(terms.settlement > l)) return error('NUM', 'Dates must satisfy maturity > settlement > last_interest')
      if (rate < 0 || redemption <= 0) return error('NUM', 'rate must be >= 0 and redemption > 0')
      return compute(terms, l, rate, value, redemption)
    })
  }

  oddlprice (ast, state) {
    return this.oddLast('ODDLPRICE', ast, state, (t, last, rate, yld, redemption) =>
      yld < 0 ? error('NUM', 'yld must be >= 0') : oddLastPrice(t, last, rate, yld, redemption))
  }

  oddlyield (ast, state) {
    return this.oddLast('ODDLYIELD', ast, state, (t, last, rate, pr, redemption) =>
      pr <= 0 ? error('NUM', 'pr must be > 0') : oddLastYield(t, last, rate, pr, redemption))
  }
}

const N = { argumentType: T.NUMBER }
const BASIS = { argumentType: T.NUMBER, defaultValue: 0 }
const couponFunction = (method, returnNumberType) => ({ method, parameters: [N, N, N, BASIS], returnNumberType })

BondFunctions.implementedFunctions = {
  COUPDAYBS: couponFunction('coupdaybs'),
  COUPDAYS: couponFunction('coupdays'),
  COUPDAYSNC: couponFunction('coupdaysnc'),
  COUPNCD: couponFunction('coupncd', 'NUMBER_DATE'),
  COUPPCD: couponFunction('couppcd', 'NUMBER_DATE'),
  COUPNUM: couponFunction('coupnum'),
  PRICE: { method: 'price', parameters: [N, N, N, N, N, N, BASIS] },
  YIELD: { method: 'yield', parameters: [N, N, N, N, N, N, BASIS] },
  DURATION: { method: 'duration', parameters: [N, N, N, N, N, BASIS] },
  MDURATION: { method: 'mduration', parameters: [N, N, N, N, N, BASIS] },
  ODDFPRICE: { method: 'oddfprice', parameters: [N, N, N, N, N, N, N, N, BASIS] },
  ODDFYIELD: { method: 'oddfyield', parameters: [N, N, N, N, N, N, N, N, BASIS] },
  ODDLPRICE: { method: 'oddlprice', parameters: [N, N, N, N, N, N, N, BASIS] },
  ODDLYIELD: { method: 'oddlyield', parameters: [N, N, N, N, N, N, N, BASIS] },
  ACCRINT: {
    method: 'accrint',
    parameters: [N, N, N, N, { argumentType: T.NUMBER, defaultValue: 1000 }, N, BASIS,
      { argumentType: T.BOOLEAN, defaultValue: true }],
  },
}

module.exports = Object.assign([{ plugin: BondFunctions, translations: translationsFor(BondFunctions) }], {
  days360US,
  days360EU,
})
