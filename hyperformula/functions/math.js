'use strict'
// Matrix functions HyperFormula 3.5 lacks (MDETERM, MINVERSE, MUNIT), and COMPLEX, the IM*
// functions and FLOOR/CEILING as Excel computes them.
const { FunctionPlugin, FunctionArgumentType: T, CellError, ArraySize, SimpleRangeValue } = require('hyperformula')
const { error, translationsFor, isNumber, rawNumber, isEmpty, cellsOf } = require('./common')
const { complexText } = require('./number_text')
const { arithmetic, AstNodeType, InterpreterState } = require('../internals')

// A square matrix of plain numbers, or the error Excel gives: #VALUE! for a
// non-square array or any blank/text cell.
function squareMatrix (range) {
  if (range.width() !== range.height()) return error('VALUE', 'Array must be square')
  return numberMatrix(range)
}

// The numbers of a range (dates and times are numbers too), or its first error, or #VALUE!
// for a blank, text or logical cell.
function numberMatrix (range) {
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

  // MMULT as Excel: dates and times are numbers (HyperFormula's MMULT refuses them), and the
  // first error of the left, then the right array is the result.
  mmult (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('MMULT'), (left, right) => {
      const a = numberMatrix(left)
      if (a instanceof CellError) return a
      const b = numberMatrix(right)
      if (b instanceof CellError) return b
      if (a[0].length !== b.length) return error('VALUE', 'MMULT: the columns of array1 must match the rows of array2')
      const product = a.map((row) => b[0].map((_, c) => row.reduce((sum, x, k) => sum + x * b[k][c], 0)))
      return product.length === 1 && product[0].length === 1 ? product[0][0] : SimpleRangeValue.onlyNumbers(product)
    })
  }

  mmultSize (ast, state) {
    if (ast.args.length !== 2) return ArraySize.error()
    const [left, right] = ast.args.map((arg) => this.arraySizeForAst(arg, new InterpreterState(state.formulaAddress, true)))
    return new ArraySize(right.width, left.height)
  }

  // Lifted over an array in an array formula (`{=MUNIT(A1:A5)}`), each element shows the
  // top-left value of its own matrix, 1, as in Excel; HyperFormula cannot lift a function
  // that returns an array.
  munit (ast, state) {
    const arg = ast.args.length === 1 && state.arraysFlag ? this.evaluateAst(ast.args[0], state) : undefined
    if (arg instanceof SimpleRangeValue && (arg.width() > 1 || arg.height() > 1)) {
      return SimpleRangeValue.onlyValues(arg.data.map((row) => row.map((v) => {
        if (v instanceof CellError) return v
        const n = this.coerceScalarToNumberOrError(v)
        if (n instanceof CellError) return n
        return Math.trunc(rawNumber(n)) < 1 ? error('VALUE', 'Dimension must be at least 1') : 1
      })))
    }
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
  munitArraySize (ast, state) {
    const arg = ast.args[0]
    if (arg && state.arraysFlag && arg.type !== 'NUMBER') {
      const size = this.arraySizeForAst(arg, state)
      if (size.width > 1 || size.height > 1) return new ArraySize(size.width, size.height)
    }
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
  MMULT: {
    method: 'mmult',
    sizeOfResultArrayMethod: 'mmultSize',
    parameters: [{ argumentType: T.RANGE }, { argumentType: T.RANGE }],
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
  // ECMA.CEILING: CEILING as ECMA-376 (and Excel 2007) define it: different signs are #NUM!
  // even for a negative number (CEILING(-2.5,2) is -2 since Excel 2010; ECMA.CEILING is #NUM!).
  ecmaceiling (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ECMA.CEILING'), (value, significance) => {
      if (value === 0 || significance === 0) return 0
      if (Math.sign(value) !== Math.sign(significance)) return error('NUM', 'ECMA.CEILING: the signs differ')
      return multiple(value, significance, Math.ceil)
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
  'ECMA.CEILING': { method: 'ecmaceiling', parameters: TWO_NUMBERS },
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

// ---- The IM* functions, replacing HyperFormula's: Excel keeps the suffix of its input
// ("7+25j" in, "...j" out; HyperFormula always writes i), reads exponents in either case
// ("1.2E-45-3i", which COMPLEX itself writes), refuses a mix of i and j (#VALUE!), reads TRUE and
// FALSE as #VALUE!, text that is no complex number as #NUM!, and an empty cell as 0.
// Results are written by number_text.js's complexText.
const NUM = String.raw`(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`
const REAL = new RegExp(`^[+-]?${NUM}$`)
const IMAGINARY = new RegExp(`^([+-]?)(${NUM})?([ij])$`)
const BOTH = new RegExp(`^([+-]?${NUM})([+-])(${NUM})?([ij])$`)

// { re, im, suffix } (suffix null for a real number), or the error Excel gives.
function parseComplex (value) {
  if (value instanceof CellError) return value
  if (isEmpty(value)) return { re: 0, im: 0, suffix: null }
  if (isNumber(value)) return { re: rawNumber(value), im: 0, suffix: null }
  if (typeof value !== 'string') return error('VALUE', 'A complex number is text like "3+4i".')
  if (REAL.test(value)) return { re: Number(value), im: 0, suffix: null }
  let m = IMAGINARY.exec(value)
  if (m) return { re: 0, im: (m[1] === '-' ? -1 : 1) * (m[2] === undefined ? 1 : Number(m[2])), suffix: m[3] }
  m = BOTH.exec(value)
  if (m) return { re: Number(m[1]), im: (m[2] === '-' ? -1 : 1) * (m[3] === undefined ? 1 : Number(m[3])), suffix: m[4] }
  return error('NUM', `"${value}" is not a complex number.`)
}

// The suffix of a result: the one its inputs share ("i" when all are real). A mix is #VALUE!
// for IMSUM and IMPRODUCT but #NUM! for IMSUB and IMDIV, as Excel gave.
function commonSuffix (numbers, type = 'VALUE') {
  const suffixes = new Set(numbers.map((z) => z.suffix).filter(Boolean))
  if (suffixes.size > 1) return error(type, 'The complex numbers mix the suffixes i and j.')
  return suffixes.size ? [...suffixes][0] : 'i'
}

const C = {
  add: ([a, b], [c, d]) => [a + c, b + d],
  sub: ([a, b], [c, d]) => [a - c, b - d],
  mul: ([a, b], [c, d]) => [a * c - b * d, a * d + b * c],
  div: ([a, b], [c, d]) => {
    const q = c * c + d * d
    return q === 0 ? null : [(a * c + b * d) / q, (b * c - a * d) / q]
  },
  exp: ([a, b]) => [Math.exp(a) * Math.cos(b), Math.exp(a) * Math.sin(b)],
  ln: ([a, b]) => (a === 0 && b === 0 ? null : [Math.log(Math.hypot(a, b)), Math.atan2(b, a)]),
  sin: ([a, b]) => [Math.sin(a) * Math.cosh(b), Math.cos(a) * Math.sinh(b)],
  cos: ([a, b]) => [Math.cos(a) * Math.cosh(b), -Math.sin(a) * Math.sinh(b)],
  sinh: ([a, b]) => [Math.sinh(a) * Math.cos(b), Math.cosh(a) * Math.sin(b)],
  cosh: ([a, b]) => [Math.cosh(a) * Math.cos(b), Math.sinh(a) * Math.sin(b)],
  // Polar form, as Excel: IMSQRT("-4") is "1.22464679914735E-16+2i".
  pow: ([a, b], n) => {
    if (a === 0 && b === 0) return n > 0 ? [0, 0] : null
    const r = Math.pow(Math.hypot(a, b), n)
    const t = Math.atan2(b, a) * n
    return [r * Math.cos(t), r * Math.sin(t)]
  },
}
const inverse = (z) => (z ? C.div([1, 0], z) : null)
// cosh 2b - cos 2a, the denominator of cot and csc; near 0 it cancels, so there it is taken as
// 2(sin²a + sinh²b) (IMCOT("1E-16") is 1E+16 in Excel). The direct form elsewhere gives
// Excel's last digits (IMCSC("3.1+2j")).
function coshMinusCos (a, b) {
  const d = Math.cosh(2 * b) - Math.cos(2 * a)
  return d < 1e-6 ? 2 * (Math.sin(a) ** 2 + Math.sinh(b) ** 2) : d
}
const scaled = (z, k) => (z ? [z[0] / k, z[1] / k] : null)

// Unary IM* functions returning a complex number: [re, im] or null (#NUM!).
const UNARY = {
  IMCONJUGATE: ([a, b]) => [a, -b],
  IMEXP: C.exp,
  IMLN: C.ln,
  IMLOG10: (z) => scaled(C.ln(z), Math.LN10),
  IMLOG2: (z) => scaled(C.ln(z), Math.LN2),
  IMSQRT: (z) => C.pow(z, 0.5),
  IMSIN: C.sin,
  IMCOS: C.cos,
  // tan, cot, sec and csc by their double-angle forms, as Excel's results show (IMTAN("7+25j") is
  // "3.82126757337684E-22+j"; sin/cos would round the real part away).
  IMTAN: ([a, b]) => C.div([Math.sin(2 * a), Math.sinh(2 * b)], [Math.cos(2 * a) + Math.cosh(2 * b), 0]),
  IMCOT: ([a, b]) => C.div([Math.sin(2 * a), -Math.sinh(2 * b)], [coshMinusCos(a, b), 0]),
  IMSEC: ([a, b]) => C.div([2 * Math.cos(a) * Math.cosh(b), 2 * Math.sin(a) * Math.sinh(b)], [Math.cos(2 * a) + Math.cosh(2 * b), 0]),
  IMCSC: ([a, b]) => C.div([2 * Math.sin(a) * Math.cosh(b), -2 * Math.cos(a) * Math.sinh(b)], [coshMinusCos(a, b), 0]),
  IMSINH: C.sinh,
  IMCOSH: C.cosh,
  IMSECH: (z) => inverse(C.cosh(z)),
  IMCSCH: (z) => inverse(C.sinh(z)),
}

// Unary IM* functions returning a number.
const REAL_VALUED = {
  IMREAL: ([a]) => a,
  IMAGINARY: ([, b]) => b,
  IMABS: ([a, b]) => Math.hypot(a, b),
  IMARGUMENT: ([a, b]) => (a === 0 && b === 0 ? error('DIV_BY_ZERO', 'IMARGUMENT of 0') : Math.atan2(b, a)),
}

function complexResult (z, suffix, name) {
  if (suffix instanceof CellError) return suffix
  if (!z || !Number.isFinite(z[0]) || !Number.isFinite(z[1])) return error('NUM', `${name}: no finite result`)
  return complexText(z[0] === 0 ? 0 : z[0], z[1] === 0 ? 0 : z[1], suffix)
}

// The numbers IMSUM and IMPRODUCT add up: each argument, or each non-empty cell of a range.
function complexArguments (args) {
  const out = []
  for (const arg of args) {
    const cells = arg instanceof SimpleRangeValue ? arg.valuesFromTopLeftCorner().filter((v) => !isEmpty(v)) : [arg]
    for (const cell of cells) {
      const z = parseComplex(cell)
      if (z instanceof CellError) return z
      out.push(z)
    }
  }
  return out
}

class ImaginaryFunctions extends FunctionPlugin {
  unary (ast, state) {
    const name = ast.procedureName
    return this.runFunction(ast.args, state, this.metadata(name), (value) => {
      const z = parseComplex(value)
      if (z instanceof CellError) return z
      if (REAL_VALUED[name]) return REAL_VALUED[name]([z.re, z.im])
      return complexResult(UNARY[name]([z.re, z.im]), z.suffix || 'i', name)
    })
  }

  impower (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('IMPOWER'), (value, n) => {
      const z = parseComplex(value)
      return z instanceof CellError ? z : complexResult(C.pow([z.re, z.im], n), z.suffix || 'i', 'IMPOWER')
    })
  }

  binary (ast, state) {
    const name = ast.procedureName
    return this.runFunction(ast.args, state, this.metadata(name), (x, y) => {
      const p = parseComplex(x)
      if (p instanceof CellError) return p
      const q = parseComplex(y)
      if (q instanceof CellError) return q
      const op = name === 'IMSUB' ? C.sub : C.div
      return complexResult(op([p.re, p.im], [q.re, q.im]), commonSuffix([p, q], 'NUM'), name)
    })
  }

  // Arguments are read in order, so the first bad one decides the error (runFunction would
  // report an error given directly before one inside an earlier range).
  aggregate (ast, state) {
    const name = ast.procedureName
    if (ast.args.length === 0) return error('NA', `${name} needs an argument.`)
    const numbers = complexArguments(ast.args.map((arg) => this.evaluateAst(arg, state)))
    if (numbers instanceof CellError) return numbers
    const [op, start] = name === 'IMSUM' ? [C.add, [0, 0]] : [C.mul, [1, 0]]
    return complexResult(numbers.reduce((acc, z) => op(acc, [z.re, z.im]), start), commonSuffix(numbers), name)
  }
}

const INUMBER = { argumentType: T.SCALAR }
ImaginaryFunctions.implementedFunctions = {
  ...Object.fromEntries([...Object.keys(UNARY), ...Object.keys(REAL_VALUED)]
    .map((name) => [name, { method: 'unary', parameters: [INUMBER] }])),
  IMPOWER: { method: 'impower', parameters: [INUMBER, { argumentType: T.NUMBER }] },
  IMSUB: { method: 'binary', parameters: [INUMBER, INUMBER] },
  IMDIV: { method: 'binary', parameters: [INUMBER, INUMBER] },
  IMSUM: { method: 'aggregate', parameters: [{ argumentType: T.ANY }], repeatLastArgs: 1 },
  IMPRODUCT: { method: 'aggregate', parameters: [{ argumentType: T.ANY }], repeatLastArgs: 1 },
}

// ---- GCD and LCM as Excel: arguments are truncated to integers; a number, text that reads as
// a number (in a cell, a range or an array alike), and 0 for an empty cell inside a range; an
// empty cell given directly is left out (all left out: #VALUE!), an omitted argument is #N/A,
// TRUE/FALSE and other text are #VALUE!, a negative value or one of 2^53 and more is #NUM!,
// and so is an LCM of 2^53 and more (Microsoft's GCD and LCM pages; the limits as Excel gave).
const MAX_EXACT = 2 ** 53

function gcd (a, b) {
  while (b) [a, b] = [b, a % b]
  return a
}

class DivisorFunctions extends FunctionPlugin {
  integersOf (args) {
    const out = []
    for (const arg of args) {
      const inRange = arg instanceof SimpleRangeValue
      for (const cell of inRange ? arg.valuesFromTopLeftCorner() : [arg]) {
        if (isEmpty(cell)) {
          if (inRange) out.push(0)
          continue
        }
        if (cell instanceof CellError) return cell
        if (typeof cell === 'boolean') return error('VALUE', 'TRUE and FALSE are not numbers here.')
        const n = this.coerceScalarToNumberOrError(cell)
        if (n instanceof CellError) return n
        const x = rawNumber(n) // GCD(-0.4) is #NUM!: the sign is checked before truncating
        if (x < 0 || x >= MAX_EXACT) return error('NUM', 'Values must be between 0 and 2^53.')
        out.push(Math.trunc(x))
      }
    }
    return out.length ? out : error('VALUE', 'No numbers.')
  }

  // Arguments are read in order (see ImaginaryFunctions.aggregate).
  divisors (ast, state, combine) {
    if (ast.args.length === 0 || ast.args.some((arg) => arg.type === AstNodeType.EMPTY)) return error('NA', 'An argument is missing.')
    const numbers = this.integersOf(ast.args.map((arg) => this.evaluateAst(arg, state)))
    if (numbers instanceof CellError) return numbers
    const result = numbers.reduce(combine)
    return result >= MAX_EXACT ? error('NUM', 'The result is 2^53 or more.') : result
  }

  gcd (ast, state) {
    return this.divisors(ast, state, gcd)
  }

  lcm (ast, state) {
    return this.divisors(ast, state, (a, b) => (a === 0 || b === 0 ? 0 : (a / gcd(a, b)) * b))
  }
}

DivisorFunctions.implementedFunctions = {
  GCD: { method: 'gcd', parameters: [{ argumentType: T.ANY }], repeatLastArgs: 1 },
  LCM: { method: 'lcm', parameters: [{ argumentType: T.ANY }], repeatLastArgs: 1 },
}

// ---- Integer functions where HyperFormula differs from Excel.
// ISODD/ISEVEN truncate first (ISEVEN(2.3) and ISODD(-5.5) are TRUE), Microsoft's ISODD page.
// PRODUCT: only numbers count in a reference or array, and with no number at all the
// product is 0 (Excel's saved results; HyperFormula gives 1).
// BASE truncates its number (BASE(12.3,2) is "1100").
// The radix conversions: DEC2* truncate, the others read digits in either case, a blank as 0,
// and write negative numbers as 10-digit two's complement (Microsoft's DEC2BIN, HEX2BIN... pages).
// BITLSHIFT/BITRSHIFT truncate the shift; every BIT* value must be below 2^48.
const RADIX = { BIN: 2, OCT: 8, DEC: 10, HEX: 16 }
// The range each base holds in 10 digits (decimal: any number Excel can convert).
const LIMITS = { 2: 2 ** 9, 8: 2 ** 29, 16: 2 ** 39 }
const BIT_LIMIT = 2 ** 48

function fromDigits (text, base) {
  if (text.length > 10) return error('NUM', 'At most 10 digits.')
  if (text === '') return 0
  const digits = text.toUpperCase()
  const valid = '0123456789ABCDEF'.slice(0, base)
  if ([...digits].some((d) => !valid.includes(d))) return error('NUM', `"${text}" is not a base-${base} number.`)
  const n = parseInt(digits, base)
  const limit = LIMITS[base]
  return digits.length === 10 && n >= limit ? n - 2 * limit : n // two's complement
}

// places, already truncated and checked to be 1..10, pads a positive result; a negative one is
// always 10 digits, however many places were asked.
function toDigits (n, base, places) {
  const limit = LIMITS[base]
  if (n < -limit || n >= limit) return error('NUM', 'The number does not fit in 10 digits.')
  if (n < 0) return (2 * limit + n).toString(base).toUpperCase()
  const digits = n.toString(base).toUpperCase()
  if (places === undefined) return digits
  if (places < digits.length) return error('NUM', 'places is too small for the number.')
  return digits.padStart(places, '0')
}

function binomial (n, k) {
  if (n < 0 || k < 0 || k > n) return error('NUM', 'COMBIN needs 0 <= number_chosen <= number')
  const m = Math.min(k, n - k)
  let result = 1
  for (let i = 1; i <= m; i++) result = (result * (n - m + i)) / i
  return Number.isFinite(result) ? result : error('NUM', 'COMBIN: the result is too large')
}

class IntegerFunctions extends FunctionPlugin {
  parity (ast, state, odd) {
    return this.runFunction(ast.args, state, this.metadata(ast.procedureName), (x) => (Math.abs(Math.trunc(x)) % 2 === 1) === odd)
  }

  isodd (ast, state) {
    return this.parity(ast, state, true)
  }

  iseven (ast, state) {
    return this.parity(ast, state, false)
  }

  // FACTDOUBLE truncates, and -1 gives 1 like 0 (Excel's saved results); below -1 is #NUM!.
  factdouble (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('FACTDOUBLE'), (x) => {
      if (x < -1) return error('NUM', 'FACTDOUBLE of a negative number')
      let result = 1
      for (let k = Math.trunc(x); k > 1; k -= 2) result *= k
      return Number.isFinite(result) ? result : error('NUM', 'FACTDOUBLE overflows')
    })
  }

  product (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('PRODUCT'), (...args) => {
      let product = 1
      let count = 0
      for (let i = 0; i < args.length; i++) {
        const reference = args[i] instanceof SimpleRangeValue || ast.args[i].type === AstNodeType.CELL_REFERENCE
        for (const value of cellsOf(args[i])) {
          if (value instanceof CellError) return value
          let n = value
          if (!isNumber(value)) {
            if (reference || isEmpty(value)) continue
            n = this.coerceScalarToNumberOrError(value)
            if (n instanceof CellError) return n
          }
          product *= rawNumber(n)
          count++
        }
      }
      return count ? product : 0
    })
  }

  // COMBIN and COMBINA truncate both numbers first (COMBIN(1e-10,0.1) is COMBIN(0,0), 1).
  // COMBINA(n, k) is COMBIN(n + k - 1, k): COMBINA(0, k) is #NUM! for k > 0 and 1 for k = 0.
  // The product is formed term by term so that it overflows only where the result does
  // (COMBINA(1000,200) is 1.67e233). Microsoft's COMBIN and COMBINA pages.
  combin (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('COMBIN'), (n, k) => binomial(Math.trunc(n), Math.trunc(k)))
  }

  combina (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('COMBINA'), (n, k) => {
      n = Math.trunc(n)
      k = Math.trunc(k)
      if (n < 0 || k < 0) return error('NUM', 'COMBINA: numbers must be 0 or more')
      if (n === 0) return k === 0 ? 1 : error('NUM', 'COMBINA(0, k) with k above 0')
      return binomial(n + k - 1, k)
    })
  }

  base (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('BASE'), (number, radix, minLength = 0) => {
      const n = Math.trunc(number)
      if (n >= MAX_EXACT) return error('NUM', 'BASE: the number is 2^53 or more.')
      return n.toString(Math.trunc(radix)).toUpperCase().padStart(Math.trunc(minLength), '0')
    })
  }

  // DECIMAL(text, radix): https://support.microsoft.com/office/decimal-function-ee554665-6176-46ef-82de-0a283658da2e
  // digits 0-9 and A-Z (either case) below the radix 2..36, at most 255 characters; the result
  // must stay below 2^53. HyperFormula's refused every radix above 16.
  decimal (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('DECIMAL'), (text, radix) => {
      const base = Math.trunc(radix)
      if (base < 2 || base > 36) return error('NUM', 'DECIMAL: radix must be 2 to 36')
      if (text.length > 255) return error('VALUE', 'DECIMAL: at most 255 characters')
      let n = 0
      for (const ch of text.toUpperCase()) {
        const digit = parseInt(ch, 36)
        if (Number.isNaN(digit) || digit >= base) return error('NUM', `DECIMAL: "${text}" is not a base-${base} number`)
        n = n * base + digit
      }
      return n >= MAX_EXACT ? error('NUM', 'DECIMAL: the number is 2^53 or more') : n
    })
  }

  convert (ast, state) {
    const [from, to] = ast.procedureName.split('2').map((name) => RADIX[name])
    return this.runFunction(ast.args, state, this.metadata(ast.procedureName), (value, places) => {
      // Excel checks places first: outside 1..10 is #NUM! even for a negative number, whose
      // places are otherwise ignored, and even for a number that is not one (DEC2BIN("E",0)).
      if (places !== undefined) {
        places = Math.trunc(places)
        if (places < 1 || places > 10) return error('NUM', 'places must be 1 to 10.')
      }
      let n
      if (from === 10) {
        if (typeof value === 'boolean') return error('VALUE', 'A logical value is not a number.')
        n = this.coerceScalarToNumberOrError(value)
        if (n instanceof CellError) return n
        n = Math.trunc(rawNumber(n))
      } else {
        n = fromDigits(value, from)
        if (n instanceof CellError) return n
      }
      return to === 10 ? n : toDigits(n, to, places)
    })
  }

  bitshift (ast, state) {
    const left = ast.procedureName === 'BITLSHIFT'
    return this.runFunction(ast.args, state, this.metadata(ast.procedureName), (number, shift) => {
      shift = Math.trunc(shift)
      if (number < 0 || !Number.isInteger(number) || number >= BIT_LIMIT) return error('NUM', 'The number must be an integer from 0 to 2^48.')
      if (Math.abs(shift) > 53) return error('NUM', 'The shift must be between -53 and 53.')
      const result = Math.floor(number * Math.pow(2, left ? shift : -shift))
      return result >= BIT_LIMIT ? error('NUM', 'The result is 2^48 or more.') : result
    })
  }

  bitwise (ast, state) {
    const op = { BITAND: (a, b) => a & b, BITOR: (a, b) => a | b, BITXOR: (a, b) => a ^ b }[ast.procedureName]
    return this.runFunction(ast.args, state, this.metadata(ast.procedureName), (a, b) => {
      if ([a, b].some((x) => x < 0 || !Number.isInteger(x) || x >= BIT_LIMIT)) return error('NUM', 'The numbers must be integers from 0 to 2^48.')
      // 48 bits do not fit JavaScript's 32-bit operators: combine the two halves.
      const high = op(Math.floor(a / 2 ** 24), Math.floor(b / 2 ** 24)) >>> 0
      const low = op(a % 2 ** 24, b % 2 ** 24) >>> 0
      return high * 2 ** 24 + low
    })
  }
}

