'use strict'
// Excel's LAMBDA family, which HyperFormula 3.5 lacks: LAMBDA, LET, MAP, REDUCE, SCAN, BYROW,
// BYCOL, MAKEARRAY, ISOMITTED, a LAMBDA called in place (`=LAMBDA(x,x+1)(2)`) and names
// defined as a LAMBDA.
// https://support.microsoft.com/en-us/office/lambda-function-bd212d27-1cd1-4321-a34a-ccbf254b8b67
// https://support.microsoft.com/en-us/office/let-function-34842dd8-b92b-4d3f-b325-b8b8f9908999
//
// HyperFormula's parser knows no parameter names, so importer/translate.py rewrites:
//   `_xlpm.x`                  -> CL_PARAM("x")        (a parameter or LET name, read here)
//   `_xlfn.LAMBDA(...)(a, b)`  -> CL_CALL(LAMBDA(...), a, b)
//   `_xlpm.f(a)`               -> CL_CALL(CL_PARAM("f"), a)   (a LET-bound lambda)
//   `MYNAME(a)`, MYNAME a name defined as a LAMBDA -> CL_CALL(<the name's LAMBDA>, a)
//   `_xleta.SUM`               -> "_xleta.SUM"          (a function passed by name)
// Every function here gets its arguments as syntax trees (ast.args) and evaluates them itself:
// a lambda is a closure over its parameter names, its body tree and the names bound where it
// was written (lexical scope). Calling it binds the arguments on a stack of scopes that
// CL_PARAM reads, then evaluates the body with HyperFormula's own interpreter. Evaluation is
// synchronous and each formula is evaluated alone, so one module-level stack is enough; it is
// restored after every call. Nothing is cached on the shared syntax trees, and every cell the
// body reads is an ordinary dependency of the formula, so no function needs to be volatile.
//
// Sizes: a result that spills must be sized when the formula is parsed. In an array formula
// we take the range Excel saved for it (context.js declaredSize), else the shape that
// follows from the arguments (MAP, SCAN: the array's; BYROW: one column; MAKEARRAY with
// literal counts), else, for results only evaluation can tell (REDUCE, LET, a call), the
// value's own size when the formula reads no cell, else one cell.
const { FunctionPlugin, FunctionArgumentType: T, CellError, ErrorType, SimpleRangeValue, ArraySize, EmptyValue } = require('hyperformula')
const { AstNodeType, InterpreterState } = require('../internals')
const { error, translationsFor, isNumber, rawNumber, rowsOf } = require('./common')
const { CALC_MESSAGE } = require('./arrays')
const { declaredSize } = require('../context')

const MAX_ROWS = 1048576
const MAX_COLS = 16384

function calc () {
  return new CellError(ErrorType.ERROR, CALC_MESSAGE)
}

// ---- Scopes ---------------------------------------------------------------------------------

// A parameter given no value (`LAMBDA(x,y,...)(1,)`): ISOMITTED sees it, other uses read a blank.
const OMITTED = Symbol('omitted')

class Scope {
  constructor (parent, names = new Map()) {
    this.parent = parent
    this.names = names
  }

  lookup (name) {
    for (let s = this; s; s = s.parent) if (s.names.has(name)) return s.names.get(name)
    return undefined
  }
}

let current = null // the innermost scope of the call being evaluated

// Evaluate `body` with `scope` as the innermost scope, then restore the caller's.
function within (scope, body) {
  const saved = current
  current = scope
  try {
    return body()
  } finally {
    current = saved
  }
}

class Closure {
  constructor (params, body, scope) {
    this.params = params // upper-cased names
    this.body = body
    this.scope = scope
  }
}

// An eta-reduced lambda (`_xleta.SUM`): the built-in called with the lambda's arguments.
class Eta {
  constructor (name) {
    this.name = name
  }
}

// ---- Syntax trees ---------------------------------------------------------------------------

function isCall (ast, name) {
  return ast && ast.type === AstNodeType.FUNCTION_CALL && ast.procedureName === name
}

function isOmittedArg (ast) {
  return !ast || ast.type === AstNodeType.EMPTY
}

// The name of a CL_PARAM("x") node, upper-cased (Excel's names ignore case); else undefined.
function paramName (ast) {
  if (!isCall(ast, 'CL_PARAM') || ast.args.length !== 1 || ast.args[0].type !== AstNodeType.STRING) return undefined
  return ast.args[0].value.toUpperCase()
}

function paramNode (name) {
  return { type: AstNodeType.FUNCTION_CALL, procedureName: 'CL_PARAM', args: [{ type: AstNodeType.STRING, value: name }] }
}

