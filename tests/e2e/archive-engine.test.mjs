// The archive engine (js/archive-engine.js) alone, in Node, over a stand-in for the archive part:
// at most 6 pieces fetched at once however many a view names, a list asked for again before its
// answer came is answered "superseded" (its pieces still kept, its queued fetches dropped), pieces
// a round fetched are added before the view is asked again, and failures come back as the list
// view reads them.
import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { createEngine } from "../../js/archive-engine.js";

const BASE = "https://archive.example/a/archive.json";
let realFetch;
let server;

/**
 * A fetch that answers each piece after `delay` ms (and not before `gate` settles, when given),
 * counting how many are under way at once.
 */
function fakeFetch({ delay = 20, status = () => 200, gate = null } = {}) {
  server = { inFlight: 0, most: 0, asked: [] };
  globalThis.fetch = async (url, { signal } = {}) => {
    server.asked.push(new URL(url).pathname);
    server.inFlight += 1;
    server.most = Math.max(server.most, server.inFlight);
    try {
      await new Promise((done, fail) => {
        const t = setTimeout(done, delay);
        signal?.addEventListener("abort", () => (clearTimeout(t), fail(new DOMException("aborted", "AbortError"))));
      });
      await gate;
      const code = status(url);
      return new Response(code === 200 ? new Uint8Array([1, 2, 3]) : "no", { status: code, statusText: code === 200 ? "OK" : "Not Found" });
    } finally {
      server.inFlight -= 1;
    }
  };
}

beforeEach(() => (realFetch = globalThis.fetch));
afterEach(() => (globalThis.fetch = realFetch));

/** A stand-in for the part's reader: each view needs `rounds` rounds of `width` pieces each. */
function part({ rounds = 1, width = 20 } = {}) {
  const added = new Set();
  const need = (view, round) => Array.from({ length: width }, (_, i) => `${view}-${round}-${i}.bin`);
  const answer = (view) => {
    for (let round = 0; round < rounds; round++) {
      const missing = need(view, round).filter((n) => !added.has(n));
      if (missing.length) return { need: missing };
    }
    return { ready: { total: 1, view } };
  };
  const reader = {
    head: () => ({ releases: 1 }),
    add: (name) => added.add(name),
    forget: (name) => added.delete(name),
    list: (search) => answer(`list${search}`),
    find: () => ({ ready: undefined }),
    open: (ordinal) => answer(`open${ordinal}`),
    free() {},
  };
  return { openArchive: () => reader, added };
}

function engine(openArchive) {
  const replies = new Map();
  const waiting = new Map();
  const e = createEngine(openArchive, (reply) => {
    replies.set(reply.id, reply);
    waiting.get(reply.id)?.(reply);
  });
  let id = 0;
  const ask = (message) => {
    const n = ++id;
    const answered = new Promise((done) => waiting.set(n, done));
    e.handle({ ...message, id: n });
    return answered;
  };
  return { ask };
}

const open = (ask) => ask({ op: "open", manifest: "{}", base: BASE, timeoutMs: 5000, maxBytes: 1 << 20 });

/** Until the server has been asked for `n` pieces. */
const untilAsked = async (n) => {
  while (server.asked.length < n) await new Promise((done) => setTimeout(done, 1));
};

/**
 * The list `first`, then the list `second` asked for once `underWay` pieces of the first are being
 * fetched; every piece is held until then, so the order is the same however slow the machine's
 * timers are. Resolves with both answers.
 */
async function listTwice(openArchive, [first, second], underWay) {
  let release;
  fakeFetch({ delay: 1, gate: new Promise((done) => (release = done)) });
  const { ask } = engine(openArchive);
  const { reader } = await open(ask);
  const list = (search) => ask({ op: "list", reader, search, key: "re", pageSize: 10 });
  const earlier = list(first);
  await untilAsked(underWay);
  const later = list(second);
  release();
  return [await earlier, await later];
}

test("at most 6 pieces are fetched at once, and a view is answered once all its rounds are in", async () => {
  fakeFetch();
  const { openArchive, added } = part({ rounds: 2, width: 20 });
  const { ask } = engine(openArchive);
  const { reader } = await open(ask);
  const reply = await ask({ op: "list", reader, search: "q=tax", key: "re", pageSize: 10 });
  assert.deepEqual(reply.ready, { total: 1, view: "listq=tax" });
  assert.equal(server.asked.length, 40, "two rounds of 20");
  assert.equal(server.most, 6, "never more than 6 at once");
  assert.equal(added.size, 40);
});

test("a list asked for again before its answer came is superseded; its pieces are kept", async () => {
  const { openArchive, added } = part({ rounds: 2, width: 3 });
  const [first, second] = await listTwice(openArchive, ["q=i", "q=im"], 3);
  assert.deepEqual(first, { id: 2, superseded: true });
  assert.equal(second.ready.view, "listq=im");
  assert.ok([...added].some((n) => n.startsWith("listq=i-0-")), "the first round's pieces were kept");
  assert.ok(![...added].some((n) => n.startsWith("listq=i-1-")), "its second round was never fetched");
  assert.ok(!server.asked.some((n) => n.includes("listq=i-1-")), "nor asked of the server");
});

