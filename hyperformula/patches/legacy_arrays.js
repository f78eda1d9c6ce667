'use strict'
// Excel's two kinds of formula cell, taught to HyperFormula 3.5. Installed with the other
// patches (patches/index.js), after the functions are registered: it flags some of them.
//
// A cell that is not an array formula (neither CSE `{=...}` nor a dynamic array) is evaluated
// by Excel with *implicit intersection*: a range where one value is expected gives the range's
// cell in the formula's row (a column range) or column (a row range), else #VALUE!. Excel
// writes every formula that would spill or needs array evaluation as an array formula, so
// the importer sends those as `=ARRAYFORMULA(...)` and the engine runs with
// useArrayArithmetic off (config.js). What HyperFormula gets wrong in that mode, fixed here:
//
// - its intersection works only on the formula's own sheet, and not for a one-cell range;
//   Excel intersects with a range on any sheet;
// - a formula whose result is a range (`=B1:B9`) gives #VALUE! instead of the intersection;
// - an array formula that is a bare range (`{=B1:B4}`) shows only its first cell;
// - the functions whose parameters Excel declares as arrays (SUMPRODUCT, INDEX, LOOKUP,
//   MMULT...) evaluate their arguments element-wise even in a plain cell; in HyperFormula
//   only ARRAYFORMULA, FILTER, SORT, UNIQUE, VSTACK and HSTACK do.
const { CellError, ErrorType } = require('hyperformula')

const { arithmetic, Evaluator, SimpleRangeValue, ArrayFormulaVertex, AstNodeType, EmptyValue, NamedExpressions, ArraySize, ArraySizePredictor, AbsoluteCellRange, InterpreterState, Interpreter, ErroredArray } = require('../internals')
const { FunctionPlugin } = require('hyperformula')
const context = require('../context')

const NAMED_EXPRESSIONS_SHEET = NamedExpressions.SHEET_FOR_WORKBOOK_EXPRESSIONS

// Excel functions with array-typed parameters: their arguments are computed as arrays in any
// cell (e.g. SUMPRODUCT((A1:A9>0)*B1:B9) needs no Ctrl+Shift+Enter). MATCH, SUM, AVERAGE...
// are not among them: MATCH(1,(A1:A9=x)*(B1:B9=y),0) gives #N/A in a plain Excel cell.
const ARRAY_PARAMETER_FUNCTIONS = [
  'SUMPRODUCT', 'MMULT', 'MDETERM', 'MINVERSE', 'TRANSPOSE', 'FREQUENCY',
  'LINEST', 'LOGEST', 'TREND', 'GROWTH', 'SUMX2MY2', 'SUMX2PY2', 'SUMXMY2', 'ARRAYTOTEXT',
  'XLOOKUP', 'XMATCH', 'SEQUENCE', 'CHOOSECOLS', 'CHOOSEROWS', 'TAKE', 'DROP', 'TOCOL', 'TOROW',
  'WRAPROWS', 'WRAPCOLS', 'TEXTJOIN', 'CONCAT',
]

// Functions where only some parameters are arrays, by position: the others are scalars, read
// by implicit intersection in a plain cell (=INDEX(B1:F1,1,B2:F2) in column D reads D2, and
// MATCH(Table[Col],...) inside INDEX reads the formula's row). In an array formula every
// argument is evaluated element-wise as usual.
const ARRAY_ARGUMENTS = { INDEX: [0], LOOKUP: [1, 2], XLOOKUP: [1, 2, 3], XMATCH: [1] }

