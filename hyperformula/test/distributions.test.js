'use strict'
const { test } = require('node:test')
const assert = require('node:assert')
const { evaluate, assertClose, assertRounded, assertError } = require('./helpers')
const { maths } = require('../functions/distributions')

// https://support.microsoft.com/office/gamma-function-ce1702b1-cf55-471d-8307-f83be0fc5297
// https://support.microsoft.com/office/gammaln-function-b838c48b-c65f-484f-9e1d-141c55470eb9
test('GAMMA and GAMMALN: documented examples, poles, full precision', () => {
  assertRounded(evaluate('=GAMMA(2.5)'), 1.329, 3)
  assertRounded(evaluate('=GAMMA(-3.75)'), 0.268, 3)
  assertError(evaluate('=GAMMA(0)'), '#NUM!')
  assertError(evaluate('=GAMMA(-2)'), '#NUM!')
  assertError(evaluate('=GAMMA(172)'), '#NUM!')
  assertRounded(evaluate('=GAMMALN(4)'), 1.7917595, 7)
  assertRounded(evaluate('=GAMMALN.PRECISE(4)'), 1.7917595, 7)
  assertError(evaluate('=GAMMALN(0)'), '#NUM!')
  // Γ(1/2) = √π, Γ(-1/2) = -2√π; whole numbers are exact factorials
  assertClose(evaluate('=GAMMA(0.5)'), Math.sqrt(Math.PI), 1e-14)
  assertClose(evaluate('=GAMMA(-0.5)'), -2 * Math.sqrt(Math.PI), 1e-14)
  assert.strictEqual(evaluate('=GAMMA(5)'), 24)
  assertClose(evaluate('=GAMMALN(100)'), 359.13420536957539878, 1e-15) // ln 99!
})

// https://support.microsoft.com/office/gamma-dist-function-9b6f1538-d11c-4d5f-8966-21f6a2201def
// https://support.microsoft.com/office/gamma-inv-function-74991443-c2b0-4be5-aaab-1aa4d71fbb18
test('GAMMA.DIST and GAMMA.INV: documented examples and a far tail', () => {
  assertRounded(evaluate('=GAMMA.DIST(10.00001131,9,2,FALSE)'), 0.032639, 6)
  assertRounded(evaluate('=GAMMA.DIST(10.00001131,9,2,TRUE)'), 0.068094, 6)
  assertRounded(evaluate('=GAMMADIST(10.00001131,9,2,TRUE)'), 0.068094, 6)
  assertRounded(evaluate('=GAMMA.INV(0.068094,9,2)'), 10.0000112, 7)
  // P(9, 1e-5) = e^-1e-5 Σ_{k>=9} 1e-5^k / k!, and its inverse gives back the scaled 10
  const p = evaluate('=GAMMA.DIST(10,9,1000000,TRUE)')
  assertClose(p / 2.7557071209240235e-51, 1, 1e-13) // mpmath, 40 digits
  assertClose(evaluate(`=GAMMA.INV(${p},9,1000000)`), 10, 1e-12)
  assert.strictEqual(evaluate('=GAMMA.INV(0,9,2)'), 0)
  assertError(evaluate('=GAMMA.INV(1,9,2)'), '#NUM!')
  assertError(evaluate('=GAMMA.DIST(-1,9,2,TRUE)'), '#NUM!')
})

// https://support.microsoft.com/office/t-dist-function-4329459f-ae91-48c2-bba8-1ead1c6c21b2
// https://support.microsoft.com/office/t-dist-2t-function-198e9340-e360-4230-bd21-f52f22ff5c28
// https://support.microsoft.com/office/t-dist-rt-function-20a30020-86f9-4b35-af1f-7ef6ae683eda
// https://support.microsoft.com/office/tdist-function-630a7695-4021-4e0b-9a0a-c4fd3e9bd6bb
test('T.DIST and its tails: documented examples', () => {
  assertRounded(evaluate('=T.DIST(60,1,TRUE)'), 0.99469533, 8)
  assertRounded(evaluate('=T.DIST(8,3,FALSE)'), 0.00073691, 8)
  assertRounded(evaluate('=T.DIST.2T(1.959999998,60)'), 0.054645, 6)
  assertRounded(evaluate('=T.DIST.RT(1.959999998,60)'), 0.027322, 6)
  assertRounded(evaluate('=TDIST(1.959999998,60,2)'), 0.05464493, 8)
  assertRounded(evaluate('=TDIST(1.959999998,60,1)'), 0.027322465, 9)
  // 3 degrees of freedom has a closed form: F(t) = 1/2 + (t/√3/(1+t²/3) + atan(t/√3)) / π
  const u = 2 / Math.sqrt(3)
  assertClose(evaluate('=T.DIST(2,3,TRUE)'), 0.5 + (u / (1 + u * u) + Math.atan(u)) / Math.PI, 1e-15)
  assert.strictEqual(evaluate('=T.DIST(0,3,TRUE)'), 0.5)
  assertError(evaluate('=T.DIST.2T(-1,3)'), '#NUM!')
  assertError(evaluate('=TDIST(1,3,3)'), '#NUM!')
  // Excel's saved results: the density with zero degrees of freedom divides by zero
  assertError(evaluate('=T.DIST(1,0,FALSE)'), '#DIV/0!')
  assertError(evaluate('=T.DIST(1,0,TRUE)'), '#NUM!')
})

