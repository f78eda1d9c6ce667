'use strict'
// CONVERT for the common units of Excel's table. Each unit is a factor to
// the group's base unit (exact definitions, e.g. 1 in = 0.0254 m). Units
// whose Excel constant we could not confirm (eV, u, parsec, flb, ...) are
// left out on purpose: they give #N/A rather than a silently wrong number.
const { FunctionPlugin, FunctionArgumentType: T, CellError } = require('hyperformula')
const { error, translationsFor, rawNumber } = require('./common')

const INCH = 0.0254
const FOOT = 12 * INCH
const MILE = 5280 * FOOT
const POUND = 0.45359237 // kg
const GALLON = 231 * INCH ** 3 // US liquid gallon, m3
const LBF = POUND * 9.80665 // N

// [group, factor to base, prefixable]
const UNITS = {
  // mass, base gram
  g: ['mass', 1, true],
  lbm: ['mass', POUND * 1000],
  ozm: ['mass', POUND * 1000 / 16],
  grain: ['mass', POUND * 1000 / 7000],
  stone: ['mass', 14 * POUND * 1000],
  ton: ['mass', 2000 * POUND * 1000],
  cwt: ['mass', 100 * POUND * 1000],
  shweight: ['mass', 100 * POUND * 1000],
  uk_cwt: ['mass', 112 * POUND * 1000],
  lcwt: ['mass', 112 * POUND * 1000],
  hweight: ['mass', 112 * POUND * 1000],
  uk_ton: ['mass', 2240 * POUND * 1000],
  LTON: ['mass', 2240 * POUND * 1000],
  brton: ['mass', 2240 * POUND * 1000],
  // distance, base metre
  m: ['distance', 1, true],
  mi: ['distance', MILE],
  Nmi: ['distance', 1852],
  in: ['distance', INCH],
  ft: ['distance', FOOT],
  yd: ['distance', 3 * FOOT],
  ang: ['distance', 1e-10, true],
  ell: ['distance', 45 * INCH],
  ly: ['distance', 9460730472580800, true],
  Pica: ['distance', INCH / 72],
  Picapt: ['distance', INCH / 72],
  pica: ['distance', INCH / 6],
  survey_mi: ['distance', 5280 * 1200 / 3937],
  // time, base second
  yr: ['time', 365.25 * 86400],
  day: ['time', 86400],
  d: ['time', 86400],
  hr: ['time', 3600],
  mn: ['time', 60],
  min: ['time', 60],
  sec: ['time', 1, true],
  s: ['time', 1, true],
  // pressure, base pascal
  Pa: ['pressure', 1, true],
  p: ['pressure', 1, true],
  atm: ['pressure', 101325, true],
  at: ['pressure', 101325, true],
  psi: ['pressure', LBF / INCH ** 2],
  // force, base newton
  N: ['force', 1, true],
  dyn: ['force', 1e-5, true],
  dy: ['force', 1e-5, true],
  lbf: ['force', LBF],
  pond: ['force', 9.80665e-3, true],
  // energy, base joule
  J: ['energy', 1, true],
  e: ['energy', 1e-7, true],
  c: ['energy', 4.184, true],
  cal: ['energy', 4.1868, true],
  Wh: ['energy', 3600, true],
  wh: ['energy', 3600, true],
  HPh: ['energy', 550 * FOOT * LBF * 3600],
  hh: ['energy', 550 * FOOT * LBF * 3600],
  BTU: ['energy', 1055.05585262],
  btu: ['energy', 1055.05585262],
  // power, base watt
  W: ['power', 1, true],
  w: ['power', 1, true],
  HP: ['power', 550 * FOOT * LBF],
  h: ['power', 550 * FOOT * LBF],
  PS: ['power', 75 * 9.80665],
  // magnetism, base tesla
  T: ['magnetism', 1, true],
  ga: ['magnetism', 1e-4, true],
  // volume, base cubic metre
  l: ['volume', 1e-3, true],
  L: ['volume', 1e-3, true],
  lt: ['volume', 1e-3, true],
  tsp: ['volume', GALLON / 768],
  tspm: ['volume', 5e-6],
  tbs: ['volume', GALLON / 256],
  oz: ['volume', GALLON / 128],
  cup: ['volume', GALLON / 16],
  pt: ['volume', GALLON / 8],
  us_pt: ['volume', GALLON / 8],
  uk_pt: ['volume', 4.54609e-3 / 8],
  qt: ['volume', GALLON / 4],
  uk_qt: ['volume', 4.54609e-3 / 4],
  gal: ['volume', GALLON],
  uk_gal: ['volume', 4.54609e-3],
  barrel: ['volume', 42 * GALLON],
  bushel: ['volume', 2150.42 * INCH ** 3],
  m3: ['volume', 1, true],
  ft3: ['volume', FOOT ** 3],
  in3: ['volume', INCH ** 3],
  yd3: ['volume', (3 * FOOT) ** 3],
  mi3: ['volume', MILE ** 3],
  // area, base square metre
  m2: ['area', 1, true],
  ft2: ['area', FOOT ** 2],
  in2: ['area', INCH ** 2],
  yd2: ['area', (3 * FOOT) ** 2],
  mi2: ['area', MILE ** 2],
  Nmi2: ['area', 1852 ** 2],
  ha: ['area', 1e4],
  ar: ['area', 100, true],
  us_acre: ['area', 43560 * (1200 / 3937) ** 2],
  uk_acre: ['area', 4046.8564224],
  Morgen: ['area', 2500],
  // information, base bit
  bit: ['information', 1, true],
  byte: ['information', 8, true],
  // speed, base metre per second
  'm/s': ['speed', 1, true],
  'm/sec': ['speed', 1, true],
  'm/h': ['speed', 1 / 3600, true],
  'm/hr': ['speed', 1 / 3600, true],
  mph: ['speed', MILE / 3600],
  kn: ['speed', 1852 / 3600],
  admkn: ['speed', 1853.184 / 3600],
}