// Whether the tree reads no cell, range or name: its value can be computed at parse time.
function isStatic (ast) {
  if (!ast || typeof ast !== 'object') return true
  if ([AstNodeType.CELL_REFERENCE, AstNodeType.CELL_RANGE, AstNodeType.COLUMN_RANGE, AstNodeType.ROW_RANGE,
    AstNodeType.NAMED_EXPRESSION].includes(ast.type)) return false
  for (const key of ['args', 'left', 'right', 'value', 'expression']) {
    const child = ast[key]
    if (Array.isArray(child)) {
      if (!child.flat().every(isStatic)) return false
    } else if (child && typeof child === 'object' && !isStatic(child)) return false
  }
  return true
}

// A literal whole number written in the formula (3, -1); undefined otherwise.
function literal (ast) {
  if (ast && ast.type === AstNodeType.NUMBER) return ast.value
  if (ast && ast.type === AstNodeType.MINUS_UNARY_OP && ast.value.type === AstNodeType.NUMBER) return -ast.value.value
  return undefined
}

// ---- Values ---------------------------------------------------------------------------------

function isMulti (value) {
  return value instanceof SimpleRangeValue && (value.width() > 1 || value.height() > 1)
}

// A value one cell may hold: a one-cell array is its value, a bigger one is Excel's #CALC!
// (MAP, BYROW, SCAN... cannot nest arrays).
function single (value) {
  if (!(value instanceof SimpleRangeValue)) return value
  return isMulti(value) ? calc() : value.data[0][0]
}

function arrayOf (rows) {
  if (rows.length === 1 && rows[0].length === 1) return rows[0][0]
  return SimpleRangeValue.onlyValues(rows)
}

// Element (r, c) of a grid broadcast to a larger shape: a single row or column repeats,
// past the end of a longer one is #N/A (as Excel's lifting does).
function elementAt (rows, r, c) {
  const row = rows.length === 1 ? rows[0] : rows[r]
  if (!row) return error('NA', 'Outside the smaller array')
  const v = row.length === 1 ? row[0] : row[c]
  return v === undefined ? error('NA', 'Outside the smaller array') : v
}

// A row or column count as MAKEARRAY reads it: a whole number of at least 1 (TRUE is 1);
// a fraction, text, a blank or a number below 1 is #VALUE!.
function count (value, max) {
  if (value instanceof CellError) return value
  if (typeof value === 'boolean') value = value ? 1 : 0
  if (!isNumber(value)) return error('VALUE', 'MAKEARRAY: rows and columns must be numbers')
  const n = rawNumber(value)
  if (!Number.isInteger(n) || n < 1 || n > max) return error('VALUE', 'MAKEARRAY: rows and columns must be whole numbers from 1')
  return n
}

class LambdaPlugin extends FunctionPlugin {
  // ---- Lambdas ------------------------------------------------------------------------------

  // The function an argument stands for: LAMBDA(...), a name bound to one, or `_xleta.NAME`;
  // else the error Excel gives (#VALUE!, or the argument's own error).
  lambdaOf (ast, state) {
    if (isCall(ast, 'LAMBDA')) return this.closure(ast)
    const name = paramName(ast)
    if (name !== undefined) {
      const bound = current && current.lookup(name)
      if (bound instanceof Closure || bound instanceof Eta) return bound
    }
    if (ast && ast.type === AstNodeType.STRING && /^_xleta\.[A-Za-z]/i.test(ast.value)) {
      return new Eta(ast.value.slice('_xleta.'.length).toUpperCase())
    }
    const value = isOmittedArg(ast) ? undefined : this.evaluateAst(ast, state)
    return value instanceof CellError ? value : error('VALUE', 'A function (LAMBDA) is expected')
  }

  closure (ast) {
    const params = ast.args.slice(0, -1).map(paramName)
    if (params.some((p) => p === undefined) || new Set(params).size !== params.length || isOmittedArg(ast.args[ast.args.length - 1])) {
      return error('VALUE', 'LAMBDA: parameters must be distinct names, followed by a calculation')
    }
    return new Closure(params, ast.args[ast.args.length - 1], current)
  }

  // Call `fn` with `args` (values, Closures or OMITTED); a wrong count is #VALUE!.
  invoke (fn, args, state) {
    if (fn instanceof CellError) return fn
    if (fn instanceof Eta) return this.invokeEta(fn, args, state)
    if (args.length !== fn.params.length) return error('VALUE', `The LAMBDA takes ${fn.params.length} arguments, not ${args.length}`)
    const scope = new Scope(fn.scope, new Map(fn.params.map((p, i) => [p, args[i]])))
    return within(scope, () => this.evaluateAst(fn.body, state))
  }

