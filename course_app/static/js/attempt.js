/* The attempt page's safety net (issue 16), on top of app.js's autosave: answers kept in this
   browser until the server has them, the session kept alive while the trainee works and a
   warning before it ends, notices when another tab changed answers, ordering items moved with
   buttons, and a Submit that names the unanswered questions. Texts come from the page. */
(function () {
  "use strict";
  var MINUTE = 60 * 1000;

  function fill(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (_, name) { return values[name] || ""; });
  }

  function setup(form, notice) {
    var key = "course_app.attempt." + form.getAttribute("data-attempt");
    var lastContact = Date.now();
    var idleMs = parseInt(notice.getAttribute("data-idle-seconds"), 10) * 1000;
    var endsAt = Date.now() + parseInt(notice.getAttribute("data-ends-seconds"), 10) * 1000;
    var signedOut = false;

    function show(text, linkText, href, onClick) {
      notice.textContent = text + " ";
      if (linkText) {
        var link = document.createElement(href ? "a" : "button");
        link.textContent = linkText;
        link.className = "button small";
        if (href) { link.href = href; } else { link.type = "button"; link.addEventListener("click", onClick); }
        notice.appendChild(link);
      }
      notice.hidden = false;
    }
    function attr(name) { return notice.getAttribute(name); }

    function fields() {
      var kept = [];
      new FormData(form).forEach(function (value, name) {
        if (name !== "csrf_token") { kept.push([name, value]); }
      });
      return kept;
    }
    var base = fields();  // the answers as the server sent them: what is not edited stays put
    function stash() {
      try { window.localStorage.setItem(key, JSON.stringify({ fields: fields(), base: base, at: Date.now() })); } catch (e) { /* private mode: nothing kept */ }
    }
    function byName(pairs) {
      var values = {};
      pairs.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
      return values;
    }
    /* The fields the trainee changed on the page the copy came from (every field for a copy
       without its base): answers saved since on another device are not put back to older ones. */
    function editedIn(kept) {
      if (!kept.base) { return null; }
      var now = byName(kept.fields), then = byName(kept.base), edited = {};
      Object.keys(now).concat(Object.keys(then)).forEach(function (name) {
        if ((now[name] || []).join("\u0000") !== (then[name] || []).join("\u0000")) { edited[name] = true; }
      });
      return edited;
    }
    function unstash() { try { window.localStorage.removeItem(key); } catch (e) { /* ignore */ } }

    function restore() {
      var kept;
      try { kept = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { kept = null; }
      if (!kept || !kept.fields) { return; }
      var values = byName(kept.fields);
      var edited = editedIn(kept);
      var differs = false;
      form.querySelectorAll("input[name^='q-'], textarea[name^='q-']").forEach(function (field) {
        if (field.disabled) { return; }  // a conflict's read-only copy of the answer saved elsewhere
        if (edited && !edited[field.name]) { return; }
        var given = values[field.name] || [];
        var before = field.type === "radio" || field.type === "checkbox" ? field.checked : field.value;
        if (field.type === "radio" || field.type === "checkbox") { field.checked = given.indexOf(field.value) >= 0; }
        else if (field.type !== "hidden") { field.value = given.length ? given[0] : ""; }
        var after = field.type === "radio" || field.type === "checkbox" ? field.checked : field.value;
        if (field.type !== "hidden" && before !== after) { differs = true; }
      });
      form.querySelectorAll("[data-order]").forEach(function (list) {
        var name = "q-" + list.getAttribute("data-order") + "-";
        var items = Array.prototype.slice.call(list.querySelectorAll(".order-item"));
        if (!items.every(function (li) { return values[name + li.getAttribute("data-item")]; })) { return; }
        if (edited && !items.some(function (li) { return edited[name + li.getAttribute("data-item")]; })) { return; }
        differs = differs || items.some(function (li) {
          var input = li.querySelector("input[type=hidden]");
          return !input || input.value !== values[name + li.getAttribute("data-item")][0];
        });
        items.sort(function (a, b) {
          return values[name + a.getAttribute("data-item")][0] - values[name + b.getAttribute("data-item")][0];
        }).forEach(function (li) { list.appendChild(li); });
        renumber(list);
      });
      if (!differs) { unstash(); return; }
      ["seen", "revision"].forEach(function (name) {  // judged against the page they came from
        if (values[name] && form.elements[name]) { form.elements[name].value = values[name][0]; }
      });
      show(attr("data-restored"));
      form.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function renumber(list) {
      var name = "q-" + list.getAttribute("data-order") + "-";
      var items = list.querySelectorAll(".order-item");
      items.forEach(function (li, index) {
        var input = li.querySelector("input[type=hidden]");
        if (!input) {
          input = document.createElement("input");
          input.type = "hidden";
          input.name = name + li.getAttribute("data-item");
          li.appendChild(input);
        }
        input.value = String(index + 1);
        var buttons = li.querySelectorAll("button[name=move]");
        buttons[0].disabled = index === 0;
        buttons[1].disabled = index === items.length - 1;
      });
      var hint = list.parentNode.querySelector(".order-unanswered");
      if (hint) { hint.hidden = true; }
    }

    form.addEventListener("click", function (event) {
      var button = event.target.closest("button[name=move]");
      if (!button) { return; }
      event.preventDefault();
      var parts = button.value.split(":");
      var direction = parts[parts.length - 1];
      var list = form.querySelector("[data-order='" + parts[0] + "']");
      var li = button.closest(".order-item");
      if (direction === "up" && li && li.previousElementSibling) { list.insertBefore(li, li.previousElementSibling); }
      if (direction === "down" && li && li.nextElementSibling) { list.insertBefore(li.nextElementSibling, li); }
      renumber(list);
      if (!button.disabled) { button.focus(); }
      form.dispatchEvent(new Event("change", { bubbles: true }));
    });

    var submit = form.querySelector("[data-submit-confirm]");
    if (submit) {
      submit.addEventListener("click", function (event) {
        var missing = [];
        form.querySelectorAll("[data-question]").forEach(function (question) {
          var given = Array.prototype.some.call(question.querySelectorAll("input, textarea"), function (field) {
            if (field.disabled) { return false; }
            if (field.type === "radio" || field.type === "checkbox") { return field.checked; }
            return field.value.trim() !== "";
          });
          if (!given) { missing.push(question.getAttribute("data-number")); }
        });
        var text = submit.getAttribute("data-submit-confirm");
        if (missing.length) { text += "\n\n" + fill(submit.getAttribute("data-unanswered"), { questions: missing.join(", ") }); }
        if (!window.confirm(text)) { event.preventDefault(); return; }
        var confirmed = document.createElement("input");
        confirmed.type = "hidden"; confirmed.name = "confirmed"; confirmed.value = "1";
        form.appendChild(confirmed);
        unstash();
      });
    }

    function goneOut() {
      signedOut = true;
      show(attr("data-signed-out"), attr("data-sign-in"), attr("data-login-url"));
    }
    function ping() {
      fetch(attr("data-alive-url"), { credentials: "same-origin", redirect: "manual",
                                      headers: { "X-Requested-With": "fetch", "Accept": "application/json" } })
        .then(function (response) {
          if (response.ok) { lastContact = Date.now(); notice.hidden = true; } else if (response.status === 401 || response.type === "opaqueredirect") { goneOut(); }
        }).catch(function () { /* offline: try again on the next activity */ });
    }
    ["keydown", "pointerdown", "input"].forEach(function (name) {
      document.addEventListener(name, function () {
        if (!signedOut && Date.now() - lastContact > 4 * MINUTE) { ping(); }
      }, { passive: true });
    });
    window.setInterval(function () {
      if (signedOut) { return; }
      var idleLeft = idleMs - (Date.now() - lastContact);
      if (idleLeft <= 0) { goneOut(); } else if (idleLeft < 5 * MINUTE) { show(attr("data-idle"), attr("data-stay"), null, ping); } else if (endsAt - Date.now() < 10 * MINUTE) {
        show(fill(attr("data-ends"), { time: new Date(endsAt).toLocaleTimeString(document.documentElement.lang || undefined) }));
      }
    }, 15000);

    form.addEventListener("attempt:edited", stash);
    // A posted form carries every answer: the page that answers it (saved, invalid, conflict or
    // signed out) shows them, so an older copy here must not be put back over that page.
    form.addEventListener("submit", unstash);
    form.addEventListener("attempt:reply", function (event) {
      var reply = event.detail.reply;
      if (reply.status === "signed_out") { stash(); goneOut(); return; }
      if (reply.status === "closed") { unstash(); return; }
      if (reply.status === "saved" || reply.status === "invalid" || reply.status === "conflict") {
        lastContact = Date.now();
        if (!event.detail.unsaved && reply.status === "saved") { unstash(); }
      }
      if (reply.changed_elsewhere) {
        show(attr("data-changed"), attr("data-reload"), window.location.pathname);
      }
    });
    restore();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-autosave]");
    var notice = document.querySelector(".session-notice");
    if (form && notice) { setup(form, notice); }
  });
})();
