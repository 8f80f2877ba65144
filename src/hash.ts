/**
 * SHA-256 of a text as hex, with node:crypto loaded on first use: a lint that needs no
 * checksum (one file outside a migrations folder, as a pre-commit hook may lint) skips
 * loading it (~5 ms of a ~125 ms run).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let crypto: typeof import('node:crypto') | undefined;

export function sha256Hex(text: string): string {
  crypto ??= require('node:crypto') as typeof import('node:crypto');
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}