// https://support.microsoft.com/office/t-inv-function-2908272b-4e61-4942-9df9-a25fec9b0e2e
// https://support.microsoft.com/office/t-inv-2t-function-ce72ea19-ec6c-4be7-bed2-b9baf2264f17
// https://support.microsoft.com/office/confidence-t-function-e8eca395-6c3a-4ba9-9003-79ccc61d3c53
test('T.INV, T.INV.2T, TINV and CONFIDENCE.T: documented examples, inverse to full precision', () => {
  assertRounded(evaluate('=T.INV(0.75,2)'), 0.8164966, 7)
  assertRounded(evaluate('=T.INV.2T(0.546449,60)'), 0.606533, 6)
  assertRounded(evaluate('=TINV(0.054644930,60)'), 1.959999998, 9)
  assertRounded(evaluate('=CONFIDENCE.T(0.05,1,50)'), 0.284196855, 9)
  // with 2 degrees of freedom t = (2p - 1) / √(2p(1 - p))
  assertClose(evaluate('=T.INV(0.9,2)'), 0.8 / Math.sqrt(2 * 0.9 * 0.1), 1e-14)
  assertClose(evaluate('=T.INV(T.DIST(3,4,TRUE),4)'), 3, 1e-13)
  assertError(evaluate('=T.INV(0,2)'), '#NUM!')
  assertError(evaluate('=T.INV.2T(1.5,2)'), '#NUM!')
  assertError(evaluate('=CONFIDENCE.T(0.05,1,1)'), '#DIV/0!')
})

// https://support.microsoft.com/office/t-test-function-d4e08ec3-c545-485f-962e-276f7cbed055
test('T.TEST: documented example, the three types, paired pairs and errors', () => {
  const data = [[3, 6], [4, 19], [5, 3], [8, 2], [9, 14], [1, 4], [2, 5], [4, 17], [5, 1]]
  assertRounded(evaluate('=T.TEST(A1:A9,B1:B9,2,1)', data), 0.196016, 6)
  assertRounded(evaluate('=TTEST(A1:A9,B1:B9,2,1)', data), 0.196016, 6)
  // the same samples in scipy.stats (ttest_rel, ttest_ind pooled and Welch)
  assertClose(evaluate('=T.TEST(A1:A9,B1:B9,2,1)', data), 0.19601578492528204, 1e-13)
  assertClose(evaluate('=T.TEST(A1:A9,B1:B9,2,2)', data), 0.19199588676039622, 1e-13)
  assertClose(evaluate('=T.TEST(A1:A9,B1:B9,2,3)', data), 0.20229392336867796, 1e-13)
  assertClose(evaluate('=T.TEST(A1:A9,B1:B9,1,3)', data), 0.20229392336867796 / 2, 1e-13)
  // a pair with a blank is dropped: one pair left is #DIV/0!; ranges of different sizes are #N/A
  assertError(evaluate('=T.TEST(A1:A2,B1:B2,2,1)', [[1, 4], [2, null]]), '#DIV/0!')
  assertError(evaluate('=T.TEST(A1:A2,B1:B3,2,1)', [[1, 4], [2, 5], [3, 6]]), '#N/A')
  assertError(evaluate('=T.TEST(A1:A9,B1:B9,3,1)', data), '#NUM!')
  // paired: the first error pair by pair, the first range's error before the second's
  assertError(evaluate('=T.TEST(A1:A2,B1:B2,2,1)', [[true, '=NA()'], ['=1/0', 5]]), '#N/A')
  assertError(evaluate('=T.TEST(A1:A2,B1:B2,2,2)', [[true, '=NA()'], ['=1/0', 5]]), '#DIV/0!')
})

