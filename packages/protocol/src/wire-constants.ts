// The characters the codecs write and compare against, named once. They live in a module of their own because
// bundlers inline another module's constants but keep a module's own as variables (bytes of the browser client).

export const DIGIT_ZERO = 0x30;
export const DIGIT_NINE = 0x39;
export const DASH = 0x2d; // ends a binary packet's attachment count: '51-'
export const SLASH = 0x2f; // starts a namespace
export const OPEN_BRACKET = 0x5b; // '[' opens a JSON array
export const OPEN_BRACE = 0x7b; // '{' opens a JSON object
export const BASE64_PREFIX_CODE = 0x62; // 'b' starts a base64-encoded binary message in text transports
/** Separates the packets of a polling payload (v4). */
export const RECORD_SEPARATOR = '\x1e';
/** 'b' starts a base64-encoded binary message in text transports. */
export const BASE64_PREFIX = 'b';
