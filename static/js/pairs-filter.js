// The all-pairs page's filter and sort. Without this script the page is the whole list, grouped by
// status and year, with jump links. With it, the form narrows the list in place, writes the choice
// into the address (?country=cn&status=signed) so that it can be shared, and restores it on load;
// a live region says how many pairs are shown. No inline script or style: only `hidden` is set.
(function () {
  "use strict";
  var box = document.getElementById("pair-filter");
  var grouped = document.getElementById("pairs-grouped");
  var sortedView = document.getElementById("pairs-sorted");
  if (!box || !grouped || !sortedView) return;
  var form = box.querySelector("form");
  var FILTERS = ["status", "region", "province", "country", "year"];
  var select = {};
  FILTERS.concat(["sort"]).forEach(function (name) { select[name] = form.elements[name]; });
  var sortedList = sortedView.querySelector("ul");
  var sortedTitle = document.getElementById("sorted-title");
  var jump = document.getElementById("pairs-jump");
  var status = document.getElementById("filter-status");
  var langSwitch = document.querySelector("a.lang-switch");
  var lang = document.documentElement.lang;
  var numbers = new Intl.NumberFormat(lang === "th" ? "th-TH-u-nu-thai" : "en");
  var rows = Array.prototype.slice.call(grouped.querySelectorAll("li[data-status]"));
  var home = rows.map(function (li) { return li.parentNode; });
  var lists = Array.prototype.slice.call(grouped.querySelectorAll("ul.pair-rows"));
  var sections = Array.prototype.slice.call(grouped.querySelectorAll("section"));

  function hasOption(sel, value) {
    return Array.prototype.some.call(sel.options, function (o) { return o.value === value && !o.disabled; });
  }

  // Provinces outside the chosen region are not offered.
  function limitProvinces() {
    var region = select.region.value;
    Array.prototype.forEach.call(select.province.options, function (o) {
      var out = !!(region && o.dataset.region && o.dataset.region !== region);
      o.hidden = out;
      o.disabled = out;
    });
    if (select.province.selectedOptions[0] && select.province.selectedOptions[0].disabled) select.province.value = "";
  }

  function count(el) {
    return el.querySelectorAll("li[data-status]:not([hidden])").length;
  }

  function setCount(heading, n) {
    var span = heading && heading.querySelector(".count");
    if (span) span.textContent = "(" + numbers.format(n) + ")";
  }

  function query() {
    var params = new URLSearchParams();
    FILTERS.concat(["sort"]).forEach(function (name) {
      if (select[name].value) params.set(name, select[name].value);
    });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function apply(writeAddress) {
    var shown = 0;
    rows.forEach(function (li) {
      var match = FILTERS.every(function (name) {
        return !select[name].value || li.dataset[name] === select[name].value;
      });
      li.hidden = !match;
      if (match) shown++;
    });
    var sort = select.sort.value;
    if (sort) {  // one flat list in the chosen order
      var key = sort === "province" ? "rankProvince" : "rankPartner";
      rows.slice().sort(function (a, b) { return a.dataset[key] - b.dataset[key]; })
        .forEach(function (li) { sortedList.appendChild(li); });
      sortedTitle.textContent = sortedTitle.dataset.template.replace("{sort}", select.sort.selectedOptions[0].text);
    } else {
      rows.forEach(function (li, i) { home[i].appendChild(li); });
    }
    grouped.hidden = !!sort;
    sortedView.hidden = !sort;
    if (jump) jump.hidden = !!sort;
    lists.forEach(function (ul) {  // a year with nothing left disappears, heading and all
      var n = count(ul), heading = ul.previousElementSibling;
      ul.hidden = !n;
      if (heading && heading.tagName === "H3") { heading.hidden = !n; setCount(heading, n); }
      var link = jump && heading && jump.querySelector('a[href="#' + heading.id + '"]');
      if (link) link.hidden = !n;
    });
    sections.forEach(function (section) {
      var n = count(section), heading = section.querySelector("h2");
      section.hidden = !n;
      setCount(heading, n);
      var link = jump && jump.querySelector('a[href="#' + heading.id + '"]');
      if (link) link.parentNode.hidden = !n;
    });
    status.textContent = status.dataset.template
      .replace("{n}", numbers.format(shown)).replace("{total}", numbers.format(+status.dataset.total));
    if (writeAddress) {
      history.replaceState(null, "", location.pathname + query() + location.hash);
    }
    if (langSwitch) {  // the same choice on the other language's page
      langSwitch.href = langSwitch.href.split(/[?#]/)[0] + query();
    }
  }

  // Restore the choice from the address.
  var params = new URLSearchParams(location.search);
  var chosen = false;
  select.region.value = hasOption(select.region, params.get("region")) ? params.get("region") : "";
  limitProvinces();
  FILTERS.concat(["sort"]).forEach(function (name) {
    var value = params.get(name);
    if (name !== "region" && value !== null && hasOption(select[name], value)) select[name].value = value;
    if (select[name].value) chosen = true;
  });

  box.hidden = false;
  if (chosen || window.matchMedia("(min-width: 48rem)").matches) box.open = true;
  form.addEventListener("change", function (event) {
    if (event.target === select.region) limitProvinces();
    apply(true);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
  document.getElementById("f-clear").addEventListener("click", function () {
    FILTERS.concat(["sort"]).forEach(function (name) { select[name].value = ""; });
    limitProvinces();
    apply(true);
    select.status.focus();
  });
  if (chosen) apply(false);
})();
