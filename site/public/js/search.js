// Search without diacritics over the compact index /tim-kiem/chi-muc.json (built from the snapshot).
// "so tai chinh" finds "Sở Tài chính". Without JavaScript the page shows the agency list instead.
(function () {
  var form = document.getElementById('search-form');
  var input = document.getElementById('q');
  var out = document.getElementById('search-results');
  var status = document.getElementById('search-status');
  if (!form || !input || !out || !status) return;
  var index = null;
  var folded = null;
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
  function load() {
    if (index) return Promise.resolve(index);
    return fetch('/tim-kiem/chi-muc.json')
      .then(function (r) {
        return r.json();
      })
      .then(function (data) {
        index = data;
        folded = {
          agencies: data.agencies.map(function (a) {
            return fold(a[1] + ' ' + a[0]);
          }),
          tasks: data.tasks.map(function (t) {
            return fold(t[0] + ' ' + t[1] + ' ' + data.agencies[t[2]][1]);
          }),
        };
        return index;
      });
  }
  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (attrs)
      Object.keys(attrs).forEach(function (k) {
        e.setAttribute(k, attrs[k]);
      });
    return e;
  }
  function run(q) {
    var terms = fold(q).split(' ').filter(Boolean);
    out.textContent = '';
    if (!terms.length) {
      status.textContent = 'Nhập từ khóa để tìm.';
      return;
    }
    load()
      .then(function (data) {
        function hit(s) {
          for (var i = 0; i < terms.length; i++) if (s.indexOf(terms[i]) < 0) return false;
          return true;
        }
        var ag = [],
          tk = [];
        folded.agencies.forEach(function (s, i) {
          if (hit(s)) ag.push(i);
        });
        for (var i = 0; i < folded.tasks.length && tk.length < 200; i++) if (hit(folded.tasks[i])) tk.push(i);
        status.textContent =
          'Tìm thấy ' +
          ag.length +
          ' cơ quan và ' +
          (tk.length >= 200 ? 'hơn 200' : tk.length) +
          ' nhiệm vụ cho "' +
          q +
          '".';
        if (ag.length) {
          out.appendChild(el('h2', 'Cơ quan, đơn vị'));
          var ul = el('ul', null, { class: 'plain' });
          ag.forEach(function (i) {
            var li = el('li');
            li.appendChild(el('a', data.agencies[i][1], { href: '/co-quan/' + data.agencies[i][2] + '/' }));
            ul.appendChild(li);
          });
          out.appendChild(ul);
        }
        if (tk.length) {
          out.appendChild(el('h2', 'Nhiệm vụ'));
          var ol = el('ul', null, { class: 'plain' });
          tk.forEach(function (i) {
            var t = data.tasks[i];
            var li = el('li');
            li.appendChild(el('a', t[0] + ' — ' + t[1], { href: '/nhiem-vu/' + t[0] + '/' }));
            li.appendChild(document.createTextNode(' (' + data.agencies[t[2]][1] + '; ' + data.statuses[t[3]] + ')'));
            ol.appendChild(li);
          });
          out.appendChild(ol);
        }
      })
      .catch(function () {
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
})();
