// Error classes shared by every Switchboard package: the branded base class and the codec's own errors.

const BRAND: unique symbol = Symbol.for('switchboard.error') as never;

/** Base of every Switchboard error: a stable `code`, an optional `cause`, and a brand that survives duplicate installs. */
export class SwitchboardError extends Error {
  static {
    // A symbol brand rather than instanceof: two installed copies of this package must recognise each other's
    // errors. It lives on the prototype, so creating an error costs nothing extra.
    Object.defineProperty(this.prototype, BRAND, { value: true });
    nameErrorClass(this, 'SwitchboardError');
  }

  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    // A name set on the subclass prototype survives minifiers that rename classes; otherwise the class name.
    if (!Object.prototype.hasOwnProperty.call(new.target.prototype, 'name')) this.name = new.target.name;
  }
}

/** Gives an error class a name that minification cannot mangle (subclasses in other packages may use it too). */
export function nameErrorClass(errorClass: abstract new (...args: never[]) => Error, name: string): void {
  Object.defineProperty(errorClass.prototype, 'name', { value: name, writable: true, configurable: true });
}

/** True for any error created by a Switchboard package, whichever copy of the package created it. */
export function isSwitchboardError(value: unknown): value is SwitchboardError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [BRAND]?: unknown })[BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

/** Stable codes of the errors a codec reports; each is documented in docs/errors.md. */
export const CodecErrorCode = {
  /** Unknown packet type, empty input or bad framing. */
  INVALID_PACKET: 'CODEC_ERR_INVALID_PACKET',
  /** A polling payload cannot be split or decoded. */
  INVALID_PAYLOAD: 'CODEC_ERR_INVALID_PAYLOAD',
  INVALID_BASE64: 'CODEC_ERR_INVALID_BASE64',
  INVALID_JSON: 'CODEC_ERR_INVALID_JSON',
  INVALID_NAMESPACE: 'CODEC_ERR_INVALID_NAMESPACE',
  INVALID_ACK_ID: 'CODEC_ERR_INVALID_ACK_ID',
  /** EVENT payload not an array, or its first element not a string or number. */
  INVALID_EVENT: 'CODEC_ERR_INVALID_EVENT',
  /** Bad attachment count, placeholder out of range, or binary nobody waits for. */
  INVALID_ATTACHMENTS: 'CODEC_ERR_INVALID_ATTACHMENTS',
  TOO_MANY_ATTACHMENTS: 'CODEC_ERR_TOO_MANY_ATTACHMENTS',
  TOO_DEEP: 'CODEC_ERR_TOO_DEEP',
  /** An EVENT or ACK carries more arguments than `maxArguments`. */
  TOO_MANY_ARGUMENTS: 'CODEC_ERR_TOO_MANY_ARGUMENTS',
  PROTOTYPE_POLLUTION: 'CODEC_ERR_PROTOTYPE_POLLUTION',
} as const;

/** One of the `CODEC_ERR_*` strings. */
export type CodecErrorCodeValue = (typeof CodecErrorCode)[keyof typeof CodecErrorCode];

/**
 * A codec rejected its input. Codes: CODEC_ERR_* (see docs/errors.md).
 * Inside the package codes are written as literals (checked by CodecErrorCodeValue) so bundlers can drop the
 * CodecErrorCode table from browser builds that do not import it.
 */
export class CodecError extends SwitchboardError {
  static {
    nameErrorClass(this, 'CodecError');
  }

  declare readonly code: CodecErrorCodeValue;

  constructor(code: CodecErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
