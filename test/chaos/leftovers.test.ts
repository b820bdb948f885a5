import { chaosTests } from './cases.js';

chaosTests('Leftovers and slow stops', 2);
