// Runs one decoder case through every decoder, ours and socket.io 4.8's, and judges each outcome: accepted, refused
// (with which code), or a failure of a named kind. Shared by the `npm test` slice and the long run (bench/fuzz.mjs).
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import {
  CodecError,
  Decoder,
  decodePacket,
  decodePacketV3,
  decodePayload,
  decodePayloadV3,
  decodePlainText,
  type Packet,
} from '@switchboard/protocol';
import * as engineParser from 'engine.io-parser';
import * as socketParser from 'socket.io-parser';
import type { Chunk, DecoderCase } from './decoder-corpus.js';
import { documentedCodecCodes } from './documented-codes.js';
import { prototypeGuard } from './prototype-guard.js';

/** What a decoder did with one case. */
export type Verdict =
  { kind: 'accepted' } | { kind: 'refused'; code: string } | { kind: 'failure'; failure: FailureKind; detail: string };

/** Ways a decoder can fail the properties. */
export type FailureKind =
  | 'threw'
  | 'undocumented code'
  | 'polluted Object.prototype'
  | 'hostile key accepted'
  | 'prototype path not refused'
  | 'slow'
  | 'stuck after error';

/** A decoder under test. */
export interface DecoderTarget {
  readonly implementation: 'switchboard' | 'socket.io 4.8';
  readonly name: string;
  /** Whether it parses Socket.IO packets (JSON), so the prototype-key rules apply to it. */
  readonly socketLevel: boolean;
  /** Decodes the case; returns the packets' data it accepted (for the hostile-key checks) and the refusals. */
  run(testCase: DecoderCase): {
    accepted: unknown[];
    refusals: string[];
    failure?: { failure: FailureKind; detail: string };
  };
}

/** Longest a decoder may spend on one case (inputs reach 100,000 nesting levels and 1 MB of digits). */
export const SLOW_CASE_MS = 500;

const CODES = documentedCodecCodes();

function ourRefusal(error: unknown, refusals: string[]): { failure: FailureKind; detail: string } | undefined {
  if (!(error instanceof CodecError))
    return { failure: 'threw', detail: `returned a non-CodecError: ${String(error)}` };
  if (!CODES.has(error.code)) return { failure: 'undocumented code', detail: error.code };
  refusals.push(error.code);
  return undefined;
}

function texts(chunks: Chunk[]): string[] {
  return chunks.filter((c): c is string => typeof c === 'string');
}

/** An Engine.IO decode function applied to each chunk alone. */
function engineTarget(name: string, decode: (chunk: Chunk) => unknown, onlyText = false): DecoderTarget {
  return {
    implementation: 'switchboard',
    name,
    socketLevel: false,
    run(testCase) {
      const accepted: unknown[] = [];
      const refusals: string[] = [];
      for (const chunk of onlyText ? texts(testCase.chunks) : testCase.chunks) {
        const result = decode(chunk);
        if (result instanceof Error) {
          const failure = ourRefusal(result, refusals);
          if (failure !== undefined) return { accepted, refusals, failure };
        } else accepted.push(result);
      }
      return { accepted, refusals };
    },
  };
}

const PROBE = '2["ok",1]';

/** Our streaming Decoder: the chunks in order to one decoder, then a reset and a valid packet it must decode. */
const ourDecoder: DecoderTarget = {
  implementation: 'switchboard',
  name: 'Decoder (Socket.IO, streaming)',
  socketLevel: true,
  run(testCase) {
    const accepted: unknown[] = [];
    const refusals: string[] = [];
    let failure: { failure: FailureKind; detail: string } | undefined;
    const decoder = new Decoder();
    decoder.on('decoded', (packet: Packet) => accepted.push(packet.data));
    decoder.on('error', (error) => (failure ??= ourRefusal(error, refusals)));
    for (const chunk of testCase.chunks) decoder.add(chunk);
    if (failure !== undefined) return { accepted, refusals, failure };
    decoder.reset();
    const before = accepted.length;
    decoder.add(PROBE);
    if (accepted.length !== before + 1)
      return { accepted, refusals, failure: { failure: 'stuck after error', detail: PROBE } };
    accepted.pop();
    return { accepted, refusals };
  },
};

