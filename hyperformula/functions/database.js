'use strict'
// Excel's database functions (DAVERAGE, DCOUNT, DCOUNTA, DGET, DMAX, DMIN, DPRODUCT, DSTDEV,
// DSTDEVP, DSUM, DVAR, DVARP), replacing HyperFormula 3.5's built-ins, which differ from Excel
// on labels that are numbers or booleans, criteria labels absent from the database, text
// conditions (Excel: "begins with") and a database without records.
//
// Sources: Microsoft's page of each function ("DSUM function", "DGET function", ...), "Examples
// of complex criteria" and "Filter by using advanced criteria"; and the cells Excel saved in the
// corpus's IronCalc DATABASE test workbooks, from which the rules marked (saved) were derived.
//
// - database: its first row holds the labels, the rows below are the records; no record row is
//   #VALUE! (saved).
// - field: a label (text, compared with the labels' text case-insensitively, so "1" names a
//   label that is the number 1 and "true" one that is TRUE, first such column wins) or a 1-based
//   column index (truncated; TRUE is 1); anything else, an unknown label, an index out of range
//   or a range of several cells is #VALUE! (saved). DCOUNT and DCOUNTA may omit it: they count
//   the matching records.
// - criteria: the first row holds labels; each row below is a set of conditions joined by AND,
//   the rows are joined by OR; an empty cell is no condition (an empty row matches every
//   record). A condition under a label that names no database column (or a blank label) is never
//   met, an empty one is ignored (saved).
// - a condition: a number, boolean or error matches the equal value; text starting with an
//   operator (=, <>, <, <=, >, >=) compares: with a number (or a date written as text,
//   ">=2024-07-01") only numbers, with TRUE/FALSE only booleans, otherwise only text,
//   case-insensitively, with wildcards * ? ~ for = and <>; "=" alone matches blank cells and
//   "<>" alone non-blank ones; <> is met by every value of another kind (blanks and errors too).
//   Text without an operator matches text that begins with it (case-insensitive, wildcards),
//   and, when it reads as a number or a boolean, that value.
// - results: DCOUNT counts numbers, DCOUNTA non-blank cells (errors included); the others use
//   the numbers only, and an error in the field of a matching record is the result.
//   DSUM, DMAX, DMIN and DPRODUCT of no number are 0 (saved, DPRODUCT); DAVERAGE #DIV/0!,
//   DVAR and DSTDEV need two numbers, DVARP and DSTDEVP one (#DIV/0!). DGET: no match #VALUE!,
//   several #NUM!.
//
// Not done: computed criteria (a formula under a blank label that Excel evaluates again for each
// record); here its value is a condition like any other, under a blank label never met.
const { FunctionPlugin, FunctionArgumentType: T, CellError, SimpleRangeValue } = require('hyperformula')
const { error, translationsFor, isNumber, rawNumber, isEmpty, mean, variance, sqrtOf, numbersIn } = require('./common')
const { numberText } = require('./number_text')
const { wildcardRegExp } = require('./lookup').internals

// ------------------------------------------------------------------ labels and field

// The text a label is compared by: Excel reads number and boolean labels as their text.
function labelText (value) {
  if (typeof value === 'string') return value
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (isNumber(value)) return numberText(rawNumber(value))
  return undefined // blank or error: names no column
}

// Index of the first database label equal to `value` (as text, case-insensitive), or -1.
function labelIndex (labels, value, normalize) {
  const text = labelText(value)
  if (text === undefined || text === '') return -1
  const wanted = normalize(text)
  return labels.findIndex((label) => {
    const t = labelText(label)
    return t !== undefined && normalize(t) === wanted
  })
}

// The field argument as a column index, null when omitted (allowed: DCOUNT, DCOUNTA), or an error.
function fieldColumn (labels, field, normalize, optional) {
  if (field instanceof SimpleRangeValue) {
    if (field.width() !== 1 || field.height() !== 1) return error('VALUE', 'The field is a range of several cells')
    field = field.data[0][0]
  }
  if (field instanceof CellError) return field
  if (isEmpty(field)) return optional ? null : error('VALUE', 'No field given')
  if (typeof field === 'string') {
    const i = labelIndex(labels, field, normalize)
    return i < 0 ? error('VALUE', `No database column is labelled "${field}"`) : i
  }
  const index = Math.trunc(typeof field === 'boolean' ? Number(field) : rawNumber(field))
  if (!(index >= 1 && index <= labels.length)) return error('VALUE', 'The field index is outside the database')
  return index - 1
}

