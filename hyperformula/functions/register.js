'use strict'
// Registers every function plugin of index.js with HyperFormula (engine.js and the tests).
//
// A plugin's sizeOfResultArrayMethod runs while HyperFormula parses a formula, outside the
// per-cell guard engine.js puts around evaluation: a throw there (an argument shape nobody
// foresaw) would abort the whole workbook. Each one is wrapped so that a throw gives
// HyperFormula's "no array size" instead: the formula is then computed as one cell.
const { ArraySize } = require('hyperformula')
const plugins = [...require('./index'), ...require('./asof'), ...require('./pivot')] // asof.js replaces TODAY and NOW

const GUARDED = Symbol('capitallens.guarded')

function guardSizeMethods (plugin) {
  for (const metadata of Object.values(plugin.implementedFunctions || {})) {
    const name = metadata.sizeOfResultArrayMethod
    const original = name && plugin.prototype[name]
    if (typeof original !== 'function' || original[GUARDED]) continue
    const guarded = function (...args) {
      try {
        return original.apply(this, args)
      } catch (err) {
        return ArraySize.error()
      }
    }
    guarded[GUARDED] = true
    plugin.prototype[name] = guarded
  }
}

function registerAll (HyperFormula, list = plugins) {
  for (const { plugin, translations } of list) {
    guardSizeMethods(plugin)
    HyperFormula.registerFunctionPlugin(plugin, translations)
  }
}

module.exports = { registerAll, guardSizeMethods }
