'use strict'
// Linear-time exact-match lookups and criteria aggregations (issue 6).
//
// HyperFormula 3.5 is quadratic on lookup-heavy sheets:
// - VLOOKUP/HLOOKUP/MATCH/XLOOKUP with an exact match scan the whole lookup range on every call;
// - SUMIFS & co. keep a per-range cache of only the *last* criterion they saw, so rows whose
//   criteria alternate (every customer's total) rescan the whole range on every call;
// - building the graph walks every cell of a shared range once per formula (fastlookup_build.js).
//
// The lookups are lookup.js's functions (Excel's search rules, argument handling and errors);
// FastLookup replaces only how they read a lookup vector and find an exact match, with an
// index built once per range and evaluation pass:
// - value -> first/last position of a lookup vector (a range's first column for VLOOKUP, first
//   row for HLOOKUP, the vector itself for MATCH, XMATCH, XLOOKUP and LOOKUP); wildcard
//   patterns are resolved by one scan each and remembered; approximate and binary searches run
//   on the cached vector. The answers are the plain path's (test/fastlookup.test.js compares);
// - value -> ascending positions of a criteria range, per kind of criterion (numbers, text,
//   booleans), and the result of each distinct set of criteria.
//
// Invalidation is HyperFormula's own: everything is stored on the RangeVertex of the range
// (functionCache / criterionFunctionCache), which HyperFormula clears whenever it recomputes the
// range, i.e. before any formula that reads a changed range is evaluated again; a criteria
// result cache is also registered with the criteria ranges (addDependentCacheRange), as the
// built-in SUMIFS cache is. A range without a vertex (a one-cell range, an array, a range
// computed at run time) follows the same rules, uncached.
//
// Where HyperFormula's built-in criteria differ from Excel, these follow Excel (see
// test/fastlookup.test.js):
// - `?` matches exactly one character (the built-in: zero or one), and regex characters in a
//   pattern (| * + ...) are literal;
// - text is compared accent-sensitively, as config.js sets;
// - criteria: "" matches blank cells and empty text, "=" blank cells only; a criterion that is a
//   reference to an empty cell is 0; ">b" / "<b" compare text; "a=b" is the text "a=b" (the
//   built-in reads an operator anywhere in the string).
const { HyperFormula, CellError, ErrorType } = require('hyperformula')
const { translationsFor, blankCellsBeyond } = require('./common')
const build = require('../patches/fastlookup_build')
const { LookupFunctions, internals: lookup } = require('./lookup')
const { hasWildcard, wildcardRegExp, lookupKey, readCells, vectorCells } = lookup

const { ConditionalAggregationPlugin, EmptyValue, getRawValue, ErrorMessage } = require('../internals')

// The graph-build half (patches/fastlookup_build.js) is installed with the other patches.
const DISABLED = process.env.CAPITALLENS_NO_FASTLOOKUP === '1'

const CACHE = 'fastlookup:'

// ------------------------------------------------------------------ values and text

// A cell's value as the comparisons see it: formatted numbers (dates, percents) as numbers.
function raw (value) {
  return value !== null && typeof value === 'object' && !(value instanceof CellError) ? getRawValue(value) : value
}

// The text of a cell or key as compared: folded per config (caseSensitive, accentSensitive).
function normalizer (arithmeticHelper) {
  return (text) => arithmeticHelper.normalizeString(text)
}

// ------------------------------------------------------------------ range access

function rangeVertexOf (dependencyGraph, rangeValue) {
  const range = rangeValue && rangeValue.range
  if (range === undefined) return undefined
  return dependencyGraph.getRange(range.start, range.end)
}

// Per range vertex and part: the cells, cached until HyperFormula recomputes the range.
function cachedCells (dependencyGraph, vertex, part, offset = 0) {
  const key = `${CACHE}cells:${part}:${offset}`
  let entry = vertex.getFunctionValue(key)
  if (entry === undefined) {
    entry = { values: readCells(dependencyGraph, vertex.range, part, offset) }
    vertex.setFunctionValue(key, entry)
  }
  return entry
}

// The cells of a range argument, cached on its range vertex when it has one; otherwise (a one-cell
// range, an array, a range computed at run time) read for this call only, with the same rules.
function cellsEntry (dependencyGraph, rangeValue, part, offset = 0) {
  const vertex = rangeVertexOf(dependencyGraph, rangeValue)
  if (vertex !== undefined) return cachedCells(dependencyGraph, vertex, part, offset)
  return { values: vectorCells(dependencyGraph, rangeValue, part, offset) }
}

// ------------------------------------------------------------------ exact-match lookups

