/**
 * The transport seam: the collaboration core talks to sockets only through this interface;
 * `transport/websocket.ts` adapts `ws` to it. (Hocuspocus `WebSocketLike`, tldraw
 * `ServerSocketAdapter`.)
 */
export interface CollabSocket {
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}
