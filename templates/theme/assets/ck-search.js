// Công khai search page, on Pagefind's JS API.
//
// - Nothing of the index is loaded until a query exists: pagefind.js is imported on the first
//   input (or when the page opens with ?q=).
// - The index is made per shard (generator/search/pagefind.py): a province's pages in
//   <province>/pagefind/, the portal-wide pages in pagefind/. A reader searches one province
//   (its index alone) or the whole country (every index, merged by Pagefind's own mergeIndex).
//   Coming from a province's pages, the reader searches that province; the select switches.
// - The query, the scope and the filters live in the URL (?q=…&pham-vi=ha-tinh&f=Năm:2023), so a
//   search can be shared.
// - One Pagefind search per query. Pagefind folds tone marks but not "đ": the index has each word
//   with đ spelled with d too (hidden, left out of excerpts), and the query is folded the same way
//   here (fold), so "duc co" and "Đức Cơ" find the same pages; Pagefind ranks the words whose other
//   marks are as typed first (diacriticSimilarity).
// - Filters load when the reader opens them (or the URL has some): merging every province's filter
//   lists costs a national search more than its results.
// - Pagefind ignores a query word that occurs nowhere; the page says which words the results lack.
// - Each result links to the row or section where the words matched (targets, budget lines,
//   legal bases, headings), not only to the top of the page.
(function () {
  "use strict";
  var form = document.querySelector("[data-ck-search-form]");
  var input = document.getElementById("ck-q");
  var status = document.getElementById("ck-search-status");
  var list = document.getElementById("ck-search-results");
  var filtersBox = document.getElementById("ck-search-filters");
  var openFilters = document.getElementById("ck-search-open-filters");
  if (!form || !input || !list) return;

  var root = new URL(form.getAttribute("data-root") || "../", window.location.href);
  var PAGE_SIZE = 5;  // as Pagefind's own UI: each result loads its page's text (a plan's: some 10 KB)
  var ROW_KINDS = [["chi-tieu-", "Chỉ tiêu"], ["kp-", "Dòng kinh phí"], ["can-cu-", "Căn cứ pháp lý"]];
  var KIND_FILTER = "Loại nội dung";
  var FILTER_ORDER = ["Tỉnh", "Đơn vị", "Năm", "Loại văn bản", "Lĩnh vực", KIND_FILTER];
  var loading = {};
  var filtersShown = false;
  var selected = {};
  var shown = PAGE_SIZE;
  var lastQuery = null;
  var chain = Promise.resolve();

  var NATIONAL = "ca-nuoc";
  var OPTIONS = { excerptLength: 30, ranking: { diacriticSimilarity: 1.0, pageLength: 0.3 } };
  var scopeSelect = document.getElementById("ck-scope");
  var provinces = scopeSelect ? [].slice.call(scopeSelect.options).map(function (o) { return o.value; })
    .filter(function (v) { return v !== NATIONAL; }) : [];
  var scope = NATIONAL;

  function indexPath(province) { return new URL((province ? province + "/" : "") + "pagefind/", root).pathname; }

  // Each scope's Pagefind: a module per index folder (each its own instance), loaded once.
  function loadPagefind() {
    var wanted = scope;
    if (!loading[wanted]) {
      var first = wanted === NATIONAL ? "" : wanted;
      var options = Object.assign({ baseUrl: root.pathname }, OPTIONS);
      loading[wanted] = import(indexPath(first) + "pagefind.js").then(function (pf) {
        return pf.options(options).then(function () { return pf.init(); }).then(function () {
          if (wanted !== NATIONAL) return pf;
          return Promise.all(provinces.map(function (p) {
            return pf.mergeIndex(indexPath(p), Object.assign({}, options));
          })).then(function () { return pf; });
        });
      });
    }
    return loading[wanted];
  }

  // The province whose pages the reader came from (its own or its agencies'), if any.
  function referringProvince() {
    try {
      var from = new URL(document.referrer);
      if (from.origin !== window.location.origin || from.pathname.indexOf(root.pathname) !== 0) return null;
      var parts = from.pathname.slice(root.pathname.length).split("/");
      var id = parts[0] === "co-quan" ? parts[1] : parts[0];
      return provinces.indexOf(id) >= 0 ? id : null;
    } catch (e) {
      return null;
    }
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    selected = {};
    params.getAll("f").forEach(function (f) {
      var i = f.indexOf(":");
      if (i > 0) (selected[f.slice(0, i)] = selected[f.slice(0, i)] || []).push(f.slice(i + 1));
    });
    var asked = params.get("pham-vi");
    scope = asked === NATIONAL || provinces.indexOf(asked) >= 0 ? asked : referringProvince() || NATIONAL;
    if (scopeSelect) scopeSelect.value = scope;
    return params.get("q") || "";
  }

  function writeUrl(q) {
    var params = new URLSearchParams();
    if (q) params.set("q", q);
    if (provinces.length) params.set("pham-vi", scope);
    Object.keys(selected).sort().forEach(function (name) {
      selected[name].forEach(function (v) { params.append("f", name + ":" + v); });
    });
    var search = params.toString();
    history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
  }

  function rowKindOf(id) {
    for (var i = 0; i < ROW_KINDS.length; i++) if (id.indexOf(ROW_KINDS[i][0]) === 0) return ROW_KINDS[i][1];
    return null;
  }

  // The element with an id (row or heading) that holds a word location.
  function anchorAt(anchors, location) {
    var found = null;
    for (var i = 0; i < anchors.length; i++) {
      if (anchors[i].location <= location) found = anchors[i]; else break;
    }
    return found;
  }

  // Where a result should land: the row or section holding the most (and best) matched words;
  // on a tie, the one where they stand nearest its start (a budget line's name, a target's text).
  function place(data, wantedKinds, termCount) {
    var anchors = (data.anchors || []).filter(function (a) { return a.id; })
      .sort(function (a, b) { return a.location - b.location; });
    var groups = {}, order = [];
    (data.weighted_locations || []).forEach(function (w) {
      var anchor = anchorAt(anchors, w.location);
      var key = anchor ? anchor.id : "";
      var kind = anchor ? rowKindOf(anchor.id) : null;
      if (wantedKinds.length && !(kind && wantedKinds.indexOf(kind) >= 0)) return;
      if (!groups[key]) {
        groups[key] = { anchor: anchor, kind: kind, location: w.location, score: 0, count: 0,
                        distance: w.location - (anchor ? anchor.location : 0) };
        order.push(key);
      }
      groups[key].score += w.balanced_score || w.weight || 1;
      groups[key].count += 1;
    });
    // A row (target, budget line, legal basis) holding as many matches as the query has words
    // is where the reader wants to land, even if a long section elsewhere mentions the words more.
    var rows = order.filter(function (key) { return groups[key].kind && groups[key].count >= termCount; });
    var best = null;
    (rows.length ? rows : order).forEach(function (key) {
      var g = groups[key];
      if (!best || g.score > best.score + 1e-6 || (Math.abs(g.score - best.score) <= 1e-6 && g.distance < best.distance)) best = g;
    });
    if (best) return best;
    return wantedKinds.length ? null : { anchor: null, kind: null, location: (data.locations || [0])[0] };
  }

  function bare(word) { return word.replace(/^[(\["«“]+|[.,;:!?…)\]"»”]+$/g, ""); }
  function fold(word) { return word.replace(/đ/g, "d").replace(/Đ/g, "D"); }

  // ~30 words around the match, matched words marked. The hidden d-spellings added at index time
  // (generator/search/pagefind.py) are left out; a match on one of them marks the word it spells.
  function excerpt(data, location) {
    var words = (data.content || "").split(/\s+/);
    var start = Math.max(0, location - 14), end = Math.min(words.length, location + 16);
    var marked = {};
    (data.locations || []).forEach(function (l) { marked[l] = true; });
    var originals = {}, markedFolds = {};
    for (var i = start; i < end; i++) if (/[đĐ]/.test(words[i])) originals[fold(bare(words[i]))] = true;
    for (var k = start; k < end; k++) {
      var b = bare(words[k]);
      if (originals[b] && !/[đĐ]/.test(b) && marked[k]) markedFolds[b] = true;
    }
    var out = [];
    for (var j = start; j < end; j++) {
      var w = words[j], core = bare(w);
      if (originals[core] && !/[đĐ]/.test(core)) continue;
      var hit = marked[j] || (/[đĐ]/.test(core) && markedFolds[fold(core)]);
      if (!hit || !core) { out.push(escapeHtml(w)); continue; }
      var at = w.indexOf(core);
      out.push(escapeHtml(w.slice(0, at)) + "<mark>" + escapeHtml(core) + "</mark>" + escapeHtml(w.slice(at + core.length)));
    }
    return (start > 0 ? "… " : "") + out.join(" ") + (end < words.length ? " …" : "");
  }

  function resultHtml(data, where) {
    var url = data.url + (where.anchor ? "#" + encodeURIComponent(where.anchor.id) : "");
    var meta = data.meta || {};
    var facts = [meta["Đơn vị"], meta["Năm"] && "năm " + meta["Năm"], meta["Loại"]].filter(Boolean);
    var section = "";
    if (where.anchor) {
      var label = where.kind || (where.anchor.text || "").slice(0, 90);
      if (label) section = '<span class="ck-result-where">' + escapeHtml(where.kind ? where.kind : "Mục: " + label) + "</span>";
    }
    return '<li class="ck-result"><a href="' + escapeHtml(url) + '">' + escapeHtml(meta.title || data.url) + "</a>" +
      (facts.length ? '<p class="ck-result-meta">' + escapeHtml(facts.join(" · ")) + "</p>" : "") + section +
      '<p class="ck-result-excerpt">' + excerpt(data, where.location) + "</p></li>";
  }

  function pagefindFilters() {
    var f = {};
    Object.keys(selected).forEach(function (name) {
      var values = selected[name].filter(function (v) { return name !== KIND_FILTER || !isRowKind(v); });
      if (values.length) f[name] = { any: values };
    });
    return f;
  }

  function isRowKind(v) { return ROW_KINDS.some(function (k) { return k[1] === v; }); }

  function renderFilters(available) {
    function rank(name) { var i = FILTER_ORDER.indexOf(name); return i < 0 ? FILTER_ORDER.length : i; }
    var names = Object.keys(available).sort(function (a, b) { return rank(a) - rank(b) || a.localeCompare(b, "vi"); });
    filtersBox.innerHTML = "<h2>Lọc kết quả</h2>" + names.map(function (name, n) {
      var values = Object.keys(available[name]).sort(function (a, b) { return a.localeCompare(b, "vi", { numeric: true }); });
      return '<fieldset><legend>' + escapeHtml(name) + "</legend>" + values.map(function (v, i) {
        var id = "ck-f-" + n + "-" + i;
        var checked = (selected[name] || []).indexOf(v) >= 0 ? " checked" : "";
        return '<div><input type="checkbox" id="' + id + '" data-name="' + escapeHtml(name) + '" value="' + escapeHtml(v) + '"' +
          checked + '> <label for="' + id + '">' + escapeHtml(v) + " (" + available[name][v] + ")</label></div>";
      }).join("") + "</fieldset>";
    }).join("");
    filtersBox.hidden = false;
  }

  // The filters of the scope's index, when the reader asks for them (or the URL has some).
  function showFilters(pf) {
    filtersShown = true;
    if (openFilters) { openFilters.setAttribute("aria-expanded", "true"); openFilters.hidden = true; }
    return pf.filters().then(renderFilters);
  }

  // The places the query names (tim-kiem/dia-phuong.json, a province's in tim-kiem/dia-phuong/<province>.json;
  // generator/outputs/places.py), shown at once: a country-wide search's results wait for every province's
  // index. Not chained behind a search under way.
  var placesBox = document.getElementById("ck-search-places");
  var places = {};
  var placesAsked = null;

  function vnDate(iso) { return iso.split("-").reverse().join("/"); }

  function showPlaces(q) {
    if (!placesBox) return;
    var asked = placesAsked = JSON.stringify([q, scope]);
    var words = " " + plain(q).replace(/[^a-z0-9]+/g, " ").trim() + " ";
    if (!words.trim()) { placesBox.hidden = true; placesBox.innerHTML = ""; return; }
    var file = scope === NATIONAL ? "tim-kiem/dia-phuong.json" : "tim-kiem/dia-phuong/" + scope + ".json";
    if (!places[file]) {
      places[file] = fetch(new URL(file, root).pathname)
        .then(function (r) { return r.ok ? r.json() : {}; })
        .then(function (d) { return d.dia_phuong || []; }, function () { return []; });
    }
    places[file].then(function (all) {
      if (asked !== placesAsked) return;  // a later query or scope took over
      var found = all.filter(function (p) { return p.khop && words.indexOf(" " + p.khop + " ") >= 0; });
      found.sort(function (a, b) { return b.khop.split(" ").length - a.khop.split(" ").length; });
      found = found.slice(0, 5);
      placesBox.hidden = !found.length;
      placesBox.innerHTML = found.length ? '<h2 id="ck-search-places-title">Địa phương</h2><ul>' + found.map(function (p) {
        var about = (p.tinh ? [escapeHtml(p.tinh)] : []).concat([p.ke_hoach + " kế hoạch"]);
        if (p.den_ngay) about.push("đến " + escapeHtml(vnDate(p.den_ngay)));
        return '<li><a href="' + escapeHtml(new URL(p.duong_dan, root).pathname) + '">' + escapeHtml(p.ten) +
          "</a> <small>" + about.join(" · ") + "</small></li>";
      }).join("") + "</ul>" : "";
    });
  }

  function search(q) {
    showPlaces(q.trim());
    chain = chain.then(function () { return run(q); }).catch(function (err) {
      status.textContent = "Không tìm được: " + err;
    });
    return chain;
  }

  var lastKey = null;
  var timer = null;

  function run(q) {
    q = q.trim();
    // the same search again (Enter after typing, a repeated event) would only redraw the list and lose focus
    var key = JSON.stringify([q, scope, selected, shown, filtersShown]);
    if (key === lastKey) return Promise.resolve();
    lastKey = key;
    writeUrl(q);
    if (!q) { list.innerHTML = ""; status.textContent = ""; return Promise.resolve(); }
    // A country-wide search fetches its words from every province's index: on a slow connection the longest wait
    // of the page, so the reader is told why, and how to make it shorter.
    status.textContent = scope === NATIONAL && provinces.length
      ? "Đang tìm trên cả nước, trong chỉ mục của " + provinces.length + " tỉnh, thành phố: trên mạng chậm có thể mất" +
        " hơn một phút. Muốn nhanh hơn, chọn một tỉnh ở «Phạm vi»."
      : "Đang tìm…";
    return loadPagefind().then(function (pf) {
      var searched = pf.search(fold(q), { filters: pagefindFilters() });
      var filters = filtersShown || Object.keys(selected).length ? showFilters(pf) : Promise.resolve();
      return Promise.all([searched, filters]).then(function (r) { return show(q, r[0].results); });
    });
  }

  function plain(text) {
    return fold(text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")).toLowerCase();
  }

  // A word as Pagefind files it: lower case, without tone marks or punctuation ("Đổi," → "doi").
  function filed(word) { return plain(word).replace(/[^a-z0-9]/g, ""); }

  // The query's words none of the results shown has (Pagefind leaves out a word that occurs nowhere).
  function missingTerms(q, datas) {
    var words = {};
    datas.forEach(function (d) { plain(d.content || "").split(/[^a-z0-9]+/).forEach(function (w) { words[w] = true; }); });
    return q.split(/\s+/).filter(function (term) {
      var t = filed(term);
      if (!t) return false;
      for (var w in words) if (w.indexOf(t) === 0) return false;
      return true;
    });
  }

  function show(q, results) {
    var wanted = (selected[KIND_FILTER] || []).filter(isRowKind);
    var page = results.slice(0, wanted.length ? 50 : shown);
    return Promise.all(page.map(function (r) { return r.data(); })).then(function (datas) {
      render(q, results, datas.length ? missingTerms(q, datas) : [], datas, wanted);
    });
  }

  function render(q, results, missing, datas, wanted) {
    var termCount = q.split(/\s+/).length - missing.length;
    var items = [];
    datas.forEach(function (d) {
      var where = place(d, wanted, termCount);
      if (where) items.push(resultHtml(d, where));
    });
    var total = wanted.length ? items.length : results.length;
    var where = scope === NATIONAL || !scopeSelect ? "" : " trong " + scopeSelect.options[scopeSelect.selectedIndex].text;
    var text = total ? total + " kết quả cho «" + q + "»" + where : "Không có kết quả cho «" + q + "»" + where;
    if (missing.length) text += ". Các kết quả không chứa từ: " + missing.map(function (m) { return "«" + m + "»"; }).join(", ");
    status.textContent = text + ".";
    list.innerHTML = items.join("");
    if (!wanted.length && results.length > shown) {
      list.insertAdjacentHTML("beforeend", '<li class="ck-more"><button type="button" data-ck-more>Xem thêm kết quả</button></li>');
    }
    if (openFilters && !filtersShown) openFilters.hidden = !total;
    lastQuery = q;
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    shown = PAGE_SIZE;
    search(input.value);
  });
  input.addEventListener("input", function () {
    loadPagefind();
    clearTimeout(timer);
    timer = setTimeout(function () { shown = PAGE_SIZE; search(input.value); }, 250);
  });
  if (scopeSelect) scopeSelect.addEventListener("change", function () {
    scope = scopeSelect.value;
    shown = PAGE_SIZE;
    delete selected["Tỉnh"];  // a province's filter means nothing in another province
    if (filtersShown) filtersBox.innerHTML = "";
    search(input.value);
  });
  if (openFilters) openFilters.addEventListener("click", function () {
    loadPagefind().then(showFilters).catch(function (err) { status.textContent = "Không tải được bộ lọc: " + err; });
  });
  filtersBox.addEventListener("change", function (e) {
    var box = e.target;
    if (!box.matches("input[type=checkbox]")) return;
    var name = box.getAttribute("data-name");
    var values = selected[name] || [];
    values = box.checked ? values.concat([box.value]) : values.filter(function (v) { return v !== box.value; });
    if (values.length) selected[name] = values; else delete selected[name];
    shown = PAGE_SIZE;
    search(input.value);
  });
  list.addEventListener("click", function (e) {
    if (e.target.matches("[data-ck-more]")) { shown += PAGE_SIZE; search(lastQuery || input.value); }
  });

  var initial = readUrl();
  if (initial) { input.value = initial; search(initial); }
})();