const PREFIXES = {
  Y: 1e24, Z: 1e21, E: 1e18, P: 1e15, T: 1e12, G: 1e9, M: 1e6, k: 1e3, h: 1e2, da: 10, e: 10,
  d: 1e-1, c: 1e-2, m: 1e-3, u: 1e-6, n: 1e-9, p: 1e-12, f: 1e-15, a: 1e-18, z: 1e-21, y: 1e-24,
}
const BINARY_PREFIXES = { ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, Zi: 2 ** 70, Yi: 2 ** 80 }

// Temperatures are affine, so they convert through kelvin.
const TEMPERATURES = {
  C: [(v) => v + 273.15, (k) => k - 273.15],
  cel: [(v) => v + 273.15, (k) => k - 273.15],
  F: [(v) => (v - 32) * 5 / 9 + 273.15, (k) => (k - 273.15) * 9 / 5 + 32],
  fah: [(v) => (v - 32) * 5 / 9 + 273.15, (k) => (k - 273.15) * 9 / 5 + 32],
  K: [(v) => v, (k) => k],
  kel: [(v) => v, (k) => k],
  Rank: [(v) => v * 5 / 9, (k) => k * 9 / 5],
  Reau: [(v) => v * 1.25 + 273.15, (k) => (k - 273.15) * 0.8],
}

// A unit name as Excel reads it: exact names first, then prefix + unit.
// Squared/cubed metric units take the prefix to that power (km2 = 1e6 m2).
function resolve (name) {
  if (UNITS[name]) return { group: UNITS[name][0], factor: UNITS[name][1] }
  if (TEMPERATURES[name]) return { group: 'temperature', temp: TEMPERATURES[name] }
  for (const [prefixes, binary] of [[BINARY_PREFIXES, true], [PREFIXES, false]]) {
    for (const prefix of Object.keys(prefixes)) {
      if (!name.startsWith(prefix)) continue
      const base = name.slice(prefix.length)
      const unit = UNITS[base]
      if (unit && unit[2] && (!binary || unit[0] === 'information')) {
        const power = /[23]$/.test(base) && unit[0] !== 'distance' ? Number(base.slice(-1)) : 1
        return { group: unit[0], factor: unit[1] * prefixes[prefix] ** power }
      }
      if (base === 'K' || base === 'kel') {
        const scale = prefixes[prefix]
        return { group: 'temperature', temp: [(v) => v * scale, (k) => k / scale] }
      }
    }
  }
  return null
}

function convert (value, fromName, toName) {
  const from = resolve(fromName)
  const to = resolve(toName)
  if (!from || !to) return error('NA', `Unknown unit ${!from ? fromName : toName}`)
  if (from.group !== to.group) return error('NA', `Cannot convert ${from.group} to ${to.group}`)
  if (from.group === 'temperature') return to.temp[1](from.temp[0](value))
  return value * from.factor / to.factor
}

class ConvertFunctions extends FunctionPlugin {
  convert (ast, state) {
    // A boolean is not a number to CONVERT in Excel (CONVERT(TRUE,"C","F") is #VALUE!).
    return this.runFunction(ast.args, state, this.metadata('CONVERT'), (value, from, to) => {
      if (typeof value === 'boolean') return error('VALUE', 'CONVERT needs a number')
      const number = coerce(this, value)
      return number instanceof CellError ? number : convert(number, from, to)
    })
  }
}

ConvertFunctions.implementedFunctions = {
  CONVERT: {
    method: 'convert',
    parameters: [{ argumentType: T.SCALAR }, { argumentType: T.STRING }, { argumentType: T.STRING }],
  },
}

// The number argument as Excel reads it (text that looks like a number is one).
function coerce (plugin, value) {
  const number = plugin.arithmeticHelper.coerceScalarToNumberOrError(value)
  return number instanceof CellError ? number : rawNumber(number)
}

module.exports = [{ plugin: ConvertFunctions, translations: translationsFor(ConvertFunctions) }]
