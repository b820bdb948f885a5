import { chaosTests } from './cases.js';

chaosTests('Security', 3);
