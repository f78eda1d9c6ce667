'use strict'
// References computed while the workbook evaluates: OFFSET with computed arguments, INDIRECT,
// the range operator around computed references (CL_RANGE) and ANCHORARRAY (`C3#`). HyperFormula 3.5 resolves OFFSET when it parses the formula (height and width must
// be literals, else the cell is #ERROR!) and has no INDIRECT. The importer sends an OFFSET whose
// arguments are not all number literals as CL_OFFSET (importer/translate.py); a literal OFFSET
// stays HyperFormula's own, with its static dependencies.
//
// The cells such a reference reaches are not known to the dependency graph, so both functions
// are declared volatile: HyperFormula recomputes them, and everything downstream, on every
// change. The graph also cannot order them after the cells they read, so settle()
// (patches/dynamic_refs.js) re-runs
// them after the first evaluation until their values stop changing (Excel does the same:
// a formula that reads an uncalculated cell is calculated again later).
//
// Both return a range (so SUM, INDEX, MATCH... read it as a range, and a plain cell shows its
// implicit intersection). ROW, COLUMN, ISREF, ISFORMULA and FORMULATEXT are replaced here
// too, to read such a range.
const { FunctionPlugin, FunctionArgumentType: T, CellError, ErrorType } = require('hyperformula')
const { SimpleRangeValue, AbsoluteCellRange, AstNodeType, FormulaVertex, ArrayFormulaVertex, ArraySize, arithmetic } = require('../internals')
const { translationsFor } = require('./common')
const context = require('../context')

const MAX_ROW = 1048576
const MAX_COL = 16384
const NOT_COMPUTED = /not computed/i

// A dynamic reference that read a formula cell not computed yet gives #VALUE! for now and
// notes it in the request's context: patches/dynamic_refs.js's settle() then runs another pass.
function noteMiss (err) {
  if (err && NOT_COMPUTED.test(String(err.message || err))) {
    context.current().dynamic.missed = true
    return new CellError(ErrorType.VALUE, 'Dynamic reference read a cell not yet computed.')
  }
  throw err
}

// OFFSET's height and width are truncated like its row and column shifts, except that a
// size between 0 and 1 (either sign) still spans one cell: Excel's OFFSET(W39,2,2,3,0.9)
// is three cells tall and one wide, OFFSET(W39,2,2,3.1,3.99) three by three.
function offsetSize (n) {
  const size = Math.trunc(n)
  return size === 0 && n !== 0 ? Math.sign(n) : size
}

function unwrap (ast) {
  while (ast.type === AstNodeType.PARENTHESIS) ast = ast.expression
  return ast
}

// A range AST (A1, A1:B2, A:A, 1:1) as an AbsoluteCellRange; undefined for anything else.
function staticRange (ast, formulaAddress) {
  ast = unwrap(ast)
  if (ast.type === AstNodeType.CELL_REFERENCE) {
    const at = ast.reference.toSimpleCellAddress(formulaAddress)
    return new AbsoluteCellRange(at, at)
  }
  if ([AstNodeType.CELL_RANGE, AstNodeType.COLUMN_RANGE, AstNodeType.ROW_RANGE].includes(ast.type)) {
    try {
      return AbsoluteCellRange.fromAst(ast, formulaAddress)
    } catch (e) {
      return undefined
    }
  }
  return undefined
}

class DynamicReferencePlugin extends FunctionPlugin {
  // A range as the value of a formula (read lazily by whoever uses it; a plain cell shows its
  // implicit intersection, see legacy_arrays.js). A range, even of one cell, so that ROW(),
  // COLUMN(), ROWS() and OFFSET() itself can see where it is.
  rangeValue (sheet, top, left, height, width) {
    if (top < 0 || left < 0 || top + height > MAX_ROW || left + width > MAX_COL || sheet === undefined) {
      return new CellError(ErrorType.REF, 'Reference outside the sheet.')
    }
    const range = AbsoluteCellRange.spanFrom({ sheet, row: top, col: left }, width, height)
    return SimpleRangeValue.onlyRange(range, this.dependencyGraph)
  }

