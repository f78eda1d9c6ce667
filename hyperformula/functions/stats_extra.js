'use strict'
// Statistical, math and engineering functions HyperFormula 3.5 lacks, to Excel's semantics:
// KURT, MODE (.SNGL, .MULT), PERCENTRANK (.INC, .EXC), PERMUT, PERMUTATIONA, PROB, TRIMMEAN,
// BINOM.DIST.RANGE, PERCENTOF, GESTEP, ERF.PRECISE, ERFC.PRECISE; and ERF / ERFC replaced
// (HyperFormula's ERFC is 1 - ERF, which loses the digits of small results, and both accept
// booleans where Excel's engineering functions give #VALUE!).
const { FunctionPlugin, FunctionArgumentType: T, CellError, ArraySize, SimpleRangeValue } = require('hyperformula')
const { error, translationsFor, isNumber, rawNumber, isEmpty, cellsOf, numbersOf, mean } = require('./common')

const { AstNodeType } = require('../internals')

const REFERENCES = [AstNodeType.CELL_REFERENCE, AstNodeType.CELL_RANGE, AstNodeType.COLUMN_RANGE, AstNodeType.ROW_RANGE]

// ---------------------------------------------------------------- maths

// erf and erfc by W. J. Cody's rational Chebyshev approximations (netlib specfun CALERF,
// "Rational Chebyshev approximations for the error function", Math. Comp. 1969): accurate to
// the last bit of a double, erfc included for large x.
const ERF_A = [3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02, 3.20937758913846947e03, 1.85777706184603153e-1]
const ERF_B = [2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03, 2.84423683343917062e03]
const ERF_C = [5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01, 2.98635138197400131e02,
  8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8]
const ERF_D = [1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02, 1.62138957456669019e03,
  3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03]
const ERF_P = [3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2,
  6.58749161529837803e-4, 1.63153871373020978e-2]
const ERF_Q = [2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1, 6.05183413124413191e-2,
  2.33520497626869185e-3]
const SQRT_PI_INV = 0.56418958354775628695

// erfc(|x|) for |x| > 0.46875, times exp(-x^2) split in two factors to keep its digits.
function erfcTail (y) {
  let r
  if (y <= 4) {
    let num = ERF_C[8] * y
    let den = y
    for (let i = 0; i < 7; i++) {
      num = (num + ERF_C[i]) * y
      den = (den + ERF_D[i]) * y
    }
    r = (num + ERF_C[7]) / (den + ERF_D[7])
  } else {
    if (y >= 26.543) return 0
    const z = 1 / (y * y)
    let num = ERF_P[5] * z
    let den = z
    for (let i = 0; i < 4; i++) {
      num = (num + ERF_P[i]) * z
      den = (den + ERF_Q[i]) * z
    }
    r = (SQRT_PI_INV - z * (num + ERF_P[4]) / (den + ERF_Q[4])) / y
  }
  const ysq = Math.trunc(y * 16) / 16
  return Math.exp(-ysq * ysq) * Math.exp(-(y - ysq) * (y + ysq)) * r
}

function erfSmall (x) {
  const ysq = Math.abs(x) > 1.11e-16 ? x * x : 0
  let num = ERF_A[4] * ysq
  let den = ysq
  for (let i = 0; i < 3; i++) {
    num = (num + ERF_A[i]) * ysq
    den = (den + ERF_B[i]) * ysq
  }
  return x * (num + ERF_A[3]) / (den + ERF_B[3])
}

function erf (x) {
  if (Math.abs(x) <= 0.46875) return erfSmall(x)
  const r = (0.5 - erfcTail(Math.abs(x))) + 0.5
  return x < 0 ? -r : r
}

function erfc (x) {
  if (Math.abs(x) <= 0.46875) return 1 - erfSmall(x)
  const r = erfcTail(Math.abs(x))
  return x < 0 ? 2 - r : r
}

// P(X = k) for X ~ Binomial(n, p): BINOM.DIST's own (Loader's saddle point, distributions.js).
const { binomialPmf } = require('./distributions').maths

// Values in order of first appearance with their counts, and the highest count.
function frequencies (values) {
  const counts = new Map()
  for (const v of values) counts.set(v, (counts.get(v) || 0) + 1)
  return { counts, top: Math.max(0, ...counts.values()) }
}

// Cut (not round) to `digits` decimals, after rounding away the binary noise of the
// multiplication (0.29 * 100 is 28.999999999999996).
function truncateDecimals (value, digits) {
  const f = 10 ** digits
  return Math.floor(Number((value * f).toPrecision(15))) / f
}

