'use strict'
const test = require('node:test')
const assert = require('node:assert')
const { evaluate, assertError } = require('./helpers')
const context = require('../context')
const savedBy = (application, fn) => context.using(context.create({ application }), fn)

// The `formulas` test workbook (computed by Mac Excel) is quoted as "corpus".

test('LENB, LEFTB, RIGHTB, MIDB count one byte per character in a single-byte language', () => {
  // https://support.microsoft.com/office/len-lenb-functions-29236f94-cedc-429d-affd-b5e33d2c67cb
  assert.strictEqual(evaluate('=LENB(A1)', [['Phoenix, AZ']]), 11)
  assert.strictEqual(evaluate('=LENB(A1)', [['     One   ']]), 11)
  assert.strictEqual(evaluate('=LENB("山田太郎ciao")'), 8) // corpus
  // https://support.microsoft.com/office/left-leftb-functions-9203d2d2-7960-479b-84c6-1ea52b99640c
  assert.strictEqual(evaluate('=LEFTB("Sale Price",4)'), 'Sale')
  assert.strictEqual(evaluate('=LEFTB("Sweden")'), 'S')
  assert.strictEqual(evaluate('=LEFTB("ciao",1.9)'), 'c') // corpus: the count is truncated
  assertError(evaluate('=LEFTB("ciao",-1)'), '#VALUE!')
  // https://support.microsoft.com/office/right-rightb-functions-240267ee-9afa-4639-a02b-f19e1786cf2f
  assert.strictEqual(evaluate('=RIGHTB("Sale Price",5)'), 'Price')
  assert.strictEqual(evaluate('=RIGHTB("Stock Number")'), 'r')
  assert.strictEqual(evaluate('=RIGHTB("ciao",0)'), '')
  // https://support.microsoft.com/office/mid-midb-functions-d5f9e25c-d7d6-472e-b568-4ecb12433028
  assert.strictEqual(evaluate('=MIDB("Fluid Flow",1,5)'), 'Fluid')
  assert.strictEqual(evaluate('=MIDB("Fluid Flow",7,20)'), 'Flow')
  assert.strictEqual(evaluate('=MIDB("Fluid Flow",20,5)'), '')
  assertError(evaluate('=MIDB("ciao",0,2)'), '#VALUE!')
})

test('REPLACEB, FINDB, SEARCHB', () => {
  // https://support.microsoft.com/office/replace-replaceb-functions-8d799074-2425-4a8a-84bc-82472868878a
  assert.strictEqual(evaluate('=REPLACEB("abcdefghijk",6,5,"*")'), 'abcde*k')
  assert.strictEqual(evaluate('=REPLACEB("2009",3,2,"10")'), '2010')
  assert.strictEqual(evaluate('=REPLACEB("123456",1,3,"@")'), '@456')
  assert.strictEqual(evaluate('=REPLACEB("ciao",10,2,3)'), 'ciao3') // corpus
  // https://support.microsoft.com/office/find-findb-functions-c7912941-af2a-4bdf-a553-d0d89b0a0628
  assert.strictEqual(evaluate('=FINDB("M","Miriam McGovern")'), 1)
  assert.strictEqual(evaluate('=FINDB("m","Miriam McGovern")'), 6)
  assert.strictEqual(evaluate('=FINDB("M","Miriam McGovern",3)'), 8)
  assertError(evaluate('=FINDB("ia","ciao",3)'), '#VALUE!') // not found after the start
  assertError(evaluate('=FINDB("q","ciao",10)'), '#VALUE!')
  // https://support.microsoft.com/office/search-searchb-functions-9ab04538-0e55-4719-a72e-b6f54513b495
  assert.strictEqual(evaluate('=SEARCHB("e","Statements",6)'), 7)
  assert.strictEqual(evaluate('=SEARCHB("margin","Profit Margin")'), 8)
  assert.strictEqual(evaluate('=SEARCHB("p?o*t","Profit Margin")'), 1)
  assert.strictEqual(evaluate('=SEARCHB("~*","a*b")'), 2)
  assert.strictEqual(evaluate('=SEARCHB("BASE","database",5.9)'), 5) // corpus: start truncated
})

test('ASC turns full-width characters into half-width ones', () => {
  // https://support.microsoft.com/office/asc-function-0b6abf1c-c663-4004-a964-ebc00b723266
  assert.strictEqual(evaluate('=ASC("ＥＸＣＥＬ")'), 'EXCEL')
  assert.strictEqual(evaluate('=ASC("ｃｉａｏ　１")'), 'ciao 1')
  assert.strictEqual(evaluate('=ASC("カガ")'), 'ｶｶﾞ')
  assert.strictEqual(evaluate('=ASC("ciao")'), 'ciao')
})