const RADIX_FUNCTIONS = {}
for (const from of Object.keys(RADIX)) {
  for (const to of Object.keys(RADIX)) {
    if (from === to) continue
    const input = from === 'DEC' ? { argumentType: T.SCALAR } : { argumentType: T.STRING }
    const params = to === 'DEC' ? [input] : [input, { argumentType: T.NUMBER, optionalArg: true }]
    RADIX_FUNCTIONS[`${from}2${to}`] = { method: 'convert', parameters: params }
  }
}

IntegerFunctions.implementedFunctions = {
  ISODD: { method: 'isodd', parameters: [{ argumentType: T.NUMBER }] },
  ISEVEN: { method: 'iseven', parameters: [{ argumentType: T.NUMBER }] },
  PRODUCT: { method: 'product', parameters: [{ argumentType: T.ANY }], repeatLastArgs: 1 },
  FACTDOUBLE: { method: 'factdouble', parameters: [{ argumentType: T.NUMBER }] },
  COMBIN: { method: 'combin', parameters: [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER }] },
  COMBINA: { method: 'combina', parameters: [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER }] },
  BASE: {
    method: 'base',
    parameters: [
      { argumentType: T.NUMBER, minValue: 0 },
      { argumentType: T.NUMBER, minValue: 2, maxValue: 36 },
      { argumentType: T.NUMBER, optionalArg: true, minValue: 0, maxValue: 255 },
    ],
  },
  DECIMAL: { method: 'decimal', parameters: [{ argumentType: T.STRING }, { argumentType: T.NUMBER }] },
  ...RADIX_FUNCTIONS,
  BITLSHIFT: { method: 'bitshift', parameters: [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER }] },
  BITRSHIFT: { method: 'bitshift', parameters: [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER }] },
  BITAND: { method: 'bitwise', parameters: [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER }] },
  BITOR: { method: 'bitwise', parameters: [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER }] },
  BITXOR: { method: 'bitwise', parameters: [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER }] },
}

