// The API docs page: Swagger UI started from the JSON config the page carries (no inline
// script, so the Content-Security-Policy can forbid them everywhere).
(function () {
  "use strict";
  window.addEventListener("load", function () {
    var config = JSON.parse(document.getElementById("swagger-config").textContent);
    config.dom_id = "#swagger-ui-container";
    window.ui = window.SwaggerUIBundle(config);
  });
})();
