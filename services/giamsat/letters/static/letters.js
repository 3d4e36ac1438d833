/* Letters pages: batch upload with a progress bar, more letter slots, and the viewer's zoom and
   rotate. Everything here is an extra: without JavaScript the forms post as plain multipart and
   the full-size image links still open. No inline script (the shell's CSP allows only 'self'). */
(function () {
  "use strict";

  /* --- batch upload ------------------------------------------------------------------------ */

  function addSlot(form) {
    var slots = form.querySelectorAll(".letter-slot");
    var last = slots[slots.length - 1];
    if (!last) { return; }
    var next = slots.length + 1;
    var copy = last.cloneNode(true);
    copy.querySelectorAll("[id],[for],[name],[aria-describedby]").forEach(function (el) {
      ["id", "for", "name", "aria-describedby"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(/letter_\d+/g, "letter_" + next)); }
      });
    });
    copy.querySelectorAll("input[type=file]").forEach(function (input) { input.value = ""; });
    copy.querySelectorAll(".error").forEach(function (el) { el.remove(); });
    copy.classList.remove("has-error");
    var legend = copy.querySelector(".slot-number");
    if (legend) { legend.textContent = String(next); }
    last.parentNode.insertBefore(copy, last.nextSibling);
    var count = form.querySelector("input[name=slots]");
    if (count) { count.value = String(next); }
    var input = copy.querySelector("input[type=file]");
    if (input) { input.focus(); }
  }

  function showProgress(form, loaded, total) {
    var box = form.querySelector(".upload-progress");
    if (!box) { return; }
    box.hidden = false;
    var bar = box.querySelector("progress");
    var label = box.querySelector(".upload-percent");
    var percent = total ? Math.floor(loaded * 100 / total) : 0;
    if (bar) { bar.value = percent; }
    if (label) { label.textContent = percent + "%"; }
    var processing = box.querySelector(".upload-processing");
    if (processing) { processing.hidden = percent < 100; }
  }

  function replaceMain(html) {
    // An error page of the same form (422, refused files): show it in place and wire it again.
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.querySelector("main");
    var main = document.querySelector("main");
    if (fresh && main) {
      main.innerHTML = fresh.innerHTML;
      if (doc.title) { document.title = doc.title; }
      init(main);
      var alert = main.querySelector(".form-errors, .flash");
      if (alert && alert.scrollIntoView) { alert.scrollIntoView(); }
    } else {
      document.open();
      document.write(html);
      document.close();
    }
  }

  function uploadWithProgress(form, event) {
    if (!window.FormData || !window.XMLHttpRequest) { return; }  // old browser: plain post
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { showProgress(form, e.loaded, e.total); }
    });
    // The server answers the script with the next page's address (204 + X-Next-Page), so the
    // message it keeps for that page is shown there; anything else is a page to show here.
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.addEventListener("load", function () {
      var next = xhr.getResponseHeader("X-Next-Page");
      if (xhr.status === 204 && next) {
        window.location.assign(next);
      } else if (xhr.responseURL && xhr.responseURL.split("#")[0] !== form.action.split("#")[0]) {
        window.location.assign(xhr.responseURL);  // e.g. sent to the login page
      } else {
        replaceMain(xhr.responseText);
      }
    });
    xhr.addEventListener("error", function () {
      if (button) { button.disabled = false; }
      var box = form.querySelector(".upload-progress");
      var failed = form.querySelector(".upload-failed");
      if (box) { box.hidden = true; }
      if (failed) { failed.hidden = false; }
    });
    showProgress(form, 0, 1);
    xhr.send(new FormData(form));
  }

  function initUpload(root) {
    root.querySelectorAll("form.letter-batch").forEach(function (form) {
      var link = form.querySelector(".add-letter-link");
      if (link) { link.hidden = true; }
      var more = form.querySelector(".add-letter");
      if (more) {
        more.hidden = false;
        more.addEventListener("click", function (e) { e.preventDefault(); addSlot(form); });
      }
      form.addEventListener("submit", function (e) { uploadWithProgress(form, e); });
    });
  }

  /* --- viewer ------------------------------------------------------------------------------ */

  function initViewer(root) {
    root.querySelectorAll(".viewer").forEach(function (viewer) {
      var image = viewer.querySelector(".page-image img");
      var tools = viewer.querySelector(".viewer-tools");
      if (!image || !tools) { return; }
      var state = { zoom: 1, turn: 0 };
      function apply() {
        image.style.transform = "rotate(" + state.turn + "deg) scale(" + state.zoom + ")";
        var level = tools.querySelector(".zoom-level");
        if (level) { level.textContent = Math.round(state.zoom * 100) + "%"; }
      }
      tools.hidden = false;
      tools.addEventListener("click", function (e) {
        var button = e.target.closest("button[data-action]");
        if (!button) { return; }
        var action = button.getAttribute("data-action");
        if (action === "zoom-in") { state.zoom = Math.min(state.zoom * 1.25, 5); }
        if (action === "zoom-out") { state.zoom = Math.max(state.zoom / 1.25, 0.4); }
        if (action === "rotate-left") { state.turn -= 90; }
        if (action === "rotate-right") { state.turn += 90; }
        if (action === "reset") { state.zoom = 1; state.turn = 0; }
        apply();
      });
    });
  }

  function init(root) {
    initUpload(root);
    initViewer(root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
}());
