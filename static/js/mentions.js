// @mention autocomplete for every textarea marked data-mentions (or inside an element so marked).
// Typing "@ad" asks the server for matching colleagues (GET /mentions/suggest/?q=ad, an HTML list of
// <li role="option" data-handle="...">), shows them in a listbox under the textarea, and inserts
// "@handle " when one is picked. Arrow keys move, Enter or Tab picks, Escape closes.
(function () {
  "use strict";

  var SELECTOR = "textarea[data-mentions], [data-mentions] textarea";
  var URL = "/mentions/suggest/?q=";
  var TYPED = /(^|[^\w@\/])@([a-z0-9][a-z0-9._-]{1,62})$/i; // what feed/mentions.py accepts
  var listbox = null, field = null, active = -1, timer = null, lastQuery = "";

  function options() { return listbox ? listbox.querySelectorAll("[role=option]") : []; }

  function close() {
    if (listbox) listbox.remove();
    if (field) {
      field.removeAttribute("aria-activedescendant");
      field.setAttribute("aria-expanded", "false");
    }
    listbox = null; active = -1; lastQuery = "";
  }

  function highlight(index) {
    var items = options();
    if (!items.length) return;
    active = (index + items.length) % items.length;
    items.forEach(function (item, i) {
      item.setAttribute("aria-selected", i === active ? "true" : "false");
      item.style.background = i === active ? "var(--accent-bg, #fef3c7)" : "";
    });
    field.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }

  function typedHandle() {
    var before = field.value.slice(0, field.selectionStart);
    var match = TYPED.exec(before);
    return match ? match[2] : null;
  }

  function pick(item) {
    var handle = item.getAttribute("data-handle");
    var start = field.selectionStart;
    var before = field.value.slice(0, start).replace(/@[^@\s]*$/, "@" + handle + " ");
    field.value = before + field.value.slice(start);
    field.setSelectionRange(before.length, before.length);
    close();
    field.focus();
  }

  function show(target, html) {
    if (!listbox) {
      listbox = document.createElement("ul");
      listbox.id = "mention-listbox";
      listbox.setAttribute("role", "listbox");
      listbox.setAttribute("aria-label", "Colleagues to mention");
      listbox.style.cssText = "list-style:none;margin:.2rem 0;padding:.2rem 0;background:#fff;" +
        "border:1px solid var(--line,#ccc);border-radius:6px;max-height:16rem;overflow:auto";
      listbox.addEventListener("mousedown", function (event) {
        var item = event.target.closest("[role=option]");
        if (item) { event.preventDefault(); pick(item); }
      });
      target.insertAdjacentElement("afterend", listbox);
      target.setAttribute("aria-controls", listbox.id);
    }
    listbox.innerHTML = html;
    var items = options();
    if (!items.length) { close(); return; }
    items.forEach(function (item, i) {
      item.id = "mention-option-" + i;
      item.style.cssText = "padding:.25rem .6rem;cursor:pointer";
    });
    target.setAttribute("aria-expanded", "true");
    highlight(0);
  }

  function suggest(target) {
    var query = typedHandle();
    if (!query) { close(); return; }
    if (query === lastQuery) return;
    lastQuery = query;
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch(URL + encodeURIComponent(query), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          // Only the answer to what is still typed in the focused field counts.
          if (document.activeElement === target && typedHandle() === query) show(target, html);
        })
        .catch(close);
    }, 150);
  }

  // Screen readers announce the box as one that offers suggestions, before anything is typed.
  function mark(target) {
    if (target.hasAttribute("role")) return;
    target.setAttribute("role", "combobox");
    target.setAttribute("aria-autocomplete", "list");
    target.setAttribute("aria-expanded", "false");
  }

  function prepare(target) {
    if (field !== target) { close(); field = target; }
    mark(target);
  }

  document.querySelectorAll(SELECTOR).forEach(mark); // deferred: the page is parsed by now
  document.addEventListener("focusin", function (event) {
    if (event.target.matches(SELECTOR)) mark(event.target); // boxes htmx swapped in later
  });

  document.addEventListener("input", function (event) {
    if (!event.target.matches(SELECTOR)) return;
    prepare(event.target);
    suggest(event.target);
  });

  document.addEventListener("keydown", function (event) {
    if (!listbox || event.target !== field) return;
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
    else if (event.key === "Enter" || event.key === "Tab") {
      if (active >= 0) { event.preventDefault(); pick(options()[active]); }
    } else if (event.key === "Escape") { event.preventDefault(); close(); }
  });

  document.addEventListener("focusout", function (event) {
    if (event.target === field) setTimeout(function () { if (document.activeElement !== field) close(); }, 0);
  });
})();
