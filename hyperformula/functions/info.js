'use strict'
// ERROR.TYPE, and the Excel errors HyperFormula 3.5 lacks (#NULL!, #GETTING_DATA).
const { FunctionPlugin, FunctionArgumentType: T, CellError, ErrorType } = require('hyperformula')
const { error, translationsFor } = require('./common')

// Excel's codes for the errors HyperFormula has.
const CODES = {
  [ErrorType.DIV_BY_ZERO]: 2,
  [ErrorType.VALUE]: 3,
  [ErrorType.REF]: 4,
  [ErrorType.NAME]: 5,
  [ErrorType.NUM]: 6,
  [ErrorType.NA]: 7,
  [ErrorType.SPILL]: 9,
}

// Excel errors HyperFormula cannot parse nor produce. The importer writes each as
// CL_ERROR("#NULL!") (a constant cell, a literal, an empty intersection), which makes a
// CellError of type ERROR carrying one of these exact messages. Errors travel through every
// function as the same object, so the message survives: ISERROR/ISERR/IFERROR see an error,
// ISNA/IFNA do not (the type is not NA), and engine.js reports the Excel code on the way out
// (excelOnlyCode), never "#ERROR!", so the importer cannot take it for a parse error.
const EXCEL_ONLY = {
  '#NULL!': { code: 1, message: 'Excel error #NULL!' },
  '#GETTING_DATA': { code: 8, message: 'Excel error #GETTING_DATA' },
  '#CALC!': { code: 14, message: 'Excel error #CALC!' }, // empty array results (functions/arrays.js)
}
const BY_MESSAGE = new Map(Object.entries(EXCEL_ONLY).map(([name, { message }]) => [message, name]))

// '#NULL!' or '#GETTING_DATA' for an error CL_ERROR made (a CellError, or the DetailedCellError
// HyperFormula hands out), else undefined.
function excelOnlyCode (err) {
  return err && err.type === ErrorType.ERROR ? BY_MESSAGE.get(err.message) : undefined
}

// The text Excel shows for an error value: '#DIV/0!', '#NULL!'... (VALUETOTEXT, ARRAYTOTEXT,
// GROUPBY's ARRAYTOTEXT, values written back as cell contents). Unknown kinds read as #VALUE!.
const ERROR_TEXT = {
  DIV_BY_ZERO: '#DIV/0!', NA: '#N/A', NAME: '#NAME?', NUM: '#NUM!', REF: '#REF!', VALUE: '#VALUE!',
  SPILL: '#SPILL!', CYCLE: '#CYCLE!', ERROR: '#ERROR!', LIC: '#LIC!',
}

function errorText (err) {
  return excelOnlyCode(err) || ERROR_TEXT[err.type] || '#VALUE!'
}

// The formula text that makes such an error again (for values written back as cell contents).
function excelOnlyFormula (name) {
  return `CL_ERROR("${name}")`
}

class InfoFunctions extends FunctionPlugin {
  errortype (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ERROR.TYPE'), (value) => {
      if (!(value instanceof CellError)) return error('NA', 'Not an error value')
      const excelOnly = excelOnlyCode(value)
      if (excelOnly) return EXCEL_ONLY[excelOnly].code
      // HyperFormula-only errors (#CYCLE!, #ERROR!, #LIC!) have no Excel
      // code; passing them on keeps the real cause visible.
      return CODES[value.type] ?? value
    })
  }

  // CL_CONSTANT(#N/A): an error typed in a cell, not computed; its value is its argument.
  // ISFORMULA and FORMULATEXT tell it from a formula (functions/dynamic_refs.js).
  clconstant (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('CL_CONSTANT'), (value) => value)
  }

  clerror (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('CL_ERROR'), (name) => {
      const known = EXCEL_ONLY[name]
      return known ? new CellError(ErrorType.ERROR, known.message) : error('VALUE', `Unknown error ${name}`)
    })
  }
}

InfoFunctions.implementedFunctions = {
  'ERROR.TYPE': { method: 'errortype', parameters: [{ argumentType: T.SCALAR }] },
  // Not an Excel function: written by the importer only (importer/values.py EXCEL_ONLY_ERRORS).
  CL_ERROR: { method: 'clerror', parameters: [{ argumentType: T.STRING }] },
  CL_CONSTANT: { method: 'clconstant', parameters: [{ argumentType: T.SCALAR }] },
}

module.exports = Object.assign([{ plugin: InfoFunctions, translations: translationsFor(InfoFunctions) }], {
  excelOnlyCode,
  excelOnlyFormula,
  errorText,
})
