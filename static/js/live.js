// What changes while a page is open, in one request per tab: the feed's "N new posts" prompt
// (#new-posts, on Home and All company) and the unread-notifications badge (#unread-badge).
// Asks GET /live/ every 30 s while the tab is visible; stops while it is hidden (Page Visibility
// API) and asks once at once when it is shown again. It sends back the last ETag, so an answer
// with nothing new is a bodiless 304, and with the page's poll token (X-Hive-Live) that 304 is
// answered before the session is read (feed/middleware.py); an answer that came the long way
// carries a fresh token. Without JavaScript the pages work as before, minus the badge and the prompt.
(function () {
  "use strict";

  var PERIOD = 30000;
  var PARTS = ["new-posts", "unread-badge"]; // the only elements an answer may fill
  var base = document.body && document.body.getAttribute("data-live-url");
  if (!base || !window.fetch) return;
  var token = document.body.getAttribute("data-live-token");
  var etag = null, timer = null, busy = false;

  function url() {
    var prompt = document.getElementById("new-posts");
    if (!prompt || !prompt.getAttribute("data-after")) return base;
    return base + "?after=" + encodeURIComponent(prompt.getAttribute("data-after")) +
      "&scope=" + encodeURIComponent(prompt.getAttribute("data-scope") || "all");
  }

  function apply(html) {
    var answer = document.createElement("template");
    answer.innerHTML = html;
    PARTS.forEach(function (id) {
      var fresh = answer.content.getElementById(id), here = document.getElementById(id);
      // Only the content changes, so the live regions stay and announce nothing when it is equal.
      if (fresh && here && here.innerHTML !== fresh.innerHTML) here.innerHTML = fresh.innerHTML;
    });
  }

  function check() {
    if (busy || document.hidden) return;
    busy = true;
    var headers = etag ? { "If-None-Match": etag } : {};
    if (token) headers["X-Hive-Live"] = token;
    fetch(url(), { headers: headers, credentials: "same-origin" })
      .then(function (response) {
        token = response.headers.get("X-Hive-Live") || token;
        // A redirect means the session ended: leave the page as it is.
        if (response.status !== 200 || response.redirected) return;
        etag = response.headers.get("ETag");
        return response.text().then(apply);
      })
      .catch(function () {}) // offline: try again at the next tick
      .then(function () { busy = false; });
  }

  function start(now) {
    stop();
    if (now) check();
    timer = setInterval(check, PERIOD);
  }

  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) stop(); else start(true);
  });
  // The page was just rendered with the current figures: the first check can wait a period.
  if (!document.hidden) start(false);
})();
