// Types of the chaos suite (plain ESM JS on the TypeScript harness, run through tsx),
// for the node:test files under test/chaos.

/** Sizes of a run: `ci` (npm test), `short` (npm run chaos in CI), `long` (release). */
export interface Profile {
  name: 'ci' | 'short' | 'long';
  pick<T>(sizes: { ci?: T; short: T; long?: T }): T;
}

/** One chaos case. */
export interface ChaosCase {
  id: string;
  group: string;
  title: string;
  /** False: too slow for npm test; only in `npm run chaos`. */
  ci: boolean;
  lane: string;
  run(p: Profile): Promise<{ figures?: string; failures: string[]; skipped?: string; notes?: string[] }>;
}

/** What a case found. */
export interface CaseResult {
  id: string;
  group: string;
  title: string;
  status: 'pass' | 'fail' | 'skip' | 'known' | 'xpass';
  figures: string;
  notes: string[];
  failures: string[];
  skipped?: string;
  known?: string;
  ms: number;
}

export const CASES: ChaosCase[];
export const KNOWN: Record<string, string>;
export function profile(name: string): Profile;
export function runCase(c: ChaosCase, p: Profile): Promise<CaseResult>;
export function cliPath(): string;
export function stats(values: number[]): { n: number; p50: number; p95: number; max: number };
