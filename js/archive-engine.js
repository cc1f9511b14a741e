// The archive engine: the archive part's readers (one per widget reading an archive) and the
// pieces they need, fetched here, so that the list view only asks for a view and gets its answer
// once it is complete. It runs in a dedicated worker (js/archive-worker.js), or in the page's own
// thread where no worker can be started (js/archive-client.js says when). Messages in and out are
// plain objects: { id, op, … } in, { id, ready | failed | superseded | head | error } out.

/** The most rounds of fetching one view may take (a view takes a few: cards, words, blocks). */
const ASK_ROUNDS = 64;
/** Pieces fetched at once, whatever the views ask for (HTTP/2 would otherwise open hundreds). */
const MAX_FETCHES = 6;
/**
 * Pieces fetched ahead a round: between rounds a view asked for runs first, so that fetching
 * ahead (its responses, the Cache API's writes) never crowds a view the reader waits for.
 */
const AHEAD_BATCH = 12;
/** The pause before the one retry of a piece whose fetch may pass (the network, a 5xx answer). */
const RETRY_AFTER_MS = 1000;
/** Bytes of pieces kept in memory for every reader of this engine (a second widget, a reload). */
const HELD_BYTES = 16 << 20;
/** The Cache API's cache of pieces kept for offline reading, and how many pieces it keeps. */
const CACHE_NAME = "release-embed-pieces";
const KEPT_PIECES = 3000;

/** A failure as the list view reads it (src/archive/plain.rs, `failure`). */
class Failure extends Error {
  constructor(fields) {
    super(fields.detail || fields.kind);
    this.fields = fields;
  }
}

/** Pieces by address, the least recently used dropped first past the budget. */
class Held {
  constructor(budget) {
    this.map = new Map();
    this.bytes = 0;
    this.budget = budget;
  }
  get(url) {
    const bytes = this.map.get(url);
    if (bytes) {
      this.map.delete(url);
      this.map.set(url, bytes);
    }
    return bytes;
  }
  put(url, bytes) {
    this.remove(url);
    this.map.set(url, bytes);
    this.bytes += bytes.length;
    for (const [old, kept] of this.map) {
      if (this.bytes <= this.budget) break;
      this.map.delete(old);
      this.bytes -= kept.length;
    }
  }
  remove(url) {
    const old = this.map.get(url);
    if (old) this.bytes -= old.length;
    this.map.delete(url);
  }
}

/**
 * Pieces kept for offline reading in the Cache API, written in batches (one per round of
 * fetches), never one synchronous write per piece. Where there is no Cache API (a page on plain
 * http:, other than localhost), nothing is kept and a piece that cannot be fetched is missing.
 */
class Kept {
  constructor() {
    this.pending = new Map();
    this.writes = 0;
    this.cache = null;
  }
  open() {
    if (typeof caches === "undefined") return Promise.resolve(null);
    // A cache that cannot be opened (storage switched off, a sandboxed frame) keeps nothing.
    this.cache ??= caches.open(CACHE_NAME).catch(() => null);
    return this.cache;
  }
  keep(url, bytes) {
    if (typeof caches !== "undefined") this.pending.set(url, bytes);
  }
  async flush() {
    if (!this.pending.size) return;
    const batch = [...this.pending];
    this.pending.clear();
    const cache = await this.open();
    if (!cache) return;
    const type = { headers: { "content-type": "application/octet-stream" } };
    // Over the quota, a piece is simply not kept.
    await Promise.all(batch.map(([url, bytes]) => cache.put(url, new Response(bytes, type)).catch(() => {})));
    this.writes += 1;
    if (this.writes % 16 === 1) await this.trim(cache);
  }
  /** The oldest pieces go past KEPT_PIECES (the cache lists them in the order they were put). */
  async trim(cache) {
    const keys = await cache.keys().catch(() => []);
    await Promise.all(keys.slice(0, Math.max(0, keys.length - KEPT_PIECES)).map((k) => cache.delete(k).catch(() => {})));
  }
  async load(url) {
    if (this.pending.has(url)) return this.pending.get(url);
    const cache = await this.open();
    const response = await cache?.match(url).catch(() => null);
    return response ? new Uint8Array(await response.arrayBuffer()) : null;
  }
  async forget(url) {
    this.pending.delete(url);
    const cache = await this.open();
    await cache?.delete(url).catch(() => {});
  }
}

/**
 * Runs at most `limit` tasks at once, the others in the order they came; tasks asked for `later`
 * (fetching ahead) only when no other task waits, so a view never queues behind them. A task
 * whose `wanted()` says no by its turn is not run: it fails "superseded".
 */
