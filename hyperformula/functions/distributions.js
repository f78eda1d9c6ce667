'use strict'
// Statistical distributions to Excel's precision. HyperFormula 3.5 computes them with jStat,
// whose gamma function, incomplete beta and inverses are good to about 1e-8 only, and its
// argument checks run one argument at a time (a #NUM! on the first argument hides a #DIV/0!
// in a later one, where Excel gives the error value first). Every function here replaces the
// built-in of the same name: the arguments are all converted first, then checked.
//
// The maths: log-gamma by Lanczos (Godfrey's g = 607/128) with Stirling's series for large
// arguments; point probabilities by Loader's saddle-point method ("Fast and accurate
// computation of binomial probabilities", 2000: stirlerr and bd0, as R's dbinom does);
// regularized incomplete gamma by series or Legendre's continued fraction, incomplete beta by
// its continued fraction (Numerical Recipes 6.2 and 6.4, modified Lentz); inverses by Newton
// steps kept inside a bisection bracket, to full double precision.
const { FunctionPlugin, FunctionArgumentType: T, CellError } = require('hyperformula')
const { error, translationsFor, isNumber, rawNumber, cellsOf } = require('./common')

const EPS = 2.220446049250313e-16
const TINY = 1e-300
const LN_SQRT_2PI = 0.918938533204672741780329736406
const LN_2PI = 1.837877066409345483560659472811

// ---------------------------------------------------------------- gamma

const LANCZOS_G = 607 / 128
const LANCZOS = [0.99999999999999709182, 57.156235665862923517, -59.597960355475491248, 14.136097974741747174,
  -0.49191381609762019978, 0.33994649984811888699e-4, 0.46523628927048575665e-4, -0.98374475304879564677e-4,
  0.15808870322491248884e-3, -0.21026444172410488319e-3, 0.21743961811521264320e-3, -0.16431810653676389022e-3,
  0.84418223983852743293e-4, -0.26190838401581408670e-4, 0.36899182659531622704e-5]

function lanczosSum (z) {
  let sum = LANCZOS[0]
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i)
  return sum
}

// sin(pi x) with the argument reduced exactly, so that large x keep their digits.
function sinPi (x) {
  let r = x % 2
  if (r > 1) r -= 2
  else if (r < -1) r += 2
  if (r === 0 || r === 1 || r === -1) return 0
  if (Math.abs(r) === 0.5) return Math.sign(r)
  return Math.sin(Math.PI * r)
}

// Stirling's error ln Γ(n+1) - ((n+0.5) ln n - n + ln √(2π)): the series for large n, where
// it is accurate to the last digit; directly for small n.
function stirlerr (n) {
  if (n <= 15) return lnGamma(n + 1) - (n + 0.5) * Math.log(n) + n - LN_SQRT_2PI
  const nn = n * n
  return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / (1188 * nn)) / nn) / nn) / nn) / n
}

// ln Γ(x) for x > 0.
function lnGamma (x) {
  if (x === 1 || x === 2) return 0
  if (x < 0.5) return Math.log(Math.PI / Math.abs(sinPi(x))) - lnGamma(1 - x)
  // stirlerr(x) is also ln Γ(x) - ((x - 0.5) ln x - x + ln √(2π)), since Γ(x+1) = x Γ(x)
  if (x > 15) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlerr(x)
  const z = x - 1
  const t = z + LANCZOS_G + 0.5
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(lanczosSum(z))
}

// Γ(x): exact factorials for whole numbers, Lanczos otherwise, the reflection formula below
// 0.5. Infinity or NaN when the result does not exist or overflows.
function gammaFn (x) {
  if (x === Math.floor(x)) {
    if (x <= 0) return NaN
    if (x > 171) return Infinity
    let f = 1
    for (let i = 2; i < x; i++) f *= i
    return f
  }
  if (x < 0.5) {
    const s = sinPi(x)
    const g = gammaFn(1 - x)
    if (Number.isFinite(g)) return Math.PI / (s * g)
    return Math.sign(s) * Math.exp(Math.log(Math.PI) - Math.log(Math.abs(s)) - lnGamma(1 - x))
  }
  if (x > 171.7) return Infinity
  const z = x - 1
  const t = z + LANCZOS_G + 0.5
  const half = Math.pow(t, (z + 0.5) / 2) // t^(z+0.5) in two halves: it overflows before Γ does
  return Math.sqrt(2 * Math.PI) * half * (half * Math.exp(-t)) * lanczosSum(z)
}

