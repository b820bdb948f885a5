import { chaosTests } from './cases.js';

chaosTests('Terminal', 2);
