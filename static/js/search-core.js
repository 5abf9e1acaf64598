/* The search core: normalisation, Thai segmentation, matching and ranking over the index that
   portal/search.py builds (/search/{lang}.json). No DOM here: the page (search.js) and the tests
   (tests/test_search.py, under node) run this same file.

   Thai: the index ships its vocabulary (every Thai term); a Thai query is cut by maximal matching
   against it, the same algorithm portal/search.py used on the indexed text (segment_thai), so
   both sides are segmented the same way. normalize/runs/segmentThai/bigrams are twins of the
   Python functions of the same names; the tests check they agree on every string of the index. */
(function (root) {
  "use strict";

  var FOLD = { "đ": "d", "ð": "d", "ø": "o", "ł": "l", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "ħ": "h",
               "\u0ebc": "\u0ea5" };
  var JOINERS = "'\u2019\u02bc";
  var LETTER = /[\p{L}\p{M}\p{N}]/u;
  var DIGIT = /^[0-9]$/;

  function normalize(text) {
    var s = String(text).normalize("NFKC");
    s = s.split("\u0e4d\u0e32").join("\u0e33");
    s = s.replace(/[\u0e50-\u0e59]/g, function (d) { return String.fromCharCode(d.charCodeAt(0) - 0x0e50 + 48); });
    s = s.toLowerCase();
    s = s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");
    var out = "";
    for (var c of s) out += Object.prototype.hasOwnProperty.call(FOLD, c) ? FOLD[c] : c;
    return out;
  }

  function charClass(c) {
    var o = c.codePointAt(0);
    if ((o >= 0x0E01 && o <= 0x0E2E) || (o >= 0x0E30 && o <= 0x0E3A) || (o >= 0x0E40 && o <= 0x0E45) ||
        (o >= 0x0E47 && o <= 0x0E4E)) return "t";
    if (o === 0x3005 || (o >= 0x3040 && o <= 0x30FF) || (o >= 0x3400 && o <= 0x4DBF) || (o >= 0x4E00 && o <= 0x9FFF) ||
        (o >= 0xF900 && o <= 0xFAFF) || (o >= 0x20000 && o <= 0x3FFFF)) return "c";
    if ((o >= 0x0900 && o <= 0x0DFF) || (o >= 0x0E80 && o <= 0x0EFF) || (o >= 0x0F00 && o <= 0x0FFF) ||
        (o >= 0x1000 && o <= 0x109F) || (o >= 0x1780 && o <= 0x17FF) || (o >= 0x19E0 && o <= 0x19FF)) return "u";
    if (JOINERS.indexOf(c) >= 0) return "j";
    if (LETTER.test(c)) return "w";
    return " ";
  }

  /* Normalised text → [[class, text], …] (see portal/search.py `runs`). */
  function runs(normalized) {
    var chars = Array.from(normalized), out = [], curCls = "", cur = [];
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i], k = charClass(c);
      if (k === "j" && curCls === "w" && i + 1 < chars.length && charClass(chars[i + 1]) === "w") continue;
      if (c === "." && curCls === "w" && cur.length && DIGIT.test(cur[cur.length - 1]) && i + 1 < chars.length &&
          DIGIT.test(chars[i + 1])) { cur.push(c); continue; }
      if (k === " " || k === "j") {
        if (cur.length) out.push([curCls, cur.join("")]);
        curCls = ""; cur = [];
        continue;
      }
      if (k !== curCls && cur.length) { out.push([curCls, cur.join("")]); cur = []; }
      curCls = k;
      cur.push(c);
    }
    if (cur.length) out.push([curCls, cur.join("")]);
    return out;
  }

  /* Maximal matching against the vocabulary: fewest unknown characters, then fewest words, then
     the longest first word; adjacent unknown characters make one token. */
  function segmentThai(run, vocab, maxLen) {
    var n = run.length, bestU = new Array(n + 1), bestT = new Array(n + 1), step = new Array(n + 1);
    bestU[n] = 0; bestT[n] = 0;
    for (var i = n - 1; i >= 0; i--) {
      var cu = -1, ct = -1, choice = 0;
      for (var j = Math.min(n, i + maxLen); j > i; j--) {
        if (vocab.has(run.slice(i, j))) {
          var u = bestU[j], t = bestT[j] + 1;
          if (cu < 0 || u < cu || (u === cu && t < ct)) { cu = u; ct = t; choice = j; }
        }
      }
      var u2 = bestU[i + 1] + 1, t2 = bestT[i + 1] + 1;
      if (cu < 0 || u2 < cu || (u2 === cu && t2 < ct)) { cu = u2; ct = t2; choice = -(i + 1); }
      bestU[i] = cu; bestT[i] = ct; step[i] = choice;
    }
    var out = [], unknown = "", p = 0;
    while (p < n) {
      var s = step[p];
      if (s < 0) { unknown += run[p]; p = -s; }
      else {
        if (unknown) { out.push(unknown); unknown = ""; }
        out.push(run.slice(p, s));
        p = s;
      }
    }
    if (unknown) out.push(unknown);
    return out;
  }

  function bigrams(run) {
    var chars = Array.from(run);
    if (chars.length < 2) return [chars.join("")];
    var out = [];
    for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    return out;
  }

  function isThaiWord(term) {
    for (var c of term) if (charClass(c) !== "t") return false;
    return term.length > 0;
  }

  /* The parsed index: the JSON plus its Thai vocabulary and a term lookup. */
  function prepare(data) {
    var vocab = new Set(), maxLen = 1, lookup = new Map();
    data.terms.forEach(function (term, i) {
      lookup.set(term, i);
      if (isThaiWord(term)) { vocab.add(term); if (term.length > maxLen) maxLen = term.length; }
    });
    return { data: data, docs: data.docs, kinds: data.kinds, terms: data.terms, lookup: lookup,
             vocab: vocab, maxLen: maxLen, decoded: new Map() };
  }

  function postings(index, ti) {
    var hit = index.decoded.get(ti);
    if (hit) return hit;
    var flat = index.data.post[ti], out = [], d = 0;
    for (var i = 0; i < flat.length; i += 2) { d += flat[i]; out.push([d, flat[i + 1] / 10]); }
    index.decoded.set(ti, out);
    return out;
  }

  /* A year in either era, in Thai or Arabic digits (already Arabic here), adds the other era. */
  function years(token) {
    if (!/^[0-9]{4}$/.test(token)) return null;
    var y = parseInt(token, 10);
    if (y >= 2400 && y <= 2700) return [String(y), String(y - 543)];
    if (y >= 1857 && y <= 2157) return [String(y), String(y + 543)];
    return null;
  }

  /* Query → clauses. A clause is met by any of its alternatives; an alternative is a list of
     tokens that must all match. Each word is a clause, so a record matching more words ranks first. */
  var ERA = /(^|[^\p{L}])(พ\.?\s*ศ\.?|ค\.?\s*ศ\.?|b\.\s*e\.?|c\.\s*e\.?|a\.\s*d\.?|be|ce|ad)(?=$|[^\p{L}])/gu;

  function parseQuery(index, query) {
    var clauses = [], text = normalize(query);
    // An era written with a year (พ.ศ. ๒๕๖๐, ค.ศ. 2017, B.E. 2560, 2017 CE) is the year alone: both eras are searched.
    if (/(^|[^0-9])[0-9]{4}($|[^0-9])/.test(text)) text = text.replace(ERA, "$1 ");
    runs(text).forEach(function (r) {
      var k = r[0], run = r[1];
      if (k === "w") {
        var y = years(run);
        if (y) clauses.push([[{ t: y[0], mode: "exact" }], [{ t: y[1], mode: "exact" }]]);
        else clauses.push([[{ t: run, mode: /^[0-9.]+$/.test(run) ? "exact" : "word" }]]);
      } else if (k === "t") {
        var words = segmentThai(run, index.vocab, index.maxLen);
        var known = words.every(function (w) { return index.vocab.has(w); });
        if (known) words.forEach(function (w) { clauses.push([[{ t: w, mode: "thai" }]]); });
        else clauses.push([words.map(function (w) { return { t: w, mode: "thai" }; }), [{ t: run, mode: "thai" }]]);
      } else if (k === "c") {
        var grams = bigrams(run);
        clauses.push([grams.map(function (g) { return { t: g, mode: "cjk" }; })]);
      } else {
        clauses.push([[{ t: run, mode: "sub" }]]);
      }
    });
    return clauses;
  }

  /* Optimal string alignment distance, stopping early above 1. */
  function withinOneEdit(a, b) {
    if (Math.abs(a.length - b.length) > 1) return false;
    var prev2 = null, prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var rowMin = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur.push(v);
        if (v < rowMin) rowMin = v;
      }
      if (rowMin > 1) return false;
      prev2 = prev; prev = cur;
    }
    return prev[b.length] <= 1;
  }

  var EXACT = 1, PREFIX = 0.8, PART = 0.8, TYPO = 0.6;

  /* [[term number, factor], …] for one query token. */
  function matchTerms(index, tok) {
    var out = [], q = tok.t, exact = index.lookup.get(q);
    if (exact !== undefined) out.push([exact, EXACT]);
    if (tok.mode === "exact") return out;
    var qlen = Array.from(q).length, latin = /^[a-z]+$/.test(q);
    if (tok.mode === "cjk" && qlen > 1) return out;
    if (qlen < 2 && tok.mode !== "cjk") return out;
    var terms = index.terms;
    for (var i = 0; i < terms.length; i++) {
      if (i === exact) continue;
      var term = terms[i];
      if (tok.mode === "sub") { if (term.indexOf(q) >= 0) out.push([i, PART]); continue; }
      if (term.length > q.length && term.lastIndexOf(q, 0) === 0) { out.push([i, PREFIX]); continue; }
      if (latin && tok.mode === "word" && q.length >= 5 && /^[a-z]+$/.test(term) && withinOneEdit(q, term)) out.push([i, TYPO]);
    }
    return out;
  }

  /* Search → {results: [{url, kind, title, context, score}], complete, clauses}. `complete` is
     false when no record matches every word and the results match only some of them. */
  function search(index, query, options) {
    var limit = (options && options.limit) || 50;
    var clauses = parseQuery(index, query), n = index.docs.length;
    if (!clauses.length) return { results: [], complete: true, clauses: 0 };
    var total = new Float64Array(n), matched = new Int32Array(n);
    clauses.forEach(function (alts) {
      var clauseScore = new Float64Array(n);
      alts.forEach(function (alt) {
        var sum = new Float64Array(n), count = new Int32Array(n);
        alt.forEach(function (tok) {
          var best = new Float64Array(n);
          matchTerms(index, tok).forEach(function (m) {
            postings(index, m[0]).forEach(function (p) {
              var v = m[1] * p[1];
              if (v > best[p[0]]) best[p[0]] = v;
            });
          });
          for (var d = 0; d < n; d++) if (best[d] > 0) { sum[d] += best[d]; count[d]++; }
        });
        for (var d = 0; d < n; d++) {
          if (count[d] === alt.length) {
            var v = sum[d] / alt.length;
            if (v > clauseScore[d]) clauseScore[d] = v;
          }
        }
      });
      for (var d = 0; d < n; d++) if (clauseScore[d] > 0) { total[d] += clauseScore[d]; matched[d]++; }
    });
    var most = 0;
    for (var d = 0; d < n; d++) if (matched[d] > most) most = matched[d];
    if (!most) return { results: [], complete: true, clauses: clauses.length };
    var hits = [];
    for (d = 0; d < n; d++) if (matched[d] === most) hits.push(d);
    hits.sort(function (a, b) { return total[b] - total[a] || a - b; });
    return {
      results: hits.slice(0, limit).map(function (i) {
        var doc = index.docs[i];
        return { url: doc[1], kind: index.kinds[doc[0]], title: doc[2], context: doc[3],
                 score: Math.round(total[i] * 100) / 100 };
      }),
      total: hits.length,
      complete: most === clauses.length,
      clauses: clauses.length
    };
  }

  var api = { normalize: normalize, charClass: charClass, runs: runs, segmentThai: segmentThai, bigrams: bigrams,
              prepare: prepare, parseQuery: parseQuery, search: search, withinOneEdit: withinOneEdit };
  if (typeof module === "object" && module.exports) module.exports = api;
  root.SearchCore = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
