'use strict'
const test = require('node:test')
const { evaluate, assertClose, assertRounded, assertError } = require('./helpers')

// Microsoft's CONVERT page.
test('CONVERT: documented examples', () => {
  assertRounded(evaluate('=CONVERT(1,"lbm","kg")'), 0.4535924, 7)
  assertClose(evaluate('=CONVERT(68,"F","C")'), 20)
  assertError(evaluate('=CONVERT(2.5,"ft","sec")'), '#N/A')
  assertClose(evaluate('=CONVERT(CONVERT(100,"ft","m"),"ft","m")'), 9.290304)
  assertClose(evaluate('=CONVERT(6,"tsp","tbs")'), 2) // from the page's table of units: 3 tsp = 1 tbs
})

// Exact definitions: 1 in = 2.54 cm, 1 mi = 1609.344 m, 1 gal = 231 in3.
test('CONVERT: exact unit definitions and prefixes', () => {
  assertClose(evaluate('=CONVERT(1,"in","cm")'), 2.54)
  assertClose(evaluate('=CONVERT(1,"mi","km")'), 1.609344)
  assertClose(evaluate('=CONVERT(1,"gal","l")'), 3.785411784)
  assertClose(evaluate('=CONVERT(1,"km2","m2")'), 1e6)
  assertClose(evaluate('=CONVERT(1,"day","hr")'), 24)
  assertClose(evaluate('=CONVERT(1,"yr","day")'), 365.25)
  assertClose(evaluate('=CONVERT(1,"kbyte","bit")'), 8000)
  assertClose(evaluate('=CONVERT(1,"kibyte","byte")'), 1024)
  assertClose(evaluate('=CONVERT(1,"kWh","J")'), 3.6e6)
  assertClose(evaluate('=CONVERT(100,"C","K")'), 373.15)
  assertClose(evaluate('=CONVERT(0,"K","F")'), -459.67)
  assertClose(evaluate('=CONVERT(1,"atm","Pa")'), 101325)
  assertClose(evaluate('=CONVERT(1,"ton","lbm")'), 2000)
})

// Units of Microsoft's table built from their definitions.
test('CONVERT: the rest of the unit table', () => {
  assertClose(evaluate('=CONVERT(1,"sg","lbm")'), 9.80665 / 0.3048) // 1 lbf / (1 ft/s2)
  assertClose(evaluate('=CONVERT(1,"u","g")'), 1.660538782e-24) // CODATA 2006
  assertClose(evaluate('=CONVERT(1,"eV","J")'), 1.602176487e-19) // CODATA 2006
  assertClose(evaluate('=CONVERT(1,"pc","ly")'), 3.26156377694566, 1e-9) // 648000/pi au
  assertClose(evaluate('=CONVERT(1,"ly","m")'), 9460730472580800)
  assertClose(evaluate('=CONVERT(760,"Torr","atm")'), 1)
  assertClose(evaluate('=CONVERT(1,"mmHg","Pa")'), 133.322)
  assertClose(evaluate('=CONVERT(1,"flb","J")'), 0.3048 * 0.45359237 * 9.80665)
  assertClose(evaluate('=CONVERT(1,"regton","ft3")'), 100)
  assertClose(evaluate('=CONVERT(1,"MTON","ft^3")'), 40)
  assertClose(evaluate('=CONVERT(1,"Nmi3","m3")'), 1852 ** 3)
  assertClose(evaluate('=CONVERT(72,"Pica^2","in2")'), 1 / 72)
  assertClose(evaluate('=CONVERT(1,"uk_acre","yd2")'), 4840)
  assertClose(evaluate('=CONVERT(1,"ha","ar")'), 100)
  assertClose(evaluate('=CONVERT(1,"admkn","kn")'), 6080 * 0.3048 / 1852) // 6,080 ft an hour
})

test('CONVERT: prefixes, squared and cubed', () => {
  assertClose(evaluate('=CONVERT(1,"km^2","m2")'), 1e6)
  assertClose(evaluate('=CONVERT(1,"cm3","L")'), 1e-3)
  assertClose(evaluate('=CONVERT(1,"Tang3","L")'), 1e9) // (1e12 x 1e-10 m)^3 = 1e6 m3
  assertClose(evaluate('=CONVERT(1,"kang2","m2")'), 1e-14)
  assertClose(evaluate('=CONVERT(1,"km/h","m/s")'), 1 / 3.6)
  assertClose(evaluate('=CONVERT(1,"MeV","J")'), 1.602176487e-13)
  assertClose(evaluate('=CONVERT(1,"Gpc","Ym")'), 30.856775814913673, 1e-9)
  assertClose(evaluate('=CONVERT(1,"Mibyte","kibyte")'), 1024)
  assertClose(evaluate('=CONVERT(1,"Gibit","bit")'), 2 ** 30)
  assertClose(evaluate('=CONVERT(1,"dam","m")'), 10)
  assertClose(evaluate('=CONVERT(1,"mK","K")'), 1e-3)
  assertError(evaluate('=CONVERT(1,"kly2","m2")'), '#N/A') // ly takes a prefix, ly2 does not
  assertError(evaluate('=CONVERT(1,"kim","m")'), '#N/A') // binary prefixes only for bit and byte
  assertError(evaluate('=CONVERT(1,"kft2","m2")'), '#N/A')
})

// A name that is a unit of two groups takes the group of the other unit.
test('CONVERT: "pc" is a parsec or a picocalorie', () => {
  assertClose(evaluate('=CONVERT(1,"pc","J")'), 4.184e-12)
  assertClose(evaluate('=CONVERT(1,"pc","m")'), 648000 / Math.PI * 149597870700)
})

test('CONVERT: unknown units and mixed groups are #N/A', () => {
  assertError(evaluate('=CONVERT(1,"furlong","m")'), '#N/A')
  assertError(evaluate('=CONVERT(1,"kmi","m")'), '#N/A') // mile takes no prefix
  assertError(evaluate('=CONVERT(1,"g","m")'), '#N/A')
})

test('CONVERT: a boolean is not a number; numeric text is', () => {
  const { evaluate: run, assertError: isError } = require('./helpers')
  isError(run('=CONVERT(TRUE,"C","F")'), '#VALUE!')
  isError(run('=CONVERT(A1,"C","F")', [[true]]), '#VALUE!')
  require('node:assert').strictEqual(run('=CONVERT("100","C","F")'), 212)
})