// The functions born in the Analysis ToolPak add-in (listed on Microsoft's "Analysis ToolPak
// functions" page; built into Excel since 2007) and the IM* / ERF*.PRECISE siblings of Excel
// 2010-2013. Their value parameters accept a reference, so Excel neither intersects nor lifts
// a range there: a multi-cell reference gives #VALUE!, in a plain cell and in an array formula
// alike (`{=EDATE(A1:A5,1)}` is #VALUE! in every cell; the usual workaround `EDATE(+A1:A5,1)`
// works because an array, unlike a reference, is lifted element by element). The cells Excel
// saved in the `formulas` test workbook agree: 40 such functions give #VALUE! over a range
// where FACT, DATEDIF, ISOWEEKNUM, BITAND... lift. Range parameters (XNPV's values,
// WORKDAY's holidays, IMSUM's numbers...) are untouched. These functions also refuse TRUE and
// FALSE as numbers (#VALUE!; "If number is nonnumeric, ISEVEN returns the #VALUE! error value",
// and the saved cells of DELTA, BESSELI, DEC2BIN, COMPLEX... agree).
const REFERENCE_ARGUMENT_FUNCTIONS = [
  // Engineering
  'BESSELI', 'BESSELJ', 'BESSELK', 'BESSELY', 'BIN2DEC', 'BIN2HEX', 'BIN2OCT', 'COMPLEX', 'CONVERT',
  'DEC2BIN', 'DEC2HEX', 'DEC2OCT', 'DELTA', 'ERF', 'ERFC', 'ERF.PRECISE', 'ERFC.PRECISE', 'GESTEP',
  'HEX2BIN', 'HEX2DEC', 'HEX2OCT', 'OCT2BIN', 'OCT2DEC', 'OCT2HEX', 'IMABS', 'IMAGINARY', 'IMARGUMENT',
  'IMCONJUGATE', 'IMCOS', 'IMCOSH', 'IMCOT', 'IMCSC', 'IMCSCH', 'IMDIV', 'IMEXP', 'IMLN', 'IMLOG10',
  'IMLOG2', 'IMPOWER', 'IMREAL', 'IMSEC', 'IMSECH', 'IMSIN', 'IMSINH', 'IMSQRT', 'IMSUB', 'IMTAN',
  // Date and time
  'EDATE', 'EOMONTH', 'NETWORKDAYS', 'WEEKNUM', 'WORKDAY', 'YEARFRAC',
  // Financial
  'ACCRINT', 'ACCRINTM', 'AMORDEGRC', 'AMORLINC', 'COUPDAYBS', 'COUPDAYS', 'COUPDAYSNC', 'COUPNCD',
  'COUPNUM', 'COUPPCD', 'CUMIPMT', 'CUMPRINC', 'DISC', 'DOLLARDE', 'DOLLARFR', 'DURATION', 'EFFECT',
  'FVSCHEDULE', 'INTRATE', 'MDURATION', 'NOMINAL', 'ODDFPRICE', 'ODDFYIELD', 'ODDLPRICE', 'ODDLYIELD',
  'PRICE', 'PRICEDISC', 'PRICEMAT', 'RECEIVED', 'TBILLEQ', 'TBILLPRICE', 'TBILLYIELD', 'XIRR', 'XNPV',
  'YIELD', 'YIELDDISC', 'YIELDMAT',
  // Information, math
  'ISEVEN', 'ISODD', 'FACTDOUBLE', 'MROUND', 'QUOTIENT', 'RANDBETWEEN', 'SERIESSUM', 'SQRTPI',
]
const RANGE_PARAMETERS = new Set(['RANGE', 'ANY'])

// A reference to more than one cell (a computed array is not a reference).
function isMultiCellReference (value) {
  return value instanceof SimpleRangeValue && !value.isAdHoc() && (value.width() > 1 || value.height() > 1)
}

function isMultiCellRangeAst (ast, state) {
  if (![AstNodeType.CELL_RANGE, AstNodeType.COLUMN_RANGE, AstNodeType.ROW_RANGE].includes(ast.type)) return false
  const range = AbsoluteCellRange.fromAstOrUndef(ast, state.formulaAddress)
  return range !== undefined && (range.width() > 1 || range.height() > 1)
}

// The parameter type at each argument position, `repeatLastArgs` unrolled.
function parameterTypes (metadata, count) {
  const params = [...(metadata.parameters || [])]
  const repeat = metadata.repeatLastArgs
  while (repeat && params.length < count) params.push(...params.slice(params.length - repeat))
  return params.map((p) => p.argumentType)
}

function isScalarParameter (types, i) {
  return types[i] !== undefined && !RANGE_PARAMETERS.has(types[i])
}

// Array formulas occupy the range Excel saved for them: a one-cell array formula shows the
// top-left value of a bigger result, nothing spills (HyperFormula would report #SPILL! over the
// neighbours), and a smaller result is repeated or padded with #N/A (fitToRange). engine.js
// declares each sheet's multi-cell array formulas in the request's context before loading it
// (context.js: arrays); an ARRAYFORMULA cell on a declared sheet that is not listed is one cell.

