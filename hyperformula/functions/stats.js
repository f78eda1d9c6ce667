'use strict'
// Statistical functions HyperFormula 3.5 lacks: AVERAGEIFS, RANK (.EQ, .AVG),
// FORECAST (.LINEAR), INTERCEPT and AGGREGATE (TREND is in regression.js); SUBTOTAL replaces
// the built-in, which neither skips nested subtotals nor knows hidden rows.
const { HyperFormula, FunctionPlugin, FunctionArgumentType: T, CellError, SimpleRangeValue } = require('hyperformula')
const { error, translationsFor, isNumber, rawNumber, isEmpty, cellsOf, numbersOf, mean, mode } = require('./common')
const context = require('../context')
const { AstNodeType } = require('../internals')

// ---------------------------------------------------------------- AVERAGEIFS

// AVERAGEIFS reuses the built-in SUMIFS machinery (criteria parsing and its
// per-range cache) by extending the plugin class that implements SUMIFS.
const ConditionalAggregation = HyperFormula.getFunctionPlugin('SUMIFS')

class AverageIfs extends ConditionalAggregation {
  averageifs (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('AVERAGEIFS'), (values, ...conditions) => {
      const total = this.computeConditionalAggregationFunction(values, conditions, 'AVERAGEIFS',
        { sum: 0, count: 0 }, addPartials, toPartial)
      if (total instanceof CellError) return total
      return total.count === 0 ? error('DIV_BY_ZERO', 'No cell meets the criteria') : total.sum / total.count
    })
  }
}

// Only numbers are averaged; an error in a matching cell is the result.
function toPartial (value) {
  if (value instanceof CellError) return value
  return isNumber(value) ? { sum: rawNumber(value), count: 1 } : { sum: 0, count: 0 }
}

function addPartials (a, b) {
  if (a instanceof CellError) return a
  if (b instanceof CellError) return b
  return { sum: a.sum + b.sum, count: a.count + b.count }
}

AverageIfs.implementedFunctions = {
  AVERAGEIFS: {
    method: 'averageifs',
    parameters: [{ argumentType: T.RANGE }, { argumentType: T.RANGE }, { argumentType: T.NOERROR }],
    repeatLastArgs: 2,
  },
}

// ---------------------------------------------------------------- helpers

// Pairs (x, y) of a regression. Errors anywhere are the result; pairs where
// either side is not a number are skipped, as SLOPE and FORECAST do.
function pairs (ys, xs) {
  const yv = cellsOf(ys)
  const xv = cellsOf(xs)
  if (yv.length !== xv.length) return error('NA', 'known_y and known_x differ in size')
  const out = { x: [], y: [] }
  for (let i = 0; i < yv.length; i++) {
    if (yv[i] instanceof CellError) return yv[i]
    if (xv[i] instanceof CellError) return xv[i]
    if (isNumber(yv[i]) && isNumber(xv[i])) {
      out.y.push(rawNumber(yv[i]))
      out.x.push(rawNumber(xv[i]))
    }
  }
  if (out.x.length === 0) return error('NA', 'No numeric data points')
  return out
}

// Least squares y = a + b x; through the origin when withConstant is false.
// Deviations from the means keep the sums accurate for large x (dates).
function linearFit ({ x, y }, withConstant = true) {
  if (!withConstant) {
    const sxx = x.reduce((s, xi) => s + xi * xi, 0)
    if (sxx === 0) return error('DIV_BY_ZERO', 'All x are zero')
    return { a: 0, b: x.reduce((s, xi, i) => s + xi * y[i], 0) / sxx }
  }
  const mx = mean(x)
  const my = mean(y)
  let sxy = 0
  let sxx = 0
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my)
    sxx += (x[i] - mx) ** 2
  }
  if (sxx === 0) return error('DIV_BY_ZERO', 'The variance of known_x is zero')
  const b = sxy / sxx
  return { a: my - b * mx, b }
}

function sumSquaredDeviations (v) {
  const m = mean(v)
  return v.reduce((s, x) => s + (x - m) ** 2, 0)
}

// Interpolated percentile on sorted values at 0-based fractional rank r.
function interpolate (sorted, r) {
  const lo = Math.floor(r)
  const frac = r - lo
  return lo + 1 < sorted.length ? sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]) : sorted[lo]
}

function percentileInc (values, p) {
  if (values.length === 0 || p < 0 || p > 1) return error('NUM', 'Percentile out of range')
  return interpolate([...values].sort((a, b) => a - b), p * (values.length - 1))
}

function percentileExc (values, p) {
  const n = values.length
  const r = p * (n + 1) - 1
  if (n === 0 || p <= 0 || p >= 1 || r < 0 || r > n - 1) return error('NUM', 'Percentile out of range')
  return interpolate([...values].sort((a, b) => a - b), r)
}

