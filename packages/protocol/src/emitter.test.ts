import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from './emitter.js';

type Events = { data: (value: number, label: string) => void; end: () => void };

describe('Emitter', () => {
  it('calls listeners in the order they were added, with the emitted arguments', () => {
    const emitter = new Emitter<Events>();
    const calls: string[] = [];
    emitter.on('data', (value, label) => calls.push(`a${value}${label}`));
    emitter.on('data', (value, label) => calls.push(`b${value}${label}`));
    assert.equal(emitter.emit('data', 1, 'x'), true);
    assert.deepEqual(calls, ['a1x', 'b1x']);
  });

  it('returns false from emit when nobody listens', () => {
    assert.equal(new Emitter<Events>().emit('end'), false);
  });

  it('calls a once listener a single time', () => {
    const emitter = new Emitter<Events>();
    let count = 0;
    emitter.once('end', () => count++);
    emitter.emit('end');
    emitter.emit('end');
    assert.equal(count, 1);
    assert.equal(emitter.hasListeners('end'), false);
  });

  it('removes a once listener by the function that was registered', () => {
    const emitter = new Emitter<Events>();
    let count = 0;
    const listener = (): void => {
      count++;
    };
    emitter.once('end', listener);
    emitter.off('end', listener);
    emitter.emit('end');
    assert.equal(count, 0);
  });

  it('removes one listener, all listeners of an event, or everything', () => {
    const emitter = new Emitter<Events>();
    const a = (): void => {};
    const b = (): void => {};
    emitter
      .on('end', a)
      .on('end', b)
      .on('data', () => {});
    emitter.off('end', a);
    assert.deepEqual(emitter.listeners('end'), [b]);
    emitter.off('end');
    assert.equal(emitter.hasListeners('end'), false);
    assert.equal(emitter.hasListeners('data'), true);
    emitter.off();
    assert.equal(emitter.hasListeners('data'), false);
  });

  it('removes only the first registration of a listener added twice', () => {
    const emitter = new Emitter<Events>();
    let count = 0;
    const listener = (): void => {
      count++;
    };
    emitter.on('end', listener).on('end', listener);
    emitter.off('end', listener);
    emitter.emit('end');
    assert.equal(count, 1);
  });

  it('still calls every listener of an emit when one removes another', () => {
    const emitter = new Emitter<Events>();
    const calls: string[] = [];
    const second = (): void => {
      calls.push('second');
    };
    emitter.on('end', () => {
      calls.push('first');
      emitter.off('end', second);
    });
    emitter.on('end', second);
    emitter.emit('end');
    emitter.emit('end');
    assert.deepEqual(calls, ['first', 'second', 'first']);
  });

  it('offers the component-emitter aliases', () => {
    const emitter = new Emitter<Events>();
    let count = 0;
    const listener = (): void => {
      count++;
    };
    emitter.addEventListener('end', listener);
    emitter.emit('end');
    emitter.removeListener('end', listener);
    emitter.emit('end');
    emitter.addEventListener('end', listener);
    emitter.removeAllListeners();
    emitter.emit('end');
    assert.equal(count, 1);
  });

  it('answers every query before any listener was added', () => {
    const emitter = new Emitter<Events>();
    assert.equal(emitter.emit('end'), false);
    assert.equal(emitter.hasListeners('end'), false);
    assert.deepEqual(emitter.listeners('end'), []);
    assert.equal(
      emitter
        .off('end', () => {})
        .off('end')
        .off(),
      emitter,
    );
  });

  it('accepts listeners again after everything was removed', () => {
    const emitter = new Emitter<Events>();
    let count = 0;
    emitter.on('end', () => count++).off();
    emitter.on('end', () => count++);
    emitter.emit('end');
    assert.equal(count, 1);
  });

  it('keeps its listener list private to each instance', () => {
    const a = new Emitter<Events>();
    const b = new Emitter<Events>();
    a.on('end', () => {});
    assert.equal(b.hasListeners('end'), false);
  });
});
