// The benchmark's widget page: what an agency pastes (script tag + element), with the feed URL
// taken from ?feed= so one page serves every feed size. Runs before the deferred widget script,
// so the element has its attributes when it is upgraded.
(function () {
  var params = new URLSearchParams(location.search);
  var element = document.getElementById("b");
  element.setAttribute("src", params.get("feed") || "feed.json");
  if (params.get("page")) element.setAttribute("page-size", params.get("page"));
  if (params.get("filters")) element.setAttribute("filters", params.get("filters"));
  if (params.get("release")) element.setAttribute("release", params.get("release"));
  if (params.get("max-bytes")) element.setAttribute("max-bytes", params.get("max-bytes"));
})();
