// Uses the package the way the README shows; `make test` compiles it with tsc (strict) against
// the published types, so a change that breaks a documented use fails the build.
import { mount, type FilterState, type ReleaseEmbed } from "release-embed";

async function main(): Promise<void> {
  const element = document.querySelector("#news");
  if (!element) return;

  const widget: ReleaseEmbed = await mount(element, { src: "/releases.json", pageSize: 20, filters: ["search", "tags"] });
  widget.setQuery("opioid settlement");
  const filters: FilterState = { tags: ["Settlements"], years: [2024], sort: "newest" };
  widget.setFilters(filters);
  widget.open("ag-kilmartin-immigration-2018");
  widget.open(null);
  widget.setOptions({ sectionLabel: "Newsroom", share: ["email", "copy", "print"], lang: "en-US" });
  widget.refresh();

  element.addEventListener("release-embed:load", (event) => console.log(event.detail.count, event.detail.format));
  element.addEventListener("release-embed:open", (event) => console.log(event.detail.id));
  element.addEventListener("release-embed:filter", (event) => console.log(event.detail.query, event.detail.tags));
  element.addEventListener("release-embed:share", (event) => console.log(event.detail.network));
  element.addEventListener("release-embed:error", (event) => console.log(event.detail.message));

  const box = await mount(document.createElement("aside"), {
    src: "/releases.json",
    layout: "headlines",
    limit: 5,
    moreHref: "/news",
    moreLabel: "All press releases",
    open: "link",
    subscribeHref: "/news/alerts",
    subscribeLabel: "Email alerts",
  });
  box.setOptions({ layout: "cards", limit: 6 });
  // @ts-expect-error: layout takes one of three words
  box.setOptions({ layout: "carousel" });

  const inline = await mount(document.createElement("div"), { feed: { version: "1", releases: [] }, format: "native" });
  inline.destroy();

  // @ts-expect-error: an unknown option is a type error as well as a runtime one
  await mount(element, { src: "/releases.json", colour: "red" });
  // @ts-expect-error: sort takes one of three words
  widget.setFilters({ sort: "loudest" });
}

void main;