  // ROW() and COLUMN() that also read a computed reference (ROW(INDIRECT("B7")),
  // COLUMN(OFFSET(...))); HyperFormula's own accept only a reference written in the formula.
  row (ast, state) {
    const span = this.span(ast, state)
    if (span && span.height() > 1) {
      return SimpleRangeValue.onlyValues(Array.from({ length: span.height() }, (_, k) => [span.start.row + k + 1]))
    }
    return this.position(ast, state, 'ROW', (address) => address.row + 1)
  }

  column (ast, state) {
    const span = this.span(ast, state)
    if (span && span.width() > 1) {
      return SimpleRangeValue.onlyValues([Array.from({ length: span.width() }, (_, k) => span.start.col + k + 1)])
    }
    return this.position(ast, state, 'COLUMN', (address) => address.col + 1)
  }

  // In an array formula, ROW(A1:A3) is {1;2;3} and COLUMN(A1:C1) is {1,2,3}; in a plain cell,
  // the first row or column. The range written in the formula, when that is the case.
  span (ast, state) {
    return state.arraysFlag && ast.args.length === 1 ? staticRange(ast.args[0], state.formulaAddress) : undefined
  }

  rowArraySize (ast, state) {
    const span = this.span(ast, state)
    return span && span.height() > 1 ? new ArraySize(1, span.height()) : ArraySize.scalar()
  }

  columnArraySize (ast, state) {
    const span = this.span(ast, state)
    return span && span.width() > 1 ? new ArraySize(span.width(), 1) : ArraySize.scalar()
  }

  // Whether the workbook holds a formula at `address`. A constant error (#N/A typed in a cell)
  // reaches the engine as =CL_CONSTANT(#N/A) (importer/values.py), which is no formula.
  isFormulaAt (address) {
    const vertex = this.dependencyGraph.addressMapping.getCell(address)
    if (!(vertex instanceof FormulaVertex)) return false
    const root = vertex.getFormula(this.dependencyGraph.lazilyTransformingAstService)
    return !(root && root.type === AstNodeType.FUNCTION_CALL && root.procedureName === 'CL_CONSTANT')
  }

  // ISFORMULA(INDIRECT("C9")) as well as ISFORMULA(C9); in an array formula, ISFORMULA(C9:J9)
  // answers for each cell (Microsoft's ISFORMULA page: "Reference can be a cell reference").
  isformula (ast, state) {
    const span = this.span(ast, state)
    if (span && (span.height() > 1 || span.width() > 1)) {
      return SimpleRangeValue.onlyValues(Array.from({ length: span.height() }, (_, r) =>
        Array.from({ length: span.width() }, (_, c) =>
          this.isFormulaAt({ sheet: span.start.sheet, row: span.start.row + r, col: span.start.col + c }))))
    }
    return this.position(ast, state, 'ISFORMULA', (address) => this.isFormulaAt(address),
      () => new CellError(ErrorType.NA, 'Wrong number of arguments.'))
  }

  isformulaArraySize (ast, state) {
    const span = this.span(ast, state)
    return span ? new ArraySize(span.width(), span.height()) : ArraySize.scalar()
  }

  // FORMULATEXT(INDIRECT("C9")) as well as FORMULATEXT(C9); the text as Excel wrote it, not
  // as the importer rewrote it for the engine (CL_OFFSET, CL_RANGE).
  formulatext (ast, state) {
    return this.position(ast, state, 'FORMULATEXT', (address) => {
      const text = this.isFormulaAt(address) ? this.serialization.getCellFormula(address) : undefined
      return text === undefined ? new CellError(ErrorType.NA, 'Not a formula.') : excelText(text)
    }, () => new CellError(ErrorType.NA, 'Wrong number of arguments.'))
  }

