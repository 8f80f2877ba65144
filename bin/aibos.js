#!/usr/bin/env node
// CommonJS (bin/package.json): a start from an ES module first sets up Node's ES-module loader, ~8 ms of
// every run. `lint` and `migrate` (a pre-commit hook's and a deploy's commands) run from their CommonJS
// bundles through their loaders (scripts/bundle.mjs); the other commands through dist/cli/main.js.
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');
const { setFlagsFromString } = require('node:v8');

// Before any WebAssembly compiles (the SQL parser, PGlite): keep V8 on its
// baseline compiler. A CLI run is short, and optimising the parser's large
// module cost more than it saved — a one-file lint ran 2-3x faster without it
// and even the 4,400-file corpus lint got faster (see bench/README.md).
setFlagsFromString('--liftoff-only');

const cli = path.join(__dirname, '..', 'dist', 'cli');
const name = require(path.join(cli, 'command-name.cjs')).commandName(process.argv.slice(2));
const loader = /^[a-z]+$/.test(name ?? '') ? path.join(cli, `${name}-loader.cjs`) : undefined;
if (loader && existsSync(loader)) require(loader).main();
else import('../dist/cli/main.js');