  // `_xleta.SUM` given `args`: SUM(args...) through HyperFormula's own function.
  invokeEta (fn, args, state) {
    const names = args.map((_, i) => `\u0000ETA${i}`)
    const scope = new Scope(current, new Map(names.map((n, i) => [n, args[i]])))
    const ast = { type: AstNodeType.FUNCTION_CALL, procedureName: fn.name, args: names.map(paramNode) }
    return within(scope, () => this.evaluateAst(ast, state))
  }

  // A value to bind to a name: a lambda stays a function, anything else is evaluated.
  bindable (ast, state) {
    if (isCall(ast, 'LAMBDA')) return this.closure(ast)
    const name = paramName(ast)
    if (name !== undefined && current) {
      const bound = current.lookup(name)
      if (bound instanceof Closure || bound instanceof Eta) return bound
    }
    if (isOmittedArg(ast)) return OMITTED
    return this.evaluateAst(ast, state)
  }

  // LAMBDA written in a cell without being called: Excel's #CALC!.
  lambda () {
    return calc()
  }

  // CL_PARAM("x"): the value bound to x in the innermost scope that has it.
  param (ast) {
    const name = paramName(ast)
    const bound = name !== undefined && current ? current.lookup(name) : undefined
    if (bound === undefined) return error('NAME', `Unknown name ${name}`)
    if (bound === OMITTED) return EmptyValue
    if (bound instanceof Closure || bound instanceof Eta) return calc() // a function used as a value
    return bound
  }

  // CL_CALL(lambda, args...): `LAMBDA(...)(args)`, `name(args)`.
  call (ast, state) {
    const fn = this.lambdaOf(ast.args[0], state)
    if (fn instanceof CellError) return fn
    return this.invoke(fn, ast.args.slice(1).map((arg) => this.bindable(arg, state)), state)
  }

  // ISOMITTED(x): whether the LAMBDA's parameter x was given no value.
  // https://support.microsoft.com/en-us/office/isomitted-function-831d6fbc-0f07-40c4-9c5b-9c73fd1d60c1
  isomitted (ast) {
    if (ast.args.length !== 1) return error('VALUE', 'ISOMITTED takes one argument')
    const name = paramName(ast.args[0])
    return name !== undefined && current !== null && current.lookup(name) === OMITTED
  }

  // LET(name1, value1, [name2, value2, ...], calculation): each value sees the names before it.
  let (ast, state) {
    const args = ast.args
    if (args.length < 3 || args.length % 2 === 0) return error('VALUE', 'LET takes name/value pairs and a calculation')
    const names = []
    for (let i = 0; i < args.length - 1; i += 2) {
      const name = paramName(args[i])
      if (name === undefined || names.includes(name)) return error('VALUE', 'LET: names must be distinct names')
      names.push(name)
    }
    const scope = new Scope(current)
    return within(scope, () => {
      for (let i = 0; i < names.length; i++) scope.names.set(names[i], this.bindable(args[2 * i + 1], state))
      return this.evaluateAst(args[args.length - 1], state)
    })
  }

  // ---- Helpers over arrays --------------------------------------------------------------------

  // The array arguments (all but the last) and the lambda (the last); or an error.
  arraysAndLambda (ast, state, minArrays, params) {
    if (ast.args.length < minArrays + 1) return { failure: error('VALUE', 'Too few arguments') }
    const fn = this.lambdaOf(ast.args[ast.args.length - 1], state)
    if (fn instanceof CellError) return { failure: fn }
    if (fn instanceof Closure && fn.params.length !== params) return { failure: error('VALUE', 'Incorrect parameters') }
    return { fn }
  }

  // MAP(array1, [array2, ...], lambda): lambda applied to each element (of all arrays at once).
  // https://support.microsoft.com/en-us/office/map-function-48006093-f97c-47c1-bfcc-749263bb1f01
  map (ast, state) {
    const { fn, failure } = this.arraysAndLambda(ast, state, 1, ast.args.length - 1)
    if (failure) return failure
    const grids = ast.args.slice(0, -1).map((arg) => rowsOf(this.evaluateAst(arg, state)))
    const height = Math.max(...grids.map((g) => g.length))
    const width = Math.max(...grids.map((g) => g[0].length))
    const out = []
    for (let r = 0; r < height; r++) {
      const row = []
      for (let c = 0; c < width; c++) {
        const value = single(this.invoke(fn, grids.map((g) => elementAt(g, r, c)), state))
        if (isCalc(value)) return value
        row.push(value)
      }
      out.push(row)
    }
    return arrayOf(out)
  }

