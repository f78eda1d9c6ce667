'use strict'
// Every function plugin the engine registers. Each module exports an array of
// `{ plugin, translations }` where `plugin` is a FunctionPlugin subclass and
// `translations` maps a language code to `{ NAME: 'NAME' }`.
// Add a module here and it is registered at engine start-up.
module.exports = [
  ...require('./text'),
  ...require('./dates'),
  ...require('./lookup'),
  ...require('./stats'),
  ...require('./info'),
  ...require('./cell_info'),
  ...require('./web'),
  ...require('./filterxml'),
  ...require('./math'),
  ...require('./rounding'),
  ...require('./financial'),
  ...require('./bonds'),
  ...require('./securities'),
  ...require('./convert'),
  ...require('./dynamic_refs'),
  ...require('./logical'),
  ...require('./counting'),
  ...require('./stats_extra'),
  ...require('./text_extra'),
  ...require('./text_japanese'),
  ...require('./arrays'),
  ...require('./random'),
  ...require('./groupby'),
  ...require('./regression'),
  ...require('./lambda'),
  ...require('./database'),
  ...require('./distributions'),
  ...require('./fastlookup'), // last: replaces the built-in lookups and SUMIFS & co. (issue 6)
]
