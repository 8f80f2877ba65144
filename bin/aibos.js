#!/usr/bin/env node
// Before any WebAssembly compiles (the SQL parser, PGlite): keep V8 on its
// baseline compiler. A CLI run is short, and optimising the parser's large
// module cost more than it saved — a one-file lint ran 2-3x faster without it
// and even the 4,400-file corpus lint got faster (see bench/README.md).
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--liftoff-only');
// dist/cli/ is the bundled CLI (scripts/bundle.mjs): a handful of files to load instead of one per source module.
await import('../dist/cli/main.js');
