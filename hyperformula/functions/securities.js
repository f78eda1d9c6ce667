'use strict'
// Securities that pay at maturity or are sold at a discount, and the French depreciation
// functions, as Microsoft's pages describe them:
//   ACCRINTM  https://support.microsoft.com/office/accrintm-function-f62f01f9-5754-4cc4-805b-0e70199328a7
//   DISC      https://support.microsoft.com/office/disc-function-71fce9f3-3f05-4acf-a5a3-eac6ef4daa53
//   INTRATE   https://support.microsoft.com/office/intrate-function-5cb34dde-a221-4cb6-b3eb-0b9e55e1316f
//   PRICEDISC https://support.microsoft.com/office/pricedisc-function-d06ad7c1-380e-4be7-9fd9-75e3079acfd3
//   PRICEMAT  https://support.microsoft.com/office/pricemat-function-52c3b4da-bc7e-476a-989f-a95f675cae77
//   RECEIVED  https://support.microsoft.com/office/received-function-7a3f8b93-6611-4f81-8576-828312c9b5e5
//   YIELDDISC https://support.microsoft.com/office/yielddisc-function-a9dbdbae-7dae-46de-b995-615faffaaed7
//   YIELDMAT  https://support.microsoft.com/office/yieldmat-function-ba7d1809-0d33-4bcb-96c7-6c56ec62ef6f
//   AMORDEGRC https://support.microsoft.com/office/amordegrc-function-a14d0ca1-64a4-42eb-9b3d-b0dededf9e51
//   AMORLINC  https://support.microsoft.com/office/amorlinc-function-7d417b45-f7f5-4dba-a0a5-3451a81079a8
//   VDB       https://support.microsoft.com/office/vdb-function-dde4e207-f3fa-488d-91d2-66d55e861d73
//   TBILLEQ   https://support.microsoft.com/office/tbilleq-function-2ab72d90-9b4d-4efe-9fc2-0f81f2c19c8b
//   YEARFRAC  https://support.microsoft.com/office/yearfrac-function-3844141e-c76d-4143-82b6-208454ddc6a8
//
// TBILLEQ (replaces HyperFormula's): Microsoft's page gives only 365 x rate / (360 - rate x DSM),
// which is the bond-equivalent yield of a bill of half a year or less. For a longer bill (more
// than 182 days, up to one calendar year) Excel solves the semi-annual bond equivalence
// (price P = 100 x (1 - rate x DSM / 360), x = DSM / year, year 365, or 366 for a 366-day bill):
//   (-2x + 2 sqrt(x^2 - (2x - 1)(1 - 100 / P))) / (2x - 1)
// as the values Excel saved for such bills show. A price of 0 or less is #NUM!.
//
// Day counts: "days / days in the year" is YEARFRAC of the same basis (on actual/actual the
// average length of the years spanned, as YEARFRAC basis 1: DISC's documented 0.000686384
// needs it), except ACCRINTM, whose year is that of the issue date (366 in a leap year).
// Dates and basis are truncated; a basis outside 0..4 and dates in the wrong order are #NUM!.
//
// VDB refuses more than a million periods (#NUM!) rather than loop over them.
// Not covered: Microsoft's AMORDEGRC page says a life (1/rate) between 0 and 3 or 4 and 5
// is #NUM!; the depreciation coefficients are applied as the same page's table gives them
// (1 below 3 years, 1.5 below 5, 2 up to 6, 2.5 above), as other spreadsheets do, and no such
// #NUM! is made. Booleans where a number is expected are read as 1/0 (Excel: #VALUE!).
const { FunctionPlugin, FunctionArgumentType: T, CellError } = require('hyperformula')
const { error, translationsFor, serialToDate, dateToSerial, addMonths, isLeapYear, MAX_SERIAL } = require('./common')
const { days360US, days360EU } = require('./bonds')

// ---------------------------------------------------------------- day counts

function yearLength (year) {
  return isLeapYear(year) ? 366 : 365
}