function limiter(limit) {
  let running = 0;
  const queue = [];
  const ahead = [];
  const next = () => {
    while (running < limit && (queue.length || ahead.length)) {
      const [task, done, fail, , wanted] = (queue.length ? queue : ahead).shift();
      if (wanted && !wanted()) {
        fail(new Failure({ kind: "superseded" }));
        continue;
      }
      running += 1;
      task().then(done, fail).finally(() => {
        running -= 1;
        next();
      });
    }
  };
  const run = (task, later = false, key = null, wanted = null) =>
    new Promise((done, fail) => {
      (later ? ahead : queue).push([task, done, fail, key, wanted]);
      next();
    });
  /** A task asked for `later` and still waiting, which a view now needs: it goes first. */
  run.promote = (key) => {
    const i = ahead.findIndex((entry) => entry[3] === key);
    if (i >= 0) queue.unshift(...ahead.splice(i, 1));
  };
  return run;
}

const wait = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * One GET of a piece within the reader's deadline (for the whole body) and size limit, as the
 * list view fetches a feed (src/web/fetch.rs): the same failures, told apart the same way.
 */
async function fetchOnce(url, limits, signal) {
  const request = new AbortController();
  const follow = () => request.abort();
  signal.addEventListener("abort", follow);
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    request.abort();
  }, limits.timeoutMs);
  const failed = (error) =>
    new Failure(timedOut ? { kind: "timeout", url } : { kind: "network", url, detail: String(error?.message || error) });
  try {
    let response;
    try {
      response = await fetch(url, { signal: request.signal });
    } catch (error) {
      throw failed(error);
    }
    if (!response.ok) throw new Failure({ kind: "http", url, status: response.status, statusText: response.statusText });
    const announced = Number(response.headers.get("content-length"));
    if (announced > limits.maxBytes) throw new Failure({ kind: "too-large", url });
    let buffer;
    try {
      buffer = await response.arrayBuffer();
    } catch (error) {
      throw failed(error);
    }
    if (buffer.byteLength > limits.maxBytes) throw new Failure({ kind: "too-large", url });
    return new Uint8Array(buffer);
  } finally {
    clearTimeout(deadline);
    signal.removeEventListener("abort", follow);
  }
}

/** fetchOnce, once more after a pause when the network failed or the server answered 5xx. */
async function fetchPiece(url, limits, signal) {
  try {
    return await fetchOnce(url, limits, signal);
  } catch (error) {
    const f = error.fields || {};
    const mayPass = f.kind === "network" || (f.kind === "http" && f.status >= 500);
    if (!mayPass || signal.aborted) throw error;
    await wait(RETRY_AFTER_MS);
    if (signal.aborted) throw error;
    return fetchOnce(url, limits, signal);
  }
}

/**
 * The engine over the archive part's `openArchive`; `post` sends each answer back. Answers to
 * requests that can no longer matter (a reader closed) are not sent.
 */
