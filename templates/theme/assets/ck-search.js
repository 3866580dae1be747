// Công khai search page: Pagefind UI, with the query kept in the URL (?q=) so a
// search can be shared. Pagefind loads no index chunk until a query is typed.
(function () {
  var mount = document.getElementById("ck-search-results");
  if (!mount || typeof PagefindUI === "undefined") return;
  var form = document.querySelector("[data-ck-search-form]");
  if (form) form.hidden = true;
  var bundle = mount.getAttribute("data-bundle") || "../pagefind/";
  var ui = new PagefindUI({
    element: "#ck-search-results",
    bundlePath: bundle,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    translations: { placeholder: "Tìm kế hoạch, chỉ tiêu, kinh phí…" },
    processTerm: function (term) {
      var url = new URL(window.location.href);
      if (term) url.searchParams.set("q", term); else url.searchParams.delete("q");
      history.replaceState(null, "", url);
      return term;
    }
  });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) ui.triggerSearch(q);
})();
