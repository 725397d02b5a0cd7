// Engine-level traffic: connections, packets and bytes per second, for admin-ui's aggregated events and our charts.
import type { EngineConnection, Server } from '@switchboard/server';

/** One admin-ui aggregated event: a count per type (and sub-type) per second. */
export interface AggregatedEvent {
  timestamp: number;
  type: 'rawConnection' | 'rawDisconnection' | 'packetsIn' | 'packetsOut' | 'bytesIn' | 'bytesOut';
  subType?: string;
  count: number;
}

/** One point of the charts: the second it ends and what happened in it. */
export interface TrafficSample {
  t: number;
  clients: number;
  packetsIn: number;
  packetsOut: number;
  bytesIn: number;
  bytesOut: number;
}

interface EnginePacket {
  data?: string | Uint8Array | undefined;
}

const HISTORY_LENGTH = 120; // two minutes of one-second points

function byteLength(data: string | Uint8Array): number {
  return typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
}

/** Counts what the engine sees; `sample()` once a second closes a chart point. */
export class TrafficMeter {
  readonly #aggregated = new Map<string, AggregatedEvent>();
  readonly #history: TrafficSample[] = [];
  #current = { packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0 };
  #pollingClients = 0;
  #io: Server | undefined;

  get pollingClientsCount(): number {
    return this.#pollingClients;
  }

  /** The engine's own count: authoritative, whatever happened before `watch`. */
  get clientsCount(): number {
    return this.#io?.engine?.clientsCount ?? 0;
  }

  /** The last two minutes, oldest first. */
  get history(): readonly TrafficSample[] {
    return this.#history;
  }

  /** Starts counting as soon as the server has an engine (instrument() may run before attach). */
  watch(io: Server): void {
    this.#io = io;
    if (io.engine) {
      this.#watchEngine(io);
      return;
    }
    process.nextTick(() => {
      if (io.engine) this.#watchEngine(io);
    });
  }

  #watchEngine(io: Server): void {
    io.engine.on('connection', (conn: EngineConnection) => this.#track(conn));
  }

  #track(conn: EngineConnection): void {
    this.#push('rawConnection', undefined, 1);
    if (conn.transport.name === 'polling') {
      this.#pollingClients++;
      const leavePolling = (): void => {
        conn.off('close', leavePolling);
        conn.off('upgrade', leavePolling);
        this.#pollingClients--;
      };
      conn.once('upgrade', leavePolling);
      conn.once('close', leavePolling);
    }
    conn.on('packetCreate', (packet: EnginePacket) => {
      if (packet.data === undefined) return;
      this.#current.packetsOut++;
      this.#current.bytesOut += byteLength(packet.data);
    });
    conn.on('packet', (packet: EnginePacket) => {
      if (packet.data === undefined) return;
      this.#current.packetsIn++;
      this.#current.bytesIn += byteLength(packet.data);
    });
    conn.once('close', (reason: string) => {
      this.#push('rawDisconnection', reason, 1);
    });
  }

  #push(type: AggregatedEvent['type'], subType: string | undefined, count: number, now = Date.now()): void {
    if (count === 0) return;
    const timestamp = now - (now % 1000);
    const key = `${timestamp};${type};${subType ?? ''}`;
    const existing = this.#aggregated.get(key);
    if (existing) existing.count += count;
    else
      this.#aggregated.set(
        key,
        subType === undefined ? { timestamp, type, count } : { timestamp, type, subType, count },
      );
  }

  /** Closes the current second: a chart point, and the packet counts folded into the aggregated events. */
  sample(now = Date.now()): TrafficSample {
    const { packetsIn, packetsOut, bytesIn, bytesOut } = this.#current;
    this.#current = { packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0 };
    const point = { t: now, clients: this.clientsCount, packetsIn, packetsOut, bytesIn, bytesOut };
    this.#push('packetsIn', undefined, packetsIn, now);
    this.#push('packetsOut', undefined, packetsOut, now);
    this.#push('bytesIn', undefined, bytesIn, now);
    this.#push('bytesOut', undefined, bytesOut, now);
    this.#history.push(point);
    if (this.#history.length > HISTORY_LENGTH) this.#history.shift();
    return point;
  }

  /** admin-ui's `aggregatedEvents` since the last call. */
  takeAggregated(): AggregatedEvent[] {
    const values = [...this.#aggregated.values()];
    this.#aggregated.clear();
    return values;
  }
}
