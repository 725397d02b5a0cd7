// Types of the CommonJS entry: a callable `(srv, opts) => Server` carrying every export of the ESM build.
type Switchboard = typeof import('../dist/index.js');

declare const createServer: Switchboard &
  ((
    srv?: import('../dist/index.js').AttachableServer | number | string | Partial<import('../dist/index.js').ServerOptions>,
    opts?: Partial<import('../dist/index.js').ServerOptions>,
  ) => import('../dist/index.js').Server);

export = createServer;
