'use strict'
// The three parts of hyperformula/ (README.md): function modules in functions/, patches of
// HyperFormula in patches/ applied from one ordered list, and internals.js, the only module
// that reaches into HyperFormula's private files.
const test = require('node:test')
const assert = require('node:assert')
const fs = require('node:fs')
const path = require('node:path')
const { spawnSync } = require('node:child_process')

const ROOT = path.join(__dirname, '..')

// Every JavaScript file of ours, relative to hyperformula/.
function ownFiles (dir = ROOT) {
  const found = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) found.push(...ownFiles(full))
    else if (entry.name.endsWith('.js')) found.push(path.relative(ROOT, full))
  }
  return found.sort()
}

// The modules that make up the engine (not the tests, not engine.js, which serves stdin).
const MODULES = ownFiles().filter((f) => !f.startsWith('test' + path.sep) && f !== 'engine.js')
const PATCHES = fs.readdirSync(path.join(ROOT, 'patches')).filter((f) => f.endsWith('.js') && f !== 'index.js').sort()

// Runs `script` in a fresh Node process from hyperformula/ and returns what it prints as JSON.
function inFreshProcess (script) {
  const run = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 120000 })
  assert.strictEqual(run.status, 0, run.stderr)
  return JSON.parse(run.stdout)
}

test('only internals.js names a private HyperFormula file in a require', () => {
  // A require takes a literal: a relative path, the package itself, or a Node built-in.
  const allowed = /^(\.{1,2}\/[\w./-]+|hyperformula|node:[\w/]+|path|fs|readline|assert|child_process)$/
  const offenders = []
  // This test itself looks at HyperFormula's files to check the others.
  for (const file of ownFiles()) {
    if (file === 'internals.js' || file === path.join('test', 'layout.test.js')) continue
    const source = fs.readFileSync(path.join(ROOT, file), 'utf8')
    for (const m of source.matchAll(/\brequire(\.resolve)?\s*\(([^)]*)\)/g)) {
      const literal = /^\s*'([^']*)'\s*$/.exec(m[2])
      if (m[1] || !literal || !allowed.test(literal[1])) offenders.push(`${file}: ${m[0]}`)
    }
  }
  assert.deepStrictEqual(offenders, [])
})

test('at run time, every private HyperFormula file is loaded by internals.js', () => {
  const loads = inFreshProcess(`
    const Module = require('module')
    const path = require('path')
    const main = require.resolve('hyperformula')
    const dir = path.dirname(main) + path.sep
    const seen = []
    const load = Module._load
    Module._load = function (request, parent, isMain) {
      const resolved = Module._resolveFilename(request, parent, isMain)
      const from = parent && parent.filename
      if (resolved.startsWith(dir) && resolved !== main && from && !from.includes('node_modules')) {
        seen.push(path.relative(process.cwd(), from))
      }
      return load.apply(this, arguments)
    }
    for (const file of ${JSON.stringify(MODULES)}) require('./' + file)
    const { HyperFormula } = require('hyperformula')
    require('./functions/register').registerAll(HyperFormula)
    require('./patches').installAll(HyperFormula)
    console.log(JSON.stringify([...new Set(seen)]))
  `)
  assert.deepStrictEqual(loads, ['internals.js'])
})

test('every patch module exports install() and is in the one ordered list', () => {
  const { ORDER } = require('../patches')
  for (const file of PATCHES) {
    assert.strictEqual(typeof require(path.join(ROOT, 'patches', file)).install, 'function', `${file} has no install()`)
  }
  assert.deepStrictEqual(ORDER.map(([name]) => name + '.js').sort(), PATCHES)
  assert.strictEqual(new Set(ORDER.map(([, patch]) => patch)).size, ORDER.length)
})

test('requiring every module changes nothing in HyperFormula; installing the patches does', () => {
  const changed = inFreshProcess(`
    const fs = require('fs')
    const path = require('path')
    const { HyperFormula } = require('hyperformula')
    const lib = path.dirname(require.resolve('hyperformula'))
    // Every file of HyperFormula loaded first, so that all its classes are in the snapshot.
    const exported = []
    const walk = (dir) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name)
        if (entry.isDirectory()) walk(full)
        else if (entry.name.endsWith('.js')) {
          try { exported.push([path.relative(lib, full), require(full)]) } catch (err) {}
        }
      }
    }
    walk(lib)
    // Each export, each class's statics and prototype members, by identity.
    const snapshot = () => {
      const values = new Map()
      const record = (key, holder) => {
        if (holder === null || (typeof holder !== 'object' && typeof holder !== 'function')) return
        for (const name of Object.getOwnPropertyNames(holder)) {
          const d = Object.getOwnPropertyDescriptor(holder, name)
          values.set(key + '.' + name, 'value' in d ? d.value : d.get)
        }
      }
      for (const [file, exports] of exported) {
        record(file, exports)
        for (const [name, value] of Object.entries(exports)) {
          if (typeof value === 'function') {
            record(file + ':' + name, value)
            record(file + ':' + name + '.prototype', value.prototype)
          }
        }
      }
      values.set('registered functions', HyperFormula.getRegisteredFunctionNames('enGB').sort().join())
      return values
    }
    const differences = (a, b) => [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k))
    const before = snapshot()
    for (const file of ${JSON.stringify(MODULES)}) require('./' + file)
    const afterRequire = snapshot()
    require('./functions/register').registerAll(HyperFormula)
    require('./patches').installAll(HyperFormula)
    const afterInstall = snapshot()
    require('./patches').installAll(HyperFormula)
    console.log(JSON.stringify({
      byRequire: differences(before, afterRequire),
      byInstall: differences(afterRequire, afterInstall).length,
      bySecondInstall: differences(afterInstall, snapshot()),
    }))
  `)
  assert.deepStrictEqual(changed.byRequire, [])
  assert.ok(changed.byInstall > 10, `the snapshot sees the patches (${changed.byInstall} changes)`)
  assert.deepStrictEqual(changed.bySecondInstall, [], 'installing twice patches once')
})

test('internals.js refuses another HyperFormula version than the one package.json pins', () => {
  const internals = require('../internals')
  const pinned = require('../package.json').dependencies.hyperformula
  assert.strictEqual(internals.WRITTEN_FOR, pinned)
  assert.doesNotThrow(() => internals.checkVersion(pinned))
  assert.throws(() => internals.checkVersion('3.6.0'), /written for HyperFormula 3\.5\.0, but HyperFormula 3\.6\.0 is installed/)
})