  // REDUCE([initial_value], array, lambda(accumulator, value)): the last accumulator.
  // https://support.microsoft.com/en-us/office/reduce-function-42e39910-b345-45f3-84b8-0642b568b7cb
  reduce (ast, state) {
    return this.accumulate(ast, state, false)
  }

  // SCAN([initial_value], array, lambda(accumulator, value)): every accumulator, in the
  // array's shape. https://support.microsoft.com/en-us/office/scan-function-d58dfd11-9969-4439-b2dc-e7062724de29
  scan (ast, state) {
    return this.accumulate(ast, state, true)
  }

  accumulate (ast, state, keepAll) {
    if (ast.args.length !== 3) return error('VALUE', 'Takes an initial value, an array and a LAMBDA')
    const { fn, failure } = this.arraysAndLambda(ast, state, 2, 2)
    if (failure) return failure
    let acc = isOmittedArg(ast.args[0]) ? EmptyValue : this.evaluateAst(ast.args[0], state)
    const grid = rowsOf(this.evaluateAst(ast.args[1], state))
    const out = grid.map((row) => row.map((value) => {
      acc = this.invoke(fn, [acc, value], state)
      return acc
    }))
    if (!keepAll) return acc
    const cells = out.map((row) => row.map(single))
    const nested = cells.flat().find(isCalc)
    return nested || arrayOf(cells)
  }

  // BYROW(array, lambda(row)) and BYCOL(array, lambda(column)): one value per row (column);
  // a lambda that returns an array is #CALC!.
  // https://support.microsoft.com/en-us/office/byrow-function-2e04c677-78c8-4e6b-8c10-a4602f2602bb
  // https://support.microsoft.com/en-us/office/bycol-function-58463999-7de5-49ce-8f38-b7f7a2192bfb
  byrow (ast, state) {
    return this.byLine(ast, state, false)
  }

  bycol (ast, state) {
    return this.byLine(ast, state, true)
  }

  byLine (ast, state, columns) {
    if (ast.args.length !== 2) return error('VALUE', 'Takes an array and a LAMBDA')
    const { fn, failure } = this.arraysAndLambda(ast, state, 1, 1)
    if (failure) return failure
    const value = this.evaluateAst(ast.args[0], state)
    if (value instanceof CellError) return value
    let grid = rowsOf(value)
    if (columns) grid = grid[0].map((_, c) => grid.map((row) => row[c]))
    const results = []
    for (const line of grid) {
      const arg = SimpleRangeValue.onlyValues(columns ? line.map((v) => [v]) : [line])
      const result = this.invoke(fn, [arg], state)
      if (isMulti(result)) return calc()
      results.push(single(result))
    }
    return arrayOf(columns ? [results] : results.map((v) => [v]))
  }

  // MAKEARRAY(rows, cols, lambda(row, col)). Counts given as arrays are lifted: each element
  // is the top-left value of the array made with that count (Excel's array formulas do this).
  // https://support.microsoft.com/en-us/office/makearray-function-b80da5ad-b338-4149-a523-5b221da09097
  makearray (ast, state) {
    if (ast.args.length !== 3) return error('VALUE', 'MAKEARRAY takes rows, columns and a LAMBDA')
    const { fn, failure } = this.arraysAndLambda(ast, state, 2, 2)
    if (failure) return failure
    const rowsArg = this.evaluateAst(ast.args[0], state)
    const colsArg = this.evaluateAst(ast.args[1], state)
    if (isMulti(rowsArg) || isMulti(colsArg)) {
      const a = rowsOf(rowsArg)
      const b = rowsOf(colsArg)
      const height = Math.max(a.length, b.length)
      const width = Math.max(a[0].length, b[0].length)
      const out = Array.from({ length: height }, (_, r) => Array.from({ length: width }, (_, c) => {
        const made = this.makeArray(elementAt(a, r, c), elementAt(b, r, c), fn, state, true)
        return made instanceof SimpleRangeValue ? made.data[0][0] : made
      }))
      return arrayOf(out)
    }
    return this.makeArray(single(rowsArg), single(colsArg), fn, state, false)
  }