test('BAHTTEXT', () => {
  // https://support.microsoft.com/office/bahttext-function-5ba4d0b4-abd3-4325-8d22-7a92d59aab9c
  assert.strictEqual(evaluate('=BAHTTEXT(1234)'), 'หนึ่งพันสองร้อยสามสิบสี่บาทถ้วน')
  // corpus
  assert.strictEqual(evaluate('=BAHTTEXT(0)'), 'ศูนย์บาทถ้วน')
  assert.strictEqual(evaluate('=BAHTTEXT(157)'), 'หนึ่งร้อยห้าสิบเจ็ดบาทถ้วน')
  assert.strictEqual(evaluate('=BAHTTEXT(65.8)'), 'หกสิบห้าบาทแปดสิบสตางค์')
  assert.strictEqual(evaluate('=BAHTTEXT(-1)'), 'ลบหนึ่งบาทถ้วน')
  // hand-checked: 21 is "yi sip et", a million "nueng lan", 50 satang alone has no baht part
  assert.strictEqual(evaluate('=BAHTTEXT(21)'), 'ยี่สิบเอ็ดบาทถ้วน')
  assert.strictEqual(evaluate('=BAHTTEXT(1000000)'), 'หนึ่งล้านบาทถ้วน')
  assert.strictEqual(evaluate('=BAHTTEXT(0.5)'), 'ห้าสิบสตางค์')
  assertError(evaluate('=BAHTTEXT("ciao")'), '#VALUE!')
})

test('TEXTBEFORE and TEXTAFTER', () => {
  // https://support.microsoft.com/office/textbefore-function-d099c28a-dba8-448e-ac6c-f086d0fa1b29
  const hood = [["Little Red Riding Hood's red hood"]]
  assert.strictEqual(evaluate('=TEXTBEFORE(A1,"Red")', hood), 'Little ')
  assert.strictEqual(evaluate('=TEXTBEFORE(A1,"red",-1)', hood), "Little Red Riding Hood's ")
  assert.strictEqual(evaluate('=TEXTBEFORE(A1,"red",2,1)', hood), "Little Red Riding Hood's ")
  assert.strictEqual(evaluate('=TEXTBEFORE(A1,"basket",1,0,1)', hood), "Little Red Riding Hood's red hood")
  assertError(evaluate('=TEXTBEFORE(A1,"basket")', hood), '#N/A')
  assertError(evaluate('=TEXTBEFORE(A1,"red",0)', hood), '#VALUE!')
  // https://support.microsoft.com/office/textafter-function-c8db2546-5b51-416a-9690-c7e6722e90b4
  assert.strictEqual(evaluate('=TEXTAFTER(A1,"Red")', hood), " Riding Hood's red hood")
  assert.strictEqual(evaluate('=TEXTAFTER(A1,"hood")', hood), '') // case-sensitive: the last word
  assert.strictEqual(evaluate('=TEXTAFTER(A1,"HOOD",1,1)', hood), "'s red hood")
  assert.strictEqual(evaluate('=TEXTAFTER(A1,"basket",1,0,0,"No match")', hood), 'No match')
  // corpus: any of several delimiters, from the end, end of text as a delimiter
  assert.strictEqual(evaluate('=TEXTAFTER("1,2,3,4,5,6,7,8",{"3","4","5"},-1)'), ',6,7,8')
  assert.strictEqual(evaluate('=TEXTAFTER("1,2,3,4,5,6,7,8",{"3","4","5"},2)'), ',5,6,7,8')
  assert.strictEqual(evaluate('=TEXTAFTER("cc",{9},1,1,1)'), '')
  assertError(evaluate('=TEXTAFTER("cc",{9},1,1,0)'), '#N/A')
  // an empty delimiter matches at once: nothing before it, everything after it
  assert.strictEqual(evaluate('=TEXTBEFORE("abc","")'), '')
  assert.strictEqual(evaluate('=TEXTAFTER("abc","")'), 'abc')
})

test('TEXTSPLIT returns a padded 2-D array', () => {
  // https://support.microsoft.com/office/textsplit-function-b1ca414e-4c21-4ca0-b1b7-bdecace8a6e7
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(TEXTSPLIT("Dakota Cheyenne Sioux"," "))', [], { array: true }),
    [['Dakota', 'Cheyenne', 'Sioux']])
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(TEXTSPLIT("1,2,3;4,5,6",",",";"))', [], { array: true }),
    [['1', '2', '3'], ['4', '5', '6']])
  // corpus: several delimiters, ignore_empty, case-insensitive, pad_with
  assert.deepStrictEqual(
    evaluate('=ARRAYFORMULA(TEXTSPLIT("1,2.3;4,,5AA6.7",{",","."},{";","a"},TRUE,1,"pi"))', [], { array: true }),
    [['1', '2', '3'], ['4', '5', 'pi'], ['6', '7', 'pi']])
  const padded = evaluate('=ARRAYFORMULA(TEXTSPLIT("a,b;c",",",";"))', [], { array: true })
  assert.deepStrictEqual(padded[0], ['a', 'b'])
  assert.strictEqual(padded[1][0], 'c')
  assertError(padded[1][1], '#N/A')
  assertError(evaluate('=TEXTSPLIT("abc","")'), '#VALUE!')
  // corpus: over a range (vectorized), each element shows the first piece of its split
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(TEXTSPLIT(A1:C1,1))', [[0, 1.9, -1]], { array: true }), [['0', '', '-']])
})