  // ISREF: TRUE for a reference, written (A1, A1:B2) or computed (OFFSET, INDIRECT, INDEX, a
  // name for a range); FALSE for anything else, errors included (Excel; HyperFormula's own
  // answers TRUE for #REF!).
  isref (ast, state) {
    if (ast.args.length !== 1) return new CellError(ErrorType.NA, 'Wrong number of arguments.')
    const arg = unwrap(ast.args[0])
    if (staticRange(arg, state.formulaAddress)) return true
    if (arg.type !== AstNodeType.FUNCTION_CALL && arg.type !== AstNodeType.NAMED_EXPRESSION) return false
    const value = this.reference(arg, state)
    return value instanceof SimpleRangeValue && !value.isAdHoc()
  }

  position (ast, state, name, pick, noArg = () => pick(state.formulaAddress)) {
    const arg = ast.args.length === 1 ? unwrap(ast.args[0]) : undefined
    if (arg && arg.type === AstNodeType.FUNCTION_CALL) {
      const value = this.reference(arg, state)
      if (value instanceof CellError) return value
      if (value instanceof SimpleRangeValue && !value.isAdHoc()) return pick(value.range.start)
      return new CellError(ErrorType.VALUE, `${name} needs a reference.`)
    }
    return this.runFunctionWithReferenceArgument(ast.args, state, this.metadata(name), noArg, pick)
  }

  // An argument evaluated without collapsing a one-cell range to its value.
  reference (ast, state) {
    return this.interpreter.evaluateAstWithoutPostprocessing(unwrap(ast), state)
  }

  // An argument as a number (a range by implicit intersection), or the error it gives.
  numberArg (ast, state) {
    let value = this.evaluateAst(ast, state)
    if (value instanceof SimpleRangeValue) {
      value = arithmetic.coerceRangeToScalar(value, state)
      if (value === undefined) return new CellError(ErrorType.VALUE, 'Implicit intersection is empty.')
    }
    if (value instanceof CellError) return value
    const number = this.arithmeticHelper.coerceScalarToNumberOrError(value)
    return number instanceof CellError ? number : Number(number)
  }

  // OFFSET(reference, rows, cols, [height], [width])
  offset (ast, state) {
    const args = ast.args
    if (args.length < 3 || args.length > 5) return new CellError(ErrorType.NA, 'Wrong number of arguments.')
    let base = staticRange(args[0], state.formulaAddress)
    if (base === undefined) {
      const value = this.reference(args[0], state)
      if (value instanceof CellError) return value
      if (!(value instanceof SimpleRangeValue) || value.isAdHoc()) {
        return new CellError(ErrorType.VALUE, 'OFFSET needs a reference.')
      }
      base = value.range
    }
    const numbers = []
    for (let i = 1; i < 5; i++) {
      const arg = args[i]
      if (arg === undefined || unwrap(arg).type === AstNodeType.EMPTY) {
        numbers.push(undefined)
        continue
      }
      const n = this.numberArg(arg, state)
      if (n instanceof CellError) return n
      numbers.push(i < 3 ? Math.trunc(n) : offsetSize(n))
    }
    const [rows = 0, cols = 0] = numbers
    let height = numbers[2] === undefined ? base.height() : numbers[2]
    let width = numbers[3] === undefined ? base.width() : numbers[3]
    if (height === 0 || width === 0) return new CellError(ErrorType.REF, 'OFFSET to an empty area.')
    let top = base.start.row + rows
    let left = base.start.col + cols
    // A negative height or width extends up or left from the shifted corner, as in Excel.
    if (height < 0) { top += height + 1; height = -height }
    if (width < 0) { left += width + 1; width = -width }
    return this.rangeValue(base.sheet, top, left, height, width)
  }

