/* Authoring: progressive enhancement only. Without this file the "Preview" button renders the
   same preview on the server. Here the preview follows the typing: the text is sent to
   /author/preview, rendered and sanitised by the server exactly as trainees get it. */
(function () {
  "use strict";

  function livePreview(form) {
    var url = form.getAttribute("data-preview-url");
    if (!url || !window.fetch) { return; }
    var token = form.querySelector("input[name=csrf_token]");
    form.querySelectorAll("textarea[data-preview]").forEach(function (area) {
      var target = document.getElementById(area.getAttribute("data-preview"));
      if (!target) { return; }
      var pending = null;
      var counter = 0;
      function render() {
        pending = null;
        counter += 1;
        var mine = counter;
        var body = new FormData();
        body.append("markdown", area.value);
        body.append("course", form.getAttribute("data-course") || "");
        body.append("csrf_token", token ? token.value : "");
        fetch(url, { method: "POST", body: body, credentials: "same-origin",
                     headers: { "X-Requested-With": "fetch" } })
          .then(function (response) {
            return response.ok || response.status === 413 ? response.json() : null;
          })
          .then(function (data) {
            if (!data || mine !== counter) { return; }
            if (data.error) {  /* too long to preview: say so instead of a stale preview */
              var notice = document.createElement("p");
              notice.className = "notice error";
              notice.textContent = data.error;
              target.replaceChildren(notice);
              return;
            }
            target.innerHTML = data.html;  /* sanitised by the server's allow-list */
            var minutes = document.getElementById("reading-minutes");
            if (minutes && area.lang === "vi") { minutes.textContent = data.minutes; }
          })
          .catch(function () { /* the Preview button still works */ });
      }
      area.addEventListener("input", function () {
        if (pending) { window.clearTimeout(pending); }
        pending = window.setTimeout(render, 500);
      });
    });
  }

  function warnUnsaved(form) {
    var dirty = false;
    var message = form.getAttribute("data-warn-unsaved");
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = message || ""; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.author-form").forEach(function (form) {
      livePreview(form);
      if (form.hasAttribute("data-warn-unsaved")) { warnUnsaved(form); }
    });
  });
})();