test("a list asked for again stops the earlier one's queued fetches: the next list waits only for those under way", async () => {
  // The first list names 60 pieces in one round (a long phrase's bodies); 6 go at once.
  const { openArchive, added } = part({ rounds: 1, width: 60 });
  const [first, second] = await listTwice(openArchive, ["q=the attorney general", "q=tax"], 6);
  assert.deepEqual(first, { id: 2, superseded: true });
  assert.equal(second.ready.view, "listq=tax");
  const firsts = server.asked.filter((n) => n.includes("listq=the"));
  assert.equal(firsts.length, 6, `only the 6 under way were fetched: ${firsts.length}`);
  assert.equal(server.asked.length, 66, "and then the second list's 60");
  assert.equal([...added].filter((n) => n.startsWith("listq=the")).length, 6, "those 6 were kept");
});

test("a piece both lists need is fetched for the newer one, once", async () => {
  // Both views name the same 20 pieces (the stand-in's names follow the view, so one view name).
  const { openArchive } = part({ rounds: 1, width: 20 });
  const reader0 = openArchive();
  const [first, second] = await listTwice(() => ({ ...reader0, list: () => reader0.list("same") }), ["q=a", "q=ab"], 6);
  assert.deepEqual(first, { id: 2, superseded: true });
  assert.equal(second.ready.view, "listsame");
  assert.equal(server.asked.length, 20, "each piece once");
});

test("a piece that fails ends the view with a failure the list view reads; the others are kept", async () => {
  fakeFetch({ status: (url) => (url.endsWith("list-0-2.bin") ? 404 : 200) });
  const { openArchive, added } = part({ rounds: 1, width: 4 });
  const { ask } = engine(openArchive);
  const { reader } = await open(ask);
  const reply = await ask({ op: "list", reader, search: "", key: "re", pageSize: 10 });
  assert.deepEqual(reply.failed, { kind: "http", url: "https://archive.example/a/p/list-0-2.bin", status: 404, statusText: "Not Found" });
  assert.equal(added.size, 3);
});

test("a manifest the part refuses is the part's sentence; a release not in the archive is ready with nothing", async () => {
  fakeFetch();
  const refused = engine(() => {
    throw new Error("this archive was written in format version 2.0, newer than this reader (version 1.x): update release-embed");
  });
  assert.match((await open(refused.ask)).error, /format version 2\.0/);
  const { ask } = engine(part().openArchive);
  const { reader } = await open(ask);
  const found = await ask({ op: "find", reader, release: "nope", ahead: 8 });
  assert.ok("ready" in found && found.ready === undefined);
});

test("a reader closed while its view fetches gets no answer, and its fetches stop", async () => {
  fakeFetch({ delay: 200 });
  const { ask } = engine(part({ width: 3 }).openArchive);
  const { reader } = await open(ask);
  let answered = false;
  ask({ op: "list", reader, search: "", key: "re", pageSize: 10 }).then(() => (answered = true));
  await new Promise((done) => setTimeout(done, 20));
  ask({ op: "close", reader });
  await new Promise((done) => setTimeout(done, 300));
  assert.equal(answered, false);
  assert.equal(server.inFlight, 0);
});

test("pieces fetched ahead wait for a view's: a view asked for meanwhile, and a piece of theirs it needs, go first; the next round ahead waits for the view", async () => {
  let release;
  fakeFetch({ delay: 30, gate: new Promise((done) => (release = done)) });
  const added = new Set();
  const ahead = Array.from({ length: 24 }, (_, i) => `ahead-${i}.bin`);
  // The list needs three pieces of its own and the last piece fetched ahead.
  const listNeeds = ["list-0.bin", "list-1.bin", "list-2.bin", "ahead-23.bin"];
  const missing = (names, done) => {
    const left = names.filter((n) => !added.has(n));
    return left.length ? { need: left } : { ready: done };
  };
  const reader = {
    head: () => ({ releases: 1 }),
    add: (name) => added.add(name),
    forget: (name) => added.delete(name),
    list: () => missing(listNeeds, { total: 1 }),
    prefetch: () => missing(ahead, 24 * 3),
    free() {},
  };
  const { ask } = engine(() => reader);
  const { reader: id } = await open(ask);
  const prefetched = ask({ op: "prefetch", reader: id });
  // The first six pieces ahead are held until the list is asked for, whatever the timers do.
  await untilAsked(6);
  const list = ask({ op: "list", reader: id, search: "", key: "re", pageSize: 10 });
  release();
  const listed = await list;
  assert.deepEqual(listed.ready, { total: 1 });
  // Six pieces fetched ahead were under way; the list's came next, not after the other 18.
  const order = server.asked.map((p) => p.split("/").pop());
  for (const name of listNeeds) assert.ok(order.indexOf(name) < 10, `${name} fetched at ${order.indexOf(name)}: ${order}`);
  // Fetched ahead 12 a round, and the next round only once no view is being answered.
  const lastOfList = Math.max(...listNeeds.map((n) => order.indexOf(n)));
  const laterRounds = order.filter((n, i) => /^ahead-(1[2-9]|2[0-2])\.bin$/.test(n) && i < lastOfList);
  assert.deepEqual(laterRounds, [], `${order}`);
  assert.equal((await prefetched).ready, 72);
  assert.equal(server.asked.length, 27, "each piece once");
  assert.equal(server.most, 6);
});
