import { chaosTests } from './cases.js';

chaosTests('GraphQL endpoint', 2);
