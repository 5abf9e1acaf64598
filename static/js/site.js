// Small enhancements; every page works without them.
(function () {
  "use strict";
  // The language switch keeps the reader's place: carry the #section across.
  document.querySelectorAll("a[data-keep-hash]").forEach(function (link) {
    link.addEventListener("click", function () {
      if (location.hash) link.href = link.href.split("#")[0] + location.hash;
    });
  });
  // Print buttons are hidden until there is a script to make them work.
  document.querySelectorAll("button.js-print").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  // A map paints its points in document order, so a focused point can lie under its neighbours:
  // draw the keyboard focus ring on top of the whole map. (The listeners sit on the document:
  // Chromium makes an SVG element with focus listeners focusable itself.)
  document.querySelectorAll("svg.map").forEach(function (svg) {
    var ring = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    ring.setAttribute("class", "focus-ring");
    ring.setAttribute("aria-hidden", "true");
    svg.appendChild(ring);
  });
  document.addEventListener("focusin", function (event) {
    var link = event.target, svg = link.closest && link.closest("svg.map");
    if (!svg || link.tagName !== "a" || !link.matches(":focus-visible")) return;
    var ring = svg.querySelector(".focus-ring"), box = link.getBBox();
    var pad = 4 / (svg.getScreenCTM().a || 1);  // 4 screen pixels
    ring.setAttribute("x", box.x - pad);
    ring.setAttribute("y", box.y - pad);
    ring.setAttribute("width", box.width + 2 * pad);
    ring.setAttribute("height", box.height + 2 * pad);
    ring.classList.add("shown");
  });
  document.addEventListener("focusout", function (event) {
    var svg = event.target.closest && event.target.closest("svg.map");
    if (svg) svg.querySelector(".focus-ring").classList.remove("shown");
  });
})();