// value key -> [first, last] position; wildcard pattern -> [first, last] (memo).
function lookupIndex (entry, normalize) {
  if (entry.lookup === undefined) {
    const first = new Map()
    const last = new Map()
    const values = entry.values
    for (let i = 0; i < values.length; i++) {
      const key = lookupKey(values[i], normalize)
      if (key === undefined) continue
      if (!first.has(key)) first.set(key, i)
      last.set(key, i)
    }
    entry.lookup = { first, last, patterns: new Map() }
  }
  return entry.lookup
}

// Position of `key` in the cached vector, or -1. `wildcards`: a text key with * ? ~ is a pattern.
// The same answer as lookup.js's exactPosition scan, from the index.
function findExact (entry, key, wildcards, occurrence, normalize) {
  const index = lookupIndex(entry, normalize)
  const v = raw(key)
  if (wildcards && typeof v === 'string' && hasWildcard(v)) {
    const pattern = normalize(v)
    let found = index.patterns.get(pattern)
    if (found === undefined) {
      const re = wildcardRegExp(pattern)
      found = [-1, -1]
      const values = entry.values
      for (let i = 0; i < values.length; i++) {
        const cell = values[i]
        if (typeof cell === 'string' && re.test(normalize(cell))) {
          if (found[0] === -1) found[0] = i
          found[1] = i
        }
      }
      index.patterns.set(pattern, found)
    }
    return occurrence === 'last' ? found[1] : found[0]
  }
  const k = lookupKey(v, normalize)
  if (k === undefined) return -1
  const map = occurrence === 'last' ? index.last : index.first
  const i = map.get(k)
  return i === undefined ? -1 : i
}

// lookup.js's functions (Excel's search rules), with the vectors cached per range and exact
// matches answered from the index. Approximate searches run on the cached vector: a binary
// search costs O(log n) once the vector is read.
class FastLookup extends LookupFunctions {
  lookupVector (rangeValue, part, offset = 0) {
    return cellsEntry(this.dependencyGraph, rangeValue, part, offset)
  }

  exactIn (entry, key, wildcards, occurrence) {
    return findExact(entry, key, wildcards, occurrence, normalizer(this.arithmeticHelper))
  }
}

const LOOKUP_FUNCTIONS = ['VLOOKUP', 'HLOOKUP', 'MATCH', 'XLOOKUP', 'XMATCH', 'LOOKUP']
FastLookup.implementedFunctions = Object.fromEntries(LOOKUP_FUNCTIONS.map((name) =>
  [name, { ...LookupFunctions.implementedFunctions[name] }]))

// ------------------------------------------------------------------ criteria

const OPERATORS = ['<=', '>=', '<>', '<', '>', '=']

// A criterion as Excel reads it: {test(rawCell), indexed?: {kind, key}, key (cache)}, or
// undefined when HyperFormula's parser would reject it too (#VALUE!).
function parseCriterion (criterion, helper, normalize, booleans) {
  let c = raw(criterion)
  if (c instanceof CellError) return { test: (v) => sameError(v, c) }
  if (c === EmptyValue) c = 0 // "a reference to an empty cell is treated as 0" (COUNTIFS docs)
  if (typeof c === 'number') return numberCriterion('=', c, helper)
  if (typeof c === 'boolean') return booleanCriterion('=', c)
  if (typeof c !== 'string') return undefined
  if (c === '') return { test: (v) => v === EmptyValue || v === '' }
  let operator = '='
  let text = c
  for (const op of OPERATORS) {
    if (c.startsWith(op)) {
      operator = op
      text = c.slice(op.length)
      break
    }
  }
  if (text === '') {
    if (operator === '=') return { test: (v) => v === EmptyValue }
    if (operator === '<>') return { test: (v) => v !== EmptyValue }
    return { test: () => false }
  }
  const error = ERROR_LITERALS[text.toUpperCase()]
  if (error !== undefined && (operator === '=' || operator === '<>')) {
    // "#N/A" (typed, or "="&"#N/A") matches the cells holding that error, not the text.
    const matches = (v) => sameError(v, error)
    return operator === '=' ? { test: matches } : { test: (v) => !matches(v) }
  }
  const number = helper.coerceToMaybeNumber(text)
  if (number !== undefined) return numberCriterion(operator, getRawValue(number), helper)
  const lower = text.toLowerCase()
  if (lower === booleans[0] || lower === booleans[1]) return booleanCriterion(operator, lower === booleans[0])
  return textCriterion(operator, text, helper, normalize)
}