// x ln(x/np) + np - x, without the cancellation when x is close to np (Loader).
function bd0 (x, np) {
  if (Math.abs(x - np) < 0.1 * (x + np)) {
    let v = (x - np) / (x + np)
    let s = (x - np) * v
    let ej = 2 * x * v
    v *= v
    for (let j = 1; j < 1000; j++) {
      ej *= v
      const s1 = s + ej / (2 * j + 1)
      if (s1 === s) return s1
      s = s1
    }
  }
  return x * Math.log(x / np) + np - x
}

// ln B(a, b), keeping its digits when a or b is large (as R's lbeta does).
function lnBeta (a, b) {
  const p = Math.min(a, b)
  const q = Math.max(a, b)
  // stirlerr(x) is also ln Γ(x) - ((x - 0.5) ln x - x + ln √(2π)), since Γ(x+1) = x Γ(x)
  if (p >= 10) {
    const corr = stirlerr(p) + stirlerr(q) - stirlerr(p + q)
    return -0.5 * Math.log(q) + LN_SQRT_2PI + corr + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q))
  }
  if (q >= 10) {
    const corr = stirlerr(q) - stirlerr(p + q)
    return lnGamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q))
  }
  return lnGamma(p) + lnGamma(q) - lnGamma(p + q)
}


// ---------------------------------------------------------------- point probabilities

// P(X = x) for X ~ Binomial(n, p), q = 1 - p given apart to keep its digits (Loader).
function binomialPmf (x, n, p, q = 1 - p) {
  if (p === 0) return x === 0 ? 1 : 0
  if (q === 0) return x === n ? 1 : 0
  if (x < 0 || x > n) return 0
  if (x === 0) {
    if (n === 0) return 1
    return Math.exp(p < 0.1 ? -bd0(n, n * q) - n * p : n * Math.log(q))
  }
  if (x === n) return Math.exp(q < 0.1 ? -bd0(n, n * p) - n * q : n * Math.log(p))
  const lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q)
  const lf = LN_2PI + Math.log(x) + Math.log1p(-x / n)
  return Math.exp(lc - 0.5 * lf)
}

// x^a e^-x / Γ(a), the factor in front of both incomplete gamma expansions.
function gammaPrefix (a, x) {
  if (a < 10) return Math.exp(a * Math.log(x) - x - lnGamma(a))
  // a * Poisson(a; x) in Loader's form: no cancellation when x is close to a
  return a * Math.exp(-stirlerr(a) - bd0(a, x)) / Math.sqrt(2 * Math.PI * a)
}

// Regularized incomplete gamma: p = P(a, x), q = Q(a, x) = 1 - p, each with its own digits.
function incompleteGamma (a, x) {
  if (x <= 0) return { p: 0, q: 1 }
  if (x === Infinity) return { p: 1, q: 0 }
  const prefix = gammaPrefix(a, x)
  if (x < a + 1) { // series
    let term = 1 / a
    let sum = term
    for (let n = 1; n < 100000; n++) {
      term *= x / (a + n)
      sum += term
      if (Math.abs(term) < Math.abs(sum) * EPS) break
    }
    const p = sum * prefix
    return { p, q: 1 - p }
  }
  // Legendre's continued fraction (modified Lentz)
  let b = x + 1 - a
  let c = 1 / TINY
  let d = 1 / b
  let h = d
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < TINY) d = TINY
    c = b + an / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) < EPS) break
  }
  const q = prefix * h
  return { p: 1 - q, q }
}

// ---------------------------------------------------------------- incomplete beta

// x^a y^b / B(a, b) with y = 1 - x. Of x and y, the smaller carries the digits (1 - 1e-5
// is rounded, 1e-5 is not), so the larger one's logarithm is taken as log1p of the other.
function betaPrefix (a, b, x, y) {
  if (a < 10 || b < 10) {
    const lx = x <= 0.5 ? Math.log(x) : Math.log1p(-y)
    const ly = y <= 0.5 ? Math.log(y) : Math.log1p(-x)
    return Math.exp(a * lx + b * ly - lnBeta(a, b))
  }
  // Loader's form again: the large terms of a ln x and b ln y cancel exactly
  const n = a + b
  const nx = x <= 0.5 ? n * x : n - n * y
  const ny = y <= 0.5 ? n * y : n - n * x
  return Math.sqrt(a * b / (2 * Math.PI * n)) *
    Math.exp(stirlerr(n) - stirlerr(a) - stirlerr(b) - bd0(a, nx) - bd0(b, ny))
}

