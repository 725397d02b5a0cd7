// Sticky routing's errors: stable EIO_ERR_* codes (documented in docs/errors.md, "Sticky routing errors"), all thrown
// at once by the setup call that was misused. Traffic errors are never thrown: the primary answers or closes.
import { SwitchboardError, nameErrorClass } from '@switchboard/protocol';

/** Every code a `StickyError` can carry. */
export const StickyErrorCode = {
  /** An option of `setupMaster` is unusable (an unknown `loadBalancingMethod`, a negative wait). */
  INVALID_OPTION: 'EIO_ERR_INVALID_OPTION',
  /** `setupMaster` called outside the node:cluster primary, or `setupWorker` outside a worker or without an HTTP server. */
  WRONG_PROCESS: 'EIO_ERR_WRONG_PROCESS',
} as const;

/** One of the codes above. */
export type StickyErrorCodeValue = (typeof StickyErrorCode)[keyof typeof StickyErrorCode];

/** An error raised by `@switchboard/sticky`. */
export class StickyError extends SwitchboardError {
  static {
    nameErrorClass(this, 'StickyError');
  }

  declare readonly code: StickyErrorCodeValue;

  constructor(code: StickyErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
