// Public API of @switchboard/protocol: pure Engine.IO v3/v4 and Socket.IO v5 codecs, errors and a tiny emitter.

export { SwitchboardError, isSwitchboardError, nameErrorClass, CodecError, CodecErrorCode } from './errors.js';
export type { CodecErrorCodeValue } from './errors.js';
export { Emitter } from './emitter.js';
export { callUserCode } from './user-code.js';

export { isBinaryLike, toUint8Array, type BinaryLike } from './engine/binary-like.js';
export { ENGINE_PROTOCOL, encodePacket, decodePacket } from './engine/packet.js';
export type { EnginePacket, EnginePacketType } from './engine/packet.js';
export { RECORD_SEPARATOR, encodePayload, decodePayload } from './engine/payload.js';
export type { DecodePayloadOptions } from './engine/payload.js';
export { encodePayloadV3, decodePayloadV3, encodePacketV3, decodePacketV3 } from './engine/payload-v3.js';
export { encodeBase64, decodeBase64 } from './engine/base64.js';

export { SOCKET_PROTOCOL, PacketType } from './socket/packet.js';
export type { Packet, PacketTypeValue } from './socket/packet.js';
export { hasBinary } from './socket/binary.js';
export { Encoder } from './socket/encoder.js';
export { Decoder, decodePlainText } from './socket/decoder.js';
export type { DecoderOptions, DecoderEvents } from './socket/decoder.js';
export { DECODER_DEFAULTS } from './limits.js';
export { RESERVED_EVENTS } from './socket/validate.js';