  // CL_RANGE(a, b): the range operator `a:b` where a side is computed (A2:OFFSET(...),
  // INDEX(...):INDEX(...)); the smallest range holding both, on one sheet.
  range (ast, state) {
    if (ast.args.length !== 2) return new CellError(ErrorType.NA, 'Wrong number of arguments.')
    const ends = []
    for (const arg of ast.args) {
      let range = staticRange(arg, state.formulaAddress)
      if (range === undefined) {
        const value = this.reference(arg, state)
        if (value instanceof CellError) return value
        if (!(value instanceof SimpleRangeValue) || value.isAdHoc()) return new CellError(ErrorType.VALUE, 'Not a reference.')
        range = value.range
      }
      ends.push(range)
    }
    const [a, b] = ends
    if (a.sheet !== b.sheet) return new CellError(ErrorType.VALUE, 'A range across sheets.')
    const top = Math.min(a.start.row, b.start.row)
    const left = Math.min(a.start.col, b.start.col)
    const bottom = Math.max(a.end.row, b.end.row)
    const right = Math.max(a.end.col, b.end.col)
    return this.rangeValue(a.sheet, top, left, bottom - top + 1, right - left + 1)
  }

  // ANCHORARRAY(C3), Excel's `C3#`: the range an array formula at C3 fills.
  anchorarray (ast, state) {
    if (ast.args.length !== 1) return new CellError(ErrorType.NA, 'Wrong number of arguments.')
    let anchor = staticRange(ast.args[0], state.formulaAddress)
    if (anchor === undefined) {
      const value = this.reference(ast.args[0], state)
      if (value instanceof CellError) return value
      if (!(value instanceof SimpleRangeValue) || value.isAdHoc()) return new CellError(ErrorType.VALUE, 'Not a reference.')
      anchor = value.range
    }
    const vertex = this.dependencyGraph.addressMapping.getCell(anchor.start)
    if (!(vertex instanceof ArrayFormulaVertex)) return new CellError(ErrorType.REF, 'Not the anchor of an array.')
    const range = vertex.getRange()
    return this.rangeValue(range.sheet, range.start.row, range.start.col, range.height(), range.width())
  }

  // INDIRECT("Name"): a defined name that stands for a range.
  namedRange (name, state) {
    const notFound = new CellError(ErrorType.REF, 'INDIRECT: not a reference.')
    const names = this.interpreter.namedExpressions
    let expression
    const bang = name.lastIndexOf('!')
    if (bang > 0) { // 'Sheet 1'!Name: the name in that sheet's scope, else the workbook's
      let sheetName = name.slice(0, bang)
      if (/^'.*'$/.test(sheetName)) sheetName = sheetName.slice(1, -1).replace(/''/g, "'")
      const sheet = this.dependencyGraph.sheetMapping.getSheetId(sheetName)
      if (sheet === undefined) return notFound
      expression = names.nearestNamedExpression(name.slice(bang + 1), sheet)
    } else {
      expression = names.nearestNamedExpression(name, state.formulaAddress.sheet)
    }
    if (!expression) return notFound
    // A name for one cell has that cell's value, not a range: read where it points instead.
    const vertex = this.dependencyGraph.addressMapping.getCell(expression.address)
    const written = vertex instanceof FormulaVertex
      ? staticRange(vertex.getFormula(this.dependencyGraph.lazilyTransformingAstService), expression.address)
      : undefined
    if (written) {
      return this.rangeValue(written.sheet, written.start.row, written.start.col, written.height(), written.width())
    }
    let value
    try {
      value = this.dependencyGraph.getCellValue(expression.address)
    } catch (err) {
      return noteMiss(err)
    }
    if (!(value instanceof SimpleRangeValue) || value.isAdHoc()) return notFound
    const r = value.range
    return this.rangeValue(r.sheet, r.start.row, r.start.col, r.height(), r.width())
  }

