// The Pagefind contender: a small search page on Pagefind's JS API (pagefind.js from the bundle
// named by ?bundle=), showing what the widget shows: the newest releases first with the count
// and the topic, office and year counts, a search box, and the three facets as checkboxes.
// Every view is one pagefind.search(): the query (or null for "everything"), the ticked values
// as `any` filters, and the date sort when there is no query; the page's results are loaded with
// data(). A newer view supersedes an older one still running. The section is aria-busy while a
// view is being worked out, so the benchmark knows when the results are final.
const params = new URLSearchParams(location.search);
const bundle = params.get("bundle") || "/pagefind/";
const pageSize = Number(params.get("page")) || 10;
const section = document.getElementById("releases");
const box = section.querySelector("input.search");
const facets = document.getElementById("facets");
const count = section.querySelector(".count");
const list = section.querySelector(".list");
const FACETS = [["topic", "Topics"], ["office", "Offices"], ["year", "Years"]];
const picked = { topic: new Set(), office: new Set(), year: new Set() };

const escape = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const item = (d) =>
  `<li><h2><a class="title" href="${escape(d.meta.url || d.url)}">${escape(d.meta.title)}</a></h2>` +
  `<p class="meta"><time class="date">${escape(d.meta.date)}</time></p><p class="summary">${escape(d.meta.summary || d.excerpt)}</p></li>`;

function facetHtml(counts) {
  return FACETS.map(([name, legend]) => {
    const values = Object.keys(counts[name] || {}).sort((a, b) => (name === "year" ? b.localeCompare(a) : a.localeCompare(b)));
    const boxes = values.map((v) => {
      const on = picked[name].has(v) ? " checked" : "";
      return `<li><label><input type="checkbox" name="${name}" value="${escape(v)}"${on}> ${escape(v)} <span class="n">(${counts[name][v]})</span></label></li>`;
    });
    return `<fieldset data-facet="${name}"><legend>${legend}</legend><ul>${boxes.join("")}</ul></fieldset>`;
  }).join("");
}

let pagefind;
let latest = 0;
async function show() {
  const mine = ++latest;
  section.setAttribute("aria-busy", "true");
  const query = box.value.trim() || null;
  const filters = {};
  for (const [name] of FACETS) if (picked[name].size) filters[name] = { any: [...picked[name]] };
  const search = await pagefind.search(query, { filters, sort: query ? undefined : { date: "desc" } });
  if (mine !== latest || !search) return;
  const page = await Promise.all(search.results.slice(0, pageSize).map((r) => r.data()));
  if (mine !== latest) return;
  const n = search.results.length;
  count.textContent = `${n.toLocaleString("en-US")} ${n === 1 ? "release" : "releases"}`;
  list.innerHTML = page.map(item).join("");
  facets.innerHTML = facetHtml(search.filters);
  section.removeAttribute("aria-busy");
}

function fail(error) {
  section.removeAttribute("aria-busy");
  section.querySelector(".status")?.remove();
  list.insertAdjacentHTML("beforebegin", `<p class="error" role="alert">${escape(error?.message || error)}</p>`);
}

try {
  pagefind = await import(`${bundle}pagefind.js`);
  await pagefind.options({ excerptLength: 30 });
  await pagefind.init();
  // The filter indexes: without them a search returns no filter counts.
  await pagefind.filters();
  await show();
  section.querySelector(".status")?.remove();
  box.disabled = false;
} catch (error) {
  fail(error);
}
box.addEventListener("input", () => show().catch(fail));
facets.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement)) return;
  picked[input.name][input.checked ? "add" : "delete"](input.value);
  show().catch(fail);
});
