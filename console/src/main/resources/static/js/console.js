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

  // The code editor (highlighting, completion, findings underlined) is js/editor.js.
})();