// The continued fraction of I_x(a, b) (Numerical Recipes' betacf, modified Lentz).
// Its first term 1 - (a+b) x / (a+1) cancels when x is near 1: then it is taken from y.
function betaFraction (a, b, x, y) {
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = x <= 0.5 ? 1 - qab * x / qap : (1 - b + qab * y) / qap
  if (Math.abs(d) < TINY) d = TINY
  d = 1 / d
  let h = d
  for (let m = 1; m < 100000; m++) {
    const m2 = 2 * m
    let aa = m * (b - m) * x / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    h *= d * c
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) < EPS) break
  }
  return h
}

// Regularized incomplete beta: p = I_x(a, b), q = 1 - p, y = 1 - x given apart.
function incompleteBeta (x, a, b, y = 1 - x) {
  if (x <= 0) return { p: 0, q: 1 }
  if (y <= 0) return { p: 1, q: 0 }
  const prefix = betaPrefix(a, b, x, y)
  if (x < (a + 1) / (a + b + 2)) {
    const p = prefix * betaFraction(a, b, x, y) / a
    return { p, q: 1 - p }
  }
  const q = prefix * betaFraction(b, a, y, x) / b
  return { p: 1 - q, q }
}

// ---------------------------------------------------------------- inversion

// The x in [lo, hi] where the increasing f(x) equals target: Newton steps with the
// derivative df, or bisection (geometric on a wide positive bracket) when a step would leave
// the bracket. Stops when the bracket is down to the last bits of x.
function solveIncreasing (f, df, target, lo, hi, x) {
  if (!(x > lo && x < hi)) x = middle(lo, hi)
  for (let i = 0; i < 2000; i++) {
    const fx = f(x) - target
    if (fx === 0) return x
    if (fx < 0) lo = x
    else hi = x
    const d = df(x)
    let next = d > 0 && Number.isFinite(d) ? x - fx / d : NaN
    if (!(next > lo && next < hi)) next = middle(lo, hi)
    if (Math.abs(next - x) <= 2 * EPS * Math.abs(x) || hi - lo <= 2 * EPS * Math.abs(x)) return next
    x = next
  }
  return x
}

function middle (lo, hi) {
  return lo > 0 && hi > 4 * lo ? Math.sqrt(lo * hi) : lo + (hi - lo) / 2
}

// An upper bound of a positive variable: double `start` until f reaches target.
function bracketAbove (f, target, start) {
  let hi = start > 0 ? start : 1
  for (let i = 0; i < 2100 && f(hi) < target; i++) hi *= 2
  return hi
}

// ---------------------------------------------------------------- distributions

// Student's t: the upper tail P(T > t) for t >= 0, the cdf and the density.
function tTail (t, df) {
  const t2 = t * t
  if (!Number.isFinite(t2)) return 0
  return 0.5 * incompleteBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2)).p
}

function tCdf (t, df) {
  return t < 0 ? tTail(-t, df) : 1 - tTail(t, df)
}

function tPdf (t, df) {
  return Math.exp(-(df + 1) / 2 * Math.log1p(t * t / df) - lnBeta(df / 2, 0.5)) / Math.sqrt(df)
}

// The t >= 0 whose upper tail is q (0 < q <= 0.5).
function tTailInverse (q, df) {
  if (q >= 0.5) return 0
  const hi = bracketAbove((t) => -tTail(t, df), -q, 1)
  return solveIncreasing((t) => -tTail(t, df), (t) => tPdf(t, df), -q, 0, hi, Math.min(1, hi))
}

function tInverse (p, df) {
  return p < 0.5 ? -tTailInverse(p, df) : tTailInverse(1 - p, df)
}

// Gamma(shape a, scale 1): density, and the x where the lower (or upper) tail is p.
function gammaPdf (x, a) {
  if (x === 0) return a === 1 ? 1 : a < 1 ? Infinity : 0
  return gammaPrefix(a, x) / x
}

