'use strict'
// Excel's two kinds of formula cell, taught to HyperFormula 3.5. Not a function plugin:
// engine.js (and the tests) call install() once, before any HyperFormula is built.
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
const path = require('path')
const { CellError, ErrorType } = require('hyperformula')

const lib = path.dirname(require.resolve('hyperformula'))
const arithmetic = require(path.join(lib, 'interpreter', 'ArithmeticHelper.js'))
const { Evaluator } = require(path.join(lib, 'Evaluator.js'))
const { SimpleRangeValue } = require(path.join(lib, 'SimpleRangeValue.js'))
const { ArrayFormulaVertex } = require(path.join(lib, 'DependencyGraph', 'index.js'))
const { AstNodeType } = require(path.join(lib, 'parser', 'index.js'))
const { EmptyValue } = require(path.join(lib, 'interpreter', 'InterpreterValue.js'))
const { NamedExpressions } = require(path.join(lib, 'NamedExpressions.js'))
const { ArraySize } = require(path.join(lib, 'ArraySize.js'))
const { InterpreterState } = require(path.join(lib, 'interpreter', 'InterpreterState.js'))
const { FunctionPlugin } = require('hyperformula')

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

function install (HyperFormula) {
  arithmetic.coerceRangeToScalar = intersect

  const evaluate = Evaluator.prototype.evaluateAstToCellValue
  Evaluator.prototype.evaluateAstToCellValue = function (ast, state) {
    const value = evaluate.call(this, ast, state)
    // Named expressions live on a pseudo-sheet (-1) and must keep their ranges whole.
    if (value instanceof SimpleRangeValue && state.formulaAddress.sheet !== NAMED_EXPRESSIONS_SHEET &&
        !(state.formulaVertex instanceof ArrayFormulaVertex)) {
      return scalarOf(value, ast, state)
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
      return size.isRef ? new ArraySize(size.width, size.height) : size
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
}

module.exports = { install, ARRAY_PARAMETER_FUNCTIONS, ARRAY_ARGUMENTS }
