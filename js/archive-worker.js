// The archive part's dedicated worker: the archive part (its wasm, checked against its sha384)
// and the engine that fetches pieces and answers views (js/archive-engine.js), off the page's
// main thread, so that decoding, intersecting and evaluating never delay input. The page sends
// { op: "start", url, integrity } first; every later message is the engine's.
import initArchive, { openArchive } from "../pkg/archive/release_embed_archive.js";
import { createEngine } from "./archive-engine.js";

let engine = null;
const early = [];

self.onmessage = ({ data }) => {
  if (data.op !== "start") {
    if (engine) engine.handle(data);
    else early.push(data);
    return;
  }
  const fetched = fetch(data.url, data.integrity ? { integrity: data.integrity } : {}).then((response) => {
    if (!response.ok) throw new Error(`${data.url}: ${response.status} ${response.statusText}`);
    return response;
  });
  initArchive({ module_or_path: fetched }).then(
    () => {
      engine = createEngine(openArchive, (message) => self.postMessage(message));
      self.postMessage({ op: "started" });
      for (const message of early.splice(0)) engine.handle(message);
    },
    (error) => self.postMessage({ op: "failed", detail: String(error?.message || error) }),
  );
};
