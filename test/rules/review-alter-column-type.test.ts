import { describeFixtures } from './harness.js';

describeFixtures('review-alter-column-type');
