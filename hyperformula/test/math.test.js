'use strict'
const test = require('node:test')
const assert = require('node:assert')
const { evaluate, assertClose, assertError } = require('./helpers')

function assertMatrixClose (actual, expected) {
  assert.strictEqual(actual.length, expected.length)
  actual.forEach((row, r) => row.forEach((v, c) => assertClose(v, expected[r][c], 1e-12)))
}

// Microsoft's MDETERM page.
test('MDETERM: documented examples', () => {
  assertClose(evaluate('=MDETERM(A1:D4)', [[1, 3, 8, 5], [1, 3, 6, 1], [1, 1, 1, 0], [7, 3, 10, 2]]), 88)
  assertClose(evaluate('=MDETERM({3,6,1;1,1,0;3,10,2})'), 1)
  assertClose(evaluate('=MDETERM({3,6;1,1})'), -3)
  assertError(evaluate('=MDETERM({1,3,8,5;1,3,6,1})'), '#VALUE!')
  assertError(evaluate('=MDETERM(A1:B2)', [[1, 'x'], [2, 3]]), '#VALUE!')
})

// Microsoft's MINVERSE page.
test('MINVERSE: documented examples', () => {
  assertMatrixClose(evaluate('=MINVERSE(A1:B2)', [[4, -1], [2, 0]], { array: true }), [[0, 0.5], [-1, 2]])
  assertMatrixClose(evaluate('=MINVERSE(A1:C3)', [[1, 2, 1], [3, 4, -1], [0, 2, 0]], { array: true }),
    [[0.25, 0.25, -0.75], [0, 0, 0.5], [0.75, -0.25, -0.25]])
})

test('MINVERSE errors', () => {
  assertError(evaluate('=MINVERSE(A1:B2)', [[1, 2], [2, 4]]), '#NUM!')
  assertError(evaluate('=MINVERSE(A1:B1)', [[1, 2]]), '#VALUE!')
})

