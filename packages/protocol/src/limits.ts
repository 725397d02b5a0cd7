// The Socket.IO decoder's limits: defaults of DecoderOptions, and the digit counts past which a number is absurd.
// In a module of their own so bundlers inline them (see wire-constants.ts).

export const DEFAULT_MAX_ATTACHMENTS = 10;
export const DEFAULT_MAX_DEPTH = 100;
export const DEFAULT_MAX_ARGUMENTS = 1000;
/** More digits than this is an absurd attachment count, rejected before converting. */
export const MAX_ATTACHMENT_DIGITS = 6;
/** 16 digits reach past Number.MAX_SAFE_INTEGER; checked exactly after parsing. */
export const MAX_ACK_ID_DIGITS = 16;
/** Bytes per String.fromCharCode call: spreading a whole large array would pass the engine's argument limit. */
export const FROM_CHAR_CODE_CHUNK = 0x2000;

/** The defaults of the Socket.IO `DecoderOptions`, for a server that states its limits in one place. */
export const DECODER_DEFAULTS: Readonly<{ maxAttachments: number; maxDepth: number; maxArguments: number }> =
  Object.freeze({
    maxAttachments: DEFAULT_MAX_ATTACHMENTS,
    maxDepth: DEFAULT_MAX_DEPTH,
    maxArguments: DEFAULT_MAX_ARGUMENTS,
  });