// https://support.microsoft.com/office/f-dist-function-a887efdc-7c8e-46cb-a74a-f884cd29b25d
// https://support.microsoft.com/office/f-inv-function-0dda0cf9-4ea0-42fd-8c3c-417a1ff30dbe
// https://support.microsoft.com/office/f-inv-rt-function-d371aa8f-b0b1-40ef-9cc2-496f0693ac00
test('F.DIST, F.DIST.RT, F.INV, F.INV.RT: documented examples', () => {
  assertRounded(evaluate('=F.DIST(15.2069,6,4,TRUE)'), 0.99, 6)
  assertRounded(evaluate('=F.DIST(15.2069,6,4,FALSE)'), 0.0012238, 7)
  assertRounded(evaluate('=F.DIST.RT(15.2068649,6,4)'), 0.01, 8)
  assertRounded(evaluate('=FDIST(15.2068649,6,4)'), 0.01, 8)
  assertRounded(evaluate('=F.INV(0.01,6,4)'), 0.10930991, 8)
  assertRounded(evaluate('=F.INV.RT(0.01,6,4)'), 15.206865, 6)
  assertRounded(evaluate('=FINV(0.01,6,4)'), 15.206865, 6)
  // F(2, 2): the right tail is 1 / (1 + x)
  assertClose(evaluate('=F.DIST.RT(3,2,2)'), 0.25, 1e-15)
  assertClose(evaluate('=F.INV.RT(0.25,2,2)'), 3, 1e-14)
  assertError(evaluate('=F.INV(0.5,0.4,3)'), '#NUM!')
})

// https://support.microsoft.com/office/beta-dist-function-11188c9c-780a-42c7-ba43-9ecb5a878d31
// https://support.microsoft.com/office/beta-inv-function-e84cb8aa-8df0-4cf6-9892-83a341d252eb
test('BETA.DIST and BETA.INV: documented examples and bounds', () => {
  assertRounded(evaluate('=BETA.DIST(2,8,10,TRUE,1,3)'), 0.6854706, 7)
  assertRounded(evaluate('=BETA.DIST(2,8,10,FALSE,1,3)'), 1.4837646, 7)
  assertRounded(evaluate('=BETADIST(2,8,10,1,3)'), 0.6854706, 7)
  assertClose(evaluate('=BETA.INV(0.685470581,8,10,1,3)'), 2, 1e-8)
  // x may sit on a bound
  assert.strictEqual(evaluate('=BETA.DIST(1,1,1,TRUE)'), 1)
  assert.strictEqual(evaluate('=BETA.DIST(0,3,3,TRUE)'), 0)
  assertError(evaluate('=BETA.DIST(2,1,1,TRUE)'), '#NUM!')
  assertError(evaluate('=BETA.INV(1,3,2)'), '#NUM!')
})

// https://support.microsoft.com/office/binom-dist-function-c5ae37b6-f39c-4be2-94c2-509a1480770c
// https://support.microsoft.com/office/binom-inv-function-80a0370c-ada6-49b4-83e7-05a91ba77ac9
test('BINOM.DIST and BINOM.INV: documented examples, errors first, probability 1', () => {
  assertRounded(evaluate('=BINOM.DIST(6,10,0.5,FALSE)'), 0.2050781, 7)
  assertClose(evaluate('=BINOM.DIST(6,10,0.5,FALSE)'), 210 / 1024, 1e-14)
  assertClose(evaluate('=BINOM.DIST(7,8,0.7,TRUE)'), 1 - 0.7 ** 8, 1e-14)
  assertClose(evaluate('=BINOMDIST(1,1000000,0.00001,TRUE)'), 0.00049937879769512180, 1e-10)
  assert.strictEqual(evaluate('=BINOM.INV(6,0.5,0.75)'), 4)
  assert.strictEqual(evaluate('=CRITBINOM(6,0.5,0.75)'), 4)
  // every argument is converted before any is checked: the #DIV/0! wins over a bad probability
  assertError(evaluate('=BINOM.DIST(3,2,3,1/0)'), '#DIV/0!')
  assertError(evaluate('=BINOM.INV(2,3,1/0)'), '#DIV/0!')
  assertError(evaluate('=BINOM.INV(10,1,0.8)'), '#NUM!')
  assertError(evaluate('=BINOM.DIST(3,2,0.5,TRUE)'), '#NUM!')
})

