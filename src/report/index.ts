import { UsageError } from '../errors.js';
import { formatJson } from './json.js';
import { formatStylish } from './stylish.js';
import type { Formatter } from './types.js';

export type { Formatter, FormatOptions } from './types.js';

/** Formatter registry: `--format <name>`. */
export const formatters: Record<string, Formatter> = {
  stylish: formatStylish,
  json: formatJson,
};

export function getFormatter(name: string): Formatter {
  const formatter = formatters[name];
  if (!formatter) throw new UsageError(`--format ${name}: unknown format; use one of ${Object.keys(formatters).join(', ')}.`);
  return formatter;
}
