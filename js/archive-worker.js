// The archive part's worker script: the archive part (its wasm, checked against its sha384) and
// the engine that fetches pieces and answers views (js/archive-engine.js), off the page's main
// thread, so that decoding, intersecting and evaluating never delay input. In a worker the page
// sends { op: "start", url, integrity } first; every later message is the engine's. Loaded in a
// page instead (a script from another origin, which may start no worker: js/archive-client.js),
// it only hands the page `startEngine`, so the page's own script carries neither the part's glue
// nor the engine.
import initArchive, { openArchive } from "../pkg/archive/release_embed_archive.js";
import { createEngine } from "./archive-engine.js";

/**
 * Fetches the part's wasm (checked against `integrity`), starts it and resolves with the engine,
 * which sends its answers to `post`.
 */
export async function startEngine(url, integrity, post) {
  const fetched = fetch(url, integrity ? { integrity } : {}).then((response) => {
    if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
    return response;
  });
  await initArchive({ module_or_path: fetched });
  return createEngine(openArchive, post);
}

if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
  let engine = null;
  const early = [];
  self.onmessage = ({ data }) => {
    if (data.op !== "start") {
      if (engine) engine.handle(data);
      else early.push(data);
      return;
    }
    startEngine(data.url, data.integrity, (message) => self.postMessage(message)).then(
      (started) => {
        engine = started;
        self.postMessage({ op: "started" });
        for (const message of early.splice(0)) engine.handle(message);
      },
      (error) => self.postMessage({ op: "failed", detail: String(error?.message || error) }),
    );
  };
}
