// What happened to sockets this second, aggregated for our dashboard: counts always, a capped sample of events in
// development mode. One small update per second instead of one message per change keeps 10,000 sockets cheap.

/** One streamed event (development mode), as our dashboard's live log shows it. */
export interface ActivityEntry {
  t: number;
  kind: 'connected' | 'disconnected' | 'joined' | 'left' | 'received' | 'sent';
  nsp: string;
  socketId: string;
  /** Event name, room, or disconnect reason. */
  detail: string;
  /** JSON of the event arguments, cut to a preview. */
  args?: string;
}

/** Counts since the previous `take()`. */
export interface ActivityCounts {
  connected: number;
  disconnected: number;
  joined: number;
  left: number;
  received: number;
  sent: number;
}

const MAX_ENTRIES_PER_TAKE = 50; // a screenful; the rest is only counted
const MAX_ARGS_PREVIEW = 200;

function emptyCounts(): ActivityCounts {
  return { connected: 0, disconnected: 0, joined: 0, left: 0, received: 0, sent: 0 };
}

/** A JSON preview of event arguments that never throws (cycles, BigInt) and never grows past a line. */
export function previewArgs(args: readonly unknown[]): string {
  let text: string;
  try {
    text = JSON.stringify(args, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value)) ?? '';
  } catch {
    text = '[unserializable]';
  }
  return text.length > MAX_ARGS_PREVIEW ? `${text.slice(0, MAX_ARGS_PREVIEW)}…` : text;
}

/** Collects activity between two dashboard updates. */
export class ActivityLog {
  #counts = emptyCounts();
  #entries: ActivityEntry[] = [];
  #dropped = 0;
  readonly #keepEntries: boolean;

  /** @param keepEntries false in production mode: only counts are kept */
  constructor(keepEntries: boolean) {
    this.#keepEntries = keepEntries;
  }

  record(kind: ActivityEntry['kind'], nsp: string, socketId: string, detail: string, args?: readonly unknown[]): void {
    this.#counts[kind]++;
    if (!this.#keepEntries) return;
    if (this.#entries.length >= MAX_ENTRIES_PER_TAKE) {
      this.#dropped++;
      return;
    }
    const entry: ActivityEntry = { t: Date.now(), kind, nsp, socketId, detail };
    if (args !== undefined) entry.args = previewArgs(args);
    this.#entries.push(entry);
  }

  /** The counts, the sampled entries and how many entries did not fit, then starts over. */
  take(): { counts: ActivityCounts; entries: ActivityEntry[]; dropped: number } {
    const taken = { counts: this.#counts, entries: this.#entries, dropped: this.#dropped };
    this.#counts = emptyCounts();
    this.#entries = [];
    this.#dropped = 0;
    return taken;
  }
}