// ------------------------------------------------------------------ conditions

const OPERATOR = /^(<=|>=|<>|=|<|>)([\s\S]*)$/

const NEVER = () => false
const ALWAYS = () => true

// Whether a comparison result (negative, 0, positive) satisfies the operator.
function holds (op, cmp) {
  switch (op) {
    case '=': return cmp === 0
    case '<>': return cmp !== 0
    case '<': return cmp < 0
    case '<=': return cmp <= 0
    case '>': return cmp > 0
    default: return cmp >= 0 // '>='
  }
}

// A predicate comparing a cell with `operand` when the cell is of the operand's kind (`isKind`,
// `value` reads it). A cell of another kind meets only <>.
function kindTest (op, isKind, value, compare) {
  return (cell) => (isKind(cell) ? holds(op, compare(value(cell))) : op === '<>')
}

// The operand of a text condition read as a boolean or a number (a date as text is its serial
// number), or undefined when it is text.
function typedOperand (operand, helper) {
  if (/^(true|false)$/i.test(operand)) return operand.toUpperCase() === 'TRUE'
  if (operand.trim() === '') return undefined
  const number = helper.coerceToMaybeNumber(operand)
  return number === undefined ? undefined : rawNumber(number)
}

function typedTest (op, v) {
  if (typeof v === 'boolean') return kindTest(op, (c) => typeof c === 'boolean', (c) => c, (c) => Number(c) - Number(v))
  return kindTest(op, isNumber, rawNumber, (c) => (c === v ? 0 : c < v ? -1 : 1))
}

function textTest (op, operand, ctx) {
  const isText = (c) => typeof c === 'string'
  if (op === '=' || op === '<>') {
    const re = wildcardRegExp(ctx.normalize(operand))
    const equal = (c) => isText(c) && re.test(ctx.normalize(c))
    return op === '=' ? equal : (c) => !equal(c)
  }
  return kindTest(op, isText, (c) => c, (c) => ctx.compareText(c, operand))
}

// Text with an operator.
function operatorTest (op, operand, ctx) {
  if (operand === '') {
    if (op === '=') return isEmpty
    if (op === '<>') return (cell) => !isEmpty(cell)
  }
  const typed = typedOperand(operand, ctx.helper)
  return typed === undefined ? textTest(op, operand, ctx) : typedTest(op, typed)
}

// Text without an operator: text beginning with it, or the number or boolean it reads as.
function beginsWithTest (text, ctx) {
  const whole = wildcardRegExp(ctx.normalize(text))
  const prefix = new RegExp(whole.source.replace(/\$$/, ''))
  const typed = typedOperand(text, ctx.helper)
  const equal = typed === undefined ? NEVER : typedTest('=', typed)
  return (cell) => (typeof cell === 'string' ? prefix.test(ctx.normalize(cell)) : equal(cell))
}

// A predicate on a database cell for one criteria cell.
function conditionTest (condition, ctx) {
  if (condition instanceof CellError) return (cell) => cell instanceof CellError && cell.type === condition.type
  if (typeof condition === 'boolean') return (cell) => cell === condition
  if (isNumber(condition)) return typedTest('=', rawNumber(condition))
  const match = OPERATOR.exec(condition)
  return match ? operatorTest(match[1], match[2], ctx) : beginsWithTest(condition, ctx)
}

// The criteria range as a list of rows (joined by OR), each a list of [column, predicate]
// (joined by AND); a row with a condition under an unknown label is dropped (never met).
function criteriaRows (labels, criteria, ctx) {
  const [head, ...rows] = criteria
  const columns = head.map((label) => labelIndex(labels, label, ctx.normalize))
  const out = []
  for (const row of rows) {
    const tests = []
    let possible = true
    row.forEach((condition, j) => {
      if (isEmpty(condition) || condition === '') return
      if (columns[j] < 0) possible = false
      else tests.push([columns[j], conditionTest(condition, ctx)])
    })
    if (possible) out.push(tests)
  }
  return out
}

