'use strict'
// Least squares and histograms HyperFormula 3.5 lacks: LINEST, LOGEST, TREND (any number of
// x variables), GROWTH and FREQUENCY. All return arrays; their size must be known when the
// formula is parsed (sizeOfResultArrayMethod), so each result is padded to that size with #N/A,
// as Excel shows the cells of an array formula's range that its result does not reach.
const { FunctionPlugin, FunctionArgumentType: T, CellError, ArraySize, SimpleRangeValue } = require('hyperformula')
const { error, translationsFor, isNumber, rawNumber, isEmpty, cellsOf } = require('./common')

// ---------------------------------------------------------------- reading the arguments

// The cells of a range argument as rows of numbers. Excel's regression functions take numbers
// only: a blank, text, a boolean or even an error value in known_y's or known_x's is #VALUE!.
function numberGrid (range) {
  const rows = range.data.map((row) => row.map((v) => (isNumber(v) ? rawNumber(v) : null)))
  return rows.some((row) => row.includes(null)) ? error('VALUE', 'Every value must be a number') : rows
}

// const and stats: TRUE, FALSE or a number; an error or text is #VALUE!.
function flag (value) {
  if (typeof value === 'boolean') return value
  if (isEmpty(value)) return false
  if (isNumber(value)) return rawNumber(value) !== 0
  return error('VALUE', 'const and stats must be logical values')
}

// How Excel pairs y with x: x omitted is 1, 2, 3...; x the shape of y is one variable; y in
// one column takes one variable per column of x (one per row when y is a row). Returns
// { y: [n], x: [n][k], k, byRow } or #REF! when the sizes do not fit.
function design (yRows, xRows) {
  const h = yRows.length
  const w = yRows[0].length
  const y = yRows.flat()
  if (xRows === undefined) return { y, x: y.map((v, i) => [i + 1]), k: 1, byRow: false }
  const xh = xRows.length
  const xw = xRows[0].length
  if (xh === h && xw === w) return { y, x: xRows.flat().map((v) => [v]), k: 1, byRow: false }
  if (w === 1 && xh === h) return { y, x: xRows, k: xw, byRow: false }
  if (h === 1 && xw === w) return { y, x: y.map((v, i) => xRows.map((row) => row[i])), k: xh, byRow: true }
  return error('REF', 'known_x\'s do not match known_y\'s')
}

// The number of x variables, from the shapes alone (for the size of LINEST's result).
function variableCount (ySize, xSize) {
  if (!xSize || (xSize.width === ySize.width && xSize.height === ySize.height)) return 1
  if (ySize.width === 1 && xSize.height === ySize.height) return xSize.width
  if (ySize.height === 1 && xSize.width === ySize.width) return xSize.height
  return 1
}

// ---------------------------------------------------------------- the fit

// Excel drops an x column that is (nearly) a combination of the ones before it; its
// coefficient and standard error are 0 and it does not count in the degrees of freedom.
const COLLINEAR = 1e-12

// Ordinary least squares of y on the columns of x, with or without a constant, and the
// statistics LINEST reports. Works on data centred on their means when there is a constant
// (Microsoft: the total sum of squares is then taken about the mean of y, else about 0).
function leastSquares (y, x, k, withConstant) {
  const n = y.length
  const mean = (values) => (withConstant ? values.reduce((s, v) => s + v, 0) / n : 0)
  const xMeans = Array.from({ length: k }, (_, j) => mean(x.map((row) => row[j])))
  const yMean = mean(y)
  const columns = Array.from({ length: k }, (_, j) => x.map((row) => row[j] - xMeans[j]))
  const kept = independentColumns(columns)
  const df = n - kept.length - (withConstant ? 1 : 0)
  if (df < 0 || (kept.length === 0 && !withConstant)) return error('NUM', 'Not enough data points')
  const gram = kept.map((a) => kept.map((b) => dot(columns[a], columns[b])))
  const inverse = invert(gram)
  if (!inverse) return error('NUM', 'The x values are collinear')
  const yc = y.map((v) => v - yMean)
  const rhs = kept.map((j) => dot(columns[j], yc))
  const beta = inverse.map((row) => dot(row, rhs))
  const coef = new Array(k).fill(0)
  kept.forEach((j, i) => { coef[j] = beta[i] })
  const intercept = withConstant ? yMean - dot(coef, xMeans) : 0
  const fitted = x.map((row) => intercept + dot(coef, row))
  const ssresid = y.reduce((s, v, i) => s + (v - fitted[i]) ** 2, 0)
  const sstotal = y.reduce((s, v) => s + (v - yMean) ** 2, 0)
  const ssreg = sstotal - ssresid
  const s2 = df > 0 ? ssresid / df : NaN
  const se = new Array(k).fill(0)
  kept.forEach((j, i) => { se[j] = Math.sqrt(s2 * inverse[i][i]) })
  const keptMeans = kept.map((j) => xMeans[j])
  const seIntercept = withConstant ? Math.sqrt(s2 * (1 / n + dot(keptMeans, inverse.map((row) => dot(row, keptMeans))))) : null
  return {
    coef, intercept, se, seIntercept, df, ssreg, ssresid,
    r2: sstotal === 0 ? NaN : ssreg / sstotal,
    sey: Math.sqrt(s2),
    F: kept.length && df > 0 ? (ssreg / kept.length) / (ssresid / df) : NaN,
  }
}

