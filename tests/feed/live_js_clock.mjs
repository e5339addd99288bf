// Runs static/js/live.js against a stand-in page and clock, and prints (JSON) the seconds at which it
// polled through a scripted hour of a tab's life: tests/feed/test_live_js.py reads them.
import { readFileSync } from "node:fs";
import vm from "node:vm";

const source = readFileSync(process.argv[2], "utf8");
let now = 0; // ms since the page loaded
const timers = new Map();
let nextId = 1;
const listeners = { document: {}, window: {} };
const polls = [];

const on = (where) => (name, fn) => (listeners[where][name] ||= []).push(fn);
const document = {
  hidden: false,
  body: { getAttribute: (name) => ({ "data-live-url": "/live/", "data-live-token": "t" })[name] ?? null },
  getElementById: () => null,
  createElement: () => ({ content: { getElementById: () => null } }),
  addEventListener: on("document"),
};
const window = {
  addEventListener: on("window"),
  fetch: () => {
    polls.push(now / 1000);
    return Promise.resolve({ status: 304, redirected: false, headers: { get: () => null } });
  },
};
const context = {
  document,
  window,
  fetch: window.fetch,
  Date: { now: () => now },
  setTimeout: (fn, ms) => (timers.set(nextId, { at: now + ms, fn }), nextId++),
  clearTimeout: (id) => timers.delete(id),
  setInterval: () => { throw new Error("live.js schedules with setTimeout"); },
  clearInterval: () => {},
  encodeURIComponent,
};
vm.runInNewContext(source, context);

const settle = () => new Promise((resolve) => setImmediate(resolve)); // let fetch's promises run

async function until(seconds) {
  for (;;) {
    const due = [...timers.entries()].sort((a, b) => a[1].at - b[1].at)[0];
    if (!due || due[1].at > seconds * 1000) break;
    timers.delete(due[0]);
    now = due[1].at;
    due[1].fn();
    await settle();
  }
  now = seconds * 1000;
}

async function fire(where, name, seconds) {
  await until(seconds);
  (listeners[where][name] || []).forEach((fn) => fn({}));
  await settle();
}

const script = JSON.parse(process.argv[3]);
for (const [seconds, what] of script) {
  if (what === "hide" || what === "show") {
    await until(seconds);
    document.hidden = what === "hide";
    await fire("document", "visibilitychange", seconds);
  } else if (what === "end") {
    await until(seconds);
  } else {
    const [where, name] = what.split(":");
    await fire(where, name, seconds);
  }
}
console.log(JSON.stringify(polls));
