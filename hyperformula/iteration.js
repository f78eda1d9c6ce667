'use strict'
// Excel's iterative calculation of circular references (calcPr iterate="1"). Not a function
// plugin: engine.js calls solve() after the first evaluation, when the workbook enables it.
//
// HyperFormula gives #CYCLE! to every cell of a cycle and to everything downstream. The
// importer's dependency graph knows the cycles (strongly connected components, in evaluation
// order) and sends them. For each component in turn:
//   1. every member is replaced by the constant 0 (never by Excel's cached value: that would
//      be copying the answer);
//   2. pass after pass, the members are computed in order, each from the newest values of the
//      others, and written back at once (Gauss-Seidel; updating them all from the previous
//      pass, Jacobi-style, does not converge on real debt schedules);
//   3. iteration stops when the largest change in a pass is tiny (TIGHT, relative), after
//      MAX_PASSES passes, or after iterateCount passes if the change is still iterateDelta or
//      more (Excel would not have settled it either).
// Excel stops earlier, at a change below iterateDelta or after iterateCount passes, but every
// later recalculation in Excel resumes from the values it left, so a saved model sits at the
// fixed point; iterating further reproduces that. A component counts as converged when its
// last change is below iterateDelta; otherwise its members are reported as not converged.
// Then the members stay as constants holding their values, and HyperFormula recomputes what
// depends on them normally.
//
// Each member's formula is parsed and evaluated at its own address (not at A1 as
// hf.calculateFormula does), so ROW(), COLUMN(), relative R1C1 text and implicit intersection
// behave as in the cell.
const { DetailedCellError } = require('hyperformula')
const { CellError, SimpleRangeValue, EmptyValue, getRawValue, InterpreterState } = require('./internals')

const { excelOnlyCode, excelOnlyFormula, errorText } = require('./functions/info')

const TIGHT = 1e-13
const MAX_PASSES = 1000

// {ast, dependencies} of formula text parsed as if it sat at `address`; undefined if it does not parse.
function parseAt (hf, formula, address) {
  const content = hf._cellContentParser.parse(formula)
  if (!content || content.formula === undefined) return undefined
  const { ast, errors, dependencies } = hf._parser.parse(content.formula, address)
  return errors.length ? undefined : { ast, dependencies }
}

// The value of a parsed formula at `address`, with the workbook as it is now.
function evaluateAt (hf, parsed, address) {
  const evaluator = hf.evaluator
  let value
  try {
    value = evaluator.runAndForget(parsed.ast, address, parsed.dependencies)
  } catch (err) {
    return new CellError('VALUE', `Engine exception: ${err.message || err}`)
  }
  if (value instanceof SimpleRangeValue) value = value.data[0][0]
  return value
}

// A computed value as cell content that HyperFormula stores as that same value. #CYCLE!
// becomes `cycle` (resolveStatic keeps it; iteration has none to keep).
function asContent (value, cycle = '=#VALUE!') {
  if (value === EmptyValue || value === undefined) return null
  if ((value instanceof CellError || value instanceof DetailedCellError) && value.type === 'CYCLE') return cycle
  const excelOnly = excelOnlyCode(value)
  if (excelOnly) return '=' + excelOnlyFormula(excelOnly) // #NULL! and the other errors HyperFormula lacks
  if (value instanceof CellError || value instanceof DetailedCellError) return '=' + errorText(value)
  if (typeof value === 'string') return "'" + value
  if (typeof value === 'boolean') return value
  return getRawValue(value)
}

function change (before, after) {
  if (typeof before === 'number' && typeof after === 'number') {
    return { abs: Math.abs(after - before), scale: Math.max(1, Math.abs(after), Math.abs(before)) }
  }
  return before === after ? { abs: 0, scale: 1 } : { abs: Infinity, scale: 1 }
}