function numberCriterion (operator, n, helper) {
  // A cell matches "=n" when it is the number n, or text that reads as n (Excel's COUNTIF does so).
  const asNumber = (v) => {
    if (typeof v === 'number') return v
    if (typeof v === 'string' && v !== '') {
      const coerced = helper.coerceToMaybeNumber(v)
      return coerced === undefined ? undefined : getRawValue(coerced)
    }
    return undefined
  }
  switch (operator) {
    case '=': return { test: (v) => asNumber(v) === n, indexed: { kind: 'number', key: n } }
    // ...but "<>n" leaves out only the number n: the text "23" is counted by "<>23".
    case '<>': return { test: (v) => typeof v !== 'number' || v !== n }
    case '<': return { test: (v) => typeof v === 'number' && v < n }
    case '<=': return { test: (v) => typeof v === 'number' && v <= n }
    case '>': return { test: (v) => typeof v === 'number' && v > n }
    default: return { test: (v) => typeof v === 'number' && v >= n }
  }
}

// "<=TRUE" compares booleans with booleans (FALSE < TRUE), as Excel's SUMIF(I:J,"<=TRUE",F:G) does.
function booleanCriterion (operator, b) {
  if (operator === '=') return { test: (v) => v === b, indexed: { kind: 'boolean', key: b } }
  if (operator === '<>') return { test: (v) => v !== b }
  const compare = { '<': (x) => x < b, '<=': (x) => x <= b, '>': (x) => x > b, '>=': (x) => x >= b }[operator]
  return { test: (v) => typeof v === 'boolean' && compare(v) }
}

// Error values written as criteria text: COUNTIF(R2:R15, "#DIV/0!") counts the #DIV/0! cells.
const ERROR_LITERALS = Object.fromEntries([
  ['#DIV/0!', ErrorType.DIV_BY_ZERO], ['#N/A', ErrorType.NA], ['#NAME?', ErrorType.NAME],
  ['#NUM!', ErrorType.NUM], ['#REF!', ErrorType.REF], ['#VALUE!', ErrorType.VALUE],
].map(([text, type]) => [text, new CellError(type)]))

function sameError (v, error) {
  return v instanceof CellError && v.type === error.type && (v.type !== ErrorType.ERROR || v.message === error.message)
}

function textCriterion (operator, text, helper, normalize) {
  const pattern = normalize(text)
  if (operator === '=' || operator === '<>') {
    let matches
    let indexed
    if (hasWildcard(text)) {
      const re = wildcardRegExp(pattern)
      matches = (v) => typeof v === 'string' && re.test(normalize(v))
    } else {
      matches = (v) => typeof v === 'string' && normalize(v) === pattern
      indexed = { kind: 'text', key: pattern }
    }
    return operator === '=' ? { test: matches, indexed } : { test: (v) => !matches(v) }
  }
  // Text compared with text, in the collation HyperFormula sorts with.
  const cmp = (v) => helper.collator.compare(v, text)
  switch (operator) {
    case '<': return { test: (v) => typeof v === 'string' && cmp(v) < 0 }
    case '<=': return { test: (v) => typeof v === 'string' && cmp(v) <= 0 }
    case '>': return { test: (v) => typeof v === 'string' && cmp(v) > 0 }
    default: return { test: (v) => typeof v === 'string' && cmp(v) >= 0 }
  }
}

function criterionKey (criterion) {
  const c = raw(criterion)
  return c === EmptyValue ? 'empty' : `${typeof c}:${String(c)}`
}

// Ascending positions of a criteria range's cells, per kind and value; built on first use.
function positionsIndex (entry, kind, helper, normalize) {
  entry.positions = entry.positions || {}
  let map = entry.positions[kind]
  if (map !== undefined) return map
  map = new Map()
  const add = (key, i) => {
    const list = map.get(key)
    if (list === undefined) map.set(key, [i])
    else list.push(i)
  }
  const values = entry.values
  for (let i = 0; i < values.length; i++) {
    const v = raw(values[i])
    if (kind === 'number') {
      if (typeof v === 'number') add(v, i)
      else if (typeof v === 'string' && v !== '') {
        const n = helper.coerceToMaybeNumber(v)
        if (n !== undefined) add(getRawValue(n), i)
      }
    } else if (kind === 'text') {
      if (typeof v === 'string') add(normalize(v), i)
    } else if (typeof v === 'boolean') {
      add(v, i)
    }
  }
  entry.positions[kind] = map
  return map
}

