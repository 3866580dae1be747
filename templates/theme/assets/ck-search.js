// Công khai search page, on Pagefind's JS API.
//
// - Nothing of the index is loaded until a query exists: pagefind.js is imported on the first
//   input (or when the page opens with ?q=).
// - The query and filters live in the URL (?q=…&f=Tỉnh:Hà Tĩnh), so a search can be shared.
// - A query typed with diacritics runs once with exact diacritics and once folded; exact
//   matches come first (Vietnamese tone marks distinguish words: "đường" is not "dương").
//   "đ" typed as "d" is handled at index time (hidden d-spellings, see generator/index.py);
//   those words are left out of excerpts.
// - Pagefind ignores a query word that occurs nowhere; the page says which words matched nothing.
// - Each result links to the row or section where the words matched (targets, budget lines,
//   legal bases, headings), not only to the top of the page.
(function () {
  "use strict";
  var form = document.querySelector("[data-ck-search-form]");
  var input = document.getElementById("ck-q");
  var status = document.getElementById("ck-search-status");
  var list = document.getElementById("ck-search-results");
  var filtersBox = document.getElementById("ck-search-filters");
  if (!form || !input || !list) return;

  var root = new URL(form.getAttribute("data-root") || "../", window.location.href);
  var PAGE_SIZE = 10;
  var ROW_KINDS = [["chi-tieu-", "Chỉ tiêu"], ["kp-", "Dòng kinh phí"], ["can-cu-", "Căn cứ pháp lý"]];
  var KIND_FILTER = "Loại nội dung";
  var FILTER_ORDER = ["Tỉnh", "Đơn vị", "Năm", "Loại văn bản", "Lĩnh vực", KIND_FILTER];
  var loading = null;
  var selected = {};
  var shown = PAGE_SIZE;
  var lastQuery = null;
  var chain = Promise.resolve();

  // The main index may come in parts (a large site's is made in halves at once), and the site may
  // carry a delta of the pages changed since it was built (generator/index.py). All are searched;
  // the main index's entries the delta supersedes are dropped. One object answers like Pagefind's
  // module (options, search, filters).
  function loadIndex(path) {
    return import(new URL(path + "pagefind.js", root).href).then(function (pf) {
      return pf.options({ baseUrl: root.pathname, excerptLength: 30, ranking: { diacriticSimilarity: 1.0, pageLength: 0.3 } })
        .then(function () { return pf.init(); })
        .then(function () { return pf; });
    });
  }

  function loadPagefind() {
    if (!loading) {
      var first = loadIndex("pagefind/");  // always there: loaded while the list of parts comes
      var info = fetch(new URL("pagefind-delta/delta.json", root).href)
        .then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; });
      loading = info.then(function (got) {
        info = got || { pages: 0, superseded: [] };
        var main = [first].concat((info.bundles || []).filter(function (b) { return b !== "pagefind/"; }).map(loadIndex));
        var fresh = info.pages ? loadIndex("pagefind-delta/") : Promise.resolve(null);
        return Promise.all([Promise.all(main), fresh]).then(function (r) { return combined(r[0], r[1], info); });
      });
    }
    return loading;
  }

  function combined(main, fresh, info) {
    var superseded = info.superseded || [], less = info.superseded_filters || {};
    if (main.length === 1 && !fresh && !superseded.length) return main[0];
    var gone = {};
    superseded.forEach(function (id) { gone[id] = true; });
    var all = fresh ? main.concat([fresh]) : main;

    // Each part of the index answers a query word from its own words. Pagefind matches a word by
    // every word of the index it starts ("chuyen": «chuyển», «chuyên», «chuyến»); when the index has
    // none, by the longest word that starts it ("chuyen" → «chủ»); when it has neither, it leaves the
    // query word out. One index holding all parts would match the word by what the strongest part
    // matches it by, so a part matching it more weakly (by a shorter word, or not at all) answers
    // with pages one index would not: its answers are left out. How a part matched a word is read
    // from the words its first result was matched by (the result's own locations: those data()
    // gives are of whichever search loaded the page first).
    function strength(pf, term) {
      var t = filed(term);
      return pf.search(term).then(function (r) {
        if (!r.results.length) return 0;
        var first = r.results[0];
        if (!(first.words || []).length) return Infinity;  // matched by its metadata alone: no word to read
        return first.data().then(function (d) {
          var words = (d.content || "").split(/\s+/), best = 0;
          (first.words || []).forEach(function (l) {
            var w = filed(words[l] || "");
            best = Math.max(best, w.indexOf(t) === 0 ? Infinity : w.length);
          });
          return best;
        });
      });
    }

    function answering(terms) {
      if (all.length < 2) return Promise.resolve(all.map(function () { return true; }));
      return Promise.all(all.map(function (pf) {
        return Promise.all(terms.map(function (t) { return strength(pf, t); }));
      })).then(function (strengths) {
        var strongest = terms.map(function (t, w) { return Math.max.apply(null, strengths.map(function (s) { return s[w]; })); });
        return strengths.map(function (own) {
          return own.every(function (s, w) { return s === strongest[w]; });
        });
      });
    }

    return {
      options: function (o) { return Promise.all(all.map(function (pf) { return pf.options(o); })); },
      search: function (q, o) {
        var terms = q.split(/\s+/).filter(Boolean);
        return Promise.all(all.map(function (pf) { return pf.search(q, o); })).then(function (rs) {
          return answering(terms).then(function (keep) {
            var results = [];
            rs.forEach(function (r, i) {
              if (keep[i]) results = results.concat(i < main.length ? r.results.filter(function (x) { return !gone[x.id]; }) : r.results);
            });
            results.sort(function (a, b) { return b.score - a.score; });
            return { results: results };
          });
        });
      },
      filters: function () {
        return Promise.all(all.map(function (pf) { return pf.filters(); })).then(function (fs) {
          var out = {};
          fs.forEach(function (f) {
            Object.keys(f).forEach(function (name) {
              out[name] = out[name] || {};
              Object.keys(f[name]).forEach(function (v) { out[name][v] = (out[name][v] || 0) + f[name][v]; });
            });
          });
          Object.keys(less).forEach(function (name) {
            Object.keys(less[name]).forEach(function (v) {
              if (out[name] && out[name][v] !== undefined) {
                out[name][v] -= less[name][v];
                if (out[name][v] <= 0) delete out[name][v];
              }
            });
          });
          return out;
        });
      }
    };
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function hasDiacritics(q) {
    return /[^\u0000-\u007f]/.test(q.normalize("NFC"));
  }

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    selected = {};
    params.getAll("f").forEach(function (f) {
      var i = f.indexOf(":");
      if (i > 0) (selected[f.slice(0, i)] = selected[f.slice(0, i)] || []).push(f.slice(i + 1));
    });
    return params.get("q") || "";
  }

  function writeUrl(q) {
    var params = new URLSearchParams();
    if (q) params.set("q", q);
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
  // (generator/index.py) are left out; a match on one of them marks the word it spells.
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
    var names = Object.keys(available).sort(function (a, b) {
      return (FILTER_ORDER.indexOf(a) + 99) % 100 - (FILTER_ORDER.indexOf(b) + 99) % 100;
    });
    if (!names.length) { filtersBox.hidden = true; return; }
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

  function search(q) {
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
    var key = JSON.stringify([q, selected, shown]);
    if (key === lastKey) return Promise.resolve();
    lastKey = key;
    writeUrl(q);
    if (!q) { list.innerHTML = ""; status.textContent = ""; return Promise.resolve(); }
    status.textContent = "Đang tìm…";
    return loadPagefind().then(function (pf) {
      var filters = pagefindFilters();
      var exact = hasDiacritics(q)
        ? pf.options({ exactDiacritics: true })
            .then(function () { return pf.search(q, { filters: filters }); })
            .then(function (r) { return pf.options({ exactDiacritics: false }).then(function () { return r; }); })
        : Promise.resolve(null);
      return exact.then(function (exactResults) {
        return Promise.all([pf.search(q, { filters: filters }), pf.filters()]).then(function (all) {
          var seen = {}, merged = [];
          [exactResults, all[0]].forEach(function (r) {
            (r ? r.results : []).forEach(function (x) { if (!seen[x.id]) { seen[x.id] = true; merged.push(x); } });
          });
          return show(pf, q, merged, all[1]);
        });
      });
    });
  }

  function plain(text) {
    return fold(text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")).toLowerCase();
  }

  // A word as Pagefind files it: lower case, without tone marks or punctuation ("Đổi," → "doi").
  function filed(word) { return plain(word).replace(/[^a-z0-9]/g, ""); }

  // Pagefind drops a query word that occurs nowhere. A word missing from every result shown is
  // searched on its own (rarely needed, so common words cost nothing extra) to say so.
  function missingTerms(pf, q, datas) {
    var words = {};
    datas.forEach(function (d) { plain(d.content || "").split(/[^a-z0-9]+/).forEach(function (w) { words[w] = true; }); });
    var suspects = q.split(/\s+/).filter(function (term) {
      var t = filed(term);
      if (!t) return false;
      for (var w in words) if (w.indexOf(t) === 0) return false;
      return true;
    });
    return Promise.all(suspects.map(function (term) {
      return pf.search(term).then(function (r) { return r.results.length ? null : term; });
    })).then(function (found) { return found.filter(Boolean); });
  }

  function show(pf, q, results, available) {
    renderFilters(available);
    var wanted = (selected[KIND_FILTER] || []).filter(isRowKind);
    var page = results.slice(0, wanted.length ? 50 : shown);
    return Promise.all(page.map(function (r) { return r.data(); })).then(function (datas) {
      return missingTerms(pf, q, datas).then(function (missing) { render(q, results, missing, datas, wanted); });
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
    var text = total ? total + " kết quả cho «" + q + "»" : "Không có kết quả cho «" + q + "»";
    if (missing.length) text += ". Không tìm thấy từ: " + missing.map(function (m) { return "«" + m + "»"; }).join(", ") +
      (total ? " (kết quả dưới đây không chứa từ này)" : "");
    status.textContent = text + ".";
    list.innerHTML = items.join("");
    if (!wanted.length && results.length > shown) {
      list.insertAdjacentHTML("beforeend", '<li class="ck-more"><button type="button" data-ck-more>Xem thêm kết quả</button></li>');
    }
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
