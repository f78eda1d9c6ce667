'use strict'
// RANDARRAY([rows], [columns], [min], [max], [whole_number]), volatile like RAND:
// https://support.microsoft.com/office/randarray-function-21261e55-3bec-4885-86a6-8b0a47fd4d33
// rows and columns default to 1 and are truncated; min defaults to 0, max to 1; whole_number
// TRUE gives integers from min to max inclusive (both must then be whole numbers, else
// #VALUE!); max below min is #VALUE!; a zero count is #CALC! (an empty array), a negative one
// #VALUE!. The result's size is its literal counts, else the range the file saved for the
// array formula, else one cell. The values are random: the importer keeps such cells out of
// the comparison (reason `volatile`).
const { FunctionPlugin, FunctionArgumentType: T, CellError, ErrorType, SimpleRangeValue, ArraySize } = require('hyperformula')
const { error, translationsFor } = require('./common')
const { declaredSize } = require('../context')
const { CALC_MESSAGE } = require('./arrays')
const { AstNodeType } = require('../internals')

// A sheet holds 1048576 x 16384 cells; drawing more than ten million numbers is refused (#NUM!)
// rather than exhaust the engine's memory.
const MAX_CELLS = 1e7

function literalCount (ast) {
  if (ast === undefined || ast.type === AstNodeType.EMPTY) return 1
  if (ast.type === AstNodeType.NUMBER) return Math.trunc(ast.value)
  return undefined
}

class RandomFunctions extends FunctionPlugin {
  randarray (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('RANDARRAY'), (rows, columns, min, max, whole) => {
      const height = Math.trunc(rows)
      const width = Math.trunc(columns)
      if (height < 0 || width < 0) return error('VALUE', 'RANDARRAY: rows and columns must be 0 or more')
      if (height === 0 || width === 0) return new CellError(ErrorType.ERROR, CALC_MESSAGE)
      if (height * width > MAX_CELLS) return error('NUM', `RANDARRAY: more than ${MAX_CELLS} values`)
      if (max < min) return error('VALUE', 'RANDARRAY: max is below min')
      if (whole && (!Number.isInteger(min) || !Number.isInteger(max))) {
        return error('VALUE', 'RANDARRAY: whole numbers need whole min and max')
      }
      const draw = whole
        ? () => min + Math.floor(Math.random() * (max - min + 1))
        : () => min + Math.random() * (max - min)
      const data = Array.from({ length: height }, () => Array.from({ length: width }, draw))
      return height === 1 && width === 1 ? data[0][0] : SimpleRangeValue.onlyValues(data)
    })
  }

  randarraySize (ast, state) {
    const height = literalCount(ast.args[0])
    const width = literalCount(ast.args[1])
    if (height !== undefined && width !== undefined) {
      return height >= 1 && width >= 1 ? new ArraySize(width, height) : ArraySize.scalar()
    }
    const declared = state.arraysFlag ? declaredSize(state.formulaAddress) : undefined
    return declared ? new ArraySize(declared[1], declared[0]) : ArraySize.scalar()
  }
}

const count = { argumentType: T.NUMBER, defaultValue: 1 }

RandomFunctions.implementedFunctions = {
  RANDARRAY: {
    method: 'randarray',
    sizeOfResultArrayMethod: 'randarraySize',
    isVolatile: true,
    parameters: [count, count, { argumentType: T.NUMBER, defaultValue: 0 }, { argumentType: T.NUMBER, defaultValue: 1 },
      { argumentType: T.BOOLEAN, defaultValue: false }],
  },
}

module.exports = [{ plugin: RandomFunctions, translations: translationsFor(RandomFunctions) }]