// Indexes of the columns kept: Gram-Schmidt in order, dropping a column whose part not
// explained by the kept ones is negligible against its own size.
function independentColumns (columns) {
  const basis = []
  const kept = []
  columns.forEach((col, j) => {
    const norm = dot(col, col)
    let rest = col
    for (const q of basis) {
      const f = dot(rest, q) / dot(q, q)
      rest = rest.map((v, i) => v - f * q[i])
    }
    if (norm > 0 && dot(rest, rest) > COLLINEAR * norm) {
      basis.push(rest)
      kept.push(j)
    }
  })
  return kept
}

function dot (a, b) {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i] * b[i]
  return s
}

// Gauss-Jordan with partial pivoting; null when singular.
function invert (m) {
  const n = m.length
  const a = m.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))])
  for (let c = 0; c < n; c++) {
    let p = c
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r
    if (a[p][c] === 0) return null
    ;[a[p], a[c]] = [a[c], a[p]]
    const d = a[c][c]
    for (let j = 0; j < 2 * n; j++) a[c][j] /= d
    for (let r = 0; r < n; r++) {
      if (r === c || a[r][c] === 0) continue
      const f = a[r][c]
      for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[c][j]
    }
  }
  return a.map((row) => row.slice(n))
}

// A number, or #NUM! where Excel cannot compute the statistic (no degrees of freedom left,
// a perfect fit's F, constant y).
function stat (v) {
  return Number.isFinite(v) ? v : error('NUM', 'Statistic undefined for these data')
}

// LINEST's block: coefficients last variable first, then the constant; with stats, the
// standard errors, (r2, sey), (F, df), (ssreg, ssresid). `transform` maps the coefficients
// (exp for LOGEST).
function statisticsBlock (fit, k, withConstant, withStats, transform = (v) => v) {
  const na = () => error('NA', 'Not part of LINEST\'s result')
  const line = (first, second) => [first, second, ...Array.from({ length: k - 1 }, na)]
  const rows = [[...fit.coef.slice().reverse().map(transform), transform(fit.intercept)]]
  if (!withStats) return rows
  rows.push([...fit.se.slice().reverse().map(stat), withConstant ? stat(fit.seIntercept) : na()])
  rows.push(line(stat(fit.r2), stat(fit.sey)))
  rows.push(line(stat(fit.F), fit.df))
  rows.push(line(fit.ssreg, fit.ssresid))
  return rows
}

// The result as HyperFormula wants it, padded with #N/A to the size announced at parse time.
function toArray (rows, size) {
  const height = Math.max(size ? size.height : 0, rows.length)
  const width = Math.max(size ? size.width : 0, ...rows.map((r) => r.length))
  if (height === 1 && width === 1) return rows[0][0]
  const out = Array.from({ length: height }, (_, r) =>
    Array.from({ length: width }, (_, c) => (rows[r] && c < rows[r].length ? rows[r][c] : error('NA', 'Outside the result'))))
  return SimpleRangeValue.onlyValues(out)
}

// ---------------------------------------------------------------- TREND and GROWTH

