'use strict'
// CONVERT with the unit table of Microsoft's CONVERT page
// (https://support.microsoft.com/office/convert-function-d785bef1-808e-4aac-bdcd-666c810f9af2).
// Each unit is a factor to its group's base unit, built from exact
// definitions (1 in = 0.0254 m, 1 lb = 0.45359237 kg, g0 = 9.80665 m/s2, ...).
// The physical constants are the CODATA 2006 values Excel's table uses
// (u = 1.660538782e-27 kg, eV = 1.602176487e-19 J).
const { FunctionPlugin, FunctionArgumentType: T, CellError } = require('hyperformula')
const { error, translationsFor, rawNumber } = require('./common')

const INCH = 0.0254
const FOOT = 12 * INCH
const YARD = 3 * FOOT
const MILE = 5280 * FOOT
const NAUTICAL_MILE = 1852
const ANGSTROM = 1e-10
const PICA_POINT = INCH / 72
const LIGHT_YEAR = 9460730472580800 // 299792458 m/s x 365.25 days (IAU)
const PARSEC = 648000 / Math.PI * 149597870700 // IAU 2012: 648000/pi astronomical units
const POUND = 453.59237 // g
const G0 = 9.80665 // standard gravity, m/s2
const LBF = POUND / 1000 * G0 // N
const GALLON = 231 * INCH ** 3 // US liquid gallon, m3
const UK_GALLON = 4.54609e-3 // m3

// GROUPS[group][name] = [factor to the group's base, options]
//   prefix: takes a metric prefix (km); binary: also a binary one (kibyte);
//   power: 2 or 3 for square and cubic units, whose prefix is squared or cubed (km2 = 1e6 m2).
// Which units take a prefix follows Excel: the SI units and a few others
// (u, ly, parsec, atm, mmHg, cal, eV, Wh; Excel also accepts one on uk_pt
// and mph, so "kmph" is 1,000 mph), but not ly2 or ly3.
const P = { prefix: true }
const GROUPS = {}
function define (group, names, factor, options = {}) {
  GROUPS[group] = GROUPS[group] || {}
  for (const name of names.split(' ')) GROUPS[group][name] = [factor, options]
}
// A square or cubic unit under both spellings, "ft2" and "ft^2".
function definePower (group, power, names, length, options = {}) {
  for (const name of names.split(' ')) define(group, `${name}${power} ${name}^${power}`, length ** power, { ...options, power })
}

// mass, base gram
define('mass', 'g', 1, P)
define('mass', 'sg', POUND * G0 / FOOT) // slug: the mass 1 lbf accelerates at 1 ft/s2
define('mass', 'lbm', POUND)
define('mass', 'u', 1.660538782e-24, P)
define('mass', 'ozm', POUND / 16)
define('mass', 'grain', POUND / 7000)
define('mass', 'cwt shweight', 100 * POUND)
define('mass', 'uk_cwt lcwt hweight', 112 * POUND)
define('mass', 'stone', 14 * POUND)
define('mass', 'ton', 2000 * POUND)
define('mass', 'uk_ton LTON brton', 2240 * POUND)

// distance, base metre
define('distance', 'm', 1, P)
define('distance', 'mi', MILE)
define('distance', 'Nmi', NAUTICAL_MILE)
define('distance', 'in', INCH)
define('distance', 'ft', FOOT)
define('distance', 'yd', YARD)
define('distance', 'ang', ANGSTROM, P)
define('distance', 'ell', 45 * INCH)
define('distance', 'ly', LIGHT_YEAR, P)
define('distance', 'parsec pc', PARSEC, P)
define('distance', 'Picapt Pica', PICA_POINT)
define('distance', 'pica', INCH / 6)
define('distance', 'survey_mi', 5280 * 1200 / 3937)

// time, base second
define('time', 'yr', 365.25 * 86400)
define('time', 'day d', 86400)
define('time', 'hr', 3600)
define('time', 'mn min', 60)
define('time', 'sec s', 1, P)

// pressure, base pascal
define('pressure', 'Pa p', 1, P)
define('pressure', 'atm at', 101325, P)
define('pressure', 'mmHg', 133.322, P) // Excel's table value (13.5951 g/cm3 x g0, rounded)
define('pressure', 'psi', LBF / INCH ** 2)
define('pressure', 'Torr', 101325 / 760)

// force, base newton
define('force', 'N', 1, P)
define('force', 'dyn dy', 1e-5, P)
define('force', 'lbf', LBF)
define('force', 'pond', G0 / 1000, P)

// energy, base joule
define('energy', 'J', 1, P)
define('energy', 'e', 1e-7, P)
define('energy', 'c', 4.184, P)
define('energy', 'cal', 4.1868, P)
define('energy', 'eV ev', 1.602176487e-19, P)
define('energy', 'HPh hh', 550 * FOOT * LBF * 3600)
define('energy', 'Wh wh', 3600, P)
define('energy', 'flb', FOOT * LBF)
define('energy', 'BTU btu', 1055.05585262)

// power, base watt
define('power', 'HP h', 550 * FOOT * LBF)
define('power', 'PS', 75 * G0)
define('power', 'W w', 1, P)

// magnetism, base tesla
define('magnetism', 'T', 1, P)
define('magnetism', 'ga', 1e-4, P)