// SUMIF(S), COUNTIF(S), AVERAGEIF(S), MINIFS, MAXIFS: HyperFormula's arguments, reduce and map
// functions; the matching cells come from the index and each distinct set of criteria is
// computed once per evaluation pass.
function computeConditional (self, valuesRange, conditionArgs, functionName, reduceInitialValue, composeFunction, mapFunction, fallback) {
  if (self.arithmeticHelper.actualEps !== 0 || !self.config.useWildcards || self.config.useRegularExpressions ||
      self.config.matchWholeCell === false) {
    return fallback()
  }
  const helper = self.arithmeticHelper
  const normalize = normalizer(helper)
  const booleans = booleanWords(self)
  const conditions = []
  for (let i = 0; i < conditionArgs.length; i += 2) {
    const criterion = parseCriterion(conditionArgs[i + 1], helper, normalize, booleans)
    if (criterion === undefined) return new CellError(ErrorType.VALUE, ErrorMessage.BadCriterion)
    conditions.push({ range: conditionArgs[i], criterion, key: criterionKey(conditionArgs[i + 1]) })
  }
  for (const condition of conditions) {
    if (!condition.range.sameDimensionsAs(valuesRange)) return new CellError(ErrorType.VALUE, ErrorMessage.EqualLength)
  }
  const graph = self.dependencyGraph
  const valuesVertex = rangeVertexOf(graph, valuesRange)
  const conditionVertices = conditions.map((c) => rangeVertexOf(graph, c.range))
  if (!valuesVertex || conditionVertices.some((v) => v === undefined)) {
    // Nothing to cache on (a one-cell range, an array): the same rules, for this call only.
    const entries = conditions.map((c) => cellsEntry(graph, c.range, 'all'))
    return aggregate(conditions, entries, cellsEntry(graph, valuesRange, 'all').values, reduceInitialValue, composeFunction, mapFunction, helper, normalize, functionName)
  }

  const cacheKey = CACHE + functionName + ':' + conditions.map((c) => {
    const r = c.range.range
    return `${r.sheet},${r.start.col},${r.start.row},${r.end.col},${r.end.row}`
  }).join(';')
  let results = valuesVertex.criterionFunctionCache.get(cacheKey)
  if (results === undefined) {
    results = new Map()
    valuesVertex.setCriterionFunctionValues(cacheKey, results)
    // A change in a criteria range clears this cache too (HyperFormula's own mechanism).
    for (const vertex of conditionVertices) vertex.addDependentCacheRange(valuesVertex)
  }
  const resultKey = conditions.map((c) => c.key).join('\u0000')
  const cached = results.get(resultKey)
  if (cached !== undefined) return cached

  const entries = conditionVertices.map((vertex) => cachedCells(graph, vertex, 'all'))
  const values = cachedCells(graph, valuesVertex, 'all').values
  const acc = aggregate(conditions, entries, values, reduceInitialValue, composeFunction, mapFunction, helper, normalize, functionName)
  results.set(resultKey, acc)
  return acc
}

// Reduce the values at the positions that meet every condition, in ascending order (the order
// the built-in adds them in, so sums are bit-identical). An error among the values to reduce
// is the result, as in Excel (AVERAGEIF(B2:B10, NA()) over a #N/A cell is #N/A; HyperFormula's
// AVERAGEIF, MINIFS and MAXIFS skip it); COUNTIF(S) count cells and reduce no value.
function aggregate (conditions, entries, values, reduceInitialValue, composeFunction, mapFunction, helper, normalize, functionName) {
  const errorsCount = !functionName.startsWith('COUNTIF')
  // The indexed condition with the fewest matches drives; the others are tested on its positions.
  let driver = null
  let driverAt = -1
  conditions.forEach((c, k) => {
    if (!c.criterion.indexed) return
    const { kind, key } = c.criterion.indexed
    const list = positionsIndex(entries[k], kind, helper, normalize).get(key) || []
    if (driver === null || list.length < driver.length) {
      driver = list
      driverAt = k
    }
  })
  const others = conditions.map((c, k) => [c.criterion.test, entries[k].values]).filter((_, k) => k !== driverAt)
  let acc = reduceInitialValue
  let failed
  const visit = (i) => {
    for (let k = 0; k < others.length; k++) {
      if (!others[k][0](raw(others[k][1][i]))) return
    }
    if (errorsCount && values[i] instanceof CellError) failed = values[i]
    else acc = composeFunction(acc, mapFunction(values[i]))
  }
  if (driver !== null) {
    for (let j = 0; j < driver.length && failed === undefined; j++) visit(driver[j])
  } else {
    for (let i = 0; i < values.length && failed === undefined; i++) visit(i)
  }
  return failed === undefined ? acc : failed
}

