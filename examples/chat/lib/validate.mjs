// Validation of everything a chat client sends: each function returns the clean value or null, never throws.

/** Limits shared by the server and (as copies in public/js/limits.js) the browser form fields. */
export const LIMITS = Object.freeze({
  nicknameMaxChars: 24,
  channelNameMaxChars: 32,
  messageMaxChars: 2000,
  messageIdMaxChars: 64,
  userIdMaxChars: 64,
});

// Letters, digits, spaces and a few separators; no control characters or markup-looking input.
const NICKNAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u;
// Lower-case slug, like a chat channel in most team tools.
const CHANNEL_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
// Client-generated ids: opaque, URL-safe.
const ID_PATTERN = /^[A-Za-z0-9_-]+$/;
// C0/C1 control characters other than tab and newline; these never belong in a chat line.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * @param {unknown} value
 * @returns {string | null} the trimmed nickname, or null if unusable
 */
export function parseNickname(value) {
  if (typeof value !== 'string') return null;
  const nickname = value.trim().replace(/\s+/g, ' ');
  if (nickname.length === 0 || [...nickname].length > LIMITS.nicknameMaxChars) return null;
  return NICKNAME_PATTERN.test(nickname) ? nickname : null;
}

/**
 * @param {unknown} value
 * @returns {string | null} the channel name, lower-cased and without a leading '#', or null
 */
export function parseChannelName(value) {
  if (typeof value !== 'string') return null;
  const name = value.trim().replace(/^#/, '').toLowerCase();
  if (name.length === 0 || name.length > LIMITS.channelNameMaxChars) return null;
  return CHANNEL_PATTERN.test(name) ? name : null;
}

/**
 * @param {unknown} value
 * @param {number} [maxChars]
 * @returns {string | null} the id, or null
 */
export function parseId(value, maxChars = LIMITS.messageIdMaxChars) {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxChars) return null;
  return ID_PATTERN.test(value) ? value : null;
}

/**
 * @param {unknown} value
 * @returns {string | null} the message text with control characters removed and ends trimmed, or null
 */
export function parseMessageText(value) {
  if (typeof value !== 'string') return null;
  const text = value.replace(CONTROL_CHARS, '').trim();
  if (text.length === 0 || text.length > LIMITS.messageMaxChars) return null;
  return text;
}

/**
 * @param {unknown} value
 * @returns {Record<string, unknown> | null} the value if it is a plain object, else null
 */
export function asRecord(value) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return /** @type {Record<string, unknown>} */ (value);
}
