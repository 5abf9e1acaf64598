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
  // Korean administrative suffixes (portal/search.py KOREAN_SUFFIXES): 부산시 finds 부산광역시.
  var KOREAN_SUFFIXES = ["특별자치도", "특별자치시", "특별시", "광역시", "자치도", "자치시", "도", "시", "군", "구"];
  var HANGUL = /^[\uac00-\ud7a3]+$/;
  // Chinese and Japanese administrative suffixes, as folded (県 → 县): a query cut after one (云南省昆明市 →
  // 云南 | 昆明) and stripped of it matches the name with or without it. Longest first.
  var CJK_SUFFIXES = ["特别行政区", "自治区", "自治州", "自治县", "省", "市", "县", "府", "都", "道", "町", "村", "区"];
  // Thai marks a reader (or a phone keyboard) drops or adds: tone marks, maitaikhu, thanthakhat,
  // nikhahit, yamakkan, phinthu; and consonants and vowels written for one another.
  var THAI_MARKS = /[\u0e47-\u0e4e\u0e3a]/g;
  var THAI_CONFUSABLE = { "ณ": "น", "ศ": "ส", "ษ": "ส", "ธ": "ท", "ฑ": "ท", "ฒ": "ท", "ฐ": "ถ", "ภ": "พ", "ฬ": "ล",
                          "ญ": "ย", "ฆ": "ค", "ฅ": "ค", "ฃ": "ข", "ฎ": "ด", "ฏ": "ด", "ใ": "ไ" };
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

  function stripKoreanSuffix(word) {
    if (!HANGUL.test(word)) return null;
    for (var i = 0; i < KOREAN_SUFFIXES.length; i++) {
      var suf = KOREAN_SUFFIXES[i];
      if (word.length - suf.length >= 2 && word.slice(-suf.length) === suf) return word.slice(0, -suf.length);
    }
    return null;
  }

  /* A folded CJK run → its pieces, cut after each administrative suffix and stripped of it
     (静冈县 → [静冈]; 云南省昆明市 → [云南, 昆明]); a piece keeps its suffix when stripping would
     leave one character (津市). */
  function cjkPieces(run) {
    var chars = Array.from(run), out = [], start = 0, i = 0;
    while (i < chars.length) {
      var hit = null;
      for (var k = 0; k < CJK_SUFFIXES.length && !hit; k++) {
        var suf = CJK_SUFFIXES[k];
        if (chars.slice(i, i + suf.length).join("") === suf && i - start >= 2) hit = suf;
      }
      if (hit) { out.push(chars.slice(start, i).join("")); i += hit.length; start = i; }
      else i++;
    }
    if (start < chars.length) out.push(chars.slice(start).join(""));
    return out.filter(function (p) { return p.length; });
  }

  /* What a Thai word sounds like when its marks are optional and its look-alike letters are one. */
  function thaiSkeleton(word) {
    var s = word.replace(THAI_MARKS, ""), out = "";
    for (var c of s) out += THAI_CONFUSABLE[c] || c;
    return out;
  }

  /* A Latin word as it is misspelt: an h after the first letter is dropped (Pukhet, Phuket → puket),
     doubled letters are one (Hokaido, Hokkaido → hokaido). */
  function latinSkeleton(word) {
    return (word.charAt(0) + word.slice(1).replace(/h/g, "")).replace(/(.)\1+/g, "$1");
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

  function pairs(text, into) {
    var chars = Array.from(text || "");
    for (var i = 0; i + 1 < chars.length; i += 2) into.set(chars[i], chars[i + 1]);
    return into;
  }

  /* The parsed index: the JSON plus its Thai vocabulary, a term lookup, and the keys typo
     tolerance compares (Thai skeletons, Latin skeletons). */
  function prepare(data) {
    var vocab = new Set(), maxLen = 1, lookup = new Map(), skel = new Map(), skelMax = 1, thaiTerms = [], latinTerms = [];
    pairs(data.fold, new Map()).forEach(function (f, c) { FOLD[c] = f; });   // 廣 → 广: normalize folds it from now on
    data.terms.forEach(function (term, i) {
      lookup.set(term, i);
      if (isThaiWord(term)) {
        vocab.add(term);
        if (term.length > maxLen) maxLen = term.length;
        var k = thaiSkeleton(term);
        if (!skel.has(k)) skel.set(k, []);
        skel.get(k).push(i);
        if (k.length > skelMax) skelMax = k.length;
        if (k.length >= 4) thaiTerms.push([i, k]);
      } else if (/^[a-z]{3,}$/.test(term)) {
        latinTerms.push([i, term, latinSkeleton(term)]);
      }
    });
    return { data: data, docs: data.docs, kinds: data.kinds, terms: data.terms, lookup: lookup,
             vocab: vocab, maxLen: maxLen, decoded: new Map(), hanja: pairs(data.hanja, new Map()),
             skel: skel, skelVocab: new Set(skel.keys()), skelMax: skelMax, thaiTerms: thaiTerms, latinTerms: latinTerms };
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
     tokens that must all match. Each word is a clause, so a record matching more words ranks first.
     A token: {t: text, mode, shown: what the reader typed for it}. */
  var ERA = /(^|[^\p{L}])(พ\.?\s*ศ\.?|ค\.?\s*ศ\.?|b\.\s*e\.?|c\.\s*e\.?|a\.\s*d\.?|be|ce|ad)(?=$|[^\p{L}])/gu;

  function thaiClauses(index, run) {
    var words = segmentThai(run, index.vocab, index.maxLen);
    if (words.every(function (w) { return index.vocab.has(w); })) {
      // every word is known; each also matches the words it differs from only by marks (นาน ~ น่าน)
      return words.map(function (w) { return [[{ t: w, mode: "thai" }]]; });
    }
    var sk = thaiSkeleton(run), pieces = segmentThai(sk, index.skelVocab, index.skelMax);
    if (pieces.every(function (w) { return index.skelVocab.has(w); })) {
      // known once marks are optional and look-alike letters one (ภูเกต ~ ภูเก็ต, เชียงไหม่ ~ เชียงใหม่)
      return pieces.map(function (w) { return [[{ t: w, mode: "thaiskel" }]]; });
    }
    // unknown even so: the words with an unknown piece, or the whole run as typed (a prefix, or a typo)
    return [[words.map(function (w) { return { t: w, mode: "thai" }; }), [{ t: run, mode: "thai", typo: true }]]];
  }

  // A query longer than any name or phrase of the index is cut: no name has ten words or 100 letters,
  // and a pasted paragraph should not stall the page.
  var MAX_QUERY = 100, MAX_CLAUSES = 10;

  function parseQuery(index, query) {
    var clauses = [], text = normalize(Array.from(String(query)).slice(0, MAX_QUERY).join(""));
    // An era written with a year (พ.ศ. ๒๕๖๐, ค.ศ. 2017, B.E. 2560, 2017 CE) is the year alone: both eras are searched.
    if (/(^|[^0-9])[0-9]{4}($|[^0-9])/.test(text)) text = text.replace(ERA, "$1 ");
    runs(text).forEach(function (r) {
      var k = r[0], run = r[1];
      if (k === "w") {
        var y = years(run);
        if (y) clauses.push([[{ t: y[0], mode: "exact" }], [{ t: y[1], mode: "exact" }]]);
        else {
          var alts = [[{ t: run, mode: /^[0-9.]+$/.test(run) ? "exact" : "word" }]], bare = stripKoreanSuffix(run);
          if (bare) alts.push([{ t: bare, mode: "word" }]);
          clauses.push(alts);
        }
      } else if (k === "t") {
        thaiClauses(index, run).forEach(function (c) { clauses.push(c); });
      } else if (k === "c") {
        cjkPieces(run).forEach(function (piece) {
          var grams = bigrams(piece), alts = [grams.map(function (g) { return { t: g, mode: "cjk", piece: piece }; })];
          // a Korean name written in hanja (釜山 → 부산): its reading, if every character has one and
          // the characters are not a Chinese or Japanese name of the index (富山 is Toyama, not 부산)
          var known = grams.every(function (g) { return index.lookup.has(g); });
          var reading = known ? null : "";
          for (var c of piece) reading = reading === null || !index.hanja.has(c) ? null : reading + index.hanja.get(c);
          if (reading) {
            alts.push([{ t: reading, mode: "word" }]);
            var bareReading = stripKoreanSuffix(reading);
            if (bareReading) alts.push([{ t: bareReading, mode: "word" }]);
          }
          clauses.push(alts);
        });
      } else {
        clauses.push([[{ t: run, mode: "sub" }]]);
      }
    });
    return clauses.slice(0, MAX_CLAUSES);
  }

  /* Optimal string alignment distance (a swap of two neighbours is one edit), or max + 1 as soon
     as it must exceed max. Three rows reused across calls: it runs over every term of the index. */
  var ROWS = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];
  function editDistance(a, b, max) {
    var m = a.length, n = b.length;
    if (Math.abs(m - n) > max) return max + 1;
    if (n + 1 > ROWS[0].length) ROWS = [new Int32Array(n + 1), new Int32Array(n + 1), new Int32Array(n + 1)];
    var prev2 = ROWS[0], prev = ROWS[1], cur = ROWS[2], i, j, tmp;
    for (j = 0; j <= n; j++) prev[j] = j;
    for (i = 1; i <= m; i++) {
      cur[0] = i;
      var rowMin = i, ai = a.charCodeAt(i - 1), ai1 = i > 1 ? a.charCodeAt(i - 2) : -1;
      for (j = 1; j <= n; j++) {
        var bj = b.charCodeAt(j - 1);
        var v = prev[j - 1] + (ai === bj ? 0 : 1);
        if (prev[j] + 1 < v) v = prev[j] + 1;
        if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
        if (j > 1 && ai === b.charCodeAt(j - 2) && ai1 === bj && prev2[j - 2] + 1 < v) v = prev2[j - 2] + 1;
        cur[j] = v;
        if (v < rowMin) rowMin = v;
      }
      if (rowMin > max) return max + 1;
      tmp = prev2; prev2 = prev; prev = cur; cur = tmp;
    }
    return prev[n];
  }

  function withinOneEdit(a, b) { return editDistance(a, b, 1) <= 1; }

  /* How many edits a word of this length may have: Latin words of 4 letters or more one, of 9 or
     more two (as Meilisearch); Thai words (their skeletons) of 5 characters or more one, of 9 or more two. */
  function allowedEdits(len, thai) {
    var one = thai ? 5 : 4;
    return len >= 9 ? 2 : len >= one ? 1 : 0;
  }

  // Match kinds and their factors. A whole word is exact, or equal once marks are optional and
  // look-alike letters one (fold); a part of a word is a prefix; a typo is within the allowed edits.
  var EXACT = 1, FOLDED = 0.95, PREFIX = 0.8, PART = 0.8, TYPO = 0.6;
  var WHOLE = { exact: true, fold: true, part: true, cjk: true };

  /* [[term number, factor, kind], …] for one query token. */
  function matchTerms(index, tok) {
    var out = [], q = tok.t, exact = index.lookup.get(q), seen = new Set();
    function add(i, f, kind) { if (!seen.has(i)) { seen.add(i); out.push([i, f, kind]); } }
    if (tok.mode === "thaiskel") {
      (index.skel.get(q) || []).forEach(function (i) { add(i, index.terms[i] === q ? EXACT : FOLDED, index.terms[i] === q ? "exact" : "fold"); });
      return out;
    }
    if (exact !== undefined) add(exact, EXACT, tok.mode === "cjk" ? "cjk" : "exact");
    if (tok.mode === "exact") return out;
    var qlen = Array.from(q).length, latin = /^[a-z]+$/.test(q);
    if (tok.mode === "cjk" && qlen > 1) return out;
    if (qlen < 2 && tok.mode !== "cjk") return out;
    if (tok.mode === "thai") (index.skel.get(thaiSkeleton(q)) || []).forEach(function (i) { add(i, FOLDED, "fold"); });
    var terms = index.terms;
    for (var i = 0; i < terms.length; i++) {
      if (seen.has(i)) continue;
      var term = terms[i];
      if (tok.mode === "sub") { if (term.indexOf(q) >= 0) add(i, PART, "part"); continue; }
      if (term.length > q.length && term.lastIndexOf(q, 0) === 0) add(i, PREFIX, "prefix");
    }
    if (latin && tok.mode === "word" && q.length >= 4) {
      var qs = latinSkeleton(q), max = allowedEdits(q.length, false);
      index.latinTerms.forEach(function (lt) {
        if (seen.has(lt[0])) return;
        if (lt[2] === qs) add(lt[0], FOLDED, "fold");
        // a word of the index is taken as spelt right (Yunnan is not a typo of Hunan)
        else if (exact === undefined && (editDistance(q, lt[1], max) <= max || editDistance(qs, lt[2], 1) <= 1)) add(lt[0], TYPO, "typo");
      });
    }
    if (tok.typo) {
      var ks = thaiSkeleton(q), kmax = allowedEdits(ks.length, true);
      if (kmax) index.thaiTerms.forEach(function (tt) {
        if (!seen.has(tt[0]) && editDistance(ks, tt[1], kmax) <= kmax) add(tt[0], TYPO, "typo");
      });
    }
    return out;
  }

  // A whole-word match counts toward "whole names" only on a name-like field (weight 3 or more):
  // not a word of a section's running text.
  var NAME_WEIGHT = 3;

  /* Search → {results: [{url, kind, title, context, score}], total, complete, clauses, corrected,
     suggestions}. Records matching more words come first, then those matching more of them as
     whole names (a part of a word never outranks a whole name), then by score. `complete` is false
     when no record matches every word; then only records with a whole-name match are listed.
     `corrected` is the query as the first result read it, when that needed a correction
     (folded marks or a typo): "showing results for …". With no result, `suggestions` are the
     closest names ("did you mean"). */
  function search(index, query, options) {
    var limit = (options && options.limit) || 50;
    var clauses = parseQuery(index, query), n = index.docs.length;
    if (!clauses.length) return { results: [], complete: true, clauses: 0, suggestions: [] };
    var total = new Float64Array(n), matched = new Int32Array(n), whole = new Int32Array(n);
    var used = clauses.map(function () { return new Map(); });   // per clause: doc → [term, kind] of a lone token
    var memo = new Map();
    clauses.forEach(function (alts, ci) {
      var clauseScore = new Float64Array(n), clauseWhole = new Uint8Array(n);
      alts.forEach(function (alt) {
        var sum = new Float64Array(n), count = new Int32Array(n), allWhole = new Uint8Array(n).fill(1);
        var lone = alt.length === 1 ? new Map() : null;
        alt.forEach(function (tok) {
          var best = new Float64Array(n), bestWhole = new Uint8Array(n);
          var key = tok.mode + (tok.typo ? "~" : ":") + tok.t;
          if (!memo.has(key)) memo.set(key, matchTerms(index, tok));   // a word typed twice is matched once
          memo.get(key).forEach(function (m) {
            postings(index, m[0]).forEach(function (p) {
              if (m[2] === "typo" && p[1] < NAME_WEIGHT) return;   // typos are forgiven in names, not in running text
              var v = m[1] * p[1];
              if (v > best[p[0]]) {
                best[p[0]] = v;
                bestWhole[p[0]] = WHOLE[m[2]] && p[1] >= NAME_WEIGHT ? 1 : 0;
                if (lone) lone.set(p[0], [m[0], m[2]]);
              }
            });
          });
          for (var d = 0; d < n; d++) if (best[d] > 0) { sum[d] += best[d]; count[d]++; if (!bestWhole[d]) allWhole[d] = 0; }
        });
        for (var d = 0; d < n; d++) {
          if (count[d] === alt.length) {
            var v = sum[d] / alt.length, w = allWhole[d];
            if (w > clauseWhole[d] || (w === clauseWhole[d] && v > clauseScore[d])) {
              clauseScore[d] = v; clauseWhole[d] = w;
              if (lone) used[ci].set(d, lone.get(d)); else used[ci].delete(d);
            }
          }
        }
      });
      for (var d = 0; d < n; d++) if (clauseScore[d] > 0) { total[d] += clauseScore[d]; matched[d]++; whole[d] += clauseWhole[d]; }
    });
    // A typo is forgiven only beside words that match whole names: "Ho Chi Minh City" is not read as
    // "ho chi binh city" (Dong Hoi, by parts of words and one typo), which would hide that it is not in the list.
    function typoBesideWholes(d) {
      var typos = 0;
      for (var ci = 0; ci < clauses.length; ci++) { var u = used[ci].get(d); if (u && u[1] === "typo") typos++; }
      return !typos || whole[d] + typos >= clauses.length;
    }
    var most = 0;
    for (var d = 0; d < n; d++) if (matched[d] > most) most = matched[d];
    var complete = most === clauses.length;
    var hits = [];
    for (d = 0; d < n; d++) if (most && matched[d] === most && (complete || whole[d] > 0) && typoBesideWholes(d)) hits.push(d);
    if (!hits.length) {
      return { results: [], total: 0, complete: true, clauses: clauses.length, suggestions: suggest(index, clauses, query) };
    }
    hits.sort(function (a, b) { return whole[b] - whole[a] || total[b] - total[a] || a - b; });
    return {
      results: hits.slice(0, limit).map(function (i) {
        var doc = index.docs[i];
        return { url: doc[1], kind: index.kinds[doc[0]], title: doc[2], context: doc[3],
                 score: Math.round(total[i] * 100) / 100 };
      }),
      total: hits.length,
      complete: complete,
      clauses: clauses.length,
      corrected: correction(index, clauses, used, hits[0])
    };
  }

  /* A corrected term as the record's title writes it (phuket → Phuket), when the title has it. */
  function asWritten(term, title) {
    var words = String(title).split(/[\s,()\u2013-]+/);
    for (var i = 0; i < words.length; i++) if (words[i] && normalize(words[i]) === term) return words[i];
    return term;
  }

  /* The query as the first result read it ("showing results for …"), or null when no word of it
     needed a correction. */
  function correction(index, clauses, used, d) {
    var changed = false, parts = clauses.map(function (alts, ci) {
      var u = used[ci].get(d);
      if (u && (u[1] === "fold" || u[1] === "typo")) { changed = true; return asWritten(index.terms[u[0]], index.docs[d][2]); }
      return asWritten(alts[0][0].piece || alts[0].map(function (tok) { return tok.t; }).join(""), index.docs[d][2]);
    });
    if (!changed) return null;
    var out = "";
    parts.forEach(function (p, i) {
      out += (i && !(isThaiWord(p) && isThaiWord(parts[i - 1])) ? " " : "") + p;
    });
    return out;
  }

  /* With no result: the names closest to what was typed ("did you mean"), best first: records
     whose name-like terms are within a few edits of a word of the query (Thai compared by
     skeleton), or share a character with a Chinese/Japanese query. At most five. */
  function suggest(index, clauses, query) {
    var found = closest(index, clauses);
    if (!found.length) found = nearest(index, clauses);   // nothing that close: the nearest names all the same
    return found.map(function (d) { return inScriptOf(query, index.docs[d], index.kinds); });
  }

  /* A suggestion named in the script the reader typed: a Thai query on the English page is answered
     with the record's Thai name (the index carries it as the doc's fifth field), and the reverse. */
  function inScriptOf(query, doc, kinds) {
    var thai = /[\u0e00-\u0e7f]/, typedThai = thai.test(query), typedLatin = /[a-z]/i.test(query) && !typedThai;
    var r = { url: doc[1], kind: kinds[doc[0]], title: doc[2] };
    var other = doc[4];
    if (other && ((typedThai && !thai.test(doc[2]) && thai.test(other)) || (typedLatin && thai.test(doc[2]) && !thai.test(other)))) {
      r.title = other;
      r.lang = typedThai ? "th" : "en";
      r.pageTitle = doc[2];
    }
    return r;
  }

  /* The language of what the reader typed, from its script, for a `lang` attribute where the query
     is shown (search.js): Kana → ja (kanji among it too), Hangul → ko (hanja too), Han → zh, Thai →
     th. Latin letters, digits and punctuation say nothing; two of these languages, or none: "". */
  var QUERY_SCRIPTS = [["ja", /[\p{Script=Hiragana}\p{Script=Katakana}]/u], ["ko", /\p{Script=Hangul}/u],
                       ["zh", /\p{Script=Han}/u], ["th", /\p{Script=Thai}/u]];
  function queryLang(q) {
    var found = QUERY_SCRIPTS.filter(function (s) { return s[1].test(q); }).map(function (s) { return s[0]; });
    if (found[0] === "ja" || found[0] === "ko") found = found.filter(function (l) { return l !== "zh"; });
    return found.length === 1 ? found[0] : "";
  }

  /* A sentence (one of the strings, its {n} already filled) with the query in it, as nodes of `doc`. The
     query, as the reader typed it, is one unit with the quotation marks around it (site.css .search-q):
     it moves to the next line whole, never as 昆 / 明 or with its closing mark alone; inside, it is in
     its own language (queryLang). `key` is the placeholder the query takes: {q}, or {c}. The search
     page's status lines and the landing page's both say it this way. */
  var OPENING = /[\p{Ps}\p{Pi}]+$/u, CLOSING = /^[\p{Pe}\p{Pf}]+/u;
  function querySentence(doc, template, q, key) {
    var out = doc.createDocumentFragment();
    var texts = template.split(key || "{q}");
    texts.forEach(function (text, i) {
      var before = i + 1 < texts.length && text.match(OPENING), after = i && text.match(CLOSING);
      if (after) text = text.slice(after[0].length);
      if (before) text = text.slice(0, -before[0].length);
      if (after) out.lastChild.appendChild(doc.createTextNode(after[0]));
      if (text) out.appendChild(doc.createTextNode(text));
      if (i + 1 < texts.length) {
        var unit = doc.createElement("span"), lang = queryLang(q), typed;
        unit.className = "search-q";
        if (lang) {
          typed = doc.createElement("span");
          typed.lang = lang;
          typed.textContent = q;
        } else {
          typed = doc.createTextNode(q);
        }
        if (before) unit.appendChild(doc.createTextNode(before[0]));
        unit.appendChild(typed);
        out.appendChild(unit);
      }
    });
    return out;
  }

  // Words that name a kind of unit, not a place: never the reason a name is "near" (นครโฮจิมินห์ is
  // not near นครปฐม). Thai ones are also taken off the front of a word (portal/search.py THAI_UNIT_WORDS).
  var UNIT_WORDS = new Set(["city", "province", "prefecture", "state", "region", "district", "county", "municipality",
    "town", "autonomous", "special", "administrative", "metropolitan", "of", "the", "and"]);
  var THAI_UNITS = ["เขตปกครองตนเอง", "เขตบริหารพิเศษ", "เทศบาลเมือง", "เทศบาล", "จังหวัด", "มหานคร", "อำเภอ", "ประเทศ",
    "มณฑล", "เมือง", "นคร", "กรุง", "มลรัฐ", "รัฐ", "เขต"];

  /* A word without the unit word in front of it (นครโฮจิมินห์ → โฮจิมินห์), or "" for a unit word alone. */
  function placeWord(q) {
    if (UNIT_WORDS.has(q)) return "";
    for (var i = 0; i < THAI_UNITS.length; i++) {
      if (q.lastIndexOf(THAI_UNITS[i], 0) === 0) return q.slice(THAI_UNITS[i].length);
    }
    return q;
  }

  function bigramsOf(s) {
    var a = Array.from(s), out = [];
    for (var i = 0; i + 1 < a.length; i++) out.push(a[i] + a[i + 1]);
    return out;
  }

  /* How alike two words are, 0 to 1: the share of letter pairs they have in common (Dice). Unlike an
     edit distance it finds a shared part: มินห์ in กวางบินห์, minh in Binh. */
  function likeness(a, b) {
    var ga = bigramsOf(a), gb = bigramsOf(b), pool = new Map(), common = 0;
    if (!ga.length || !gb.length) return 0;
    gb.forEach(function (g) { pool.set(g, (pool.get(g) || 0) + 1); });
    ga.forEach(function (g) { var k = pool.get(g); if (k) { common++; pool.set(g, k - 1); } });
    return 2 * common / (ga.length + gb.length);
  }

  var NEAR = 0.25;   // how alike a word must be to a name to be offered at all

  /* When nothing is within a few edits: the names most alike the words typed (letter pairs in common,
     Thai compared by skeleton), names of records only, best first, at most five. */
  function nearest(index, clauses) {
    var score = new Map(), seen = new Set();
    clauses.forEach(function (alts) {
      var best = new Map();
      alts.forEach(function (alt) {
        alt.forEach(function (tok) {
          var q = placeWord(tok.t), thai = isThaiWord(tok.t) || tok.mode === "thaiskel";
          if (tok.mode === "cjk" || !q || seen.has(q)) return;
          seen.add(q);
          var k = thai ? (tok.mode === "thaiskel" ? q : thaiSkeleton(q)) : q;
          if (Array.from(k).length < 3 || UNIT_WORDS.has(k)) return;
          (thai ? index.thaiTerms : index.latinTerms).forEach(function (tt) {
            if (!thai && UNIT_WORDS.has(tt[1])) return;
            var v = likeness(k, tt[1]);
            if (v < NEAR) return;
            postings(index, tt[0]).forEach(function (p) {
              if (p[1] < 8) return;   // a name of the record itself
              if (v > (best.get(p[0]) || 0)) best.set(p[0], v);
            });
          });
        });
      });
      best.forEach(function (v, d) { score.set(d, (score.get(d) || 0) + v); });
    });
    return ranked(score);
  }

  function ranked(score) {
    var list = Array.from(score.entries()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    // the close ones only: at least half as close as the closest
    return list.filter(function (e) { return e[1] >= list[0][1] / 2; }).slice(0, 5).map(function (e) { return e[0]; });
  }

  function closest(index, clauses) {
    var score = new Map(), seen = new Set();
    clauses.forEach(function (alts) {
      var key = JSON.stringify(alts[0]);
      if (seen.has(key)) return;   // a word typed twice counts once
      seen.add(key);
      var best = new Map();   // this word's best closeness per record; the words' are summed
      function credit(ti, closeness) {
        postings(index, ti).forEach(function (p) {
          if (p[1] < 8) return;   // a name of the record itself, not a word of its text
          var v = closeness * p[1];
          if (v > (best.get(p[0]) || 0)) best.set(p[0], v);
        });
      }
      var chars = new Set();   // the Chinese/Japanese characters of this word: one pass over the terms for all
      alts[0].forEach(function (tok) {
        var q = tok.mode === "cjk" ? tok.t : placeWord(tok.t);
        if (!q) return;
        if (tok.mode === "cjk") {
          for (var c of q) if (charClass(c) === "c") chars.add(c);
        } else if (/^[a-z]+$/.test(q) && q.length >= 3) {
          var max = Math.max(2, Math.floor(q.length / 3)), qs = latinSkeleton(q);
          index.latinTerms.forEach(function (lt) {
            var e = Math.min(editDistance(q, lt[1], max), editDistance(qs, lt[2], max));
            if (e <= max) credit(lt[0], 1 / (1 + e));
          });
        } else if (isThaiWord(q) || tok.mode === "thaiskel") {
          var ks = tok.mode === "thaiskel" ? q : thaiSkeleton(q), tmax = Math.max(2, Math.floor(ks.length / 3));
          index.thaiTerms.forEach(function (tt) {
            var e = editDistance(ks, tt[1], tmax);
            if (e <= tmax) credit(tt[0], 1 / (1 + e));
          });
        }
      });
      if (chars.size) index.terms.forEach(function (term, i) {
        for (var c of term) if (chars.has(c)) { credit(i, 0.5); return; }
      });
      best.forEach(function (v, d) { score.set(d, (score.get(d) || 0) + v); });
    });
    return ranked(score);
  }

  var api = { normalize: normalize, charClass: charClass, runs: runs, segmentThai: segmentThai, bigrams: bigrams,
              prepare: prepare, parseQuery: parseQuery, search: search, withinOneEdit: withinOneEdit,
              editDistance: editDistance, thaiSkeleton: thaiSkeleton, latinSkeleton: latinSkeleton,
              cjkPieces: cjkPieces, stripKoreanSuffix: stripKoreanSuffix, queryLang: queryLang,
              querySentence: querySentence };
  if (typeof module === "object" && module.exports) module.exports = api;
  root.SearchCore = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
