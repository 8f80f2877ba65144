import { describeFixtures } from './harness.js';

describeFixtures('require-schema-qualified');
