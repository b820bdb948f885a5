import { envPrefix } from '../state/paths.js';

/**
 * How long a daemon has to answer a command before the command says it is
 * not answering. A healthy daemon answers in milliseconds; a stopped
 * (SIGSTOP) or wedged one never does, and every command must say so soon.
 */
export const ANSWER_TIMEOUT_MS = 3_000;

/** ANSWER_TIMEOUT_MS, or `<NAME>_ANSWER_TIMEOUT` (seconds) when set to a positive number. */
export function answerTimeoutMs(name: string, env: NodeJS.ProcessEnv): number {
  const raw = env[`${envPrefix(name)}_ANSWER_TIMEOUT`];
  const seconds = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return seconds > 0 && Number.isFinite(seconds) ? seconds * 1000 : ANSWER_TIMEOUT_MS;
}
