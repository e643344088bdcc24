// The Countries page: a filter over the list of profiles, and a click on the map opens a
// country's profile. Without JavaScript the list is complete and every link works.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var list = document.getElementById("countries-list");
    if (!list) return;
    var input = document.getElementById("countries-filter");
    var count = document.getElementById("countries-count");
    var rows = Array.prototype.slice.call(list.tBodies[0].rows);
    var links = {};
    rows.forEach(function (row) {
      var a = row.querySelector("a[data-iso3]");
      if (a) links[a.getAttribute("data-iso3")] = a.getAttribute("href");
    });
    function filter() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        var keep = words.every(function (w) { return text.indexOf(w) !== -1; });
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      count.textContent = words.length ? shown + " of " + rows.length + " countries" : "";
    }
    input.parentNode.hidden = false;
    input.addEventListener("input", filter);
    var map = document.querySelector("#fig-countries-map .aigov-overlay");
    if (map) {
      map.classList.add("aigov-clickable");
      map.addEventListener("click", function (event) {
        var path = event.target.closest("path[data-iso3]");
        var href = path && links[path.getAttribute("data-iso3")];
        if (href) window.location.href = href;
      });
    }
  });
})();
