'use strict'
const test = require('node:test')
const assert = require('node:assert')
const { evaluate, assertClose, assertRounded, assertError } = require('./helpers')

const rounded = (rows, decimals) => rows.map((row) => row.map((v) => (typeof v === 'number' ? Number(v.toFixed(decimals)) : v.value)))

// Microsoft's LINEST page, example 1: slope and intercept of y = 2x + 1.
test('LINEST: slope and intercept (example 1)', () => {
  const data = [[1, 0], [9, 4], [5, 2], [7, 3]]
  assert.deepStrictEqual(evaluate('=LINEST(A1:A4,B1:B4,,FALSE)', data, { array: true }), [[2, 1]])
  // A plain cell shows the first value of the array, the slope.
  assertClose(evaluate('=LINEST(A1:A4,B1:B4)', data), 2)
})

// Microsoft's LINEST page, example 2: =SUM(LINEST(B1:B6,A1:A6)*{9,1}) forecasts month 9.
// (Array-evaluated here: in a plain cell legacy_arrays.js intersects the LINEST result.)
test('LINEST: simple linear regression (example 2)', () => {
  const sales = [[1, 3100], [2, 4500], [3, 4400], [4, 5400], [5, 7500], [6, 8100]]
  assertClose(evaluate('=ARRAYFORMULA(SUM(LINEST(B1:B6,A1:A6)*{9,1}))', sales), 11000)
  assertClose(evaluate('=SUMPRODUCT(LINEST(B1:B6,A1:A6)*{9,1})', sales), 11000)
})

// Microsoft's LINEST page, examples 3 and 4: office buildings, four x variables, with stats.
// The page shows the 5 x 5 block rounded as below.
const office = [
  [2310, 2, 2, 20, 142000], [2333, 2, 2, 12, 144000], [2356, 3, 1.5, 33, 151000],
  [2379, 3, 2, 43, 150000], [2402, 2, 3, 53, 139000], [2425, 4, 2, 23, 169000],
  [2448, 2, 1.5, 99, 126000], [2471, 2, 2, 34, 142900], [2494, 3, 3, 23, 163000],
  [2517, 4, 4, 55, 169000], [2540, 2, 3, 22, 149000],
]

test('LINEST: multiple regression with the statistics block (examples 3 and 4)', () => {
  const block = evaluate('=LINEST(E1:E11,A1:D11,TRUE,TRUE)', office, { array: true })
  assert.deepStrictEqual(rounded(block.slice(0, 2), 4), [
    [-234.2372, 2553.2107, 12529.7682, 27.6414, 52317.8305],
    [13.268, 530.6692, 400.0668, 5.4294, 12237.3616],
  ])
  assert.deepStrictEqual(rounded(block.slice(2), 4), [
    [0.9967, 970.5785, '#N/A', '#N/A', '#N/A'],
    [459.7537, 6, '#N/A', '#N/A', '#N/A'],
    [1732393319.2293, 5652135.3162, '#N/A', '#N/A', '#N/A'],
  ])
  // Example 3's estimate for a 2,500 sq ft, 3 offices, 2 entrances, 25-year-old building.
  assertRounded(evaluate('=SUMPRODUCT(LINEST(E1:E11,A1:D11)*{25,2,3,2500,1})', office), 158261, 0)
})

// Microsoft KB 215559: y = 0..19 against x = 1..20 through the origin. Its slope, standard
// error, sey, df and ssresid do not depend on how the total sum of squares is taken; since Excel
// 2003 that total is the uncentred sum of y^2 when const is FALSE (LINEST page), so r2 and ssreg
// are checked against it instead of the article's Excel 2000 values.
test('LINEST through the origin with stats (KB 215559)', () => {
  const data = Array.from({ length: 20 }, (_, i) => [i, i + 1])
  const block = evaluate('=LINEST(A1:A20,B1:B20,FALSE,TRUE)', data, { array: true })
  assertRounded(block[0][0], 0.926829, 6)
  assert.strictEqual(block[0][1], 0)
  assertRounded(block[1][0], 0.009219, 6)
  assertError(block[1][1], '#N/A')
  // (the article prints sey 0.493855, but sqrt(4.634146 / 19) is 0.493865)
  assertClose(block[2][1], Math.sqrt(block[4][1] / 19))
  assert.strictEqual(block[3][1], 19)
  assertRounded(block[4][1], 4.634146, 6)
  const sumSquares = data.reduce((s, [y]) => s + y * y, 0)
  assertClose(block[4][0], sumSquares - block[4][1])
  assertClose(block[2][0], block[4][0] / sumSquares)
})

