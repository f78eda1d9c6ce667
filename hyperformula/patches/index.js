'use strict'
// The patches of HyperFormula 3.5, in the one order they are installed. engine.js (and the
// tests' helpers.js) call installAll(HyperFormula) once, after registering the functions
// (functions/register.js); nothing patches HyperFormula when it is merely required
// (test/layout.test.js). Each install() is idempotent: the engine process serves many
// requests, and installing again changes nothing.
//
// Three of them wrap Evaluator.prototype.evaluateAstToCellValue; the first installed is the
// innermost. See README.md for what each one changes and why.
const ORDER = [
  // Dynamic references: a cell not computed yet is computed on demand or noted as missed.
  ['dynamic_refs', require('./dynamic_refs')],
  // A throw while evaluating one formula is an error value on that cell.
  ['evaluation_errors', require('./evaluation_errors')],
  // Implicit intersection in plain cells, array evaluation in array formulas, declared sizes.
  // After the functions are registered: it flags the array-parameter functions.
  ['legacy_arrays', require('./legacy_arrays')],
  // Numbers as text with Excel's 15 significant digits; "" is not the number 0.
  ['number_text', require('./number_text')],
  // Building the graph: shared ranges wired once (functions/fastlookup.js's other half).
  ['fastlookup_build', require('./fastlookup_build')],
  // Excel's 15 digits: near-equal numbers compare equal; a formula's last + or - that cancels
  // to 15 digits is 0. Outermost: it sees the formula's value after the other wrappers.
  ['excel_precision', require('./excel_precision')],
]

function installAll (HyperFormula) {
  for (const [, patch] of ORDER) patch.install(HyperFormula)
}

module.exports = { ORDER, installAll }
