// Public API of @switchboard/adapter: the base class of cluster adapters, their wire format and its codec.
export { ClusterAdapter, type ClusterAdapterOptions } from './cluster-adapter.js';
export { LocalDeliveries, localBatchMsOption, type LocalDeliveriesOptions } from './local-deliveries.js';
export {
  MessageType,
  parseClusterMessage,
  type ClusterMessage,
  type ClusterMessageBody,
  type MessageTypeValue,
  type WireBroadcastOptions,
  type WireSocket,
} from './message.js';
export { decodeClusterMessage, encodeClusterMessage, hasBinary } from './codec.js';
export { AdapterError, AdapterErrorCode, type AdapterErrorCodeValue } from './errors.js';
