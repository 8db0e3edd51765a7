/**
 * The transport seam: the collaboration core talks to sockets only through these interfaces;
 * `transport/websocket.ts` adapts `ws` to them. (Hocuspocus `WebSocketLike`, tldraw
 * `ServerSocketAdapter`.)
 */
export interface CollabSocket {
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Still open: the core checks it after the awaits of authentication and loading. */
  readonly isOpen: boolean;
}

/** What the transport hands a socket's traffic to. */
export interface SocketHandler {
  receive(message: Uint8Array): void;
  /** The socket closed (either side), with its close code. */
  closed(code: number): void;
}