// Predictions at new_x: one per cell of new_x for one variable (same shape); one per row of
// new_x (per column when y is a row) for several.
function predict (fit, layout, newRows, transform) {
  const at = (xs) => transform(fit.intercept + dot(fit.coef, xs))
  if (layout.k === 1) return newRows.map((row) => row.map((v) => at([v])))
  if (!layout.byRow) {
    if (newRows[0].length !== layout.k) return error('REF', 'new_x needs one column per variable')
    return newRows.map((row) => [at(row)])
  }
  if (newRows.length !== layout.k) return error('REF', 'new_x needs one row per variable')
  return [newRows[0].map((_, c) => at(newRows.map((row) => row[c])))]
}

// ---------------------------------------------------------------- FREQUENCY

// Counts per bin, bins taken in sorted order (each counts the values above the previous bin
// and up to itself) but reported in the order given; a repeated bin counts nothing; the last
// count is of the values above the largest bin. Text, booleans and blanks are ignored.
function frequency (data, bins) {
  const values = []
  for (const v of cellsOf(data)) {
    if (v instanceof CellError) return v
    if (isNumber(v)) values.push(rawNumber(v))
  }
  const edges = []
  for (const v of cellsOf(bins)) {
    if (v instanceof CellError) return v
    if (isNumber(v)) edges.push(rawNumber(v))
  }
  // Bins with no number at all (blank cells) act as the one bin 0: Excel's saved results give
  // {count <= 0; count > 0} for FREQUENCY(data, <blank cells>).
  if (edges.length === 0) edges.push(0)
  const order = edges.map((v, i) => i).sort((a, b) => edges[a] - edges[b] || a - b)
  const counts = new Array(edges.length + 1).fill(0)
  for (const v of values) {
    const slot = order.find((i) => v <= edges[i])
    counts[slot === undefined ? edges.length : slot]++
  }
  return counts.map((c) => [c])
}

// ---------------------------------------------------------------- plugin

class RegressionFunctions extends FunctionPlugin {
  linest (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('LINEST'), (ys, xs, c, s) =>
      this.estimate(ys, given(ast, 1, xs), c, s, false, this.linestArraySize(ast, state)))
  }

  logest (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('LOGEST'), (ys, xs, c, s) =>
      this.estimate(ys, given(ast, 1, xs), c, s, true, this.linestArraySize(ast, state)))
  }

  trend (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('TREND'), (ys, xs, newXs, c) =>
      this.forecastAt(ys, given(ast, 1, xs), given(ast, 2, newXs), c, false, this.trendArraySize(ast, state)))
  }

  growth (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('GROWTH'), (ys, xs, newXs, c) =>
      this.forecastAt(ys, given(ast, 1, xs), given(ast, 2, newXs), c, true, this.trendArraySize(ast, state)))
  }

  frequency (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('FREQUENCY'), (data, bins) => {
      const counts = frequency(data, bins)
      return counts instanceof CellError ? counts : toArray(counts, this.frequencyArraySize(ast, state))
    })
  }

  // The fit shared by the four: y (ln y for LOGEST and GROWTH, which need y > 0) against x.
  fitted (ys, xs, constArg, logarithmic) {
    const withConstant = flag(constArg)
    if (withConstant instanceof CellError) return withConstant
    const yRows = numberGrid(ys)
    if (yRows instanceof CellError) return yRows
    const xRows = xs === undefined ? undefined : numberGrid(xs)
    if (xRows instanceof CellError) return xRows
    if (logarithmic && yRows.flat().some((v) => v <= 0)) return error('NUM', 'known_y\'s must be positive')
    const layout = design(logarithmic ? yRows.map((row) => row.map(Math.log)) : yRows, xRows)
    if (layout instanceof CellError) return layout
    const fit = leastSquares(layout.y, layout.x, layout.k, withConstant)
    return fit instanceof CellError ? fit : { fit, layout, withConstant, xRows, yRows }
  }

  estimate (ys, xs, constArg, statsArg, logarithmic, size) {
    const withStats = flag(statsArg)
    if (withStats instanceof CellError) return withStats
    const model = this.fitted(ys, xs, constArg, logarithmic)
    if (model instanceof CellError) return model
    const block = statisticsBlock(model.fit, model.layout.k, model.withConstant, withStats, logarithmic ? Math.exp : undefined)
    return toArray(block, size)
  }

  forecastAt (ys, xs, newXs, constArg, logarithmic, size) {
    const model = this.fitted(ys, xs, constArg, logarithmic)
    if (model instanceof CellError) return model
    let newRows
    if (newXs !== undefined) newRows = numberGrid(newXs)
    else if (xs !== undefined) newRows = model.xRows
    else newRows = model.yRows.map((row, r) => row.map((v, c) => r * row.length + c + 1))
    if (newRows instanceof CellError) return newRows
    const out = predict(model.fit, model.layout, newRows, logarithmic ? Math.exp : (v) => v)
    return out instanceof CellError ? out : toArray(out, size)
  }

  // (k + 1) columns, and 5 rows when stats is TRUE or not a literal (a cell may hold TRUE:
  // FALSE then leaves rows 2 to 5 as #N/A, as Excel shows in a 5-row range).
  linestArraySize (ast, state) {
    const [yAst, xAst, , statsAst] = ast.args
    if (!yAst) return ArraySize.error()
    const ySize = this.arraySizeForAst(yAst, state)
    const xSize = xAst && xAst.type !== 'EMPTY' ? this.arraySizeForAst(xAst, state) : null
    const k = variableCount(ySize, xSize)
    return new ArraySize(k + 1, literalFalse(statsAst) ? 1 : 5)
  }

  // The shape of new_x (one variable), or one value per row (column) of new_x; without
  // new_x, the shape of known_x, else of known_y.
  trendArraySize (ast, state) {
    const [yAst, xAst, newAst] = ast.args.map((a) => (a && a.type !== 'EMPTY' ? a : null))
    if (!yAst) return ArraySize.error()
    const ySize = this.arraySizeForAst(yAst, state)
    const xSize = xAst ? this.arraySizeForAst(xAst, state) : null
    const k = variableCount(ySize, xSize)
    const target = newAst ? this.arraySizeForAst(newAst, state) : xSize || ySize
    if (k === 1) return new ArraySize(target.width, target.height)
    return ySize.width === 1 ? new ArraySize(1, target.height) : new ArraySize(target.width, 1)
  }

  // One count per cell of bins_array, and one for the values above the last bin.
  frequencyArraySize (ast, state) {
    if (ast.args.length !== 2) return ArraySize.error()
    const bins = this.arraySizeForAst(ast.args[1], state)
    return new ArraySize(1, bins.width * bins.height + 1)
  }
}

