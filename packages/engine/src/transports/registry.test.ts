import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { EngineErrorCode } from '../errors.js';
import { BUILT_IN_TRANSPORTS, resolveOptions } from '../options.js';
import { EngineRuntime } from '../runtime.js';
import type { ServerEvents } from '../server-events.js';
import { PollingTransport } from './polling.js';
import { builtInTransports, pollingDefinition, TransportRegistry, webSocketDefinition } from './registry.js';
import type { TransportDefinition } from './registry.js';

const context = new EngineRuntime(new EventEmitter<ServerEvents>(), {});

/** A transport the engine does not ship: served by requests, upgrading to WebSocket, never created here. */
const custom: TransportDefinition = {
  name: 'custom',
  arrival: 'request',
  upgradesTo: ['websocket'],
  create: () => assert.fail('not created in these tests'),
  serve: () => assert.fail('not served in these tests'),
};

describe('TransportRegistry', () => {
  it('holds polling then websocket by default, polling arriving by request and websocket by WebSocket', () => {
    const registry = builtInTransports();
    assert.deepEqual(registry.names(), ['polling', 'websocket']);
    assert.deepEqual(registry.names(), BUILT_IN_TRANSPORTS);
    assert.equal(registry.arrivalOf('polling'), 'request');
    assert.equal(registry.arrivalOf('websocket'), 'websocket');
  });

  it('lets polling upgrade to websocket and websocket to nothing', () => {
    const registry = builtInTransports();
    assert.deepEqual(registry.upgradesFrom('polling'), ['websocket']);
    assert.deepEqual(registry.upgradesFrom('websocket'), []);
  });

  it('answers unknown names with no arrival and no upgrades', () => {
    const registry = builtInTransports();
    assert.equal(registry.has('flash'), false);
    assert.equal(registry.get('flash'), undefined);
    assert.equal(registry.arrivalOf('flash'), undefined);
    assert.equal(registry.arrivalOf(undefined), undefined);
    assert.deepEqual(registry.upgradesFrom('flash'), []);
  });

  it('hands out a copy of the upgrade list, so callers cannot change the definition', () => {
    const registry = builtInTransports();
    registry.upgradesFrom('polling').push('custom');
    assert.deepEqual(registry.upgradesFrom('polling'), ['websocket']);
  });

  it('adds a registered definition after the others and replaces one registered under the same name', () => {
    const registry = new TransportRegistry().register(pollingDefinition).register(custom);
    assert.deepEqual(registry.names(), ['polling', 'custom']);
    const replacement: TransportDefinition = { ...custom, upgradesTo: [] };
    registry.register(replacement);
    assert.equal(registry.get('custom'), replacement);
    assert.deepEqual(registry.names(), ['polling', 'custom']);
  });

  it('is what the transports option is checked against', () => {
    const registry = builtInTransports().register(custom);
    const transports = ['custom'] as unknown as ['polling'];
    assert.deepEqual(resolveOptions({ transports }, registry.names()).transports, ['custom']);
    assert.throws(() => resolveOptions({ transports }), {
      code: EngineErrorCode.INVALID_OPTION,
      message: `option "transports" must be a non-empty array of 'polling' and 'websocket', got custom`,
    });
  });
});

describe('the built-in definitions', () => {
  it('create a polling transport that knows its session id', () => {
    const transport = pollingDefinition.create(context, { sessionId: 'abc', protocol: 4, supportsBinary: true });
    assert.ok(transport instanceof PollingTransport);
    assert.equal(transport.sessionId, 'abc');
    assert.equal(transport.name, 'polling');
    assert.equal(transport.protocol, 4);
  });

  it('refuse to create a WebSocket transport without its sockets', () => {
    assert.throws(
      () => webSocketDefinition.create(context, { sessionId: 'abc', protocol: 4, supportsBinary: true }),
      TypeError,
    );
  });
});
