// Vigil console: the little script the pages need (the CSP allows no inline script).
(function () {
  "use strict";

  // htmx requests carry the CSRF token from the page's meta tags.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector('meta[name="_csrf"]');
    var header = document.querySelector('meta[name="_csrf_header"]');
    if (token && header) {
      event.detail.headers[header.content] = token.content;
    }
  });

  function editor() { return document.getElementById("source"); }

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

  // Underlines every diagnostic's span in the overlay behind the textarea.
  function underline() {
    var source = editor();
    var overlay = document.getElementById("source-overlay");
    if (!source || !overlay) { return; }
    var text = source.value;
    var spans = [];
    document.querySelectorAll("#diagnostics .finding").forEach(function (f) {
      var start = offsetOf(text, +f.dataset.line, +f.dataset.column);
      var end = Math.min(text.length, start + Math.max(1, +f.dataset.length));
      spans.push({ start: start, end: end, warning: f.classList.contains("finding-warning") });
    });
    spans.sort(function (a, b) { return a.start - b.start; });
    overlay.textContent = "";
    var at = 0;
    spans.forEach(function (s) {
      if (s.start < at) { return; }
      overlay.appendChild(document.createTextNode(text.slice(at, s.start)));
      var mark = document.createElement("mark");
      if (s.warning) { mark.className = "warning"; }
      mark.textContent = text.slice(s.start, Math.max(s.end, s.start + 1)) || " ";
      overlay.appendChild(mark);
      at = Math.max(s.end, s.start + 1);
    });
    overlay.appendChild(document.createTextNode(text.slice(at) + "\n"));
    overlay.scrollTop = source.scrollTop;
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "diagnostics") { underline(); }
  });
  document.addEventListener("input", function (event) {
    if (event.target === editor()) { underline(); }
  });
  document.addEventListener("scroll", function (event) {
    var overlay = document.getElementById("source-overlay");
    if (event.target === editor() && overlay) { overlay.scrollTop = event.target.scrollTop; }
  }, true);

  // A diagnostic's line:col button puts the cursor there.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.goto");
    var source = editor();
    if (!button || !source) { return; }
    var at = offsetOf(source.value, +button.dataset.line, +button.dataset.column);
    source.focus();
    source.setSelectionRange(at, at);
  });

  document.addEventListener("DOMContentLoaded", underline);
})();