const ourPlainText: DecoderTarget = {
  implementation: 'switchboard',
  name: 'decodePlainText (Socket.IO)',
  socketLevel: true,
  run(testCase) {
    const accepted: unknown[] = [];
    const refusals: string[] = [];
    for (const text of texts(testCase.chunks)) {
      const result = decodePlainText(text);
      if (result instanceof Error) {
        const failure = ourRefusal(result, refusals);
        if (failure !== undefined) return { accepted, refusals, failure };
      } else accepted.push(result.data);
    }
    return { accepted, refusals };
  },
};

const require = createRequire(import.meta.url);
// engine.io keeps its v3 parser out of its exports map; socket.io 4.8 decodes v3 payloads with it.
const parserV3 = require(require.resolve('engine.io').replace(/engine\.io\.js$/, 'parser-v3/index.js')) as {
  /* eslint-disable @typescript-eslint/no-invalid-void-type -- engine.io-parser's own declaration */
  decodePayload(
    data: string | Buffer,
    binaryType: string,
    callback: (packet: { type: string }) => boolean | void,
  ): void;
  /* eslint-enable @typescript-eslint/no-invalid-void-type */
};

const toBuffer = (chunk: Chunk): string | Buffer => (typeof chunk === 'string' ? chunk : Buffer.from(chunk));

/** An official function that reports errors as `{type:'error'}` packets; a throw is a failure (engine.io does not catch). */
function officialEngineTarget(
  name: string,
  decode: (chunk: Chunk) => Array<{ type: string }>,
  onlyText = false,
): DecoderTarget {
  return {
    implementation: 'socket.io 4.8',
    name,
    socketLevel: false,
    run(testCase) {
      const accepted: unknown[] = [];
      const refusals: string[] = [];
      for (const chunk of onlyText ? texts(testCase.chunks) : testCase.chunks) {
        try {
          for (const packet of decode(chunk)) {
            if (packet.type === 'error') refusals.push('error packet');
            else accepted.push(packet);
          }
        } catch (error) {
          return { accepted, refusals, failure: { failure: 'threw', detail: String(error) } };
        }
      }
      return { accepted, refusals };
    },
  };
}

/** socket.io-parser throws on bad input by design (socket.io closes the connection); after a throw nothing more is fed. */
const officialDecoder: DecoderTarget = {
  implementation: 'socket.io 4.8',
  name: 'socket.io-parser Decoder',
  socketLevel: true,
  run(testCase) {
    const accepted: unknown[] = [];
    const refusals: string[] = [];
    const decoder = new socketParser.Decoder();
    decoder.on('decoded', (packet: { data?: unknown }) => accepted.push(packet.data));
    for (const chunk of testCase.chunks) {
      try {
        decoder.add(typeof chunk === 'string' ? chunk : Buffer.from(chunk));
      } catch (error) {
        refusals.push(error instanceof Error ? error.constructor.name : 'non-Error');
        break;
      }
    }
    decoder.destroy();
    return { accepted, refusals };
  },
};

/** Every decoder, ours first. */
export const DECODER_TARGETS: readonly DecoderTarget[] = [
  engineTarget('decodePacket (EIO v4)', (chunk) => decodePacket(chunk)),
  engineTarget('decodePayload (EIO v4)', (chunk) => decodePayload(chunk as string), true),
  engineTarget('decodePacketV3', (chunk) => decodePacketV3(chunk)),
  engineTarget('decodePayloadV3', (chunk) => decodePayloadV3(chunk)),
  ourDecoder,
  ourPlainText,
  officialEngineTarget('engine.io-parser decodePacket', (chunk) => [
    engineParser.decodePacket(toBuffer(chunk), 'nodebuffer'),
  ]),
  officialEngineTarget(
    'engine.io-parser decodePayload',
    (chunk) => engineParser.decodePayload(chunk as string, 'nodebuffer'),
    true,
  ),
  officialEngineTarget('engine.io parser-v3 decodePayload', (chunk) => {
    const packets: Array<{ type: string }> = [];
    parserV3.decodePayload(toBuffer(chunk), 'nodebuffer', (packet) => {
      packets.push(packet);
    });
    return packets;
  }),
  officialDecoder,
];