// PERCENTRANK's rank of x among sorted values, before truncation: .INC is position / (n - 1),
// .EXC (position + 1) / (n + 1), with position 0-based and interpolated between neighbours.
function percentRank (sorted, x, exclusive) {
  const n = sorted.length
  if (x < sorted[0] || x > sorted[n - 1]) return error('NA', 'x is outside the values')
  const below = sorted.filter((v) => v < x).length
  const denominator = exclusive ? n + 1 : n - 1
  if (sorted[below] === x) {
    if (!exclusive && n === 1) return 1
    return (below + (exclusive ? 1 : 0)) / denominator
  }
  const lower = sorted[below - 1]
  const upper = sorted[below]
  const position = below - 1 + (x - lower) / (upper - lower)
  return (position + (exclusive ? 1 : 0)) / denominator
}

// ---------------------------------------------------------------- plugin

class StatsExtra extends FunctionPlugin {
  // A scalar argument as Excel reads it: a number, numeric text ("" is not), a boolean
  // (unless `booleans` is false, as in the engineering functions); errors pass through.
  toNumber (value, { booleans = true } = {}) {
    if (value instanceof CellError) return value
    if (isEmpty(value)) return 0
    if (typeof value === 'boolean') return booleans ? Number(value) : error('VALUE', 'A boolean is not a number here')
    if (value === '') return error('VALUE', 'Empty text is not a number')
    const n = this.coerceScalarToNumberOrError(value)
    return n instanceof CellError ? n : rawNumber(n)
  }

  // Numbers of a "number1, number2, ..." argument list. Ranges and references give their
  // numbers only (text, booleans and blanks skipped); errors anywhere are the result.
  // Direct values: with `asArrays` (MODE, whose parameters Excel declares as arrays) text and
  // booleans are skipped and an empty argument is #VALUE!; otherwise (KURT) they are
  // converted as a number argument would be and an empty argument counts as 0.
  listNumbers (args, state, asArrays) {
    const out = []
    for (const arg of args) {
      if (arg.type === AstNodeType.EMPTY) {
        if (asArrays) return error('VALUE', 'Empty argument')
        out.push(0)
        continue
      }
      const value = this.evaluateAst(arg, state)
      if (value instanceof SimpleRangeValue || REFERENCES.includes(arg.type)) {
        const numbers = numbersOf(value)
        if (numbers instanceof CellError) return numbers
        out.push(...numbers)
      } else if (value instanceof CellError) {
        return value
      } else if (isNumber(value)) {
        out.push(rawNumber(value))
      } else if (!asArrays) {
        const n = this.toNumber(value)
        if (n instanceof CellError) return n
        out.push(n)
      }
    }
    return out
  }

