// Accessibility audit of Hive's main pages: axe-core (WCAG 2.1 A and AA rules) in headless Chromium,
// plus checks axe cannot make: a visible focus indicator on every stop of the first Tab presses, the
// "N new posts" live region, the @mention combobox, and a keyboard-only walk through posting,
// commenting, reacting and voting (Tab, Shift+Tab, Enter, Space and typing only).
//
//   node bench/a11y/audit.mjs            # against http://127.0.0.1:8123 (see README.md)
//   HIVE_URL=http://127.0.0.1:8000 AUDIT_OUT=/tmp/a11y/results.json node bench/a11y/audit.mjs
//
// It writes to the demo database it is pointed at (one post, one comment, a reaction, a poll and a
// vote as the demo employee): run it against a throwaway demo, never against real data.
// Exit status: 0 when axe finds nothing and every extra check passes, 1 otherwise.

import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";

const require = createRequire(process.env.A11Y_NODE_MODULES ? `${process.env.A11Y_NODE_MODULES}/` : import.meta.url);
const { chromium } = require("playwright-core");
const AXE_PATH = require.resolve("axe-core/axe.min.js");

const BASE = (process.env.HIVE_URL || "http://127.0.0.1:8123").replace(/\/$/, "");
const PASSWORD = process.env.HIVE_DEMO_PASSWORD || "hive-demo-2026";
const OUT = process.env.AUDIT_OUT || "";
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const ACCOUNTS = {
  demo: "demo@example.com", moderator: "moderator@example.com", comms: "comms@example.com", admin: "admin@example.com",
  manager: null, // the demo employee's manager: found from their profile's "Reports to" link (managerEmail)
  newcomer: "newcomer@example.com",
};

