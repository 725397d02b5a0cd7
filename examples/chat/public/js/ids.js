// Client-generated ids (users, messages). crypto.randomUUID needs a secure context, which a LAN http:// page
// is not; getRandomValues works everywhere.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** @returns {string} 22 URL-safe random characters (132 bits) */
export function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(22));
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte & 63];
  return id;
}