function kth (values, k, largest) {
  const n = Math.ceil(k)
  if (n < 1 || n > values.length) return error('NUM', 'k out of range')
  const sorted = [...values].sort((a, b) => (largest ? b - a : a - b))
  return sorted[n - 1]
}

// AGGREGATE's functions 1-13 (on a list) and 14-19 (with a k argument).
const AGGREGATES = {
  1: (v) => (v.length ? mean(v) : error('DIV_BY_ZERO', 'No numbers')),
  2: (v) => v.length,
  4: (v) => (v.length ? Math.max(...v) : 0),
  5: (v) => (v.length ? Math.min(...v) : 0),
  6: (v) => (v.length ? v.reduce((a, b) => a * b, 1) : 0),
  7: (v) => (v.length > 1 ? Math.sqrt(sumSquaredDeviations(v) / (v.length - 1)) : error('DIV_BY_ZERO', 'Needs two numbers')),
  8: (v) => (v.length ? Math.sqrt(sumSquaredDeviations(v) / v.length) : error('DIV_BY_ZERO', 'No numbers')),
  9: (v) => v.reduce((a, b) => a + b, 0),
  10: (v) => (v.length > 1 ? sumSquaredDeviations(v) / (v.length - 1) : error('DIV_BY_ZERO', 'Needs two numbers')),
  11: (v) => (v.length ? sumSquaredDeviations(v) / v.length : error('DIV_BY_ZERO', 'No numbers')),
  12: (v) => (v.length ? percentileInc(v, 0.5) : error('NUM', 'No numbers')),
  13: mode,
  14: (v, k) => kth(v, k, true),
  15: (v, k) => kth(v, k, false),
  16: (v, k) => percentileInc(v, k),
  17: (v, q) => (Math.trunc(q) < 0 || Math.trunc(q) > 4 ? error('NUM', 'quart must be 0-4') : percentileInc(v, Math.trunc(q) / 4)),
  18: (v, k) => percentileExc(v, k),
  19: (v, q) => (Math.trunc(q) < 1 || Math.trunc(q) > 3 ? error('NUM', 'quart must be 1-3') : percentileExc(v, Math.trunc(q) / 4)),
}

