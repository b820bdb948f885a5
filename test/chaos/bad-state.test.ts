import { chaosTests } from './cases.js';

chaosTests('Bad daemon.json', 3);
