// The codec of a Manager given no `parser` option: Socket.IO v5's own. A module of its own so that the msgpack browser
// bundle can put socket.io-msgpack-parser's Encoder and Decoder in its place (scripts/build-browser.mjs).
export { Decoder, Encoder } from '@switchboard/protocol';