  // INDIRECT(ref_text, [a1]): A1 or R1C1 text, with an optional sheet.
  indirect (ast, state) {
    const args = ast.args
    if (args.length < 1 || args.length > 2) return new CellError(ErrorType.NA, 'Wrong number of arguments.')
    let text = this.evaluateAst(args[0], state)
    if (text instanceof SimpleRangeValue) text = text.data[0][0]
    if (text instanceof CellError) return text
    let a1 = true
    if (args.length === 2 && unwrap(args[1]).type !== AstNodeType.EMPTY) {
      let flag = this.evaluateAst(args[1], state)
      if (flag instanceof SimpleRangeValue) flag = flag.data[0][0]
      if (flag instanceof CellError) return flag
      const coerced = this.arithmeticHelper.coerceScalarToNumberOrError(flag)
      if (coerced instanceof CellError) return coerced
      a1 = Number(coerced) !== 0
    }
    text = String(text).trim()
    const found = parseReference(text, a1, state.formulaAddress) ||
      structuredReference(text, state.formulaAddress, (name) => this.dependencyGraph.sheetMapping.getSheetId(name))
    if (found === undefined) return this.namedRange(text, state)
    if (found instanceof CellError) return found
    const sheet = found.sheet === undefined
      ? state.formulaAddress.sheet
      : this.dependencyGraph.sheetMapping.getSheetId(found.sheet)
    if (sheet === undefined) return new CellError(ErrorType.REF, 'INDIRECT: unknown sheet.')
    const top = Math.min(found.r1, found.r2)
    const left = Math.min(found.c1, found.c2)
    return this.rangeValue(sheet, top, left, Math.abs(found.r2 - found.r1) + 1, Math.abs(found.c2 - found.c1) + 1)
  }
}

DynamicReferencePlugin.implementedFunctions = {
  FORMULATEXT: {
    method: 'formulatext',
    parameters: [{ argumentType: T.NOERROR }],
    doesNotNeedArgumentsToBeComputed: true,
    isDependentOnSheetStructureChange: true,
    vectorizationForbidden: true,
  },
  ISFORMULA: {
    method: 'isformula',
    sizeOfResultArrayMethod: 'isformulaArraySize',
    parameters: [{ argumentType: T.NOERROR }],
    doesNotNeedArgumentsToBeComputed: true,
    vectorizationForbidden: true,
  },
  ISREF: {
    method: 'isref',
    parameters: [{ argumentType: T.ANY }],
    doesNotNeedArgumentsToBeComputed: true,
    vectorizationForbidden: true,
  },
  ROW: {
    method: 'row',
    sizeOfResultArrayMethod: 'rowArraySize',
    parameters: [{ argumentType: T.NOERROR, optionalArg: true }],
    isDependentOnSheetStructureChange: true,
    doesNotNeedArgumentsToBeComputed: true,
    vectorizationForbidden: true,
  },
  COLUMN: {
    method: 'column',
    sizeOfResultArrayMethod: 'columnArraySize',
    parameters: [{ argumentType: T.NOERROR, optionalArg: true }],
    isDependentOnSheetStructureChange: true,
    doesNotNeedArgumentsToBeComputed: true,
    vectorizationForbidden: true,
  },
  CL_OFFSET: {
    method: 'offset',
    parameters: [{ argumentType: T.ANY }],
    repeatLastArgs: 1,
    doesNotNeedArgumentsToBeComputed: true,
    isVolatile: true,
    vectorizationForbidden: true,
  },
  CL_RANGE: {
    method: 'range',
    parameters: [{ argumentType: T.ANY }],
    repeatLastArgs: 1,
    doesNotNeedArgumentsToBeComputed: true,
    isVolatile: true,
    vectorizationForbidden: true,
  },
  ANCHORARRAY: {
    method: 'anchorarray',
    parameters: [{ argumentType: T.ANY }],
    doesNotNeedArgumentsToBeComputed: true,
    isVolatile: true,
    vectorizationForbidden: true,
  },
  INDIRECT: {
    method: 'indirect',
    parameters: [{ argumentType: T.ANY }],
    repeatLastArgs: 1,
    doesNotNeedArgumentsToBeComputed: true,
    isVolatile: true,
    vectorizationForbidden: true,
  },
}

