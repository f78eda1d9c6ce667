'use strict'
// FILTERXML(xml, xpath): https://support.microsoft.com/office/filterxml-function-4df72efc-11ec-4951-86f5-c1374812f5b7
// No service is called (unlike WEBSERVICE): the XML is text the workbook computes, often
// "<t><s>" & SUBSTITUTE(A1, ",", "</s><s>") & "</s></t>" to split a string. The answer is
// one value, or a column of values when several nodes match; text that reads as a number is
// a number; no match, a malformed document or an XPath outside the subset below is #VALUE!.
// XPath subset: absolute and relative location paths with / and //, name tests, *, text(),
// node(), @name, @*, . and ..; predicates: a position (n, last(), last()-n), position() and
// value comparisons (=, !=, <, <=, >, >=) of ., text(), a child or an @attribute against a
// literal or a number, contains() and starts-with(), joined by `and` / `or`.
// Not covered: other axes (ancestor::, following-sibling::...), unions (|), functions
// beyond those above, namespaces (prefixes are kept as part of the name).
// The result's size is the range the file saved for the array formula, else one cell.
const { FunctionPlugin, FunctionArgumentType: T, SimpleRangeValue, ArraySize } = require('hyperformula')
const { error, translationsFor } = require('./common')
const { declaredSize } = require('../context')

// ---------------------------------------------------------------- XML

const ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

function decode (text) {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (all, e) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10))
    if (e in ENTITIES) return ENTITIES[e]
    throw new Error(`unknown entity ${all}`)
  })
}

