// The search page (site/pages/tim-kiem/index.astro): the form, the answer and its pages of hits, over the engine
// of search.js (loaded first). Without JavaScript the page shows the agency list instead.
(function (search) {
  var form = document.getElementById('search-form');
  var input = document.getElementById('q');
  var out = document.getElementById('search-results');
  var status = document.getElementById('search-status');
  if (!search || !form || !input || !out || !status) return;
  var engine = search.create(function (path) {
    return fetch(path).then(function (r) {
      if (!r.ok) throw new Error(path + ': ' + r.status);
      return r.json();
    });
  }, '/tim-kiem/');
  var latest = 0;
  var number = new Intl.NumberFormat('vi-VN');
  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (attrs)
      Object.keys(attrs).forEach(function (k) {
        e.setAttribute(k, attrs[k]);
      });
    return e;
  }
  function failed() {
    status.textContent = 'Không tải được chỉ mục tìm kiếm; hãy tra cứu theo danh sách cơ quan bên dưới.';
  }
  function taskItems(list, res, rows) {
    rows.forEach(function (t) {
      var li = el('li');
      li.appendChild(el('a', t[0] + ' — ' + t[1], { href: '/nhiem-vu/' + t[0] + '/' }));
      li.appendChild(document.createTextNode(' (' + res.names[t[2]][1] + '; ' + res.statuses[t[3]] + ')'));
      list.appendChild(li);
    });
  }
  function show(q, res, mine) {
    status.textContent =
      'Tìm thấy ' +
      number.format(res.agencies.length) +
      ' cơ quan và ' +
      number.format(res.total) +
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
    if (!res.total) return;
    out.appendChild(el('h2', 'Nhiệm vụ'));
    var list = el('ul', null, { class: 'plain', id: 'search-tasks' });
    taskItems(list, res, res.tasks);
    out.appendChild(list);
    var shown = 1;
    if (res.pages <= 1) return;
    // the next hits' details are downloaded only when asked for
    var more = el('button', null, { type: 'button', id: 'search-more' });
    function label() {
      more.textContent =
        'Xem thêm (đã hiện ' + number.format(list.children.length) + '/' + number.format(res.total) + ')';
    }
    label();
    more.addEventListener('click', function () {
      more.disabled = true;
      res
        .page(shown)
        .then(function (rows) {
          if (mine !== latest) return;
          shown++;
          taskItems(list, res, rows);
          more.disabled = false;
          if (shown >= res.pages) more.remove();
          else label();
        })
        .catch(function () {
          more.disabled = false;
          if (mine === latest) failed();
        });
    });
    out.appendChild(more);
  }
  function run(q) {
    var mine = ++latest;
    out.textContent = '';
    if (!search.fold(q)) {
      status.textContent = 'Nhập từ khóa để tìm.';
      return;
    }
    engine
      .search(q)
      .then(function (res) {
        // a slower earlier search must not overwrite the answer to a newer one
        if (mine === latest) show(q, res, mine);
      })
      .catch(function () {
        if (mine === latest) failed();
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
})(this.TdnvSearch);
