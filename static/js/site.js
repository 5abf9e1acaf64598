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
  // Copying a section's address (issue 18): the "#" after each heading is the one control. It still
  // goes to its section, and with a script it also copies the address (the section's own page
  // where it has one: data-copy), says so beside it and to a screen reader. A section page has a
  // button that copies the page's address. The labels come from data/strings through <body>.
  var copyLabel = document.body.getAttribute("data-copy-link");
  var doneLabel = document.body.getAttribute("data-copy-link-done");
  var failedLabel = document.body.getAttribute("data-copy-link-failed");
  var announce = null;
  function say(text) {
    if (!announce) {
      announce = document.createElement("span");
      announce.className = "visually-hidden";
      announce.setAttribute("role", "status");
      document.body.appendChild(announce);
    }
    announce.textContent = "";
    window.setTimeout(function () { announce.textContent = text; }, 50);
  }
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {  // plain http: the older way
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      area.remove();
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }
  function absolute(address) { return new URL(address, location.href).href; }
  if (copyLabel) {
    document.querySelectorAll("a.permalink").forEach(function (link) {
      link.title = copyLabel;
      link.addEventListener("click", function () {
        copy(absolute(link.getAttribute("data-copy") || link.getAttribute("href"))).then(function () {
          var old = link.parentNode.querySelector(".copied-note");
          if (old) old.remove();
          var note = document.createElement("span");
          note.className = "copied-note";
          note.setAttribute("aria-hidden", "true");
          note.textContent = doneLabel;
          link.after(note);
          say(doneLabel);
          window.setTimeout(function () { note.remove(); }, 2500);
        }, function () { say(failedLabel); });
      });
    });
    document.querySelectorAll("button.js-copy-page").forEach(function (button) {
      var label = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(absolute(button.getAttribute("data-url"))).then(function () {
          button.textContent = doneLabel;
          button.classList.add("copied");
          say(doneLabel);
          window.setTimeout(function () { button.textContent = label; button.classList.remove("copied"); }, 2500);
        }, function () { say(failedLabel); });
      });
    });
  }
})();