// `cycles`: lists of {sheet, row, col, formula} in evaluation order. Solves them from zero and
// returns {passes: [...], notConverged: [{sheet, row, col}, ...], resolve}; resolve() solves
// them again from their current values, after an input changed (what-if data tables).
function solve (hf, cycles, { delta = 0.001, count = 100, maxPasses = MAX_PASSES } = {}) {
  const components = []
  for (const members of cycles) {
    const cells = members
      .map((m) => ({ sheet: m.sheet, row: m.row, col: m.col, address: { sheet: m.sheet, row: m.row, col: m.col } }))
      .map((m, k) => ({ ...m, parsed: parseAt(hf, members[k].formula, m.address), value: 0 }))
      .filter((m) => m.parsed !== undefined)
    if (cells.length) components.push(cells)
  }
  suspended(hf, () => {
    for (const cells of components) for (const m of cells) hf.setCellContents(m.address, [[0]])
  })
  const report = { passes: [], notConverged: [] }
  const run = (record) => withoutVolatile(hf, () => {
    for (const cells of components) {
      const { passes, last } = iterate(hf, cells, maxPasses, count, delta)
      if (!record) continue
      report.passes.push(passes)
      if (!(last < delta)) {
        for (const m of cells) report.notConverged.push({ sheet: m.sheet, row: m.row, col: m.col })
      }
    }
  })
  run(true)
  report.resolve = () => run(false)
  return report
}

// Runs fn with evaluation suspended, then recomputes once. Not hf.batch(): a batch collects
// its operations into one undo entry, and HyperFormula scans that whole entry again on every
// write (UndoRedo.clearRedoStack), so 20,000 writes in one batch took 19 s.
function suspended (hf, fn) {
  hf.suspendEvaluation()
  try {
    fn()
  } finally {
    hf.resumeEvaluation()
  }
}

// Runs fn with no volatile cell in the workbook. Every write of a member makes HyperFormula
// recompute what depends on it and every volatile cell (OFFSET, INDIRECT...): with thousands
// of those, a 200-cell debt schedule took 40 s instead of a fraction of one. Members are
// evaluated directly, so they do not need it; engine.js settles the volatile cells afterwards.
function withoutVolatile (hf, fn) {
  const ids = hf.dependencyGraph.graph.dirtyAndVolatileNodeIds
  const saved = ids.rawValue.volatile
  ids.rawValue.volatile = []
  ids.markAsModified()
  try {
    return fn()
  } finally {
    ids.rawValue.volatile = saved
    ids.markAsModified()
  }
}

// Gauss-Seidel passes over one component until the largest relative change is below TIGHT.
// A component that Excel itself would leave unsettled (a change of `delta` or more after
// `count` passes) is given up then, so that a diverging cycle costs `count` passes, not
// maxPasses. Returns the passes run and the largest absolute change in the last one.
// Passes alternate direction (symmetric Gauss-Seidel): the first follows the evaluation order,
// the next goes back. A chain whose members arrive against its direction (A<i> = A<i-1>/2+1
// discovered from its end) settled by one link per pass, 44 passes for 20,000 cells; both ways
// it settles in a few.
function iterate (hf, cells, maxPasses, count = maxPasses, delta = Infinity) {
  let passes = 0
  let last = Infinity
  const backwards = cells.slice().reverse()
  while (passes < maxPasses) {
    let worst = 0
    let worstAbs = 0
    for (const m of passes % 2 ? backwards : cells) {
      const content = asContent(evaluateAt(hf, m.parsed, m.address))
      const { abs, scale } = change(m.value, content)
      worst = Math.max(worst, abs / scale)
      worstAbs = Math.max(worstAbs, abs)
      if (abs !== 0) {
        hf.setCellContents(m.address, [[content]])
        m.value = content
      }
    }
    passes++
    last = worstAbs
    if (worst <= TIGHT || (passes >= count && worstAbs >= delta)) break
  }
  return { passes, last }
}

