// The baseline: the press-release list a web developer would build without release-embed, with
// List.js for search, filters and paging, and marked + DOMPurify for release bodies, used the way
// their documentation shows. Query parameters: feed (URL of the feed, default feed.json) and
// page (items per page, default 10; the benchmark gives the widget the same page size).
(function () {
  "use strict";
  var params = new URLSearchParams(location.search);
  var feedUrl = params.get("feed") || "feed.json";
  var pageSize = Number(params.get("page")) || 10;
  var container = document.getElementById("releases");
  var status = container.querySelector(".status");
  var count = container.querySelector(".count");
  var byId = new Map();

  var escapeHtml = function (s) {
    return String(s == null ? "" : s)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  };
  var dateFormat = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
  var formatDate = function (iso) {
    var d = new Date(String(iso).slice(0, 10) + "T00:00:00Z");
    return isNaN(d) ? escapeHtml(iso) : dateFormat.format(d);
  };

  function itemHtml(r) {
    var tags = Array.isArray(r.tags) ? r.tags : [];
    return (
      '<li><h2><a class="title" href="' + escapeHtml(r.url || "#" + r.id) + '" data-id="' + escapeHtml(r.id) + '">' +
      escapeHtml(r.title) + "</a></h2>" +
      '<p class="meta"><time class="date" datetime="' + escapeHtml(r.date) + '">' + formatDate(r.date) + "</time> · " +
      '<span class="agency">' + escapeHtml(r.agency || "") + "</span></p>" +
      '<p class="summary">' + escapeHtml(r.summary || "") + "</p>" +
      '<p class="tags">' + tags.map(escapeHtml).join(", ") + "</p></li>"
    );
  }

  function fillSelect(name, values) {
    var select = container.querySelector('select[data-filter="' + name + '"]');
    select.insertAdjacentHTML("beforeend", values.map(function (v) {
      return '<option value="' + escapeHtml(v) + '">' + escapeHtml(v) + "</option>";
    }).join(""));
  }

  function render(feed) {
    var releases = (feed && Array.isArray(feed.releases) ? feed.releases : []).filter(function (r) {
      return r && r.id && r.title && r.date;
    });
    releases.sort(function (a, b) {
      return a.date < b.date ? 1 : a.date > b.date ? -1 : a.id < b.id ? -1 : 1;
    });
    var tags = new Set();
    var agencies = new Set();
    var years = new Set();
    releases.forEach(function (r) {
      byId.set(String(r.id), r);
      (r.tags || []).forEach(function (t) { tags.add(t); });
      if (r.agency) agencies.add(r.agency);
      years.add(String(r.date).slice(0, 4));
    });
    fillSelect("tags", Array.from(tags).sort());
    fillSelect("agency", Array.from(agencies).sort());
    fillSelect("year", Array.from(years).sort().reverse());

    container.querySelector(".list").innerHTML = releases.map(itemHtml).join("");
    status.remove();

    var list = new List("releases", {
      valueNames: ["title", "summary", "agency", "tags", "date"],
      page: pageSize,
      pagination: true,
    });
    var showCount = function () {
      var n = list.matchingItems.length;
      count.textContent = n.toLocaleString() + (n === 1 ? " release" : " releases");
    };
    list.on("updated", showCount);
    showCount();

    // Topic, office and year filters, combined, with list.filter().
    var selects = container.querySelectorAll("select.filter");
    var applyFilters = function () {
      var want = {};
      var any = false;
      selects.forEach(function (s) {
        if (s.value) { want[s.dataset.filter] = s.value; any = true; }
      });
      if (!any) return list.filter();
      var tag = want.tags && escapeHtml(want.tags);
      var agency = want.agency && escapeHtml(want.agency);
      list.filter(function (item) {
        var v = item.values();
        if (tag && v.tags.split(", ").indexOf(tag) < 0) return false;
        if (agency && v.agency !== agency) return false;
        if (want.year && v.date.slice(-4) !== want.year) return false;
        return true;
      });
    };
    selects.forEach(function (s) { s.addEventListener("change", applyFilters); });

    // A click on a title opens (or closes) the release body under it.
    container.querySelector(".list").addEventListener("click", function (event) {
      var link = event.target.closest("a.title");
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      var li = link.closest("li");
      var open = li.querySelector(".body");
      if (open) return open.remove();
      var release = byId.get(link.dataset.id);
      var body = document.createElement("div");
      body.className = "body";
      body.innerHTML = DOMPurify.sanitize(marked.parse(String(release.body || "")));
      li.appendChild(body);
    });
  }

  fetch(feedUrl)
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then(render)
    .catch(function (error) {
      console.error("Releases could not be loaded:", error);
      if (!status.isConnected) container.insertBefore(status, container.querySelector(".list"));
      status.className = "error";
      status.textContent = "Releases could not be loaded: " + error.message;
    });
})();
