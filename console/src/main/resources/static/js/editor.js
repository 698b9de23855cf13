// Vigil console: the code editor. A plain textarea stays the input (forms, keyboard, screen
// readers); a <pre> behind it shows the same text highlighted, with the live check's findings
// underlined. Keywords and stream fields come from the page's data-vocabulary attribute, which the
// server builds from the rule language's lexer and the declared streams.
(function () {
  "use strict";

  var IDENT = /[A-Za-z_][A-Za-z_0-9]*/y;
  var NUMBER = /[0-9]+(?:\.[0-9]+|ms|s|m|h|d)?(?![A-Za-z_0-9])/y;
  var STRING = /"(?:\\[^\r\n]|[^"\\\r\n])*"?/y;
  var COMMENT = /(?:#|\/\/)[^\r\n]*/y;

  function vocabularyOf(area) {
    if (!area.vocabulary) {
      var words = JSON.parse(area.dataset.vocabulary || "{}");
      var fields = {};
      Object.keys(words.streams || {}).forEach(function (s) {
        (words.streams[s] || []).forEach(function (f) { fields[f] = true; });
      });
      area.vocabulary = {
        keywords: new Set(words.keywords || []),
        streams: words.streams || {},
        fields: fields
      };
    }
    return area.vocabulary;
  }

  // Tokens of the text as the lexer sees them: {start, end, kind}; kind is the CSS class suffix.
  function tokenize(text, vocabulary) {
    var tokens = [];
    var at = 0;
    function take(regex, kind) {
      regex.lastIndex = at;
      var m = regex.exec(text);
      if (!m || m[0].length === 0) { return false; }
      var k = kind;
      if (kind === "ident") {
        if (vocabulary.keywords.has(m[0])) { k = "keyword"; }
        else if (Object.prototype.hasOwnProperty.call(vocabulary.streams, m[0])) { k = "stream"; }
        else if (vocabulary.fields[m[0]]) { k = "field"; }
      }
      tokens.push({ start: at, end: at + m[0].length, kind: k });
      at += m[0].length;
      return true;
    }
    while (at < text.length) {
      if (take(COMMENT, "comment") || take(STRING, "string") || take(NUMBER, "number")
          || take(IDENT, "ident")) {
        continue;
      }
      at++;
    }
    return tokens;
  }

  // Offset of 1-based line:column in the text.
  function offsetOf(text, line, column) {
    var offset = 0;
    for (var l = 1; l < line; l++) {
      var next = text.indexOf("\n", offset);
      if (next < 0) { return text.length; }
      offset = next + 1;
    }
    return Math.min(text.length, offset + column - 1);
  }

  function findings(text) {
    var spans = [];
    document.querySelectorAll("#diagnostics .finding").forEach(function (f) {
      var start = offsetOf(text, +f.dataset.line, +f.dataset.column);
      var end = Math.min(text.length, start + Math.max(1, +f.dataset.length));
      spans.push({ start: start, end: Math.max(end, start + 1),
                   warning: f.classList.contains("finding-warning") });
    });
    spans.sort(function (a, b) { return a.start - b.start; });
    return spans;
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
    var tokens = tokenize(text, vocabularyOf(area));
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

  // The word being typed before the caret.
  function wordBefore(area) {
    var text = area.value;
    var end = area.selectionEnd;
    var start = end;
    while (start > 0 && /[A-Za-z_0-9.]/.test(text.charAt(start - 1))) { start--; }
    return { start: start, end: end, prefix: text.slice(start, end) };
  }

  // Streams the rule reads ("name: stream(" in its pattern); the stream whose parentheses hold the
  // caret comes first.
  function streamsInScope(area, vocabulary) {
    var text = area.value;
    var known = vocabulary.streams;
    var used = [];
    var stage = /\b([A-Za-z_][A-Za-z_0-9]*)\s*\(/g;
    var m;
    var inside = null;
    while ((m = stage.exec(text)) !== null) {
      if (!Object.prototype.hasOwnProperty.call(known, m[1])) { continue; }
      if (used.indexOf(m[1]) < 0) { used.push(m[1]); }
      var open = m.index + m[0].length;
      if (open <= area.selectionEnd) {
        var depth = 1;
        for (var i = open; i < area.selectionEnd && depth > 0; i++) {
          var c = text.charAt(i);
          if (c === "(") { depth++; } else if (c === ")") { depth--; }
        }
        if (depth > 0) { inside = m[1]; }
      }
    }
    if (used.length === 0) { used = Object.keys(known); }
    if (inside) { used = [inside].concat(used.filter(function (s) { return s !== inside; })); }
    return used;
  }

  function candidates(area, prefix) {
    var vocabulary = vocabularyOf(area);
    var seen = {};
    var out = [];
    function add(label, kind, detail) {
      if (seen[label] || label.indexOf(prefix) !== 0 || label === prefix) { return; }
      seen[label] = true;
      out.push({ label: label, kind: kind, detail: detail });
    }
    streamsInScope(area, vocabulary).forEach(function (s) {
      (vocabulary.streams[s] || []).forEach(function (f) { add(f, "field", s); });
    });
    Object.keys(vocabulary.streams).forEach(function (s) { add(s, "stream", "stream"); });
    Array.from(vocabulary.keywords).forEach(function (k) { add(k, "keyword", "keyword"); });
    return out.slice(0, 30);
  }

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
    var word = wordBefore(area);
    if (!explicit && word.prefix.length < 1) { closeMenu(); return; }
    var items = candidates(area, word.prefix);
    var dot = word.prefix.lastIndexOf(".");
    if (items.length === 0 && dot >= 0) {
      // "big.am": a field of a stage's event (big.amount) completes after the dot.
      word = { start: word.start + dot + 1, end: word.end, prefix: word.prefix.slice(dot + 1) };
      items = candidates(area, word.prefix);
    }
    if (items.length === 0) { closeMenu(); return; }
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
    if (event.inputType && event.inputType.indexOf("insert") === 0 && event.data
        && /[A-Za-z_0-9.]$/.test(event.data)) {
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
    var at = offsetOf(area.value, +button.dataset.line, +button.dataset.column);
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