// An optional range argument, or undefined when omitted or left empty (`GROWTH(y,,{7;8})`).
function given (ast, index, value) {
  const arg = ast.args[index]
  return arg && arg.type !== 'EMPTY' ? value : undefined
}

// stats written as FALSE, FALSE() or 0 (TRUE and FALSE are named expressions in this engine).
function literalFalse (statsAst) {
  if (!statsAst || statsAst.type === 'EMPTY') return true
  if (statsAst.type === 'NUMBER') return statsAst.value === 0
  const name = (statsAst.expressionName || statsAst.procedureName || '').toUpperCase()
  return name === 'FALSE'
}

const regressionParameters = [
  { argumentType: T.RANGE },
  { argumentType: T.RANGE, optionalArg: true },
  { argumentType: T.SCALAR, defaultValue: true, emptyAsDefault: true },
  { argumentType: T.SCALAR, defaultValue: false, emptyAsDefault: true },
]
const forecastParameters = [
  { argumentType: T.RANGE },
  { argumentType: T.RANGE, optionalArg: true },
  { argumentType: T.RANGE, optionalArg: true },
  { argumentType: T.SCALAR, defaultValue: true, emptyAsDefault: true },
]

RegressionFunctions.implementedFunctions = {
  LINEST: { method: 'linest', sizeOfResultArrayMethod: 'linestArraySize', parameters: regressionParameters, vectorizationForbidden: true },
  LOGEST: { method: 'logest', sizeOfResultArrayMethod: 'linestArraySize', parameters: regressionParameters, vectorizationForbidden: true },
  TREND: { method: 'trend', sizeOfResultArrayMethod: 'trendArraySize', parameters: forecastParameters, vectorizationForbidden: true },
  GROWTH: { method: 'growth', sizeOfResultArrayMethod: 'trendArraySize', parameters: forecastParameters, vectorizationForbidden: true },
  FREQUENCY: {
    method: 'frequency',
    sizeOfResultArrayMethod: 'frequencyArraySize',
    parameters: [{ argumentType: T.RANGE }, { argumentType: T.RANGE }],
    vectorizationForbidden: true,
  },
}

module.exports = [{ plugin: RegressionFunctions, translations: translationsFor(RegressionFunctions) }]
