// Engine.IO heartbeat of one session. v4: the server pings every pingInterval and closes with `ping timeout` when no
// pong arrives within pingTimeout. v3: the client pings, and silence for pingInterval + pingTimeout closes.
// Deadlines live in the server's shared timer wheel, not in a timer per session. The wheel fires up to a tick late, so
// each state also keeps its absolute deadline: a request that arrives after it finds the session expired
// (`expireIfOverdue`), exactly as with a timer per session, and a late tick never pushes the next deadline back.
import type { EnginePacketType } from '@switchboard/protocol';
import type { EngineContext } from './context.js';
import type { WheelEntry } from './timer-wheel.js';

/** The session side of the heartbeat. */
export interface HeartbeatTarget {
  readonly protocol: 3 | 4;
  sendPacket(type: EnginePacketType): void;
  onClose(reason: 'ping timeout'): void;
}

/** Heartbeat states: `ping-due` (v4, waiting to ping), `pong-due` (v4, ping sent), `ping-expected` (v3). */
export type HeartbeatState = 'stopped' | 'ping-due' | 'pong-due' | 'ping-expected';

/** The heartbeat state machine of one session. */
export class Heartbeat implements WheelEntry {
  /** @internal Owned by the timer wheel. */
  wheelTick = -1;
  state: HeartbeatState = 'stopped';
  readonly #target: HeartbeatTarget;
  readonly #context: EngineContext;
  // engine.io grants one pingTimeout extension per ping when other traffic shows the client is alive.
  #extended = false;
  /** When the current state's deadline passes, on the clock's scale: the ping is due, or the session expires. */
  #deadlineMs = 0;

  constructor(target: HeartbeatTarget, context: EngineContext) {
    this.#target = target;
    this.#context = context;
  }

  /** Step 1: v4 schedules the first ping after pingInterval; v3 starts waiting for the client's ping. */
  start(): void {
    const { pingInterval, pingTimeout } = this.#context.options;
    if (this.#target.protocol === 3) {
      this.state = 'ping-expected';
      this.#setDeadline(this.#now() + pingInterval + pingTimeout);
    } else {
      this.state = 'ping-due';
      this.#setDeadline(this.#now() + pingInterval);
    }
  }

  /** @internal A deadline passed: step 2 (v4) sends the ping and waits pingTimeout; step 3 closes on silence. */
  onWheelTimeout(): void {
    switch (this.state) {
      case 'ping-due':
        this.#sendPing();
        break;
      case 'pong-due':
      case 'ping-expected':
        this.#expire();
        break;
      case 'stopped':
        break;
    }
  }

  /**
   * Called when a request for the session arrives, before it is served: a due ping the wheel has not sent yet goes
   * out now, and a session whose deadline has passed closes with `ping timeout` (true) as if its tick had run.
   */
  expireIfOverdue(): boolean {
    if (this.state === 'stopped' || this.#now() < this.#deadlineMs) return false;
    if (this.state === 'ping-due') {
      this.#sendPing();
      if (this.#now() < this.#deadlineMs) return false;
    }
    this.#expire();
    return true;
  }

  /** A pong arrived; false when this session's protocol forbids it (v3 servers never ping). */
  onPong(): boolean {
    if (this.#target.protocol === 3) return false;
    if (this.state === 'pong-due') {
      this.state = 'ping-due';
      this.#setDeadline(this.#now() + this.#context.options.pingInterval);
    }
    return true;
  }

  /** A ping arrived; false when this session's protocol forbids it (v4 clients never ping). */
  onPing(): boolean {
    if (this.#target.protocol !== 3) return false;
    if (this.state === 'ping-expected') {
      const { pingInterval, pingTimeout } = this.#context.options;
      this.#setDeadline(this.#now() + pingInterval + pingTimeout);
    }
    this.#target.sendPacket('pong');
    return true;
  }

  /** Any other packet: while a v4 pong is due, push the deadline back once. */
  onActivity(): void {
    if (this.state !== 'pong-due' || this.#extended) return;
    this.#extended = true;
    this.#setDeadline(this.#now() + this.#context.options.pingTimeout);
  }

  stop(): void {
    this.state = 'stopped';
    this.#context.wheel.cancel(this);
  }

  // Step 2: the pong deadline counts from when the ping was due, not from when a (late) tick or request sent it.
  #sendPing(): void {
    this.state = 'pong-due';
    this.#extended = false;
    this.#setDeadline(this.#deadlineMs + this.#context.options.pingTimeout);
    this.#target.sendPacket('ping');
  }

  #expire(): void {
    this.state = 'stopped';
    this.#context.wheel.cancel(this);
    this.#target.onClose('ping timeout');
  }

  #setDeadline(deadlineMs: number): void {
    this.#deadlineMs = deadlineMs;
    this.#context.wheel.schedule(this, deadlineMs - this.#now());
  }

  #now(): number {
    return this.#context.options.clock.now();
  }
}
