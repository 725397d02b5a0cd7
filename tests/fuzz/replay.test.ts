import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { httpCase, wsCase, type HttpCase } from './endpoint-corpus.js';
import { judgeOverlap } from './endpoint-driver.js';
import { parseReplaySpec, selectCases } from './replay.js';
import type { RawResponse } from './raw-http.js';

describe('fuzz replay: naming cases', () => {
  it('parses http:N and ws:N entries in the order given', () => {
    assert.deepEqual(parseReplaySpec('http:1016, ws:3,http:0'), [
      { kind: 'http', index: 1016 },
      { kind: 'ws', index: 3 },
      { kind: 'http', index: 0 },
    ]);
  });

  it('refuses an entry that is not http:N or ws:N, naming it', () => {
    assert.throws(() => parseReplaySpec('http:1,tcp:2'), /"tcp:2" is not http:N or ws:N/);
    assert.throws(() => parseReplaySpec('http:-1'), /"http:-1"/);
    assert.throws(() => parseReplaySpec(' , '), /no case given/);
  });

  it('regenerates the very case a longer run of the same seed sent at that index', () => {
    const seed = 20261206;
    const run = { http: fc.sample(httpCase, { numRuns: 400, seed }), ws: fc.sample(wsCase, { numRuns: 100, seed }) };
    const [http, ws] = selectCases(parseReplaySpec('http:317,ws:42'), seed);
    assert.deepEqual(http?.testCase, run.http[317]);
    assert.deepEqual(ws?.testCase, run.ws[42]);
  });
});

const overlappingPost: HttpCase = {
  family: 'on a live polling session',
  session: 'polling',
  method: 'POST',
  target: '/socket.io/?EIO=4&transport=polling&sid={sid}',
  headers: [],
  body: '4x',
  concurrent: true,
};
const answered = (status: number, body = ''): RawResponse => ({
  outcome: 'answered',
  status,
  headers: {},
  body: Buffer.from(body),
});
const aborted: RawResponse = { outcome: 'closed without answer', headers: {}, body: Buffer.alloc(0) };

describe('fuzz driver: overlapping requests judged per protocol', () => {
  it('accepts two overlapping POSTs answered by 400 and an aborted first POST, in either order', () => {
    assert.equal(judgeOverlap(overlappingPost, [answered(400), aborted]).failure, undefined);
    assert.equal(judgeOverlap(overlappingPost, [aborted, answered(400)]).failure, undefined);
  });

  it('still counts a POST closed without an answer as a hang when the other was not refused', () => {
    assert.equal(judgeOverlap(overlappingPost, [answered(200, 'ok'), aborted]).failure, 'hang');
    assert.equal(judgeOverlap(overlappingPost, [aborted, aborted]).failure, 'hang');
  });

  it('does not excuse an aborted GET: an overlapping poll must be answered with the close packet', () => {
    const overlappingGet: HttpCase = { ...overlappingPost, method: 'GET' };
    delete overlappingGet.body;
    assert.equal(judgeOverlap(overlappingGet, [answered(400), aborted]).failure, 'hang');
  });
});
