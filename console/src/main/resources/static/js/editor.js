// Vigil console: the code editor. A plain textarea stays the input (forms, keyboard, screen
// readers); a <pre> behind it shows the same text highlighted, with the live check's findings
// underlined. Keywords and stream fields come from the page's data-vocabulary attribute, which the
// server builds from the rule language's lexer and the declared streams. What is computed (tokens,
// marks, completion) is js/editor-core.js, loaded before this file.
(function () {
  "use strict";

  var core = window.VigilEditor;

  function vocabularyOf(area) {
    if (!area.vocabulary) {
      area.vocabulary = core.vocabulary(JSON.parse(area.dataset.vocabulary || "{}"));
    }
    return area.vocabulary;
  }

  // The live check's findings listed on the page, as marks in the text.
  function findings(text) {
    var listed = [];
    document.querySelectorAll("#diagnostics .finding").forEach(function (f) {
      listed.push({ line: +f.dataset.line, column: +f.dataset.column, length: +f.dataset.length,
                    warning: f.classList.contains("finding-warning") });
    });
    return core.marks(text, listed);
  }

  // Appends text[from, to) to parent, cut into token spans.
  function appendTokens(parent, text, tokens, from, to) {
    var at = from;
    tokens.forEach(function (t) {
      if (t.end <= from || t.start >= to) { return; }
      var s = Math.max(t.start, from);
      var e = Math.min(t.end, to);
      if (s > at) { parent.appendChild(document.createTextNode(text.slice(at, s))); }
      if (t.kind === "ident") {
        parent.appendChild(document.createTextNode(text.slice(s, e)));
      } else {
        var span = document.createElement("span");
        span.className = "tok-" + t.kind;
        span.textContent = text.slice(s, e);
        parent.appendChild(span);
      }
      at = e;
    });
    if (to > at) { parent.appendChild(document.createTextNode(text.slice(at, to))); }
  }

  // Redraws the overlay: highlighted tokens, findings underlined, and a probe at the caret that
  // places the completion list.
  function render(area) {
    var overlay = area.parentElement.querySelector(".code-overlay");
    if (!overlay) { return; }
    var text = area.value;
    var tokens = core.tokenize(text, vocabularyOf(area));
    var marks = area.id === "source" ? findings(text) : [];
    var caret = area.selectionEnd;
    overlay.textContent = "";
    var at = 0;
    function plain(to) {
      if (caret >= at && caret <= to) {
        appendTokens(overlay, text, tokens, at, caret);
        var probe = document.createElement("span");
        probe.className = "caret-probe";
        overlay.appendChild(probe);
        appendTokens(overlay, text, tokens, caret, to);
      } else {
        appendTokens(overlay, text, tokens, at, to);
      }
    }
    marks.forEach(function (s) {
      if (s.start < at) { return; }
      plain(s.start);
      var mark = document.createElement("mark");
      if (s.warning) { mark.className = "warning"; }
      if (s.start >= text.length) {
        mark.textContent = " ";
      } else {
        appendTokens(mark, text, tokens, s.start, Math.min(s.end, text.length));
      }
      overlay.appendChild(mark);
      at = Math.min(s.end, text.length);
    });
    plain(text.length);
    overlay.appendChild(document.createTextNode("\n"));
    overlay.scrollTop = area.scrollTop;
    overlay.scrollLeft = area.scrollLeft;
  }

  // ---- completion ----------------------------------------------------------------------------

  var menu = null; // {area, list, items, active, word}

  function closeMenu() {
    if (!menu) { return; }
    menu.list.hidden = true;
    menu.list.textContent = "";
    menu.area.setAttribute("aria-expanded", "false");
    menu.area.removeAttribute("aria-activedescendant");
    menu = null;
  }

  function highlightItem(index) {
    menu.active = (index + menu.items.length) % menu.items.length;
    Array.from(menu.list.children).forEach(function (li, i) {
      li.setAttribute("aria-selected", i === menu.active ? "true" : "false");
    });
    var current = menu.list.children[menu.active];
    menu.area.setAttribute("aria-activedescendant", current.id);
    current.scrollIntoView({ block: "nearest" });
  }

  function accept() {
    var item = menu.items[menu.active];
    var area = menu.area;
    var word = menu.word;
    closeMenu();
    area.setRangeText(item.label, word.start, word.end, "end");
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function openMenu(area, explicit) {
    var list = document.getElementById(area.getAttribute("aria-controls"));
    if (!list) { return; }
    var offer = core.completion(area.value, area.selectionEnd, vocabularyOf(area), explicit);
    if (!offer) { closeMenu(); return; }
    var word = offer.word;
    var items = offer.items;
    list.textContent = "";
    items.forEach(function (item, i) {
      var li = document.createElement("li");
      li.id = list.id + "-" + i;
      li.setAttribute("role", "option");
      li.dataset.index = i;
      var label = document.createElement("span");
      label.textContent = item.label;
      var detail = document.createElement("span");
      detail.className = "muted";
      detail.textContent = item.detail;
      li.appendChild(label);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(detail);
      li.className = "completion-" + item.kind;
      list.appendChild(li);
    });
    menu = { area: area, list: list, items: items, active: 0, word: word, chosen: explicit };
    var probe = area.parentElement.querySelector(".caret-probe");
    var box = area.parentElement.getBoundingClientRect();
    if (probe) {
      var at = probe.getBoundingClientRect();
      list.style.left = Math.max(0, at.left - box.left) + "px";
      list.style.top = (at.bottom - box.top + 2) + "px";
    } else {
      list.style.left = "0px";
      list.style.top = area.offsetHeight + "px";
    }
    list.hidden = false;
    area.setAttribute("aria-expanded", "true");
    highlightItem(0);
  }

  function isCodeArea(element) {
    return element && element.tagName === "TEXTAREA" && element.dataset.vocabulary !== undefined;
  }

  document.addEventListener("keydown", function (event) {
    var area = event.target;
    if (!isCodeArea(area)) { return; }
    if (event.key === " " && event.ctrlKey) {
      event.preventDefault();
      render(area);
      openMenu(area, true);
      return;
    }
    if (!menu || menu.area !== area) { return; }
    if (event.key === "ArrowDown") {
      event.preventDefault(); menu.chosen = true; highlightItem(menu.active + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault(); menu.chosen = true; highlightItem(menu.active - 1);
    } else if (event.key === "Enter" || event.key === "Tab") {
      // A list that opened while typing is a suggestion: Enter and Tab keep their usual meaning
      // (new line, next field) unless an item was chosen with the arrows or Ctrl+Space asked.
      if (menu.chosen) { event.preventDefault(); accept(); } else { closeMenu(); }
    } else if (event.key === "Escape") {
      event.preventDefault(); closeMenu();
    }
  });

  document.addEventListener("input", function (event) {
    var area = event.target;
    if (!isCodeArea(area)) { return; }
    render(area);
    if (core.typedWordCharacter(event.inputType, event.data)) {
      openMenu(area, false);
    } else {
      closeMenu();
    }
  });

  document.addEventListener("mousedown", function (event) {
    var li = event.target.closest && event.target.closest(".completions li");
    if (li && menu) {
      event.preventDefault();
      menu.active = +li.dataset.index;
      accept();
    } else if (menu && event.target !== menu.area) {
      closeMenu();
    }
  });

  document.addEventListener("focusout", function (event) {
    if (menu && event.target === menu.area) { closeMenu(); }
  });

  document.addEventListener("scroll", function (event) {
    var area = event.target;
    if (!isCodeArea(area)) { return; }
    var overlay = area.parentElement.querySelector(".code-overlay");
    if (overlay) {
      overlay.scrollTop = area.scrollTop;
      overlay.scrollLeft = area.scrollLeft;
    }
  }, true);

  // The live check's answer arrived: underline its findings.
  document.addEventListener("htmx:afterSwap", function (event) {
    var area = document.getElementById("source");
    if (event.detail.target && event.detail.target.id === "diagnostics" && isCodeArea(area)) {
      render(area);
    }
  });

  // A finding's line:col button puts the cursor there.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.goto");
    var area = document.getElementById("source");
    if (!button || !area) { return; }
    var at = core.offsetOf(area.value, +button.dataset.line, +button.dataset.column);
    area.focus();
    area.setSelectionRange(at, at);
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-vocabulary]").forEach(function (area) {
      render(area);
      area.classList.add("highlighted");
      area.parentElement.classList.add("highlighted");
    });
  });
})();