const NESTED = /\b(SUBTOTAL|AGGREGATE)\s*\(/i

// ---------------------------------------------------------------- plugin

class StatFunctions extends FunctionPlugin {
  rank (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('RANK'), (x, ref, order) => rankOf(x, ref, order, false))
  }

  rankavg (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('RANK.AVG'), (x, ref, order) => rankOf(x, ref, order, true))
  }

  forecast (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('FORECAST'), (x, ys, xs) => {
      const data = pairs(ys, xs)
      if (data instanceof CellError) return data
      const fit = linearFit(data)
      return fit instanceof CellError ? fit : fit.a + fit.b * x
    })
  }

  intercept (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('INTERCEPT'), (ys, xs) => {
      const data = pairs(ys, xs)
      if (data instanceof CellError) return data
      const fit = linearFit(data)
      return fit instanceof CellError ? fit : fit.a
    })
  }

  aggregate (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('AGGREGATE'), (fn, options, ...refs) => {
      fn = Math.trunc(fn)
      options = Math.trunc(options)
      if (!(fn >= 1 && fn <= 19) || !(options >= 0 && options <= 7)) return error('VALUE', 'Invalid function_num or options')
      const skip = {
        errors: [2, 3, 6, 7].includes(options),
        nested: options <= 3,
        rows: [1, 3, 5, 7].includes(options) ? 'hidden' : undefined,
      }
      if (fn >= 14) {
        if (refs.length !== 2) return error('VALUE', `AGGREGATE ${fn} needs an array and k`)
        const k = this.coerceScalarToNumberOrError(refs[1] instanceof SimpleRangeValue ? refs[1].data[0][0] : refs[1])
        if (k instanceof CellError) return k
        const values = this.aggregateValues([refs[0]], skip, fn, this.cellAddresses(ast, state, 2))
        return values instanceof CellError ? values : AGGREGATES[fn](values, rawNumber(k))
      }
      const values = this.aggregateValues(refs, skip, fn, this.cellAddresses(ast, state, 2))
      if (values instanceof CellError) return values
      return fn === 3 ? values.length : AGGREGATES[fn](values)
    })
  }

  // SUBTOTAL(function_num, ref1, ...): functions 1-11 as AGGREGATE's, skipping the cells of
  // nested SUBTOTAL/AGGREGATE formulas and the rows an AutoFilter hides; 101-111 skip every
  // hidden row. Errors in the references are the result. Not covered: AGGREGATE's options
  // that ignore errors do not ignore an error in a reference to one cell given alone
  // (AGGREGATE(9,6,A1,A2) with A2 #DIV/0!): HyperFormula returns it before the function runs.
  subtotal (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('SUBTOTAL'), (fn, ...refs) => {
      fn = Math.trunc(fn)
      const base = fn > 100 ? fn - 100 : fn
      if (!(base >= 1 && base <= 11)) return error('VALUE', 'Invalid function_num')
      const skip = { errors: false, nested: true, rows: fn > 100 ? 'hidden' : 'filtered' }
      const values = this.aggregateValues(refs, skip, base, this.cellAddresses(ast, state, 1))
      if (values instanceof CellError) return values
      return base === 3 ? values.length : AGGREGATES[base](values)
    })
  }

  // The values AGGREGATE and SUBTOTAL work on: numbers (for COUNTA, every non-blank cell),
  // minus errors, nested SUBTOTAL/AGGREGATE cells and hidden or filtered rows when asked
  // (`skip`: {errors, nested, rows: 'hidden' | 'filtered' | undefined}).
  // `cells[i]`: the address of argument i when it is a reference to one cell, whose value
  // arrives alone (SUBTOTAL(109,B9,B8,B7) skips B7 when B7 is a subtotal).
  aggregateValues (refs, skip, fn, cells = []) {
    const out = []
    for (const [i, ref] of refs.entries()) {
      if (ref instanceof CellError && !cells[i]) return ref
      for (const [value, address] of this.entries(ref, cells[i])) {
        if (skip.rows && context.current().isRowSkipped(address, skip.rows)) continue
        if (skip.nested && address && NESTED.test(this.serialization.getCellFormula(address) || '')) continue
        if (value instanceof CellError) {
          if (skip.errors) continue
          if (fn === 3) out.push(value)
          else if (fn !== 2) return value
        } else if (fn === 3 ? !isEmpty(value) : isNumber(value)) {
          out.push(fn === 3 ? value : rawNumber(value))
        }
      }
    }
    return out
  }

  entries (ref, cell = null) {
    if (ref instanceof SimpleRangeValue) {
      return ref.range ? [...ref.entriesFromTopLeftCorner(ref.range.start)] : ref.valuesFromTopLeftCorner().map((v) => [v, null])
    }
    return [[ref, cell]]
  }

  // For each argument from `from` on: its cell's address when the formula writes a reference
  // to one cell there, else null.
  cellAddresses (ast, state, from) {
    return ast.args.slice(from).map((arg) => {
      while (arg.type === AstNodeType.PARENTHESIS) arg = arg.expression
      return arg.type === AstNodeType.CELL_REFERENCE ? arg.reference.toSimpleCellAddress(state.formulaAddress) : null
    })
  }
}

// order 0 ranks the largest first; ties share the best rank (or the average
// of the ranks they span, for RANK.AVG). Non-numbers in ref are ignored.
function rankOf (x, ref, order, average) {
  const values = numbersOf(ref)
  if (values instanceof CellError) return values
  const ties = values.filter((v) => v === x).length
  if (ties === 0) return error('NA', 'The number is not in the list')
  const ahead = values.filter((v) => (order === 0 ? v > x : v < x)).length
  return average ? ahead + (ties + 1) / 2 : ahead + 1
}

const rankParameters = [
  { argumentType: T.NUMBER },
  { argumentType: T.RANGE },
  { argumentType: T.NUMBER, defaultValue: 0 },
]

StatFunctions.implementedFunctions = {
  RANK: { method: 'rank', parameters: rankParameters },
  'RANK.AVG': { method: 'rankavg', parameters: rankParameters },
  FORECAST: {
    method: 'forecast',
    parameters: [{ argumentType: T.NUMBER }, { argumentType: T.RANGE }, { argumentType: T.RANGE }],
  },
  INTERCEPT: {
    method: 'intercept',
    parameters: [{ argumentType: T.RANGE }, { argumentType: T.RANGE }],
  },
  AGGREGATE: {
    method: 'aggregate',
    parameters: [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER }, { argumentType: T.ANY }],
    repeatLastArgs: 1,
  },
  SUBTOTAL: {
    method: 'subtotal',
    parameters: [{ argumentType: T.NUMBER }, { argumentType: T.ANY }],
    repeatLastArgs: 1,
  },
}
StatFunctions.aliases = { 'RANK.EQ': 'RANK', 'FORECAST.LINEAR': 'FORECAST' }

module.exports = [
  { plugin: AverageIfs, translations: translationsFor(AverageIfs) },
  { plugin: StatFunctions, translations: translationsFor(StatFunctions) },
]
