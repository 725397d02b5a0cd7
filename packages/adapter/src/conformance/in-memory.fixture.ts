// Conformance factory for the reference: the in-memory adapter, one server.
import { InMemoryAdapter, type AdapterConstructor } from '@switchboard/server';

export function createAdapter(): AdapterConstructor {
  return InMemoryAdapter;
}
