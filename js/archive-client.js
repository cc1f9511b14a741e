// The page's side of the archive part: starts it in a dedicated worker (js/archive-worker.js) and
// gives the list view a reader per widget whose answers are promises of complete views. Where no
// worker can be started from the page (the script served from another origin than the page, a
// browser without workers) the same worker script is loaded into the page and its engine runs in
// this thread. A worker that stops after starting fails the views waiting on it; the next view
// asked (the reader's Try again) starts a new one and opens its readers there again.

import { afterPaint } from "./idle.js";

/** One started engine: asks answered by id over `post`; once it stops, every ask fails. */
function channel(post) {
  let next = 0;
  const waiting = new Map();
  const c = {
    dead: null,
    post,
    ask: (message) =>
      c.dead
        ? Promise.resolve({ failed: c.dead })
        : new Promise((answer) => {
            const id = ++next;
            waiting.set(id, answer);
            post({ ...message, id });
          }),
    receive(reply) {
      const answer = waiting.get(reply.id);
      waiting.delete(reply.id);
      answer?.(reply);
    },
    /** The engine stopped: every view waiting, and every later one, fails with `detail`. */
    die(detail) {
      c.dead = { kind: "part", detail };
      for (const answer of waiting.values()) answer({ failed: c.dead });
      waiting.clear();
    },
  };
  return c;
}

/**
 * The reader's answers, as promises, over the engine `connect` starts (`first`, already started).
 * After the engine stops, the next ask starts a new one with `connect` (and again after that
 * fails), and each reader is opened there again before it asks.
 */
function api(first, connect) {
  let current = Promise.resolve(first);
  const live = () => {
    current = current.then((c) => (c.dead ? connect() : c), () => connect());
    return current;
  };
  return {
    /**
     * Opens the archive whose manifest is `manifest` (fetched from `base`); rejects with the
     * sentence the reader should see (a newer version, not an archive).
     */
    async open(manifest, base, timeoutMs, maxBytes) {
      const request = { op: "open", manifest, base, timeoutMs, maxBytes };
      const opening = async (c) => {
        const opened = await c.ask(request);
        if (opened.failed) throw new Error(`the archive part stopped: ${opened.failed.detail}`);
        if (opened.error !== undefined) throw new Error(opened.error);
        return { c, reader: opened.reader, head: opened.head };
      };
      let here = await opening(await live());
      let moving = null;
      /** The reader in the engine running now: opened there again if the engine was started anew. */
      const reader = () =>
        (moving ??= live()
          .then(async (c) => (c === here.c ? here : (here = await opening(c))))
          .finally(() => (moving = null)));
      const ask = async (message) => {
        let r;
        try {
          r = await reader();
        } catch (error) {
          return { failed: { kind: "part", detail: String(error?.message || error) } };
        }
        return r.c.ask({ ...message, reader: r.reader });
      };
      let prefetched = false;
      return {
        head: here.head,
        async list(search, key, pageSize) {
          const answer = await ask({ op: "list", search, key, pageSize });
          // The first list drawn: the words tables' roots and pages are fetched when the browser
          // is idle after it, so that a first search starts from their chunks. Never on a
          // stopped engine: only a view the reader asks for (Try again) starts another.
          if (!prefetched && answer.ready) {
            prefetched = true;
            afterPaint(() => here.c.dead || here.c.ask({ op: "prefetch", reader: here.reader }));
          }
          return answer;
        },
        find: (release, ahead) => ask({ op: "find", release, ahead }),
        release: (ordinal) => ask({ op: "release", ordinal }),
        close: () => here.c.dead || here.c.post({ op: "close", reader: here.reader }),
      };
    },
  };
}

/** The archive part in this thread: the worker's script loaded here (by `load`) starts it. */
async function inThread(file, load) {
  const { startEngine } = await load();
  let engine;
  const c = channel((message) => engine.handle(message));
  engine = await startEngine(String(file.url), file.integrity, (reply) => c.receive(reply));
  return api(c, () => Promise.reject(new Error("the archive part stopped")));
}

/** The worker's script as a classic script of the page, checked against its sha384. */
function scriptOf(spec) {
  return () =>
    new Promise((loaded, failed) => {
      const script = document.createElement("script");
      script.src = String(spec.url);
      if (spec.integrity) {
        script.integrity = spec.integrity;
        script.crossOrigin = "anonymous";
      }
      script.onload = () => (globalThis.releaseEmbedArchive ? loaded(globalThis.releaseEmbedArchive) : failed(new Error(`${spec.url} did not start`)));
      script.onerror = () => failed(new Error(`${spec.url} could not be loaded`));
      document.head.append(script);
    });
}

/** The archive part in `worker`, once it has fetched and started its wasm. */
function inWorker(worker, file) {
  return new Promise((started, fail) => {
    const failed = (error) => {
      worker.terminate();
      fail(error);
    };
    const c = channel((message) => worker.postMessage(message));
    let running = false;
    worker.onmessage = ({ data }) => {
      if (data.op === "started") {
        running = true;
        started(c);
      } else if (data.op === "failed") failed(new Error(`the archive part could not start: ${data.detail}`));
      else c.receive(data);
    };
    // The script not found or refused, or the worker stopped later: it is ended, and the next
    // view starts another.
    worker.onerror = (event) => {
      event.preventDefault?.();
      const detail = event.message || "its worker script could not be loaded";
      if (running) {
        worker.terminate();
        c.die(detail);
      } else failed(new Error(`the archive part could not start: ${detail}`));
    };
    worker.postMessage({ op: "start", url: String(file.url), integrity: file.integrity });
  });
}

/**
 * Starts the archive part for `file` ({ url, integrity } of its wasm, and `worker`: either the
 * worker script's { url, integrity }, or, from a bundler, { create, load }: `new Worker(new
 * URL(…))` and an `import()` of the same script).
 * A worker script is checked against its sha384 before it starts (Worker takes no integrity).
 */
export async function startArchive(file, fetchChecked) {
  const spec = file.worker;
  if (spec.create) {
    let worker = null;
    try {
      worker = spec.create();
    } catch {
      // Served from another origin than the page: workers must be same-origin.
    }
    if (!worker) return inThread(file, spec.load);
    return api(await inWorker(worker, file), () => inWorker(spec.create(), file));
  }
  if (typeof Worker !== "function" || new URL(spec.url, location.href).origin !== location.origin) {
    return inThread(file, scriptOf(spec));
  }
  const start = async () => {
    await (await fetchChecked(spec.url, spec.integrity)).arrayBuffer();
    return inWorker(new Worker(spec.url), file);
  };
  return api(await start(), start);
}
