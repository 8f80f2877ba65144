import { describeFixtures } from './harness.js';

describeFixtures('ban-drop-column');