// ---- Bessel functions as Excel computes them: the polynomial approximations and recurrences
// of Numerical Recipes (Press et al., 2nd ed., 6.5-6.6). They are accurate to about 1e-8, and
// Excel's results carry exactly their error (BESSELI(10,0) is 2815.7166648041534, the true
// value 2815.71662846625...), so a more exact method would not match. The order is truncated;
// a negative order, and x <= 0 for BESSELK and BESSELY, are #NUM! (Microsoft's pages).
const poly = (y, coefficients) => coefficients.reduceRight((acc, c) => acc * y + c, 0)

function besselJ0 (x) {
  const ax = Math.abs(x)
  if (ax < 8) {
    const y = x * x
    return poly(y, [57568490574.0, -13362590354.0, 651619640.7, -11214424.18, 77392.33017, -184.9052456]) /
      poly(y, [57568490411.0, 1029532985.0, 9494680.718, 59272.64853, 267.8532712, 1.0])
  }
  const z = 8 / ax
  const y = z * z
  const xx = ax - 0.785398164
  const p = poly(y, [1.0, -0.1098628627e-2, 0.2734510407e-4, -0.2073370639e-5, 0.2093887211e-6])
  const q = poly(y, [-0.1562499995e-1, 0.1430488765e-3, -0.6911147651e-5, 0.7621095161e-6, -0.934935152e-7])
  return Math.sqrt(0.636619772 / ax) * (Math.cos(xx) * p - z * Math.sin(xx) * q)
}