function gammaInverse (p, a) {
  if (p === 0) return 0
  const lower = p <= 0.5
  const target = lower ? p : 1 - p
  const f = lower ? (x) => incompleteGamma(a, x).p : (x) => -incompleteGamma(a, x).q
  const goal = lower ? target : -target
  const hi = bracketAbove(f, goal, a)
  return solveIncreasing(f, (x) => gammaPdf(x, a), goal, 0, hi, Math.min(a, hi / 2))
}

// Beta(a, b) on [0, 1]: density and inverse.
function betaPdf (x, a, b) {
  if (x === 0) return a === 1 ? b : a < 1 ? Infinity : 0
  if (x === 1) return b === 1 ? a : b < 1 ? Infinity : 0
  return betaPrefix(a, b, x, 1 - x) / (x * (1 - x))
}

function betaInverse (p, a, b) {
  const lower = p <= 0.5
  const f = lower ? (x) => incompleteBeta(x, a, b).p : (x) => -incompleteBeta(x, a, b).q
  return solveIncreasing(f, (x) => betaPdf(x, a, b), lower ? p : -(1 - p), 0, 1, a / (a + b))
}

// F(d1, d2): the lower and upper tails share one incomplete beta.
function fTails (x, d1, d2) {
  if (x <= 0) return { p: 0, q: 1 }
  if (x === Infinity) return { p: 1, q: 0 }
  const u = d1 * x
  return incompleteBeta(u / (u + d2), d1 / 2, d2 / 2, d2 / (u + d2))
}

function fPdf (x, d1, d2) {
  if (x === 0) return d1 === 2 ? 1 : d1 < 2 ? Infinity : 0
  const u = d1 * x
  return betaPrefix(d1 / 2, d2 / 2, u / (u + d2), d2 / (u + d2)) / x
}

// upper: p is the right tail.
function fInverse (p, d1, d2, upper) {
  const lowerTail = upper ? 1 - p : p
  const useLower = lowerTail <= 0.5
  const f = useLower ? (x) => fTails(x, d1, d2).p : (x) => -fTails(x, d1, d2).q
  const goal = useLower ? lowerTail : -(upper ? p : 1 - p)
  const hi = bracketAbove(f, goal, 1)
  return solveIncreasing(f, (x) => fPdf(x, d1, d2), goal, 0, hi, Math.min(1, hi / 2))
}

// Standard normal: Φ through the incomplete gamma, erfc(x) = Q(1/2, x²).
function normalCdf (z) {
  if (z === 0) return 0.5
  const half = 0.5 * incompleteGamma(0.5, z * z / 2).q
  return z < 0 ? half : 1 - half
}

function normalPdf (z) {
  return Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI)
}

function normalInverse (p) {
  if (p === 0.5) return 0
  const q = p < 0.5 ? p : 1 - p
  const f = (z) => -0.5 * incompleteGamma(0.5, z * z / 2).q
  const z = solveIncreasing(f, normalPdf, -q, 0, 40, 1)
  return p < 0.5 ? -z : z
}

// Binomial lower tail P(X <= k), k whole.
function binomialCdf (k, n, p) {
  if (k < 0) return 0
  if (k >= n) return 1
  return incompleteBeta(1 - p, n - k, k + 1, p).p
}

// ---------------------------------------------------------------- Excel's functions

const num = (value) => (Number.isFinite(value) ? value : error('NUM', 'The result is out of range'))
const bad = (why) => error('NUM', why)
const trunc = Math.trunc

// T.TEST's samples. Paired (type 1): ranges of different sizes are #N/A, pairs where either
// value is not a number are dropped, and the first error met pair by pair is the result.
// Otherwise every number of each range, the first error of the first range, then the second.
function pairedSamples (xs, ys) {
  const xv = cellsOf(xs)
  const yv = cellsOf(ys)
  if (xv.length !== yv.length) return error('NA', 'Paired samples differ in size')
  const d = []
  for (let i = 0; i < xv.length; i++) {
    if (xv[i] instanceof CellError) return xv[i]
    if (yv[i] instanceof CellError) return yv[i]
    if (isNumber(xv[i]) && isNumber(yv[i])) d.push(rawNumber(xv[i]) - rawNumber(yv[i]))
  }
  return d
}

function sample (range) {
  const out = []
  for (const cell of cellsOf(range)) {
    if (cell instanceof CellError) return cell
    if (isNumber(cell)) out.push(rawNumber(cell))
  }
  return out
}