// Pages to audit: a path, or a function that finds one by following links like a person would.
const PAGES = [
  { name: "sign-in", as: null, path: "/accounts/login/" },
  { name: "home feed", as: "demo", path: "/" },
  { name: "all company", as: "demo", path: "/all/" },
  { name: "questions", as: "demo", path: "/questions/" },
  { name: "post with comments", as: "demo", find: (p) => firstHref(p, "/all/", "a[href$='#comments']", /#comments$/) },
  { name: "post with poll", as: "demo", find: (p) => firstHref(p, "/all/", ".poll", null, true) },
  { name: "groups", as: "demo", path: "/groups/" },
  { name: "group page", as: "demo", find: (p) => firstHref(p, "/groups/", ".grid a.card") },
  { name: "people directory", as: "demo", path: "/people/" },
  { name: "profile", as: "demo", find: (p) => firstHref(p, "/people/", ".grid a.card") },
  { name: "own profile", as: "demo", find: (p) => firstHref(p, "/", ".me a[href^='/people/']") },
  { name: "org chart", as: "demo", find: async (p) => (await firstHref(p, "/people/", ".grid a.card")) + "org/" },
  { name: "search", as: "demo", path: "/search/?q=python" },
  { name: "content search", as: "demo", path: "/search/?q=pricing+page" },
  { name: "expert finder", as: "demo", path: "/search/experts/?topic=python" },
  { name: "skills", as: "demo", path: "/skills/" },
  { name: "projects", as: "demo", path: "/projects/" },
  { name: "project page", as: "demo", find: (p) => firstHref(p, "/projects/", "article.card h2 a") },
  { name: "new project", as: "demo", path: "/projects/new/" },
  { name: "give kudos", as: "demo", path: "/kudos/give/" },
  { name: "notifications", as: "demo", path: "/notifications/" },
  { name: "new poll", as: "demo", path: "/polls/new/" },
  { name: "moderation queue", as: "moderator", path: "/moderation/" },
  { name: "moderation rules", as: "moderator", path: "/moderation/rules/" },
  // Moderation (issue 12): a case (its decision form: keep, warn, edit, remove, suspend), the figures,
  // the guidelines and their editor.
  { name: "moderation case", as: "moderator", find: (p) => firstHref(p, "/moderation/", "a[href^='/moderation/cases/']") },
  { name: "moderation figures", as: "moderator", path: "/moderation/figures/" },
  { name: "guidelines", as: "demo", path: "/guidelines/" },
  { name: "edit guidelines", as: "moderator", path: "/guidelines/edit/" },
  { name: "adoption dashboard", as: "comms", path: "/analytics/" },
  // Wiki and searches that found nothing (issue 17)
  { name: "company wiki", as: "demo", path: "/wiki/" },
  { name: "wiki page", as: "demo", path: "/wiki/page/expenses-policy/" },
  { name: "wiki history", as: "demo", path: "/wiki/page/expenses-policy/history/" },
  { name: "wiki diff", as: "demo", path: "/wiki/page/expenses-policy/diff/?from=1&to=3" },
  { name: "wiki old version", as: "demo", path: "/wiki/page/expenses-policy/versions/1/" },
  { name: "wiki edit", as: "comms", path: "/wiki/page/expenses-policy/edit/" },
  { name: "new wiki page", as: "comms", path: "/wiki/new/" },
  { name: "group wiki", as: "demo", path: "/wiki/groups/data-guild/" },
  { name: "searches that found nothing", as: "comms", path: "/search/gaps/" },
  // Newest pages (issue 12 quality bar: every new page is in the audit)
  { name: "newcomer figures", as: "comms", path: "/newcomers/figures/" },
  { name: "new group", as: "demo", path: "/groups/new/" },
  { name: "events", as: "demo", path: "/events/" },
  { name: "event page", as: "demo", find: (p) => firstHref(p, "/events/", "a[href^='/events/'][href$='/']:not([href='/events/']):not([href='/events/new/'])") },
  { name: "new event", as: "comms", path: "/events/new/" },
  { name: "kudos leaderboard", as: "demo", path: "/kudos/leaderboard/" },
  { name: "kudos wall", as: "demo", path: "/kudos/" },
  // Pulse surveys (issue 11): the employee's list and answer form, the team's list, editor and results.
  { name: "surveys", as: "demo", path: "/surveys/" },
  { name: "survey to answer", as: "demo", find: (p) => firstHref(p, "/surveys/", "a[href^='/surveys/']") },
  { name: "pulse surveys (team)", as: "comms", path: "/surveys/manage/" },
  { name: "new survey", as: "comms", path: "/surveys/new/" },
  { name: "survey results", as: "comms", find: (p) => firstHref(p, "/surveys/manage/", "a[data-closed]") },
  // Recognition (issue 13): every page, as whoever uses it; the badges are on "own profile" above.
  { name: "kudos leaderboard, the year", as: "demo", path: "/kudos/leaderboard/?period=year" },
  { name: "rewards", as: "demo", path: "/kudos/rewards/" },
  { name: "recognition preferences", as: "demo", path: "/kudos/preferences/" },
  { name: "manager's team recognition", as: "manager", path: "/kudos/team/" },
  { name: "reward requests", as: "admin", path: "/kudos/rewards/requests/" },
  { name: "recognition rings", as: "admin", path: "/kudos/rings/" },
  { name: "most thanked profile, badges", as: "demo", find: (p) => firstHref(p, "/kudos/leaderboard/?period=year", "ol.card li a") },
  // Leaders (issue 15): Home with the first-week checklist (the demo's newcomer, half done), and the
  // "already answered?" panel as a question is typed into the compose box.
  { name: "home, newcomer checklist", as: "newcomer", path: "/" },
  { name: "home, already answered", as: "demo", path: "/", prepare: async (p) => {
    await p.check("input[name=kind][value=question]");
    await p.fill("#compose-form [name=body]", "How do I get access to the VPN from home?");
    await p.waitForSelector("#already-answered section", { timeout: 15000 });
  } },
];

// The demo employee's manager: their profile says whom they report to, and that profile gives the address.
async function managerEmail(context) {
  const page = await context.newPage();
  const own = await firstHref(page, "/", ".me a[href^='/people/']");
  let boss = null;
  if (own) {
    await page.goto(BASE + own);
    boss = await page.evaluate(() => [...document.querySelectorAll("p a")]
      .find((a) => (a.previousSibling?.textContent || "").includes("Reports to"))?.getAttribute("href"));
  }
  const email = boss && (await firstHref(page, boss, "a[href^='mailto:']", /^mailto:/));
  await page.close();
  if (!email) throw new Error("could not find the demo employee's manager");
  return email;
}

async function firstHref(page, from, selector, pattern = null, closestPost = false) {
  await page.goto(BASE + from);
  const href = await page.evaluate(({ selector, closestPost }) => {
    const el = document.querySelector(selector);
    if (!el) return null;
    if (closestPost) return el.closest("article")?.querySelector("a[href^='/posts/']")?.getAttribute("href");
    return el.getAttribute("href");
  }, { selector, closestPost });
  if (!href) return null;
  return pattern ? href.replace(pattern, "") : href;
}

async function signIn(context, who) {
  const page = await context.newPage();
  await page.goto(`${BASE}/accounts/login/`);
  await page.fill("#id_login", ACCOUNTS[who]);
  await page.fill("#id_password", PASSWORD);
  await Promise.all([page.waitForNavigation(), page.press("#id_password", "Enter")]);
  if (page.url().includes("/accounts/login/")) throw new Error(`could not sign in as ${ACCOUNTS[who]}`);
  await page.close();
}

async function axe(page) {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
    const nodes = (v) => v.nodes.map((n) => ({
      target: n.target.join(" "), summary: (n.failureSummary || "").split("\n").slice(1, 3).join(" "),
    }));
    return {
      passes: result.passes.length,
      violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: nodes(v) })),
      // "Needs review": axe could not decide (text over an image, a colour it cannot compute).
      incomplete: result.incomplete.map((v) => ({ id: v.id, help: v.help, nodes: nodes(v) })),
    };
  }, TAGS);
}