function besselJ1 (x) {
  const ax = Math.abs(x)
  if (ax < 8) {
    const y = x * x
    return x * poly(y, [72362614232.0, -7895059235.0, 242396853.1, -2972611.439, 15704.48260, -30.16036606]) /
      poly(y, [144725228442.0, 2300535178.0, 18583304.74, 99447.43394, 376.9991397, 1.0])
  }
  const z = 8 / ax
  const y = z * z
  const xx = ax - 2.356194491
  const p = poly(y, [1.0, 0.183105e-2, -0.3516396496e-4, 0.2457520174e-5, -0.240337019e-6])
  const q = poly(y, [0.04687499995, -0.2002690873e-3, 0.8449199096e-5, -0.88228987e-6, 0.105787412e-6])
  const ans = Math.sqrt(0.636619772 / ax) * (Math.cos(xx) * p - z * Math.sin(xx) * q)
  return x < 0 ? -ans : ans
}

function besselJ (n, x) {
  if (n === 0) return besselJ0(x)
  if (n === 1) return besselJ1(x)
  const ax = Math.abs(x)
  if (ax === 0) return 0
  const ACC = 160
  const BIGNO = 1e10
  const BIGNI = 1e-10
  let ans
  if (ax > n) { // upward recurrence
    const tox = 2 / ax
    let bjm = besselJ0(ax)
    let bj = besselJ1(ax)
    for (let j = 1; j < n; j++) [bjm, bj] = [bj, j * tox * bj - bjm]
    ans = bj
  } else { // Miller's downward recurrence
    const tox = 2 / ax
    const m = 2 * Math.floor((n + Math.floor(Math.sqrt(ACC * n))) / 2)
    let jsum = false
    let bjp = 0
    let sum = 0
    let bj = 1
    ans = 0
    for (let j = m; j > 0; j--) {
      const bjm = j * tox * bj - bjp
      bjp = bj
      bj = bjm
      if (Math.abs(bj) > BIGNO) {
        bj *= BIGNI
        bjp *= BIGNI
        ans *= BIGNI
        sum *= BIGNI
      }
      if (jsum) sum += bj
      jsum = !jsum
      if (j === n) ans = bjp
    }
    sum = 2 * sum - bj
    ans /= sum
  }
  return x < 0 && n % 2 === 1 ? -ans : ans
}