function meanAndSquares (v) {
  const m = v.reduce((a, b) => a + b, 0) / v.length
  return { m, ss: v.reduce((s, x) => s + (x - m) ** 2, 0), n: v.length }
}

// The t statistic and its degrees of freedom for each type of T.TEST.
function tStatistic (xs, ys, type) {
  if (type === 1) {
    const d = pairedSamples(xs, ys)
    if (d instanceof CellError) return d
    if (d.length < 2) return error('DIV_BY_ZERO', 'T.TEST needs two pairs')
    const { m, ss, n } = meanAndSquares(d)
    if (ss === 0) return error('DIV_BY_ZERO', 'The differences do not vary')
    return { t: m / Math.sqrt(ss / (n - 1) / n), df: n - 1 }
  }
  const x = sample(xs)
  if (x instanceof CellError) return x
  const y = sample(ys)
  if (y instanceof CellError) return y
  if (x.length < 2 || y.length < 2) return error('DIV_BY_ZERO', 'T.TEST needs two values in each sample')
  const a = meanAndSquares(x)
  const b = meanAndSquares(y)
  if (type === 2) {
    const df = a.n + b.n - 2
    const pooled = (a.ss + b.ss) / df
    if (pooled === 0) return error('DIV_BY_ZERO', 'The samples do not vary')
    return { t: (a.m - b.m) / Math.sqrt(pooled * (1 / a.n + 1 / b.n)), df }
  }
  // Welch: unequal variances, Satterthwaite's (fractional) degrees of freedom
  const va = a.ss / (a.n - 1) / a.n
  const vb = b.ss / (b.n - 1) / b.n
  if (va + vb === 0) return error('DIV_BY_ZERO', 'The samples do not vary')
  const df = (va + vb) ** 2 / (va * va / (a.n - 1) + vb * vb / (b.n - 1))
  return { t: (a.m - b.m) / Math.sqrt(va + vb), df }
}

// Hypergeometric P(X = s): s successes in a sample of n drawn from N holding K successes
// (R's dhyper, from three binomial probabilities).
function hypergeometricPmf (s, n, K, N) {
  if (n === 0 || N === 0) return s === 0 ? 1 : 0
  if (n === N) return s === K ? 1 : 0
  const p = n / N
  const q = (N - n) / N
  return binomialPmf(s, K, p, q) * binomialPmf(n - s, N - K, p, q) / binomialPmf(n, N, p, q)
}

const N = { argumentType: T.NUMBER }
const B = { argumentType: T.BOOLEAN }
const R = { argumentType: T.RANGE }

