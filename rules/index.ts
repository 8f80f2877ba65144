import type { Rule } from '../src/lint/types.js';
import invalidAck from './invalid-ack.js';
import migrationChecksum from './migration-checksum.js';
import migrationFilename from './migration-filename.js';
import migrationSequenceRange from './migration-sequence-range.js';
import requireTenantId from './require-tenant-id.js';
import requireTimestamps from './require-timestamps.js';
import syntaxError from './syntax-error.js';
// Safety rules (squawk's ids).
import transactionNesting from './transaction-nesting.js';
import requireConcurrentIndexCreation from './require-concurrent-index-creation.js';
import requireConcurrentIndexDeletion from './require-concurrent-index-deletion.js';
import concurrentlyAlone from './concurrently-alone.js';
import constraintMissingNotValid from './constraint-missing-not-valid.js';
import addingNotNullableField from './adding-not-nullable-field.js';
import addingFieldWithDefault from './adding-field-with-default.js';
import renamingColumn from './renaming-column.js';
import renamingTable from './renaming-table.js';
import banDropNotNull from './ban-drop-not-null.js';
import banTruncateCascade from './ban-truncate-cascade.js';
import requireWhere from './require-where.js';
import securityDefinerSearchPath from './security-definer-search-path.js';
import identifierTooLong from './identifier-too-long.js';
import preferTimestamptz from './prefer-timestamptz.js';
import preferBigintOverInt from './prefer-bigint-over-int.js';
import preferIdentity from './prefer-identity.js';
import preferTextField from './prefer-text-field.js';
import requireLockTimeout from './require-lock-timeout.js';
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
  // Safety rules.
  transactionNesting,
  requireConcurrentIndexCreation,
  requireConcurrentIndexDeletion,
  concurrentlyAlone,
  constraintMissingNotValid,
  addingNotNullableField,
  addingFieldWithDefault,
  renamingColumn,
  renamingTable,
  banDropNotNull,
  banTruncateCascade,
  requireWhere,
  securityDefinerSearchPath,
  identifierTooLong,
  preferTimestamptz,
  preferBigintOverInt,
  preferIdentity,
  preferTextField,
  requireLockTimeout,
] as Rule[];
