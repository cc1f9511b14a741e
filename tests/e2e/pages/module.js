// Loads the npm package's ES module directly (no bundler), mounts a widget on a feed object the
// page already has, and records every event for the test.
import { mount } from "/dist/npm/release-embed.mjs";

window.events = [];
for (const name of ["load", "open", "filter", "share", "error"]) {
  document.addEventListener(`release-embed:${name}`, (e) => window.events.push([name, e.detail]));
}
const feed = await (await fetch("/releases.json")).json();
window.feed = feed;
window.widget = await mount(document.getElementById("target"), { feed, pageSize: 5, urlKey: "m" });
window.mount = mount;