// YEARFRAC's actual/actual: within one year (or less than a year apart), the length of that
// year, 366 when the span holds a 29 February; over several years, their average length.
function actualYearFraction (from, to) {
  const a = serialToDate(from)
  const b = serialToDate(to)
  const days = to - from
  const withinAYear = a.year === b.year ||
    (b.year === a.year + 1 && (a.month > b.month || (a.month === b.month && a.day >= b.day)))
  if (withinAYear) {
    let length = 365
    if (a.year === b.year && isLeapYear(a.year)) length = 366
    else if (a.year !== b.year && spansLeapDay(a, b)) length = 366
    return days / length
  }
  // The average is of the real calendar's years: 1900 counts 365 days here (Excel's
  // YEARFRAC(1987,345,1) is 1642 / (2191 / 6)), though serial 60 is its 29 February.
  let total = 0
  for (let y = a.year; y <= b.year; y++) total += y === 1900 ? 365 : yearLength(y)
  return days / (total / (b.year - a.year + 1))
}

// A 29 February between a and b (a's year then b's), both ends included.
function spansLeapDay (a, b) {
  if (isLeapYear(a.year) && (a.month < 2 || (a.month === 2 && a.day <= 29))) return true
  if (isLeapYear(b.year) && (b.month > 2 || (b.month === 2 && b.day === 29))) return true
  return false
}

function yearFraction (from, to, basis) {
  switch (basis) {
    case 0: return days360US(from, to) / 360
    case 1: return actualYearFraction(from, to)
    case 2: return (to - from) / 360
    case 3: return (to - from) / 365
    default: return days360EU(from, to) / 360
  }
}

// ACCRINTM's A/D: days on the basis over the year of the first date.
function yearDiff (from, to, basis) {
  switch (basis) {
    case 0: return days360US(from, to) / 360
    case 1: return (to - from) / yearLength(serialToDate(from).year)
    case 2: return (to - from) / 360
    case 3: return (to - from) / 365
    default: return days360EU(from, to) / 360
  }
}

// Dates truncated and in Excel's range, basis 0..4. `dates` in the order they must ascend
// strictly (issue < settlement < maturity...). Returns the truncated values, or the error.
function checkDates (dates, basis, bases = [0, 1, 2, 3, 4]) {
  const out = dates.map(Math.trunc)
  if (out.some((d) => d < 0 || d > MAX_SERIAL)) return error('NUM', 'Date out of range')
  for (let i = 1; i < out.length; i++) {
    if (out[i - 1] >= out[i]) return error('NUM', 'Dates must be in order (settlement before maturity)')
  }
  const b = Math.trunc(basis)
  if (!bases.includes(b)) return error('NUM', `Basis must be ${bases.join(', ')}`)
  return { dates: out, basis: b }
}

// ---------------------------------------------------------------- depreciation

// DDB's depreciation for one period, as VDB uses it (never below salvage, never negative).
function ddb (cost, salvage, life, period, factor) {
  let rate = factor / life
  let before
  if (rate >= 1) {
    rate = 1
    before = period === 1 ? cost : 0
  } else {
    before = cost * Math.pow(1 - rate, period - 1)
  }
  const after = cost * Math.pow(1 - rate, period)
  const value = after < salvage ? before - salvage : before - after
  return Math.max(0, value)
}

// Depreciation over the first `periods` periods (the last one may be partial) of an asset
// whose remaining life is `remaining`, switching to straight line once that is larger (every
// period after the switch is the same amount, added at once).
function vdbFromStart (cost, salvage, life, remaining, periods, factor) {
  const end = Math.ceil(periods)
  let total = 0
  let left = cost - salvage
  for (let i = 1; i <= end; i++) {
    const declining = ddb(cost, salvage, life, i, factor)
    const straight = left / (remaining - (i - 1))
    const share = i === end ? periods + 1 - end : 1
    if (straight > declining) {
      // this period and the end - i after it, the last one partial
      return total + straight * (end - i + (periods + 1 - end))
    }
    total += declining * share
    left -= declining
  }
  return total
}

