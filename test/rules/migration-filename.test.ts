import { describeFixtures } from './harness.js';

describeFixtures('migration-filename');