function booleanWords (self) {
  const pack = self.config.translationPackage
  const t = pack && pack.getMaybeFunctionTranslation('TRUE')
  const f = pack && pack.getMaybeFunctionTranslation('FALSE')
  return [t ? t.toLowerCase() : 'true', f ? f.toLowerCase() : 'false']
}

function withFastCriteria (Base) {
  return class extends Base {
    computeConditionalAggregationFunction (valuesRange, conditionArgs, functionName, init, compose, map) {
      const result = computeConditional(this, valuesRange, conditionArgs, functionName, init, compose, map,
        () => super.computeConditionalAggregationFunction(valuesRange, conditionArgs, functionName, init, compose, map))
      return functionName.startsWith('COUNTIF') && typeof result === 'number'
        ? result + blanksMatched(this, conditionArgs)
        : result
    }
  }
}

// COUNTIF(S) over whole columns or rows: the cells past the used area are blank in every
// range, and count when every criterion matches a blank (COUNTIFS(2:2, "<>"&B2) counts the
// empty cells of the row to column XFD, as Excel does).
function blanksMatched (self, conditionArgs) {
  const beyond = blankCellsBeyond(conditionArgs[0], self.config)
  if (beyond === 0) return 0
  const helper = self.arithmeticHelper
  const normalize = normalizer(helper)
  const booleans = booleanWords(self)
  for (let i = 0; i < conditionArgs.length; i += 2) {
    if (blankCellsBeyond(conditionArgs[i], self.config) !== beyond) return 0
    const criterion = parseCriterion(conditionArgs[i + 1], helper, normalize, booleans)
    if (criterion === undefined || !criterion.test(raw(EmptyValue))) return 0
  }
  return beyond
}

const CRITERIA_FUNCTIONS = ['SUMIF', 'SUMIFS', 'COUNTIF', 'COUNTIFS', 'AVERAGEIF', 'MINIFS', 'MAXIFS']
const FastCriteria = withFastCriteria(ConditionalAggregationPlugin)

// An error given as a criterion matches the cells holding that error (Excel: COUNTIF(B2:B10,
// NA()) counts the #N/A cells; SUMIF(K:L, K1, M:N) with K1 #VALUE! sums the matching M cells).
// HyperFormula declares criteria NOERROR, which returns the error before the function runs:
// SCALAR lets it through to parseCriterion.
const errorsAsCriteria = (metadata) => ({
  ...metadata,
  parameters: metadata.parameters.map((p) => (p.argumentType === 'NOERROR' ? { ...p, argumentType: 'SCALAR' } : p)),
})
FastCriteria.implementedFunctions = Object.fromEntries(CRITERIA_FUNCTIONS.map((name) =>
  [name, errorsAsCriteria(ConditionalAggregationPlugin.implementedFunctions[name])]))

// HyperFormula wants each function's method (and array-size method) on the plugin's own
// prototype: forward the inherited ones.
function ownMethods (Plugin) {
  for (const meta of Object.values(Plugin.implementedFunctions)) {
    for (const name of [meta.method, meta.sizeOfResultArrayMethod]) {
      if (name && !Object.prototype.hasOwnProperty.call(Plugin.prototype, name)) {
        const inherited = Object.getPrototypeOf(Plugin.prototype)[name]
        Object.defineProperty(Plugin.prototype, name, { value: function (...args) { return inherited.apply(this, args) }, writable: true, configurable: true })
      }
    }
  }
  return Plugin
}
ownMethods(FastLookup)
ownMethods(FastCriteria)

const plugins = [
  { plugin: FastLookup, translations: translationsFor(FastLookup) },
  { plugin: FastCriteria, translations: translationsFor(FastCriteria) },
]

// AVERAGEIFS is stats.js's (HyperFormula has none): the same speed-up on its class.
const averageIfs = require('./stats').find(({ plugin }) => plugin.implementedFunctions && plugin.implementedFunctions.AVERAGEIFS)
if (averageIfs && averageIfs.plugin.prototype instanceof ConditionalAggregationPlugin) {
  const FastAverageIfs = withFastCriteria(averageIfs.plugin)
  FastAverageIfs.implementedFunctions = { AVERAGEIFS: errorsAsCriteria(averageIfs.plugin.implementedFunctions.AVERAGEIFS) }
  ownMethods(FastAverageIfs)
  plugins.push({ plugin: FastAverageIfs, translations: translationsFor(FastAverageIfs) })
}

// For tests and the benchmark: turn the overrides off with CAPITALLENS_NO_FASTLOOKUP=1.
module.exports = DISABLED ? [] : plugins
module.exports.internals = { wildcardRegExp, parseCriterion, build, FastLookup, FastCriteria, HyperFormula }
