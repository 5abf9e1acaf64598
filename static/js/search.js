// The search page: reads ?q=, loads this language's index (/search/{lang}.json) once, ranks with
// SearchCore (search-core.js, the same code the tests run under node) and lists the results.
// A corrected query says so ("Showing results for …"); no result is never a dead end: the page
// says the name is not in the list as of its date, offers the closest names and ways to browse.
// Without JavaScript the page's <noscript> says how to browse instead.
(function () {
  "use strict";
  var configEl = document.getElementById("search-config");
  var form = document.querySelector("form.search-page");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var corrected = document.getElementById("search-corrected");
  var none = document.getElementById("search-none");
  var noneText = document.getElementById("search-none-text");
  var suggestBox = document.getElementById("search-suggest");
  var suggestions = document.getElementById("search-suggestions");
  if (!configEl || !form || !input || !status || !list || !window.SearchCore) return;
  var config = JSON.parse(configEl.textContent);
  var t = config.strings;
  var switchLink = document.querySelector("a.lang-switch");
  var loading = null;
  var shown = null;   // the query whose results are on the page
  var timer = 0;

  function digits(n) {
    var s = String(n);
    return config.thaiDigits ? s.replace(/[0-9]/g, function (d) { return String.fromCharCode(0x0e50 + Number(d)); }) : s;
  }

  /* A sentence of the strings with the number and the query in it, as nodes (SearchCore.querySentence:
     the query one unit, in its own language). `key` is the placeholder the query takes: {q}, or {c}. */
  function say(template, n, q, key) {
    return window.SearchCore.querySentence(document, template.split("{n}").join(digits(n)), q, key);
  }

  function show(el, sentence, more) {
    el.textContent = "";
    el.appendChild(sentence);
    if (more) el.appendChild(document.createTextNode(" " + more));
  }

  function load() {
    if (!loading) {
      // no-cache: revalidate, so a rebuilt index is never served stale (the URL carries no hash)
      loading = fetch(config.index, { credentials: "same-origin", cache: "no-cache" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(window.SearchCore.prepare);
      loading.catch(function () { loading = null; });   // a later search may try again
    }
    return loading;
  }

  function clearExtras() {
    if (corrected) { corrected.hidden = true; corrected.textContent = ""; }
    if (none) none.hidden = true;
  }

  function link(r) {
    var a = document.createElement("a");
    a.href = r.url;
    a.textContent = r.title;
    if (r.lang) a.lang = r.lang;   // a suggestion named in the script the reader typed (search-core.js inScriptOf)
    return a;
  }

  function render(q, found) {
    list.textContent = "";
    clearExtras();
    found.results.forEach(function (r) {
      var li = document.createElement("li");
      li.className = "search-result kind-" + r.kind;
      var kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = t["search_kind_" + r.kind] || r.kind;
      var context = document.createElement("p");
      context.className = "search-context";
      // the context is text, or parts: text and [text, language] for a name in its own script
      (Array.isArray(r.context) ? r.context : [r.context]).forEach(function (part) {
        if (typeof part === "string") { context.appendChild(document.createTextNode(part)); return; }
        var span = document.createElement("span");
        span.lang = part[1];
        span.textContent = part[0];
        context.appendChild(span);
      });
      li.appendChild(link(r));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(kind);
      li.appendChild(context);
      list.appendChild(li);
    });
    var n = found.total || 0;
    show(status, say(n === 0 ? t.search_status_none : n === 1 ? t.search_status_one : t.search_status_many, n, q),
         n && !found.complete ? t.search_status_partial : "");
    if (n && found.corrected && corrected) {
      show(corrected, say(t.search_corrected, n, found.corrected, "{c}"));
      corrected.hidden = false;
    }
    if (!n && none) {
      show(noneText, say(t.search_not_in_list, 0, q));
      suggestions.textContent = "";
      (found.suggestions || []).forEach(function (r) {
        var li = document.createElement("li");
        // the page's language first (review item 10); the name in the script typed after it
        var a = link(r);
        if (r.pageTitle) { a.textContent = r.pageTitle; a.removeAttribute("lang"); }
        li.appendChild(a);
        if (r.pageTitle) {
          var typed = document.createElement("span");
          typed.lang = r.lang;
          typed.textContent = r.title;
          li.appendChild(document.createTextNode(" ("));
          li.appendChild(typed);
          li.appendChild(document.createTextNode(")"));
        }
        suggestions.appendChild(li);
      });
      suggestBox.hidden = !(found.suggestions || []).length;
      none.hidden = false;
    }
  }

  function run(raw) {
    var q = raw.trim();
    if (q === shown) return;
    shown = q;
    if (!q) { list.textContent = ""; clearExtras(); status.textContent = t.search_status_empty; return; }
    status.textContent = t.search_status_loading;
    load().then(function (index) {
      if (q !== shown) return;   // the reader has typed on
      render(q, window.SearchCore.search(index, q, { limit: 50 }));
    }, function () {
      if (q === shown) { shown = null; status.textContent = t.search_status_error; }
    });
  }

  // The language switch opens the other language's search page with the same query.
  function keepQueryOnSwitch(q) {
    if (!switchLink) return;
    var url = new URL(switchLink.href, location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    switchLink.href = url.pathname + url.search + url.hash;
  }

  function remember(q) {
    var url = new URL(location.href);
    if (q.trim()) url.searchParams.set("q", q.trim()); else url.searchParams.delete("q");
    history.replaceState(null, "", url.pathname + url.search);
    keepQueryOnSwitch(q.trim());
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    remember(input.value);
    run(input.value);
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { remember(input.value); run(input.value); }, 200);
  });

  var initial = new URLSearchParams(location.search).get("q") || "";
  if (initial) {
    input.value = initial;
    keepQueryOnSwitch(initial.trim());
    run(initial);
  } else {
    load();   // warm the index while the reader types
  }
})();