function besselY0 (x) {
  if (x < 8) {
    const y = x * x
    return poly(y, [-2957821389.0, 7062834065.0, -512359803.6, 10879881.29, -86327.92757, 228.4622733]) /
      poly(y, [40076544269.0, 745249964.8, 7189466.438, 47447.26470, 226.1030244, 1.0]) +
      0.636619772 * besselJ0(x) * Math.log(x)
  }
  const z = 8 / x
  const y = z * z
  const xx = x - 0.785398164
  const p = poly(y, [1.0, -0.1098628627e-2, 0.2734510407e-4, -0.2073370639e-5, 0.2093887211e-6])
  const q = poly(y, [-0.1562499995e-1, 0.1430488765e-3, -0.6911147651e-5, 0.7621095161e-6, -0.934945152e-7])
  return Math.sqrt(0.636619772 / x) * (Math.sin(xx) * p + z * Math.cos(xx) * q)
}

function besselY1 (x) {
  if (x < 8) {
    const y = x * x
    return x * poly(y, [-0.4900604943e13, 0.1275274390e13, -0.5153438139e11, 0.7349264551e9, -0.4237922726e7, 0.8511937935e4]) /
      poly(y, [0.2499580570e14, 0.4244419664e12, 0.3733650367e10, 0.2245904002e8, 0.1020426050e6, 0.3549632885e3, 1]) +
      0.636619772 * (besselJ1(x) * Math.log(x) - 1 / x)
  }
  const z = 8 / x
  const y = z * z
  const xx = x - 2.356194491
  const p = poly(y, [1.0, 0.183105e-2, -0.3516396496e-4, 0.2457520174e-5, -0.240337019e-6])
  const q = poly(y, [0.04687499995, -0.2002690873e-3, 0.8449199096e-5, -0.88228987e-6, 0.105787412e-6])
  return Math.sqrt(0.636619772 / x) * (Math.sin(xx) * p + z * Math.cos(xx) * q)
}

