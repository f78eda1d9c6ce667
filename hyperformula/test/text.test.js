'use strict'
const test = require('node:test')
const assert = require('node:assert')
const { evaluate, assertClose, assertError, serial } = require('./helpers')

// Microsoft's TEXT page ("Examples") and hand-checkable format codes.
test('TEXT: documented examples', () => {
  assert.strictEqual(evaluate('=TEXT(1234.567,"$#,##0.00")'), '$1,234.57')
  assert.strictEqual(evaluate('=TEXT(0.285,"0.0%")'), '28.5%')
  assert.strictEqual(evaluate('=TEXT(12200000,"0.00E+00")'), '1.22E+07')
  assert.strictEqual(evaluate('=TEXT(1234,"0000000")'), '0001234')
  assert.strictEqual(evaluate('=TEXT(1234567898,"[<=9999999]###-####;(###) ###-####")'), '(123) 456-7898')
  assert.strictEqual(evaluate('=TEXT(123456,"##0° 00\' 00\'\'")'), "12° 34' 56''")
})

test('TEXT: number formats', () => {
  const cases = [
    [1234.567, '0', '1235'],
    [1234.567, '0.00', '1234.57'],
    [1234567.891, '#,##0', '1,234,568'],
    [1234567.891, '#,##0.00', '1,234,567.89'],
    [0.256, '0%', '26%'],
    [0.256, '0.0%', '25.6%'],
    [1234.5, '$#,##0', '$1,235'],
    [-1234, '#,##0_);(#,##0)', '(1,234)'],
    [1234, '#,##0_);(#,##0)', '1,234 '],
    [-1234.5, '#,##0.00', '-1,234.50'],
    [0.5, '#.00', '.50'],
    [5, '0,000', '0,005'],
    [1234567, '#,##0,', '1,235'],
    [1234567, '0.0,,"M"', '1.2M'],
    [0.000123, '0.00E+00', '1.23E-04'],
    [12345, '##0.0E+0', '12.3E+3'],
    [1.5, '0.0#', '1.5'],
    [1, '0.0#', '1.0'],
    [2.5, '0 "units"', '3 units'],
    [2.5, '0\\x', '3x'],
    [1.005, '0.00', '1.01'], // Excel rounds the decimal value, not the binary one
  ]
  // Formats go in a cell (as text, hence the apostrophe): HyperFormula's
  // parser rejects "" inside a string literal.
  for (const [value, format, expected] of cases) {
    assert.strictEqual(evaluate('=TEXT(A1,B1)', [[value, "'" + format]]), expected, format)
  }
})

test('TEXT: sections pick positive, negative, zero and text', () => {
  const format = '0.0;(0.0);"zero";"text: "@'
  assert.strictEqual(evaluate('=TEXT(A1,B1)', [[2, "'" + format]]), '2.0')
  assert.strictEqual(evaluate('=TEXT(A1,B1)', [[-2, "'" + format]]), '(2.0)')
  assert.strictEqual(evaluate('=TEXT(A1,B1)', [[0, "'" + format]]), 'zero')
  assert.strictEqual(evaluate('=TEXT(A1,B1)', [['abc', "'" + format]]), 'text: abc')
  // without a text section, text passes through unchanged
  assert.strictEqual(evaluate('=TEXT("abc","0.00")'), 'abc')
  // numeric text is formatted as the number
  assert.strictEqual(evaluate('=TEXT("12.5","0.00")'), '12.50')
})

test('TEXT: General and @', () => {
  assert.strictEqual(evaluate('=TEXT(1234.5,"General")'), '1234.5')
  assert.strictEqual(evaluate('=TEXT(1/3,"General")'), '0.333333333')
  assert.strictEqual(evaluate('=TEXT(1234,"@")'), '1234')
})

test('TEXT: date and time formats', () => {
  const rows = [[serial(2024, 1, 5) + (13 * 60 + 7) / 1440]] // Fri 5 Jan 2024 13:07
  const cases = [
    ['yyyy', '2024'], ['yy', '24'], ['mmm-yy', 'Jan-24'], ['mmmm d, yyyy', 'January 5, 2024'],
    ['dd/mm/yyyy', '05/01/2024'], ['d-mmm', '5-Jan'], ['hh:mm', '13:07'], ['h:mm AM/PM', '1:07 PM'],
    ['ddd', 'Fri'], ['dddd', 'Friday'], ['[$-409]mmmm d, yyyy', 'January 5, 2024'],
    ['yyyy-mm-dd hh:mm:ss', '2024-01-05 13:07:00'], ['MM/DD/YY', '01/05/24'],
  ]
  for (const [format, expected] of cases) {
    assert.strictEqual(evaluate(`=TEXT(A1,"${format}")`, rows), expected, format)
  }
  assert.strictEqual(evaluate('=TEXT(1.75,"[h]:mm")'), '42:00')
  assert.strictEqual(evaluate('=TEXT(60,"yyyy-mm-dd")'), '1900-02-29')
  assertError(evaluate('=TEXT(-1,"yyyy")'), '#VALUE!')
})

