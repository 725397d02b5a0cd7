// The transport upgrade, steps 1-3: probe the candidate transport, then pause polling so nothing is lost.
import { TransportError } from './errors.js';
import type { EngineSocket } from './socket.js';
import type { Polling } from './transports/polling.js';
import type { Transport } from './transports/transport.js';

/** How the probe reports back; the socket owns the switch itself (step 4) and its events. */
export interface UpgradeHooks {
  /** The candidate answered the probe: stop writing until the switch. */
  upgrading_(): void;
  /** Polling is paused and empty: switch to the candidate, send '5', flush. */
  complete_(): void;
  /** The candidate failed or the socket closed first; the socket stays on its transport. */
  failed_(err: TransportError): void;
}

/**
 * 1. Open the candidate (its query carries our sid). 2. Send '2probe' and expect '3probe'.
 * 3. Pause the current transport: polling waits for its in-flight GET (the server answers it with a noop once
 * it has seen the probe) and POST, so no packet is lost or reordered. Then the socket switches.
 */
export function probeUpgrade(socket: EngineSocket, candidate: Transport, hooks: UpgradeHooks): void {
  let failed = false;
  const cleanup = (): void => {
    candidate.off('open', onOpen).off('error', onError).off('close', onCandidateClose);
    socket.off('close', onSocketClose);
  };
  const fail = (reason: string): void => {
    if (failed) return;
    failed = true;
    cleanup();
    candidate.close();
    const err = new TransportError('EIO_ERR_PROBE', 'probe error: ' + reason);
    err.transport = candidate.name;
    hooks.failed_(err);
  };
  const onError = (err: Error): void => fail(err.message);
  const onCandidateClose = (): void => fail('transport closed');
  const onSocketClose = (): void => fail('socket closed');
  const onOpen = (): void => {
    candidate.send([{ type: 'ping', data: 'probe' }]);
    candidate.once('packet', (packet) => {
      if (failed) return;
      if (packet.type !== 'pong' || packet.data !== 'probe') return fail('unexpected answer');
      hooks.upgrading_();
      // Upgrades only start from polling (the socket probes only then).
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- see the line above
      (socket.transport as Polling).pause(() => {
        if (failed || socket.readyState === 'closed') return;
        cleanup();
        hooks.complete_();
      });
    });
  };
  candidate.once('open', onOpen).once('error', onError).once('close', onCandidateClose);
  socket.once('close', onSocketClose);
  candidate.open();
}
