'use strict'
// HyperFormula throws from inside the evaluation of some formulas (e.g. "Function returning
// array cannot be vectorized."), which would abort the whole workbook. Such a throw becomes an
// error value on that one cell, "Engine exception: ..."; the importer reports it as
// `engine_error` (importer/evaluate.py reads the prefix).
// Installed after patches/dynamic_refs.js, whose wrapper turns a read of a cell not computed
// yet into #VALUE! first, and before patches/legacy_arrays.js, whose intersection sees the
// error like any value.
const { CellError, ErrorType } = require('hyperformula')
const { Evaluator } = require('../internals')

let installed = false

function install () {
  if (installed) return
  installed = true
  const evaluate = Evaluator.prototype.evaluateAstToCellValue
  Evaluator.prototype.evaluateAstToCellValue = function (ast, state) {
    try {
      return evaluate.call(this, ast, state)
    } catch (err) {
      return new CellError(ErrorType.VALUE, `Engine exception: ${err.message || err}`)
    }
  }
}

module.exports = { install }
