// The "since the list" page's filter by province and kind (issue 20). Without this script the page is
// every entry, newest first, grouped by year, with jump links. With it, the form narrows the list in
// place, writes the choice into the address (?province=phuket&kind=activity) and restores it on load;
// a live region says how many entries are shown. No inline script or style: only `hidden` is set.
(function () {
  "use strict";
  var box = document.getElementById("event-filter");
  var grouped = document.getElementById("events-grouped");
  if (!box || !grouped) return;
  var form = box.querySelector("form");
  var FILTERS = ["province", "kind"];
  var select = {};
  FILTERS.forEach(function (name) { select[name] = form.elements[name]; });
  var status = document.getElementById("filter-status");
  var langSwitch = document.querySelector("a.lang-switch");
  var lang = document.documentElement.lang;
  var numbers = new Intl.NumberFormat(lang === "th" ? "th-TH-u-nu-thai" : "en");
  var rows = Array.prototype.slice.call(grouped.querySelectorAll("ul.events > li[data-kind]"));
  var sections = Array.prototype.slice.call(grouped.querySelectorAll("section"));
  var jump = document.querySelector("nav.jump");

  function hasOption(sel, value) {
    return Array.prototype.some.call(sel.options, function (o) { return o.value === value; });
  }

  function query() {
    var params = new URLSearchParams();
    FILTERS.forEach(function (name) { if (select[name].value) params.set(name, select[name].value); });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function apply(writeAddress) {
    var shown = 0;
    rows.forEach(function (li) {
      var match = FILTERS.every(function (name) { return !select[name].value || li.dataset[name] === select[name].value; });
      li.hidden = !match;
      if (match) shown++;
    });
    sections.forEach(function (section) {  // a year with nothing left disappears, heading and all
      var n = section.querySelectorAll("ul.events > li[data-kind]:not([hidden])").length;
      var heading = section.querySelector("h2");
      section.hidden = !n;
      var span = heading.querySelector(".count");
      if (span) span.textContent = "(" + numbers.format(n) + ")";
      var link = jump && jump.querySelector('a[href="#' + heading.id + '"]');
      if (link) link.hidden = !n;
    });
    status.textContent = status.dataset.template
      .replace("{n}", numbers.format(shown)).replace("{total}", numbers.format(+status.dataset.total));
    if (writeAddress) history.replaceState(null, "", location.pathname + query() + location.hash);
    if (langSwitch) langSwitch.href = langSwitch.href.split(/[?#]/)[0] + query();
  }

  var params = new URLSearchParams(location.search);
  var chosen = false;
  FILTERS.forEach(function (name) {
    var value = params.get(name);
    if (value !== null && hasOption(select[name], value)) select[name].value = value;
    if (select[name].value) chosen = true;
  });
  box.hidden = false;
  if (chosen || window.matchMedia("(min-width: 48rem)").matches) box.open = true;
  form.addEventListener("change", function () { apply(true); });
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
  document.getElementById("f-clear").addEventListener("click", function () {
    FILTERS.forEach(function (name) { select[name].value = ""; });
    apply(true);
    select.province.focus();
  });
  if (chosen) apply(false);
})();
