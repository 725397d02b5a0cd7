// Public API of @switchboard/admin: instrument() (admin-ui's protocol plus paged views) and our dashboard's handler.
export { instrument, COMPACT_ROOM, type Instrumentation } from './instrument.js';
export type { InstrumentOptions, BasicAuth } from './options.js';
export type { LoginRateLimit } from './login-limiter.js';
export { InMemoryStore, type SessionStore } from './session-store.js';
export { createAdminHandler, type AdminHandlerOptions, type AdminHttpHandler } from './ui-handler.js';
export { AdminError, AdminErrorCode, type AdminErrorCodeValue } from './errors.js';
export { Feature, type FeatureName } from './actions.js';
export type { Overview, SocketsQuery, SocketsPage, RoomsQuery, RoomsPage } from './overview.js';
export type { SerializedSocket } from './serialize.js';
export type { ActivityEntry, ActivityCounts } from './activity-log.js';
export type { TrafficSample, AggregatedEvent } from './traffic-meter.js';
