// The classic Redis adapter's errors are the adapter kit's (one class, one ADAPTER_ERR_* family for the package);
// these names stay for code written against earlier releases.
import { AdapterError, AdapterErrorCode, type AdapterErrorCodeValue } from '@switchboard/adapter';

/** @deprecated Use `AdapterErrorCode` from `@switchboard/adapter` (the same object). */
export const RedisAdapterErrorCode = AdapterErrorCode;

/** @deprecated Use `AdapterErrorCodeValue` from `@switchboard/adapter`. */
export type RedisAdapterErrorCodeValue = AdapterErrorCodeValue;

/** @deprecated Use `AdapterError` from `@switchboard/adapter` (the same class). */
export const RedisAdapterError = AdapterError;
