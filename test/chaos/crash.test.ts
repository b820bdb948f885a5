import { chaosTests } from './cases.js';

chaosTests('Crash points', 2);