// VDB loops over periods until straight line takes over; far more periods than any asset
// schedule has are refused rather than looped over.
const MAX_PERIODS = 1e6

function vdb (cost, salvage, life, start, end, factor, noSwitch) {
  const first = Math.floor(start)
  const last = Math.ceil(end)
  if (noSwitch) {
    let total = 0
    for (let i = first + 1; i <= last; i++) {
      let term = ddb(cost, salvage, life, i, factor)
      if (i === first + 1) term *= Math.min(end, first + 1) - start
      else if (i === last) term *= end + 1 - last
      total += term
    }
    return total
  }
  // Partial periods at either end are taken off the whole periods' depreciation.
  let part = 0
  if (start !== first) {
    const value = cost - vdbFromStart(cost, salvage, life, life, first, factor)
    part += (start - first) * vdbFromStart(value, salvage, life, life - first, 1, factor)
  }
  if (end !== last) {
    const value = cost - vdbFromStart(cost, salvage, life, life, last - 1, factor)
    part += (last - end) * vdbFromStart(value, salvage, life, life - (last - 1), 1, factor)
  }
  const value = cost - vdbFromStart(cost, salvage, life, life, first, factor)
  return vdbFromStart(value, salvage, life, life - first, last - first, factor) - part
}

// Excel rounds AMORDEGRC's amounts to whole units, halves away from zero.
function roundHalfAway (x) {
  return Math.sign(x) * Math.round(Math.abs(x))
}

function amordegrc (cost, purchased, firstPeriod, salvage, period, rate, basis) {
  const life = 1 / rate
  const coefficient = life < 3 ? 1 : life < 5 ? 1.5 : life <= 6 ? 2 : 2.5
  const r = rate * coefficient
  let amount = roundHalfAway(yearFraction(purchased, firstPeriod, basis) * r * cost)
  let value = cost - amount
  let rest = value - salvage
  for (let n = 0; n < period; n++) {
    amount = roundHalfAway(r * value)
    // nothing left to depreciate (amounts round to 0): every later period is 0 too
    if (amount === 0) return 0
    rest -= amount
    if (rest < 0) return period - n <= 1 ? roundHalfAway(value * 0.5) : 0
    value -= amount
  }
  return amount
}

function amorlinc (cost, purchased, firstPeriod, salvage, period, rate, basis) {
  const full = cost * rate
  const first = yearFraction(purchased, firstPeriod, basis) * rate * cost
  const periods = Math.trunc((cost - salvage - first) / full)
  let result = 0
  if (period === 0) result = first
  else if (period <= periods) result = full
  else if (period === periods + 1) result = cost - salvage - full * periods - first
  return result > 0 ? result : 0
}

// ---------------------------------------------------------------- plugin

class SecurityFunctions extends FunctionPlugin {
  // settlement, maturity, x, y, basis: the discount family.
  discounted (name, ast, state, check, compute) {
    return this.runFunction(ast.args, state, this.metadata(name), (settlement, maturity, x, y, basis) => {
      const terms = checkDates([settlement, maturity], basis)
      if (terms instanceof CellError) return terms
      const bad = check(x, y)
      if (bad) return error('NUM', bad)
      return compute(x, y, yearFraction(terms.dates[0], terms.dates[1], terms.basis))
    })
  }

  disc (ast, state) {
    return this.discounted('DISC', ast, state, (pr, redemption) => (pr <= 0 || redemption <= 0) && 'pr and redemption must be > 0',
      (pr, redemption, t) => (1 - pr / redemption) / t)
  }

  intrate (ast, state) {
    return this.discounted('INTRATE', ast, state, (investment, redemption) => (investment <= 0 || redemption <= 0) && 'investment and redemption must be > 0',
      (investment, redemption, t) => (redemption / investment - 1) / t)
  }

  pricedisc (ast, state) {
    return this.discounted('PRICEDISC', ast, state, (discount, redemption) => (discount <= 0 || redemption <= 0) && 'discount and redemption must be > 0',
      (discount, redemption, t) => redemption * (1 - discount * t))
  }