test('REGEXTEST, REGEXREPLACE, REGEXEXTRACT', () => {
  // https://support.microsoft.com/office/regextest-function-7d38200b-5e5c-4196-b4e6-9bff73afbd31
  assert.strictEqual(evaluate('=REGEXTEST("alpha","a")'), true)
  assert.strictEqual(evaluate('=REGEXTEST("ciao","^ciaO$")'), false)
  assert.strictEqual(evaluate('=REGEXTEST("ciao","^ciaO$",1)'), true)
  assertError(evaluate('=REGEXTEST("ciao","^c",2)'), '#VALUE!')
  assertError(evaluate('=REGEXTEST("ciao","(")'), '#VALUE!')
  // https://support.microsoft.com/office/regexreplace-function-9c030bb2-5e47-4efc-bad5-4582d7100897
  assert.strictEqual(evaluate('=REGEXREPLACE("a1b2c3","\\d","#")'), 'a#b#c#')
  assert.strictEqual(evaluate('=REGEXREPLACE("a1b2c3","\\d","#",2)'), 'a1b#c3')
  assert.strictEqual(evaluate('=REGEXREPLACE("a1b2c3","\\d","#",-1)'), 'a1b2c#')
  assert.strictEqual(evaluate('=REGEXREPLACE("Sonia Rees","(\\w+) (\\w+)","${2}, $1")'), 'Rees, Sonia')
  // https://support.microsoft.com/office/regexextract-function-4b96c140-9205-4b6e-9fbe-6aa9e783ff57
  assert.strictEqual(evaluate('=REGEXEXTRACT("DylanWilliams","[A-Z][a-z]+")'), 'Dylan')
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(REGEXEXTRACT("DylanWilliams","[A-Z][a-z]+",1))', [], { array: true }),
    [['Dylan', 'Williams']])
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(REGEXEXTRACT("DylanWilliams","([A-Z])([a-z]+)",2))', [], { array: true }),
    [['D', 'ylan']])
  assertError(evaluate('=REGEXEXTRACT("abc","\\d")'), '#N/A')
  assertError(evaluate('=REGEXEXTRACT("abc","b",2)'), '#VALUE!') // corpus: no capture group
})

test('TYPE', () => {
  // https://support.microsoft.com/office/type-function-45b4e688-4bc3-48b3-a105-ffa892995899
  assert.strictEqual(evaluate('=TYPE(A1)', [['Smith']]), 2)
  assert.strictEqual(evaluate('=TYPE("MR. "&A1)', [['Smith']]), 2)
  assert.strictEqual(evaluate('=TYPE(2+A1)', [['Smith']]), 16)
  assert.strictEqual(evaluate('=TYPE({1,2;3,4})'), 64)
  assert.strictEqual(evaluate('=TYPE(1.5)'), 1)
  assert.strictEqual(evaluate('=TYPE(TRUE())'), 4)
  assert.strictEqual(evaluate('=TYPE(A1)', [[null, 1]]), 1) // a blank cell
  // corpus: a range of several cells is 64, of one cell that cell's type, even as an array formula
  assert.strictEqual(evaluate('=TYPE(A1:B1)', [[1, 'x']]), 64)
  assert.strictEqual(evaluate('=TYPE(B1:B1)', [[1, 'x']]), 2)
  assert.deepStrictEqual(evaluate('=ARRAYFORMULA(TYPE(A1:B1))', [[1, 'x']], { array: true }), [[64]])
})

