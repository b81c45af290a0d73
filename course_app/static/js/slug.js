/* Progressive enhancement of the forms with a slug or key (cohorts; authored courses, modules,
   lessons, quizzes and questions): while the slug field was not typed in, it follows the title
   ("Lớp Đà Nẵng 2025" -> "lop-da-nang-2025"). The server proposes the same slug when the field
   is left empty (domain/slugs.py), and checks whatever is sent. data-slug-max caps the length,
   cut at a word boundary as the server does. */
(function () {
  "use strict";

  function slugOf(text, most) {
    var words = text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().match(/[a-z0-9]+/g) || [];
    var slug = "";
    for (var i = 0; i < words.length; i += 1) {
      var joined = slug ? slug + "-" + words[i] : words[i];
      if (joined.length > most) { return slug || words[i].slice(0, most); }
      slug = joined;
    }
    return slug;
  }

  document.querySelectorAll("[data-slug-from]").forEach(function (box) {
    var source = document.getElementById(box.getAttribute("data-slug-from"));
    var slug = box.querySelector("input");
    var most = parseInt(box.getAttribute("data-slug-max") || "100", 10);
    if (!source || !slug) { return; }
    var touched = slug.value !== "" && slug.value !== slugOf(source.value, most);
    slug.addEventListener("input", function () { touched = slug.value !== ""; });
    source.addEventListener("input", function () {
      if (!touched) { slug.value = slugOf(source.value, most); }
    });
  });
}());
