import { describeFixtures } from './harness.js';

describeFixtures('require-tenant-id');