// On a declared sheet a formula that is not an array formula is one cell, whatever its value
// (`={1,2;1,2}` or =MINVERSE(...) typed plainly shows its top-left value in Excel; HyperFormula
// would spill it and report #SPILL!).
function installPlainCellsAreOneCell () {
  const checkArraySize = ArraySizePredictor.prototype.checkArraySize
  if (checkArraySize.plainCells) return
  ArraySizePredictor.prototype.checkArraySize = function (ast, address) {
    const size = checkArraySize.call(this, ast, address)
    if (isArrayFormula(ast) || size.isRef || (size.width <= 1 && size.height <= 1)) return size
    return address && context.current().arrays.has(address.sheet) ? ArraySize.scalar() : size
  }
  ArraySizePredictor.prototype.checkArraySize.plainCells = true
}

// The size an array formula occupies: on a declared sheet, the range Excel saved for it.
function reservedSize (size, address) {
  const sizes = address && context.current().arrays.get(address.sheet)
  if (!sizes) return size
  const [height, width] = sizes.get(address.row * 16384 + address.col) || [1, 1]
  return new ArraySize(width, height)
}

// Functions that size themselves from the declaration (GROUPBY, the LAMBDA helpers, TEXTSPLIT:
// their size is known only after evaluation) keep HyperFormula's empty padding; see fitToRange.
// context.current().selfSized holds them as `${sheet}:${row}:${col}`.
function markSelfSized (predicted, reserved, address) {
  const { arrays, selfSized } = context.current()
  if (!address || !arrays.has(address.sheet)) return
  const key = `${address.sheet}:${address.row}:${address.col}`
  const same = predicted.width === reserved.width && predicted.height === reserved.height
  if (same && (reserved.width > 1 || reserved.height > 1)) selfSized.add(key)
  else selfSized.delete(key)
}

// A result made to fill its array formula's range as Excel shows it: cut when bigger; when
// smaller, a single value fills the range, a one-row result repeats down, a one-column result
// across, and the other cells are #N/A. Held in the engine, so formulas that read those cells
// see what Excel's do.
function fitToRange (value, size) {
  const data = value instanceof SimpleRangeValue ? value.data : [[value]]
  const height = data.length
  const width = height ? data[0].length : 0
  if (height === size.height && width === size.width) return value
  const na = new CellError(ErrorType.NA, 'Outside the array result.')
  return SimpleRangeValue.onlyValues(Array.from({ length: size.height }, (_, r) => Array.from({ length: size.width }, (_, c) => {
    const sr = height === 1 ? 0 : r
    const sc = width === 1 ? 0 : c
    return sr < height && sc < width ? data[sr][sc] : na
  })))
}

// The cell of `range` that lies in the formula's row (or column); undefined when none does.
// Reads that one cell only: materialising a whole-column range per cell would be quadratic.
function intersect (value, state) {
  if (value.isAdHoc()) return value.data[0] === undefined ? undefined : value.data[0][0]
  const range = value.range
  const height = range.height()
  const width = range.width()
  const at = state.formulaAddress
  const r = height === 1 ? 0 : at.row - range.start.row
  const c = width === 1 ? 0 : at.col - range.start.col
  if (r < 0 || r >= height || c < 0 || c >= width || (height > 1 && width > 1)) return undefined
  const cell = value.dependencyGraph.getCellValue({ sheet: range.sheet, row: range.start.row + r, col: range.start.col + c })
  return cell === undefined ? EmptyValue : cell
}

// The value a plain (non-array) cell shows for a formula that evaluated to a range or array.
function scalarOf (value, ast, state) {
  if (isArrayFormula(ast)) return value.data[0][0] // a one-cell array formula shows its top-left
  const cell = intersect(value, state)
  return cell === undefined ? new CellError(ErrorType.VALUE, 'Implicit intersection is empty.') : cell
}

function isArrayFormula (ast) {
  return ast.type === AstNodeType.FUNCTION_CALL && ast.procedureName === 'ARRAYFORMULA'
}

let installed = false

