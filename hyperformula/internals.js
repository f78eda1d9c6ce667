'use strict'
// The one module that reaches into HyperFormula's private files (node_modules/hyperformula/
// commonjs/...). Everything else requires 'hyperformula' (the public API) or this module:
// test/layout.test.js fails on any other private require.
//
// These classes and helpers are not part of HyperFormula's public API and change between
// releases without notice, so this module refuses to load on another version than the one
// the patches and functions were written and tested against. package.json pins that version;
// to move to another, update WRITTEN_FOR here with the pin, then read every patch in
// patches/ and the modules that use these names against the new sources.
const path = require('path')
const { HyperFormula } = require('hyperformula')

const WRITTEN_FOR = '3.5.0'

function checkVersion (version) {
  if (version !== WRITTEN_FOR) {
    throw new Error(`hyperformula/internals.js was written for HyperFormula ${WRITTEN_FOR}, but ` +
      `HyperFormula ${version} is installed: run \`npm ci --prefix hyperformula\` (package.json pins ` +
      `${WRITTEN_FOR}), or port the patches to ${version} and update WRITTEN_FOR.`)
  }
}

checkVersion(HyperFormula.version)

const lib = path.dirname(require.resolve('hyperformula'))
const load = (...parts) => require(path.join(lib, ...parts))

const { AstNodeType } = load('parser', 'index.js')
const { SimpleRangeValue } = load('SimpleRangeValue.js')
const { AbsoluteCellRange } = load('AbsoluteCellRange.js')
const { ArraySize, ArraySizePredictor } = load('ArraySize.js')
const { NotComputedArray, ErroredArray } = load('ArrayValue.js')
const { CellError } = load('Cell.js')
const { FormulaVertex, ArrayFormulaVertex, ScalarFormulaVertex } = load('DependencyGraph', 'FormulaVertex.js')
const { DependencyGraph } = load('DependencyGraph', 'DependencyGraph.js')
const { Graph } = load('DependencyGraph', 'Graph.js')
const { Evaluator } = load('Evaluator.js')
const { NamedExpressions } = load('NamedExpressions.js')
const { ErrorMessage } = load('error-message.js')
const { timeToNumber } = load('DateTimeHelper.js')
const { Interpreter } = load('interpreter', 'Interpreter.js')
const { InterpreterState } = load('interpreter', 'InterpreterState.js')
const { EmptyValue, getRawValue, isExtendedNumber } = load('interpreter', 'InterpreterValue.js')
const { ConditionalAggregationPlugin } = load('interpreter', 'plugin', 'ConditionalAggregationPlugin.js')
// The module itself: patches replace its exported functions (coerceScalarToString...) and
// its ArithmeticHelper class's methods.
const arithmetic = load('interpreter', 'ArithmeticHelper.js')

module.exports = {
  WRITTEN_FOR,
  checkVersion,
  AstNodeType,
  SimpleRangeValue,
  AbsoluteCellRange,
  ArraySize,
  ArraySizePredictor,
  NotComputedArray,
  ErroredArray,
  CellError,
  FormulaVertex,
  ArrayFormulaVertex,
  ScalarFormulaVertex,
  DependencyGraph,
  Graph,
  Evaluator,
  NamedExpressions,
  ErrorMessage,
  timeToNumber,
  Interpreter,
  InterpreterState,
  EmptyValue,
  getRawValue,
  isExtendedNumber,
  ConditionalAggregationPlugin,
  arithmetic,
}