// Tab through the page and look at each focused element: an outline or box-shadow must show.
async function focusVisibility(page, presses = 40) {
  const invisible = [];
  await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press("Tab");
    const seen = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      // Focus inside a control's built-in parts (a date input's calendar button): the browser's own ring.
      if (!el.matches(":focus")) return null;
      const s = getComputedStyle(el);
      const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
      const shadow = s.boxShadow && s.boxShadow !== "none";
      const label = `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} "${(el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 30)}"`;
      return { visible: outline || shadow, label };
    });
    if (seen && !seen.visible) invisible.push(seen.label);
  }
  return [...new Set(invisible)];
}

function check(results, name, ok, detail = "") {
  results.push({ check: name, ok: Boolean(ok), detail });
}

async function liveRegionChecks(page, results) {
  await page.goto(BASE + "/all/");
  const region = await page.evaluate(() => {
    const el = document.getElementById("new-posts");
    return el && { role: el.getAttribute("role"), live: el.getAttribute("aria-live"), trigger: el.getAttribute("hx-trigger") };
  });
  check(results, "new-posts region exists on All company", region, JSON.stringify(region));
  check(results, "new-posts region is role=status aria-live=polite", region?.role === "status" && region?.live === "polite");
  // After an htmx swap (outerHTML) the region must keep its role, or the next count is not announced.
  await page.evaluate(() => window.htmx.trigger("#new-posts", "every 30s"));
  await page.waitForTimeout(800);
  const after = await page.evaluate(() => {
    const el = document.getElementById("new-posts");
    return el && el.getAttribute("role") + "/" + el.getAttribute("aria-live");
  });
  check(results, "new-posts region keeps role and aria-live after a refresh", after === "status/polite", String(after));
}

async function comboboxChecks(page, results) {
  await page.goto(BASE + "/");
  const box = page.locator("main textarea").first();
  await box.focus();
  const before = await box.evaluate((el) => ({ role: el.getAttribute("role"), ac: el.getAttribute("aria-autocomplete"), exp: el.getAttribute("aria-expanded") }));
  check(results, "composer is a combobox before typing", before.role === "combobox" && before.ac === "list" && before.exp === "false", JSON.stringify(before));
  await page.keyboard.type("Thanks @mo", { delay: 30 });
  await page.waitForSelector("#mention-listbox [role=option]", { timeout: 3000 }).catch(() => null);
  const open = await page.evaluate(() => {
    const field = document.activeElement, list = document.getElementById("mention-listbox");
    const active = field.getAttribute("aria-activedescendant");
    return {
      expanded: field.getAttribute("aria-expanded"), controls: field.getAttribute("aria-controls"),
      listRole: list?.getAttribute("role"), listLabel: list?.getAttribute("aria-label"),
      options: list ? list.querySelectorAll("[role=option]").length : 0,
      active, activeExists: Boolean(active && document.getElementById(active)),
      activeSelected: active ? document.getElementById(active)?.getAttribute("aria-selected") : null,
    };
  });
  check(results, "typing @mo opens a listbox of colleagues", open.options > 0 && open.listRole === "listbox" && open.listLabel, JSON.stringify(open));
  check(results, "combobox is expanded and controls the listbox", open.expanded === "true" && open.controls === "mention-listbox");
  check(results, "aria-activedescendant points at a selected option", open.activeExists && open.activeSelected === "true");
  await page.keyboard.press("ArrowDown");
  const moved = await page.evaluate(() => document.activeElement.getAttribute("aria-activedescendant"));
  check(results, "ArrowDown moves the active option", open.options < 2 || moved !== open.active, `${open.active} -> ${moved}`);
  await page.keyboard.press("Escape");
  const closed = await page.evaluate(() => ({ expanded: document.activeElement.getAttribute("aria-expanded"), list: Boolean(document.getElementById("mention-listbox")) }));
  check(results, "Escape closes the listbox and collapses the combobox", closed.expanded === "false" && !closed.list, JSON.stringify(closed));
  await page.keyboard.type(" and @mo", { delay: 30 });
  await page.waitForSelector("#mention-listbox [role=option]", { timeout: 3000 }).catch(() => null);
  await page.keyboard.press("Enter");
  const value = await box.inputValue();
  check(results, "Enter picks the option: the @handle is written into the box", /@[a-z0-9._-]+ $/.test(value), JSON.stringify(value));
}

