/* Peerpress search: queries the index that `generator build` writes to
   search/ (see generator/internal/search). Words are folded, stemmed and
   weighted exactly as at build time; the Go tests run this file under node
   to keep the two the same. In a browser it runs the search page; under
   node it exports the engine for those tests. */
(function (root) {
  'use strict';

  /* FOLD and STOP must equal textfold.Table and search/text.go's stopWords. */
  var FOLD = [['àáâãäåāăą', 'a'], ['çćĉċč', 'c'], ['ďđ', 'd'], ['èéêëēĕėęě', 'e'],
    ['ĝğġģ', 'g'], ['ĥħ', 'h'], ['ìíîïĩīĭįı', 'i'], ['ĵ', 'j'], ['ķ', 'k'],
    ['ĺļľŀł', 'l'], ['ñńņňŉ', 'n'], ['òóôõöøōŏő', 'o'], ['ŕŗř', 'r'],
    ['śŝşšș', 's'], ['ţťŧț', 't'], ['ùúûüũūŭůűų', 'u'], ['ŵ', 'w'],
    ['ýÿŷ', 'y'], ['źżž', 'z'], ['ß', 'ss'], ['æ', 'ae'], ['œ', 'oe'],
    ['þ', 'th'], ['ð', 'd'], ["'", ''], ['’', ''], ['ʼ', '']];
  /* STOP numbers each stop word, from 1, as stopWords does. */
  var STOP = {};
  'a an and are as at be but by for from has have in into is it its of on or that the their this to was were will with'
    .split(' ').forEach(function (w, i) { STOP[w] = i + 1; });
  /* A stop run is the stop words between two words of a phrase as a number,
     each stop word's in five bits, as addStop makes it: up to MAXRUN of
     them, or -1, which matches nothing, for more. */
  var MAXRUN = 3;
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
     by a space) and phrases in double quotes. A phrase's words have their
     term, offset and the stop run before them; stop words before its first
     word or after its last are left out. */
  function parse(q) {
    var out = { words: [], phrases: [] };
    var parts = q.replace(/[“”]/g, '"').split('"');
    parts.forEach(function (part, i) {
      var ws = words(part);
      if (i % 2 === 1 && ws.length > 1) {
        var ph = [], run = 0, runN = 0;
        ws.forEach(function (w, j) {
          if (STOP[w]) { run = runN >= MAXRUN ? -1 : run + STOP[w] * Math.pow(32, runN); runN++; return; }
          ph.push({ term: stem(w), off: j, run: ph.length ? run : 0 });
          run = runN = 0;
        });
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

  /* Numbers are written by appendVarint in index.go: five bits a digit,
     lowest first; a digit from the second half of DIGITS says more follow.
     A Reader reads them from a string or from bytes. */
  var DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var DV = new Int8Array(128);
  for (var di = 0; di < 64; di++) DV[DIGITS.charCodeAt(di)] = di;
  function Reader(src, i) { this.s = src; this.i = i || 0; this.str = typeof src === 'string'; }
  Reader.prototype.more = function () { return this.i < this.s.length; };
  Reader.prototype.next = function () {
    var x = 0, mul = 1;
    for (;;) {
      var d = DV[(this.str ? this.s.charCodeAt(this.i++) : this.s[this.i++]) & 127];
      if (d < 32) return x + d * mul;
      x += (d - 32) * mul;
      mul *= 32;
    }
  };
  function varints(src) { var r = new Reader(src), out = []; while (r.more()) out.push(r.next()); return out; }
  var LEVELS = 16, MAXWORDS = 48 << 10, GAP = 512, TABLE = 9, UNIT = 16;

  /* postings decodes gap-encoded postings: {docs, w}, the documents in
     order and the term's weight (1 to LEVELS) in each. */
  function postings(src, at, full) {
    var r = new Reader(src, at), docs = [], w = [], doc = -1;
    while (r.more()) { var x = r.next(); doc += Math.floor(x / LEVELS) + 1; docs.push(doc); w.push(x % LEVELS + 1); }
    return { docs: docs, w: w, full: full };
  }

  /* Engine answers queries from the index in tiers. io.json(path) resolves
     to the parsed JSON file at path, relative to the index's directory;
     io.bytes(path, from, to) to its bytes [from, to) as a Uint8Array. */
  function Engine(manifest, io) {
    this.m = manifest;
    this.io = io;
    this.k = manifest.k;
    this.files = {};
    this.terms = new Map();
    this.full = new Map();
    this.where = new Map();
    this.pairs = new Map();
    this.dirs = new Map();
    this.facets = manifest.defs.map(function (f) {
      return { key: f.key, name: f.name, values: f.values.map(function (v) {
        // A value without a label is labelled by its id (see defaultLabel).
        return { id: v[0], label: v.length > 1 ? v[1] : v[0].charAt(0).toUpperCase() + v[0].slice(1).replace(/-/g, ' '), docs: [] };
      }) };
    });
    this.dates = {};
  }

  /* once loads a file once: the head files, the record lengths and the
     facets, which are fetched whole. */
  Engine.prototype.once = function (f, use) {
    var self = this;
    if (!this.files[f]) this.files[f] = this.io.json(f).then(function (x) { use.call(self, x); });
    return this.files[f];
  };

  /* head reads a head file: the offsets of its first term's postings and
     positions, its first term's number, then a string of each term and its
     entry, separated by spaces: document frequency, length of full
     postings (if more than k), length of positions, best k. A term whose
     positions are longer than the manifest's pm is common: each pair of
     words of which one is common has a pair list, found by the first
     term's number, ti. */
  Engine.prototype.head = function (h) {
    var post = h[0], pos = h[1], ti = h[2], te = h[3].split(' ');
    for (var i = 0; i < te.length; i += 2) {
      var r = new Reader(te[i + 1]), df = r.next(), e = { df: df, post: post, pos: pos, postLen: 0 };
      if (df > this.k) { e.postLen = r.next(); post += e.postLen; }
      e.posLen = r.next();
      pos += e.posLen;
      e.ti = ti++;
      e.common = !!this.m.pairs && e.posLen > this.m.pm;
      e.top = r.i;
      e.src = te[i + 1];
      this.terms.set(te[i], e);
    }
  };

  Engine.prototype.lens = function (s) {
    var r = new Reader(s), off = [], at = 0;
    while (r.more()) { var n = r.next() * UNIT; off.push(at, n); at += n; }
    this.recs = off;
  };

  /* facetData reads the facets file. Each facet's values by document are
     kept as flat arrays: document d's are vals[at[d]] to vals[at[d+1]-1]. */
  Engine.prototype.facetData = function (ff) {
    var n = this.m.n;
    this.facets.forEach(function (f, fi) {
      var at = new Int32Array(n + 1), total = 0;
      f.values.forEach(function (v, vi) {
        var d = -1;
        v.docs = varints(ff.values[fi][vi]).map(function (gap) { d += gap + 1; at[d + 1]++; return d; });
        total += v.docs.length;
      });
      for (var d = 0; d < n; d++) at[d + 1] += at[d];
      var vals = new Int32Array(total), fill = at.slice(0, n);
      f.values.forEach(function (v, vi) { v.docs.forEach(function (d) { vals[fill[d]++] = vi; }); });
      f.at = at;
      f.vals = vals;
    });
    var ds = varints(ff.dates), doc = -1;
    for (var i = 0; i < ds.length; i += 2 + ds[i + 1]) { doc += ds[i] + 1; this.dates[doc] = ds.slice(i + 2, i + 2 + ds[i + 1]); }
    this.facetsReady = true;
  };

  /* headsFor names the head files that may hold terms starting with p,
     or, with exact, the one that would hold the term p itself. */
  Engine.prototype.headsFor = function (p, exact) {
    var h = this.m.heads, out = [];
    for (var i = 0; i < h.length; i++) {
      var lo = h[i][0], hi = i + 1 < h.length ? h[i + 1][0] : null;
      if (exact ? lo <= p && (hi === null || hi > p) : (lo <= p || lo.startsWith(p)) && (hi === null || hi > p)) out.push(h[i][1]);
    }
    return out;
  };

  /* ranges fetches byte ranges [off, off+len) of a kind of file (posts,
     pos or docs) as one request per run of near ranges in one file. */
  Engine.prototype.ranges = function (kind, reqs) {
    var chunks = this.m[kind], self = this, runs = [];
    reqs = reqs.map(function (r, i) {
      var c = 0;
      while (c + 1 < chunks.length && chunks[c + 1][0] <= r[0]) c++;
      return { c: c, from: r[0] - chunks[c][0], to: r[0] - chunks[c][0] + r[1], i: i };
    }).sort(function (a, b) { return a.c - b.c || a.from - b.from; });
    reqs.forEach(function (r) {
      var run = runs[runs.length - 1];
      if (run && run.c === r.c && r.from <= run.to + GAP) { run.to = Math.max(run.to, r.to); run.reqs.push(r); } else runs.push({ c: r.c, from: r.from, to: r.to, reqs: [r] });
    });
    var out = new Array(reqs.length);
    return Promise.all(runs.map(function (run) {
      return self.io.bytes(chunks[run.c][1], run.from, run.to).then(function (b) {
        run.reqs.forEach(function (r) { out[r.i] = b.subarray(r.from - run.from, r.to - run.from); });
      });
    })).then(function () { return out; });
  };

  /* fetchPostings loads the full postings of terms that have more than
     k, and with pos their positions too. */
  Engine.prototype.fetchPostings = function (terms, pos) {
    var self = this, want = [], wantPos = [];
    terms.forEach(function (t) {
      var e = self.terms.get(t);
      if (!e) return;
      if (!self.full.has(t) && e.postLen) want.push(t);
      if (pos && !self.where.has(t)) wantPos.push(t);
    });
    var a = this.ranges('posts', want.map(function (t) { var e = self.terms.get(t); return [e.post, e.postLen]; })).then(function (bs) {
      bs.forEach(function (b, i) { self.full.set(want[i], postings(b, 0, true)); });
    });
    var b = this.ranges('pos', wantPos.map(function (t) { var e = self.terms.get(t); return [e.pos, e.posLen]; }));
    return Promise.all([a, b]).then(function (r) {
      r[1].forEach(function (bytes, i) {
        // A document's positions: their number, then each as the gap
        // from the one before times two, plus one if the stop run before
        // it follows (see appendPosition).
        var t = wantPos[i], docs = self.posts(t).docs, rd = new Reader(bytes), m = new Map();
        docs.forEach(function (doc) {
          var n = rd.next(), at = 0, ps = [], runs = [];
          for (var k = 0; k < n; k++) {
            var x = rd.next();
            at += Math.floor(x / 2);
            ps.push(at);
            runs.push(x % 2 ? rd.next() : 0);
          }
          m.set(doc, { ps: ps, runs: runs });
        });
        self.where.set(t, m);
      });
    });
  };

  /* paired reports whether the words k-1 and k of phrase ph, the first
     followed by the second with only its stop run between, have a pair
     list, which answers them without positions: when one is common (see
     search/pairs.go). */
  Engine.prototype.paired = function (ph, k) {
    var a = this.terms.get(ph[k - 1].term), b = this.terms.get(ph[k].term);
    return !!(a && b && (a.common || b.common));
  };

  /* pairKey names the pair list of the words k-1 and k of phrase ph. */
  function pairKey(ph, k) { return ph[k - 1].term + ' ' + ph[k].run + ' ' + ph[k].term; }

  /* fetchPairs loads the pair lists of phrase ph. A pair is listed in its
     first word's section, unless only that word is common, when it is in
     its second's. For each section, its entry in the pairs' table (where
     it starts and the length of its directory, in fixed digits) and its
     directory: for each pair, the other word's number and the stop run,
     and the length of its list; first the pairs the section's word is
     first of, then, after a 0, those it is second of. Then the list. A
     list is kept as a map from each page to the pair's occurrences in it,
     each the first word's number among its kept positions times 4 plus
     the second's. */
  Engine.prototype.fetchPairs = function (ph) {
    var self = this;
    return Promise.all(ph.slice(1).map(function (x, i) {
      var k = i + 1, key = pairKey(ph, k);
      if (self.pairs.has(key) || !self.paired(ph, k)) return null;
      var a = self.terms.get(ph[i].term), b = self.terms.get(x.term);
      var owner = a.common && !b.common ? x.term : ph[i].term;
      var entry = owner === x.term ? '1 ' + a.ti + ' ' + x.run : '0 ' + b.ti + ' ' + x.run;
      return self.dir(owner).then(function (dir) {
        var at = dir.get(entry);
        return at ? self.ranges('pairs', [at]).then(function (bs) { return varints(bs[0]); }) : [];
      }).then(function (xs) {
        var docs = new Map(), d = -1;
        xs.forEach(function (v) {
          d += Math.floor(v / 16);
          if (!docs.has(d)) docs.set(d, []);
          docs.get(d).push(v % 16);
        });
        self.pairs.set(key, docs);
      });
    }));
  };

  /* dir resolves to the directory of term t's section, as a map from
     "0 or 1, the other word's number, the stop run" to the list's bytes. */
  Engine.prototype.dir = function (t) {
    var self = this;
    if (!this.dirs.has(t)) {
      this.dirs.set(t, this.ranges('pairs', [[TABLE * this.terms.get(t).ti, TABLE]]).then(function (bs) {
        var x = [0, 0];
        for (var i = 0; i < TABLE; i++) x[i < 5 ? 0 : 1] = x[i < 5 ? 0 : 1] * 64 + DV[bs[0][i]];
        return self.ranges('pairs', [x]).then(function (bs) {
          var r = new Reader(bs[0]), dir = new Map(), at = x[0] + x[1], c = -1, second = 0;
          while (r.more()) {
            var g = r.next();
            if (g === 0) { second = 1; c = -1; continue; }
            var run = g % 2 ? r.next() : 0, n = r.next();
            c += Math.floor(g / 2);
            dir.set(second + ' ' + c + ' ' + run, [at, n]);
            at += n;
          }
          return dir;
        });
      }));
    }
    return this.dirs.get(t);
  };

  /* has reports whether page doc has phrase ph: whether a chain of
     occurrences of its words, each kept among its word's first positions,
     follow one another with the phrase's stop runs between. Each pair of
     words is found in its pair list or, where it has none, by the words'
     positions; pairs share the occurrence of the word they share. */
  Engine.prototype.has = function (ph, doc) {
    var at = null;
    for (var k = 1; k < ph.length; k++) {
      var occ = this.paired(ph, k) ? this.pairs.get(pairKey(ph, k)).get(doc) : this.placed(ph, k, doc);
      if (!occ) return false;
      var next = [];
      occ.forEach(function (o) { if (at === null || at.indexOf(o >> 2) >= 0) next.push(o & 3); });
      if (!next.length) return false;
      at = next;
    }
    return true;
  };

  /* placed finds the words k-1 and k of phrase ph in page doc by their
     kept positions and the stop runs before them: each time, as a pair
     list has it, the first's number among its positions times 4 plus the
     second's. */
  Engine.prototype.placed = function (ph, k, doc) {
    var a = this.where.get(ph[k - 1].term).get(doc), b = this.where.get(ph[k].term).get(doc);
    var gap = ph[k].off - ph[k - 1].off, out = [];
    a.ps.forEach(function (p, i) {
      var j = b.ps.indexOf(p + gap);
      if (j >= 0 && b.runs[j] === ph[k].run) out.push(i * 4 + j);
    });
    return out;
  };

  /* posts is a term's postings: all of them when loaded or when the head
     holds them all, otherwise the head's best k (full is false). */
  Engine.prototype.posts = function (t) {
    var e = this.terms.get(t);
    if (!e) return { docs: [], w: [], full: true };
    if (this.full.has(t)) return this.full.get(t);
    var p = postings(e.src, e.top, !e.postLen);
    if (p.full) this.full.set(t, p);
    return p;
  };

  Engine.prototype.idf = function (t) {
    var e = this.terms.get(t), df = e ? e.df : 0, n = this.m.n;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };

  /* expand lists the index terms a query word stands for, each with a
     factor: 1 for the word itself, less for prefixes and typos. Only the
     terms of the head files loaded are looked at. */
  Engine.prototype.expand = function (w) {
    var out = new Map();
    function put(t, f) { if (!(out.get(t) >= f)) out.set(t, f); }
    if (this.terms.has(w.term)) put(w.term, 1);
    if (this.terms.has(w.raw)) put(w.raw, 1);
    // Typos are looked for only when the word itself is not in the index,
    // so that "finance" does not find "final".
    var fuzzy = fuzzyWord(w) && out.size === 0, prefix = w.prefix && w.raw.length > 1;
    if (!prefix && !fuzzy) return out;
    this.terms.forEach(function (e, t) {
      if (t[0] !== w.raw[0]) return;
      if (prefix && t.startsWith(w.raw)) put(t, 0.9);
      else if (prefix && t.length >= 4 && w.raw.startsWith(t)) put(t, 0.8);
      else if (fuzzy && near(w, t)) put(t, 0.6);
    });
    return out;
  };
  function fuzzyWord(w) { return w.raw.length >= 5; }

  /* quick answers a query from the first tier: the head files for its
     words, whose best k documents per term give the first page, and the
     full postings of words typed in full when there are several. It
     resolves as run does, with exact false where the full index may find
     or rank otherwise, and counts null (complete false) until the facets
     are loaded, which it does only for filters or browsing. */
  Engine.prototype.quick = function (q, sel, from, to) { return this.answer(q, sel, from, to, false); };

  /* run answers a query from the full index: q is the text typed, sel
     maps facet keys to chosen value ids, from and to bound dates (days
     since 1970, or null). It resolves to {results: [{doc, score}], counts,
     partial, terms, exact, complete}. */
  Engine.prototype.run = function (q, sel, from, to) { return this.answer(q, sel, from, to, true); };

  Engine.prototype.answer = function (q, sel, from, to, all) {
    var self = this, p = parse(q || ''), files = [];
    sel = sel || {};
    var filtered = from != null || to != null || !p.words.length && !p.phrases.length ||
      Object.keys(sel).some(function (k) { return sel[k] && sel[k].length; });
    var loads = [this.once(this.m.lens, this.lens)];
    if (all || filtered) loads.push(this.once(this.m.facets, this.facetData));
    p.words.forEach(function (w) { files = files.concat(self.headsFor(w.term, true), self.headsFor(w.raw, true)); });
    p.phrases.forEach(function (ph) { ph.forEach(function (x) { files = files.concat(self.headsFor(x.term, true)); }); });
    var heads = function (fs) { return Promise.all(fs.map(function (f) { return self.once(f, self.head); })); };
    return Promise.all(loads.concat(heads(files))).then(function () {
      // A typo may be in the second letter: the full tier looks at every
      // term with the word's first letter.
      var more = [];
      if (all) p.words.forEach(function (w) { if (fuzzyWord(w) && !self.terms.has(w.term) && !self.terms.has(w.raw)) more = more.concat(self.headsFor(w.raw[0])); });
      return heads(more);
    }).then(function () {
      var exps = p.words.map(function (w) { return self.expand(w); });
      var need = [], budget = MAXWORDS, wanted = [];
      exps.forEach(function (ex) { ex.forEach(function (f, t) { wanted.push([f, self.terms.get(t).postLen, t]); }); });
      // A word alone is ranked well enough by its terms' best documents.
      // With several, or filters, the first tier fetches the terms' full
      // postings, words typed in full and the shortest first, within a
      // budget.
      if (!all && (p.words.length + p.phrases.length > 1 || filtered)) {
        wanted.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
        wanted = wanted.filter(function (x) { return x[1] <= budget && (budget -= x[1]) >= 0; });
      } else if (!all) wanted = [];
      need = wanted.map(function (x) { return x[2]; });
      // A phrase needs its words' full postings, and for each pair of
      // words its pair list or, where it has none, their positions.
      var phr = new Set(), pos = new Set();
      p.phrases.forEach(function (ph) {
        ph.forEach(function (x, k) {
          phr.add(x.term);
          if (k && !self.paired(ph, k)) { pos.add(ph[k - 1].term); pos.add(x.term); }
        });
      });
      pos.forEach(function (t) { phr.delete(t); });
      return Promise.all([self.fetchPostings(need, false), self.fetchPostings(Array.from(phr), false), self.fetchPostings(Array.from(pos), true)].concat(
        p.phrases.map(function (ph) { return self.fetchPairs(ph); }))).then(function () {
        var res = self.score(p, exps, sel, from, to);
        res.exact = res.exact && (all || !fuzzyLeft(self, p));
        res.complete = res.exact && !!self.facetsReady;
        if (!res.complete) res.counts = null;
        return res;
      });
    });
  };

  /* fuzzyLeft reports whether a word might have typo matches in head files
     not yet loaded. */
  function fuzzyLeft(self, p) {
    return p.words.some(function (w) {
      return fuzzyWord(w) && !self.terms.has(w.term) && !self.terms.has(w.raw) &&
        self.headsFor(w.raw[0]).some(function (f) { return !self.files[f]; });
    });
  }

  Engine.prototype.score = function (p, exps, sel, from, to) {
    var self = this, n = this.m.n, matched = new Set(), exact = true;
    // Each word's and phrase's score per document, 0 where it is absent.
    var perWord = p.words.map(function (w, wi) {
      var scores = new Float64Array(n);
      exps[wi].forEach(function (factor, t) {
        matched.add(t);
        var idf = self.idf(t) * factor, ps = self.posts(t);
        if (!ps.full) exact = false;
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
      // Each word's weight by document, 0 where it is absent.
      var lists = ph.map(function (x) {
        var ps = self.posts(x.term), w = new Uint8Array(n);
        for (var i = 0; i < ps.docs.length; i++) w[ps.docs[i]] = ps.w[i];
        return w;
      });
      var idfs = ph.map(function (x) { return self.idf(x.term) * 1.5; });
      self.posts(ph[0].term).docs.forEach(function (doc) {
        for (var k = 1; k < lists.length; k++) if (!lists[k][doc]) return;
        if (!self.has(ph, doc)) return;
        var s = 0;
        for (k = 0; k < lists.length; k++) s += idfs[k] * lists[k][doc];
        scores[doc] = s;
      });
      perWord.push(scores);
    });
    var partial = false, total = null;
    if (perWord.length) {
      total = combine(perWord, true, n);
      // With only the best documents of some words, a document lacking one
      // may yet have it: any-word results wait for the full tier.
      if (!total.size && perWord.length > 1 && exact) { total = combine(perWord, false, n); partial = total.size > 0; }
    }
    // masks[fi] marks the documents with a chosen value of facet fi; null
    // when none of its values is chosen.
    var nf = this.facets.length, ready = this.facetsReady;
    var masks = this.facets.map(function (f) {
      var s = sel[f.key];
      if (!ready || !s || !s.length) return null;
      var mask = new Uint8Array(n);
      f.values.forEach(function (v) { if (s.indexOf(v.id) >= 0) v.docs.forEach(function (d) { mask[d] = 1; }); });
      return mask;
    });
    var ranged = ready && (from != null || to != null);
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
      if (ready) {
        for (fi = 0; fi < nf; fi++) {
          if (nfail === 1 && fi !== fails) continue;
          var f = this.facets[fi], c = counts[fi];
          for (k = f.at[doc]; k < f.at[doc + 1]; k++) c[f.vals[k]]++;
        }
      }
      if (nfail === 0) results.push({ doc: doc, score: total ? total[doc] : 0 });
    }
    results.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return { results: results, counts: counts.map(function (c) { return Array.from(c); }), partial: partial, terms: matched, exact: exact };
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

  /* docs resolves to the records of documents ids: [title, url, section,
     sub, summary] each, read by byte range from the document files. */
  Engine.prototype.docs = function (ids) {
    var self = this;
    return this.once(this.m.lens, this.lens).then(function () {
      return self.ranges('docs', ids.map(function (i) { return [self.recs[2 * i], self.recs[2 * i + 1]]; }));
    }).then(function (bs) { return bs.map(function (b) { return JSON.parse(UTF8.decode(b)); }); });
  };
  Engine.prototype.doc = function (i) { return this.docs([i]).then(function (d) { return d[0]; }); };
  var UTF8 = new TextDecoder();

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
    var toggle = document.getElementById('search-filter-toggle');
    var panel = document.getElementById('search-filter-panel');
    var clear = document.getElementById('search-clear');
    var chosen = document.getElementById('search-filter-count');
    var nojs = document.getElementById('search-nojs');
    var indexURL = app.getAttribute('data-index');
    var dir = indexURL.slice(0, indexURL.lastIndexOf('/') + 1);
    var sectionNames = {};
    var PAGE = 10, shown = PAGE, engine, seq = 0, last;

    function get(path, init) { return fetch(dir + path, init).then(function (r) { if (!r.ok) throw new Error(r.status); return r; }); }
    // Whole files, kept where a server answered a range with all of it.
    var whole = {};
    var io = {
      json: function (path) { return get(path).then(function (r) { return r.json(); }); },
      bytes: function (path, from, to) {
        if (to <= from) return Promise.resolve(new Uint8Array(0));
        if (whole[path]) return whole[path].then(function (b) { return b.subarray(from, to); });
        return get(path, { headers: { Range: 'bytes=' + from + '-' + (to - 1) } }).then(function (r) {
          return r.arrayBuffer().then(function (buf) {
            var b = new Uint8Array(buf);
            if (r.status === 206) return b;
            whole[path] = Promise.resolve(b);
            return b.subarray(from, to);
          });
        });
      }
    };
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
    /* The filters' button opens and closes them. On a narrow screen they
       start closed, so that the results come straight after the search
       box, and the button says how many are chosen. A site's own
       search.html may leave the button out: the filters then stay open. */
    function openFilters(open) {
      if (!toggle || !panel) return;
      toggle.setAttribute('aria-expanded', String(open));
      panel.hidden = !open;
    }
    function showChosen(st) {
      var n = (st.from ? 1 : 0) + (st.to ? 1 : 0);
      Object.keys(st.sel).forEach(function (k) { n += st.sel[k].length; });
      if (chosen) chosen.textContent = n ? ' (' + n + ' selected)' : '';
      if (clear) clear.hidden = !n;
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

    /* renderCounts writes each value's count and hides the values with no
       results, and the groups left with none. After a tick (keep) it hides
       nothing, so that no checkbox moves under the finger before a second
       tap: a value left with none shows "(0)" until the words change. */
    function renderCounts(counts, keep) {
      if (!counts) return;
      engine.facets.forEach(function (f, fi) {
        var fs = filters.querySelector('[data-key="' + f.key + '"]');
        var any = false;
        f.values.forEach(function (v, vi) {
          var li = fs.querySelectorAll('.search-option')[vi];
          var c = counts[fi][vi], checked = li.querySelector('input').checked;
          li.querySelector('.count').textContent = '(' + c + ')';
          li.hidden = c === 0 && !checked && (!keep || li.hidden);
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

    /* renderResults shows the first results of res. While they are only
       the first tier's best guess (res.exact false) the live region is
       marked busy and says only that these are the top results, so that a
       screen reader announces the count once, when it is known. */
    function renderResults(res, st, mine) {
      var page = res.results.slice(0, shown);
      return engine.docs(page.map(function (r) { return r.doc; })).then(function (docs) {
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
        more.hidden = !res.exact || res.results.length <= shown;
        var q = st.q.trim();
        if (!res.exact) {
          status.setAttribute('aria-busy', 'true');
          say('Showing the top results' + (q ? ' for “' + q + '”' : '') + '…');
          return;
        }
        var n = res.results.length;
        var msg = n === 1 ? '1 result' : n + ' results';
        if (q) msg += ' for “' + q + '”';
        if (res.partial) msg += ', matching some of your words';
        say(n === 0 ? 'No results' + (q ? ' for “' + q + '”' : '') + '. Try fewer words or fewer filters.' : msg + '.');
        status.removeAttribute('aria-busy');
      });
    }

    /* say puts text in the live region unless it is there already, which
       some screen readers would announce again. */
    function say(text) { if (status.textContent !== text) status.textContent = text; }

    /* update searches again. keepShown keeps the number of results shown;
       keepFilters, for a change to the filters, keeps every value that
       shows in place (see renderCounts). */
    function update(keepShown, keepFilters) {
      var st = state(), mine = ++seq;
      if (!keepShown) shown = PAGE;
      writeURL(st);
      showChosen(st);
      var from = st.from ? day(st.from) : null, to = st.to ? day(st.to) : null;
      // The first tier shows the top results; the full tier then ranks
      // them exactly, if the first could not, and counts the facets.
      var shown1;
      function show(res) {
        if (mine !== seq) return;
        renderCounts(res.counts, keepFilters);
        if (shown1 && shown1.exact) return;
        last = res;
        if (!res.exact && !res.results.length) return;
        shown1 = res;
        return renderResults(res, st, mine);
      }
      return engine.quick(st.q, st.sel, from, to).then(function (res) {
        return Promise.resolve(show(res)).then(function () {
          if (!res.complete && mine === seq) return engine.run(st.q, st.sel, from, to).then(show);
        });
      });
    }

    var timer;
    input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(function () { update(); }, 120); });
    form.addEventListener('submit', function (e) { e.preventDefault(); clearTimeout(timer); update(); });
    filters.addEventListener('change', function () { update(false, true); });
    if (toggle) toggle.addEventListener('click', function () { openFilters(toggle.getAttribute('aria-expanded') !== 'true'); });
    if (clear) clear.addEventListener('click', function () {
      filters.querySelectorAll('input[type=checkbox]:checked').forEach(function (c) { c.checked = false; });
      filters.querySelectorAll('input[type=date]').forEach(function (d) { d.value = ''; });
      // The button hides: the focus goes back to the filters' own.
      (toggle || input).focus();
      update();
    });
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
    openFilters(!(root.matchMedia && root.matchMedia('(max-width: 49.99em)').matches));
    status.textContent = 'Loading the search index…';
    app.hidden = false;
    if (nojs) nojs.hidden = true;
    io.json('index.json').then(function (m) {
      engine = new api.Engine(m, io);
      buildFilters(params);
      return update();
    }).catch(function () {
      status.textContent = 'Search is not available just now. Browse the supporter directory or the networks instead.';
      if (nojs) nojs.hidden = false;
    });
  }
})(typeof window === 'undefined' ? this : window);
