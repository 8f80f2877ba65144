import { describeFixtures } from './harness.js';

describeFixtures('require-timestamps');
