// Search without diacritics over the index /tim-kiem/chi-muc.json and its chunks (site/lib/search-index.ts says how
// they are built): "so tai chinh" finds "Sở Tài chính". Without JavaScript the page shows the agency list instead.
// The engine (TdnvSearch.create) also runs in Node: admin/publication/search-index.test.ts compares it with a
// search over every task.
(function (root) {
  var LIMIT = 200;

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

  // the task codes from their runs [prefix, digits, first, delta…] (encodeCodes), with their folded forms
  function decodeCodes(runs) {
    var codes = [];
    var folded = [];
    for (var r = 0; r < runs.length; r++) {
      var run = runs[r];
      if (run[1] === 0) {
        codes.push(run[0]);
        folded.push(fold(run[0]));
        continue;
      }
      // folding never changes digits, so fold(prefix + digits) is the folded prefix followed by the digits
      var prefix = fold(run[0] + '0').slice(0, -1);
      var n = 0;
      for (var i = 2; i < run.length; i++) {
        n = i === 2 ? run[i] : n + run[i];
        var digits = String(n).padStart(run[1], '0');
        codes.push(run[0] + digits);
        folded.push(prefix + digits);
      }
    }
    return { codes: codes, folded: folded };
  }

  // a base-32 bit set over the chunks (five chunks a digit, lowest first) as a list of 0/1
  function decodeBits(s, n) {
    var out = new Uint8Array(n);
    for (var i = 0; i < s.length; i++) {
      var v = parseInt(s.charAt(i), 32);
      for (var b = 0; b < 5; b++) if (v & (1 << b) && i * 5 + b < n) out[i * 5 + b] = 1;
    }
    return out;
  }

  // fetchJson(path) returns a promise of the parsed file; base is the folder of the index ('/tim-kiem/')
  function create(fetchJson, base) {
    var manifest = null;
    var chunks = [];
    function loadManifest() {
      if (!manifest) manifest = fetchJson(base + 'chi-muc.json').then(prepare, forget);
      return manifest;
    }
    // a failed download is tried again by the next search
    function forget(e) {
      manifest = null;
      throw e;
    }
    function prepare(m) {
      var c = decodeCodes(m.codes);
      var codeChars = {};
      c.folded.forEach(function (s) {
        for (var i = 0; i < s.length; i++) codeChars[s.charAt(i)] = true;
      });
      return {
        data: m,
        codes: c.codes,
        foldedCodes: c.folded,
        codeChars: codeChars,
        chunkCount: m.chunks.length,
        agencies: m.agencies.map(function (a) {
          return fold(a[1] + ' ' + a[0]);
        }),
        // a task's text holds its agency's name (not its code)
        agencyNames: m.agencies.map(function (a) {
          return fold(a[1]);
        }),
        wordBits: {},
        agencyBits: {},
      };
    }
    function loadChunk(ix, n) {
      if (!chunks[n])
        chunks[n] = fetchJson(base + 'chi-muc/' + ix.data.chunks[n]).then(
          function (body) {
            var first = n * ix.data.size;
            return body.tasks.map(function (t, j) {
              var code = ix.codes[first + j];
              var agency = ix.data.agencies[t[1]][1];
              return { row: [code, t[0], t[1], t[2]], text: fold(code + ' ' + t[0] + ' ' + agency) };
            });
          },
          function (e) {
            chunks[n] = null;
            throw e;
          },
        );
      return chunks[n];
    }
    // the chunks where a task's text may contain the term (in a title's word, its agency's name or its code): all,
    // and rest = leaving out the tasks of the agencies in skip
    function chunksFor(ix, term, skip) {
      var rest = new Uint8Array(ix.chunkCount);
      var words = ix.data.words;
      for (var w = 0; w < words.length; w++) {
        if (words[w][0].indexOf(term) < 0) continue;
        var bits = ix.wordBits[w] || (ix.wordBits[w] = decodeBits(words[w][1], ix.chunkCount));
        for (var c = 0; c < bits.length; c++) rest[c] |= bits[c];
      }
      var codes = true;
      for (var k = 0; k < term.length; k++) if (!ix.codeChars[term.charAt(k)]) codes = false;
      for (var i = 0; codes && i < ix.foldedCodes.length; i++)
        if (ix.foldedCodes[i].indexOf(term) >= 0) rest[Math.floor(i / ix.data.size)] = 1;
      var all = rest.slice();
      for (var a = 0; a < ix.agencyNames.length; a++) {
        if (ix.agencyNames[a].indexOf(term) < 0) continue;
        var own = ix.agencyBits[a] || (ix.agencyBits[a] = decodeBits(ix.data.agencyChunks[a], ix.chunkCount));
        for (var d = 0; d < own.length; d++) {
          all[d] |= own[d];
          if (!skip[a]) rest[d] |= own[d];
        }
      }
      return { all: all, rest: rest };
    }
    function loadAgencyChunk(ix, a, k) {
      var key = 'a' + a + '-' + k;
      if (!chunks[key])
        chunks[key] = fetchJson(base + 'chi-muc/' + ix.data.agencyFiles[a][k]).then(
          function (body) {
            return body.tasks.map(function (t) {
              return { i: t[0], row: [ix.codes[t[0]], t[1], a, t[2]] };
            });
          },
          function (e) {
            chunks[key] = null;
            throw e;
          },
        );
      return chunks[key];
    }
    // the first LIMIT tasks of each agency (their own files), merged in code order
    function byAgency(ix, covered) {
      function firstOf(a, k, acc) {
        if (k >= ix.data.agencyFiles[a].length || acc.length >= LIMIT) return acc;
        return loadAgencyChunk(ix, a, k).then(function (rows) {
          return firstOf(a, k + 1, acc.concat(rows));
        });
      }
      return Promise.all(
        covered.map(function (a) {
          return firstOf(a, 0, []);
        }),
      ).then(function (lists) {
        var all = [].concat.apply([], lists).sort(function (x, y) {
          return x.i - y.i;
        });
        return all.slice(0, LIMIT).map(function (r) {
          return r.row;
        });
      });
    }
    // files each plan is expected to load: every covered agency's first LIMIT tasks, or the candidate chunks in
    // code order until LIMIT hits at the covered agencies' mean density over them
    function agencyPlanIsSmaller(ix, covered, candidates) {
      var own = 0;
      var hits = 0;
      covered.forEach(function (a) {
        var n = ix.data.agencyCounts[a];
        hits += n;
        own += Math.ceil(Math.min(n, LIMIT) / ix.data.size);
      });
      var inOrder = hits ? Math.min(candidates, Math.ceil((LIMIT * candidates) / hits)) : 0;
      return own < inOrder;
    }
    // { agencies: [[code, name, slug]], tasks: [[code, title, agency, status]] (at most LIMIT), statuses, names }
    function search(q) {
      var terms = fold(q).split(' ').filter(Boolean);
      function hit(s) {
        for (var i = 0; i < terms.length; i++) if (s.indexOf(terms[i]) < 0) return false;
        return true;
      }
      return loadManifest().then(function (ix) {
        var agencies = [];
        ix.agencies.forEach(function (s, i) {
          if (hit(s)) agencies.push(ix.data.agencies[i]);
        });
        // agencies whose name holds every term: all their tasks are hits
        var covered = [];
        var skip = {};
        ix.agencyNames.forEach(function (s, i) {
          if (terms.length && hit(s)) {
            covered.push(i);
            skip[i] = true;
          }
        });
        var wanted = null;
        var rest = null;
        terms.forEach(function (t) {
          var set = chunksFor(ix, t, skip);
          for (var c = 0; wanted && c < wanted.length; c++) {
            wanted[c] &= set.all[c];
            rest[c] &= set.rest[c];
          }
          if (!wanted) {
            wanted = set.all;
            rest = set.rest;
          }
        });
        var order = [];
        var others = false;
        for (var c = 0; wanted && c < wanted.length; c++) {
          if (wanted[c]) order.push(c);
          if (rest[c]) others = true;
        }
        var answer = { agencies: agencies, statuses: ix.data.statuses, names: ix.data.agencies };
        // nothing but the covered agencies' tasks can match: read them from their own files when that is smaller
        if (covered.length && !others && agencyPlanIsSmaller(ix, covered, order.length))
          return byAgency(ix, covered).then(function (tasks) {
            answer.tasks = tasks;
            return answer;
          });
        var tasks = [];
        function next(k) {
          if (k >= order.length || tasks.length >= LIMIT) {
            answer.tasks = tasks;
            return answer;
          }
          // the next chunk downloads while this one is searched (at most one chunk more than needed); a failed
          // prefetch is tried again when its turn comes
          if (k + 1 < order.length) loadChunk(ix, order[k + 1]).catch(function () {});
          return loadChunk(ix, order[k]).then(function (rows) {
            for (var j = 0; j < rows.length && tasks.length < LIMIT; j++)
              if (hit(rows[j].text)) tasks.push(rows[j].row);
            return next(k + 1);
          });
        }
        return next(0);
      });
    }
    return { search: search, fold: fold, limit: LIMIT };
  }

  root.TdnvSearch = { create: create, fold: fold };
  if (typeof document === 'undefined') return;

  var form = document.getElementById('search-form');
  var input = document.getElementById('q');
  var out = document.getElementById('search-results');
  var status = document.getElementById('search-status');
  if (!form || !input || !out || !status) return;
  var engine = create(function (path) {
    return fetch(path).then(function (r) {
      if (!r.ok) throw new Error(path + ': ' + r.status);
      return r.json();
    });
  }, '/tim-kiem/');
  var latest = 0;
  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (attrs)
      Object.keys(attrs).forEach(function (k) {
        e.setAttribute(k, attrs[k]);
      });
    return e;
  }
  function show(q, res) {
    var tk = res.tasks;
    status.textContent =
      'Tìm thấy ' +
      res.agencies.length +
      ' cơ quan và ' +
      (tk.length >= LIMIT ? 'hơn ' + LIMIT : tk.length) +
      ' nhiệm vụ cho "' +
      q +
      '".';
    if (res.agencies.length) {
      out.appendChild(el('h2', 'Cơ quan, đơn vị'));
      var ul = el('ul', null, { class: 'plain' });
      res.agencies.forEach(function (a) {
        var li = el('li');
        li.appendChild(el('a', a[1], { href: '/co-quan/' + a[2] + '/' }));
        ul.appendChild(li);
      });
      out.appendChild(ul);
    }
    if (tk.length) {
      out.appendChild(el('h2', 'Nhiệm vụ'));
      var ol = el('ul', null, { class: 'plain' });
      tk.forEach(function (t) {
        var li = el('li');
        li.appendChild(el('a', t[0] + ' — ' + t[1], { href: '/nhiem-vu/' + t[0] + '/' }));
        li.appendChild(document.createTextNode(' (' + res.names[t[2]][1] + '; ' + res.statuses[t[3]] + ')'));
        ol.appendChild(li);
      });
      out.appendChild(ol);
    }
  }
  function run(q) {
    var mine = ++latest;
    out.textContent = '';
    if (!fold(q)) {
      status.textContent = 'Nhập từ khóa để tìm.';
      return;
    }
    engine
      .search(q)
      .then(function (res) {
        // a slower earlier search must not overwrite the answer to a newer one
        if (mine === latest) show(q, res);
      })
      .catch(function () {
        if (mine === latest)
          status.textContent = 'Không tải được chỉ mục tìm kiếm; hãy tra cứu theo danh sách cơ quan bên dưới.';
      });
  }
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var q = input.value;
    history.replaceState(null, '', '?q=' + encodeURIComponent(q));
    run(q);
  });
  var initial = new URLSearchParams(location.search).get('q');
  if (initial) {
    input.value = initial;
    run(initial);
  }
})(this);