class Distributions extends FunctionPlugin {
  // ---- gamma
  gamma (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('GAMMA'), (x) => {
      if (x <= 0 && x === Math.floor(x)) return bad('GAMMA is undefined at 0 and negative integers')
      const g = gammaFn(x)
      return g === 0 ? bad('GAMMA underflows') : num(g)
    })
  }

  gammaln (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('GAMMALN'), (x) => (x <= 0 ? bad('x must be positive') : num(lnGamma(x))))
  }

  gammadist (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('GAMMA.DIST'), (x, a, b, cumulative) => {
      if (x < 0 || a <= 0 || b <= 0) return bad('x must be >= 0, alpha and beta > 0')
      return num(cumulative ? incompleteGamma(a, x / b).p : gammaPdf(x / b, a) / b)
    })
  }

  gammainv (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('GAMMA.INV'), (p, a, b) => {
      if (p < 0 || p >= 1 || a <= 0 || b <= 0) return bad('probability must be in [0, 1), alpha and beta > 0')
      return num(gammaInverse(p, a) * b)
    })
  }

  // ---- Student's t
  tdist (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('T.DIST'), (x, df, cumulative) => {
      df = trunc(df)
      // Excel's density divides by a zero deg_freedom before it checks it
      if (df === 0 && !cumulative) return error('DIV_BY_ZERO', 'deg_freedom is 0')
      if (df < 1) return bad('deg_freedom must be at least 1')
      return num(cumulative ? tCdf(x, df) : tPdf(x, df))
    })
  }

  tdistrt (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('T.DIST.RT'), (x, df) => {
      df = trunc(df)
      return df < 1 ? bad('deg_freedom must be at least 1') : num(x < 0 ? 1 - tTail(-x, df) : tTail(x, df))
    })
  }

  tdist2t (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('T.DIST.2T'), (x, df) => {
      df = trunc(df)
      return x < 0 || df < 1 ? bad('x must be >= 0 and deg_freedom >= 1') : num(2 * tTail(x, df))
    })
  }

  tdistlegacy (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('TDIST'), (x, df, tails) => {
      df = trunc(df)
      tails = trunc(tails)
      if (x < 0 || df < 1 || (tails !== 1 && tails !== 2)) return bad('x >= 0, deg_freedom >= 1, tails 1 or 2')
      return num(tails * tTail(x, df))
    })
  }

  tinv (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('T.INV'), (p, df) => {
      df = trunc(df)
      return p <= 0 || p >= 1 || df < 1 ? bad('probability in (0, 1), deg_freedom >= 1') : num(tInverse(p, df))
    })
  }

  tinv2t (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('T.INV.2T'), (p, df) => {
      df = trunc(df)
      return p <= 0 || p > 1 || df < 1 ? bad('probability in (0, 1], deg_freedom >= 1') : num(tTailInverse(p / 2, df))
    })
  }

  ttest (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('T.TEST'), (xs, ys, tails, type) => {
      tails = trunc(tails)
      type = trunc(type)
      if ((tails !== 1 && tails !== 2) || !(type >= 1 && type <= 3)) return bad('tails 1 or 2, type 1 to 3')
      const stat = tStatistic(xs, ys, type)
      if (stat instanceof CellError) return stat
      return num(tails * tTail(Math.abs(stat.t), stat.df))
    })
  }

  confidencet (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('CONFIDENCE.T'), (alpha, sd, size) => {
      size = trunc(size)
      if (alpha <= 0 || alpha >= 1 || sd <= 0 || size < 1) return bad('alpha in (0, 1), standard_dev > 0, size >= 1')
      if (size === 1) return error('DIV_BY_ZERO', 'size must be above 1')
      return num(tTailInverse(alpha / 2, size - 1) * sd / Math.sqrt(size))
    })
  }

  // ---- F
  fdist (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('F.DIST'), (x, d1, d2, cumulative) => {
      const bounds = fArguments(x, d1, d2)
      if (bounds instanceof CellError) return bounds
      return num(cumulative ? fTails(x, bounds[0], bounds[1]).p : fPdf(x, bounds[0], bounds[1]))
    })
  }

  fdistrt (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('F.DIST.RT'), (x, d1, d2) => {
      const bounds = fArguments(x, d1, d2)
      return bounds instanceof CellError ? bounds : num(fTails(x, bounds[0], bounds[1]).q)
    })
  }

  finv (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('F.INV'), (p, d1, d2) => {
      const bounds = fArguments(0, d1, d2)
      if (bounds instanceof CellError) return bounds
      if (p < 0 || p >= 1) return bad('probability must be in [0, 1)')
      return p === 0 ? 0 : num(fInverse(p, bounds[0], bounds[1], false))
    })
  }

  finvrt (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('F.INV.RT'), (p, d1, d2) => {
      const bounds = fArguments(0, d1, d2)
      if (bounds instanceof CellError) return bounds
      if (p <= 0 || p > 1) return bad('probability must be in (0, 1]')
      return p === 1 ? 0 : num(fInverse(p, bounds[0], bounds[1], true))
    })
  }

  // ---- beta
  betadist (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('BETA.DIST'), (x, a, b, cumulative, lo, hi) =>
      betaDistribution(x, a, b, cumulative, lo, hi))
  }

  betadistlegacy (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('BETADIST'), (x, a, b, lo, hi) =>
      betaDistribution(x, a, b, true, lo, hi))
  }

  betainv (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('BETA.INV'), (p, a, b, lo, hi) => {
      if (p <= 0 || p >= 1 || a <= 0 || b <= 0 || lo >= hi) return bad('probability in (0, 1), alpha, beta > 0, A < B')
      return num(lo + (hi - lo) * betaInverse(p, a, b))
    })
  }

  // ---- discrete
  binomdist (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('BINOM.DIST'), (s, n, p, cumulative) => {
      s = trunc(s)
      n = trunc(n)
      if (s < 0 || s > n || p < 0 || p > 1) return bad('0 <= number_s <= trials, probability in [0, 1]')
      return num(cumulative ? binomialCdf(s, n, p) : binomialPmf(s, n, p))
    })
  }

  binominv (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('BINOM.INV'), (n, p, alpha) => {
      n = trunc(n)
      if (n < 0 || p < 0 || p >= 1 || alpha <= 0 || alpha >= 1) return bad('trials >= 0, probability in [0, 1), alpha in (0, 1)')
      let lo = -1 // cdf(lo) < alpha <= cdf(hi)
      let hi = n
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2)
        if (binomialCdf(mid, n, p) >= alpha) hi = mid
        else lo = mid
      }
      return hi
    })
  }

  negbinomdist (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('NEGBINOM.DIST'), (f, s, p, cumulative) =>
      negativeBinomial(f, s, p, cumulative))
  }

  negbinomdistlegacy (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('NEGBINOMDIST'), (f, s, p) => negativeBinomial(f, s, p, false))
  }

  hypgeomdist (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('HYPGEOM.DIST'), (s, n, K, total, cumulative) =>
      hypergeometric(s, n, K, total, cumulative))
  }

  hypgeomdistlegacy (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('HYPGEOMDIST'), (s, n, K, total) =>
      hypergeometric(s, n, K, total, false))
  }

  // ---- normal
  normsdist (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('NORM.S.DIST'), (z, cumulative) =>
      num(cumulative ? normalCdf(z) : normalPdf(z)))
  }

  normsdistlegacy (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('NORMSDIST'), (z) => num(normalCdf(z)))
  }

  normdist (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('NORM.DIST'), (x, mean, sd, cumulative) => {
      if (sd <= 0) return bad('standard_dev must be positive')
      const z = (x - mean) / sd
      return num(cumulative ? normalCdf(z) : normalPdf(z) / sd)
    })
  }

  normsinv (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('NORM.S.INV'), (p) =>
      (p <= 0 || p >= 1 ? bad('probability must be in (0, 1)') : num(normalInverse(p))))
  }

  norminv (ast, state) {
    return this.runFunction(ast.args, state, this.metadata('NORM.INV'), (p, mean, sd) => {
      if (p <= 0 || p >= 1 || sd <= 0) return bad('probability in (0, 1), standard_dev > 0')
      return num(mean + sd * normalInverse(p))
    })
  }
}

