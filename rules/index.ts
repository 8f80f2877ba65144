import type { Rule } from '../src/lint/types.js';
import invalidAck from './invalid-ack.js';
import migrationChecksum from './migration-checksum.js';
import migrationFilename from './migration-filename.js';
import migrationSequenceRange from './migration-sequence-range.js';
import requireTenantId from './require-tenant-id.js';
import requireTimestamps from './require-timestamps.js';
import syntaxError from './syntax-error.js';

/** Every built-in rule, in the order `aibos rules` lists them. */
export const builtinRules: Rule[] = [
  syntaxError,
  migrationFilename,
  migrationSequenceRange,
  migrationChecksum,
  requireTenantId,
  requireTimestamps,
  invalidAck,
] as Rule[];
