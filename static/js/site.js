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
})();