function install (HyperFormula) {
  if (installed) return
  installed = true
  arithmetic.coerceRangeToScalar = intersect

  const evaluate = Evaluator.prototype.evaluateAstToCellValue
  Evaluator.prototype.evaluateAstToCellValue = function (ast, state) {
    const value = evaluate.call(this, ast, state)
    // Named expressions live on a pseudo-sheet (-1) and must keep their ranges whole.
    if (value instanceof SimpleRangeValue && state.formulaAddress.sheet !== NAMED_EXPRESSIONS_SHEET &&
        !(state.formulaVertex instanceof ArrayFormulaVertex)) {
      // The cell shows 0 when the intersection lands on a blank cell, as `=A1` does (Excel:
      // `=AM:AM` in row 83 with AM83 blank is 0).
      const scalar = scalarOf(value, ast, state)
      return scalar === EmptyValue ? 0 : scalar
    }
    // An array formula's cells never show a blank: Excel spills a blank cell as 0 ({=A1:A3}).
    if (value instanceof SimpleRangeValue && state.formulaVertex instanceof ArrayFormulaVertex &&
        value.data.some((row) => row.includes(EmptyValue))) {
      return SimpleRangeValue.onlyValues(value.data.map((row) => row.map((v) => (v === EmptyValue ? 0 : v))))
    }
    return value
  }

  // `{=B1:B4}` (an array formula that is just a range) must spill like any array formula, but
  // HyperFormula sizes ARRAYFORMULA(range) as a reference, that is one cell. Drop that flag.
  const arrayPlugin = HyperFormula.getFunctionPlugin('ARRAYFORMULA')
  const sizeOf = arrayPlugin.prototype.arrayformulaArraySize
  if (!sizeOf.spillsRanges) {
    arrayPlugin.prototype.arrayformulaArraySize = function (ast, state) {
      const size = sizeOf.call(this, ast, state)
      const reserved = reservedSize(size.isRef ? new ArraySize(size.width, size.height) : size, state.formulaAddress)
      markSelfSized(size, reserved, state.formulaAddress)
      return reserved
    }
    arrayPlugin.prototype.arrayformulaArraySize.spillsRanges = true
  }

  for (const name of ARRAY_PARAMETER_FUNCTIONS) {
    const plugin = HyperFormula.getFunctionPlugin(name)
    if (plugin) plugin.implementedFunctions[name].enableArrayArithmeticForArguments = true
  }
  for (const [name, positions] of Object.entries(ARRAY_ARGUMENTS)) {
    const plugin = HyperFormula.getFunctionPlugin(name)
    if (!plugin) continue
    plugin.implementedFunctions[name].enableArrayArithmeticForArguments = false
    plugin.implementedFunctions[name].arrayArguments = positions
  }
  const evaluateArguments = FunctionPlugin.prototype.evaluateArguments
  if (!evaluateArguments.arrayArguments) {
    FunctionPlugin.prototype.evaluateArguments = function (args, state, metadata) {
      const positions = metadata.arrayArguments
      if (!positions || state.arraysFlag || metadata.expandRanges) return evaluateArguments.call(this, args, state, metadata)
      const arrays = new InterpreterState(state.formulaAddress, true, state.formulaVertex)
      return args.map((ast, i) => [this.evaluateAst(ast, positions.includes(i) ? arrays : state), false, ast.type === AstNodeType.EMPTY])
    }
    FunctionPlugin.prototype.evaluateArguments.arrayArguments = true
  }
  installReferenceArguments(HyperFormula)
  installArrayClipping()
  installPlainCellsAreOneCell()
  installMismatchedArrays()
  installErroredArrayRanges()
}

// A range that is exactly an array formula's range whose whole result is one error (`{=B1:B9/0}`
// over a #REF!, MINVERSE of a non-square range) reads as its cells, each holding that error,
// as Excel shows them: arithmetic over it gives the error element by element, SUM gives the
// error, IFERROR and ISERROR see it. HyperFormula throws "Unknown array" there, which failed
// the formula (`engine_error`).
function installErroredArrayRanges () {
  const evaluate = Interpreter.prototype.evaluateAstWithoutPostprocessing
  if (evaluate.erroredArrays) return
  Interpreter.prototype.evaluateAstWithoutPostprocessing = function (ast, state) {
    try {
      return evaluate.call(this, ast, state)
    } catch (err) {
      if (ast.type !== AstNodeType.CELL_RANGE) throw err
      const range = AbsoluteCellRange.fromCellRange(ast, state.formulaAddress)
      const vertex = this.dependencyGraph.getArray(range)
      if (!vertex || !(vertex.array instanceof ErroredArray)) throw err
      return SimpleRangeValue.onlyRange(range, this.dependencyGraph)
    }
  }
  Interpreter.prototype.evaluateAstWithoutPostprocessing.erroredArrays = true
}

