// socket.io-client 2.5 ships no types; the legacy-client suite describes the slice it uses itself.
declare module 'socket.io-client-v2' {
  const connect: (url: string, options?: Record<string, unknown>) => unknown;
  export default connect;
}
