'use strict'
// What dynamic references (functions/dynamic_refs.js: CL_OFFSET, INDIRECT, CL_RANGE,
// ANCHORARRAY) need from HyperFormula's evaluator, which orders cells by the dependency graph
// and cannot know the cells such a reference reaches:
// - a formula cell read before it was computed is computed then, on demand (demand()), and a
//   read that still finds it not computed gives #VALUE! for now and is noted in the request's
//   context (dynamic.missed) instead of aborting the evaluation;
// - settle(), which engine.js calls after each evaluation, recomputes the volatile cells until
//   their values stop changing.
// Installed first (patches/index.js): the innermost wrapper of evaluateAstToCellValue.
const { CellError, ErrorType } = require('hyperformula')
const { SimpleRangeValue, ArrayFormulaVertex, ScalarFormulaVertex, NotComputedArray, Evaluator } = require('../internals')
const { noteMiss } = require('../functions/dynamic_refs')
const context = require('../context')

// After HyperFormula's own evaluation: recompute the volatile cells (and what depends on
// them) until their values stop changing, at most `maxPasses` times. Returns the passes run.
function settle (hf, maxPasses = 20) {
  const volatile = volatileVertices(hf)
  if (volatile.length === 0) return 0
  const snapshot = () => volatile.map((v) => key(v.valueOrUndef ? v.valueOrUndef() : undefined)).join('\u0001')
  let before = snapshot()
  const dynamic = context.current().dynamic
  let missed = dynamic.missed
  let passes = 0
  while (passes < maxPasses) {
    dynamic.missed = false
    recompute(hf)
    passes++
    const after = snapshot()
    if (!dynamic.missed && !missed && after === before) break
    missed = dynamic.missed
    before = after
  }
  dynamic.missed = false
  return passes
}

function volatileVertices (hf) {
  const graph = hf.dependencyGraph.graph
  return graph.dirtyAndVolatileNodeIds.rawValue.volatile.map((id) => graph.nodesSparseArray[id]).filter(Boolean)
}

// Recompute every volatile cell and its dependents, as any edit of the workbook would.
function recompute (hf) {
  hf.recomputeIfDependencyGraphNeedsIt()
}

function key (value) {
  if (value instanceof CellError) return `E${value.type}:${value.message}`
  if (value instanceof SimpleRangeValue) return value.isAdHoc() ? 'A' + JSON.stringify(value.data) : 'R' + value.range.toString()
  return typeof value + ':' + String(value)
}

// A formula that reads, through a dynamic reference, a cell not computed yet (the graph could
// not order it after that cell) has that cell computed first, at once, as a lazy evaluator
// would: a chain of OFFSETs or INDIRECTs, in any order, settles in the first evaluation instead
// of one link per pass (issue 11, cause 13). A cell already being computed (a circular
// reference through a dynamic reference), or a chain deeper than MAX_DEMAND_DEPTH, gets a
// #VALUE! for now, and settle() computes it again.
const MAX_DEMAND_DEPTH = 400
const computing = new Set() // vertices being computed on demand, innermost last

function demand (vertex) {
  const evaluator = context.current().dynamic.evaluator
  if (!evaluator || computing.has(vertex) || computing.size >= MAX_DEMAND_DEPTH) return false
  computing.add(vertex)
  try {
    evaluator.recomputeFormulaVertexValue(vertex)
  } finally {
    computing.delete(vertex)
  }
  return vertex.isComputed()
}

let installed = false

function install () {
  if (installed) return
  installed = true
  const evaluate = Evaluator.prototype.evaluateAstToCellValue
  Evaluator.prototype.evaluateAstToCellValue = function (ast, state) {
    context.current().dynamic.evaluator = this
    try {
      return evaluate.call(this, ast, state)
    } catch (err) {
      return noteMiss(err)
    }
  }
  const scalarValue = ScalarFormulaVertex.prototype.getCellValue
  ScalarFormulaVertex.prototype.getCellValue = function () {
    if (this.cachedCellValue === undefined) demand(this)
    return scalarValue.call(this)
  }
  const arrayValue = ArrayFormulaVertex.prototype.getCellValue
  ArrayFormulaVertex.prototype.getCellValue = function () {
    if (this.array instanceof NotComputedArray) demand(this)
    return arrayValue.call(this)
  }
  // A cell of an array formula not computed yet (and not computable now) reads as a bare
  // #REF!; note it as a miss too.
  const arrayCell = ArrayFormulaVertex.prototype.getArrayCellValue
  ArrayFormulaVertex.prototype.getArrayCellValue = function (address) {
    if (this.array instanceof NotComputedArray && !demand(this)) {
      context.current().dynamic.missed = true
      return new CellError(ErrorType.REF, 'Array not computed yet.')
    }
    return arrayCell.call(this, address)
  }
}

module.exports = { install, settle }