  received (ast, state) {
    return this.discounted('RECEIVED', ast, state, (investment, discount) => (investment <= 0 || discount <= 0) && 'investment and discount must be > 0',
      (investment, discount, t) => {
        const share = 1 - discount * t
        return share === 0 ? error('DIV_BY_ZERO', 'discount × term is 1') : investment / share
      })
  }

  yielddisc (ast, state) {
    return this.discounted('YIELDDISC', ast, state, (pr, redemption) => (pr <= 0 || redemption <= 0) && 'pr and redemption must be > 0',
      (pr, redemption, t) => (redemption / pr - 1) / t)
  }

  // settlement, maturity, issue, rate, x, basis: interest paid at maturity.
  atMaturity (name, ast, state, check, compute) {
    return this.runFunction(ast.args, state, this.metadata(name), (settlement, maturity, issue, rate, x, basis) => {
      const terms = checkDates([issue, settlement, maturity], basis)
      if (terms instanceof CellError) return terms
      const bad = check(rate, x)
      if (bad) return error('NUM', bad)
      const [i, s, m] = terms.dates
      const b = terms.basis
      return compute(rate, x, yearFraction(i, m, b), yearFraction(i, s, b), yearFraction(s, m, b))
    })
  }

  pricemat (ast, state) {
    return this.atMaturity('PRICEMAT', ast, state, (rate, yld) => (rate < 0 || yld < 0) && 'rate and yld must be >= 0',
      (rate, yld, issueToMaturity, issueToSettlement, settlementToMaturity) =>
        100 * ((1 + issueToMaturity * rate) / (1 + settlementToMaturity * yld) - issueToSettlement * rate))
  }

  yieldmat (ast, state) {
    return this.atMaturity('YIELDMAT', ast, state, (rate, pr) => (rate < 0 || pr <= 0) && 'rate must be >= 0 and pr > 0',
      (rate, pr, issueToMaturity, issueToSettlement, settlementToMaturity) =>
        ((1 + issueToMaturity * rate) / (pr / 100 + issueToSettlement * rate) - 1) / settlementToMaturity)
  }

  accrintm (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ACCRINTM'), (issue, settlement, rate, par, basis) => {
      const terms = checkDates([issue, settlement], basis)
      if (terms instanceof CellError) return terms
      if (rate <= 0 || par <= 0) return error('NUM', 'rate and par must be > 0')
      return par * rate * yearDiff(terms.dates[0], terms.dates[1], terms.basis)
    })
  }

  amortization (name, ast, state, compute) {
    return this.runFunction(ast.args, state, this.metadata(name), (cost, purchased, firstPeriod, salvage, period, rate, basis) => {
      // basis 2 (actual/360) is not one of the bases these functions list
      const terms = checkDates([purchased, firstPeriod], basis, [0, 1, 3, 4])
      if (terms instanceof CellError) return terms
      if (cost < 0 || salvage < 0 || salvage > cost || period < 0 || rate <= 0) {
        return error('NUM', 'cost >= salvage >= 0, period >= 0 and rate > 0 are required')
      }
      return compute(cost, terms.dates[0], terms.dates[1], salvage, Math.trunc(period), rate, terms.basis)
    })
  }

  amordegrc (ast, state) {
    return this.amortization('AMORDEGRC', ast, state, amordegrc)
  }

  amorlinc (ast, state) {
    return this.amortization('AMORLINC', ast, state, amorlinc)
  }

  // YEARFRAC (replaces HyperFormula's): dates and basis truncated (basis 2.9 is 2; the
  // built-in refused it), a start after the end swapped, a basis outside 0..4 #NUM!.
  yearfrac (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('YEARFRAC'), (start, end, basis) => {
      start = Math.trunc(start)
      end = Math.trunc(end)
      basis = Math.trunc(basis)
      if (start < 0 || end < 0 || start > MAX_SERIAL || end > MAX_SERIAL) return error('NUM', 'YEARFRAC: date out of range')
      if (basis < 0 || basis > 4) return error('NUM', 'YEARFRAC: basis must be 0 to 4')
      return start > end ? yearFraction(end, start, basis) : yearFraction(start, end, basis)
    })
  }

  tbilleq (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('TBILLEQ'), tbilleq)
  }

  vdb (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('VDB'), (cost, salvage, life, start, end, factor, noSwitch) => {
      if (cost < 0 || salvage < 0 || life <= 0 || start < 0 || end < start || end > life || factor <= 0) {
        return error('NUM', 'VDB needs cost, salvage >= 0, 0 <= start <= end <= life and factor > 0')
      }
      if (end > MAX_PERIODS) return error('NUM', `VDB: more than ${MAX_PERIODS} periods`)
      if (salvage > cost) return 0
      return vdb(cost, salvage, life, start, end, factor, noSwitch)
    })
  }
}

