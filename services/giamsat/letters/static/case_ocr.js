/* The case page of a scanned letter: while OCR runs, ask the server now and then; when the
   letter is read, say so and put the case's new title and content in place. No inline script
   (the CSP allows only 'self'); without JavaScript a reload shows the same. */
(function () {
  "use strict";
  var EVERY_MS = 5000;
  var GIVE_UP_AFTER = 120; // about ten minutes

  function setText(id, text) {
    var el = document.getElementById(id);
    if (el && typeof text === "string") { el.textContent = text; }
  }

  function start() {
    var state = document.getElementById("ocr-state");
    if (!state || state.getAttribute("data-waiting") !== "yes") { return; }
    var url = state.getAttribute("data-ocr-status-url");
    var tries = 0;

    function poll() {
      tries += 1;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return later(); }
          if (!data.finished) { return later(); }
          state.setAttribute("data-waiting", "no");
          if (data.case) {
            setText("case-title", data.case.title);
            setText("case-content", data.case.content);
            state.textContent = state.getAttribute("data-done-text") ||
              "Đã nhận dạng xong chữ của thư: tiêu đề và nội dung hồ sơ vừa được cập nhật.";
          } else {
            state.textContent = data.label;
          }
        })
        .catch(later);
    }

    function later() {
      if (tries < GIVE_UP_AFTER) { window.setTimeout(poll, EVERY_MS); }
    }

    later();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
