#!/usr/bin/env node
'use strict';
Promise.resolve(require('../dist/cli.js').main(process.argv.slice(2))).then((code) => {
  if (typeof code === 'number') process.exitCode = code;
});
