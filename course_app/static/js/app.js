/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  function confirmButtons() {
    document.querySelectorAll("[data-confirm]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  }

  function countdown() {
    var timer = document.querySelector("[data-seconds-left]");
    if (!timer) { return; }
    var left = parseInt(timer.getAttribute("data-seconds-left"), 10);
    var value = timer.querySelector(".timer-value");
    var form = document.getElementById(timer.getAttribute("data-submit-form"));
    var end = Date.now() + left * 1000;
    function tick() {
      var seconds = Math.max(0, Math.round((end - Date.now()) / 1000));
      var text = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
      if (value) { value.textContent = text; }
      if (seconds <= 60) { timer.classList.add("low"); }
      if (seconds === 0 && form) {
        var submit = form.querySelector("[formaction]");
        if (submit) { form.action = submit.getAttribute("formaction"); }
        window.removeEventListener("beforeunload", warnUnsaved);
        form.submit();
        return;
      }
      window.setTimeout(tick, 1000);
    }
    tick();
  }

  var dirty = false;
  function warnUnsaved(event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  }

  function autosave() {
    var form = document.querySelector("form[data-autosave]");
    if (!form || !window.fetch) { return; }
    var status = form.querySelector(".autosave-status");
    var pending = null;
    function save() {
      pending = null;
      var body = new URLSearchParams(new FormData(form));
      fetch(form.action, { method: "POST", body: body, credentials: "same-origin",
                           headers: { "X-Requested-With": "fetch" }, redirect: "manual" })
        .then(function (response) {
          var ok = response.type === "opaqueredirect" || response.ok;
          if (ok) { dirty = false; }
          if (status) { status.textContent = ok ? status.getAttribute("data-saved") || "✓" : "!"; }
        })
        .catch(function () { if (status) { status.textContent = "!"; } });
    }
    form.addEventListener("change", function () {
      dirty = true;
      if (pending) { window.clearTimeout(pending); }
      pending = window.setTimeout(save, 800);
    });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", warnUnsaved);
  }

  document.addEventListener("DOMContentLoaded", function () {
    confirmButtons();
    countdown();
    autosave();
  });
})();