test('MUNIT', () => {
  assert.deepStrictEqual(evaluate('=MUNIT(3)', [], { array: true }), [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
  assert.strictEqual(evaluate('=MUNIT(1)'), 1)
  assertError(evaluate('=MUNIT(0)'), '#VALUE!')
})

test('COMPLEX: documented examples, an empty suffix means i', () => {
  assert.strictEqual(evaluate('=COMPLEX(3,4)'), '3+4i')
  assert.strictEqual(evaluate('=COMPLEX(3,4,"j")'), '3+4j')
  assert.strictEqual(evaluate('=COMPLEX(0,1)'), 'i')
  assert.strictEqual(evaluate('=COMPLEX(1,0)'), '1')
  assert.strictEqual(evaluate('=COMPLEX(1.23,9.5121,A1)', [[null]]), '1.23+9.5121i')
  assert.strictEqual(evaluate('=COMPLEX(1.23,9.5121,"")'), '1.23+9.5121i')
  assert.strictEqual(evaluate('=IMSUM("0.1+0.2i","0.2+0.1i")'), '0.3+0.3i')
  assertError(evaluate('=COMPLEX(1,1,"k")'), '#VALUE!')
})

test('CEILING: significance 0 gives 0; FLOOR keeps #DIV/0!', () => {
  assert.strictEqual(evaluate('=CEILING(10,0)'), 0)
  assert.strictEqual(evaluate('=CEILING(2.5,1)'), 3)
  assert.strictEqual(evaluate('=CEILING(-2.5,-2)'), -4)
  assert.strictEqual(evaluate('=CEILING(-2.5,2)'), -2)
  assertError(evaluate('=CEILING(2.5,-2)'), '#NUM!')
  assertError(evaluate('=FLOOR(10,0)'), '#DIV/0!')
})

test('text dates in arithmetic: day/month/year and ISO', () => {
  assert.strictEqual(evaluate('="10/1/2024"+0'), 45301)
  assert.strictEqual(evaluate('="2024-01-10"+0'), 45301)
})

test('FLOOR and CEILING families: quotients to 15 digits, signs and modes', () => {
  // 71 multiples of 0.1, as Excel computes them too (7.1000000000000005), not 70.
  assert.strictEqual(evaluate('=FLOOR.MATH(7.1,0.1)'), 71 * 0.1)
  assert.strictEqual(evaluate('=FLOOR(7.1,0.1)'), 71 * 0.1)
  assert.strictEqual(evaluate('=CEILING.MATH(-5.5,2,-1)'), -6) // Microsoft's example
  assert.strictEqual(evaluate('=CEILING.MATH(-5.5,2)'), -4)
  assert.strictEqual(evaluate('=FLOOR.MATH(-5.5,2,-1)'), -4)
  assert.strictEqual(evaluate('=FLOOR.MATH(-8.1,2)'), -10)
  assert.strictEqual(evaluate('=FLOOR(-2.5,-2)'), -2)
  assert.strictEqual(evaluate('=CEILING.PRECISE(-4.3,2)'), -4)
  assert.strictEqual(evaluate('=ISO.CEILING(4.3,-2)'), 6)
  assert.strictEqual(evaluate('=FLOOR.PRECISE(-3.2,-1)'), -4)
  assertError(evaluate('=FLOOR(2.5,-2)'), '#NUM!')
})

// ---- The IM* functions. Microsoft's pages for IMSUM, IMSUB, IMPRODUCT, IMDIV, IMPOWER, IMABS,
// IMREAL, IMAGINARY, IMCONJUGATE, IMSQRT, IMEXP, IMLN, IMLOG10, IMLOG2 give these results.
test('IM* functions: documented examples', () => {
  assert.strictEqual(evaluate('=IMSUM("3+4i","5-3i")'), '8+i')
  assert.strictEqual(evaluate('=IMSUB("13+4i","5+3i")'), '8+i')
  assert.strictEqual(evaluate('=IMPRODUCT("3+4i","5-3i")'), '27+11i')
  assert.strictEqual(evaluate('=IMPRODUCT("1+2i",30)'), '30+60i')
  assert.strictEqual(evaluate('=IMDIV("-238+240i","10+24i")'), '5+12i')
  assert.strictEqual(evaluate('=IMPOWER("2+3i",3)'), '-46+9.00000000000001i')
  assert.strictEqual(evaluate('=IMABS("5+12i")'), 13)
  assert.strictEqual(evaluate('=IMREAL("6-9i")'), 6)
  assert.strictEqual(evaluate('=IMAGINARY("3+4i")'), 4)
  assert.strictEqual(evaluate('=IMAGINARY("0-j")'), -1)
  assert.strictEqual(evaluate('=IMCONJUGATE("3+4i")'), '3-4i')
  assert.strictEqual(evaluate('=IMSQRT("1+i")'), '1.09868411346781+0.455089860562227i')
  assert.strictEqual(evaluate('=IMEXP("1+i")'), '1.46869393991589+2.28735528717884i')
  assert.strictEqual(evaluate('=IMLN("3+4i")'), '1.6094379124341+0.927295218001612i')
  assert.strictEqual(evaluate('=IMLOG10("3+4i")'), '0.698970004336019+0.402719196273373i')
  assert.strictEqual(evaluate('=IMLOG2("3+4i")'), '2.32192809488736+1.33780421245098i')
  assertClose(evaluate('=IMARGUMENT("3+4i")'), 0.92729521800161, 1e-12)
})

// What Excel saved in the `formulas` project's test workbook (ENGINEERING sheet) and IronCalc's
// COMPLEXs workbook: the input's suffix is kept, exponents are read in either case, tan, cot,
// sec and csc keep a tiny real part, a mix of i and j fails.
test('IM* functions: suffix, parsing and errors as Excel', () => {
  assert.strictEqual(evaluate('=IMSEC(A1)', [['7+25j']]), '2.09403043759793E-11+1.82483860060804E-11j')
  assert.strictEqual(evaluate('=IMSEC(A1)', [[null]]), '1') // an empty cell is 0
  assert.strictEqual(evaluate('=IMTAN("7+25j")'), '3.82126757337684E-22+j')
  assert.strictEqual(evaluate('=IMCOT("13+5j")'), '0.0000692442674613868-1.00005873951153j')
  assert.strictEqual(evaluate('=IMCSC("3.1+2j")'), '0.0118908807944521+0.275445903842597j')
  assert.strictEqual(evaluate('=IMSEC("-3+2i")'), '-0.263512975158389-0.0362116365587685i')
  assert.strictEqual(evaluate('=IMCONJUGATE("1+2j")'), '1-2j')
  assert.strictEqual(evaluate('=IMAGINARY(A1)', [['1.2E-45-3i']]), -3)
  assertClose(evaluate('=IMREAL(IMSQRT("-12"))'), 2.12115047744981e-16, 1e-9) // polar form, as Excel
  assert.strictEqual(evaluate('=IMSUM(A1:B1,C1)', [['7+25j', '13+5j', '3.1+2j']]), '23.1+32j')
  assert.strictEqual(evaluate('=IMPRODUCT(A1,B1)', [[7, null]]), '0')
  assert.strictEqual(evaluate('=IMPRODUCT(A1,B1)', [[3, '3i']]), '9i')
  assertError(evaluate('=IMSUM(A1:B1,C1)', [['13+5j', '3.1+2j', '-3+2i']]), '#VALUE!')
  assertError(evaluate('=IMSUB("3.1+2j","-3+2i")'), '#NUM!')
  assertError(evaluate('=IMSEC(A1)', [[true]]), '#VALUE!')
  assertError(evaluate('=IMSEC(A1)', [['yvj']]), '#NUM!')
  assertError(evaluate('=IMSUM(A1:B1,C1)', [['yvj', true, '=1/0']]), '#NUM!') // read in order
  assertError(evaluate('=IMDIV("1","0")'), '#NUM!')
  assertError(evaluate('=IMARGUMENT(0)'), '#DIV/0!')
})

// Microsoft's GCD and LCM pages, then the cases IronCalc's GCD_LCM workbook saved from Excel.
test('GCD and LCM: documented examples and Excel\'s edge cases', () => {
  assert.strictEqual(evaluate('=GCD(5,2)'), 1)
  assert.strictEqual(evaluate('=GCD(24,36)'), 12)
  assert.strictEqual(evaluate('=GCD(5,0)'), 5)
  assert.strictEqual(evaluate('=LCM(5,2)'), 10)
  assert.strictEqual(evaluate('=LCM(24,36)'), 72)
  assert.strictEqual(evaluate('=LCM(A1,B1,C1)', [[10, 3, null]]), 30) // a blank argument is left out
  assert.strictEqual(evaluate('=LCM(A1:B1)', [[null, 5]]), 0) // a blank in a range is 0
  assert.strictEqual(evaluate('=LCM(7.5,4.5,7.7)'), 28)
  assert.strictEqual(evaluate('=LCM(A1,B1)', [['8', 2]]), 8)
  assertError(evaluate('=LCM(A1,B1)', [[null, null]]), '#VALUE!')
  assertError(evaluate('=GCD(A1,B1)', [[true, 2]]), '#VALUE!')
  assertError(evaluate('=GCD({4,"eight",12})'), '#VALUE!')
  assertError(evaluate('=GCD(-0.4)'), '#NUM!')
  assertError(evaluate('=LCM(2147483647,1073741823)'), '#NUM!')
  assertError(evaluate('=LCM(,5)'), '#N/A')
})

// Microsoft's PRODUCT page (A2:A4 = 5, 15, 30); with no number at all Excel gives 0.
test('PRODUCT: documented examples; no numbers is 0', () => {
  const data = [[5], [15], [30]]
  assert.strictEqual(evaluate('=PRODUCT(A1:A3)', data), 2250)
  assert.strictEqual(evaluate('=PRODUCT(A1:A3,2)', data), 4500)
  assert.strictEqual(evaluate('=PRODUCT(A1:A3)', [['one'], ['two'], ['three']]), 0)
  assert.strictEqual(evaluate('=PRODUCT(A1,A2)', [['one'], [3]]), 3)
  assert.strictEqual(evaluate('=PRODUCT(A1:A4)', [[1], [true], ['true'], ['1']]), 1)
  assertError(evaluate('=PRODUCT("one",2)'), '#VALUE!')
})

// Microsoft's ISODD, ISEVEN, FACTDOUBLE and BASE pages.
test('ISODD, ISEVEN, FACTDOUBLE, BASE: documented examples', () => {
  assert.strictEqual(evaluate('=ISODD(-1)'), true)
  assert.strictEqual(evaluate('=ISODD(2.5)'), false)
  assert.strictEqual(evaluate('=ISODD(5)'), true)
  assert.strictEqual(evaluate('=ISEVEN(-1)'), false)
  assert.strictEqual(evaluate('=ISEVEN(2.5)'), true)
  assert.strictEqual(evaluate('=ISEVEN(0)'), true)
  assert.strictEqual(evaluate('=ISODD(-5.5)'), true)
  assertError(evaluate('=ISODD(A1)', [[true]]), '#VALUE!')
  assert.strictEqual(evaluate('=FACTDOUBLE(6)'), 48)
  assert.strictEqual(evaluate('=FACTDOUBLE(7)'), 105)
  assert.strictEqual(evaluate('=FACTDOUBLE(-1)'), 1) // as Excel gave
  assertError(evaluate('=FACTDOUBLE(-1.1)'), '#NUM!')
  assert.strictEqual(evaluate('=BASE(7,2)'), '111')
  assert.strictEqual(evaluate('=BASE(100,16)'), '64')
  assert.strictEqual(evaluate('=BASE(15,2,10)'), '0000001111')
  assert.strictEqual(evaluate('=BASE(12.3,2)'), '1100')
})

// Microsoft's pages for the radix conversions and the BIT functions.
test('radix conversions and BIT functions: documented examples', () => {
  const cases = {
    '=DEC2BIN(9,4)': '1001', '=DEC2BIN(-100)': '1110011100', '=DEC2BIN(511.7)': '111111111',
    '=DEC2HEX(100,4)': '0064', '=DEC2HEX(-54)': 'FFFFFFFFCA', '=DEC2HEX(28)': '1C',
    '=DEC2OCT(58,3)': '072', '=DEC2OCT(-100)': '7777777634',
    '=BIN2DEC(1100100)': 100, '=BIN2DEC(1111111111)': -1, '=BIN2OCT(1001,3)': '011',
    '=BIN2OCT(1111111111)': '7777777777', '=BIN2HEX(11111011,4)': '00FB', '=BIN2HEX(1111111111)': 'FFFFFFFFFF',
    '=HEX2BIN("F",8)': '00001111', '=HEX2BIN("B7")': '10110111', '=HEX2BIN("FFFFFFFE00")': '1000000000',
    '=HEX2DEC("A5")': 165, '=HEX2DEC("FFFFFFFF5B")': -165, '=HEX2DEC("3DA408B9")': 1034160313,
    '=HEX2OCT("F",3)': '017', '=HEX2OCT("3B4E")': '35516', '=HEX2OCT("FFFFFFFF00")': '7777777400',
    '=OCT2BIN(3,3)': '011', '=OCT2BIN(7777777000)': '1000000000', '=OCT2DEC(54)': 44,
    '=OCT2DEC(7777777533)': -165, '=OCT2HEX(100,4)': '0040', '=OCT2HEX(7777777533)': 'FFFFFFFF5B',
    '=HEX2BIN("fffffffffe")': '1111111110',
    '=BITAND(1,5)': 1, '=BITAND(13,25)': 9, '=BITOR(23,10)': 31, '=BITXOR(5,3)': 6,
    '=BITLSHIFT(4,2)': 16, '=BITRSHIFT(13,2)': 3, '=BITLSHIFT(25,2.3)': 100,
  }
  for (const [formula, expected] of Object.entries(cases)) assert.strictEqual(evaluate(formula), expected, formula)
  assert.strictEqual(evaluate('=BIN2DEC(A1)', [[null]]), 0)
  assertError(evaluate('=DEC2HEX(64,1)'), '#NUM!')
  assertError(evaluate('=DEC2BIN(512)'), '#NUM!')
  assertError(evaluate('=BITAND(281474976710656,25)'), '#NUM!')
  assertError(evaluate('=DEC2BIN(A1)', [[true]]), '#VALUE!')
  assert.strictEqual(evaluate('=DEC2BIN("12")'), '1100')
})

// Microsoft's DEC2BIN page: "If number is negative, valid place values are ignored"; places
// that are not valid (below 1, above 10) are #NUM! first, whatever the number.
test('radix conversions: places outside 1..10 are #NUM! even for negative numbers', () => {
  for (const f of ['DEC2BIN', 'DEC2OCT', 'DEC2HEX']) {
    assertError(evaluate(`=${f}(-2,0)`), '#NUM!')
    assertError(evaluate(`=${f}(-2,11)`), '#NUM!')
    assertError(evaluate(`=${f}(5,0)`), '#NUM!')
    assertError(evaluate(`=${f}("E",0)`), '#NUM!')
    assertError(evaluate(`=${f}("E",2)`), '#VALUE!')
  }
  assert.strictEqual(evaluate('=DEC2BIN(-2,1)'), '1111111110')
  assert.strictEqual(evaluate('=DEC2HEX(-2,10.9)'), 'FFFFFFFFFE')
  assert.strictEqual(evaluate('=DEC2OCT(8,3.7)'), '010')
  assertError(evaluate('=BIN2HEX("1111111111",0)'), '#NUM!')
  assertError(evaluate('=BIN2OCT("1111111111",11)'), '#NUM!')
  assert.strictEqual(evaluate('=BIN2HEX("1111111111",2)'), 'FFFFFFFFFF')
  assertError(evaluate('=HEX2BIN("E",0)'), '#NUM!')
})

// Microsoft's MMULT page; dates are numbers; the first error is the result.
test('MMULT: documented example, dates, errors', () => {
  assert.deepStrictEqual(evaluate('=MMULT({1,3;7,2},{2,0;0,2})', [], { array: true }), [[2, 6], [14, 4]])
  const dates = [['=DATE(2024,1,10)', '=DATE(2024,11,10)', 5, 6], ['=DATE(2024,1,10)', '=DATE(2024,1,28)', 7, 8]]
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(MMULT(A1:B2,C1:D2))', dates, { array: true }), [[545747, 636654], [543738, 634358]])
  assertError(evaluate('=MMULT(A1:B1,C1:C2)', [['=NA()', '=1/0', '=1/0'], [null, null, 2]]), '#N/A')
  assertError(evaluate('=MMULT({1,2},{3,4})'), '#VALUE!')
})

// Microsoft's BESSEL* pages; and Excel's own BESSELI(10,0), which carries the error of the
// Numerical Recipes approximation it uses (the true value is 2815.71662846625).
test('BESSELI, BESSELJ, BESSELK, BESSELY: documented examples', () => {
  assertClose(evaluate('=BESSELI(1.5,1)'), 0.981666428, 1e-8)
  assertClose(evaluate('=BESSELJ(1.9,2)'), 0.329925728, 1e-8)
  assertClose(evaluate('=BESSELK(1.5,1)'), 0.277387804, 1e-8)
  assertClose(evaluate('=BESSELY(2.5,1)'), 0.145918138, 1e-8)
  assertClose(evaluate('=BESSELI(10,0)'), 2815.7166648041534, 1e-14)
  assertClose(evaluate('=BESSELI(-32,1)'), -5502845662755.76, 1e-14)
  assertError(evaluate('=BESSELK(0,1)'), '#NUM!')
  assertError(evaluate('=BESSELJ(1,-1)'), '#NUM!')
  assertError(evaluate('=BESSELI(A1,1)', [[true]]), '#VALUE!')
})

test('MUNIT lifted over an array in an array formula shows 1 per element', () => {
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(MUNIT(A1:B1))', [[2, 3]], { array: true }), [[1, 1]])
  assert.strictEqual(evaluate('=ARRAYFORMULA(SUM(MUNIT({1,2;3,4;7,8})))'), 6)
})

// Microsoft's POWER page: =POWER(5,2) 25, =POWER(98.6,3.2) 2401077.222, =POWER(4,5/4) 5.656854249.
// 0^0 is #NUM! and 0 to a negative power #DIV/0! (as the ironcalc ATAN2_POWER workbook saved).
// ACOT page: =ACOT(2) 0.4636; its range is 0 to pi, so ACOT(-2) is pi - 0.4636.
test('POWER and ACOT: documented examples and domains', () => {
  assert.strictEqual(evaluate('=POWER(5,2)'), 25)
  assertClose(evaluate('=POWER(98.6,3.2)'), 2401077.222, 1e-9)
  assertClose(evaluate('=POWER(4,5/4)'), 5.656854249, 1e-9)
  assertError(evaluate('=POWER(0,0)'), '#NUM!')
  assertError(evaluate('=POWER(0,-1)'), '#DIV/0!')
  assertError(evaluate('=POWER(-8,1/3)'), '#NUM!')
  assertClose(evaluate('=ACOT(2)'), 0.463647609, 1e-9)
  assertClose(evaluate('=ACOT(-2)'), Math.PI - 0.463647609000806, 1e-12)
})

// The trigonometric and hyperbolic IM functions against their definitions, written with
// JavaScript's real functions: sin(a+bi) = sin a cosh b + i cos a sinh b, and so on.
test('IMSIN, IMCOS, IMSINH, IMCOSH, IMSECH, IMCSCH: definitions', () => {
  const parts = (text) => {
    const m = /^(-?[\d.]+(?:E[-+]\d+)?)([-+][\d.]+(?:E[-+]\d+)?)i$/.exec(text)
    assert.ok(m, `not a complex number: ${text}`)
    return [Number(m[1]), Number(m[2])]
  }
  const close = (text, [re, im]) => {
    const [a, b] = parts(text)
    assert.ok(Math.abs(a - re) <= 1e-13 * Math.max(1, Math.abs(re)), `${text}: real part ${re}`)
    assert.ok(Math.abs(b - im) <= 1e-13 * Math.max(1, Math.abs(im)), `${text}: imaginary part ${im}`)
  }
  const inverse = ([re, im]) => [re / (re * re + im * im), -im / (re * re + im * im)]
  const [a, b] = [4, 3]
  const sinh = [Math.sinh(a) * Math.cos(b), Math.cosh(a) * Math.sin(b)]
  const cosh = [Math.cosh(a) * Math.cos(b), Math.sinh(a) * Math.sin(b)]
  close(evaluate('=IMSIN("4+3i")'), [Math.sin(a) * Math.cosh(b), Math.cos(a) * Math.sinh(b)])
  close(evaluate('=IMCOS("4+3i")'), [Math.cos(a) * Math.cosh(b), -Math.sin(a) * Math.sinh(b)])
  close(evaluate('=IMSINH("4+3i")'), sinh)
  close(evaluate('=IMCOSH("4+3i")'), cosh)
  close(evaluate('=IMCSCH("4+3i")'), inverse(sinh))
  close(evaluate('=IMSECH("4+3i")'), inverse(cosh))
  // Microsoft's IMSIN page: =IMSIN("4+3i") is -7.61923172032141-6.548120040911i.
  close(evaluate('=IMSIN("4+3i")'), [-7.61923172032141, -6.548120040911])
})

// ECMA.CEILING is CEILING as ECMA-376 and Excel 2007 define it: different signs are #NUM!.
test('ECMA.CEILING: away from zero, different signs #NUM!, 0 significance 0', () => {
  assert.strictEqual(evaluate('=ECMA.CEILING(2.5,1)'), 3)
  assert.strictEqual(evaluate('=ECMA.CEILING(-2.5,-2)'), -4)
  assert.strictEqual(evaluate('=ECMA.CEILING(1.5,0.1)'), 1.5)
  assert.strictEqual(evaluate('=ECMA.CEILING(10,0)'), 0)
  assertError(evaluate('=ECMA.CEILING(-2.5,2)'), '#NUM!')
  assertError(evaluate('=ECMA.CEILING(2.5,-2)'), '#NUM!')
})

// Microsoft's DECIMAL page: FF in base 16 is 255, 111 in base 2 is 7, zap in base 36 is 45745.
test('DECIMAL: documented examples, every radix to 36', () => {
  assert.strictEqual(evaluate('=DECIMAL("FF",16)'), 255)
  assert.strictEqual(evaluate('=DECIMAL(111,2)'), 7)
  assert.strictEqual(evaluate('=DECIMAL("zap",36)'), 45745)
  assert.strictEqual(evaluate('=DECIMAL("ff",16.9)'), 255)
  assertError(evaluate('=DECIMAL("12",2)'), '#NUM!')
  assertError(evaluate('=DECIMAL("1",37)'), '#NUM!')
})