// A document node { children } of elements { name, attributes, children, parent } and text
// nodes { text, parent }; throws on malformed input.
function parseXml (source) {
  const root = { name: '#document', attributes: {}, children: [], parent: null }
  let node = root
  let i = 0
  const pattern = /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<\/\s*([^\s>]+)\s*>|<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<|[^<]+/g
  let m
  while ((m = pattern.exec(source)) !== null) {
    const token = m[0]
    i = pattern.lastIndex
    if (token.startsWith('<!--') || token.startsWith('<?') || token.startsWith('<!DOCTYPE')) continue
    if (token.startsWith('<![CDATA[')) {
      node.children.push({ text: m[1], parent: node })
    } else if (m[2]) {
      if (node.name !== m[2]) throw new Error(`</${m[2]}> closes <${node.name}>`)
      node = node.parent
    } else if (m[3]) {
      const attributes = {}
      for (const a of m[4].matchAll(/([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attributes[a[1]] = decode(a[2] ?? a[3])
      const element = { name: m[3], attributes, children: [], parent: node }
      node.children.push(element)
      if (!m[5]) node = element
    } else if (token === '<') {
      throw new Error('stray <')
    } else {
      if (node === root && token.trim()) throw new Error('text outside the root element')
      node.children.push({ text: decode(token), parent: node })
    }
  }
  if (i !== source.length || node !== root) throw new Error('unclosed element')
  if (root.children.filter((c) => c.name).length !== 1) throw new Error('one root element expected')
  return root
}

function stringValue (node) {
  if (node.text !== undefined) return node.text
  if (node.attribute !== undefined) return node.value
  return node.children.map(stringValue).join('')
}

// ---------------------------------------------------------------- XPath subset

// Split at `sep` outside brackets, parentheses and quotes.
function splitTop (text, sep) {
  const parts = []
  let depth = 0
  let quote = null
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote) {
      if (c === quote) quote = null
    } else if (c === '"' || c === "'") quote = c
    else if (c === '[' || c === '(') depth++
    else if (c === ']' || c === ')') depth--
    else if (depth === 0 && text.startsWith(sep, i)) {
      parts.push(text.slice(start, i))
      start = i + sep.length
      i += sep.length - 1
    }
  }
  parts.push(text.slice(start))
  return parts
}

// "a//b[1]/@c" -> [{ descendants, test, predicates }]
function parsePath (xpath) {
  let rest = xpath.trim()
  const absolute = rest.startsWith('/')
  const steps = []
  let descendants = false
  if (rest.startsWith('//')) {
    descendants = true
    rest = rest.slice(2)
  } else if (absolute) {
    rest = rest.slice(1)
  }
  if (rest === '') return { absolute, steps }
  for (const raw of splitTop(rest, '/')) {
    if (raw === '') {
      descendants = true
      continue
    }
    const open = raw.indexOf('[')
    const test = (open === -1 ? raw : raw.slice(0, open)).trim()
    const predicates = []
    if (open !== -1) {
      let depth = 0
      let start = -1
      for (let i = open; i < raw.length; i++) {
        if (raw[i] === '[') {
          if (depth++ === 0) start = i + 1
        } else if (raw[i] === ']' && --depth === 0) predicates.push(raw.slice(start, i))
      }
      if (depth !== 0) throw new Error('unbalanced [')
    }
    if (!/^(\*|\.|\.\.|text\(\)|node\(\)|@\*|@?[A-Za-z_][\w.:-]*)$/.test(test)) throw new Error(`unsupported step ${test}`)
    steps.push({ descendants, test, predicates })
    descendants = false
  }
  return { absolute, steps }
}

function descendantsOrSelf (node, out = []) {
  out.push(node)
  for (const child of node.children || []) descendantsOrSelf(child, out)
  return out
}

function candidates (node, test) {
  if (test === '.') return [node]
  if (test === '..') return node.parent ? [node.parent] : []
  if (test.startsWith('@')) {
    const attributes = node.attributes || {}
    const names = test === '@*' ? Object.keys(attributes) : Object.keys(attributes).filter((n) => n === test.slice(1))
    return names.map((n) => ({ attribute: n, value: attributes[n], parent: node }))
  }
  const children = node.children || []
  if (test === 'node()') return children
  if (test === 'text()') return children.filter((c) => c.text !== undefined)
  if (test === '*') return children.filter((c) => c.name)
  return children.filter((c) => c.name === test)
}

function evaluatePath (context, path, root) {
  let nodes = path.absolute ? [root] : [context]
  for (const step of path.steps) {
    const next = []
    for (const node of nodes) {
      const origins = step.descendants ? descendantsOrSelf(node) : [node]
      for (const origin of origins) {
        let found = candidates(origin, step.test)
        for (const predicate of step.predicates) {
          found = found.filter((candidate, k) => truth(predicate, candidate, k + 1, found.length, root))
        }
        for (const f of found) if (!next.includes(f)) next.push(f)
      }
    }
    nodes = next
  }
  return nodes
}

const COMPARE = /^(.+?)\s*(!=|<=|>=|=|<|>)\s*(.+)$/

function operand (text, node, position, size, root) {
  const t = text.trim()
  if (/^(['"]).*\1$/.test(t)) return [t.slice(1, -1)]
  if (/^-?\d+(\.\d+)?$/.test(t)) return [Number(t)]
  if (t === 'position()') return [position]
  if (t === 'last()') return [size]
  const last = /^last\(\)\s*-\s*(\d+)$/.exec(t)
  if (last) return [size - Number(last[1])]
  return evaluatePath(node, parsePath(t), root).map(stringValue)
}

function compare (a, op, b) {
  const numeric = typeof a === 'number' || typeof b === 'number' || !['=', '!='].includes(op)
  const x = numeric ? Number(a) : a
  const y = numeric ? Number(b) : b
  switch (op) {
    case '=': return x === y
    case '!=': return x !== y
    case '<': return x < y
    case '<=': return x <= y
    case '>': return x > y
    default: return x >= y
  }
}

function truth (predicate, node, position, size, root) {
  const p = predicate.trim()
  const ors = splitTop(p, ' or ')
  if (ors.length > 1) return ors.some((part) => truth(part, node, position, size, root))
  const ands = splitTop(p, ' and ')
  if (ands.length > 1) return ands.every((part) => truth(part, node, position, size, root))
  if (p.startsWith('(') && p.endsWith(')')) return truth(p.slice(1, -1), node, position, size, root)
  const call = /^(contains|starts-with)\((.+)\)$/.exec(p)
  if (call) {
    const [a, b] = splitTop(call[2], ',')
    if (b === undefined) throw new Error(`${call[1]} takes two arguments`)
    const left = operand(a, node, position, size, root)
    const right = operand(b, node, position, size, root)
    return left.some((x) => right.some((y) => (call[1] === 'contains' ? String(x).includes(String(y)) : String(x).startsWith(String(y)))))
  }
  const comparison = COMPARE.exec(p)
  if (comparison && !/^(['"])/.test(p)) {
    const left = operand(comparison[1], node, position, size, root)
    const right = operand(comparison[3], node, position, size, root)
    return left.some((x) => right.some((y) => compare(x, comparison[2], y)))
  }
  const values = operand(p, node, position, size, root)
  if (values.length === 1 && typeof values[0] === 'number') return values[0] === position
  return values.length > 0
}

function asValue (text) {
  const t = text.trim()
  return t !== '' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : text
}

function filterXml (xml, xpath) {
  let nodes
  try {
    const root = parseXml(xml)
    nodes = evaluatePath(root, parsePath(xpath), root)
  } catch (err) {
    return error('VALUE', `FILTERXML: ${err.message}`)
  }
  if (nodes.length === 0) return error('VALUE', 'FILTERXML: no node matches')
  const values = nodes.map((n) => asValue(stringValue(n)))
  return values.length === 1 ? values[0] : SimpleRangeValue.onlyValues(values.map((v) => [v]))
}

class FilterXmlFunctions extends FunctionPlugin {
  filterxml (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('FILTERXML'), filterXml)
  }

  filterxmlSize (ast, state) {
    const declared = state.arraysFlag ? declaredSize(state.formulaAddress) : undefined
    return declared ? new ArraySize(declared[1], declared[0]) : ArraySize.scalar()
  }
}

FilterXmlFunctions.implementedFunctions = {
  FILTERXML: {
    method: 'filterxml',
    sizeOfResultArrayMethod: 'filterxmlSize',
    parameters: [{ argumentType: T.STRING }, { argumentType: T.STRING }],
  },
}

module.exports = Object.assign([{ plugin: FilterXmlFunctions, translations: translationsFor(FilterXmlFunctions) }], { filterXml })