  kurt (ast, state) {
    const values = this.listNumbers(ast.args, state, false)
    if (values instanceof CellError) return values
    const n = values.length
    if (n < 4) return error('DIV_BY_ZERO', 'KURT needs at least four numbers')
    const m = mean(values)
    const ss = values.reduce((s, x) => s + (x - m) ** 2, 0)
    if (ss === 0) return error('DIV_BY_ZERO', 'The standard deviation is zero')
    const sd = Math.sqrt(ss / (n - 1))
    const fourth = values.reduce((s, x) => s + ((x - m) / sd) ** 4, 0)
    return n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * fourth - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))
  }

  // The most frequent values, in the order they first appear (Excel's tie-break).
  modes (ast, state) {
    const values = this.listNumbers(ast.args, state, true)
    if (values instanceof CellError) return values
    const { counts, top } = frequencies(values)
    if (top < 2) return error('NA', 'No value repeats')
    return [...counts].filter(([, c]) => c === top).map(([v]) => v)
  }

  modesngl (ast, state) {
    const modes = this.modes(ast, state)
    return modes instanceof CellError ? modes : modes[0]
  }

  // MODE.MULT's result is a column, as tall as the most modes the arguments can hold (half
  // their cells) since its size is fixed before the data is known; the rows past the modes are
  // #N/A, as Excel shows them. legacy_arrays.js cuts it to the range Excel saved for the formula.
  modemult (ast, state) {
    const modes = this.modes(ast, state)
    if (modes instanceof CellError) return modes
    const height = this.modemultArraySize(ast, state).height
    if (height === 1) return modes[0]
    const column = modes.slice(0, height).map((v) => [v])
    while (column.length < height) column.push([error('NA', 'No further mode')])
    return SimpleRangeValue.onlyValues(column)
  }

  modemultArraySize (ast, state) {
    let cells = 0
    for (const arg of ast.args) {
      const size = arg.type === AstNodeType.EMPTY ? { width: 1, height: 1 } : this.arraySizeForAst(arg, state)
      cells += size.width * size.height
    }
    return new ArraySize(1, Math.max(1, Math.floor(cells / 2)))
  }

  percentrankinc (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('PERCENTRANK.INC'), (values, x, digits) => this.percentrank(values, x, digits, false))
  }

  percentrankexc (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('PERCENTRANK.EXC'), (values, x, digits) => this.percentrank(values, x, digits, true))
  }

  percentrank (range, x, digits, exclusive) {
    x = this.toNumber(x)
    if (x instanceof CellError) return x
    digits = this.toNumber(digits)
    if (digits instanceof CellError) return digits
    const values = numbersOf(range)
    if (values instanceof CellError) return values
    digits = Math.trunc(digits)
    if (digits < 1) return error('NUM', 'significance must be at least 1')
    if (values.length === 0) return error('NUM', 'No numbers')
    const rank = percentRank(values.sort((a, b) => a - b), x, exclusive)
    return rank instanceof CellError ? rank : truncateDecimals(rank, digits)
  }

  permut (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('PERMUT'), (number, chosen) => {
      const [n, k] = [this.toNumber(number), this.toNumber(chosen)].map((v) => (v instanceof CellError ? v : Math.trunc(v)))
      if (n instanceof CellError) return n
      if (k instanceof CellError) return k
      if (n <= 0 || k < 0 || n < k) return error('NUM', 'PERMUT needs number > 0 and 0 <= number_chosen <= number')
      let result = 1
      for (let i = 0; i < k; i++) result *= n - i
      return result
    })
  }

  permutationa (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('PERMUTATIONA'), (number, chosen) => {
      const [n, k] = [this.toNumber(number), this.toNumber(chosen)].map((v) => (v instanceof CellError ? v : Math.trunc(v)))
      if (n instanceof CellError) return n
      if (k instanceof CellError) return k
      if (n < 0 || k < 0) return error('NUM', 'PERMUTATIONA needs non-negative arguments')
      return n ** k
    })
  }

  prob (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('PROB'), (xs, probs, lower, upper) => {
      lower = this.toNumber(lower)
      if (lower instanceof CellError) return lower
      upper = upper === undefined ? lower : this.toNumber(upper)
      if (upper instanceof CellError) return upper
      const x = cellsOf(xs)
      const p = cellsOf(probs)
      if (x.length !== p.length) return error('NA', 'x_range and prob_range differ in size')
      let total = 0
      let inside = 0
      for (let i = 0; i < x.length; i++) {
        if (x[i] instanceof CellError) return x[i]
        if (p[i] instanceof CellError) return p[i]
        if (!isNumber(x[i]) || !isNumber(p[i])) continue
        const pi = rawNumber(p[i])
        if (pi <= 0 || pi > 1) return error('NUM', 'Each probability must be in (0, 1]')
        total += pi
        const xi = rawNumber(x[i])
        if (xi >= lower && xi <= upper) inside += pi
      }
      if (Math.abs(total - 1) > 1e-12) return error('NUM', 'The probabilities do not add up to 1')
      return inside
    })
  }

  trimmean (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('TRIMMEAN'), (range, percent) => {
      percent = this.toNumber(percent)
      if (percent instanceof CellError) return percent
      const values = numbersOf(range)
      if (values instanceof CellError) return values
      if (percent < 0 || percent >= 1 || values.length === 0) return error('NUM', 'percent must be in [0, 1) and the array not empty')
      // Excel drops the same whole number of points at each end, rounding down.
      const cut = Math.floor(values.length * percent / 2)
      return mean(values.sort((a, b) => a - b).slice(cut, values.length - cut))
    })
  }

  binomdistrange (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('BINOM.DIST.RANGE'), (trials, probability, s, s2) => {
      const args = [trials, probability, s, s2 === undefined ? s : s2].map((v) => this.toNumber(v))
      const bad = args.find((v) => v instanceof CellError)
      if (bad) return bad
      const [n, p, from, to] = [Math.trunc(args[0]), args[1], Math.trunc(args[2]), Math.trunc(args[3])]
      if (n < 0 || p < 0 || p > 1 || from < 0 || from > n || to < from || to > n) {
        return error('NUM', 'Needs 0 <= p <= 1 and 0 <= s <= s2 <= trials')
      }
      let sum = 0
      for (let k = from; k <= to; k++) sum += binomialPmf(k, n, p)
      return sum
    })
  }

  // Sum of the subset over the sum of all. Excel gives #NUM! for an error in either range.
  percentof (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('PERCENTOF'), (subset, all) => {
      const part = numbersOf(subset)
      const whole = numbersOf(all)
      if (part instanceof CellError || whole instanceof CellError) return error('NUM', 'The data contains an error')
      const total = whole.reduce((a, b) => a + b, 0)
      if (total === 0) return error('DIV_BY_ZERO', 'The data adds up to zero')
      return part.reduce((a, b) => a + b, 0) / total
    })
  }

  gestep (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('GESTEP'), (number, step) => {
      const [x, s] = [number, step].map((v) => this.toNumber(v, { booleans: false }))
      if (x instanceof CellError) return x
      if (s instanceof CellError) return s
      return x >= s ? 1 : 0
    })
  }

  // ERF(lower, [upper]): the integral from lower to upper, or from 0 to lower.
  erf (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ERF'), (lower, upper) => {
      const a = this.toNumber(lower, { booleans: false })
      if (a instanceof CellError) return a
      if (upper === undefined) return erf(a)
      const b = this.toNumber(upper, { booleans: false })
      return b instanceof CellError ? b : erf(b) - erf(a)
    })
  }

  erfprecise (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ERF.PRECISE'), (x) => {
      x = this.toNumber(x, { booleans: false })
      return x instanceof CellError ? x : erf(x)
    })
  }

  erfc (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ERFC'), (x) => {
      x = this.toNumber(x, { booleans: false })
      return x instanceof CellError ? x : erfc(x)
    })
  }
}