test('LINEST: const FALSE, stats FALSE, collinear and bad data', () => {
  // y = 3x exactly through the origin; const FALSE puts b = 0 and se(b) = #N/A.
  const block = evaluate('=LINEST(A1:A3,B1:B3,FALSE,TRUE)', [[3, 1], [6, 2], [9, 3]], { array: true })
  assertClose(block[0][0], 3)
  assert.strictEqual(block[0][1], 0)
  assertError(block[1][1], '#N/A')
  assert.strictEqual(block[3][1], 2) // df = n - k
  // A second x column equal to twice the first is dropped: coefficient 0.
  const twice = evaluate('=LINEST(A1:A4,B1:C4)', [[3, 1, 2], [5, 2, 4], [7, 3, 6], [9, 4, 8]], { array: true })
  assert.strictEqual(twice[0][0], 0)
  assertClose(twice[0][1], 2)
  assertClose(twice[0][2], 1)
  // Text, blanks and errors in the data are #VALUE!; sizes that do not fit are #REF!.
  assertError(evaluate('=LINEST(A1:A3,B1:B3)', [[1, 1], ['x', 2], [3, 3]]), '#VALUE!')
  assertError(evaluate('=LINEST(A1:A3,B1:B3)', [[1, 1], ['=NA()', 2], [3, 3]]), '#VALUE!')
  assertError(evaluate('=LINEST(A1:A3,B1:B2)', [[1, 1], [2, 2], [3, 3]]), '#REF!')
})

// Microsoft's LOGEST page: units sold in months 11 to 16, y = b * m^x.
const units = [[11, 33100], [12, 47300], [13, 69000], [14, 102000], [15, 150000], [16, 220000], [17], [18]]

test('LOGEST: m and b, and the statistics of the fit of ln y (LOGEST page)', () => {
  const block = evaluate('=LOGEST(B1:B6,A1:A6,TRUE,TRUE)', units, { array: true })
  assert.deepStrictEqual(rounded(block.slice(0, 1), 6), [[1.463276, 495.30477]])
  assert.strictEqual(block.length, 5)
  const [r2, sey] = block[2]
  const [F, df] = block[3]
  const [ssreg, ssresid] = block[4]
  assert.strictEqual(df, 4)
  assertClose(r2, ssreg / (ssreg + ssresid))
  assertClose(F, ssreg / (ssresid / df))
  assertClose(sey, Math.sqrt(ssresid / df))
  assertError(evaluate('=LOGEST(A1:A2)', [[1], [-2]]), '#NUM!')
  // const FALSE: b = 1.
  assert.deepStrictEqual(evaluate('=LOGEST(A1:A3,B1:B3,FALSE)', [[2, 1], [4, 2], [8, 3]], { array: true }).map((r) => r.map((v) => Number(v.toFixed(9)))), [[2, 1]])
})

// Microsoft's GROWTH page (same data): fitted values and months 17, 18 = 320,197 and 468,536.
test('GROWTH: fitted and predicted values (GROWTH page)', () => {
  assert.deepStrictEqual(rounded(evaluate('=GROWTH(B1:B6,A1:A6)', units, { array: true }), 5),
    [[32618.20377], [47729.42261], [69841.30086], [102197.07338], [149542.48674], [218821.87621]])
  assert.deepStrictEqual(rounded(evaluate('=GROWTH(B1:B6,A1:A6,A7:A8)', units, { array: true }), 0), [[320197], [468536]])
  // Any sequence of x values gives the same prediction (the page's second example).
  assert.deepStrictEqual(rounded(evaluate('=GROWTH(B1:B6,,{7;8})', units, { array: true }), 0), [[320197], [468536]])
})