// Press Tab (at most `limit` times) until `predicate` holds for the focused element; returns the count.
async function tabTo(page, predicate, arg, limit = 200) {
  for (let i = 1; i <= limit; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(predicate, arg)) return i;
  }
  return -1;
}

async function keyboardWalk(page, results) {
  const stamp = new Date().toISOString().slice(11, 19);
  // Posting: from the top of the feed, Tab to the composer, type, Tab to "Post", Enter.
  await page.goto(BASE + "/");
  let tabs = await tabTo(page, () => document.activeElement?.tagName === "TEXTAREA");
  check(results, "keyboard: reach the composer", tabs > 0, `${tabs} Tab presses`);
  const body = `Keyboard-only post ${stamp}`;
  await page.keyboard.type(body);
  tabs = await tabTo(page, () => document.activeElement?.tagName === "BUTTON" && document.activeElement.textContent.trim() === "Post", null, 20);
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  check(results, "keyboard: post with Enter on Post", (await page.content()).includes(body), `${tabs} Tab presses from the box`);

  // Reacting: Tab on to the Like button of the post just written, Space. (Since af30398 the button's name
  // is its visible text "Like", not an aria-label: find it by its id, react-<post>-like.)
  tabs = await tabTo(page, (text) => /^react-\d+-like$/.test(document.activeElement?.id || "")
    && document.activeElement.closest("article")?.textContent.includes(text), body);
  const likeId = await page.evaluate(() => document.activeElement.id);
  await page.keyboard.press("Space");
  await page.waitForTimeout(700);
  const pressed = await page.evaluate((id) => document.getElementById(id)?.getAttribute("aria-pressed") === "true", likeId);
  const focusKept = await page.evaluate(() => document.activeElement && document.activeElement !== document.body);
  check(results, "keyboard: react with Space on Like", tabs > 0 && pressed, `${tabs} Tab presses`);
  check(results, "keyboard: focus survives the htmx swap after reacting", focusKept,
    focusKept ? "" : "focus falls back to <body>: the next Tab starts again from the top of the page");

  // Commenting: open the new post, Tab to the comment box, type, Tab to "Comment", Enter.
  await page.goto(BASE + "/");
  tabs = await tabTo(page, () => document.activeElement?.matches?.("article time") || document.activeElement?.querySelector?.("time"));
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  tabs = await tabTo(page, () => document.activeElement?.tagName === "TEXTAREA" && document.activeElement.name === "body" && !document.activeElement.closest("details"));
  const comment = `Keyboard-only comment ${stamp}`;
  await page.keyboard.type(comment);
  await tabTo(page, () => document.activeElement?.textContent?.trim() === "Comment", null, 10);
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  check(results, "keyboard: comment with Enter on Comment", (await page.content()).includes(comment), `${tabs} Tab presses to the comment box`);

  // Voting: make a poll with the keyboard, then vote in it with Space and Enter.
  await page.goto(BASE + "/polls/new/");
  await tabTo(page, () => document.activeElement?.name === "question");
  await page.keyboard.type(`Keyboard poll ${stamp}: tea or coffee?`);
  await tabTo(page, () => document.activeElement?.name === "options", null, 5);
  await page.keyboard.type("Tea");
  await page.keyboard.press("Enter"); // a new line in the options box: one option per line
  await page.keyboard.type("Coffee");
  await tabTo(page, () => document.activeElement?.textContent?.trim() === "Post poll", null, 30);
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  const pollUrl = page.url();
  check(results, "keyboard: create a poll", /\/posts\/\d+\/$|\/all\/|\/$/.test(pollUrl) && (await page.content()).includes(`Keyboard poll ${stamp}`), pollUrl);
  const pollHref = await page.evaluate((s) => {
    const article = [...document.querySelectorAll("article")].find((a) => a.textContent.includes(`Keyboard poll ${s}`));
    return article?.querySelector("a[href^='/posts/']")?.getAttribute("href");
  }, stamp);
  if (pollHref) await page.goto(BASE + pollHref);
  tabs = await tabTo(page, () => document.activeElement?.type === "radio" && document.activeElement.name === "option");
  await page.keyboard.press("Space");
  await tabTo(page, () => document.activeElement?.textContent?.trim() === "Vote", null, 10);
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  check(results, "keyboard: vote with Space on an option and Enter on Vote", (await page.content()).includes("(your vote)"), `${tabs} Tab presses to the first option`);
  return pollHref;
}

