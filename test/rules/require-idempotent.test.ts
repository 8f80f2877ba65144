import { describeFixtures } from './harness.js';

describeFixtures('require-idempotent');
