import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CodecError } from '../errors.js';
import { CodecErrorCode } from '../errors.js';
import { Decoder, decodePlainText, type DecoderOptions } from './decoder.js';
import { PacketType, type Packet } from './packet.js';

/** Feeds messages to a fresh decoder and returns everything it emitted, in order. */
function decodeAll(
  messages: Array<string | Uint8Array | ArrayBuffer>,
  options?: DecoderOptions,
): Array<Packet | CodecError> {
  const decoder = new Decoder(options);
  const out: Array<Packet | CodecError> = [];
  decoder.on('decoded', (packet) => out.push(packet));
  decoder.on('error', (error) => out.push(error));
  for (const message of messages) decoder.add(message);
  return out;
}

function decodeOne(message: string, options?: DecoderOptions): Packet {
  const out = decodeAll([message], options);
  assert.equal(out.length, 1);
  assert.ok(!(out[0] instanceof Error), `unexpected error ${String(out[0])}`);
  return out[0] as Packet;
}

function decodeError(messages: Array<string | Uint8Array>, options?: DecoderOptions): CodecError {
  const out = decodeAll(messages, options);
  assert.equal(out.length, 1);
  assert.ok(out[0] instanceof Error, 'expected an error');
  return out[0];
}

describe('Socket.IO decoder', () => {
  describe('decodePlainText', () => {
    it('returns a plain packet or the CodecError', () => {
      assert.deepEqual(decodePlainText('2["ev",1]'), { type: PacketType.EVENT, nsp: '/', data: ['ev', 1] });
      const error = decodePlainText('2["ev"');
      assert.ok(error instanceof Error);
      assert.equal(error.code, CodecErrorCode.INVALID_JSON);
    });

    it('refuses a packet that announces attachments', () => {
      const error = decodePlainText('51-["ev",{"_placeholder":true,"num":0}]');
      assert.ok(error instanceof Error);
      assert.equal(error.code, CodecErrorCode.INVALID_ATTACHMENTS);
    });
  });

  describe('golden vectors', () => {
    const vectors: Array<[string, Packet]> = [
      ['2["ev",1]', { type: PacketType.EVENT, nsp: '/', data: ['ev', 1] }],
      ['3/admin,13["bar"]', { type: PacketType.ACK, nsp: '/admin', id: 13, data: ['bar'] }],
      ['0{"token":"x"}', { type: PacketType.CONNECT, nsp: '/', data: { token: 'x' } }],
      ['0/custom,{"token":"x"}', { type: PacketType.CONNECT, nsp: '/custom', data: { token: 'x' } }],
      ['0', { type: PacketType.CONNECT, nsp: '/' }],
      ['0/custom,', { type: PacketType.CONNECT, nsp: '/custom' }],
      [
        '4/random,{"message":"Invalid namespace"}',
        { type: PacketType.CONNECT_ERROR, nsp: '/random', data: { message: 'Invalid namespace' } },
      ],
      ['4"not authorized"', { type: PacketType.CONNECT_ERROR, nsp: '/', data: 'not authorized' }],
      ['1/nsp,', { type: PacketType.DISCONNECT, nsp: '/nsp' }],
      ['1/nsp', { type: PacketType.DISCONNECT, nsp: '/nsp' }],
      ['1', { type: PacketType.DISCONNECT, nsp: '/' }],
      ['2/chat,0["ev"]', { type: PacketType.EVENT, nsp: '/chat', id: 0, data: ['ev'] }],
      ['212["ev"]', { type: PacketType.EVENT, nsp: '/', id: 12, data: ['ev'] }],
      ['37[]', { type: PacketType.ACK, nsp: '/', id: 7, data: [] }],
      ['2[42,"numeric event name"]', { type: PacketType.EVENT, nsp: '/', data: [42, 'numeric event name'] }],
    ];
    for (const [wire, packet] of vectors) {
      it(`decodes ${wire}`, () => {
        assert.deepEqual(decodeOne(wire), packet);
      });
    }

    it('decodes 51-["ev",{"_placeholder":true,"num":0}] plus the bytes, putting the bytes back', () => {
      const bytes = Uint8Array.of(1, 2, 3);
      assert.deepEqual(decodeAll(['51-["ev",{"_placeholder":true,"num":0}]', bytes]), [
        { type: PacketType.EVENT, nsp: '/', data: ['ev', bytes] },
      ]);
    });

    it('decodes 61-/admin,789[...] plus an ArrayBuffer as that ArrayBuffer, as socket.io-parser does', () => {
      const out = decodeAll(['61-/admin,789[{"file":{"_placeholder":true,"num":0}}]', Uint8Array.of(9).buffer]);
      assert.deepEqual(out, [
        { type: PacketType.ACK, nsp: '/admin', id: 789, data: [{ file: Uint8Array.of(9).buffer }] },
      ]);
      assert.ok(((out[0] as Packet).data as [{ file: unknown }])[0].file instanceof ArrayBuffer);
    });

    it('puts several attachments back by their num, in any order of placeholders', () => {
      const a = Uint8Array.of(1);
      const b = Uint8Array.of(2);
      const out = decodeAll(['52-["ev",{"_placeholder":true,"num":1},[{"_placeholder":true,"num":0}]]', a, b]);
      assert.deepEqual(out, [{ type: PacketType.EVENT, nsp: '/', data: ['ev', b, [a]] }]);
    });

    it('decodes a binary packet announcing zero attachments at once (socket.io-parser would wait forever)', () => {
      assert.deepEqual(decodeOne('50-["ev"]'), { type: PacketType.EVENT, nsp: '/', data: ['ev'] });
    });

    it('decodes python-socketio spacing: 51-["ev", {"_placeholder": true, "num": 0}]', () => {
      const bytes = Uint8Array.of(7);
      assert.deepEqual(decodeAll(['51-["ev", {"_placeholder": true, "num": 0}]', bytes]), [
        { type: PacketType.EVENT, nsp: '/', data: ['ev', bytes] },
      ]);
    });

    it('keeps a v2 client query string in the namespace for the server to split: 0/admin?token=abc,', () => {
      assert.deepEqual(decodeOne('0/admin?token=abc,'), { type: PacketType.CONNECT, nsp: '/admin?token=abc' });
    });

    it('leaves placeholder-like objects alone in a text packet', () => {
      assert.deepEqual(decodeOne('2["ev",{"_placeholder":true,"num":0}]').data, ['ev', { _placeholder: true, num: 0 }]);
    });
  });

  describe('streaming', () => {
    it('waits for every attachment before emitting', () => {
      const decoder = new Decoder();
      const decoded: Packet[] = [];
      decoder.on('decoded', (packet) => decoded.push(packet));
      decoder.add('52-["ev",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
      decoder.add(Uint8Array.of(1));
      assert.equal(decoded.length, 0);
      decoder.add(Uint8Array.of(2));
      assert.equal(decoded.length, 1);
    });

    it('decodes normally after an error', () => {
      const out = decodeAll(['9', '2["ev"]']);
      assert.equal((out[0] as CodecError).code, CodecErrorCode.INVALID_PACKET);
      assert.deepEqual(out[1], { type: PacketType.EVENT, nsp: '/', data: ['ev'] });
    });

    it('drops the pending binary packet when a text packet arrives instead of an attachment', () => {
      const out = decodeAll(['51-["ev",{"_placeholder":true,"num":0}]', '2["next"]', '2["after"]']);
      assert.equal(out.length, 2);
      assert.equal((out[0] as CodecError).code, CodecErrorCode.INVALID_ATTACHMENTS);
      assert.deepEqual(out[1], { type: PacketType.EVENT, nsp: '/', data: ['after'] });
    });

    it('never emits after destroy, even when the pending packet completes', () => {
      const decoder = new Decoder();
      let emitted = 0;
      decoder.on('decoded', () => emitted++).on('error', () => emitted++);
      decoder.add('51-["ev",{"_placeholder":true,"num":0}]');
      decoder.destroy();
      decoder.add(Uint8Array.of(1));
      decoder.add('2["ev"]');
      decoder.add('9');
      assert.equal(emitted, 0);
    });

    it('keeps decoding after reset, the pending binary packet dropped', () => {
      const decoder = new Decoder();
      const out: Array<Packet | CodecError> = [];
      decoder.on('decoded', (packet) => out.push(packet)).on('error', (error) => out.push(error));
      decoder.add('51-["ev",{"_placeholder":true,"num":0}]');
      decoder.reset();
      decoder.add('2["next"]');
      assert.deepEqual(out, [{ type: PacketType.EVENT, nsp: '/', data: ['next'] }]);
    });

    it("keeps decoding after a listener throws, the exception handed on as the listener's own", (t) => {
      const rethrown = t.mock.method(globalThis, 'queueMicrotask', () => {});
      const decoder = new Decoder();
      const out: Packet[] = [];
      decoder.on('decoded', (packet) => {
        out.push(packet);
        throw new Error('listener bug');
      });
      decoder.add('2["first"]');
      decoder.add('2["second"]');
      assert.deepEqual(
        out.map((p) => p.data),
        [['first'], ['second']],
      );
      assert.equal(rethrown.mock.callCount(), 2);
    });
  });

  describe('malformed input', () => {
    const cases: Array<[string, string, string, Array<string | Uint8Array>, DecoderOptions?]> = [
      ['an empty message', CodecErrorCode.INVALID_PACKET, 'empty packet', ['']],
      ['an unknown packet type', CodecErrorCode.INVALID_PACKET, 'unknown packet type', ['7["ev"]']],
      ['a non-digit packet type', CodecErrorCode.INVALID_PACKET, 'unknown packet type', ['x']],
      ['invalid JSON', CodecErrorCode.INVALID_JSON, 'invalid JSON', ['2["ev",']],
      [
        'JSON after a namespace without its comma',
        CodecErrorCode.INVALID_EVENT,
        'EVENT payload not a non-empty array',
        ['2/chat["ev"]'],
      ],
      [
        'a namespace with a control character',
        CodecErrorCode.INVALID_NAMESPACE,
        'namespace has a control character',
        ['2/ch\x00at,["ev"]'],
      ],
      [
        'an ack id beyond the safe integer range',
        CodecErrorCode.INVALID_ACK_ID,
        'ack id not a safe integer',
        ['29007199254740993["ev"]'],
      ],
      [
        'an ack id of seventeen digits',
        CodecErrorCode.INVALID_ACK_ID,
        'ack id not a safe integer',
        ['212345678901234567["ev"]'],
      ],
      ['an ack id on a CONNECT', CodecErrorCode.INVALID_ACK_ID, 'ack id on packet type 0', ['012{}']],
      ['an ACK without an ack id', CodecErrorCode.INVALID_ACK_ID, 'ACK without ack id', ['3["ok"]']],
      [
        'an EVENT whose payload is an object',
        CodecErrorCode.INVALID_EVENT,
        'EVENT payload not a non-empty array',
        ['2{"ev":1}'],
      ],
      ['an EVENT with an empty array', CodecErrorCode.INVALID_EVENT, 'EVENT payload not a non-empty array', ['2[]']],
      ['an EVENT without payload', CodecErrorCode.INVALID_EVENT, 'EVENT payload not a non-empty array', ['2']],
      [
        'an EVENT whose name is an object',
        CodecErrorCode.INVALID_EVENT,
        'event name not a string or number',
        ['2[{"ev":1}]'],
      ],
      ['an EVENT whose name is null', CodecErrorCode.INVALID_EVENT, 'event name not a string or number', ['2[null]']],
      ['an ACK whose payload is not an array', CodecErrorCode.INVALID_PACKET, 'ACK payload not an array', ['31"ok"']],
      [
        'a CONNECT whose payload is an array',
        CodecErrorCode.INVALID_PACKET,
        'CONNECT payload not an object',
        ['0["x"]'],
      ],
      ['a CONNECT whose payload is a string', CodecErrorCode.INVALID_PACKET, 'CONNECT payload not an object', ['0"x"']],
      [
        'a DISCONNECT with a payload',
        CodecErrorCode.INVALID_PACKET,
        'DISCONNECT takes no payload',
        ['1{"reason":"x"}'],
      ],
      [
        'a CONNECT_ERROR whose payload is a boolean',
        CodecErrorCode.INVALID_PACKET,
        'CONNECT_ERROR payload not an object or string',
        ['4true'],
      ],
      [
        'a CONNECT_ERROR without payload',
        CodecErrorCode.INVALID_PACKET,
        'CONNECT_ERROR payload not an object or string',
        ['4'],
      ],
      [
        'a __proto__ key',
        CodecErrorCode.PROTOTYPE_POLLUTION,
        'forbidden key __proto__',
        ['2["ev",{"__proto__":{"polluted":1}}]'],
      ],
      [
        'a __proto__ key spelled with unicode escapes',
        CodecErrorCode.PROTOTYPE_POLLUTION,
        'forbidden key __proto__',
        ['2["ev",{"\\u005f_proto__":1}]'],
      ],
      [
        'a constructor holding a prototype',
        CodecErrorCode.PROTOTYPE_POLLUTION,
        'forbidden key constructor',
        ['0{"constructor":{"prototype":1}}'],
      ],
      [
        'a constructor holding a prototype deep inside',
        CodecErrorCode.PROTOTYPE_POLLUTION,
        'forbidden key constructor',
        ['2["ev",[[{"constructor":{"prototype":{"x":1}}}]]]'],
      ],
      [
        'nesting deeper than maxDepth',
        CodecErrorCode.TOO_DEEP,
        'deeper than 100 levels',
        ['2["ev",' + '['.repeat(120) + ']'.repeat(120) + ']'],
      ],
      [
        'an EVENT with more arguments than maxArguments',
        CodecErrorCode.TOO_MANY_ARGUMENTS,
        'too many arguments',
        ['2["ev"' + ',0'.repeat(1001) + ']'],
      ],
      [
        'an EVENT with more arguments than a custom maxArguments',
        CodecErrorCode.TOO_MANY_ARGUMENTS,
        'too many arguments',
        ['2["ev",1,2,3]'],
        { maxArguments: 2 },
      ],
      [
        'an ACK with more arguments than maxArguments',
        CodecErrorCode.TOO_MANY_ARGUMENTS,
        'too many arguments',
        ['31[1,2,3]'],
        { maxArguments: 2 },
      ],
      [
        'a binary EVENT with more arguments than maxArguments',
        CodecErrorCode.TOO_MANY_ARGUMENTS,
        'too many arguments',
        ['51-["ev",1,2,{"_placeholder":true,"num":0}]'],
        { maxArguments: 2 },
      ],
      [
        'nesting deeper than a custom maxDepth',
        CodecErrorCode.TOO_DEEP,
        'deeper than 2 levels',
        ['2["ev",{"a":{"b":1}}]'],
        { maxDepth: 2 },
      ],
      [
        'a binary packet without an attachment count',
        CodecErrorCode.INVALID_ATTACHMENTS,
        'missing "<count>-" attachment count',
        ['5["ev"]'],
      ],
      [
        'an attachment count without its dash',
        CodecErrorCode.INVALID_ATTACHMENTS,
        'missing "<count>-" attachment count',
        ['51["ev"]'],
      ],
      [
        'more attachments than maxAttachments',
        CodecErrorCode.TOO_MANY_ATTACHMENTS,
        '11 attachments, more than 10',
        ['511-["ev"]'],
      ],
      [
        'more attachments than a custom maxAttachments',
        CodecErrorCode.TOO_MANY_ATTACHMENTS,
        '2 attachments, more than 1',
        ['52-["ev"]'],
        { maxAttachments: 1 },
      ],
      [
        'an absurd attachment count',
        CodecErrorCode.TOO_MANY_ATTACHMENTS,
        'absurd attachment count',
        ['5' + '9'.repeat(30) + '-["ev"]'],
        { maxAttachments: Infinity },
      ],
      [
        'a placeholder num out of range',
        CodecErrorCode.INVALID_ATTACHMENTS,
        'placeholder num out of range',
        ['51-["ev",{"_placeholder":true,"num":1}]'],
      ],
      [
        'a negative placeholder num',
        CodecErrorCode.INVALID_ATTACHMENTS,
        'placeholder num out of range',
        ['51-["ev",{"_placeholder":true,"num":-1}]'],
      ],
      [
        'a fractional placeholder num',
        CodecErrorCode.INVALID_ATTACHMENTS,
        'placeholder num out of range',
        ['51-["ev",{"_placeholder":true,"num":0.5}]'],
      ],
      [
        'a placeholder num that is a string',
        CodecErrorCode.INVALID_ATTACHMENTS,
        'placeholder num out of range',
        ['51-["ev",{"_placeholder":true,"num":"0"}]'],
      ],
      [
        'a placeholder num named __proto__',
        CodecErrorCode.INVALID_ATTACHMENTS,
        'placeholder num out of range',
        ['51-["ev",{"_placeholder":true,"num":"__proto__"}]'],
      ],
      [
        'binary with no binary packet pending',
        CodecErrorCode.INVALID_ATTACHMENTS,
        'binary message with no binary packet pending',
        [Uint8Array.of(1)],
      ],
    ];
    for (const [what, code, message, messages, options] of cases) {
      it(`reports ${code} for ${what}`, () => {
        const error = decodeError(messages, options);
        assert.equal(error.code, code);
        assert.equal(error.message, message);
      });
    }

    it('reports CODEC_ERR_INVALID_PACKET for a chunk that is neither text nor binary', () => {
      assert.equal(decodeError([{} as unknown as string]).code, CodecErrorCode.INVALID_PACKET);
    });

    it('accepts constructor and prototype keys that cannot reach a prototype, as socket.io does', () => {
      const packet = decodeOne('2["ev",{"constructor":"Car","prototype":{"wheels":4},"a":{"constructor":1}}]');
      assert.deepEqual(packet.data, ['ev', { constructor: 'Car', prototype: { wheels: 4 }, a: { constructor: 1 } }]);
    });

    it('accepts 60 levels of nesting, where socket.io does too', () => {
      const packet = decodeOne('2["ev",' + '['.repeat(59) + ']'.repeat(59) + ']');
      assert.equal(packet.type, PacketType.EVENT);
    });

    it('accepts exactly maxArguments arguments', () => {
      const packet = decodeOne('2["ev"' + ',0'.repeat(1000) + ']');
      assert.equal((packet.data as unknown[]).length, 1001);
    });

    it('keeps Object.prototype clean when __proto__ arrives', () => {
      decodeAll(['2["ev",{"__proto__":{"polluted":true}}]']);
      assert.equal(({} as { polluted?: unknown }).polluted, undefined);
    });

    it('rejects hostile nesting two hundred thousand levels deep without overflowing the stack', () => {
      const depth = 200_000;
      assert.equal(
        decodeError(['2["ev",' + '['.repeat(depth) + ']'.repeat(depth) + ']']).code,
        CodecErrorCode.TOO_DEEP,
      );
    });
  });
});
