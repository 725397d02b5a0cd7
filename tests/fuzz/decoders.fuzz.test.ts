// The fast slice of the decoder fuzz suite (the long run is bench/fuzz.mjs): every decoder of ours against the
// hostile corpus, a few exact attacks, and socket.io 4.8's decoders on the same corpus, reported.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { CodecError, Decoder, decodePayloadV3, decodePlainText, type Packet } from '@switchboard/protocol';
import { decoderCase, GOLDEN_COUNTS } from './decoder-corpus.js';
import { DECODER_TARGETS, judge, SLOW_CASE_MS, type Verdict } from './decoder-targets.js';
import { documentedCodecCodes } from './documented-codes.js';

const RUNS_PER_TARGET = Number(process.env.FUZZ_RUNS ?? 150);

function decodeAll(chunks: Array<string | Uint8Array>): Array<Packet | CodecError> {
  const out: Array<Packet | CodecError> = [];
  const decoder = new Decoder();
  decoder.on('decoded', (packet) => out.push(packet)).on('error', (error) => out.push(error));
  for (const chunk of chunks) decoder.add(chunk);
  return out;
}

function codeOf(result: Packet | CodecError | undefined): string {
  return result instanceof CodecError ? result.code : 'accepted';
}

function timed<T>(work: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = work();
  return { value, ms: performance.now() - started };
}

describe('decoder fuzz: ours', () => {
  it('builds its mutations from the golden vectors of the protocol tests', () => {
    assert.ok(GOLDEN_COUNTS.texts >= 50, `only ${GOLDEN_COUNTS.texts} golden texts found`);
  });

  it('reads the codec error codes from docs/errors.md', () => {
    assert.ok(documentedCodecCodes().has('CODEC_ERR_PROTOTYPE_POLLUTION'));
  });

  for (const target of DECODER_TARGETS.filter((t) => t.implementation === 'switchboard')) {
    it(`${target.name} never throws, refuses with documented codes, pollutes nothing, stays under ${SLOW_CASE_MS} ms`, () => {
      fc.assert(
        fc.property(decoderCase, (testCase) => {
          const verdict = judge(target, testCase);
          assert.notEqual(verdict.kind, 'failure', JSON.stringify(verdict));
        }),
        { numRuns: RUNS_PER_TARGET },
      );
    });
  }

  it('refuses an attachment count of 300 digits as too many attachments', () => {
    assert.equal(
      codeOf(decodeAll([`5${'9'.repeat(300)}-["ev",{"_placeholder":true,"num":0}]`])[0]),
      'CODEC_ERR_TOO_MANY_ATTACHMENTS',
    );
  });

  it('refuses 100,000 levels of nested arrays as too deep, within the time bound', () => {
    const depth = 100_000;
    const { value, ms } = timed(() => decodePlainText(`2["ev",${'['.repeat(depth)}${']'.repeat(depth)}]`));
    assert.deepEqual([codeOf(value), ms < SLOW_CASE_MS], ['CODEC_ERR_TOO_DEEP', true]);
  });

  it('refuses 100,000 levels of nested objects as too deep, within the time bound', () => {
    const depth = 100_000;
    const { value, ms } = timed(() => decodePlainText(`2["ev",${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]`));
    assert.deepEqual([codeOf(value), ms < SLOW_CASE_MS], ['CODEC_ERR_TOO_DEEP', true]);
  });

  it('refuses __proto__ in every JSON spelling, at any depth', () => {
    const spellings = ['__proto__', '__pr\\u006fto__', '\\u005f\\u005fproto\\u005f\\u005f'];
    const codes = spellings.map((key) => codeOf(decodePlainText(`2["ev",[{"a":{"${key}":{"polluted":1}}}]]`)));
    assert.deepEqual(
      codes,
      spellings.map(() => 'CODEC_ERR_PROTOTYPE_POLLUTION'),
    );
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('refuses {"constructor":{"prototype":..}} in every JSON spelling', () => {
    const payloads = ['{"constructor":{"prototype":{"x":1}}}', '{"constr\\u0075ctor":{"pr\\u006ftotype":{"x":1}}}'];
    const codes = payloads.map((json) => codeOf(decodePlainText(`0${json}`)));
    assert.deepEqual(codes, ['CODEC_ERR_PROTOTYPE_POLLUTION', 'CODEC_ERR_PROTOTYPE_POLLUTION']);
  });

  it('refuses an ack id of 1,000 digits as an invalid ack id', () => {
    assert.equal(codeOf(decodePlainText(`2${'9'.repeat(1000)}["ev"]`)), 'CODEC_ERR_INVALID_ACK_ID');
  });

  it('decodes the next packet after an announced attachment never came and the decoder was reset', () => {
    const decoder = new Decoder();
    const out: Array<Packet | CodecError> = [];
    decoder.on('decoded', (packet) => out.push(packet)).on('error', (error) => out.push(error));
    decoder.add('51-["ev",{"_placeholder":true,"num":0}]');
    decoder.reset();
    decoder.add('2["ok"]');
    assert.deepEqual(out, [{ type: 2, nsp: '/', data: ['ok'] }]);
  });

  it('reports an EVENT of 100,000 arguments as a packet or a documented error, within the time bound', () => {
    const { value, ms } = timed(() => decodePlainText(`2["ev"${',1'.repeat(100_000)}]`));
    const outcome = value instanceof CodecError ? documentedCodecCodes().has(value.code) : Array.isArray(value.data);
    assert.deepEqual([outcome, ms < SLOW_CASE_MS], [true, true]);
  });

  it('decodes invalid UTF-8 in a v3 binary payload string record as U+FFFD', () => {
    // record kind 0 (string), length 3, 0xff end, then '4' and two invalid bytes
    const packets = decodePayloadV3(Uint8Array.of(0, 3, 0xff, 0x34, 0xc0, 0xaf));
    assert.deepEqual(packets, [{ type: 'message', data: '\ufffd\ufffd' }]);
  });
});

describe('decoder fuzz: socket.io 4.8 on the same corpus (reported, not asserted)', () => {
  it('judges every case of every official decoder and reports the outcomes', (t) => {
    const cases = fc.sample(decoderCase, RUNS_PER_TARGET);
    const official = DECODER_TARGETS.filter((target) => target.implementation === 'socket.io 4.8');
    let judged = 0;
    for (const target of official) {
      const tally = new Map<string, number>();
      for (const testCase of cases) {
        const verdict: Verdict = judge(target, testCase);
        const key = verdict.kind === 'failure' ? verdict.failure : verdict.kind;
        tally.set(key, (tally.get(key) ?? 0) + 1);
        judged++;
      }
      t.diagnostic(`${target.name}: ${[...tally].map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
    }
    assert.equal(judged, cases.length * official.length);
  });
});
