/* Peerpress search: queries the index that `generator build` writes to
   search/ (see generator/internal/search). Words are folded, stemmed and
   weighted exactly as at build time; the Go tests run this file under node
   to keep the two the same. In a browser it runs the search page; under
   node it exports the engine for those tests. */
(function (root) {
  'use strict';

  /* FOLD and STOP must equal foldTable and stopWords in search/text.go. */
  var FOLD = [['àáâãäåāăą', 'a'], ['çćĉċč', 'c'], ['ďđ', 'd'], ['èéêëēĕėęě', 'e'],
    ['ĝğġģ', 'g'], ['ĥħ', 'h'], ['ìíîïĩīĭįı', 'i'], ['ĵ', 'j'], ['ķ', 'k'],
    ['ĺļľŀł', 'l'], ['ñńņňŉ', 'n'], ['òóôõöøōŏő', 'o'], ['ŕŗř', 'r'],
    ['śŝşšș', 's'], ['ţťŧț', 't'], ['ùúûüũūŭůűų', 'u'], ['ŵ', 'w'],
    ['ýÿŷ', 'y'], ['źżž', 'z'], ['ß', 'ss'], ['æ', 'ae'], ['œ', 'oe'],
    ['þ', 'th'], ['ð', 'd'], ["'", ''], ['’', ''], ['ʼ', '']];
  var STOP = {};
  'a an and are as at be but by for from has have in into is it its of on or that the their this to was were will with'
    .split(' ').forEach(function (w) { STOP[w] = true; });
  var foldMap = {};
  FOLD.forEach(function (p) { Array.from(p[0]).forEach(function (c) { foldMap[c] = p[1]; }); });

  function fold(s) {
    var out = '';
    for (var c of s.toLowerCase()) out += foldMap[c] !== undefined ? foldMap[c] : c;
    return out;
  }
  var SPLIT = /[^\p{L}\p{N}]+/u;
  function words(text) { return fold(text).split(SPLIT).filter(Boolean); }

  /* Porter2 (Snowball English), step for step as github.com/kljensen/snowball. */
  var SPECIAL = { skis: 'ski', skies: 'sky', dying: 'die', lying: 'lie', tying: 'tie', idly: 'idl', gently: 'gentl',
    ugly: 'ugli', early: 'earli', only: 'onli', singly: 'singl', sky: 'sky', news: 'news', howe: 'howe', atlas: 'atlas',
    cosmos: 'cosmos', bias: 'bias', andes: 'andes', inning: 'inning', innings: 'inning', outing: 'outing', outings: 'outing',
    canning: 'canning', cannings: 'canning', herring: 'herring', herrings: 'herring', earring: 'earring', earrings: 'earring',
    proceed: 'proceed', proceeds: 'proceed', proceeded: 'proceed', proceeding: 'proceed', exceed: 'exceed', exceeds: 'exceed',
    exceeded: 'exceed', exceeding: 'exceed', succeed: 'succeed', succeeds: 'succeed', succeeded: 'succeed', succeeding: 'succeed' };
  function isV(c) { return c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || c === 'y'; }
  function vnv(w, start) {
    for (var j = start + 1; j < w.length; j++) if (isV(w[j - 1]) && !isV(w[j])) return j + 1;
    return w.length;
  }
  function first(w, list) {
    for (var i = 0; i < list.length; i++) if (w.endsWith(list[i])) return list[i];
    return '';
  }
  function shortSyllable(w, i) {
    if (i === 2) return isV(w[0]) && !isV(w[1]);
    if (i >= 3) {
      var s1 = w[i - 1], s2 = w[i - 2], s3 = w[i - 3];
      return !isV(s1) && s1 !== 'w' && s1 !== 'x' && s1 !== 'Y' && isV(s2) && !isV(s3);
    }
    return false;
  }
  var STEP2 = ['ational', 'fulness', 'iveness', 'ization', 'ousness', 'biliti', 'lessli', 'tional', 'alism', 'aliti', 'ation',
    'entli', 'fulli', 'iviti', 'ousli', 'anci', 'abli', 'alli', 'ator', 'enci', 'izer', 'bli', 'ogi', 'li'];
  var STEP2R = { tional: 'tion', enci: 'ence', anci: 'ance', abli: 'able', entli: 'ent', izer: 'ize', ization: 'ize',
    ational: 'ate', ation: 'ate', ator: 'ate', alism: 'al', aliti: 'al', alli: 'al', fulness: 'ful', ousli: 'ous',
    ousness: 'ous', iveness: 'ive', iviti: 'ive', biliti: 'ble', bli: 'ble', fulli: 'ful', lessli: 'less' };
  var STEP3 = ['ational', 'tional', 'alize', 'icate', 'ative', 'iciti', 'ical', 'ful', 'ness'];
  var STEP3R = { ational: 'ate', tional: 'tion', alize: 'al', icate: 'ic', iciti: 'ic', ical: 'ic', ful: '', ness: '' };
  var STEP4 = ['ement', 'ance', 'ence', 'able', 'ible', 'ment', 'ent', 'ant', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize', 'ion', 'al', 'er', 'ic'];

  function stem(word) {
    if (!/^[a-z]+$/.test(word) || word.length <= 2) return word;
    if (SPECIAL[word]) return SPECIAL[word];
    var w = '';
    for (var i = 0; i < word.length; i++) w += word[i] === 'y' && (i === 0 || isV(word[i - 1])) ? 'Y' : word[i];
    var pre = first2(w, ['gener', 'commun', 'arsen']);
    var r1 = pre ? pre.length : vnv(w, 0);
    var r2 = vnv(w, r1);
    function set(s) { w = s; r1 = Math.min(r1, w.length); r2 = Math.min(r2, w.length); }
    function cut(n) { set(w.slice(0, w.length - n)); }
    var s;
    // Step 1a.
    s = first(w, ['sses', 'ied', 'ies', 'us', 'ss', 's']);
    if (s === 'sses') cut(2);
    else if (s === 'ied' || s === 'ies') set(w.slice(0, -3) + (w.length > 4 ? 'i' : 'ie'));
    else if (s === 's') { for (i = 0; i < w.length - 2; i++) if (isV(w[i])) { cut(1); break; } }
    // Step 1b.
    s = first(w, ['eedly', 'ingly', 'edly', 'ing', 'eed', 'ed']);
    if (s === 'eed' || s === 'eedly') {
      if (s.length <= w.length - r1) set(w.slice(0, -s.length) + 'ee');
    } else if (s) {
      var vowel = false;
      for (i = 0; i < w.length - s.length; i++) if (isV(w[i])) { vowel = true; break; }
      if (vowel) {
        var o1 = r1, o2 = r2, done = false;
        cut(s.length);
        var n = first(w, ['at', 'bl', 'iz', 'bb', 'dd', 'ff', 'gg', 'mm', 'nn', 'pp', 'rr', 'tt']);
        if (n === '') {
          if (r1 >= w.length && shortSyllable(w, w.length)) { w += 'e'; r1 = r2 = w.length; done = true; }
        } else if (n === 'at' || n === 'bl' || n === 'iz') set(w + 'e');
        else cut(1);
        if (!done) { r1 = Math.min(o1, w.length); r2 = Math.min(o2, w.length); }
      }
    }
    // Step 1c.
    var L = w.length;
    if (L > 2 && (w[L - 1] === 'y' || w[L - 1] === 'Y') && !isV(w[L - 2])) set(w.slice(0, -1) + 'i');
    // Step 2.
    s = first(w, STEP2);
    if (s && s.length <= w.length - r1) {
      L = w.length;
      if (s === 'li') { if (L >= 3 && 'cdeghkmnrt'.indexOf(w[L - 3]) >= 0) cut(2); }
      else if (s === 'ogi') { if (L >= 4 && w[L - 4] === 'l') set(w.slice(0, -3) + 'og'); }
      else set(w.slice(0, -s.length) + STEP2R[s]);
    }
    // Step 3.
    s = first(w, STEP3);
    if (s && s.length <= w.length - r1) {
      if (s === 'ative') { if (w.length - r2 >= 5) cut(5); }
      else set(w.slice(0, -s.length) + STEP3R[s]);
    }
    // Step 4.
    s = first(w, STEP4);
    if (s && s.length <= w.length - r2) {
      L = w.length;
      if (s !== 'ion') cut(s.length);
      else if (L >= 4 && (w[L - 4] === 's' || w[L - 4] === 't')) cut(3);
    }
    // Step 5.
    var last = w.length - 1;
    if (r1 <= last) {
      if (w[last] === 'e') { if (r2 <= last || !shortSyllable(w, last)) cut(1); }
      else if (r2 <= last && w[last] === 'l' && last >= 1 && w[last - 1] === 'l') cut(1);
    }
    return w.replace(/Y/g, 'y');
  }
  function first2(w, list) {
    for (var i = 0; i < list.length; i++) if (w.startsWith(list[i])) return list[i];
    return '';
  }

  /* tokens mirrors Tokens in text.go: index terms with positions. */
  function tokens(text) {
    var out = [];
    words(text).forEach(function (w, i) { if (!STOP[w]) out.push({ term: stem(w), pos: i }); });
    return out;
  }

  /* parse splits a query into words (the last one a prefix unless followed
     by a space) and phrases in double quotes. */
  function parse(q) {
    var out = { words: [], phrases: [] };
    var parts = q.replace(/[“”]/g, '"').split('"');
    parts.forEach(function (part, i) {
      var ws = words(part);
      if (i % 2 === 1 && ws.length > 1) {
        var ph = [];
        ws.forEach(function (w, j) { if (!STOP[w]) ph.push({ term: stem(w), off: j }); });
        if (ph.length) out.phrases.push(ph);
        return;
      }
      ws.forEach(function (w) { out.words.push({ raw: w, term: stem(w) }); });
    });
    var lastPart = parts[parts.length - 1];
    var n = out.words.length;
    if (n && parts.length % 2 === 1 && /[\p{L}\p{N}]$/u.test(lastPart)) out.words[n - 1].prefix = true;
    // Stop words are not in the index; one being typed may start a word.
    out.words = out.words.filter(function (w) { return w.prefix || !STOP[w.raw]; });
    return out;
  }

  /* within1 reports whether a and b are at most one edit apart (insertion,
     deletion, substitution or swap of neighbours). */
  function within1(a, b) {
    if (a === b) return true;
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  /* near reports whether the index term t is one edit from the query word
     w: from its stem, from the word, or from the start of the word, since
     a stem is often the word cut short ("wellbieng" for "wellb"). */
  function near(w, t) {
    if (within1(w.term, t) || within1(w.raw, t)) return true;
    if (t.length < 5 || w.raw.length - t.length > 4) return false;
    for (var l = t.length - 1; l <= t.length + 1; l++) if (l <= w.raw.length && within1(w.raw.slice(0, l), t)) return true;
    return false;
  }

  /* varints decodes a string of numbers written by appendVarint in
     index.go: five bits a character, lowest first; a character from the
     second half of DIGITS says more follow. */
  var DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var DV = new Int8Array(128);
  for (var di = 0; di < 64; di++) DV[DIGITS.charCodeAt(di)] = di;
  function varints(s) {
    var out = [], x = 0, mul = 1;
    for (var i = 0; i < s.length; i++) {
      var d = DV[s.charCodeAt(i) & 127];
      if (d >= 32) { x += (d - 32) * mul; mul *= 32; } else { out.push(x + d * mul); x = 0; mul = 1; }
    }
    return out;
  }
  var LEVELS = 16;

  /* Engine answers queries; load(path) returns a promise of the parsed
     JSON file at path, relative to the index's directory. */
  function Engine(manifest, load) {
    this.m = manifest;
    this.load = load;
    this.shards = {};
    this.terms = {};
    this.pterms = {};
    this.postings = {};
    this.positions = {};
    this.docs = {};
    var n = manifest.n;
    this.facets = manifest.facets.map(function (f) {
      var byDoc = new Array(n);
      var values = f.values.map(function (v, vi) {
        var d = -1;
        var docs = varints(v[2]).map(function (gap) { d += gap + 1; (byDoc[d] = byDoc[d] || []).push(vi); return d; });
        return { id: v[0], label: v[1], docs: docs };
      });
      return { key: f.key, name: f.name, values: values, byDoc: byDoc };
    });
    this.dates = {};
    var dates = this.dates;
    var ds = varints(manifest.dates), doc = -1;
    for (var i = 0; i < ds.length; i += 2 + ds[i + 1]) { doc += ds[i] + 1; dates[doc] = ds.slice(i + 2, i + 2 + ds[i + 1]); }
  }

  /* shardsFor lists the files holding terms that start with c: postings
     (k = 1) or positions (k = 2). */
  Engine.prototype.shardsFor = function (c, k) {
    var t = this.m.terms, out = [];
    for (var i = 0; i < t.length; i++) {
      var lo = t[i][0], hi = i + 1 < t.length ? t[i + 1][0] : null;
      if ((lo <= c || lo.startsWith(c)) && (hi === null || hi > c)) out.push(t[i][k]);
    }
    return out;
  };

  /* shardOf names the file that would hold the term t itself. */
  Engine.prototype.shardOf = function (t, k) {
    var ts = this.m.terms, f = null;
    for (var i = 0; i < ts.length && ts[i][0] <= t; i++) f = ts[i][k];
    return f ? [f] : [];
  };

  Engine.prototype.ensureShards = function (files) {
    var self = this;
    return Promise.all(files.map(function (f) {
      if (!self.shards[f]) {
        self.shards[f] = self.load(f).then(function (terms) {
          var into = f.charAt(0) === 'p' ? self.pterms : self.terms;
          for (var k in terms) into[k] = terms[k];
        });
      }
      return self.shards[f];
    }));
  };

  /* posts decodes a term's postings: {docs, w}, its documents in order
     and the weight (1 to LEVELS) of the term in each. */
  Engine.prototype.posts = function (term) {
    if (this.postings[term]) return this.postings[term];
    var xs = varints(this.terms[term] || ''), docs = new Int32Array(xs.length), w = new Uint8Array(xs.length), doc = -1;
    for (var i = 0; i < xs.length; i++) {
      doc += Math.floor(xs[i] / LEVELS) + 1;
      docs[i] = doc;
      w[i] = xs[i] % LEVELS + 1;
    }
    return (this.postings[term] = { docs: docs, w: w });
  };

  /* where decodes a term's positions: doc -> [position, ...], the first
     few in each document. */
  Engine.prototype.where = function (term) {
    if (this.positions[term]) return this.positions[term];
    var out = new Map(), docs = this.posts(term).docs;
    var p = varints(this.pterms[term] || ''), i = 0;
    docs.forEach(function (doc) {
      var n = p[i++], pos = [], at = 0;
      for (var k = 0; k < n; k++) { at += p[i++]; pos.push(at); }
      out.set(doc, pos);
    });
    this.positions[term] = out;
    return out;
  };

  Engine.prototype.idf = function (term) {
    var df = this.posts(term).docs.length, n = this.m.n;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };

  /* expand lists the index terms a query word stands for, each with a
     factor: 1 for the word itself, less for prefixes and typos. */
  Engine.prototype.expand = function (w) {
    var out = new Map();
    function put(t, f) { if (!(out.get(t) >= f)) out.set(t, f); }
    if (this.terms[w.term]) put(w.term, 1);
    if (this.terms[w.raw]) put(w.raw, 1);
    // Typos are looked for only when the word itself is not in the index,
    // so that "finance" does not find "final".
    var fuzzy = w.raw.length >= 5 && out.size === 0;
    if (!w.prefix && !fuzzy) return out;
    for (var t in this.terms) {
      if (t[0] !== w.raw[0]) continue;
      if (w.prefix && t.startsWith(w.raw)) put(t, 0.9);
      else if (w.prefix && t.length >= 4 && w.raw.startsWith(t)) put(t, 0.8);
      else if (fuzzy && near(w, t)) put(t, 0.6);
    }
    return out;
  };

  /* run answers a query: q is the text typed, sel maps facet keys to
     selected value ids, from and to bound dates (days since 1970, or null).
     It resolves to {results: [{doc, score}], counts, partial, terms}. */
  Engine.prototype.run = function (q, sel, from, to) {
    var self = this, p = parse(q || '');
    var letters = {};
    p.words.forEach(function (w) { letters[w.raw[0]] = true; });
    var files = [];
    Object.keys(letters).forEach(function (c) { files = files.concat(self.shardsFor(c, 1)); });
    // A phrase's words match exactly, so only their own shards are needed.
    p.phrases.forEach(function (ph) {
      ph.forEach(function (t) { files = files.concat(self.shardOf(t.term, 1), self.shardOf(t.term, 2)); });
    });
    return this.ensureShards(files).then(function () { return self.score(p, sel || {}, from, to); });
  };

  Engine.prototype.score = function (p, sel, from, to) {
    var self = this, n = this.m.n, matched = new Set();
    // Each word's and phrase's score per document, 0 where it is absent.
    var perWord = p.words.map(function (w) {
      var scores = new Float64Array(n);
      self.expand(w).forEach(function (factor, t) {
        matched.add(t);
        var idf = self.idf(t) * factor, ps = self.posts(t);
        for (var i = 0; i < ps.docs.length; i++) {
          var s = idf * ps.w[i];
          if (s > scores[ps.docs[i]]) scores[ps.docs[i]] = s;
        }
      });
      return scores;
    });
    p.phrases.forEach(function (ph) {
      var scores = new Float64Array(n);
      ph.forEach(function (x) { matched.add(x.term); });
      var lists = ph.map(function (x) {
        var ps = self.posts(x.term), m = new Map();
        for (var i = 0; i < ps.docs.length; i++) m.set(ps.docs[i], ps.w[i]);
        return m;
      });
      var where = ph.map(function (x) { return self.where(x.term); });
      lists[0].forEach(function (w, doc) {
        for (var k = 1; k < lists.length; k++) if (!lists[k].has(doc)) return;
        var ok = where[0].get(doc).some(function (start) {
          var base = start - ph[0].off;
          return ph.every(function (x, k) { return where[k].get(doc).indexOf(base + x.off) >= 0; });
        });
        if (!ok) return;
        var s = 0;
        ph.forEach(function (x, k) { s += self.idf(x.term) * lists[k].get(doc) * 1.5; });
        scores[doc] = s;
      });
      perWord.push(scores);
    });
    var partial = false, total = null;
    if (perWord.length) {
      total = combine(perWord, true, n);
      if (!total.size && perWord.length > 1) { total = combine(perWord, false, n); partial = total.size > 0; }
    }
    // masks[fi] marks the documents with a chosen value of facet fi; null
    // when none of its values is chosen.
    var nf = this.facets.length;
    var masks = this.facets.map(function (f) {
      var s = sel[f.key];
      if (!s || !s.length) return null;
      var mask = new Uint8Array(n);
      f.values.forEach(function (v) { if (s.indexOf(v.id) >= 0) v.docs.forEach(function (d) { mask[d] = 1; }); });
      return mask;
    });
    var ranged = from != null || to != null;
    var counts = this.facets.map(function (f) { return new Int32Array(f.values.length); });
    var results = [];
    for (var doc = 0; doc < n; doc++) {
      if (total && !(total[doc] > 0)) continue;
      if (ranged) {
        var ds = this.dates[doc], hit = false;
        if (ds) for (var k = 0; k < ds.length; k++) if ((from == null || ds[k] >= from) && (to == null || ds[k] <= to)) { hit = true; break; }
        if (!hit) continue;
      }
      var fails = -1, nfail = 0, fi;
      for (fi = 0; fi < nf; fi++) if (masks[fi] && !masks[fi][doc]) { fails = fi; if (++nfail > 1) break; }
      if (nfail > 1) continue;
      // A value's count is how many results there would be with it chosen
      // too: the other facets' choices apply, its own facet's do not.
      for (fi = 0; fi < nf; fi++) {
        if (nfail === 1 && fi !== fails) continue;
        var vs = this.facets[fi].byDoc[doc];
        if (vs) for (k = 0; k < vs.length; k++) counts[fi][vs[k]]++;
      }
      if (nfail === 0) results.push({ doc: doc, score: total ? total[doc] : 0 });
    }
    results.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return { results: results, counts: counts.map(function (c) { return Array.from(c); }), partial: partial, terms: matched };
  };

  /* combine adds up the words' scores: a document needs every word (all)
     or any. The result's size is how many documents have a score. */
  function combine(perWord, all, n) {
    var out = new Float64Array(n), size = 0;
    for (var doc = 0; doc < n; doc++) {
      var sum = 0, missing = false;
      for (var i = 0; i < perWord.length; i++) {
        var s = perWord[i][doc];
        if (s > 0) sum += s; else missing = true;
      }
      if (sum > 0 && !(all && missing)) { out[doc] = sum; size++; }
    }
    out.size = size;
    return out;
  }

  /* doc resolves to document i: [title, url, section, sub, summary]. */
  Engine.prototype.doc = function (i) {
    var f = this.m.docs[Math.floor(i / this.m.chunk)];
    if (!this.docs[f]) this.docs[f] = this.load(f);
    var chunk = this.m.chunk;
    return this.docs[f].then(function (list) { return list[i % chunk]; });
  };

  var api = { fold: fold, words: words, stem: stem, tokens: tokens, parse: parse, within1: within1, Engine: Engine };
  if (typeof module === 'object' && module.exports) { module.exports = api; return; }
  if (root.document) root.document.addEventListener('DOMContentLoaded', function () { ui(root.document, api); });

  /* ui runs the search page: the form, the filters, the results. */
  function ui(document, api) {
    var app = document.getElementById('search-app');
    if (!app) return;
    var form = document.getElementById('search-form');
    var input = document.getElementById('search-q');
    var status = document.getElementById('search-status');
    var list = document.getElementById('search-results');
    var more = document.getElementById('search-more');
    var filters = document.getElementById('search-filters');
    var nojs = document.getElementById('search-nojs');
    var indexURL = app.getAttribute('data-index');
    var dir = indexURL.slice(0, indexURL.lastIndexOf('/') + 1);
    var sectionNames = {};
    var PAGE = 10, shown = PAGE, engine, seq = 0, last;

    function load(path) { return fetch(dir + path).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); }); }
    function day(s) { var t = Date.parse(s + 'T00:00:00Z'); return isNaN(t) ? null : Math.floor(t / 864e5); }
    function el(tag, attrs, text) {
      var e = document.createElement(tag);
      for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
      if (text != null) e.textContent = text;
      return e;
    }

    function state() {
      var sel = {};
      filters.querySelectorAll('input[type=checkbox]:checked').forEach(function (c) { (sel[c.name] = sel[c.name] || []).push(c.value); });
      return { q: input.value, sel: sel, from: filters.querySelector('#search-from').value, to: filters.querySelector('#search-to').value };
    }
    function writeURL(st) {
      var ps = new URLSearchParams();
      if (st.q.trim()) ps.append('q', st.q.trim());
      Object.keys(st.sel).forEach(function (k) { st.sel[k].forEach(function (v) { ps.append(k, v); }); });
      if (st.from) ps.append('from', st.from);
      if (st.to) ps.append('to', st.to);
      var s = ps.toString();
      history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
    }

    function buildFilters(params) {
      engine.facets.forEach(function (f) {
        if (f.key === 'section') f.values.forEach(function (v) { sectionNames[v.id] = v.label; });
        var fs = el('fieldset', { class: 'search-facet', 'data-key': f.key });
        fs.appendChild(el('legend', null, f.name));
        var ul = el('ul');
        f.values.forEach(function (v, vi) {
          var id = 'f-' + f.key + '-' + v.id;
          var li = el('li', { class: 'search-option' });
          var cb = el('input', { type: 'checkbox', id: id, name: f.key, value: v.id });
          if (params.getAll(f.key).indexOf(v.id) >= 0) cb.checked = true;
          var label = el('label', { for: id }, v.label + ' ');
          label.appendChild(el('span', { class: 'count', 'data-count': vi }));
          li.appendChild(cb);
          li.appendChild(label);
          ul.appendChild(li);
        });
        fs.appendChild(ul);
        filters.appendChild(fs);
      });
      var dates = el('fieldset', { class: 'search-facet search-dates' });
      dates.appendChild(el('legend', null, 'Training between'));
      [['from', 'From'], ['to', 'To']].forEach(function (x) {
        dates.appendChild(el('label', { for: 'search-' + x[0] }, x[1]));
        var inp = el('input', { type: 'date', id: 'search-' + x[0], name: x[0] });
        inp.value = params.get(x[0]) || '';
        dates.appendChild(inp);
      });
      filters.appendChild(dates);
    }

    function renderCounts(counts) {
      engine.facets.forEach(function (f, fi) {
        var fs = filters.querySelector('[data-key="' + f.key + '"]');
        var any = false;
        f.values.forEach(function (v, vi) {
          var li = fs.querySelectorAll('.search-option')[vi];
          var c = counts[fi][vi], checked = li.querySelector('input').checked;
          li.querySelector('.count').textContent = '(' + c + ')';
          li.hidden = c === 0 && !checked;
          any = any || !li.hidden;
        });
        fs.hidden = !any;
      });
    }

    function highlight(parent, text, terms) {
      var re = /[\p{L}\p{N}'’]+/gu, at = 0, m;
      while ((m = re.exec(text))) {
        var w = words(m[0])[0];
        var hit = w && (terms.has(stem(w)) || terms.has(w));
        if (!hit) continue;
        parent.appendChild(document.createTextNode(text.slice(at, m.index)));
        parent.appendChild(el('mark', null, m[0]));
        at = m.index + m[0].length;
      }
      parent.appendChild(document.createTextNode(text.slice(at)));
    }

    function renderResults(res, st, mine) {
      var page = res.results.slice(0, shown);
      return Promise.all(page.map(function (r) { return engine.doc(r.doc); })).then(function (docs) {
        if (mine !== seq) return;
        list.textContent = '';
        docs.forEach(function (d) {
          var li = el('li', { class: 'search-result' });
          var h = el('h2', { class: 'search-result-title' });
          var a = el('a', { href: d[1].charAt(0) === '/' ? app.getAttribute('data-base') + d[1].slice(1) : d[1] });
          highlight(a, d[0], res.terms);
          h.appendChild(a);
          li.appendChild(h);
          li.appendChild(el('p', { class: 'search-result-type meta' }, (sectionNames[d[2]] || d[2]) + (d[3] ? ' · ' + d[3] : '')));
          if (d[4]) { var p = el('p', { class: 'search-result-snippet' }); highlight(p, d[4], res.terms); li.appendChild(p); }
          list.appendChild(li);
        });
        more.hidden = res.results.length <= shown;
        var n = res.results.length;
        var msg = n === 1 ? '1 result' : n + ' results';
        if (st.q.trim()) msg += ' for “' + st.q.trim() + '”';
        if (res.partial) msg += ', matching some of your words';
        status.textContent = n === 0 ? 'No results' + (st.q.trim() ? ' for “' + st.q.trim() + '”' : '') + '. Try fewer words or fewer filters.' : msg + '.';
      });
    }

    function update(keepShown) {
      var st = state(), mine = ++seq;
      if (!keepShown) shown = PAGE;
      writeURL(st);
      return engine.run(st.q, st.sel, st.from ? day(st.from) : null, st.to ? day(st.to) : null).then(function (res) {
        if (mine !== seq) return;
        last = res;
        renderCounts(res.counts);
        return renderResults(res, st, mine);
      });
    }

    var timer;
    input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(function () { update(); }, 120); });
    form.addEventListener('submit', function (e) { e.preventDefault(); clearTimeout(timer); update(); });
    filters.addEventListener('change', function () { update(); });
    more.addEventListener('click', function () {
      var first = shown;
      shown += PAGE;
      renderResults(last, state(), seq).then(function () {
        var a = list.querySelectorAll('.search-result a')[first];
        if (a) a.focus();
      });
    });
    // Arrow keys move between the search box and the results' links.
    app.parentNode.addEventListener('keydown', function (e) {
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      var links = Array.prototype.slice.call(list.querySelectorAll('.search-result a'));
      var i = links.indexOf(document.activeElement);
      if (document.activeElement === input && e.key === 'ArrowDown' && links.length) { e.preventDefault(); links[0].focus(); return; }
      if (i < 0) return;
      e.preventDefault();
      if (e.key === 'ArrowDown' && i + 1 < links.length) links[i + 1].focus();
      else if (e.key === 'ArrowUp') (i > 0 ? links[i - 1] : input).focus();
    });

    var params = new URLSearchParams(location.search);
    input.value = params.get('q') || '';
    status.textContent = 'Loading the search index…';
    app.hidden = false;
    if (nojs) nojs.hidden = true;
    load('index.json').then(function (m) {
      engine = new api.Engine(m, load);
      buildFilters(params);
      return update();
    }).catch(function () {
      status.textContent = 'Search is not available just now. Browse the supporter directory or the networks instead.';
      if (nojs) nojs.hidden = false;
    });
  }
})(typeof window === 'undefined' ? this : window);
