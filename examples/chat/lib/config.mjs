// Reads the chat's settings from the environment once, with defaults that make `npm start` work out of the box.

/**
 * @typedef {object} ChatConfig
 * @property {number} port TCP port to listen on (0 picks a free one).
 * @property {string} host Interface to bind; 127.0.0.1 keeps the chat local, 0.0.0.0 opens it to the LAN.
 * @property {string | undefined} redisUrl Redis to share the chat with other chat processes through; unset: one process.
 * @property {string} redisKey Prefix of the chat's Redis channels: chats with different keys share one Redis apart.
 */

/**
 * Parses PORT, HOST, REDIS_URL and REDIS_KEY.
 * @param {NodeJS.ProcessEnv} env
 * @returns {ChatConfig}
 */
export function readConfig(env) {
  const rawPort = env.PORT ?? '3000';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`PORT must be an integer between 0 and 65535, got ${JSON.stringify(rawPort)}`);
  }
  const host = env.HOST && env.HOST.trim() !== '' ? env.HOST.trim() : '127.0.0.1';
  const redisUrl = env.REDIS_URL && env.REDIS_URL.trim() !== '' ? env.REDIS_URL.trim() : undefined;
  const redisKey = env.REDIS_KEY && env.REDIS_KEY.trim() !== '' ? env.REDIS_KEY.trim() : 'switchboard-chat';
  return { port, host, redisUrl, redisKey };
}