// A function lifted over arrays of different sizes gives #N/A where a smaller array has no
// element (ROUND({1.1,2.2,3.3},{0,1}) is {1,2.2,#N/A}; a one-row or one-column array still
// repeats), as Excel's operators already do in HyperFormula. It used to read "missing".
function installMismatchedArrays () {
  const broadcast = FunctionPlugin.prototype.vectorizeAndBroadcastRangeArgument
  if (broadcast.missingIsNA) return
  FunctionPlugin.prototype.vectorizeAndBroadcastRangeArgument = function (value, row, col) {
    const element = broadcast.call(this, value, row, col)
    return element === undefined ? new CellError(ErrorType.NA, 'Outside the smaller array.') : element
  }
  FunctionPlugin.prototype.vectorizeAndBroadcastRangeArgument.missingIsNA = true
}

// REFERENCE_ARGUMENT_FUNCTIONS: a multi-cell reference in a value parameter becomes #VALUE!
// before HyperFormula can intersect or vectorize it, and the formula is sized as one cell.
function installReferenceArguments (HyperFormula) {
  for (const name of REFERENCE_ARGUMENT_FUNCTIONS) {
    const plugin = HyperFormula.getFunctionPlugin(name)
    const aliased = plugin && plugin.aliases && plugin.aliases[name] // ERF.PRECISE is ERF's alias
    const metadata = plugin && plugin.implementedFunctions[aliased || name]
    if (metadata) metadata.scalarReferences = true
  }
  const evaluateArguments = FunctionPlugin.prototype.evaluateArguments
  if (evaluateArguments.scalarReferences) return
  FunctionPlugin.prototype.evaluateArguments = function (args, state, metadata) {
    const values = evaluateArguments.call(this, args, state, metadata)
    if (!metadata.scalarReferences || metadata.expandRanges) return values
    const types = parameterTypes(metadata, values.length)
    return values.map((entry, i) => {
      if (!isScalarParameter(types, i)) return entry
      if (isMultiCellReference(entry[0])) return [new CellError(ErrorType.VALUE, 'A range where the function takes one value.'), entry[1], entry[2]]
      if (typeof entry[0] === 'boolean' && types[i] !== 'BOOLEAN') return [new CellError(ErrorType.VALUE, 'TRUE or FALSE where the function takes a number.'), entry[1], entry[2]]
      return entry
    })
  }
  FunctionPlugin.prototype.evaluateArguments.scalarReferences = true
  FunctionPlugin.prototype.evaluateArguments.arrayArguments = true

  const checkSize = ArraySizePredictor.prototype.checkArraySizeForFunction
  ArraySizePredictor.prototype.checkArraySizeForFunction = function (ast, state) {
    const metadata = this.functionRegistry.getMetadata(ast.procedureName)
    if (metadata && metadata.scalarReferences && !metadata.expandRanges) {
      const types = parameterTypes(metadata, ast.args.length)
      if (ast.args.some((arg, i) => isScalarParameter(types, i) && isMultiCellRangeAst(arg, state))) return ArraySize.scalar()
    }
    return checkSize.call(this, ast, state)
  }
}

// An array formula's value is made to fit the range its cell reserved: on a declared sheet as
// Excel shows it (fitToRange), elsewhere cut when bigger (HyperFormula throws when asked to
// shrink an array).
function installArrayClipping () {
  const setCellValue = ArrayFormulaVertex.prototype.setCellValue
  if (setCellValue.clips) return
  ArrayFormulaVertex.prototype.setCellValue = function (value) {
    const size = this.array.size
    if (size && !size.isRef && !(value instanceof CellError)) {
      const { sheet, row, col } = this.cellAddress
      const { arrays, selfSized } = context.current()
      if (arrays.has(sheet) && !selfSized.has(`${sheet}:${row}:${col}`)) {
        value = fitToRange(value, size)
      } else if (value instanceof SimpleRangeValue && (value.height() > size.height || value.width() > size.width)) {
        value = SimpleRangeValue.onlyValues(value.data.slice(0, size.height).map((row) => row.slice(0, size.width)))
      }
    }
    return setCellValue.call(this, value)
  }
  ArrayFormulaVertex.prototype.setCellValue.clips = true
}

module.exports = {
  install,
  ARRAY_PARAMETER_FUNCTIONS,
  ARRAY_ARGUMENTS,
  REFERENCE_ARGUMENT_FUNCTIONS,
}
