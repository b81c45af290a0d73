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
      /* Side by side from the start: render what the editor opened with (no Preview press). */
      if (area.value.trim() && target.querySelector(":scope > p.meta")) { render(); }
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

  /* The Markdown toolbar (templates/author/lesson_form.html): each button puts its Markdown at
     the cursor, around the selection or a sample text that is left selected to be typed over.
     A toolbar is one tab stop; the arrow keys, Home and End move between its buttons. */
  function blockGap(text, start, end) {
    var before = start === 0 || text.slice(start - 2, start) === "\n\n" ? "" :
      (text.charAt(start - 1) === "\n" ? "\n" : "\n\n");
    var after = end >= text.length || text.slice(end, end + 2) === "\n\n" ? "" :
      (text.charAt(end) === "\n" ? "\n" : "\n\n");
    return [before, after];
  }

  function insertMarkdown(area, kind, sample, image) {
    var text = area.value;
    var start = area.selectionStart;
    var end = area.selectionEnd;
    if (start === end && /^(heading|list|table)$/.test(kind)) {
      /* A block goes after the line the cursor is in, never into the middle of it. */
      start = end = text.indexOf("\n", start) < 0 ? text.length : text.indexOf("\n", start);
    }
    var chosen = text.slice(start, end) || sample;
    var open = "";
    var close = "";
    var middle = chosen;
    var block = false;
    if (kind === "bold") { open = "**"; close = "**"; }
    else if (kind === "link") { open = "["; close = "](https://)"; }
    else if (kind === "image") { open = "!["; close = "](" + image + ")"; }
    else if (kind === "heading") { open = "## "; middle = chosen.replace(/\s*\n\s*/g, " "); block = true; }
    else if (kind === "list") {
      middle = chosen.split("\n").map(function (line) { return "- " + line.replace(/^[-*]\s+/, ""); }).join("\n");
      middle = middle.slice(2);
      open = "- ";
      block = true;
    } else if (kind === "table") {
      open = "| ";
      middle = chosen + " 1";
      close = " | " + sample + " 2 |\n| --- | --- |\n|  |  |";
      block = true;
    }
    var gap = block ? blockGap(text, start, end) : ["", ""];
    area.setRangeText(gap[0] + open + middle + close + gap[1], start, end, "end");
    var from = start + gap[0].length + open.length;
    area.focus();
    area.setSelectionRange(from, from + middle.length);
    area.dispatchEvent(new Event("input", { bubbles: true }));  /* the live preview follows */
  }

  function markdownToolbar(bar) {
    var area = document.getElementById(bar.getAttribute("data-md-target"));
    if (!area || typeof area.setRangeText !== "function") { return; }
    var buttons = Array.prototype.slice.call(bar.querySelectorAll("button"));
    var image = bar.getAttribute("data-md-image") || "media/name.png";
    buttons.forEach(function (button, index) {
      button.tabIndex = index === 0 ? 0 : -1;
      button.addEventListener("click", function () {
        insertMarkdown(area, button.getAttribute("data-md"),
                       button.getAttribute("data-md-sample") || "", image);
      });
    });
    bar.addEventListener("keydown", function (event) {
      var index = buttons.indexOf(document.activeElement);
      if (index < 0) { return; }
      var next = {ArrowRight: index + 1, ArrowDown: index + 1, ArrowLeft: index - 1,
                  ArrowUp: index - 1, Home: 0, End: buttons.length - 1}[event.key];
      if (next === undefined) { return; }
      event.preventDefault();
      next = (next + buttons.length) % buttons.length;
      buttons[index].tabIndex = -1;
      buttons[next].tabIndex = 0;
      buttons[next].focus();
    });
    area.addEventListener("keydown", function (event) {  /* Ctrl+B, as in a word processor */
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "b") {
        event.preventDefault();
        insertMarkdown(area, "bold", bar.querySelector("[data-md=bold]").getAttribute("data-md-sample"), image);
      }
    });
    bar.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".md-toolbar[data-md-target]").forEach(markdownToolbar);
    document.querySelectorAll("form.author-form").forEach(function (form) {
      livePreview(form);
      if (form.hasAttribute("data-warn-unsaved")) { warnUnsaved(form); }
    });
  });
})();