// Microsoft's CONCAT page: =CONCAT(B:B, C:C) style joins, and text with numbers.
test('CONCAT joins ranges and scalars', () => {
  assert.strictEqual(evaluate('=CONCAT(A1:B2)', [['a1', 'b1'], ['a2', 'b2']]), 'a1b1a2b2')
  assert.strictEqual(evaluate('=CONCAT("The"," ","sun"," ","will"," ","come"," ","up"," ","tomorrow.")'),
    'The sun will come up tomorrow.')
  assert.strictEqual(evaluate('=CONCAT(A1,"-",A2,TRUE())', [[1.5], [null]]), '1.5-TRUE')
  assert.strictEqual(evaluate('=CONCAT(0.1+0.2)'), '0.3') // 15 significant digits, as Excel
  assertError(evaluate('=CONCAT("a",1/0)'), '#DIV/0!')
})

// Microsoft's NUMBERVALUE page examples.
test('NUMBERVALUE', () => {
  assertClose(evaluate('=NUMBERVALUE("2.500,27",",",".")'), 2500.27)
  assertClose(evaluate('=NUMBERVALUE("3.5%")'), 0.035)
  assertClose(evaluate('=NUMBERVALUE(" 1 234 ")'), 1234)
  assertClose(evaluate('=NUMBERVALUE("")'), 0)
  assertClose(evaluate('=NUMBERVALUE("9%%")'), 0.0009)
  assertError(evaluate('=NUMBERVALUE("1.2.3")'), '#VALUE!')
  assertError(evaluate('=NUMBERVALUE("1.234,5",".",",")'), '#VALUE!')
})

// Microsoft's FIXED page examples: 1234.567, -1234.567, 44.332.
test('FIXED', () => {
  assert.strictEqual(evaluate('=FIXED(1234.567,1)'), '1,234.6')
  assert.strictEqual(evaluate('=FIXED(1234.567,-1)'), '1,230')
  assert.strictEqual(evaluate('=FIXED(-1234.567,-1,TRUE)'), '-1230')
  assert.strictEqual(evaluate('=FIXED(44.332)'), '44.33')
})

// Microsoft's DOLLAR page: $#,##0.00_);($#,##0.00), decimals 2 when omitted.
test('DOLLAR: documented examples', () => {
  assert.strictEqual(evaluate('=DOLLAR(1234.567,2)'), '$1,234.57')
  assert.strictEqual(evaluate('=DOLLAR(1234.567,-2)'), '$1,200')
  assert.strictEqual(evaluate('=DOLLAR(-1234.567,-2)'), '($1,200)')
  assert.strictEqual(evaluate('=DOLLAR(-0.123,4)'), '($0.1230)')
  assert.strictEqual(evaluate('=DOLLAR(99.888)'), '$99.89')
})

test('DOLLAR: decimals truncated, numeric text accepted, over 127 decimals is #VALUE!', () => {
  assert.strictEqual(evaluate('=DOLLAR(1234.567,1.9)'), '$1,234.6')
  assert.strictEqual(evaluate('=DOLLAR("1234.567")'), '$1,234.57')
  assertError(evaluate('=DOLLAR(1,128)'), '#VALUE!')
  assertError(evaluate('=DOLLAR("abc")'), '#VALUE!')
})

test('USDOLLAR is DOLLAR in dollars; YEN has no decimals by default', () => {
  assert.strictEqual(evaluate('=USDOLLAR(-1234.567)'), '($1,234.57)')
  assert.strictEqual(evaluate('=YEN(1234.567)'), '¥1,235')
  assert.strictEqual(evaluate('=YEN(1234.567,1)'), '¥1,234.6')
})

// Microsoft's VALUE page: VALUE("$1,000") is 1000; VALUE("16:48:00")-VALUE("12:00:00") is 0.2.
test('VALUE: documented examples', () => {
  assert.strictEqual(evaluate('=VALUE("$1,000")'), 1000)
  assertClose(evaluate('=VALUE("16:48:00")-VALUE("12:00:00")'), 0.2)
})

test('VALUE reads numbers as Excel reads them typed: separators, percent, parentheses', () => {
  assert.strictEqual(evaluate('=VALUE("1,234,567.89")'), 1234567.89)
  assert.strictEqual(evaluate('=VALUE(A1)', [['1,234']]), 1234)
  assert.strictEqual(evaluate('=VALUE("($1,234.50)")'), -1234.5)
  assert.strictEqual(evaluate('=VALUE("-$5")'), -5)
  assert.strictEqual(evaluate('=VALUE("10%")'), 0.1)
  assert.strictEqual(evaluate('=VALUE(" 12 ")'), 12)
  assert.strictEqual(evaluate('=VALUE("1e3")'), 1000)
  assert.strictEqual(evaluate('=VALUE("2024-01-31")'), serial(2024, 1, 31))
  assertError(evaluate('=VALUE("1,23")'), '#VALUE!') // not groups of three
  assertError(evaluate('=VALUE("abc")'), '#VALUE!')
  assertError(evaluate('=VALUE(TRUE)'), '#VALUE!')
  // an error argument is the result
  assertError(evaluate('=VALUE(A1)', [['=NA()']]), '#N/A')
  assertError(evaluate('=VALUE(A1)', [['=1/0']]), '#DIV/0!')
  assert.strictEqual(evaluate('=VALUE(IF(FALSE,1,A1))', [[306.6]]), 306.6)
})
