// The page's outgoing messages: one in flight at a time, in the order typed. The socket's own `retries` queue
// re-sends a message until the server answers; this queue adds what an answer can ask for: "too fast, try again in
// n ms" holds the head (and everything behind it) instead of letting later messages overtake it.

/**
 * @param {(pending: any) => Promise<any>} sendOne emits one message and resolves with the server's answer
 * @param {() => boolean} isConnected
 * @param {(pending: any, key: string, response: any) => void} onSettled called once per message, in order
 */
export function createSendQueue(sendOne, isConnected, onSettled) {
  /** @type {{ pending: any, key: string }[]} */
  const entries = [];
  let running = false;
  /** @type {(() => void) | undefined} */
  let wakeUp;

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const connected = () => (isConnected() ? Promise.resolve() : new Promise((resolve) => (wakeUp = resolve)));

  async function run() {
    running = true;
    while (entries.length > 0) {
      const { pending, key } = entries[0];
      const response = await sendOne(pending);
      if (response?.error === 'rate_limited') {
        await sleep(Math.max(50, Number(response.retryAfterMs) || 500));
        continue;
      }
      // The socket gave up (its retries used up) while there was no connection: keep the message for the next one.
      if (response?.error === 'timeout' && !isConnected()) {
        await connected();
        continue;
      }
      entries.shift();
      onSettled(pending, key, response ?? { ok: false, message: 'No answer from the server.' });
    }
    running = false;
  }

  return {
    /** Queues a message behind every earlier one. */
    push(pending, key) {
      entries.push({ pending, key });
      if (!running) void run();
    },
    /** Called on (re)connect: a head that was waiting for the connection goes now. */
    resume() {
      const wake = wakeUp;
      wakeUp = undefined;
      wake?.();
    },
  };
}
