/* Progressive enhancement of the cohort form: while the slug field was not typed in, it
   follows the name ("Lớp Đà Nẵng 2025" -> "lop-da-nang-2025"). The server proposes the same
   slug when the field is left empty, and checks whatever is sent. */
(function () {
  "use strict";

  function slugOf(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 100);
  }

  document.querySelectorAll("[data-slug-from]").forEach(function (box) {
    var source = document.getElementById(box.getAttribute("data-slug-from"));
    var slug = box.querySelector("input");
    if (!source || !slug) { return; }
    var touched = slug.value !== "" && slug.value !== slugOf(source.value);
    slug.addEventListener("input", function () { touched = slug.value !== ""; });
    source.addEventListener("input", function () {
      if (!touched) { slug.value = slugOf(source.value); }
    });
  });
}());
