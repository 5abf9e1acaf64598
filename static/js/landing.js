// The bilingual landing page (/): one box searches both languages' indexes with SearchCore
// (search-core.js, as the search pages do) and lists the best few of each, the language that
// matched best first, each list linking to its search page. Without a script the form's two
// buttons open either language's search page with the query.
(function () {
  "use strict";
  var configEl = document.getElementById("landing-config");
  var form = document.querySelector("form.landing-search");
  var input = document.getElementById("landing-q");
  var status = document.getElementById("landing-status");
  var box = document.getElementById("landing-results");
  if (!configEl || !form || !input || !status || !box || !window.SearchCore) return;
  var config = JSON.parse(configEl.textContent);
  var langs = ["th", "en"];
  var loading = {};
  var shown = null, timer = 0;

  function load(lang) {
    if (!loading[lang]) {
      loading[lang] = fetch(config[lang].index, { credentials: "same-origin", cache: "no-cache" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(window.SearchCore.prepare);
      loading[lang].catch(function () { loading[lang] = null; });
    }
    return loading[lang];
  }

  function digits(lang, n) {
    var s = String(n);
    return lang === "th" ? s.replace(/[0-9]/g, function (d) { return String.fromCharCode(0x0e50 + Number(d)); }) : s;
  }

  /* One language's status line, in that language, the query kept whole (SearchCore.querySentence). */
  function statusOf(lang, q, found) {
    var t = config[lang].strings, n = found.total || 0;
    var template = n === 0 ? t.search_status_none : n === 1 ? t.search_status_one : t.search_status_many;
    var line = document.createElement("span");
    line.lang = lang;
    line.appendChild(window.SearchCore.querySentence(document, template.split("{n}").join(digits(lang, n)), q));
    return line;
  }

  function fill(lang, q, found) {
    var section = document.getElementById("landing-results-" + lang);
    var list = section.querySelector("ol"), more = section.querySelector(".landing-more");
    var t = config[lang].strings;
    list.textContent = "";
    found.results.slice(0, config.limit).forEach(function (r) {
      var li = document.createElement("li");
      li.className = "search-result kind-" + r.kind;
      var a = document.createElement("a");
      a.href = r.url;
      a.textContent = r.title;
      var kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = t["search_kind_" + r.kind] || r.kind;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(kind);
      list.appendChild(li);
    });
    more.href = config[lang].page + "?q=" + encodeURIComponent(q);
    section.hidden = !found.results.length;
  }

  function run(raw) {
    var q = raw.trim();
    if (q === shown) return;
    shown = q;
    if (!q) {
      status.textContent = "";
      langs.forEach(function (lang) { document.getElementById("landing-results-" + lang).hidden = true; });
      return;
    }
    status.textContent = config.th.strings.search_status_loading;
    Promise.all(langs.map(load)).then(function (indexes) {
      if (q !== shown) return;   // the reader has typed on
      var found = indexes.map(function (index) { return window.SearchCore.search(index, q, { limit: config.limit }); });
      // the language whose best result matched best comes first
      var top = found.map(function (f) { return f.results.length ? f.results[0].score : -1; });
      var th = document.getElementById("landing-results-th"), en = document.getElementById("landing-results-en");
      if ((top[1] > top[0]) !== (box.firstElementChild === en)) box.insertBefore(top[1] > top[0] ? en : th, box.firstElementChild);
      langs.forEach(function (lang, i) { fill(lang, q, found[i]); });
      status.textContent = "";
      langs.forEach(function (lang, i) {
        if (i) status.appendChild(document.createTextNode(" · "));
        status.appendChild(statusOf(lang, q, found[i]));
      });
    }, function () {
      if (q === shown) { shown = null; status.textContent = config.th.strings.search_status_error + " · " + config.en.strings.search_status_error; }
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run(input.value);
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, 200);
  });
  input.addEventListener("focus", function () { langs.forEach(load); }, { once: true });
})();
