import assert from 'node:assert/strict';
import { test } from 'node:test';
import { METADATA_SCHEMA, parseMetadata, type Metadata } from '../../../src/kit/state/metadata.js';

const VALID: Metadata = {
  schema: METADATA_SCHEMA,
  pid: 4242,
  processStartTime: '123456',
  bootId: null,
  instanceId: '5b0c5d2e-1f0e-4a36-9f55-2a8f6f0d2b61',
  startedAt: '2026-01-01T00:00:00.000Z',
  version: '1.2.3',
  endpoint: 'http://127.0.0.1:4100/graphql',
  host: '127.0.0.1',
  port: 4100,
  token: 'tok',
  projectDir: '/home/u/project',
  logFile: '/state/project-0123abcd/daemon.log',
  foreground: false,
  stopTimeoutMs: 15_000,
};

const text = (over: Record<string, unknown>) => JSON.stringify({ ...VALID, ...over });

function invalid(input: string): string {
  const read = parseMetadata(input);
  assert.equal(read.kind, 'invalid', `accepted: ${input}`);
  return read.kind === 'invalid' ? read.reason : '';
}

test('parseMetadata accepts a complete record, with or without a process start time, and extra fields', () => {
  assert.deepEqual(parseMetadata(JSON.stringify(VALID)), { kind: 'ok', metadata: VALID });
  const noStart = parseMetadata(text({ processStartTime: null }));
  assert.equal(noStart.kind, 'ok');
  assert.equal(parseMetadata(text({ futureField: 1 })).kind, 'ok');
});

test('parseMetadata calls an empty or blank file empty', () => {
  assert.match(invalid(''), /empty/);
  assert.match(invalid(' \n\t'), /empty/);
});

test('parseMetadata refuses text that is not JSON, truncated included', () => {
  assert.match(invalid('garbage'), /not JSON/);
  assert.match(invalid(JSON.stringify(VALID).slice(0, 40)), /not JSON/);
  assert.match(invalid('\u0000\u0000'), /not JSON/);
});

test('parseMetadata refuses JSON that is not an object', () => {
  for (const v of ['null', '[]', '[1,2]', '42', '"daemon"', 'true']) assert.match(invalid(v), /not a JSON object/, v);
});

test('parseMetadata names each missing field; a missing boot id reads as unknown', () => {
  const { bootId: _omitted, ...withoutBoot } = VALID;
  const read = parseMetadata(JSON.stringify(withoutBoot));
  assert.equal(read.kind === 'ok' && read.metadata.bootId, null);
  for (const key of Object.keys(VALID).filter((k) => k !== 'bootId' && k !== 'stopTimeoutMs')) {
    const record: Record<string, unknown> = { ...VALID };
    delete record[key];
    assert.equal(invalid(JSON.stringify(record)), `field "${key}" is missing`);
  }
});

test('parseMetadata names each field of the wrong type', () => {
  const wrong: Record<keyof Metadata, unknown> = {
    schema: '1',
    pid: '4242',
    bootId: 7,
    processStartTime: 123456,
    instanceId: 7,
    startedAt: null,
    version: 1,
    endpoint: {},
    host: [],
    port: '4100',
    token: null,
    projectDir: false,
    logFile: 0,
    foreground: 'false',
    stopTimeoutMs: '10s',
  };
  for (const [key, value] of Object.entries(wrong)) {
    assert.match(invalid(text({ [key]: value })), new RegExp(`field "${key}" is not a`), key);
  }
});

test('parseMetadata refuses another schema version', () => {
  assert.match(invalid(text({ schema: METADATA_SCHEMA + 1 })), /schema 2 is not 1/);
  assert.match(invalid(text({ schema: 0 })), /schema/);
});

test('parseMetadata refuses pids that cannot be a daemon', () => {
  for (const pid of [0, 1, -4242, 1.5, 2 ** 60]) assert.match(invalid(text({ pid })), /is not a daemon pid/, String(pid));
});

test('parseMetadata refuses ports out of range', () => {
  for (const port of [0, -1, 65536, 80.5]) assert.match(invalid(text({ port })), /out of range/, String(port));
});

test('stopTimeoutMs: absent (an older daemon) reads as null; a negative or non-finite one is refused', () => {
  const { stopTimeoutMs: _, ...older } = VALID;
  const read = parseMetadata(JSON.stringify(older));
  assert.equal(read.kind === 'ok' && read.metadata.stopTimeoutMs, null);
  assert.match(invalid(text({ stopTimeoutMs: -1 })), /stopTimeoutMs -1 is not a duration/);
});
