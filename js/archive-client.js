// The page's side of the archive part: starts it in a dedicated worker (js/archive-worker.js) and
// gives the list view a reader per widget whose answers are promises of complete views. Where no
// worker can be started from the page (the script served from another origin than the page, a
// browser without workers) the same worker script is loaded into the page and its engine runs in
// this thread.

/** The reader's answers, as promises, over a port that posts requests and hears replies. */
function client(post) {
  let next = 0;
  const waiting = new Map();
  let dead = null;
  const ask = (message) =>
    dead
      ? Promise.resolve({ failed: dead })
      : new Promise((answer) => {
          const id = ++next;
          waiting.set(id, answer);
          post({ ...message, id });
        });
  return {
    receive(reply) {
      const answer = waiting.get(reply.id);
      waiting.delete(reply.id);
      answer?.(reply);
    },
    /** The worker stopped: every view waiting, and every later one, fails with `detail`. */
    die(detail) {
      dead = { kind: "part", detail };
      for (const answer of waiting.values()) answer({ failed: dead });
      waiting.clear();
    },
    api: {
      /**
       * Opens the archive whose manifest is `manifest` (fetched from `base`); rejects with the
       * sentence the reader should see (a newer version, not an archive).
       */
      async open(manifest, base, timeoutMs, maxBytes) {
        const opened = await ask({ op: "open", manifest, base, timeoutMs, maxBytes });
        if (opened.failed) throw new Error(`the archive part stopped: ${opened.failed.detail}`);
        if (opened.error !== undefined) throw new Error(opened.error);
        const reader = opened.reader;
        return {
          head: opened.head,
          list: (search, key, pageSize) => ask({ op: "list", reader, search, key, pageSize }),
          find: (release, ahead) => ask({ op: "find", reader, release, ahead }),
          release: (ordinal) => ask({ op: "release", reader, ordinal }),
          close: () => post({ op: "close", reader }),
        };
      },
    },
  };
}

/** The archive part in this thread: the worker's script loaded here (by `load`) starts it. */
async function inThread(file, load) {
  const { startEngine } = await load();
  let engine;
  const c = client((message) => engine.handle(message));
  engine = await startEngine(String(file.url), file.integrity, (reply) => c.receive(reply));
  return c.api;
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
    const c = client((message) => worker.postMessage(message));
    let running = false;
    worker.onmessage = ({ data }) => {
      if (data.op === "started") {
        running = true;
        started(c.api);
      } else if (data.op === "failed") failed(new Error(`the archive part could not start: ${data.detail}`));
      else c.receive(data);
    };
    // The script not found or refused, or the worker stopped later.
    worker.onerror = (event) => {
      event.preventDefault?.();
      const detail = event.message || "its worker script could not be loaded";
      if (running) c.die(detail);
      else failed(new Error(`the archive part could not start: ${detail}`));
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
    return worker ? inWorker(worker, file) : inThread(file, spec.load);
  }
  if (typeof Worker !== "function" || new URL(spec.url, location.href).origin !== location.origin) {
    return inThread(file, scriptOf(spec));
  }
  await (await fetchChecked(spec.url, spec.integrity)).arrayBuffer();
  return inWorker(new Worker(spec.url), file);
}
