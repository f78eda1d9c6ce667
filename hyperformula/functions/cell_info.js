'use strict'
// CELL and INFO: what the workbook itself can answer.
//   CELL https://support.microsoft.com/office/cell-function-51bd39a5-f338-4dbe-a33f-955d67c2b2cf
//   INFO https://support.microsoft.com/office/info-function-725f259a-0e4b-49b3-8b52-58815c69acae
// CELL(info_type, [reference]) reads the top-left cell of the reference (the formula's own
// cell when omitted: Excel takes the cell selected at calculation time, which a file does not
// record):
//   address   "$A$1"; on another sheet with the sheet in front, and the workbook in brackets
//             when the importer sent its file name ("[Book1.xlsx]Sheet2!$A$1")
//   col, row  the column and row numbers
//   contents  the cell's value (not its formula)
//   type      "b" blank, "l" text (a label), "v" anything else
//   filename  directory + "[file]" + sheet, "" when the file name is unknown (as Excel
//             answers for a workbook never saved)
//   prefix    "'" for text, "" otherwise (alignment is not sent: text counts as left-aligned)
//   protect   1 (cells are locked unless their style says otherwise; styles are not sent)
//   format "G", color 0, parentheses 0, width 8: the answers for a General cell in a column
//   of the default width; the importer sends neither number formats nor column widths.
//   Not covered: those four for cells that have a format or a width of their own.
// INFO(type_text):
//   numfile   the number of sheets in the workbook
//   system    "mac" for a workbook Mac Excel saved (docProps/app.xml), else "pcdos"
//   recalc    "Automatic"; release "16.0"; origin "$A:$A$1" (the top-left visible cell in
//             Lotus form, for a window scrolled to A1); directory: the file's directory when
//             sent, else ""; osversion "Windows (64-bit) NT 10.00" (the file does not say)
//   any other type_text is #VALUE!.
// The workbook facts are the request's (context.js: workbook.fileName and .directory, from
// what the importer sends); without them they are unknown.
const { FunctionPlugin, FunctionArgumentType: T, CellError, SimpleRangeValue, EmptyValue } = require('hyperformula')
const { error, translationsFor } = require('./common')
const { sheetPrefix, columnLetters } = require('./lookup')
const { isMacWorkbook } = require('./text_extra')
const { AstNodeType } = require('../internals')
const context = require('../context')

function unwrap (ast) {
  while (ast && ast.type === AstNodeType.PARENTHESIS) ast = ast.expression
  return ast
}

class CellInfoFunctions extends FunctionPlugin {
  cell (ast, state) {
    if (ast.args.length < 1 || ast.args.length > 2) return error('NA', 'CELL takes one or two arguments')
    let kind = this.evaluateAst(ast.args[0], state)
    if (kind instanceof SimpleRangeValue) kind = kind.data[0][0]
    if (kind instanceof CellError) return kind
    if (typeof kind !== 'string') return error('VALUE', 'CELL: info_type must be text')
    const at = ast.args.length === 2 ? this.referenceStart(ast.args[1], state) : state.formulaAddress
    if (at instanceof CellError) return at
    const answer = CELL_INFO[kind.trim().toLowerCase()]
    if (!answer) return error('VALUE', `CELL: unknown info_type "${kind}"`)
    return answer(this, at, state)
  }

  // The top-left cell of a reference written in the formula, or computed (INDIRECT, OFFSET).
  referenceStart (argument, state) {
    const ref = unwrap(argument)
    if (ref.type === AstNodeType.CELL_REFERENCE) return ref.reference.toSimpleCellAddress(state.formulaAddress)
    if ([AstNodeType.CELL_RANGE, AstNodeType.COLUMN_RANGE, AstNodeType.ROW_RANGE].includes(ref.type)) {
      const start = ref.start.toSimpleCellAddress ? ref.start : null
      if (start) return start.toSimpleCellAddress(state.formulaAddress)
      const sheet = ref.start.sheet === undefined ? state.formulaAddress.sheet : ref.start.sheet
      const row = ref.type === AstNodeType.ROW_RANGE ? ref.start.toSimpleRowAddress(state.formulaAddress).row : 0
      const col = ref.type === AstNodeType.COLUMN_RANGE ? ref.start.toSimpleColumnAddress(state.formulaAddress).col : 0
      return { sheet, row, col }
    }
    const value = this.interpreter.evaluateAstWithoutPostprocessing(ref, state)
    if (value instanceof CellError) return value
    if (value instanceof SimpleRangeValue && !value.isAdHoc()) return value.range.start
    return error('VALUE', 'CELL needs a reference')
  }

  valueAt (at) {
    const value = this.dependencyGraph.getCellValue(at)
    return value instanceof SimpleRangeValue ? value.data[0][0] : value
  }

  sheetName (sheet) {
    return this.dependencyGraph.sheetMapping.getSheetName(sheet)
  }

  info (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('INFO'), (kind) => {
      switch (kind.trim().toLowerCase()) {
        case 'numfile': return this.dependencyGraph.sheetMapping.numberOfSheets()
        case 'system': return isMacWorkbook() ? 'mac' : 'pcdos'
        case 'recalc': return 'Automatic'
        case 'release': return '16.0'
        case 'origin': return '$A:$A$1'
        case 'directory': return context.current().workbook.directory
        case 'osversion': return 'Windows (64-bit) NT 10.00'
        default: return error('VALUE', `INFO: unknown type_text "${kind}"`)
      }
    })
  }
}

const CELL_INFO = {
  address: (self, at, state) => {
    const cell = `$${columnLetters(at.col + 1)}$${at.row + 1}`
    if (at.sheet === state.formulaAddress.sheet) return cell
    const sheet = self.sheetName(at.sheet)
    const workbook = context.current().workbook
    return sheetPrefix(workbook.fileName ? `[${workbook.fileName}]${sheet}` : sheet) + cell
  },
  col: (self, at) => at.col + 1,
  row: (self, at) => at.row + 1,
  contents: (self, at) => {
    const value = self.valueAt(at)
    return value === EmptyValue || value === undefined || value === null ? 0 : value
  },
  type: (self, at) => {
    const value = self.valueAt(at)
    if (value === EmptyValue || value === undefined || value === null) return 'b'
    return typeof value === 'string' ? 'l' : 'v'
  },
  filename: (self, at) => {
    const workbook = context.current().workbook
    return workbook.fileName ? `${workbook.directory}[${workbook.fileName}]${self.sheetName(at.sheet)}` : ''
  },
  prefix: (self, at) => (typeof self.valueAt(at) === 'string' ? "'" : ''),
  protect: () => 1,
  format: () => 'G',
  color: () => 0,
  parentheses: () => 0,
  width: () => 8,
}

CellInfoFunctions.implementedFunctions = {
  CELL: { method: 'cell', parameters: [{ argumentType: T.STRING }, { argumentType: T.ANY, optionalArg: true }] },
  INFO: { method: 'info', parameters: [{ argumentType: T.STRING }] },
}

module.exports = [{ plugin: CellInfoFunctions, translations: translationsFor(CellInfoFunctions) }]