// F's degrees of freedom are truncated; Excel accepts 1 <= df < 10^10.
function fArguments (x, d1, d2) {
  d1 = trunc(d1)
  d2 = trunc(d2)
  if (x < 0 || d1 < 1 || d2 < 1 || d1 >= 1e10 || d2 >= 1e10) return bad('x >= 0 and 1 <= deg_freedom < 10^10')
  return [d1, d2]
}

// BETA.DIST on [lo, hi]: x may sit on either bound; the density scales by 1 / (hi - lo).
function betaDistribution (x, a, b, cumulative, lo, hi) {
  if (a <= 0 || b <= 0 || x < lo || x > hi || lo === hi) return bad('alpha, beta > 0 and A <= x <= B, A < B')
  const u = (x - lo) / (hi - lo)
  return num(cumulative ? incompleteBeta(u, a, b).p : betaPdf(u, a, b) / (hi - lo))
}

// f failures before the s-th success; the cdf is I_p(s, f + 1).
function negativeBinomial (f, s, p, cumulative) {
  f = trunc(f)
  s = trunc(s)
  if (f < 0 || s < 1 || p <= 0 || p >= 1) return bad('number_f >= 0, number_s >= 1, probability in (0, 1)')
  if (cumulative) return num(incompleteBeta(p, s, f + 1).p)
  return num(s / (s + f) * binomialPmf(s, s + f, p))
}

function hypergeometric (s, n, K, total, cumulative) {
  s = trunc(s)
  n = trunc(n)
  K = trunc(K)
  total = trunc(total)
  const low = Math.max(0, n - total + K)
  const high = Math.min(n, K)
  if (n < 0 || K < 0 || n > total || K > total || s < 0) return bad('sample and population sizes out of range')
  // Excel's cumulative form takes a sample_s outside the possible range as 0 or 1 (its saved
  // results say so); the point probability is #NUM! there, as documented
  if (cumulative && s < low) return 0
  if (cumulative && s > high) return 1
  if (s < low || s > high) return bad('sample_s is outside the possible range')
  if (!cumulative) return num(hypergeometricPmf(s, n, K, total))
  // Summed from s down: left of the mode the terms only shrink, so the loop stops once they
  // no longer count (a few standard deviations, not s terms, on large populations)
  let sum = 0
  let previous = Infinity
  for (let i = s; i >= low; i--) {
    const term = hypergeometricPmf(i, n, K, total)
    sum += term
    if (term < previous && term <= sum * EPS * 1e-3) break
    previous = term
  }
  return num(Math.min(1, sum))
}

