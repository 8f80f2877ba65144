import { describeFixtures } from './harness.js';

describeFixtures('require-index-on-fk');