test('VALUETOTEXT and ARRAYTOTEXT', () => {
  // https://support.microsoft.com/office/valuetotext-function-5fff61a2-301a-4ab2-9ffa-0a5242a08fea
  assert.strictEqual(evaluate('=VALUETOTEXT(TRUE())'), 'TRUE')
  assert.strictEqual(evaluate('=VALUETOTEXT(1234.01234)'), '1234.01234')
  assert.strictEqual(evaluate('=VALUETOTEXT("Hello")'), 'Hello')
  assert.strictEqual(evaluate('=VALUETOTEXT("Hello",1)'), '"Hello"')
  assert.strictEqual(evaluate('=VALUETOTEXT(1/0)'), '#DIV/0!')
  assertError(evaluate('=VALUETOTEXT(1,2)'), '#VALUE!')
  // https://support.microsoft.com/office/arraytotext-function-9cdcad46-2fa5-4c6b-ac92-14e7bc862b8b
  const data = [[true, '=1/0'], [1234.01234, 'Seattle'], ['Hello', '1,123']]
  assert.strictEqual(evaluate('=ARRAYTOTEXT(A1:B3,0)', data), 'TRUE, #DIV/0!, 1234.01234, Seattle, Hello, 1,123')
  assert.strictEqual(evaluate('=ARRAYTOTEXT(A1:B3,1)', data), '{TRUE,#DIV/0!;1234.01234,"Seattle";"Hello","1,123"}')
  // corpus: a lone blank cell is #VALUE! in the strict format
  assertError(evaluate('=ARRAYTOTEXT(A1,1)', [[null, 1]]), '#VALUE!')
  assertError(evaluate('=ARRAYTOTEXT(A1:A2,2)', [[1], [2]]), '#VALUE!')
})

test('CHAR and CODE use Windows-1252 by default', () => {
  // https://support.microsoft.com/office/char-function-bbd249c8-b36e-4a91-8017-1c133f9b837a
  // https://support.microsoft.com/office/code-function-c32b692b-2ed0-4a04-bdd9-75640144b928
  savedBy('Microsoft Excel', () => {
    assert.strictEqual(evaluate('=CHAR(65)'), 'A')
    assert.strictEqual(evaluate('=CHAR(33)'), '!')
    assert.strictEqual(evaluate('=CODE("A")'), 65)
    assert.strictEqual(evaluate('=CODE("!")'), 33)
    assert.strictEqual(evaluate('=CHAR(128)'), '€')
    assert.strictEqual(evaluate('=CHAR(150)'), '–')
    assert.strictEqual(evaluate('=CHAR(129)'), '\u0081') // undefined in Windows-1252: the C1 control
    assert.strictEqual(evaluate('=CHAR(233)'), 'é')
    assert.strictEqual(evaluate('=CODE("€uro")'), 128)
    assert.strictEqual(evaluate('=CODE("é")'), 233)
    assert.strictEqual(evaluate('=CODE("山")'), 63) // outside the code page: "?"
    assert.strictEqual(evaluate('=CHAR(65.8)'), 'A')
    assertError(evaluate('=CHAR(0)'), '#VALUE!')
    assertError(evaluate('=CHAR(256)'), '#VALUE!')
    assertError(evaluate('=CODE("")'), '#VALUE!')
    assert.strictEqual(evaluate('=UNICODE(CHAR(128))'), 8364)
  })
})

test('CHAR and CODE use the Macintosh character set for a workbook saved by Mac Excel', () => {
  savedBy('Microsoft Macintosh Excel', () => {
    // corpus (CORE sheet: UNICODE(CHAR(n)) for n = 1..255)
    assert.strictEqual(evaluate('=CHAR(65)'), 'A')
    assert.strictEqual(evaluate('=CHAR(128)'), 'Ä')
    assert.strictEqual(evaluate('=CHAR(157)'), 'ù')
    assert.strictEqual(evaluate('=CHAR(219)'), '€')
    assert.strictEqual(evaluate('=UNICODE(CHAR(240))'), 0xF8FF)
    assert.strictEqual(evaluate('=UNICODE(CHAR(255))'), 711)
    assert.strictEqual(evaluate('=CODE("€")'), 219)
    assert.strictEqual(evaluate('=CODE("é")'), 142)
  })
  savedBy('Microsoft Excel', () => assert.strictEqual(evaluate('=CHAR(128)'), '€'))
  savedBy(undefined, () => assert.strictEqual(evaluate('=CODE("é")'), 233)) // no app.xml: Windows
})

// Microsoft's FIND/SEARCH pages: =FIND("M",A2) 1, =FIND("m",A2) 6, =FIND("M",A2,3) 8 for
// "Miriam McGovern"; =SEARCH("e",A2,6) 7 for "Statements". Text not found after the start,
// and a start past the end, are #VALUE!; the start is truncated.
test('FIND and SEARCH: documented examples and start positions', () => {
  const rows = [['Miriam McGovern'], ['Statements']]
  assert.strictEqual(evaluate('=FIND("M",A1)', rows), 1)
  assert.strictEqual(evaluate('=FIND("m",A1)', rows), 6)
  assert.strictEqual(evaluate('=FIND("M",A1,3)', rows), 8)
  assert.strictEqual(evaluate('=SEARCH("e",A2,6)', rows), 7)
  assertError(evaluate('=FIND("ia","ciao",3)'), '#VALUE!')
  assert.strictEqual(evaluate('=SEARCH("A","ciao",2.9)'), 3)
  assertError(evaluate('=SEARCH("a","ciao",9)'), '#VALUE!')
})
