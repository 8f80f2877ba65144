import type { Rule } from '../src/lint/types.js';
import invalidAck from './invalid-ack.js';
import migrationChecksum from './migration-checksum.js';
import migrationFilename from './migration-filename.js';
import migrationSequenceRange from './migration-sequence-range.js';
import requireTenantId from './require-tenant-id.js';
import requireTimestamps from './require-timestamps.js';
import syntaxError from './syntax-error.js';
// Governance rules (RULES.md, first table).
import requireDownFile from './require-down-file.js';
import requireMigrationHeader from './require-migration-header.js';
import requireSoftDelete from './require-soft-delete.js';
import requireSchemaQualified from './require-schema-qualified.js';
import requireIdempotent from './require-idempotent.js';
import banFloatMoney from './ban-float-money.js';
import requireFkOnId from './require-fk-on-id.js';
import requireIndexOnFk from './require-index-on-fk.js';
import requireRls from './require-rls.js';
import banDropColumn from './ban-drop-column.js';
import banDropTable from './ban-drop-table.js';
import reviewAlterColumnType from './review-alter-column-type.js';
import duplicateEntity from './duplicate-entity.js';
import normalForm1nf from './normal-form-1nf.js';
import normalForm2nf from './normal-form-2nf.js';
import normalForm3nf from './normal-form-3nf.js';

/** Every built-in rule, in the order `aibos rules` lists them. */
export const builtinRules: Rule[] = [
  syntaxError,
  migrationFilename,
  migrationSequenceRange,
  migrationChecksum,
  requireTenantId,
  requireTimestamps,
  requireDownFile,
  requireMigrationHeader,
  requireSoftDelete,
  requireSchemaQualified,
  requireIdempotent,
  banFloatMoney,
  requireFkOnId,
  requireIndexOnFk,
  requireRls,
  banDropColumn,
  banDropTable,
  reviewAlterColumnType,
  duplicateEntity,
  normalForm1nf,
  normalForm2nf,
  normalForm3nf,
  invalidAck,
] as Rule[];
