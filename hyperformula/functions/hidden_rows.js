'use strict'
// Which rows of each sheet are hidden, for SUBTOTAL and AGGREGATE. Not a plugin: engine.js
// declares them per request, as the workbook saved them (row hidden="1"). A hidden row inside
// an AutoFilter range is "filtered": SUBTOTAL 1-11 skip only those, 101-111 skip every
// hidden row (Microsoft's SUBTOTAL page).
const sheets = new Map() // sheet id -> { hidden: Set(row), filtered: Set(row) }, 0-based rows

function declare (sheet, hidden = [], filtered = []) {
  if (hidden.length || filtered.length) sheets.set(sheet, { hidden: new Set(hidden), filtered: new Set(filtered) })
}

function clear () {
  sheets.clear()
}

// Is the row of `address` skipped? `which` is 'hidden' (all hidden rows) or 'filtered'.
function isSkipped (address, which) {
  const rows = address && sheets.get(address.sheet)
  return Boolean(rows && rows[which].has(address.row))
}

module.exports = { declare, clear, isSkipped }