function besselY (n, x) {
  if (n === 0) return besselY0(x)
  if (n === 1) return besselY1(x)
  const tox = 2 / x
  let bym = besselY0(x)
  let by = besselY1(x)
  for (let j = 1; j < n; j++) [bym, by] = [by, j * tox * by - bym]
  return by
}

function besselI0 (x) {
  const ax = Math.abs(x)
  if (ax < 3.75) return poly((x / 3.75) ** 2, [1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.360768e-1, 0.45813e-2])
  return (Math.exp(ax) / Math.sqrt(ax)) * poly(3.75 / ax, [0.39894228, 0.1328592e-1, 0.225319e-2, -0.157565e-2,
    0.916281e-2, -0.2057706e-1, 0.2635537e-1, -0.1647633e-1, 0.392377e-2])
}

function besselI1 (x) {
  const ax = Math.abs(x)
  let ans
  if (ax < 3.75) {
    ans = ax * poly((x / 3.75) ** 2, [0.5, 0.87890594, 0.51498869, 0.15084934, 0.2658733e-1, 0.301532e-2, 0.32411e-3])
  } else {
    ans = (Math.exp(ax) / Math.sqrt(ax)) * poly(3.75 / ax, [0.39894228, -0.3988024e-1, -0.362018e-2, 0.163801e-2,
      -0.1031555e-1, 0.2282967e-1, -0.2895312e-1, 0.1787654e-1, -0.420059e-2])
  }
  return x < 0 ? -ans : ans
}