async function main() {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS });
  const contexts = {};
  const contextFor = async (who) => {
    if (!contexts[who]) {
      if (who && !ACCOUNTS[who]) ACCOUNTS[who] = await managerEmail(await contextFor("demo"));
      contexts[who] = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      if (who) await signIn(contexts[who], who);
    }
    return contexts[who];
  };
  const report = { base: BASE, date: new Date().toISOString(), tags: TAGS, pages: [], checks: [] };

  // The keyboard walk first: it creates the poll that the "post with poll" page audits.
  const walker = await (await contextFor("demo")).newPage();
  await keyboardWalk(walker, report.checks);
  await comboboxChecks(walker, report.checks);
  await liveRegionChecks(walker, report.checks);
  await walker.close();

  for (const spec of PAGES) {
    const page = await (await contextFor(spec.as)).newPage();
    const path = spec.path || (await spec.find(page));
    if (!path) { report.pages.push({ name: spec.name, path: null, error: "no link found to follow" }); await page.close(); continue; }
    const response = await page.goto(BASE + path);
    const entry = { name: spec.name, as: spec.as, path, status: response.status() };
    // What a person does first for what is audited to show (type a question, say).
    if (spec.prepare) {
      try { await spec.prepare(page); } catch (error) { entry.error = `could not prepare: ${error.message}`; }
    }
    Object.assign(entry, await axe(page));
    entry.focusInvisible = await focusVisibility(page);
    report.pages.push(entry);
    await page.close();
  }
  await browser.close();

  let failed = false;
  for (const p of report.pages) {
    const rules = (p.violations || []).map((v) => `${v.id}(${v.impact}, ${v.nodes.length})`);
    if (rules.length || p.error || p.focusInvisible?.length || p.status !== 200) failed = true;
    console.log(`${p.name.padEnd(20)} ${String(p.status ?? "-").padEnd(4)} ${(p.path ?? "").padEnd(28)} `
      + `${(p.violations || []).length} violated, ${p.passes ?? 0} passed, ${(p.incomplete || []).length} to review`);
    if (p.error) console.log(`    ! ${p.error}`);
    for (const v of p.violations || []) {
      console.log(`    axe ${v.id} [${v.impact}] ${v.help}`);
      for (const n of v.nodes.slice(0, 3)) console.log(`        ${n.target}  ${n.summary}`);
      if (v.nodes.length > 3) console.log(`        ... and ${v.nodes.length - 3} more`);
    }
    for (const v of p.incomplete || []) console.log(`    review ${v.id}: ${v.help} (${v.nodes.length} nodes, e.g. ${v.nodes[0]?.target})`);
    if (p.focusInvisible?.length) console.log(`    focus not visible on: ${p.focusInvisible.join(", ")}`);
  }
  console.log("\nChecks:");
  for (const c of report.checks) {
    if (!c.ok) failed = true;
    console.log(`  ${c.ok ? "ok  " : "FAIL"} ${c.check}${c.detail ? "  (" + c.detail + ")" : ""}`);
  }
  if (OUT) writeFileSync(OUT, JSON.stringify(report, null, 2));
  process.exit(failed ? 1 : 0);
}

main().catch((error) => { console.error(error); process.exit(2); });
