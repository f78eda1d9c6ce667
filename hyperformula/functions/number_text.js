'use strict'
// How Excel turns a number into text where text is wanted (`=A1&""`, CONCATENATE, LEN(A1),
// a number in a text argument): 15 significant digits, scientific notation from 1E+15 on and
// for tiny numbers, with a signed exponent of at least two digits ("1.23456789012346E+17",
// "1E-10"). HyperFormula uses JavaScript's shortest round-trip form (17 digits:
// "0.24489999999999998" where Excel shows "0.2449"). Complex numbers as text likewise; and
// the empty string is not read as the number 0.
// Not a function plugin: helpers for the text functions and for patches/number_text.js, which
// makes HyperFormula's own number-to-text conversion use them.
function numberText (x) {
  if (!Number.isFinite(x)) return String(x)
  if (x === 0) return '0'
  const rounded = Number(x.toPrecision(15))
  const magnitude = Math.abs(rounded)
  if (magnitude >= 1e15 || magnitude < 1e-9) {
    const [mantissa, exponent] = rounded.toExponential(14).split('e')
    const digits = mantissa.replace(/\.?0+$/, '')
    const e = Number(exponent)
    return `${digits}E${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`
  }
  let text = String(rounded)
  if (/e/.test(text)) text = rounded.toFixed(20).replace(/\.?0+$/, '') // 1e-7 .. 1e-9
  return text
}

// A part of a complex number as the IM* functions write it: 15 significant digits like
// numberText, but a number below 1 is written in full while that takes at most 21 characters
// ("0.0000000000000001", "0.0000692442674613868"), and in scientific notation beyond
// ("1.28233995888454E-06", "1E-20"). Inferred from the results Excel saved for COMPLEX and
// the IM* functions (its own documentation does not describe the format).
function complexPartText (x) {
  if (!Number.isFinite(x) || x === 0) return numberText(x)
  const [mantissa, exponent] = Math.abs(x).toExponential(14).split('e')
  const e = Number(exponent)
  if (e >= 0) return numberText(x)
  const digits = mantissa.replace('.', '').replace(/0+$/, '')
  const full = `0.${'0'.repeat(-e - 1)}${digits}`
  if (full.length > 21) return `${x < 0 ? '-' : ''}${mantissa.replace(/\.?0+$/, '')}E-${String(-e).padStart(2, '0')}`
  return `${x < 0 ? '-' : ''}${full}`
}

// Complex numbers as text (COMPLEX, IMSUM...): each part as complexPartText, the suffix as given.
function complexText (re, im, symbol = 'i') {
  const real = complexPartText(re)
  const magnitude = complexPartText(Math.abs(im))
  if (magnitude === '0') return real
  const imaginary = `${magnitude === '1' ? '' : magnitude}${symbol}` // "-j", not "-1j", at 15 digits
  if (real === '0') return `${im < 0 ? '-' : ''}${imaginary}`
  return `${real}${im < 0 ? '-' : '+'}${imaginary}`
}

module.exports = { numberText, complexText, complexPartText }
