import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { resolveUpdateRoots } from "../src/collab/updateView.ts";

/** A server doc and a client doc that start in sync. */
function pair(setup: (doc: Y.Doc) => void) {
  const server = new Y.Doc();
  setup(server);
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  const capture = (change: (doc: Y.Doc) => void): Uint8Array => {
    const before = Y.encodeStateVector(client);
    change(client);
    return Y.encodeStateAsUpdate(client, before);
  };
  return { server, client, capture };
}

const seeded = (doc: Y.Doc) => {
  const q = new Y.Map<unknown>();
  q.set("text", "prima");
  doc.getArray("questions").push([q, new Y.Map()]);
  doc.getXmlFragment("recommendations").push([new Y.XmlText("ciao")]);
};

describe("resolveUpdateRoots", () => {
  it("names the root of an item with an explicit parent", () => {
    const { server, capture } = pair(() => {});
    const update = capture((doc) => doc.getArray("answers").push(["x"]));
    expect(resolveUpdateRoots(server, update)).toEqual({
      roots: new Set(["answers"]),
      unresolved: false,
    });
  });

  it("resolves an insert between existing items through its origin", () => {
    const { server, capture } = pair(seeded);
    const update = capture((doc) => doc.getArray("questions").insert(1, ["in mezzo"]));
    const decoded = Y.decodeUpdate(update).structs[0] as Y.Item;
    expect(decoded.parent).toBeNull(); // the case the encoding hides
    expect(resolveUpdateRoots(server, update).roots).toEqual(new Set(["questions"]));
  });

  it("resolves a nested map field to the root holding the map", () => {
    const { server, capture } = pair(seeded);
    const update = capture((doc) =>
      doc.getArray<Y.Map<unknown>>("questions").get(0).set("text", "dopo"),
    );
    expect(resolveUpdateRoots(server, update).roots).toEqual(new Set(["questions"]));
  });

  it("resolves text typed into existing rich text", () => {
    const { server, capture } = pair(seeded);
    const update = capture((doc) =>
      (doc.getXmlFragment("recommendations").get(0) as Y.XmlText).insert(2, "ao"),
    );
    expect(resolveUpdateRoots(server, update).roots).toEqual(new Set(["recommendations"]));
  });

  it("resolves deletions through the server's document", () => {
    const { server, capture } = pair(seeded);
    const update = capture((doc) => doc.getArray("questions").delete(0, 1));
    expect(resolveUpdateRoots(server, update).roots).toEqual(new Set(["questions"]));
  });

  it("ignores deletions the server already applied", () => {
    const { server, client, capture } = pair(seeded);
    server.getArray("questions").delete(0, 1);
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    const update = capture((doc) => doc.getArray("answers").push(["nuova"]));
    const full = Y.mergeUpdates([update, Y.encodeStateAsUpdate(client)]);
    expect(resolveUpdateRoots(server, full).roots).toEqual(new Set(["answers"]));
  });

  it("resolves a chain of items inside one update and nested types created in it", () => {
    const { server, capture } = pair(() => {});
    const update = capture((doc) => {
      const answer = new Y.Map<unknown>();
      const votes = new Y.Map<boolean>();
      answer.set("votes", votes);
      doc.getArray("answers").push([answer]);
      votes.set("v1", true);
      for (let i = 0; i < 5_000; i++) doc.getArray("answers").insert(0, [i]);
    });
    expect(resolveUpdateRoots(server, update)).toEqual({
      roots: new Set(["answers"]),
      unresolved: false,
    });
  });

  it("flags an update that depends on content the server does not have", () => {
    const { server, client, capture } = pair(seeded);
    const missing = new Y.Doc();
    Y.applyUpdate(missing, Y.encodeStateAsUpdate(client));
    missing.getArray("questions").push(["sconosciuta"]);
    Y.applyUpdate(client, Y.encodeStateAsUpdate(missing));
    const update = capture((doc) => doc.getArray("questions").insert(3, ["dopo la sconosciuta"]));
    expect(resolveUpdateRoots(server, update).unresolved).toBe(true);
  });

  it("flags deletion of content that does not exist yet", () => {
    const server = new Y.Doc();
    const ds = new Y.Doc();
    ds.getArray("a").push([1]);
    ds.getArray("a").delete(0, 1);
    // An update whose delete set names clock 0 of a client, with no struct for it.
    const onlyDeletes = Y.encodeStateAsUpdate(ds, Y.encodeStateVector(ds));
    expect(resolveUpdateRoots(server, onlyDeletes).unresolved).toBe(true);
  });
});
