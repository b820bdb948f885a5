import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserOpener, openUrl } from '../../../src/kit/process/open-url.js';

test('browserOpener: xdg-open on Linux only with a display; open on macOS', () => {
  assert.deepEqual(browserOpener('linux', { DISPLAY: ':0' }), { command: 'xdg-open', args: [] });
  assert.deepEqual(browserOpener('linux', { WAYLAND_DISPLAY: 'wayland-0' }), { command: 'xdg-open', args: [] });
  assert.ok('reason' in browserOpener('linux', {}));
  assert.ok('reason' in browserOpener('freebsd', { DISPLAY: '' }));
  assert.deepEqual(browserOpener('darwin', {}), { command: 'open', args: [] });
});

test('openUrl without a display launches nothing and says why', async () => {
  const r = await openUrl('http://127.0.0.1:1/', { platform: 'linux', env: { PATH: '/nonexistent' } });
  assert.equal(r.opened, false);
  assert.match(!r.opened ? r.reason : '', /no display/);
});

test('openUrl reports an opener that is not installed instead of throwing', async () => {
  const r = await openUrl('http://127.0.0.1:1/', { platform: 'linux', env: { DISPLAY: ':0', PATH: '/nonexistent' } });
  assert.equal(r.opened, false);
  assert.match(!r.opened ? r.reason : '', /xdg-open failed: not installed/);
});
