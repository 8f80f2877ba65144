import { describeFixtures } from './harness.js';

describeFixtures('duplicate-entity');