// The bond-equivalent yield of a Treasury bill (see the module's header).
function tbilleq (settlement, maturity, rate) {
  settlement = Math.trunc(settlement)
  maturity = Math.trunc(maturity)
  if (rate <= 0) return error('NUM', 'TBILLEQ: the discount must be above 0')
  if (settlement >= maturity) return error('NUM', 'TBILLEQ: settlement must be before maturity')
  if (maturity > dateToSerial(addMonths(serialToDate(settlement), 12))) {
    return error('NUM', 'TBILLEQ: maturity is more than one year after settlement')
  }
  const dsm = maturity - settlement
  if (dsm <= 182) {
    const denominator = 360 - rate * dsm
    return denominator > 0 ? (365 * rate) / denominator : error('NUM', 'TBILLEQ: the discount is too high')
  }
  const price = 100 * (1 - (rate * dsm) / 360)
  if (price <= 0) return error('NUM', 'TBILLEQ: the discount is too high')
  const x = dsm / (dsm > 365 ? 366 : 365)
  const term = x * x - (2 * x - 1) * (1 - 100 / price)
  if (term < 0) return error('NUM', 'TBILLEQ: no bond-equivalent yield')
  return (-2 * x + 2 * Math.sqrt(term)) / (2 * x - 1)
}

const N = { argumentType: T.NUMBER }
const BASIS = { argumentType: T.NUMBER, defaultValue: 0 }

SecurityFunctions.implementedFunctions = {
  ACCRINTM: { method: 'accrintm', parameters: [N, N, N, { argumentType: T.NUMBER, defaultValue: 1000 }, BASIS] },
  DISC: { method: 'disc', parameters: [N, N, N, N, BASIS], returnNumberType: 'NUMBER_PERCENT' },
  INTRATE: { method: 'intrate', parameters: [N, N, N, N, BASIS], returnNumberType: 'NUMBER_PERCENT' },
  PRICEDISC: { method: 'pricedisc', parameters: [N, N, N, N, BASIS] },
  RECEIVED: { method: 'received', parameters: [N, N, N, N, BASIS] },
  YIELDDISC: { method: 'yielddisc', parameters: [N, N, N, N, BASIS], returnNumberType: 'NUMBER_PERCENT' },
  PRICEMAT: { method: 'pricemat', parameters: [N, N, N, N, N, BASIS] },
  YIELDMAT: { method: 'yieldmat', parameters: [N, N, N, N, N, BASIS], returnNumberType: 'NUMBER_PERCENT' },
  AMORDEGRC: { method: 'amordegrc', parameters: [N, N, N, N, N, N, BASIS] },
  AMORLINC: { method: 'amorlinc', parameters: [N, N, N, N, N, N, BASIS] },
  YEARFRAC: { method: 'yearfrac', parameters: [N, N, BASIS] },
  TBILLEQ: { method: 'tbilleq', parameters: [N, N, N], returnNumberType: 'NUMBER_PERCENT' },
  VDB: {
    method: 'vdb',
    parameters: [N, N, N, N, N, { argumentType: T.NUMBER, defaultValue: 2 }, { argumentType: T.BOOLEAN, defaultValue: false }],
  },
}

module.exports = Object.assign([{ plugin: SecurityFunctions, translations: translationsFor(SecurityFunctions) }], {
  yearFraction,
})
