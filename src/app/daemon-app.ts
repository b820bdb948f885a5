import type { DaemonApp } from '../kit/define.js';

/** tend's daemon side: supervises the project's services (wired in by the services layer). */
export const tendApp: DaemonApp<object> = {
  async start() {
    return {};
  },
  async stop() {},
};