// https://support.microsoft.com/office/negbinom-dist-function-c8239f89-c2d0-45bd-b6af-172e570f8599
test('NEGBINOM.DIST: documented example, probabilities 0 and 1, large arguments', () => {
  assertRounded(evaluate('=NEGBINOM.DIST(10,5,0.25,TRUE)'), 0.3135141, 7)
  assertRounded(evaluate('=NEGBINOM.DIST(10,5,0.25,FALSE)'), 0.0550487, 7)
  assertRounded(evaluate('=NEGBINOMDIST(10,5,0.25)'), 0.0550487, 7)
  assertError(evaluate('=NEGBINOM.DIST(2,10,0,TRUE)'), '#NUM!')
  assertError(evaluate('=NEGBINOM.DIST(2,10,1,TRUE)'), '#NUM!')
  assertError(evaluate('=NEGBINOM.DIST(3,2,3,1/0)'), '#DIV/0!')
  // 36531 failures far above the mean 46028 * 0.3 / 0.7 = 19726: the cdf is 1, the point ~0
  assert.strictEqual(evaluate('=NEGBINOM.DIST(36531,46028,0.7,TRUE)'), 1)
  assert.ok(evaluate('=NEGBINOM.DIST(36531,46028,0.7,FALSE)') < 1e-300)
  // one success: the geometric distribution, P(F <= f) = 1 - (1 - p)^(f + 1)
  assertClose(evaluate('=NEGBINOM.DIST(4,1,0.3,TRUE)'), 1 - 0.7 ** 5, 1e-14)
})

// https://support.microsoft.com/office/hypgeom-dist-function-6dbd547f-1d12-4b1f-8ae5-b0d9e3d22fbf
test('HYPGEOM.DIST: documented example, the cumulative form outside the range', () => {
  assertRounded(evaluate('=HYPGEOM.DIST(1,4,8,20,TRUE)'), 0.4654, 4)
  assertRounded(evaluate('=HYPGEOM.DIST(1,4,8,20,FALSE)'), 0.3633, 4)
  assertClose(evaluate('=HYPGEOMDIST(1,4,8,20)'), 8 * 220 / 4845, 1e-14) // C(8,1) C(12,3) / C(20,4)
  assert.strictEqual(evaluate('=HYPGEOM.DIST(0,0,0,0,TRUE)'), 1)
  assert.strictEqual(evaluate('=HYPGEOM.DIST(0,2,3,3,TRUE)'), 0)
  assert.strictEqual(evaluate('=HYPGEOM.DIST(5,3,2,30,TRUE)'), 1)
  assertError(evaluate('=HYPGEOM.DIST(5,10,30,7,FALSE)'), '#NUM!')
})

// https://support.microsoft.com/office/norm-s-dist-function-1e787282-3832-4520-a9ae-bd2a8d99ba88
// https://support.microsoft.com/office/normsdist-function-463369ea-0345-445d-802a-4ff0d6ce7cac
// https://support.microsoft.com/office/norm-dist-function-edb1cc14-a21c-4e53-839d-8082074c9f8d
// https://support.microsoft.com/office/norm-inv-function-54b30935-fee7-493c-bedb-2278a9db7e13
test('NORM.S.DIST, NORMSDIST, NORM.DIST and the inverses: documented examples', () => {
  assertRounded(evaluate('=NORM.S.DIST(1.333333,TRUE)'), 0.908788726, 9)
  assertRounded(evaluate('=NORM.S.DIST(1.333333,FALSE)'), 0.164010148, 9)
  assertRounded(evaluate('=NORMSDIST(1.333333)'), 0.908789, 6)
  assertClose(evaluate('=NORMSDIST(1)'), 0.841344746068543, 1e-15)
  assertRounded(evaluate('=NORM.DIST(42,40,1.5,TRUE)'), 0.9087888, 7)
  assertRounded(evaluate('=NORM.DIST(42,40,1.5,FALSE)'), 0.10934, 5)
  assertRounded(evaluate('=NORM.INV(0.908789,40,1.5)'), 42.000002, 6)
  assertRounded(evaluate('=NORM.S.INV(0.908789)'), 1.3333347, 7)
  assertError(evaluate('=NORM.S.INV(0)'), '#NUM!')
})

test('the maths: incomplete gamma and beta against closed forms', () => {
  // P(1, x) = 1 - e^-x; I_x(1, b) = 1 - (1 - x)^b; I_x(a, 1) = x^a
  assertClose(maths.incompleteGamma(1, 0.5).p, -Math.expm1(-0.5), 1e-15)
  assertClose(maths.incompleteGamma(1, 30).q / Math.exp(-30), 1, 1e-14)
  assertClose(maths.incompleteBeta(0.3, 1, 7).p, 1 - 0.7 ** 7, 1e-15)
  assertClose(maths.incompleteBeta(0.3, 5, 1).p, 0.3 ** 5, 1e-14)
  assertClose(maths.normalCdf(-30) / 4.906713927148187e-198, 1, 1e-12) // mpmath ncdf(-30)
})
