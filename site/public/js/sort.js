// Sortable tables, added on top of a table that is complete and already sorted without JavaScript (external
// file: strict CSP). A header cell marked data-sort="number" or data-sort="text" gets a button; numbers are read
// from the cells' data-v (the exact value, not the formatted text), text is compared in Vietnamese order.
(function () {
  var collator = new Intl.Collator('vi', { numeric: true });
  function key(cell, numeric) {
    if (!cell) return numeric ? -Infinity : '';
    if (numeric) {
      var v = cell.getAttribute('data-v');
      return v === null || v === '' ? -Infinity : Number(v);
    }
    return (cell.textContent || '').trim();
  }
  function sortBy(table, index, numeric, dir) {
    var body = table.tBodies[0];
    if (!body) return;
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[index], numeric);
      var y = key(b.cells[index], numeric);
      var c = numeric ? x - y : collator.compare(x, y);
      return dir === 'ascending' ? c : -c;
    });
    rows.forEach(function (r) {
      body.appendChild(r);
    });
  }
  document.querySelectorAll('table[data-sortable]').forEach(function (table) {
    var heads = table.querySelectorAll('thead th');
    heads.forEach(function (th, index) {
      var kind = th.getAttribute('data-sort');
      if (!kind) return;
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener('click', function () {
        var current = th.getAttribute('aria-sort');
        // numbers first from the largest, names first from A
        var dir =
          current === 'descending'
            ? 'ascending'
            : current === 'ascending'
              ? 'descending'
              : kind === 'number'
                ? 'descending'
                : 'ascending';
        heads.forEach(function (h) {
          h.removeAttribute('aria-sort');
        });
        th.setAttribute('aria-sort', dir);
        sortBy(table, index, kind === 'number', dir);
      });
    });
  });
})();