const OPTIONAL_0 = { argumentType: T.NUMBER, defaultValue: 0 }
const OPTIONAL_1 = { argumentType: T.NUMBER, defaultValue: 1 }

Distributions.implementedFunctions = {
  GAMMA: { method: 'gamma', parameters: [N] },
  GAMMALN: { method: 'gammaln', parameters: [N] },
  'GAMMALN.PRECISE': { method: 'gammaln', parameters: [N] },
  'GAMMA.DIST': { method: 'gammadist', parameters: [N, N, N, B] },
  'GAMMA.INV': { method: 'gammainv', parameters: [N, N, N] },
  'T.DIST': { method: 'tdist', parameters: [N, N, B] },
  'T.DIST.RT': { method: 'tdistrt', parameters: [N, N] },
  'T.DIST.2T': { method: 'tdist2t', parameters: [N, N] },
  TDIST: { method: 'tdistlegacy', parameters: [N, N, N] },
  'T.INV': { method: 'tinv', parameters: [N, N] },
  'T.INV.2T': { method: 'tinv2t', parameters: [N, N] },
  'T.TEST': { method: 'ttest', parameters: [R, R, N, N] },
  'CONFIDENCE.T': { method: 'confidencet', parameters: [N, N, N] },
  'F.DIST': { method: 'fdist', parameters: [N, N, N, B] },
  'F.DIST.RT': { method: 'fdistrt', parameters: [N, N, N] },
  'F.INV': { method: 'finv', parameters: [N, N, N] },
  'F.INV.RT': { method: 'finvrt', parameters: [N, N, N] },
  'BETA.DIST': { method: 'betadist', parameters: [N, N, N, B, OPTIONAL_0, OPTIONAL_1] },
  BETADIST: { method: 'betadistlegacy', parameters: [N, N, N, OPTIONAL_0, OPTIONAL_1] },
  'BETA.INV': { method: 'betainv', parameters: [N, N, N, OPTIONAL_0, OPTIONAL_1] },
  'BINOM.DIST': { method: 'binomdist', parameters: [N, N, N, B] },
  'BINOM.INV': { method: 'binominv', parameters: [N, N, N] },
  'NEGBINOM.DIST': { method: 'negbinomdist', parameters: [N, N, N, B] },
  NEGBINOMDIST: { method: 'negbinomdistlegacy', parameters: [N, N, N] },
  'HYPGEOM.DIST': { method: 'hypgeomdist', parameters: [N, N, N, N, B] },
  HYPGEOMDIST: { method: 'hypgeomdistlegacy', parameters: [N, N, N, N] },
  'NORM.S.DIST': { method: 'normsdist', parameters: [N, B] },
  NORMSDIST: { method: 'normsdistlegacy', parameters: [N] },
  'NORM.DIST': { method: 'normdist', parameters: [N, N, N, B] },
  'NORM.S.INV': { method: 'normsinv', parameters: [N] },
  'NORM.INV': { method: 'norminv', parameters: [N, N, N] },
}

// The older names: the built-in plugin's aliases still point at its own methods, so every
// name of a replaced function is registered again here.
Distributions.aliases = {
  GAMMADIST: 'GAMMA.DIST',
  GAMMAINV: 'GAMMA.INV',
  TINV: 'T.INV.2T',
  TTEST: 'T.TEST',
  FDIST: 'F.DIST.RT',
  FINV: 'F.INV.RT',
  BETAINV: 'BETA.INV',
  BINOMDIST: 'BINOM.DIST',
  CRITBINOM: 'BINOM.INV',
  NORMDIST: 'NORM.DIST',
  NORMINV: 'NORM.INV',
  NORMSINV: 'NORM.S.INV',
}

module.exports = [{ plugin: Distributions, translations: translationsFor(Distributions) }]
// The maths alone, for the tests.
module.exports.maths = { lnGamma, gammaFn, stirlerr, bd0, lnBeta, sinPi, binomialPmf, incompleteGamma, incompleteBeta, tCdf, tPdf, tInverse, gammaInverse, betaInverse, fTails, fInverse, normalCdf, normalInverse, binomialCdf }
