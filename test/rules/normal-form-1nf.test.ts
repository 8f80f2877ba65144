import { describeFixtures } from './harness.js';

describeFixtures('normal-form-1nf');
