'use strict'
// LAMBDA, LET, MAP, REDUCE, SCAN, BYROW, BYCOL, MAKEARRAY, ISOMITTED (functions/lambda.js).
// Examples from Microsoft's pages, cited per function, and hand-checkable values. Formulas are
// written as importer/translate.py hands them to the engine; `$x` below stands for the
// parameter `_xlpm.x` of the file, which the translator turns into CL_PARAM("x").
const { test } = require('node:test')
const assert = require('node:assert')
const { evaluate, assertError, assertClose } = require('./helpers')
const { excelOnlyCode } = require('../functions/info')

const xl = (formula) => formula.replace(/\$([A-Za-z_][A-Za-z0-9_.]*)/g, 'CL_PARAM("$1")')
const value = (formula, rows) => evaluate(xl(formula), rows)
const spill = (formula, rows) => evaluate(`=ARRAYFORMULA(${xl(formula).slice(1)})`, rows, { array: true })

// A1:C2 of the MAP, REDUCE, SCAN, BYROW and BYCOL pages.
const A1C2 = [[1, 2, 3], [4, 5, 6]]

function assertCalc (v) {
  assert.strictEqual(excelOnlyCode(v), '#CALC!', `expected #CALC!, got ${v && v.value}`)
}

// https://support.microsoft.com/en-us/office/lambda-function-bd212d27-1cd1-4321-a34a-ccbf254b8b67
test('LAMBDA called in place, with cells and nested calls', () => {
  assert.strictEqual(value('=CL_CALL(LAMBDA($x,$x+1),1)'), 2)
  assert.strictEqual(value('=CL_CALL(LAMBDA($a,$b,SQRT($a^2+$b^2)),3,4)'), 5)
  // ToCelsius from the page: (5/9)*(104-32) = 40
  assertClose(value('=CL_CALL(LAMBDA($temp,(5/9)*($temp-32)),A1)', [[104]]), 40)
  // no parameter: the body alone
  assert.strictEqual(value('=CL_CALL(LAMBDA(A1+B1))', [[2, 3]]), 5)
  // parameter names ignore case; an inner lambda sees the outer parameter (lexical scope)
  assert.strictEqual(value('=CL_CALL(LAMBDA($X,CL_CALL(LAMBDA($y,$x*10+$y),2)),1)'), 12)
  const words = '=CL_CALL(LAMBDA($text,LEN(TRIM($text))-LEN(SUBSTITUTE(TRIM($text)," ",""))+1),A1)'
  assert.strictEqual(value(words, [["Because it's in the Impossible that you find reality"]]), 9)
})

test('LAMBDA errors: #VALUE! for a wrong argument count, #CALC! when not called', () => {
  assertError(value('=CL_CALL(LAMBDA($x,$x+1),1,2)'), '#VALUE!')
  assertError(value('=CL_CALL(LAMBDA($x,$y,$x+$y),1)'), '#VALUE!')
  assertCalc(value('=LAMBDA($x,$x+1)'))
  assertError(value('=$x+1'), '#NAME?') // a parameter outside its LAMBDA
  assertError(value('=CL_CALL(LAMBDA($x,$x,$x),1,2)'), '#VALUE!') // a parameter named twice
})

// https://support.microsoft.com/en-us/office/isomitted-function-831d6fbc-0f07-40c4-9c5b-9c73fd1d60c1
test('ISOMITTED tells an omitted LAMBDA argument', () => {
  const f = (args) => value(`=CL_CALL(LAMBDA($x,$y,IF(ISOMITTED($y),"Missing second argument",$x+$y)),${args})`)
  assert.strictEqual(f('1,'), 'Missing second argument')
  assert.strictEqual(f('1,2'), 3)
  assert.strictEqual(value('=ISOMITTED(A1)', [[1]]), false)
})

// https://support.microsoft.com/en-us/office/let-function-34842dd8-b92b-4d3f-b325-b8b8f9908999
test('LET binds names in order; an unused error does not matter', () => {
  assert.strictEqual(value('=LET($x,5,SUM($x,1))'), 6)
  assert.strictEqual(value('=LET($x,1,$y,$x+A1,$z,B1,232+$x+$y)', [[2, '=NA()']]), 236)
  assert.strictEqual(value('=LET($r,A1:C1,SUM($r))', [[1, 2, 3]]), 6) // a range stays a range
  // a LET-bound LAMBDA, called by name
  assert.strictEqual(value('=LET($area,LAMBDA($x,$y,$x*$y),CL_CALL($area,6,7))'), 42)
  // a LAMBDA sees the LET names around it
  assert.strictEqual(value('=LET($k,10,$f,LAMBDA($x,$x+$k),CL_CALL($f,1))'), 11)
  assert.strictEqual(value('=LET($x,1,$x)'), 1)
  assertError(value('=LET($x,1)'), '#VALUE!') // no calculation
})

// https://support.microsoft.com/en-us/office/map-function-48006093-f97c-47c1-bfcc-749263bb1f01
test('MAP applies the LAMBDA to each element', () => {
  assert.deepStrictEqual(spill('=MAP(A1:C2,LAMBDA($a,IF($a>4,$a*$a,$a)))', A1C2), [[1, 2, 3], [4, 25, 36]])
  // two arrays: one argument from each
  assert.deepStrictEqual(spill('=MAP(A1:A2,B1:B2,LAMBDA($a,$b,AND($a,$b)))', [[true, true], [true, false]]), [[true], [false]])
  assert.deepStrictEqual(spill('=MAP({1;3},LAMBDA($b,$b^2))'), [[1], [9]])
  // a second LAMBDA where an array belongs: the parameter count is wrong
  assertError(value('=MAP({1,2},LAMBDA($a,$a+1),LAMBDA($b,$b+3))'), '#VALUE!')
  assertCalc(value('=MAP({1,2},LAMBDA($a,{1,2}))')) // nested arrays
})