  makeArray (rowsValue, colsValue, fn, state, firstOnly) {
    const rows = count(rowsValue, MAX_ROWS)
    if (rows instanceof CellError) return rows
    const cols = count(colsValue, MAX_COLS)
    if (cols instanceof CellError) return cols
    const out = []
    for (let r = 1; r <= (firstOnly ? 1 : rows); r++) {
      const row = []
      for (let c = 1; c <= (firstOnly ? 1 : cols); c++) {
        const value = single(this.invoke(fn, [r, c], state))
        if (isCalc(value)) return value
        row.push(value)
      }
      out.push(row)
    }
    return arrayOf(out)
  }

  // ---- Sizes (see the header) -----------------------------------------------------------------

  declared (state) {
    if (!state.arraysFlag) return ArraySize.scalar()
    const size = declaredSize(state.formulaAddress)
    return size ? new ArraySize(size[1], size[0]) : undefined
  }

  shape (ast, state) {
    if (isOmittedArg(ast)) return { width: 1, height: 1 }
    const size = this.arraySizeForAst(ast, new InterpreterState(state.formulaAddress, true))
    return { width: size.width, height: size.height }
  }

  mapSize (ast, state) {
    const declared = this.declared(state)
    if (declared) return declared
    const shapes = ast.args.slice(0, -1).map((arg) => this.shape(arg, state))
    return new ArraySize(Math.max(1, ...shapes.map((s) => s.width)), Math.max(1, ...shapes.map((s) => s.height)))
  }

  scanSize (ast, state) {
    const declared = this.declared(state)
    if (declared) return declared
    const { width, height } = this.shape(ast.args[1], state)
    return new ArraySize(width, height)
  }

  byrowSize (ast, state) {
    return this.declared(state) || new ArraySize(1, this.shape(ast.args[0], state).height)
  }

  bycolSize (ast, state) {
    return this.declared(state) || new ArraySize(this.shape(ast.args[0], state).width, 1)
  }

  makearraySize (ast, state) {
    const declared = this.declared(state)
    if (declared) return declared
    const rows = literal(ast.args[0])
    const cols = literal(ast.args[1])
    if (Number.isInteger(rows) && Number.isInteger(cols) && rows >= 1 && cols >= 1) return new ArraySize(cols, rows)
    const a = this.shape(ast.args[0], state)
    const b = this.shape(ast.args[1], state)
    if (a.width * a.height > 1 || b.width * b.height > 1) { // counts lifted over an array
      return new ArraySize(Math.max(a.width, b.width), Math.max(a.height, b.height))
    }
    return this.evaluatedSize(ast, state)
  }

  // REDUCE, LET, CL_CALL: the size of the value itself when the formula reads no cell.
  evaluatedSize (ast, state) {
    const declared = this.declared(state)
    if (declared) return declared
    if (!isStatic(ast)) return ArraySize.scalar()
    const metadata = LambdaPlugin.implementedFunctions[ast.procedureName]
    const saved = current
    try {
      current = null
      const value = this[metadata.method](ast, new InterpreterState(state.formulaAddress, true))
      return value instanceof SimpleRangeValue ? new ArraySize(value.width(), value.height()) : ArraySize.scalar()
    } catch (err) {
      return ArraySize.scalar() // a throw here would make the cell a parse error
    } finally {
      current = saved
    }
  }
}

function isCalc (value) {
  return value instanceof CellError && value.type === ErrorType.ERROR && value.message === CALC_MESSAGE
}

// Arguments are syntax trees read by each method, never coerced by HyperFormula.
const raw = { vectorizationForbidden: true, parameters: [{ argumentType: T.ANY }], repeatLastArgs: 1 }

LambdaPlugin.implementedFunctions = {
  LAMBDA: { method: 'lambda', ...raw },
  CL_PARAM: { method: 'param', ...raw },
  CL_CALL: { method: 'call', sizeOfResultArrayMethod: 'evaluatedSize', ...raw },
  ISOMITTED: { method: 'isomitted', ...raw },
  LET: { method: 'let', sizeOfResultArrayMethod: 'evaluatedSize', ...raw },
  MAP: { method: 'map', sizeOfResultArrayMethod: 'mapSize', ...raw },
  REDUCE: { method: 'reduce', sizeOfResultArrayMethod: 'evaluatedSize', ...raw },
  SCAN: { method: 'scan', sizeOfResultArrayMethod: 'scanSize', ...raw },
  BYROW: { method: 'byrow', sizeOfResultArrayMethod: 'byrowSize', ...raw },
  BYCOL: { method: 'bycol', sizeOfResultArrayMethod: 'bycolSize', ...raw },
  MAKEARRAY: { method: 'makearray', sizeOfResultArrayMethod: 'makearraySize', ...raw },
}

module.exports = [{ plugin: LambdaPlugin, translations: translationsFor(LambdaPlugin) }]
