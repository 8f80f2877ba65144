import { describeFixtures } from './harness.js';

describeFixtures('migration-sequence-range');