// Microsoft's TREND page: costs for months 1 to 12, predicted for months 13 to 17.
test('TREND: fitted and predicted values (TREND page)', () => {
  const costs = [133890, 135000, 135790, 137300, 138130, 139100, 139900, 141120, 141890, 143230, 144000, 145290]
  const rows = costs.map((c, i) => [i + 1, c])
  assert.deepStrictEqual(rounded(evaluate('=TREND(B1:B12,A1:A12)', rows, { array: true }).slice(0, 3), 4),
    [[133953.3333], [134971.5152], [135989.697]])
  assert.deepStrictEqual(rounded(evaluate('=TREND(B1:B12,A1:A12,{13;14;15;16;17})', rows, { array: true }), 4),
    [[146171.5152], [147189.697], [148207.8788], [149226.0606], [150244.2424]])
})

test('TREND on a straight line (y = 2x + 1) and through the origin', () => {
  const line = [[3, 1, 10], [5, 2, 11], [7, 3]]
  assert.deepStrictEqual(evaluate('=TREND(A1:A3,B1:B3,C1:C2)', line, { array: true }), [[21], [23]])
  assert.deepStrictEqual(evaluate('=TREND(A1:A3)', line, { array: true }), [[3], [5], [7]])
  assertClose(evaluate('=TREND(A1:A3,B1:B3,4)', line), 9)
  // y = 2x through the origin fits 2, 4, 6 exactly
  assertClose(evaluate('=TREND(A1:A3,B1:B3,5,FALSE)', [[2, 1], [4, 2], [6, 3]]), 10)
})

test('TREND with several x variables: one prediction per row of new_x', () => {
  // y = 1 + x1 + 2 x2 exactly.
  const data = [[1, 1, 4], [2, 1, 5], [3, 2, 8], [4, 1, 7], [5, 3, 12], [6, 1], [0, 0]]
  const out = evaluate('=TREND(C1:C5,A1:B5,A6:B7)', data, { array: true })
  assertClose(out[0][0], 9)
  assertClose(out[1][0], 1)
  // new_x must have one column per x variable.
  assertError(evaluate('=TREND(C1:C5,A1:B5,A6:A7)', data), '#REF!')
  assertError(evaluate('=TREND(C1:C5,A1:B5,{1,"a"})', data), '#VALUE!')
})

// Microsoft's FREQUENCY page: scores against bins 70, 79, 89.
test('FREQUENCY: counts per bin and above the last (FREQUENCY page)', () => {
  const scores = [[79, 70], [85, 79], [78, 89], [85], [50], [81], [95], [88], [97]]
  assert.deepStrictEqual(evaluate('=FREQUENCY(A1:A9,B1:B3)', scores, { array: true }), [[1], [2], [4], [2]])
})

test('FREQUENCY: unsorted and repeated bins, text ignored, errors passed on', () => {
  // bins 1, 3, 5, 3: the repeated 3 counts nothing; 6 is above every bin.
  assert.deepStrictEqual(evaluate('=FREQUENCY({1,2,3,2,1,3,2,1,6,5,4.9,0},{1,3;5,3})', [], { array: true }),
    [[4], [5], [2], [0], [1]])
  assert.deepStrictEqual(evaluate('=FREQUENCY(A1:A4,{5,1})', [[1], ['x'], [4], [9]], { array: true }), [[1], [1], [1]])
  assertError(evaluate('=FREQUENCY(A1:A2,{1})', [[1], ['=1/0']]), '#DIV/0!')
  // Blank bins act as one bin 0 (as Excel's saved results in the formulas test workbook show).
  // The array keeps the size of bins + 1: the cell the result does not reach is #N/A.
  const blank = evaluate('=FREQUENCY(A1:A4,B1:B2)', [[2], [-3], [4], [0]], { array: true })
  assert.deepStrictEqual(blank.slice(0, 2), [[2], [2]])
  assertError(blank[2][0], '#N/A')
})