// Temperatures are affine: each converts to and from kelvin. Kelvin takes
// a prefix (mK) like any SI unit.
const celsius = { temp: [(v) => v + 273.15, (k) => k - 273.15] }
const fahrenheit = { temp: [(v) => (v - 32) * 5 / 9 + 273.15, (k) => (k - 273.15) * 9 / 5 + 32] }
define('temperature', 'C cel', 1, celsius)
define('temperature', 'F fah', 1, fahrenheit)
define('temperature', 'K kel', 1, P)
define('temperature', 'Rank', 5 / 9)
define('temperature', 'Reau', 1, { temp: [(v) => v * 1.25 + 273.15, (k) => (k - 273.15) * 0.8] })

// volume, base cubic metre
define('volume', 'tsp', GALLON / 768)
define('volume', 'tspm', 5e-6)
define('volume', 'tbs', GALLON / 256)
define('volume', 'oz', GALLON / 128)
define('volume', 'cup', GALLON / 16)
define('volume', 'pt us_pt', GALLON / 8)
define('volume', 'uk_pt', UK_GALLON / 8, P)
define('volume', 'qt', GALLON / 4)
define('volume', 'uk_qt', UK_GALLON / 4)
define('volume', 'gal', GALLON)
define('volume', 'uk_gal', UK_GALLON)
define('volume', 'l L lt', 1e-3, P)
define('volume', 'barrel', 42 * GALLON)
define('volume', 'bushel', 2150.42 * INCH ** 3)
define('volume', 'GRT regton', 100 * FOOT ** 3) // register ton: 100 ft3
define('volume', 'MTON', 40 * FOOT ** 3) // measurement (freight) ton: 40 ft3
definePower('volume', 3, 'm', 1, P)
definePower('volume', 3, 'ang', ANGSTROM, P)
definePower('volume', 3, 'ft', FOOT)
definePower('volume', 3, 'in', INCH)
definePower('volume', 3, 'yd', YARD)
definePower('volume', 3, 'mi', MILE)
definePower('volume', 3, 'Nmi', NAUTICAL_MILE)
definePower('volume', 3, 'ly', LIGHT_YEAR)
definePower('volume', 3, 'Picapt Pica', PICA_POINT)

// area, base square metre
define('area', 'uk_acre', 4840 * YARD ** 2)
define('area', 'us_acre', 43560 * (1200 / 3937) ** 2) // 43,560 US survey feet squared
define('area', 'ar', 100, P)
define('area', 'ha', 1e4)
define('area', 'Morgen', 2500)
definePower('area', 2, 'm', 1, P)
definePower('area', 2, 'ang', ANGSTROM, P)
definePower('area', 2, 'ft', FOOT)
definePower('area', 2, 'in', INCH)
definePower('area', 2, 'yd', YARD)
definePower('area', 2, 'mi', MILE)
definePower('area', 2, 'Nmi', NAUTICAL_MILE)
definePower('area', 2, 'ly', LIGHT_YEAR)
definePower('area', 2, 'Picapt Pica', PICA_POINT)

// information, base bit
define('information', 'bit', 1, { prefix: true, binary: true })
define('information', 'byte', 8, { prefix: true, binary: true })

// speed, base metre per second
define('speed', 'm/s m/sec', 1, P)
define('speed', 'm/h m/hr', 1 / 3600, P)
define('speed', 'mph', MILE / 3600, P)
define('speed', 'kn', NAUTICAL_MILE / 3600)
define('speed', 'admkn', 6080 * FOOT / 3600) // Admiralty knot: 6,080 ft per hour

const PREFIXES = {
  Y: 1e24, Z: 1e21, E: 1e18, P: 1e15, T: 1e12, G: 1e9, M: 1e6, k: 1e3, h: 1e2, da: 10, e: 10,
  d: 1e-1, c: 1e-2, m: 1e-3, u: 1e-6, n: 1e-9, p: 1e-12, f: 1e-15, a: 1e-18, z: 1e-21, y: 1e-24,
}
const BINARY_PREFIXES = { ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, Zi: 2 ** 70, Yi: 2 ** 80 }

// A unit name read within one group (case matters): the exact name first,
// then prefix + unit. Binary prefixes are tried first so "Mibyte" is
// mebi-byte. Returns [factor, options] or null.
function resolveIn (group, name) {
  const units = GROUPS[group]
  if (units[name]) return units[name]
  for (const [prefixes, binary] of [[BINARY_PREFIXES, true], [PREFIXES, false]]) {
    for (const prefix of Object.keys(prefixes)) {
      if (!name.startsWith(prefix)) continue
      const unit = units[name.slice(prefix.length)]
      if (unit && unit[1].prefix && (!binary || unit[1].binary)) {
        return [unit[0] * prefixes[prefix] ** (unit[1].power || 1), unit[1]]
      }
    }
  }
  return null
}

// Excel looks for a group in which both names are units, so a name that is
// ambiguous takes the other's group: "pc" is a parsec next to "km" and a
// picocalorie next to "J".
function convert (value, fromName, toName) {
  for (const group of Object.keys(GROUPS)) {
    const from = resolveIn(group, fromName)
    const to = from && resolveIn(group, toName)
    if (!to) continue
    if (from[1].temp || to[1].temp) return toUnit(to, fromUnit(from, value))
    return value * from[0] / to[0]
  }
  return error('NA', `Cannot convert ${fromName} to ${toName}`)
}

// Temperatures go through kelvin; the other units' factors are in kelvin.
function fromUnit ([factor, options], value) {
  return options.temp ? options.temp[0](value) : value * factor
}

function toUnit ([factor, options], kelvin) {
  return options.temp ? options.temp[1](kelvin) : kelvin / factor
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
