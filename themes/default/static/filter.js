/* Filters a collection's index in place. Without this script every filter
 * value is a link to a page of its own (written by twn); with it, a value
 * chosen shows only the listed pages that have it, one value per filter,
 * and the filters combine. Each listed page carries its values in
 * data-filters as "folder:key" words. */
(function () {
  "use strict";

  var nav = document.querySelector("nav.filters");
  var list = document.querySelector("ul.page-list");
  if (!nav || !list) return;
  var status = nav.querySelector(".filter-status");
  var items = Array.prototype.slice.call(list.children);
  var chosen = {};

  function group(key) {
    return key.slice(0, key.indexOf(":"));
  }

  function show() {
    var wanted = Object.keys(chosen).map(function (g) { return chosen[g]; });
    var shown = 0;
    items.forEach(function (item) {
      var has = (item.getAttribute("data-filters") || "").split(" ");
      var match = wanted.every(function (key) { return has.indexOf(key) >= 0; });
      item.hidden = !match;
      if (match) shown += 1;
    });
    nav.querySelectorAll("a[data-filter]").forEach(function (link) {
      var key = link.getAttribute("data-filter");
      var on = key === "" ? wanted.length === 0 : chosen[group(key)] === key;
      if (on) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    });
    var word = shown === 1 ? nav.getAttribute("data-count-one") : nav.getAttribute("data-count-many");
    status.textContent = shown + " " + word;
  }

  nav.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-filter]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    var key = link.getAttribute("data-filter");
    if (key === "") {
      chosen = {};
    } else if (chosen[group(key)] === key) {
      delete chosen[group(key)];
    } else {
      chosen[group(key)] = key;
    }
    show();
  });
})();
