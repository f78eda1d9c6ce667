'use strict'
// A patch of HyperFormula 3.5's dependency-graph build (the other half of functions/fastlookup.js),
// installed with the others (patches/index.js); CAPITALLENS_NO_FASTLOOKUP=1 leaves it out.
//
// The problem (measured, see functions/fastlookup.js): every formula that references a range makes
// HyperFormula walk all the cells of that range and add the edges cell -> range vertex, even
// when the range vertex already exists and has those edges (DependencyGraph.processCellDependencies,
// the "bruteForce" branch). n formulas sharing one absolute n-row range cost n^2 edge insertions:
// 8,000 rows of SUMIFS($E$2:$E$8001,$A$2:$A$8001,A2) spent ~5 s of the "load" step there.
//
// A second quadratic cost hides in Graph.addEdge, which checks for a duplicate with
// Array.includes over the source's out-edges: a range (or the named expression FALSE that
// engine.js defines) read by n formulas has n out-edges, so adding the n-th edge source -> formula
// scans n - 1 others. A formula vertex that has just been created has no incoming edge before its
// dependencies are processed (both callers, setFormulaToCell and GraphBuilder, pass a new vertex),
// so while they are, edges into it are de-duplicated with a small per-call set instead.
//
// The patch skips that walk for a range vertex this patch has already seen fully wired (all its
// cells have their edge), because repeating it only re-adds existing edges. Everything else goes
// to HyperFormula's own code unchanged. The "already wired" marks are dropped whenever edges could
// have been taken away: row/column/sheet operations, moves, array-formula changes and any explicit
// edge removal. Only finite, brute-force ranges (no smaller range vertex to build on) are skipped.

const { DependencyGraph, Graph, AbsoluteCellRange } = require('../internals')

let wired = new WeakSet()
// Vertices given a graph id and not yet through processCellDependencies: no incoming edges.
const fresh = new WeakSet()
const FRESH_TARGET = Symbol('fastlookup fresh target')
const FRESH_SEEN = Symbol('fastlookup fresh sources')
let installed = false
const stats = { skipped: 0, resets: 0 }

function reset () {
  wired = new WeakSet()
  stats.resets++
}

// Methods after which a range vertex may lack an edge from one of its cells.
const GRAPH_CHANGES = [
  'removeRows', 'removeColumns', 'addRows', 'addColumns', 'removeSheet', 'mergeSheets',
  'moveCells', 'setArrayEmpty', 'shrinkArrayToCorner', 'addArrayVertex', 'setArray',
  'removeVertexAndRerouteDependencies',
]
const EDGE_REMOVALS = ['removeEdge', 'removeEdgeIfExists']

function wrapResetting (proto, name) {
  const original = proto[name]
  if (typeof original !== 'function') return
  proto[name] = function (...args) {
    if (process.env.FASTLOOKUP_DEBUG) stats[name] = (stats[name] || 0) + 1
    reset()
    return original.apply(this, args)
  }
}

// Can this range dependency skip HyperFormula's walk over its cells?
function alreadyWired (graph, range) {
  if (!range.isFinite()) return false
  const vertex = graph.getRange(range.start, range.end)
  if (vertex === undefined || !wired.has(vertex) || !vertex.bruteForce) return false
  if (vertex.idInGraph === undefined || !graph.graph.hasNode(vertex)) return false
  // HyperFormula would rebuild this range on top of a smaller one that appeared since: let it.
  return graph.rangeMapping.findSmallerRange(range).smallerRangeVertex === undefined ? vertex : false
}

function install () {
  if (installed || process.env.CAPITALLENS_NO_FASTLOOKUP === '1') return
  installed = true
  const addNode = Graph.prototype.addNodeIfNotExists
  Graph.prototype.addNodeIfNotExists = function (node) {
    const isNew = node.idInGraph === undefined
    const id = addNode.call(this, node)
    if (isNew) fresh.add(node)
    return id
  }
  const addEdge = Graph.prototype.addEdge
  Graph.prototype.addEdge = function (fromNode, toNode) {
    const target = this[FRESH_TARGET]
    if (target !== undefined) {
      const toId = typeof toNode === 'number' ? toNode : toNode.idInGraph
      const fromId = typeof fromNode === 'number' ? fromNode : fromNode.idInGraph
      if (toId === target && fromId !== undefined && this.edgesSparseArray[fromId] !== undefined) {
        const seen = this[FRESH_SEEN]
        if (!seen.has(fromId)) {
          seen.add(fromId)
          this.edgesSparseArray[fromId].push(toId)
        }
        return
      }
    }
    return addEdge.call(this, fromNode, toNode)
  }
  const original = DependencyGraph.prototype.processCellDependencies
  DependencyGraph.prototype.processCellDependencies = function (cellDependencies, endVertex) {
    const endVertexId = endVertex.idInGraph
    if (endVertexId === undefined) return original.call(this, cellDependencies, endVertex)
    if (!fresh.has(endVertex)) return processDependencies.call(this, cellDependencies, endVertex, endVertexId)
    fresh.delete(endVertex)
    this.graph[FRESH_TARGET] = endVertexId
    this.graph[FRESH_SEEN] = new Set()
    try {
      return processDependencies.call(this, cellDependencies, endVertex, endVertexId)
    } finally {
      this.graph[FRESH_TARGET] = undefined
      this.graph[FRESH_SEEN] = undefined
    }
  }

  function processDependencies (cellDependencies, endVertex, endVertexId) {
    let rest = null
    for (let i = 0; i < cellDependencies.length; i++) {
      const dep = cellDependencies[i]
      const vertex = dep instanceof AbsoluteCellRange && alreadyWired(this, dep)
      if (vertex) {
        // What HyperFormula's own code ends with for this dependency.
        this.graph.addEdge(vertex, endVertexId)
        this.correctInfiniteRangesDependenciesByRangeVertex(vertex)
        stats.skipped++
      } else {
        if (rest === null) rest = []
        rest.push(dep)
      }
    }
    if (rest === null) return
    original.call(this, rest, endVertex)
    for (const dep of rest) {
      if (!(dep instanceof AbsoluteCellRange) || !dep.isFinite()) continue
      const vertex = this.getRange(dep.start, dep.end)
      // Wired by the walk above: every cell of the range now has its edge.
      if (vertex !== undefined && vertex.bruteForce) wired.add(vertex)
    }
  }
  for (const name of GRAPH_CHANGES) wrapResetting(DependencyGraph.prototype, name)
  for (const name of EDGE_REMOVALS) wrapResetting(Graph.prototype, name)
}

module.exports = { install, stats, reset }
