import { chaosTests } from './cases.js';

chaosTests('Hostile inputs', 2);
