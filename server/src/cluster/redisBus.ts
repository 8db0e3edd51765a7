import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import {
  decodeDocumentMessage,
  encodeDocumentMessage,
  type Bus,
  type BusEvent,
  type DocumentMessage,
} from "./bus.ts";

const PREFIX = "percorso:doc:";
const EVENTS = "percorso:events";

/**
 * The bus over Redis pub/sub (`ioredis`), selected by `REDIS_URL`: one channel per document
 * for its committed updates and presence, one for programme-wide events. Pub/sub keeps nothing:
 * after an outage every subscription is made again and `onReconnect` listeners resync from
 * storage, which has every update (they are published only once durable).
 */
export async function openRedisBus(url: string, log: Logger): Promise<Bus> {
  const self = randomUUID();
  // While Redis is away, what this process publishes waits in ioredis's offline queue and goes
  // out when it is back (the subscribers may have reconnected first and resynced already:
  // updates are idempotent). Dropped instead, an update made just after Redis returns could
  // be lost for the other processes until their next resync.
  const options = { enableOfflineQueue: true, lazyConnect: true };
  const publisher = new Redis(url, options);
  const subscriber = new Redis(url, options);
  const handlers = new Map<string, (message: DocumentMessage) => void>();
  const eventListeners = new Set<(event: BusEvent) => void>();
  const reconnectListeners = new Set<() => void>();
  let healthy = false;
  let lostOnce = false;

  for (const connection of [publisher, subscriber]) {
    connection.on("error", (error: Error) => log.warn({ err: error }, "redis error"));
  }
  subscriber.on("close", () => {
    if (healthy) log.warn("redis connection lost: fan-out between processes paused");
    healthy = false;
    lostOnce = true;
  });
  subscriber.on("ready", () => {
    healthy = true;
    if (!lostOnce) return;
    log.info("redis is back: subscribing again and resyncing loaded documents");
    void subscriber
      .subscribe(EVENTS, ...[...handlers.keys()].map((name) => PREFIX + name))
      .then(() => {
        for (const listener of reconnectListeners) listener();
      })
      .catch((error: unknown) => log.warn({ err: error }, "redis resubscribe failed"));
  });
  subscriber.on("messageBuffer", (channelBuffer: Buffer, payload: Buffer) => {
    const channel = channelBuffer.toString();
    try {
      if (channel === EVENTS) {
        const event = JSON.parse(payload.toString()) as BusEvent & { origin?: string };
        if (event.origin === self) return;
        for (const listener of eventListeners) listener(event);
        return;
      }
      const handler = handlers.get(channel.slice(PREFIX.length));
      if (handler === undefined) return;
      const { origin, message } = decodeDocumentMessage(new Uint8Array(payload));
      if (origin !== self) handler(message);
    } catch (error) {
      log.error({ err: error, channel }, "a bus message could not be handled");
    }
  });

  await Promise.all([publisher.connect(), subscriber.connect()]);
  await subscriber.subscribe(EVENTS);
  healthy = true;

  const send = (channel: string, payload: Buffer | string) => {
    publisher.publish(channel, payload).catch((error: unknown) => {
      log.warn({ err: error, channel }, "publish failed: another process may miss this change");
    });
  };

  return {
    async subscribe(documentName, handler) {
      handlers.set(documentName, handler);
      await subscriber.subscribe(PREFIX + documentName);
      return async () => {
        if (handlers.get(documentName) !== handler) return;
        handlers.delete(documentName);
        await subscriber.unsubscribe(PREFIX + documentName).catch(() => {});
      };
    },
    publish(documentName, message) {
      send(PREFIX + documentName, Buffer.from(encodeDocumentMessage(self, message)));
    },
    publishEvent(event) {
      send(EVENTS, JSON.stringify({ ...event, origin: self }));
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
    get healthy() {
      return healthy && publisher.status === "ready";
    },
    async close() {
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
