// The 404 page: the page a mistyped address probably meant, found with the search index of the
// page's language (SearchCore, as the search page does). /chiang-mai and /th/provinces/chiangmai/
// both suggest Chiang Mai. Without a script the page's plain list of main pages stays.
(function () {
  "use strict";
  var configEl = document.getElementById("not-found-config");
  var box = document.getElementById("not-found-suggest");
  if (!configEl || !box || !window.SearchCore) return;
  var config = JSON.parse(configEl.textContent);
  var words = [], kind = null;
  decodeURIComponent(location.pathname).split("/").forEach(function (part) {
    part = part.replace(/\.[a-z]+$/i, "");
    if (config.kinds[part.toLowerCase()]) kind = config.kinds[part.toLowerCase()];
    if (!part || config.ignore.indexOf(part.toLowerCase()) >= 0) return;
    words.push(part.replace(/[-_+.]+/g, " "));
  });
  var q = words.join(" ").trim();
  if (!q || location.pathname === "/404.html" || /\/404\.html$/.test(location.pathname)) return;
  fetch(config.index, { credentials: "same-origin", cache: "no-cache" })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (data) {
      var index = window.SearchCore.prepare(data);
      var found = window.SearchCore.search(index, q, { limit: 20 });
      var hits = found.results.length ? found.results : (found.suggestions || []);
      // the folder of the address says which kind of page was meant (/provinces/…: a province)
      if (kind) hits = hits.filter(function (r) { return r.kind === kind; }).concat(hits.filter(function (r) { return r.kind !== kind; }));
      var list = box.querySelector("ul");
      hits.slice(0, 3).forEach(function (r) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = r.url;
        a.textContent = r.title;
        li.appendChild(a);
        list.appendChild(li);
      });
      box.hidden = !list.children.length;
    })
    .catch(function () { /* the plain list of main pages stays */ });
})();
