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

  // A live list (server-sent events, htmx's SSE extension) says whether its stream is open:
  // data-live="open" once connected, "lost" after an error (the extension reconnects).
  document.addEventListener("htmx:sseOpen", function (event) {
    event.target.dataset.live = "open";
  });
  document.addEventListener("htmx:sseError", function (event) {
    event.target.dataset.live = "lost";
  });

  // The code editor (highlighting, completion, findings underlined) is js/editor.js.
})();
