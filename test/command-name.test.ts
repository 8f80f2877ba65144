import { describe, expect, it } from 'vitest';
import { commandName } from '../src/cli/command-name.js';

/** bin/aibos.js picks a command's own bundle (lint, migrate) or main.js by this name. */
describe('the command a command line names', () => {
  it.each([
    [['lint', 'migrations'], 'lint'],
    [['--config', 'other.json', 'lint'], 'lint'],
    [['-c', 'migrate', 'lint'], 'lint'],
    [['--no-color', 'migrate', 'up'], 'migrate'],
    [['--', 'migrate', 'status'], 'migrate'],
    [['--version'], undefined],
    [['-c', 'other.json'], undefined],
    [[], undefined],
  ])('%j names %s', (argv, name) => {
    expect(commandName(argv)).toBe(name);
  });
});
