import { describeFixtures } from './harness.js';

describeFixtures('ban-float-money');
