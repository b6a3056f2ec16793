// assess web pages: autosave of each answer, live applicability and progress, copy buttons, one submit.
// No framework and no build step; every page works without this script (forms post as usual).
(function () {
  "use strict";

  function valueOf(box) {
    var id = box.dataset.question;
    var widget = box.dataset.widget;
    var na = document.getElementById("na-" + id);
    var value = null;
    if (na && na.checked) {
      value = "N/A";
    } else if (widget === "checkbox") {
      value = Array.prototype.map.call(box.querySelectorAll('input[name="answer-' + id + '"]:checked'), function (i) { return i.value; });
    } else if (widget === "radio") {
      var checked = box.querySelector('input[name="answer-' + id + '"]:checked');
      value = checked ? checked.value : null;
    } else {
      value = document.getElementById("answer-" + id).value;
    }
    var note = document.getElementById("note-" + id);
    var target = document.getElementById("target-" + id);
    return { question: id, value: value, note: note ? note.value : null, target: target ? target.value : null };
  }

  function showState(id, text, kind) {
    var state = document.getElementById("state-" + id);
    if (!state) { return; }
    state.textContent = text;
    state.className = "save-state small" + (kind ? " " + kind : "");
  }

  function showError(id, message) {
    var error = document.getElementById("error-" + id);
    var box = document.getElementById("q-" + id);
    if (error) { error.textContent = message || ""; error.hidden = !message; }
    if (box) { box.classList.toggle("has-error", !!message); }
  }

  // Where N/A must say why (the criteria set's rule), the note's label and hint say so while N/A is picked.
  function showNaReason(box) {
    if (!box.hasAttribute("data-na-reason")) { return; }
    var id = box.dataset.question;
    var na = valueOf(box).value === "N/A";
    [["na-note-", !na], ["note-optional-", !na], ["note-needed-", na], ["na-reason-", na]].forEach(function (pair) {
      var el = document.getElementById(pair[0] + id);
      if (el) { el.hidden = !pair[1]; }
    });
    var note = document.getElementById("note-" + id);
    if (note) {
      if (na) { note.setAttribute("aria-required", "true"); } else { note.removeAttribute("aria-required"); }
    }
  }

  function applyResult(data) {
    Object.keys(data.applies || {}).forEach(function (qid) {
      var box = document.getElementById("q-" + qid);
      var skip = document.getElementById("skip-" + qid);
      if (box) { box.hidden = !data.applies[qid]; }
      if (skip) { skip.hidden = !!data.applies[qid]; }
    });
    if (data.progress) {
      var bar = document.getElementById("progress");
      if (bar) { bar.max = Math.max(1, data.progress.applicable); bar.value = data.progress.answered; }
      [["progress-answered", "answered"], ["progress-applicable", "applicable"], ["progress-percent", "percent"]].forEach(function (pair) {
        var el = document.getElementById(pair[0]);
        if (el) { el.textContent = String(data.progress[pair[1]]); }
      });
    }
    Object.keys(data.themes || {}).forEach(function (n) {
      var count = document.getElementById("theme-count-" + n);
      if (count) { count.textContent = data.themes[n].answered + "/" + data.themes[n].applicable; }
    });
  }

  function setUpAutosave(form) {
    var url = form.dataset.saveUrl;
    var csrf = document.getElementById("csrf").value;
    var queues = {};
    var timers = {};

    function save(box) {
      var id = box.dataset.question;
      var payload = valueOf(box);
      showState(id, form.dataset.saving, "");
      // One save at a time per question, in order, so an older value never lands after a newer one.
      queues[id] = (queues[id] || Promise.resolve()).then(function () {
        // What this page showed of the answer, read when the save is sent (after the previous one
        // updated it): the server writes only the fields changed from it, and says so if another tab
        // changed the same field meanwhile.
        payload.seen = document.getElementById("seen-" + id).value;
        return fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "Accept": "application/json" },
          body: JSON.stringify(payload)
        }).then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (data) {
            if (response.ok && data.ok) {
              document.getElementById("seen-" + id).value = data.fingerprint;
              showError(id, "");
              showState(id, form.dataset.saved, "saved");
              applyResult(data);
            } else if (data.redirect) {
              window.location.assign(data.redirect);
            } else {
              showError(id, data.error || "");
              showState(id, form.dataset.failed, "failed");
            }
          });
        }).catch(function () {
          showState(id, form.dataset.offline, "failed");
        });
      });
    }

    function boxOf(target) { return target.closest ? target.closest("fieldset.question") : null; }

    form.addEventListener("change", function (event) {
      var box = boxOf(event.target);
      if (box) { showNaReason(box); clearTimeout(timers[box.dataset.question]); save(box); }
    });
    form.addEventListener("input", function (event) {
      var box = boxOf(event.target);
      if (!box || event.target.type === "radio" || event.target.type === "checkbox") { return; }
      var id = box.dataset.question;
      clearTimeout(timers[id]);
      timers[id] = setTimeout(function () { save(box); }, 1200);
    });
  }

  function setUpCopy(button) {
    var input = document.getElementById(button.dataset.copy);
    if (!input || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () { button.textContent = button.dataset.done; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("theme-form");
    if (form && window.fetch) { setUpAutosave(form); }
    document.querySelectorAll("[data-copy]").forEach(setUpCopy);
    document.querySelectorAll("input[readonly]").forEach(function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
    document.querySelectorAll("form[data-once]").forEach(function (once) {
      once.addEventListener("submit", function () {
        // After the browser has taken the form's data, so the button's own value is still sent.
        setTimeout(function () {
          once.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
        }, 0);
      });
    });
  });
}());