function matches (record, rows) {
  return rows.some((tests) => tests.every(([col, test]) => test(record[col])))
}

// ------------------------------------------------------------------ aggregations

// The numbers of the field cells, or the first error among them.

function withNumbers (reduce) {
  return (cells) => {
    const xs = numbersIn(cells)
    return xs instanceof CellError ? xs : reduce(xs)
  }
}

// Per function: how the field cells of the matching records become the result (DCOUNT and
// DCOUNTA without a field count the records instead, in database()).
const REDUCERS = {
  DCOUNT: (cells) => cells.filter(isNumber).length,
  DCOUNTA: (cells) => cells.filter((c) => !isEmpty(c)).length,
  DGET: (cells) => {
    if (cells.length === 0) return error('VALUE', 'No record matches the criteria')
    if (cells.length > 1) return error('NUM', 'Several records match the criteria')
    return isEmpty(cells[0]) ? 0 : cells[0]
  },
  DSUM: withNumbers((xs) => xs.reduce((a, b) => a + b, 0)),
  DPRODUCT: withNumbers((xs) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a * b, 1))),
  DMAX: withNumbers((xs) => (xs.length === 0 ? 0 : xs.reduce((a, b) => Math.max(a, b)))), // no spread: long columns
  DMIN: withNumbers((xs) => (xs.length === 0 ? 0 : xs.reduce((a, b) => Math.min(a, b)))),
  DAVERAGE: withNumbers((xs) => (xs.length === 0 ? error('DIV_BY_ZERO', 'No number in the matching records') : mean(xs))),
  DVAR: withNumbers((xs) => variance(xs, true)),
  DVARP: withNumbers((xs) => variance(xs, false)),
  DSTDEV: withNumbers((xs) => sqrtOf(variance(xs, true))),
  DSTDEVP: withNumbers((xs) => sqrtOf(variance(xs, false))),
}

const FIELD_OPTIONAL = new Set(['DCOUNT', 'DCOUNTA'])

function rangeRows (value) {
  return value instanceof SimpleRangeValue ? value.data : undefined
}

class DatabaseFunctions extends FunctionPlugin {
  // The comparisons follow the engine's config (case folding, accents, collation).
  context () {
    const helper = this.arithmeticHelper
    return { helper, normalize: (t) => helper.normalizeString(t), compareText: (a, b) => helper.stringCmp(a, b) }
  }

  database (name, ast, state) {
    return this.runFunction(ast.args, state, this.metadata(name), (database, field, criteria) => {
      const db = rangeRows(database)
      const crit = rangeRows(criteria)
      if (db === undefined || db.length < 2) return error('VALUE', 'The database has no record below its labels')
      if (crit === undefined || crit.length < 2) return error('VALUE', 'The criteria have no row below their labels')
      const ctx = this.context()
      const col = fieldColumn(db[0], field, ctx.normalize, FIELD_OPTIONAL.has(name))
      if (col instanceof CellError) return col
      const rows = criteriaRows(db[0], crit, ctx)
      const records = db.slice(1).filter((record) => matches(record, rows))
      if (col === null) return records.length
      return REDUCERS[name](records.map((record) => record[col]))
    })
  }
}

const PARAMETERS = [{ argumentType: T.RANGE }, { argumentType: T.ANY }, { argumentType: T.RANGE }]

DatabaseFunctions.implementedFunctions = {}
for (const name of Object.keys(REDUCERS)) {
  const method = name.toLowerCase()
  DatabaseFunctions.prototype[method] = function (ast, state) { return this.database(name, ast, state) }
  DatabaseFunctions.implementedFunctions[name] = { method, parameters: PARAMETERS }
}

module.exports = [{ plugin: DatabaseFunctions, translations: translationsFor(DatabaseFunctions) }]