export function createEngine(openArchive, post) {
  const readers = new Map();
  const held = new Held(HELD_BYTES);
  const kept = new Kept();
  const limited = limiter(MAX_FETCHES);
  let nextReader = 0;
  /** Views being answered (not fetching ahead), and what waits for there to be none. */
  let viewing = 0;
  let quiet = [];
  const noViews = () => (viewing ? new Promise((done) => quiet.push(done)) : Promise.resolve());

  /**
   * The bytes of piece `url` for reader `r`, asked by `view` (a request; none for fetching
   * ahead): here, fetched, or (offline) the kept copy. Pieces fetched `ahead` (no view waits for
   * them) wait for every other fetch. A piece still queued when every list that asked for it has
   * been asked for again is not fetched, so the next list does not wait behind a view no one will
   * see (a phrase of three words can name thousands of bodies).
   */
  function piece(r, url, ahead = false, view = null) {
    const here = held.get(url);
    if (here) return Promise.resolve(here);
    const waiting = r.inFlight.get(url);
    if (waiting) {
      waiting.views.add(view);
      if (!ahead) limited.promote(url);
      return waiting.promise;
    }
    const views = new Set([view]);
    const wanted = () => {
      const yes = [...views].some((v) => v === null || v.op !== "list" || r.latestList === v.id);
      // Dropped at once, so that a view asking for it from now on fetches it anew.
      if (!yes) r.inFlight.delete(url);
      return yes;
    };
    const fetchIt = () => (r.abort.signal.aborted ? Promise.reject(new Failure({ kind: "closed" })) : fetchPiece(url, r.limits, r.abort.signal));
    const promise = limited(fetchIt, ahead, url, wanted)
      .then((bytes) => {
        held.put(url, bytes);
        kept.keep(url, bytes);
        return bytes;
      })
      .catch(async (error) => {
        if (error.fields?.kind === "superseded") throw error;
        // Offline: the copy kept when this piece was last seen, if there is one.
        const copy = await kept.load(url).catch(() => null);
        if (copy) return copy;
        throw error;
      })
      .finally(() => r.inFlight.get(url)?.promise === promise && r.inFlight.delete(url));
    r.inFlight.set(url, { promise, views });
    return promise;
  }

  /**
   * Asks reader `r` until its answer is complete, fetching the pieces it names each round (all
   * of a round at once). A list asked for again before its answer came is answered `superseded`
   * at its next round: only the latest list of a widget is drawn.
   */
  async function answer(r, request, ask) {
    const ahead = request.op === "prefetch";
    for (let round = 0; round < ASK_ROUNDS; round++) {
      if (request.op === "list" && r.latestList !== request.id) return { superseded: true };
      if (ahead) await noViews();
      if (r.closed) return null;
      const a = ask();
      if (a && "need" in a) {
        const names = ahead ? a.need.slice(0, AHEAD_BATCH) : a.need;
        const results = await Promise.allSettled(names.map((name) => piece(r, new URL(`p/${name}`, r.base).href, ahead, ahead ? null : request)));
        if (r.closed) return null;
        let failure = null;
        results.forEach((result, i) => {
          if (result.status === "fulfilled") r.reader.add(names[i], result.value);
          // Not fetched for a list asked for again: the next round asks for it anew if needed.
          else if (result.reason?.fields?.kind !== "superseded") failure ??= result.reason;
        });
        kept.flush().catch(() => {});
        if (request.op === "list" && r.latestList !== request.id) return { superseded: true };
        if (failure) return { failed: failure.fields || { kind: "network", url: r.base, detail: String(failure) } };
        continue;
      }
      if (a && a.failed) {
        // A damaged piece is dropped everywhere, so Try again fetches it anew.
        const url = new URL(`p/${a.failed.piece}`, r.base).href;
        r.reader.forget(a.failed.piece);
        held.remove(url);
        kept.forget(url).catch(() => {});
        return { failed: { kind: "damaged", url, detail: a.failed.message } };
      }
      if (a && "ready" in a) return { ready: a.ready };
      return { failed: { kind: "archive", detail: "the archive part's answer could not be read" } };
    }
    return { failed: { kind: "archive", detail: `a view still needed pieces after ${ASK_ROUNDS} rounds of fetching them` } };
  }

  const ops = {
    open(m) {
      let reader;
      try {
        reader = openArchive(m.manifest);
      } catch (error) {
        // Manifest::from_json's sentence: a newer version, not an archive.
        return { error: String(error?.message || error) };
      }
      const id = ++nextReader;
      const limits = { timeoutMs: m.timeoutMs, maxBytes: m.maxBytes };
      readers.set(id, { reader, base: m.base, limits, abort: new AbortController(), inFlight: new Map(), latestList: null, closed: false });
      return { reader: id, head: reader.head() };
    },
    close(m) {
      const r = readers.get(m.reader);
      if (!r) return null;
      readers.delete(m.reader);
      r.closed = true;
      r.abort.abort();
      r.reader.free();
      return null;
    },
    list(m, r) {
      r.latestList = m.id;
      return answer(r, m, () => r.reader.list(m.search, m.key, m.pageSize));
    },
    find(m, r) {
      return answer(r, m, () => r.reader.find(m.release, m.ahead));
    },
    release(m, r) {
      return answer(r, m, () => r.reader.open(m.ordinal));
    },
    /**
     * The words tables' roots and pages (a bounded number), fetched once the first list is
     * drawn and the page is idle (js/archive-client.js asks), so that a first search reads only
     * its chunks. Answered with the bytes they took.
     */
    prefetch(m, r) {
      return answer(r, m, () => r.reader.prefetch());
    },
  };

  return {
    async handle(m) {
      const op = ops[m.op];
      let reply;
      if (!op) reply = { failed: { kind: "archive", detail: `unknown request ${m.op}` } };
      else if (m.op === "open" || m.op === "close") reply = op(m);
      else {
        const r = readers.get(m.reader);
        if (!r) return;
        const view = m.op !== "prefetch";
        if (view) viewing += 1;
        try {
          reply = await op(m, r);
        } catch (error) {
          // The part stopped (a trap): this reader cannot go on; Try again loads the archive anew.
          reply = { failed: { kind: "part", detail: String(error?.message || error) } };
        } finally {
          if (view && --viewing === 0) quiet.splice(0).forEach((done) => done());
        }
        if (r.closed) return;
      }
      if (reply) post({ id: m.id, ...reply });
    },
  };
}
