import { describeFixtures } from './harness.js';

describeFixtures('require-fk-on-id');
