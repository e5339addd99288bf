// What changes while a page is open, in one request per tab: the feed's "N new posts" prompt
// (#new-posts, on Home and All company) and the unread-notifications badge (#unread-badge).
// Asks GET /live/ every 30 s while someone uses the tab, every 2 minutes once nobody has touched it
// for 5 minutes (no key, pointer, scroll or focus: a tab left open on a screen), and not at all
// while it is hidden (Page Visibility API). Being shown again, or touched after being left, makes
// it ask at once and return to every 30 s. It sends back the last ETag, so an answer with nothing
// new is a bodiless 304, and with the page's poll token (X-Hive-Live) that 304 is answered in front
// of Django (feed/live_gate.py); an answer that came through Django carries a fresh token.
// Without JavaScript the pages work as before, minus the badge and the prompt.
(function () {
  "use strict";

  var PERIOD = 30000; // while the tab is in use
  var IDLE_AFTER = 300000; // untouched this long: the tab is left open
  var IDLE_PERIOD = 120000; // how often a left-open tab asks
  var PARTS = ["new-posts", "unread-badge"]; // the only elements an answer may fill
  var base = document.body && document.body.getAttribute("data-live-url");
  if (!base || !window.fetch) return;
  var token = document.body.getAttribute("data-live-token");
  var etag = null, timer = null, busy = false;
  var touched = Date.now();

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

  function idle() {
    return Date.now() - touched >= IDLE_AFTER;
  }

  function schedule() {
    stop();
    timer = setTimeout(function () {
      check();
      schedule();
    }, idle() ? IDLE_PERIOD : PERIOD);
  }

  function start(now) {
    if (now) check();
    schedule();
  }

  function stop() {
    if (timer) clearTimeout(timer);
    timer = null;
  }

  function touch() {
    var wasIdle = idle();
    touched = Date.now();
    if (wasIdle && !document.hidden) start(true); // someone is back: what changed meanwhile, at once
  }

  ["pointerdown", "pointermove", "keydown", "wheel", "scroll", "touchstart"].forEach(function (name) {
    document.addEventListener(name, touch, { capture: true, passive: true });
  });
  window.addEventListener("focus", touch);
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      stop();
    } else {
      touched = Date.now();
      start(true);
    }
  });
  // The page was just rendered with the current figures: the first check can wait a period.
  if (!document.hidden) start(false);
})();