// https://support.microsoft.com/en-us/office/reduce-function-42e39910-b345-45f3-84b8-0642b568b7cb
test('REDUCE accumulates; the accumulator may be an array', () => {
  assert.strictEqual(value('=REDUCE(,A1:C2,LAMBDA($a,$b,$a+$b^2))', A1C2), 91) // 1+4+...+36
  assert.strictEqual(value('=REDUCE(1,A1:C2,LAMBDA($a,$b,IF($b>2,$a*$b,$a)))', A1C2), 360)
  assert.strictEqual(value('=REDUCE(0,A1:C2,LAMBDA($a,$n,IF(ISEVEN($n),1+$a,$a)))', A1C2), 3)
  assert.deepStrictEqual(spill('=REDUCE({1,2,3},{1,2,3},LAMBDA($a,$b,$a+$b^2))'), [[15, 16, 17]])
  assertError(value('=REDUCE(0,A1:C2,LAMBDA($a,$a))', A1C2), '#VALUE!')
})

// https://support.microsoft.com/en-us/office/scan-function-d58dfd11-9969-4439-b2dc-e7062724de29
test('SCAN returns every accumulator, in the shape of the array', () => {
  const letters = [['a', 'b', 'c'], ['d', 'e', 'f']]
  assert.deepStrictEqual(spill('=SCAN("",A1:C2,LAMBDA($a,$b,$a&$b))', letters),
    [['a', 'ab', 'abc'], ['abcd', 'abcde', 'abcdef']])
  assert.deepStrictEqual(spill('=SCAN(1,A1:C2,LAMBDA($a,$b,$a*$b))', A1C2), [[1, 2, 6], [24, 120, 720]])
  // a blank initial value counts as 0; text makes #VALUE!; TRUE is 1
  assert.deepStrictEqual(spill('=SCAN(A1,{1;3},LAMBDA($a,$b,$a+$b^2))', [[null]]), [[1], [10]])
  assert.deepStrictEqual(spill('=SCAN(TRUE,{1;3},LAMBDA($a,$b,$a+$b^2))'), [[2], [11]])
  const text = spill('=SCAN("x",{1;3},LAMBDA($a,$b,$a+$b^2))')
  assertError(text[0][0], '#VALUE!')
  assertError(text[1][0], '#VALUE!')
})

// https://support.microsoft.com/en-us/office/byrow-function-2e04c677-78c8-4e6b-8c10-a4602f2602bb
// https://support.microsoft.com/en-us/office/bycol-function-58463999-7de5-49ce-8f38-b7f7a2192bfb
test('BYROW and BYCOL: one value per row or column', () => {
  assert.deepStrictEqual(spill('=BYROW(A1:C2,LAMBDA($array,MAX($array)))', A1C2), [[3], [6]])
  assert.deepStrictEqual(spill('=BYROW(A1:C2,LAMBDA($array,SUMSQ($array)))', A1C2), [[14], [77]])
  assert.deepStrictEqual(spill('=BYCOL(A1:C2,LAMBDA($array,MAX($array)))', A1C2), [[4, 5, 6]])
  assert.deepStrictEqual(spill('=BYCOL(A1:C2,LAMBDA($array,SUMSQ($array)))', A1C2), [[17, 29, 45]])
  // `_xleta.SUM`: a function passed by name
  assert.deepStrictEqual(spill('=BYROW(A1:C2,"_xleta.SUM")', A1C2), [[6], [15]])
  // SUM skips the text and booleans of a row, as over a range
  assert.deepStrictEqual(spill('=BYROW(A1:C1,LAMBDA($r,SUM($r)))', [[1, 'x', true]]), [[1]])
  assertCalc(value('=BYROW(A1:C2,LAMBDA($r,$r))', A1C2)) // the LAMBDA returns an array
  assertError(value('=BYROW(A1:C2,LAMBDA($r,$s,1))', A1C2), '#VALUE!')
})

// https://support.microsoft.com/en-us/office/makearray-function-b80da5ad-b338-4149-a523-5b221da09097
test('MAKEARRAY builds rows x columns from the LAMBDA', () => {
  assert.deepStrictEqual(spill('=MAKEARRAY(3,3,LAMBDA($r,$c,$r*$c))'), [[1, 2, 3], [2, 4, 6], [3, 6, 9]])
  assert.deepStrictEqual(spill('=MAKEARRAY(2,1,LAMBDA($x,$y,$x+1+$y))'), [[3], [4]])
  assert.strictEqual(value('=MAKEARRAY(TRUE,1,LAMBDA($x,$y,$x+1+$y))'), 3)
  for (const rows of ['0', '-1', '2.3', '"x"', 'A1']) {
    assertError(value(`=MAKEARRAY(${rows},1,LAMBDA($x,$y,$x+1+$y))`, [[null]]), '#VALUE!')
  }
  assertError(value('=MAKEARRAY(NA(),1,LAMBDA($x,$y,1))'), '#N/A')
  assertError(value('=MAKEARRAY(2,2,LAMBDA($x,1))'), '#VALUE!')
  // counts given as a range are lifted: each cell is the top-left of its own array
  const lifted = spill('=MAKEARRAY(A1:C1,1,LAMBDA($x,$y,$x+1+$y))', [[0, 2, 3]])
  assertError(lifted[0][0], '#VALUE!')
  assert.deepStrictEqual(lifted[0].slice(1), [3, 3])
})
