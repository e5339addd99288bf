// An event's page while it is open: the question lists (#questions) are asked for again every 15 s,
// so they re-order as colleagues vote and hosts answer. Not while the tab is hidden, nor while
// someone is typing or has an answer box open inside the lists (that would wipe what they wrote).
(function () {
  "use strict";
  var box = document.getElementById("questions");
  var url = box && box.getAttribute("data-live-questions");
  if (!url || !window.fetch) return;
  var busy = false;
  function refresh() {
    if (busy || document.visibilityState !== "visible") return;
    if (box.contains(document.activeElement) || box.querySelector("details[open]")) return;
    busy = true;
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null && box.innerHTML !== html) box.innerHTML = html; })
      .catch(function () {})
      .then(function () { busy = false; });
  }
  setInterval(refresh, 15000);
})();
