/* Progressive enhancement only: every page works without this file. The texts it shows come
   translated from the page (data-* attributes), so this file holds no language. */
(function () {
  "use strict";

  function fill(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (_, name) {
      return values[name] === undefined ? "" : String(values[name]);
    });
  }

  function confirmButtons() {
    document.querySelectorAll("[data-confirm]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  }

  function printButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  /* The attempt page: autosave, unsaved-answers warning, answered count, countdown. */
  function attemptPage(form) {
    var status = form.querySelector(".autosave-status");
    var counter = document.querySelector(".answered-count");
    var changes = 0;      // edits made on this page
    var savedChanges = 0; // edits the server has confirmed
    var inFlight = false;
    var timer = null;
    var leaving = false;

    function say(kind, text) {
      if (!status) { return; }
      status.textContent = text || "";
      status.classList.toggle("is-error", kind === "error");
    }
    function unsaved() { return changes > savedChanges; }

    function answeredCount() {
      var total = 0;
      var answered = 0;
      form.querySelectorAll("[data-question]").forEach(function (question) {
        total += 1;
        var fields = question.querySelectorAll("input, select, textarea");
        var given = Array.prototype.some.call(fields, function (field) {
          if (field.disabled) { return false; }  // a conflict's copy of the answer saved elsewhere
          if (field.type === "radio" || field.type === "checkbox") { return field.checked; }
          return field.value.trim() !== "";
        });
        if (given) { answered += 1; }
      });
      if (counter) {
        counter.textContent = fill(counter.getAttribute("data-text"),
                                   { answered: answered, total: total });
      }
    }

    function markErrors(errors) {
      form.querySelectorAll("[data-question]").forEach(function (question) {
        var key = question.getAttribute("data-question");
        var id = "question-" + key + "-error";
        var old = document.getElementById(id);
        var fieldset = question.querySelector("fieldset");
        if (old) { old.remove(); }
        question.classList.toggle("has-error", Boolean(errors[key]));
        var described = (fieldset.getAttribute("aria-describedby") || "").split(" ")
          .filter(function (token) { return token && token !== id; });
        if (errors[key]) {
          var message = document.createElement("p");
          message.className = "field-error";
          message.id = id;
          message.textContent = errors[key];
          fieldset.appendChild(message);
          described.push(id);
        }
        fieldset.setAttribute("aria-describedby", described.join(" "));
      });
    }

    function save() {
      timer = null;
      if (leaving) { return; }
      if (inFlight) { schedule(500); return; }
      inFlight = true;
      var sending = changes;
      say("info", status && status.getAttribute("data-saving"));
      fetch(form.action, {
        method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
      }).then(function (response) {
        return response.json().catch(function () { return { status: "failed" }; });
      }).then(function (reply) {
        inFlight = false;
        // Counted before attempt.js hears of the reply, or it never sees everything saved.
        if (reply.status === "saved") { savedChanges = Math.max(savedChanges, sending); }
        keepPageState(reply);
        if (reply.status === "closed" && reply.redirect) {
          leaving = true;
          window.location.assign(reply.redirect);
        } else if (reply.status === "saved") {
          markErrors({});
          if (typeof reply.seconds_left === "number") { countdown.sync(reply.seconds_left); }
          var time = new Date().toLocaleTimeString(document.documentElement.lang || undefined);
          say("info", unsaved() ? status.getAttribute("data-unsaved")
                                : fill(status.getAttribute("data-saved"), { time: time }));
        } else if (reply.status === "invalid" || reply.status === "conflict") {
          markErrors(reply.errors || {});
          say("error", status.getAttribute("data-invalid"));
        } else if (reply.status === "signed_out") {
          say("error", status.getAttribute("data-unsaved"));
        } else if (reply.status === "refused" && reply.message) {
          say("error", reply.message);  // the quiz's dates refuse the save (not open yet)
        } else {
          say("error", status.getAttribute("data-failed"));
          schedule(10000);
        }
      }).catch(function () {
        inFlight = false;
        say("error", status && status.getAttribute("data-failed"));
        schedule(10000);
      });
    }

    /* The page's revision and digests follow each save (quiz/forms.py), and attempt.js hears
       of every reply (notices, the answers kept in the browser). */
    function keepPageState(reply) {
      if (reply.seen && form.elements.seen) { form.elements.seen.value = JSON.stringify(reply.seen); }
      if (typeof reply.revision === "number" && form.elements.revision) {
        form.elements.revision.value = reply.revision;
      }
      form.dispatchEvent(new CustomEvent("attempt:reply",
                                         { detail: { reply: reply, unsaved: unsaved() } }));
    }

    function schedule(delay) {
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(save, delay);
    }

    function edited(delay) {
      changes += 1;
      form.dispatchEvent(new CustomEvent("attempt:edited"));
      answeredCount();
      if (window.fetch) { schedule(delay); }
    }

    form.addEventListener("change", function () { edited(300); });
    form.addEventListener("input", function (event) {
      if (event.target.type === "text" || event.target.tagName === "TEXTAREA") { edited(1500); }
    });
    form.addEventListener("submit", function () {
      leaving = true;
      if (timer) { window.clearTimeout(timer); timer = null; }
    });
    window.addEventListener("beforeunload", function (event) {
      if (!leaving && unsaved()) { event.preventDefault(); event.returnValue = ""; }
    });
    var countdown = startCountdown(form, function () { leaving = true; });
    return { unsaved: unsaved };
  }

  function startCountdown(form, beforeSubmit) {
    var clock = document.querySelector("[data-seconds-left]");
    if (!clock) { return { sync: function () {} }; }
    var value = clock.querySelector(".timer-value");
    var hint = document.querySelector(".timer-hint[data-js-text]");
    var announce = document.querySelector(".timer-announce");
    var end = Date.now() + parseInt(clock.getAttribute("data-seconds-left"), 10) * 1000;
    var warned = false;
    var done = false;
    if (hint) { hint.textContent = hint.getAttribute("data-js-text"); }

    function submitNow() {
      done = true;
      beforeSubmit();
      if (announce) { announce.textContent = announce.getAttribute("data-up-text"); }
      var confirmed = document.createElement("input");
      confirmed.type = "hidden"; confirmed.name = "confirmed"; confirmed.value = "1";
      form.appendChild(confirmed);  // time is up: no confirmation page
      var button = form.querySelector("button[formaction]");
      if (button && form.requestSubmit) {
        form.requestSubmit(button);
      } else {
        if (button) { form.action = button.getAttribute("formaction"); }
        form.submit();
      }
    }

    function tick() {
      if (done) { return; }
      var seconds = Math.max(0, Math.round((end - Date.now()) / 1000));
      if (value) {
        value.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
      }
      if (seconds <= 60) {
        clock.classList.add("low");
        if (!warned && announce && seconds > 0) {
          warned = true;
          announce.textContent = announce.getAttribute("data-low-text");
        }
      }
      if (seconds === 0) { submitNow(); return; }
      var untilNextSecond = (end - Date.now()) % 1000;
      window.setTimeout(tick, untilNextSecond > 20 ? untilNextSecond : 1000);
    }
    tick();
    return { sync: function (secondsLeft) { end = Date.now() + secondsLeft * 1000; } };
  }

  document.addEventListener("DOMContentLoaded", function () {
    confirmButtons();
    printButtons();
    var form = document.querySelector("form[data-autosave]");
    if (form) { attemptPage(form); }
  });
})();