// With iterative calculation off, Excel computes a cell of a cycle found by our (static)
// dependency graph whenever its evaluation does not actually read the cycle: IF(A1,B1,1) with
// A1 false, INDEX(r,1,1):INDEX(r,1,n-1) over the cells left of itself. Only a real circular
// reference is left uncomputed. resolveStatic() finds which is which without iterating from
// any value: every member starts as #CYCLE! ("unknown"); pass after pass each member is
// computed from the others, and a member whose result no longer carries #CYCLE! is known.
// A pass that changes nothing ends it (at most one pass per member, plus one, and within
// STATIC_PASSES / STATIC_BUDGET); members still
// #CYCLE! are the real circular references, and HyperFormula propagates #CYCLE! from them
// to everything downstream (the importer's reason `circular`). If the passes do not settle,
// every member of that component goes back to #CYCLE!. Array formulas stay formulas (a value
// written at their anchor would replace what fills their range): once the other members are
// values, HyperFormula recomputes them as usual.
const UNKNOWN = '=#CYCLE!'
// Bounds on the work: passes, and member evaluations per component. A component that does not
// settle within them stays #CYCLE!, as it would without resolveStatic.
const STATIC_PASSES = 100
const STATIC_BUDGET = 1e6
const ARRAY_FORMULA = /^=\s*ARRAYFORMULA\(/i

function isCycleError (value) {
  return (value instanceof CellError || value instanceof DetailedCellError) && value.type === 'CYCLE'
}

function resolveStatic (hf, cycles) {
  withoutVolatile(hf, () => {
    for (const members of cycles) {
      const cells = members.filter((m) => !ARRAY_FORMULA.test(m.formula))
        .map((m) => ({ address: { sheet: m.sheet, row: m.row, col: m.col }, formula: m.formula }))
        .map((m) => ({ ...m, parsed: parseAt(hf, m.formula, m.address), value: UNKNOWN }))
        .filter((m) => m.parsed !== undefined)
      // Only what HyperFormula itself left as #CYCLE!: a cycle of our graph that HyperFormula
      // computed (FORMULATEXT(A1) in A1 reads no value) keeps its formulas and values.
      if (!cells.some((m) => isCycleError(hf.getCellValue(m.address)))) continue
      suspended(hf, () => { for (const m of cells) hf.setCellContents(m.address, [[UNKNOWN]]) })
      let settled = false
      const passes = Math.min(cells.length + 1, STATIC_PASSES, Math.ceil(STATIC_BUDGET / cells.length))
      // Suspended: a member reads only members (constants once written) and cells outside the
      // cycle, so nothing else needs recomputing until the passes end, once (see suspended()).
      suspended(hf, () => {
        for (let pass = 0; pass < passes && !settled; pass++) {
          settled = true
          for (const m of cells) {
            const content = asContent(evaluateAt(hf, m.parsed, m.address), UNKNOWN)
            if (content !== m.value) {
              hf.setCellContents(m.address, [[content]])
              m.value = content
              settled = false
            }
          }
        }
        if (!settled) for (const m of cells) hf.setCellContents(m.address, [[UNKNOWN]])
      })
    }
  })
}

// A workbook saved with iteration off whose cycles Excel nonetheless computed: Excel's iteration
// setting belongs to the session (the first workbook opened decides it), so such a file usually
// carries the values of an earlier iterative calculation. First resolveStatic() computes the
// members that do not really read their cycle, exactly as Excel does with iteration off; then the
// members still #CYCLE! are solved as solve() solves iterative cycles (from 0, to the fixed point,
// given up after `count` passes that still change by `delta` or more: Excel's defaults are 100
// and 0.001). Returns solve()'s report over those members, plus `iterated`: the members solved
// ({sheet, row, col}), which the importer marks as solved although the file has iteration off.
function solveIterationOff (hf, cycles, options = {}) {
  resolveStatic(hf, cycles)
  const remaining = cycles
    .map((members) => members.filter((m) => isCycleError(hf.getCellValue({ sheet: m.sheet, row: m.row, col: m.col }))))
    .filter((members) => members.length)
  if (!remaining.length) return { passes: [], notConverged: [], iterated: [], resolve: undefined }
  const report = solve(hf, remaining, options)
  report.iterated = remaining.flat().map((m) => ({ sheet: m.sheet, row: m.row, col: m.col }))
  return report
}

module.exports = { solve, resolveStatic, solveIterationOff, parseAt, evaluateAt, asContent }
