import { chaosTests } from './cases.js';

chaosTests('Disk', 3);
