/* Search on the search page, from the index `twn build` writes below
 * zoeken/index/ (see src/search/index.rs for the format). Only the pieces
 * of the index a query needs are fetched. Words are cut, folded and stemmed
 * exactly as src/search/words.rs does it. */
(function () {
  "use strict";

  var form = document.getElementById("zoeken");
  if (!form) return;
  var input = document.getElementById("zoekterm");
  var status = document.getElementById("zoekstatus");
  var list = document.getElementById("zoekresultaten");
  var more = document.getElementById("meer-resultaten");
  var indexUrl = form.getAttribute("data-index");
  var base = form.getAttribute("data-base");
  var PAGE = 10;
  var MAX_WORD_CHARS = 40;
  var PREFIX_FORMS = 40;
  var WORD = /[\p{Alphabetic}\p{N}\p{M}]+(?:['\u2019][\p{Alphabetic}\p{N}\p{M}]+)*/gu;

  function fold(word) {
    return word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/\u2019/g, "'");
  }
  function cmp(a, b) {
    // Code point order, as the index is sorted in Rust.
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < Math.min(x.length, y.length); i++) {
      var d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d;
    }
    return x.length - y.length;
  }
  function text(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  var meta = null;
  var pieces = new Map();
  function load(url, noCache) {
    if (!pieces.has(url)) {
      pieces.set(url, fetch(url, noCache ? { cache: "no-cache" } : {}).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.json();
      }).catch(function (e) { pieces.delete(url); throw e; }));
    }
    return pieces.get(url);
  }
  function loadMeta() {
    return fetch(indexUrl + "index.json", { cache: "no-cache" }).then(function (r) {
      if (!r.ok) throw new Error("index.json: " + r.status);
      return r.json();
    }).then(function (m) {
      if (!meta || meta.version !== m.version) pieces.clear();
      meta = m;
      return m;
    });
  }
  function stem(form) {
    var stemmer = meta.stemmer && globalThis.twnStemmers && globalThis.twnStemmers[meta.stemmer];
    return stemmer ? stemmer(form) : form;
  }
  function terms(query) {
    var found = [];
    (query.match(WORD) || []).forEach(function (word) {
      var form = fold(word);
      if (Array.from(form).length <= MAX_WORD_CHARS) found.push({ form: form, stem: stem(form) });
    });
    return found;
  }

  // The piece of a table ([[first key, file], ...]) that holds `key`.
  function pieceFor(table, key) {
    var lo = 0, hi = table.length - 1, at = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (cmp(table[mid][0], key) <= 0) { at = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return at;
  }

  function postingOf(key) {
    var at = pieceFor(meta.stems, key);
    if (at < 0) return Promise.resolve(null);
    return load(indexUrl + meta.stems[at][1]).then(function (piece) {
      var i = piece.k.indexOf(key);
      return i < 0 ? null : piece.p[i];
    });
  }

  // Stems of the word forms that begin with `prefix`, shortest forms first.
  function stemsBeginningWith(prefix) {
    var at = Math.max(0, pieceFor(meta.words, prefix));
    var files = [];
    for (var i = at; i < meta.words.length && files.length < 3; i++) {
      if (i > at && meta.words[i][0].lastIndexOf(prefix, 0) !== 0) break;
      files.push(indexUrl + meta.words[i][1]);
    }
    return Promise.all(files.map(function (f) { return load(f); })).then(function (loaded) {
      var forms = [];
      loaded.forEach(function (piece) {
        piece.w.forEach(function (entry) {
          if (entry[0].lastIndexOf(prefix, 0) === 0) forms.push(entry);
        });
      });
      forms.sort(function (a, b) { return a[0].length - b[0].length; });
      var stems = [];
      forms.slice(0, PREFIX_FORMS).forEach(function (entry) {
        var s = entry[1] || entry[0];
        if (stems.indexOf(s) < 0) stems.push(s);
      });
      return stems;
    });
  }

  // Document → {score, title} for one term and its candidate stems.
  function scoresFor(keys, exact) {
    return Promise.all(keys.map(postingOf)).then(function (postings) {
      var scores = new Map();
      postings.forEach(function (posting, n) {
        if (!posting) return;
        var idf = Math.log(1 + (meta.documents - posting.length + 0.5) / (posting.length + 0.5));
        var factor = keys[n] === exact ? 1 : 0.8;
        var doc = 0;
        for (var i = 0; i < posting.length; i++) {
          var v = posting[i];
          doc += Math.floor(v / 32);
          var inTitle = (v & 16) !== 0;
          var score = idf * factor * ((v & 15) / 15 + (inTitle ? 1.5 : 0));
          var old = scores.get(doc);
          if (!old || old.score < score) scores.set(doc, { score: score, title: inTitle });
        }
      });
      return scores;
    });
  }

  function search(query) {
    var wanted = terms(query);
    if (!wanted.length) return Promise.resolve({ wanted: wanted, results: [], typing: false });
    var typing = !/\s$/.test(query) && Array.from(wanted[wanted.length - 1].form).length >= 2;
    return Promise.all(wanted.map(function (term, n) {
      var last = n === wanted.length - 1;
      var keys = (last && typing ? stemsBeginningWith(term.form) : Promise.resolve([]));
      return keys.then(function (extra) {
        var all = [term.stem].concat(extra.filter(function (s) { return s !== term.stem; }));
        return scoresFor(all, term.stem);
      });
    })).then(function (perTerm) {
      var results = [];
      perTerm[0].forEach(function (first, doc) {
        var score = 0, allInTitle = true;
        for (var t = 0; t < perTerm.length; t++) {
          var hit = perTerm[t].get(doc);
          if (!hit) return;
          score += hit.score;
          allInTitle = allInTitle && hit.title;
        }
        results.push({ doc: doc, score: score + (allInTitle ? 2 * perTerm.length : 0) });
      });
      results.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      return { wanted: wanted, results: results, typing: typing };
    });
  }

  // An excerpt of `body` around the densest run of matching words.
  function excerpt(body, wanted, typing) {
    var stems = new Set(wanted.map(function (t) { return t.stem; }));
    var prefix = typing ? wanted[wanted.length - 1].form : null;
    var words = [];
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(body))) {
      var form = fold(m[0]);
      var hit = stems.has(stem(form)) || (prefix !== null && form.lastIndexOf(prefix, 0) === 0);
      words.push({ start: m.index, end: m.index + m[0].length, hit: hit });
    }
    var SPAN = 28;
    var best = 0, bestHits = -1;
    for (var i = 0; i < words.length; i++) {
      if (!words[i].hit) continue;
      var hits = 0;
      for (var j = i; j < Math.min(words.length, i + SPAN); j++) if (words[j].hit) hits++;
      if (hits > bestHits) { best = i; bestHits = hits; }
    }
    var from = Math.max(0, best - 6);
    var to = Math.min(words.length, from + SPAN);
    var out = document.createDocumentFragment();
    if (!words.length) return out;
    var position = words[from].start;
    if (from > 0) out.appendChild(document.createTextNode("… "));
    for (var k = from; k < to; k++) {
      var w = words[k];
      out.appendChild(document.createTextNode(body.slice(position, w.start)));
      var word = body.slice(w.start, w.end);
      if (w.hit) {
        var mark = document.createElement("mark");
        mark.textContent = word;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(word));
      }
      position = w.end;
    }
    var tail = to < words.length ? body.slice(position, words[to].start).replace(/\s+$/, "") + " …" : body.slice(position);
    out.appendChild(document.createTextNode(tail));
    return out;
  }

  // The words of a result's page as a reader sees them, for its excerpt,
  // as src/markdown.rs html_text reads them for the index: the page's own
  // text first, then its facts ("Soort: gemeente"); an image's description
  // in; menus, drawings, footnote numbers and text for screen readers only
  // left out.
  var SKIP = { NAV: 1, SCRIPT: 1, STYLE: 1, TEMPLATE: 1, svg: 1, SVG: 1, FORM: 1 };
  var BLOCK = /^(P|LI|DT|DD|H[1-6]|DIV|SECTION|ARTICLE|TD|TH|TR|BLOCKQUOTE|PRE|FIGCAPTION|BR|TABLE|UL|OL|DL)$/;
  function collect(node, out, leave) {
    for (var child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) { out.push(child.data); continue; }
      if (child.nodeType !== 1 || child === leave || SKIP[child.tagName]) continue;
      if (child.classList.contains("visually-hidden") || child.classList.contains("footnote-reference")) continue;
      if (child.tagName === "IMG") { out.push(" " + (child.getAttribute("alt") || "") + " "); continue; }
      var block = BLOCK.test(child.tagName);
      if (block) out.push(" ");
      collect(child, out, leave);
      if (child.tagName === "DT") out.push(":");
      if (block) out.push(" ");
    }
  }
  function pageText(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var root = page.querySelector("main .page-text") || page.querySelector("main");
    if (!root) return "";
    var facts = root.querySelector(".facts");
    var out = [];
    collect(root, out, facts);
    if (facts) collect(facts, out, null);
    return out.join("").replace(/\s+([:.,;])/g, "$1").replace(/\s+/g, " ").trim();
  }
  var texts = new Map();
  function loadText(url) {
    if (!texts.has(url)) {
      texts.set(url, fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.text();
      }).then(pageText).catch(function () { texts.delete(url); return ""; }));
    }
    return texts.get(url);
  }
  // A result's row of the document table, with its page's text.
  function loadEntry(doc) {
    var per = meta.per_piece;
    return load(indexUrl + "d/" + Math.floor(doc / per) + ".json?v=" + meta.version).then(function (piece) {
      var row = piece[doc % per];
      return loadText(base + row[0]).then(function (x) {
        return { u: row[0], t: row[1], k: row[2], x: x };
      });
    });
  }

  function resultItem(entry, found) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = base + entry.u;
    link.textContent = entry.t;
    var heading = document.createElement("h2");
    heading.appendChild(link);
    var kind = document.createElement("span");
    kind.className = "search-kind";
    kind.textContent = entry.k;
    heading.appendChild(document.createTextNode(" "));
    heading.appendChild(kind);
    item.appendChild(heading);
    var snippet = document.createElement("p");
    snippet.appendChild(excerpt(entry.x, found.wanted, found.typing));
    item.appendChild(snippet);
    return item;
  }

  var current = null;
  var shown = 0;
  var generation = 0;

  function say(message) {
    status.textContent = message;
  }

  function showMore() {
    var found = current;
    var next = found.results.slice(shown, shown + PAGE);
    var mine = generation;
    return Promise.all(next.map(function (r) {
      return loadEntry(r.doc);
    })).then(function (documents) {
      if (mine !== generation) return;
      var firstNew = null;
      documents.forEach(function (d) {
        var item = resultItem(d, found);
        if (!firstNew) firstNew = item;
        list.appendChild(item);
      });
      shown += documents.length;
      more.hidden = shown >= found.results.length;
      return firstNew;
    });
  }

  // `retried`: a piece can vanish when the site is published again while
  // a reader searches; the table of contents is then fetched anew, once.
  function run(query, announce, retried) {
    var mine = ++generation;
    var trimmed = query.trim();
    if (!trimmed) {
      list.hidden = true;
      list.textContent = "";
      more.hidden = true;
      say("");
      return;
    }
    if (announce) say(form.getAttribute("data-loading"));
    loadMeta().then(function () { return search(query); }).then(function (found) {
      if (mine !== generation) return;
      current = found;
      shown = 0;
      list.textContent = "";
      var count = found.results.length;
      if (!count) {
        list.hidden = true;
        more.hidden = true;
        say(text(form.getAttribute("data-none"), { query: trimmed }));
        return;
      }
      list.hidden = false;
      return showMore().then(function () {
        if (mine !== generation) return;
        var message = text(form.getAttribute(count === 1 ? "data-one" : "data-many"), { count: count, query: trimmed });
        if (count > shown) message += " " + text(form.getAttribute("data-shown"), { shown: shown });
        say(message);
      });
    }).catch(function () {
      if (mine !== generation) return;
      if (!retried) {
        meta = null;
        pieces.clear();
        texts.clear();
        run(query, announce, true);
      } else {
        say(form.getAttribute("data-failed"));
      }
    });
  }

  var timer = null;
  function remember(query) {
    var url = new URL(window.location.href);
    if (query.trim()) url.searchParams.set("q", query); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { remember(input.value); run(input.value, false); }, 120);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    remember(input.value);
    run(input.value, true);
  });
  more.addEventListener("click", function () {
    showMore().then(function (firstNew) {
      if (firstNew) firstNew.querySelector("a").focus();
    });
  });
  // Arrow keys move between the search field and the results.
  form.parentNode.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    if (document.activeElement === input && event.key === "ArrowDown") {
      links[0].focus();
    } else if (at >= 0) {
      if (event.key === "ArrowDown" && at + 1 < links.length) links[at + 1].focus();
      else if (event.key === "ArrowUp") (at > 0 ? links[at - 1] : input).focus();
      else return;
    } else {
      return;
    }
    event.preventDefault();
  });

  // For the browser test that compares these words with the index's.
  globalThis.twnSearchTerms = function (query) {
    return loadMeta().then(function () { return terms(query); });
  };

  // The header's field says what is searched for, here as on every page.
  var header = document.getElementById("zoekvak");
  input.addEventListener("input", function () {
    if (header) header.value = input.value;
  });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    if (header) header.value = initial;
    run(initial, true);
  }
})();