const SCALAR = { argumentType: T.NOERROR }
const OPTIONAL = { argumentType: T.NOERROR, optionalArg: true }
const LIST = { parameters: [{ argumentType: T.ANY }], repeatLastArgs: 1, vectorizationForbidden: true }
// Excel's engineering functions (from the Analysis ToolPak) give #VALUE! for a range even in an
// array formula, instead of computing cell by cell.
const ENGINEERING = { vectorizationForbidden: true }

StatsExtra.implementedFunctions = {
  KURT: { method: 'kurt', ...LIST },
  'MODE.SNGL': { method: 'modesngl', ...LIST },
  'MODE.MULT': { method: 'modemult', sizeOfResultArrayMethod: 'modemultArraySize', ...LIST },
  'PERCENTRANK.INC': {
    method: 'percentrankinc',
    parameters: [{ argumentType: T.RANGE }, SCALAR, { argumentType: T.NOERROR, defaultValue: 3 }],
  },
  'PERCENTRANK.EXC': {
    method: 'percentrankexc',
    parameters: [{ argumentType: T.RANGE }, SCALAR, { argumentType: T.NOERROR, defaultValue: 3 }],
  },
  PERMUT: { method: 'permut', parameters: [SCALAR, SCALAR] },
  PERMUTATIONA: { method: 'permutationa', parameters: [SCALAR, SCALAR] },
  PROB: { method: 'prob', parameters: [{ argumentType: T.RANGE }, { argumentType: T.RANGE }, SCALAR, OPTIONAL] },
  TRIMMEAN: { method: 'trimmean', parameters: [{ argumentType: T.RANGE }, SCALAR] },
  'BINOM.DIST.RANGE': { method: 'binomdistrange', parameters: [SCALAR, SCALAR, SCALAR, OPTIONAL] },
  PERCENTOF: { method: 'percentof', parameters: [{ argumentType: T.RANGE }, { argumentType: T.RANGE }] },
  GESTEP: { method: 'gestep', parameters: [SCALAR, { argumentType: T.NOERROR, defaultValue: 0 }], ...ENGINEERING },
  ERF: { method: 'erf', parameters: [SCALAR, OPTIONAL], ...ENGINEERING },
  'ERF.PRECISE': { method: 'erfprecise', parameters: [SCALAR], ...ENGINEERING },
  ERFC: { method: 'erfc', parameters: [SCALAR], ...ENGINEERING },
  // not an alias: legacy_arrays.js flags it in implementedFunctions by name
  'ERFC.PRECISE': { method: 'erfc', parameters: [SCALAR], ...ENGINEERING },
}
StatsExtra.aliases = {
  MODE: 'MODE.SNGL',
  PERCENTRANK: 'PERCENTRANK.INC',
}

module.exports = [{ plugin: StatsExtra, translations: translationsFor(StatsExtra) }]
