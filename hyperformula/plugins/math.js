'use strict'
// Matrix functions HyperFormula 3.5 lacks: MDETERM, MINVERSE, MUNIT.
const { FunctionPlugin, FunctionArgumentType: T, CellError, ArraySize, SimpleRangeValue } = require('hyperformula')
const { error, translationsFor, isNumber, rawNumber } = require('./common')

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

module.exports = [{ plugin: MatrixFunctions, translations: translationsFor(MatrixFunctions) }]
