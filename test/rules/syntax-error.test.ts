import { describeFixtures } from './harness.js';

describeFixtures('syntax-error');
