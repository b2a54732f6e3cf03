// The search engine: without diacritics over the index /tim-kiem/chi-muc.json and its files (site/lib/search-index.ts
// says how they are built): "so tai chinh" finds "Sở Tài chính". The page itself is search-page.js. The engine
// (TdnvSearch.create) also runs in Node: admin/publication/search-index.test.ts compares it with a search over
// every task.
(function (root) {
  // hits shown at a time: only their details are downloaded
  var PAGE = 10;
  // folded characters of a query that are searched (the field takes no more)
  var MAX_QUERY = 200;
  // set files fetched at once (a browser opens six connections to a host)
  var BATCH = 6;
  var ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var DIGIT = {};
  for (var d = 0; d < ALPHABET.length; d++) DIGIT[ALPHABET.charAt(d)] = d;

  // a copy of foldVietnamese (admin/domain/text.ts) for the browser; site/lib/fold.test.ts proves they agree
  function fold(s) {
    return s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .trim();
  }

  // the task codes from their runs [prefix, digits, first, steps] (encodeCodes): each task's run and number, the
  // code itself made when asked (a phone spends milliseconds making thirty thousand strings)
  function decodeCodes(runs) {
    var count = 0;
    var r;
    var c;
    for (r = 0; r < runs.length; r++) {
      count++;
      if (runs[r][1] === 0) continue;
      for (c = 0; c < runs[r][3].length; c++) if (!(DIGIT[runs[r][3].charAt(c)] & 32)) count++;
    }
    var runOf = new Int32Array(count);
    var number = new Float64Array(count);
    var chars = {};
    var longest = 0;
    var folded = [];
    var k = 0;
    for (r = 0; r < runs.length; r++) {
      var run = runs[r];
      // folding never changes digits, so fold(prefix + digits) is the folded prefix followed by the digits
      folded.push(run[1] === 0 ? fold(run[0]) : fold(run[0] + '0').slice(0, -1));
      var f = folded[r];
      for (c = 0; c < f.length; c++) chars[f.charAt(c)] = true;
      if (run[1] > 0) for (c = 0; c < 10; c++) chars[String(c)] = true;
      if (f.length + run[1] > longest) longest = f.length + run[1];
      runOf[k] = r;
      if (run[1] === 0) {
        k++;
        continue;
      }
      // the steps: d − 1 zigzagged, five bits a character (search-postings.ts encodeSteps)
      var n = run[2];
      number[k++] = n;
      var d = 0;
      var shift = 1;
      for (c = 0; c < run[3].length; c++) {
        var v = DIGIT[run[3].charAt(c)];
        d += (v & 31) * shift;
        if (v & 32) {
          shift *= 32;
          continue;
        }
        n += (d % 2 === 0 ? d / 2 : -(d + 1) / 2) + 1;
        runOf[k] = r;
        number[k++] = n;
        d = 0;
        shift = 1;
      }
    }
    function make(i, prefixes) {
      var run = runs[runOf[i]];
      return run[1] === 0 ? prefixes[runOf[i]] : prefixes[runOf[i]] + String(number[i]).padStart(run[1], '0');
    }
    var prefixes = runs.map(function (run) {
      return run[0];
    });
    var all = null;
    return {
      count: count,
      // chars of every folded code and a length no folded code exceeds: a term outside them matches no code
      chars: chars,
      longest: longest,
      code: function (i) {
        return make(i, prefixes);
      },
      folded: function () {
        if (!all) {
          all = new Array(count);
          for (var j = 0; j < count; j++) all[j] = make(j, folded);
        }
        return all;
      },
    };
  }

  // a set string (site/lib/search-postings.ts encodeSet) as marks over the n tasks
  function decodeSet(s, n) {
    var out = new Uint8Array(n);
    var k;
    var v;
    if (s.charAt(0) === 'b') {
      for (k = 1; k < s.length; k++) {
        v = DIGIT[s.charAt(k)];
        for (var j = 0; j < 6; j++) if (v & (1 << j) && (k - 1) * 6 + j < n) out[(k - 1) * 6 + j] = 1;
      }
      return out;
    }
    var last = -1;
    var gap = 0;
    var shift = 1;
    for (k = 1; k < s.length; k++) {
      v = DIGIT[s.charAt(k)];
      gap += (v & 31) * shift;
      if (v & 32) {
        shift *= 32;
        continue;
      }
      last += gap + 1;
      if (last < n) out[last] = 1;
      gap = 0;
      shift = 1;
    }
    return out;
  }

  // the name of a set file (search-postings.ts setFile): two FNV-1a runs over "salt|word indices"
  function fnv(s, h) {
    for (var i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 16777619) >>> 0;
    }
    return h;
  }
  function setFile(salt, words) {
    var s = salt + '|' + words.join(',');
    return 't-' + fnv(s, 2166136261).toString(36) + fnv(s, 3735928559).toString(36) + '.json';
  }

  // the query's terms: distinct, and none inside another (a term inside another is implied by it)
  function termsOf(q) {
    var all = fold(String(q)).slice(0, MAX_QUERY).split(' ').filter(Boolean);
    var distinct = all.filter(function (t, i) {
      return all.indexOf(t) === i;
    });
    return distinct.filter(function (t) {
      return !distinct.some(function (u) {
        return u !== t && u.indexOf(t) >= 0;
      });
    });
  }

  // fetchJson(path) returns a promise of the parsed file; base is the folder of the index ('/tim-kiem/')
  function create(fetchJson, base) {
    var manifest = null;
    var files = {};
    // a file once; a failed download is tried again by the next search
    function load(path) {
      if (!files[path])
        files[path] = fetchJson(base + path).then(null, function (e) {
          files[path] = null;
          throw e;
        });
      return files[path];
    }
    function loadManifest() {
      if (!manifest)
        manifest = fetchJson(base + 'chi-muc.json').then(prepare, function (e) {
          manifest = null;
          throw e;
        });
      return manifest;
    }
    function prepare(m) {
      return {
        data: m,
        codes: decodeCodes(m.codes),
        agencies: m.agencies.map(function (a) {
          return fold(a[1] + ' ' + a[0]);
        }),
        // a task's text holds its agency's name (not its code)
        agencyNames: m.agencies.map(function (a) {
          return fold(a[1]);
        }),
        sets: {},
      };
    }
    // what the manifest alone says of a term: the words holding it, the codes holding it, an upper bound of its hits
    function termInfo(ix, t) {
      var words = [];
      var est = 0;
      for (var w = 0; w < ix.data.words.length; w++)
        if (ix.data.words[w].indexOf(t) >= 0) {
          words.push(w);
          est += 1.2 ** DIGIT[ix.data.df.charAt(w)];
        }
      var codes = [];
      var maybeCode = t.length <= ix.codes.longest;
      for (var k = 0; maybeCode && k < t.length; k++) if (!ix.codes.chars[t.charAt(k)]) maybeCode = false;
      var folded = maybeCode ? ix.codes.folded() : [];
      for (var i = 0; i < folded.length; i++) if (folded[i].indexOf(t) >= 0) codes.push(i);
      return { term: t, words: words, codes: codes, est: Math.min(est, ix.data.count) + codes.length };
    }
    // the marks of the tasks whose text holds the term: its words' set file, and its codes
    function termMarks(ix, info) {
      var key = info.words.join(',');
      var marks = !info.words.length
        ? Promise.resolve(new Uint8Array(ix.data.count))
        : ix.sets[key] ||
          (ix.sets[key] = load('chi-muc/' + setFile(ix.data.salt, info.words)).then(
            function (body) {
              return { marks: decodeSet(body.p, ix.data.count), implied: body.w || [] };
            },
            function (e) {
              ix.sets[key] = null;
              throw e;
            },
          ));
      return marks.then(function (set) {
        // a term's hits are its set's, plus its codes' (which need not hold the set's common words)
        if (!set.marks) set = { marks: set, implied: [] };
        if (!info.codes.length) return set;
        var out = set.marks.slice();
        info.codes.forEach(function (i) {
          out[i] = 1;
        });
        return { marks: out, implied: [] };
      });
    }
    // one detail chunk as rows [code, title, agency, status] with each task's folded text
    function loadChunk(ix, c) {
      var key = 'chunk' + c;
      if (!ix.sets[key])
        ix.sets[key] = load('chi-muc/' + ix.data.chunks[c]).then(function (body) {
          var first = c * ix.data.size;
          return body.tasks.map(function (t, j) {
            var code = ix.codes.code(first + j);
            return { row: [code, t[0], t[1], t[2]], text: null };
          });
        });
      ix.sets[key].then(null, function () {
        ix.sets[key] = null;
      });
      return ix.sets[key];
    }
    // the details of the tasks (indices), in their order
    function details(ix, list) {
      var size = ix.data.size;
      var wanted = [];
      list.forEach(function (i) {
        var c = Math.floor(i / size);
        if (wanted.indexOf(c) < 0) wanted.push(c);
      });
      return Promise.all(
        wanted.map(function (c) {
          return loadChunk(ix, c);
        }),
      ).then(function (loaded) {
        return list.map(function (i) {
          return loaded[wanted.indexOf(Math.floor(i / size))][i % size];
        });
      });
    }
    function textOf(ix, d) {
      if (d.text === null) d.text = fold(d.row[0] + ' ' + d.row[1] + ' ' + ix.agencyNames[d.row[2]]);
      return d.text;
    }
    // the hits, in code order: the terms' sets intersected, rarest first, BATCH files at a time; a later term inside
    // a word that every task of a fetched set holds is satisfied already; once at most PAGE tasks are left, the
    // remaining terms are checked in those tasks' details (which the page shows anyway)
    function hitsOf(ix, terms) {
      var n = ix.data.count;
      var infos = terms
        .map(function (t) {
          return termInfo(ix, t);
        })
        .sort(function (a, b) {
          return a.est - b.est;
        });
      if (
        infos.some(function (x) {
          return !x.words.length && !x.codes.length;
        })
      )
        return Promise.resolve([]);
      function step(cand, k) {
        if (k >= infos.length) return Promise.resolve(cand);
        if (cand && cand.length <= PAGE) {
          var rest = infos.slice(k);
          return details(ix, cand).then(function (ds) {
            return cand.filter(function (_i, j) {
              var text = textOf(ix, ds[j]);
              return rest.every(function (x) {
                return text.indexOf(x.term) >= 0;
              });
            });
          });
        }
        return Promise.all(
          infos.slice(k, k + BATCH).map(function (x) {
            return termMarks(ix, x);
          }),
        ).then(function (sets) {
          var next = [];
          var from = 0;
          if (!cand) {
            for (var i = 0; i < n; i++) if (sets[0].marks[i]) next.push(i);
            from = 1;
          } else next = cand;
          var implied = [];
          sets.forEach(function (set, j) {
            implied = implied.concat(set.implied);
            if (j < from) return;
            next = next.filter(function (i) {
              return set.marks[i] === 1;
            });
          });
          // every hit left holds the implied words: a later term inside one of them is satisfied
          var later = infos.slice(k + BATCH).filter(function (x) {
            return !implied.some(function (w) {
              return ix.data.words[w].indexOf(x.term) >= 0;
            });
          });
          infos = infos.slice(0, k + BATCH).concat(later);
          return step(next, k + BATCH);
        });
      }
      if (!infos.length) {
        var all = [];
        for (var i = 0; i < n; i++) all.push(i);
        return Promise.resolve(all);
      }
      return step(null, 0);
    }
    // { agencies: [[code, name, slug]], total, tasks: the first page [[code, title, agency, status]],
    //   page(p): a promise of page p's rows, statuses, names }
    function search(q) {
      var terms = termsOf(q);
      return loadManifest().then(function (ix) {
        var agencies = [];
        ix.agencies.forEach(function (s, i) {
          for (var k = 0; k < terms.length; k++) if (s.indexOf(terms[k]) < 0) return;
          agencies.push(ix.data.agencies[i]);
        });
        return hitsOf(ix, terms).then(function (hits) {
          function page(p) {
            return details(ix, hits.slice(p * PAGE, (p + 1) * PAGE)).then(function (ds) {
              return ds.map(function (d) {
                return d.row;
              });
            });
          }
          return page(0).then(function (tasks) {
            return {
              agencies: agencies,
              total: hits.length,
              tasks: tasks,
              page: page,
              pages: Math.ceil(hits.length / PAGE),
              statuses: ix.data.statuses,
              names: ix.data.agencies,
            };
          });
        });
      });
    }
    return { search: search, fold: fold, page: PAGE };
  }

  root.TdnvSearch = { create: create, fold: fold };
})(this);