function besselI (n, x) {
  if (n === 0) return besselI0(x)
  if (n === 1) return besselI1(x)
  if (x === 0) return 0
  const ACC = 200
  const BIGNO = 1e10
  const BIGNI = 1e-10
  const tox = 2 / Math.abs(x)
  let bip = 0
  let bi = 1
  let ans = 0
  for (let j = 2 * (n + Math.floor(Math.sqrt(ACC * n))); j > 0; j--) {
    const bim = bip + j * tox * bi
    bip = bi
    bi = bim
    if (Math.abs(bi) > BIGNO) {
      ans *= BIGNI
      bi *= BIGNI
      bip *= BIGNI
    }
    if (j === n) ans = bip
  }
  ans *= besselI0(x) / bi
  return x < 0 && n % 2 === 1 ? -ans : ans
}

function besselK0 (x) {
  if (x <= 2) {
    return -Math.log(x / 2) * besselI0(x) + poly(x * x / 4, [-0.57721566, 0.42278420, 0.23069756, 0.3488590e-1,
      0.262698e-2, 0.10750e-3, 0.74e-5])
  }
  return (Math.exp(-x) / Math.sqrt(x)) * poly(2 / x, [1.25331414, -0.7832358e-1, 0.2189568e-1, -0.1062446e-1,
    0.587872e-2, -0.251540e-2, 0.53208e-3])
}

