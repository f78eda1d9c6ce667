'use strict'
// JIS / DBCS from Microsoft's examples; PHONETIC without furigana is the cell's text.
const test = require('node:test')
const assert = require('node:assert')
const { evaluate } = require('./helpers')

test('JIS and DBCS: documented examples', () => {
  assert.strictEqual(evaluate('=JIS("Excel")'), 'Ｅｘｃｅｌ')
  assert.strictEqual(evaluate('=DBCS("EXCEL")'), 'ＥＸＣＥＬ')
})

test('JIS: spaces, digits, half-width katakana and voiced marks become one full-width letter', () => {
  assert.strictEqual(evaluate('=JIS("A 1")'), 'Ａ\u3000１')
  assert.strictEqual(evaluate('=JIS("ｶﾞｯｺｳ")'), 'ガッコウ')
  assert.strictEqual(evaluate('=JIS("ﾊﾟﾝ")'), 'パン')
  // a mark that cannot combine stays a full-width mark
  assert.strictEqual(evaluate('=JIS("ｱﾞ")'), 'ア゛')
  // already full-width text and kanji are left alone
  assert.strictEqual(evaluate('=JIS("東京ＡＢ")'), '東京ＡＢ')
})

test('JIS is the inverse of ASC on what both convert', () => {
  assert.strictEqual(evaluate('=ASC(JIS("abc XYZ 123 ｱｲｳ"))'), 'abc XYZ 123 ｱｲｳ')
})

test('PHONETIC: a cell without furigana gives its own text; a number gives ""', () => {
  assert.strictEqual(evaluate('=PHONETIC(A1)', [['東京', 5]]), '東京')
  assert.strictEqual(evaluate('=PHONETIC(A1:B1)', [['東京', 5]]), '東京')
  assert.strictEqual(evaluate('=PHONETIC(B1)', [['東京', 5]]), '')
})
