import { chaosTests } from './cases.js';

chaosTests('Lock', 2);