function besselK1 (x) {
  if (x <= 2) {
    return Math.log(x / 2) * besselI1(x) + (1 / x) * poly(x * x / 4, [1.0, 0.15443144, -0.67278579, -0.18156897,
      -0.1919402e-1, -0.110404e-2, -0.4686e-4])
  }
  return (Math.exp(-x) / Math.sqrt(x)) * poly(2 / x, [1.25331414, 0.23498619, -0.3655620e-1, 0.1504268e-1,
    -0.780353e-2, 0.325614e-2, -0.68245e-3])
}

function besselK (n, x) {
  if (n === 0) return besselK0(x)
  if (n === 1) return besselK1(x)
  const tox = 2 / x
  let bkm = besselK0(x)
  let bk = besselK1(x)
  for (let j = 1; j < n; j++) [bkm, bk] = [bk, bkm + j * tox * bk]
  return bk
}

const BESSEL = {
  BESSELJ: { compute: besselJ, positive: false },
  BESSELY: { compute: besselY, positive: true },
  BESSELI: { compute: besselI, positive: false },
  BESSELK: { compute: besselK, positive: true },
}

class BesselFunctions extends FunctionPlugin {
  bessel (ast, state) {
    const { compute, positive } = BESSEL[ast.procedureName]
    return this.runFunction(ast.args, state, this.metadata(ast.procedureName), (x, order) => {
      const n = Math.trunc(order)
      if (n < 0) return error('NUM', 'The order must be 0 or more.')
      if (positive && x <= 0) return error('NUM', 'x must be above 0.')
      const result = compute(n, x)
      return Number.isFinite(result) ? result : error('NUM', 'No finite result.')
    })
  }
}

const X_AND_ORDER = [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER }]
BesselFunctions.implementedFunctions = Object.fromEntries(Object.keys(BESSEL)
  .map((name) => [name, { method: 'bessel', parameters: X_AND_ORDER }]))

// ---------------------------------------------------------------- POWER, ACOT

// POWER: 0 to the power 0 is #NUM! and 0 to a negative power #DIV/0! (Microsoft's POWER page
// and the saved cells), where Math.pow gives 1 and Infinity. ACOT is in (0, pi), as Excel
// documents ("the principal value ... in the range 0 to pi"): pi/2 - atan(x), not atan(1/x).
class ElementaryFunctions extends FunctionPlugin {
  power (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('POWER'), (base, exponent) => {
      if (base === 0 && exponent === 0) return error('NUM', '0 to the power 0')
      if (base === 0 && exponent < 0) return error('DIV_BY_ZERO', '0 to a negative power')
      const result = Math.pow(base, exponent)
      return Number.isFinite(result) ? result : error('NUM', 'No finite result.')
    })
  }

  acot (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ACOT'), (x) => Math.PI / 2 - Math.atan(x))
  }
}

ElementaryFunctions.implementedFunctions = {
  POWER: { method: 'power', parameters: [{ argumentType: T.NUMBER }, { argumentType: T.NUMBER }] },
  ACOT: { method: 'acot', parameters: [{ argumentType: T.NUMBER }] },
}

module.exports = [
  { plugin: ElementaryFunctions, translations: translationsFor(ElementaryFunctions) },
  { plugin: MatrixFunctions, translations: translationsFor(MatrixFunctions) },
  { plugin: BesselFunctions, translations: translationsFor(BesselFunctions) },
  { plugin: IntegerFunctions, translations: translationsFor(IntegerFunctions) },
  { plugin: DivisorFunctions, translations: translationsFor(DivisorFunctions) },
  { plugin: ComplexFunctions, translations: translationsFor(ComplexFunctions) },
  { plugin: ImaginaryFunctions, translations: translationsFor(ImaginaryFunctions) },
]
