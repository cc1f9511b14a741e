// Loads the npm package's ES module directly (no bundler), mounts a widget on a feed object the
// page already has, and records every event for the test.
import { mount } from "/dist/npm/release-embed.mjs";

window.events = [];
for (const name of ["load", "open", "filter", "share", "error"]) {
  document.addEventListener(`release-embed:${name}`, (e) => window.events.push([name, e.detail]));
}
// Under E2E_SOURCE=archive the address serves an archive's manifest (tests/e2e/harness.mjs): the
// page then mounts it by address, and keeps the feed it was built from for the tests to compare.
const first = await (await fetch("/releases.json")).json();
const archive = first.format === "release-embed-archive";
const feed = archive ? await (await fetch("/releases.json?feed")).json() : first;
window.feed = feed;
const source = archive ? { src: "/releases.json" } : { feed };
window.widget = await mount(document.getElementById("target"), { ...source, pageSize: 5, urlKey: "m" });
window.mount = mount;
