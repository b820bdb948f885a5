import { chaosTests } from './cases.js';

chaosTests('Races', 2);
