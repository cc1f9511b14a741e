// Builds the archives that E2E_SOURCE=archive serves in place of feeds (tests/e2e/harness.mjs,
// ARCHIVED_FEEDS), with the archive command (harness.mjs, COMMAND).
// Releases dated in the future are kept (--include-future), as the widget shows them in a feed.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { ARCHIVES, ARCHIVED_FEEDS, COMMAND } from "./harness.mjs";
import { ROOT } from "../../tools/serve.mjs";

for (const { dir, feed } of Object.values(ARCHIVED_FEEDS)) {
  rmSync(`${ARCHIVES}/${dir}`, { recursive: true, force: true });
  const out = execFileSync(COMMAND,
    ["archive", `${ROOT}/${feed}`, "--out", `${ARCHIVES}/${dir}`, "--include-future"], { encoding: "utf8" });
  process.stdout.write(out);
}
