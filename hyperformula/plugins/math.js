'use strict'
// Matrix functions HyperFormula 3.5 lacks: MDETERM, MINVERSE, MUNIT.
const { FunctionPlugin, FunctionArgumentType: T, CellError, ArraySize, SimpleRangeValue } = require('hyperformula')
const { error, translationsFor, isNumber, rawNumber } = require('./common')
const path = require('path')
const arithmetic = require(path.join(path.dirname(require.resolve('hyperformula')), 'interpreter', 'ArithmeticHelper.js'))

// A square matrix of plain numbers, or the error Excel gives: #VALUE! for a
// non-square array or any blank/text cell.
function squareMatrix (range) {
  if (range.width() !== range.height()) return error('VALUE', 'Array must be square')
  const rows = []
  for (const row of range.data) {
    const out = []
    for (const v of row) {
      if (v instanceof CellError) return v
      if (!isNumber(v)) return error('VALUE', 'Array must contain only numbers')
      out.push(rawNumber(v))
    }
    rows.push(out)
  }
  return rows
}

// Gaussian elimination with partial pivoting on [A | B]. Returns the
// determinant and, when B is given, the solution of A X = B (or null when A
// is singular). A pivot this small relative to the matrix is treated as 0,
// so exactly singular inputs are not turned into huge numbers by rounding.
function eliminate (a, b) {
  const n = a.length
  a = a.map((r) => [...r])
  b = b && b.map((r) => [...r])
  const scale = Math.max(...a.map((r) => Math.max(...r.map(Math.abs)))) || 1
  let det = 1
  for (let col = 0; col < n; col++) {
    let pivot = col
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r
    if (Math.abs(a[pivot][col]) <= 1e-14 * scale) return { det: 0, x: null }
    if (pivot !== col) {
      [a[pivot], a[col]] = [a[col], a[pivot]]
      if (b) [b[pivot], b[col]] = [b[col], b[pivot]]
      det = -det
    }
    det *= a[col][col]
    for (let r = 0; r < n; r++) {
      if (r === col) continue
      const f = a[r][col] / a[col][col]
      if (f === 0) continue
      for (let c = col; c < n; c++) a[r][c] -= f * a[col][c]
      if (b) for (let c = 0; c < b[r].length; c++) b[r][c] -= f * b[col][c]
    }
  }
  const x = b && b.map((row, r) => row.map((v) => v / a[r][r]))
  return { det, x }
}

function identity (n) {
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => (r === c ? 1 : 0)))
}

class MatrixFunctions extends FunctionPlugin {
  mdeterm (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('MDETERM'), (range) => {
      const m = squareMatrix(range)
      return m instanceof CellError ? m : eliminate(m).det
    })
  }

  minverse (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('MINVERSE'), (range) => {
      const m = squareMatrix(range)
      if (m instanceof CellError) return m
      const { x } = eliminate(m, identity(m.length))
      if (!x) return error('NUM', 'Matrix is singular')
      return m.length === 1 ? x[0][0] : SimpleRangeValue.onlyNumbers(x)
    })
  }

  munit (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('MUNIT'), (dimension) => {
      const n = Math.trunc(dimension)
      if (n < 1) return error('VALUE', 'Dimension must be at least 1')
      return n === 1 ? 1 : SimpleRangeValue.onlyNumbers(identity(n))
    })
  }

  sameSizeAsArgument (ast, state) {
    if (ast.args.length !== 1) return ArraySize.error()
    const size = this.arraySizeForAst(ast.args[0], state)
    return new ArraySize(size.width, size.height)
  }

  // The size must be known when the formula is parsed: only a literal works.
  munitArraySize (ast) {
    const arg = ast.args[0]
    if (ast.args.length !== 1 || !arg || arg.type !== 'NUMBER' || Math.trunc(arg.value) < 1) return ArraySize.scalar()
    const n = Math.trunc(arg.value)
    return new ArraySize(n, n)
  }
}

MatrixFunctions.implementedFunctions = {
  MDETERM: { method: 'mdeterm', parameters: [{ argumentType: T.RANGE }], vectorizationForbidden: true },
  MINVERSE: {
    method: 'minverse',
    sizeOfResultArrayMethod: 'sameSizeAsArgument',
    parameters: [{ argumentType: T.RANGE }],
    vectorizationForbidden: true,
  },
  MUNIT: {
    method: 'munit',
    sizeOfResultArrayMethod: 'munitArraySize',
    parameters: [{ argumentType: T.NUMBER }],
    vectorizationForbidden: true,
  },
}

