// Small enhancements of pages that already work without JavaScript:
//  - a form with a "Tôi đã kiểm tra" checkbox (data-confirm) asks in a native <dialog> instead;
//  - a unit picker (select[data-filter]) gets a box that filters its options in place;
//  - an element with data-poll-url follows a JSON status and reloads when it is finished.
(function () {
  "use strict";

  function confirmDialog(form) {
    var box = form.querySelector("[data-confirm-box]");
    var check = box && box.querySelector("input[type=checkbox]");
    if (!check || typeof HTMLDialogElement === "undefined") return;
    box.hidden = true;
    var dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    var text = document.createElement("p");
    text.textContent = form.getAttribute("data-confirm");
    var yes = document.createElement("button");
    yes.type = "button";
    yes.textContent = form.getAttribute("data-confirm-yes") || "OK";
    var no = document.createElement("button");
    no.type = "button";
    no.className = "secondary";
    no.textContent = form.getAttribute("data-confirm-no") || "Hủy";
    var actions = document.createElement("p");
    actions.className = "actions";
    actions.append(yes, " ", no);
    dialog.append(text, actions);
    document.body.append(dialog);
    form.addEventListener("submit", function (event) {
      if (check.checked) return;
      event.preventDefault();
      dialog.showModal();
    });
    yes.addEventListener("click", function () {
      check.checked = true;
      dialog.close();
      form.requestSubmit ? form.requestSubmit() : form.submit();
    });
    no.addEventListener("click", function () { dialog.close(); });
  }

  function filterBox(select) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "filter-box";
    input.id = select.id + "-filter";
    input.setAttribute("aria-label", select.getAttribute("data-filter"));
    input.placeholder = select.getAttribute("data-filter");
    input.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(input, select);
    var fold = function (s) {
      return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d")
        .replace(/Đ/g, "d").toLowerCase().replace(/\s+/g, " ").trim();
    };
    input.addEventListener("input", function () {
      var words = fold(input.value).split(" ").filter(Boolean);
      Array.prototype.forEach.call(select.options, function (option) {
        var text = fold(option.textContent);
        var shown = option.selected || words.every(function (w) { return text.indexOf(w) >= 0; });
        option.hidden = !shown;
      });
    });
  }

  function poll(element) {
    var url = element.getAttribute("data-poll-url");
    var every = parseInt(element.getAttribute("data-poll-every") || "3000", 10);
    var tries = 0;
    function tick() {
      tries += 1;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (status) {
          if (!status) return;
          if (status.label) {
            var label = element.querySelector("[data-poll-label]");
            if (label) label.textContent = status.label;
          }
          var bar = element.querySelector("[data-poll-progress]");
          if (bar && typeof status.progress === "number") bar.value = status.progress;
          if (status.finished) { window.location.reload(); return; }
          if (tries < 200) window.setTimeout(tick, every);
        })
        .catch(function () { if (tries < 200) window.setTimeout(tick, every * 2); });
    }
    window.setTimeout(tick, every);
  }

  document.querySelectorAll("form[data-confirm]").forEach(confirmDialog);
  document.querySelectorAll("select[data-filter]").forEach(filterBox);
  document.querySelectorAll("[data-poll-url]").forEach(poll);
})();
