/* Công khai: «Góp ý / đề nghị đính chính» for one row of a plan's tables (targets, budget lines, legal bases).
   The page's own link (#ck-feedback, outputs/feedback.py) works without JavaScript; it carries the link's template
   for a row, with two holes: {muc} (the row, e.g. «Chỉ tiêu 3») and {neo} (its anchor), percent-encoded here as
   RFC 6068 asks. One link moves to the row a reader hovers, taps or tabs into (at the end of its last cell, so Tab
   reaches it before leaving the row): a page of hundreds of rows carries one link, not hundreds. */
(function () {
  "use strict";
  var source = document.getElementById("ck-feedback");
  if (!source) return;
  // The template comes whole, or is made from the page's link as outputs/feedback.py derived_row_href makes it:
  // the whole page's words are where the row goes, the anchor goes after the page's address.
  var template = source.getAttribute("data-ck-row-href");
  var page = source.getAttribute("data-ck-page");
  if (!template && page) {
    template = source.getAttribute("href").split(encode("Cả văn bản")).join("{muc}").replace(page, page + "{neo}");
  }
  if (!template) return;
  var ROWS = 'tr[id^="chi-tieu-"], tr[id^="kp-"], tr[id^="can-cu-"]';
  var link = document.createElement("a");
  link.className = "ck-row-feedback";
  var words = document.createTextNode("Góp ý / đề nghị đính chính");
  var which = document.createElement("span");
  which.className = "ck-visually-hidden";
  link.appendChild(words);
  link.appendChild(which);
  var current = null;

  function text(node) {
    return node ? node.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function short(value, size) {
    return value.length > size ? value.slice(0, size - 1) + "…" : value;
  }

  /* The row in words: what the focal point reads in the mail's subject and body. */
  function label(row) {
    var id = row.id;
    var m = /^chi-tieu-(\d+)$/.exec(id);
    if (m) return "Chỉ tiêu " + m[1];
    m = /^can-cu-(\d+)$/.exec(id);
    if (m) return "Căn cứ pháp lý " + m[1];
    var table = row.closest("table");
    var caption = table && table.querySelector(".ck-caption-text, caption");
    var first = row.cells[1] ? row.cells[1].firstChild : null;
    var name = text(row.cells[0]) + " " + (first && first.nodeType === 3 ? text(first) : text(row.cells[1]));
    var kind = row.classList.contains("ck-group") ? "nhóm " : "dòng ";
    return short("Kinh phí, " + kind + name.trim() + (caption ? " (" + short(text(caption), 80) + ")" : ""), 160);
  }

  /* Percent-encoded as outputs/feedback.py encodes (Python's quote): all but RFC 3986's unreserved characters. */
  function encode(value) {
    return encodeURIComponent(value).replace(/[!'()*]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  function place(row) {
    if (row === current) return;
    var name = label(row);
    link.href = template
      .split("{muc}").join(encode(name))
      .split("{neo}").join(encode("#" + row.id));
    which.textContent = ": " + name;
    if (current) current.classList.remove("ck-row-active");
    current = row;
    row.classList.add("ck-row-active");
    row.cells[row.cells.length - 1].appendChild(link);
  }

  function rowOf(event) {
    var target = event.target;
    var row = target && target.closest ? target.closest(ROWS) : null;
    return row && row.closest(".md-content") ? row : null;
  }

  // A row with nothing to focus in it (most budget lines) is made focusable, so that the keyboard reaches it, and
  // its link, too; one attribute set here rather than written into hundreds of rows of every page.
  Array.prototype.forEach.call(document.querySelectorAll(ROWS), function (row) {
    if (row.closest(".md-content") && !row.querySelector("a[href], button, input, select, textarea, [tabindex]")) {
      row.tabIndex = 0;
    }
  });

  document.addEventListener("mouseover", function (event) {
    var row = rowOf(event);
    // the link keeps its place while it has the keyboard's focus (moving it would drop the focus)
    if (row && document.activeElement !== link) place(row);
  });
  document.addEventListener("focusin", function (event) {
    var row = rowOf(event);
    if (row) place(row);
  });
})();