// COMPLEX and the FLOOR/CEILING family, where HyperFormula's differ from Excel.
// COMPLEX as HyperFormula computes it, but an empty suffix ("", or an empty cell) means "i",
// as in Excel; HyperFormula's own gives #VALUE!.
class ComplexFunctions extends FunctionPlugin {
  complex (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('COMPLEX'), (re, im, unit) => {
      if (unit === '') unit = 'i'
      if (unit !== 'i' && unit !== 'j') return error('VALUE', 'The suffix must be "i" or "j".')
      return arithmetic.coerceComplexToString([re, im], unit)
    })
  }
}

// FLOOR and CEILING and their variants as Excel computes them: the quotient by the
// significance is taken to 15 significant digits before rounding (FLOOR.MATH(7.1,0.1) is 7.1;
// 7.1/0.1 is 70.99999999999999 in binary), and CEILING(x, 0) is 0 (FLOOR(x, 0) is #DIV/0!).
function multiple (value, significance, round) {
  return round(Number((value / significance).toPrecision(15))) * significance
}

Object.assign(ComplexFunctions.prototype, {
  ceiling (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('CEILING'), (value, significance) => {
      if (value === 0 || significance === 0) return 0
      if (value > 0 && significance < 0) return error('NUM', 'CEILING: the signs differ')
      return multiple(value, significance, Math.ceil)
    })
  },
  floor (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('FLOOR'), (value, significance) => {
      if (value === 0) return 0
      if (significance === 0) return error('DIV_BY_ZERO', 'FLOOR: significance 0')
      if (value > 0 && significance < 0) return error('NUM', 'FLOOR: the signs differ')
      return multiple(value, significance, Math.floor)
    })
  },
  ceilingmath (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('CEILING.MATH'), (value, significance, mode) => {
      if (value === 0 || significance === 0) return 0
      significance = Math.abs(significance)
      return multiple(value, mode !== 0 && value < 0 ? -significance : significance, Math.ceil)
    })
  },
  floormath (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('FLOOR.MATH'), (value, significance, mode) => {
      if (value === 0 || significance === 0) return 0
      significance = Math.abs(significance)
      return multiple(value, mode !== 0 && value < 0 ? -significance : significance, Math.floor)
    })
  },
  ceilingprecise (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('CEILING.PRECISE'), (value, significance) => {
      if (value === 0 || significance === 0) return 0
      return multiple(value, Math.abs(significance), Math.ceil)
    })
  },
  floorprecise (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('FLOOR.PRECISE'), (value, significance) => {
      if (value === 0 || significance === 0) return 0
      return multiple(value, Math.abs(significance), Math.floor)
    })
  },
})

const TWO_NUMBERS = [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER }]
const NUMBER_AND_SIGNIFICANCE = [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER, defaultValue: 1 }]
const WITH_MODE = [...NUMBER_AND_SIGNIFICANCE, { argumentType: T.NUMBER, defaultValue: 0 }]

ComplexFunctions.implementedFunctions = {
  CEILING: { method: 'ceiling', parameters: TWO_NUMBERS },
  FLOOR: { method: 'floor', parameters: TWO_NUMBERS },
  'CEILING.MATH': { method: 'ceilingmath', parameters: WITH_MODE },
  'FLOOR.MATH': { method: 'floormath', parameters: WITH_MODE },
  'CEILING.PRECISE': { method: 'ceilingprecise', parameters: NUMBER_AND_SIGNIFICANCE },
  'ISO.CEILING': { method: 'ceilingprecise', parameters: NUMBER_AND_SIGNIFICANCE },
  'FLOOR.PRECISE': { method: 'floorprecise', parameters: NUMBER_AND_SIGNIFICANCE },
  COMPLEX: {
    method: 'complex',
    parameters: [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER }, { argumentType: T.STRING, defaultValue: 'i' }],
  },
}

module.exports = [
  { plugin: MatrixFunctions, translations: translationsFor(MatrixFunctions) },
  { plugin: ComplexFunctions, translations: translationsFor(ComplexFunctions) },
]