/** Whether accepted data holds an own `__proto__` key, or a `constructor` object with a `prototype` key. */
function findHostileKey(data: unknown): string | undefined {
  const stack: unknown[] = [data];
  // Bounded: official decoders accept 100,000-level nesting, and this check must stay cheap.
  for (let visited = 0; stack.length > 0 && visited < 200_000; visited++) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) continue;
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      if (key === '__proto__') return '__proto__';
      if (key === 'constructor' && typeof child === 'object' && child !== null && Object.hasOwn(child, 'prototype')) {
        return 'constructor.prototype';
      }
      stack.push(child);
    }
  }
  return undefined;
}

/** A recursive merge as careless application code writes it: the reason hostile keys must never reach that code. */
function naiveMerge(target: Record<string, unknown>, source: unknown, depth = 0): void {
  if (typeof source !== 'object' || source === null || depth > 64) return;
  for (const key of Object.keys(source)) {
    const value = (source as Record<string, unknown>)[key];
    if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
      const next = (target[key] ??= {}) as Record<string, unknown>;
      if (typeof next === 'object' || typeof next === 'function') naiveMerge(next, value, depth + 1);
    } else target[key] = value;
  }
}

/** Runs one case through one target and judges it. */
export function judge(target: DecoderTarget, testCase: DecoderCase): Verdict {
  const guard = prototypeGuard();
  const started = performance.now();
  let outcome: ReturnType<DecoderTarget['run']>;
  try {
    outcome = target.run(testCase);
  } catch (error) {
    guard.restore();
    return {
      kind: 'failure',
      failure: 'threw',
      detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
  let elapsedMs = performance.now() - started;
  if (elapsedMs > SLOW_CASE_MS) {
    // A GC pause or a busy machine can stall any one run; a decoder is slow only if a second run is slow too.
    const again = performance.now();
    try {
      target.run(testCase);
    } catch {
      // judged from the first run below
    }
    elapsedMs = Math.min(elapsedMs, performance.now() - again);
  }
  if (outcome.failure !== undefined) {
    guard.restore();
    return { kind: 'failure', ...outcome.failure };
  }
  let polluted = guard.changed();
  if (polluted === undefined) {
    // Only Socket.IO data goes through a merge; Engine.IO packets carry strings and bytes.
    for (const data of outcome.accepted) {
      const hostile = findHostileKey(data);
      if (hostile !== undefined) {
        guard.restore();
        const failure = testCase.expect === 'refuse-prototype' ? 'prototype path not refused' : 'hostile key accepted';
        return { kind: 'failure', failure, detail: hostile };
      }
      naiveMerge({}, data);
    }
    polluted = guard.changed();
  }
  guard.restore();
  if (polluted !== undefined) return { kind: 'failure', failure: 'polluted Object.prototype', detail: polluted };
  if (elapsedMs > SLOW_CASE_MS) return { kind: 'failure', failure: 'slow', detail: `${Math.round(elapsedMs)} ms` };
  const refusal = outcome.refusals[0];
  // Ours must name the reason; socket.io's parser has no codes, and whether it accepted is judged above.
  if (
    testCase.expect === 'refuse-prototype' &&
    target.socketLevel &&
    target.implementation === 'switchboard' &&
    refusal !== 'CODEC_ERR_PROTOTYPE_POLLUTION'
  ) {
    return { kind: 'failure', failure: 'prototype path not refused', detail: refusal ?? 'accepted' };
  }
  return refusal === undefined ? { kind: 'accepted' } : { kind: 'refused', code: refusal };
}