// Formula text with the importer's rewrites undone: CL_OFFSET( -> OFFSET(, CL_RANGE(a,b) -> a:b.
function excelText (text) {
  let out = ''
  let i = 0
  const stack = [] // per open parenthesis: is it a CL_RANGE call?
  let quoted = false
  while (i < text.length) {
    const ch = text[i]
    if (ch === '"') quoted = !quoted
    if (!quoted && text.startsWith('CL_OFFSET(', i) && !/[A-Za-z0-9_.]/.test(text[i - 1] || '')) {
      out += 'OFFSET('
      stack.push(false)
      i += 10
      continue
    }
    if (!quoted && text.startsWith('CL_RANGE(', i) && !/[A-Za-z0-9_.]/.test(text[i - 1] || '')) {
      stack.push(true)
      i += 9
      continue
    }
    if (!quoted && ch === '(') stack.push(false)
    if (!quoted && ch === ')' && stack.pop() === true) { i++; continue }
    if (!quoted && ch === ',' && stack[stack.length - 1] === true) { out += ':'; i++; continue }
    out += ch
    i++
  }
  return out
}

function columnNumber (letters) {
  let n = 0
  for (const ch of letters.toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64
  return n
}

const A1_CELL = /^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$/
const A1_COLS = /^\$?([A-Za-z]{1,3})$/
const A1_ROWS = /^\$?([0-9]{1,7})$/

// "Sheet 1'!B2:C3" and friends -> {sheet, r1, c1, r2, c2} (0-based), or undefined.
function parseReference (text, a1, at) {
  text = text.trim()
  let sheet
  const bang = text.lastIndexOf('!')
  if (bang >= 0) {
    sheet = text.slice(0, bang)
    text = text.slice(bang + 1)
    if (sheet.startsWith("'") && sheet.endsWith("'") && sheet.length >= 2) sheet = sheet.slice(1, -1).replace(/''/g, "'")
    if (!sheet) return undefined
  }
  const parts = text.split(':')
  if (parts.length > 2 || parts.some((p) => !p)) return undefined
  const ends = parts.map((p) => (a1 ? parseA1(p) : parseR1C1(p, at)))
  if (ends.some((e) => e === undefined)) return undefined
  const [p, q = p] = ends
  if (p.kind !== q.kind || (a1 && parts.length === 1 && p.kind !== 'cell')) return undefined
  if (p.kind === 'cell') return { sheet, r1: p.row, c1: p.col, r2: q.row, c2: q.col }
  if (p.kind === 'cols') return { sheet, r1: 0, c1: p.col, r2: MAX_ROW - 1, c2: q.col }
  return { sheet, r1: p.row, c1: 0, r2: q.row, c2: MAX_COL - 1 }
}

function parseA1 (part) {
  let m = A1_CELL.exec(part)
  if (m) return valid({ kind: 'cell', row: Number(m[2]) - 1, col: columnNumber(m[1]) - 1 })
  m = A1_COLS.exec(part)
  if (m) return valid({ kind: 'cols', row: 0, col: columnNumber(m[1]) - 1 })
  m = A1_ROWS.exec(part)
  if (m) return valid({ kind: 'rows', row: Number(m[1]) - 1, col: 0 })
  return undefined
}

// R1C1: R2C3 absolute, R[-1]C[2] relative to the formula's cell, R or C alone for "this".
function parseR1C1 (part, at) {
  const m = /^(?:[Rr](\[-?[0-9]+\]|[0-9]+)?)?(?:[Cc](\[-?[0-9]+\]|[0-9]+)?)?$/.exec(part)
  if (!m || part === '') return undefined
  const hasR = /^[Rr]/.test(part)
  const hasC = /[Cc]/.test(part)
  const axis = (token, here) => token === undefined ? here : token.startsWith('[') ? here + Number(token.slice(1, -1)) : Number(token) - 1
  if (hasR && hasC) return valid({ kind: 'cell', row: axis(m[1], at.row), col: axis(m[2], at.col) })
  if (hasR) return valid({ kind: 'rows', row: axis(m[1], at.row), col: 0 })
  if (hasC) return valid({ kind: 'cols', row: 0, col: axis(m[2], at.col) })
  return undefined
}

// "Table1[Col]", "Table1[[#This Row],[Col]]", "Table1[@Col]", "Table1[#All]", "Table1",
// "Table1[[A]:[C]]" -> {sheet, r1, c1, r2, c2} (sheet as a name), a CellError, or undefined.
function structuredReference (text, at, sheetIdOf) {
  const m = /^([^[\]!'"]+?)(?:\[(.*)\])?$/s.exec(text)
  if (!m) return undefined
  const table = context.current().tables.find((t) => t.name.toLowerCase() === m[1].trim().toLowerCase())
  if (!table) return undefined
  const box = parseReference(table.ref, true, at)
  if (!box) return undefined
  let spec = (m[2] || '').trim()
  const specials = new Set()
  let columns = []
  if (spec.startsWith('@')) { specials.add('#THIS ROW'); spec = spec.slice(1).trim() }
  if (spec && !spec.startsWith('[')) spec = '[' + spec + ']'
  const items = []
  const re = /\[((?:'.|[^'\]])*)\]|[,:\s]/gy
  let k
  while (re.lastIndex < spec.length && (k = re.exec(spec))) if (k[1] !== undefined) items.push(k[1])
  if (re.lastIndex < spec.length) return undefined
  for (const item of items) {
    if (item.startsWith('#')) specials.add(item.toUpperCase())
    else columns.push(item.replace(/'(.)/g, '$1'))
  }
  const index = columns.map((c) => table.columns.findIndex((name) => name.toLowerCase() === c.toLowerCase()))
  if (index.some((i) => i < 0) || index.length > 2) return undefined
  columns = index.length ? [Math.min(...index), Math.max(...index)] : [0, table.columns.length - 1]
  const header = table.header_rows
  const data = [box.r1 + header, box.r2 - table.totals_rows]
  let rows
  if (specials.has('#THIS ROW')) {
    if (!(data[0] <= at.row && at.row <= data[1])) return new CellError(ErrorType.VALUE, 'Not in the table.')
    rows = [at.row, at.row]
  } else {
    const parts = {
      '#ALL': [box.r1, box.r2],
      '#DATA': data,
      '#HEADERS': header ? [box.r1, box.r1 + header - 1] : null,
      '#TOTALS': table.totals_rows ? [box.r2 - table.totals_rows + 1, box.r2] : null,
    }
    const chosen = [...(specials.size ? specials : ['#DATA'])].map((s) => parts[s])
    if (chosen.includes(undefined)) return undefined
    if (chosen.includes(null)) return new CellError(ErrorType.REF, 'No such part of the table.')
    rows = [Math.min(...chosen.map((r) => r[0])), Math.max(...chosen.map((r) => r[1]))]
  }
  if (sheetIdOf(table.sheet) === undefined) return undefined
  return { sheet: table.sheet, r1: rows[0], c1: box.c1 + columns[0], r2: rows[1], c2: box.c1 + columns[1] }
}

function valid (end) {
  return end.row >= 0 && end.row < MAX_ROW && end.col >= 0 && end.col < MAX_COL ? end : undefined
}

module.exports = [{ plugin: DynamicReferencePlugin, translations: translationsFor(DynamicReferencePlugin) }]
module.exports.noteMiss = noteMiss
module.exports.parseReference = parseReference
module.exports.structuredReference = structuredReference
