'use strict'
// AND, OR and XOR with Excel's treatment of ranges: inside a range (or an array) only
// booleans and numbers count; text, even "TRUE", and blanks are skipped. A value given
// directly may also be the text "TRUE" or "FALSE". Nothing left to count is #VALUE!.
// HyperFormula's built-ins coerce text in ranges to booleans (XOR(A1:A4) over the text
// "TRUE" gave TRUE where Excel gives #VALUE!).
const { FunctionPlugin, FunctionArgumentType: T, CellError, SimpleRangeValue } = require('hyperformula')
const { error, translationsFor, isNumber, rawNumber, cellsOf } = require('./common')

// The logical values of the arguments, or the first error met.
function logicalsOf (args) {
  const out = []
  for (const arg of args) {
    if (arg instanceof SimpleRangeValue) {
      for (const cell of cellsOf(arg)) {
        if (cell instanceof CellError) return cell
        if (typeof cell === 'boolean') out.push(cell)
        else if (isNumber(cell)) out.push(rawNumber(cell) !== 0)
      }
    } else if (arg instanceof CellError) {
      return arg
    } else if (typeof arg === 'boolean') {
      out.push(arg)
    } else if (isNumber(arg)) {
      out.push(rawNumber(arg) !== 0)
    } else if (typeof arg === 'string') {
      const upper = arg.toUpperCase()
      if (upper !== 'TRUE' && upper !== 'FALSE') return error('VALUE', `"${arg}" is not a logical value`)
      out.push(upper === 'TRUE')
    }
  }
  if (out.length === 0) return error('VALUE', 'No logical values')
  return out
}

function logical (combine) {
  return (...args) => {
    const values = logicalsOf(args)
    return values instanceof CellError ? values : combine(values)
  }
}

class LogicalFunctions extends FunctionPlugin {
  and (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('AND'), logical((v) => v.every(Boolean)))
  }

  or (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('OR'), logical((v) => v.some(Boolean)))
  }

  xor (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('XOR'),
      logical((v) => v.filter(Boolean).length % 2 === 1))
  }
}

const PARAMETERS = { parameters: [{ argumentType: T.ANY }], repeatLastArgs: 1 }
LogicalFunctions.implementedFunctions = {
  AND: { method: 'and', ...PARAMETERS },
  OR: { method: 'or', ...PARAMETERS },
  XOR: { method: 'xor', ...PARAMETERS },
}

module.exports = [{ plugin: LogicalFunctions, translations: translationsFor(LogicalFunctions) }]
