// Progressive enhancement for the directive-document form (admin/routes/documents.tsx), loaded as a file (the CSP
// forbids inline scripts and inline styles; only the `hidden` attribute is toggled here):
// - "Thêm nhiệm vụ" adds a blank task block in place instead of a round trip (which would also drop the chosen
//   file). Without this script the button submits the form and the server re-renders it with one more block.
// - each list of coordinating agencies (checkboxes, usable as they are) gets a filter box that hides the names not
//   matching what is typed, ignoring diacritics ("so tai chinh" finds "Sở Tài chính"); checked ones stay visible.
(function () {
  var form = document.querySelector('form.document-form');
  if (!form) return;

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

  function enhanceChecklist(list) {
    var fieldset = list.closest('fieldset');
    var old = fieldset.querySelector('.checklist-filter');
    if (old) old.remove();
    var id = fieldset.id + '_filter';
    var wrap = document.createElement('div');
    wrap.className = 'checklist-filter';
    var label = document.createElement('label');
    label.setAttribute('for', id);
    label.textContent = list.getAttribute('data-filter-label') || 'Tìm';
    var input = document.createElement('input');
    input.type = 'search';
    input.id = id;
    input.autocomplete = 'off';
    var status = document.createElement('p');
    status.className = 'hint';
    status.setAttribute('aria-live', 'polite');
    wrap.appendChild(label);
    wrap.appendChild(input);
    wrap.appendChild(status);
    fieldset.insertBefore(wrap, list);
    var items = Array.prototype.slice.call(list.querySelectorAll('label.checklist-item'));
    var keys = items.map(function (l) {
      return fold(l.textContent || '');
    });
    function update() {
      var q = fold(input.value);
      var shown = 0;
      var checked = 0;
      items.forEach(function (l, i) {
        var box = l.querySelector('input');
        var on = box ? box.checked : false;
        if (on) checked++;
        var visible = on || q === '' || keys[i].indexOf(q) !== -1;
        l.hidden = !visible;
        if (visible) shown++;
      });
      status.textContent =
        'Đã chọn ' + checked + ' đơn vị' + (q === '' ? '.' : '; ' + shown + ' đơn vị khớp với “' + input.value + '”.');
    }
    input.addEventListener('input', update);
    // Enter in the filter must not submit the whole form
    input.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter') ev.preventDefault();
    });
    list.addEventListener('change', update);
    update();
  }

  form.querySelectorAll('.checklist-items').forEach(enhanceChecklist);

  var button = document.getElementById('add-task');
  var count = document.getElementById('task_count');
  var container = document.getElementById('task-blocks');
  if (!button || !count || !container) return;
  var MAX = 50;
  button.addEventListener('click', function (ev) {
    var blocks = container.querySelectorAll('fieldset.task-block');
    var n = blocks.length;
    if (n >= MAX) return;
    ev.preventDefault();
    var clone = blocks[n - 1].cloneNode(true);
    var from = 't' + (n - 1) + '_';
    var to = 't' + n + '_';
    clone.setAttribute('data-index', String(n));
    clone.querySelector('legend').textContent = 'Nhiệm vụ ' + (n + 1);
    clone.querySelectorAll('.error-text, .checklist-filter').forEach(function (e) {
      e.remove();
    });
    clone.querySelectorAll('.has-error').forEach(function (e) {
      e.classList.remove('has-error');
    });
    clone.querySelectorAll('details').forEach(function (d) {
      d.open = false;
    });
    clone.querySelectorAll('label.checklist-item').forEach(function (l) {
      l.hidden = false;
    });
    clone.querySelectorAll('[name],[id],label[for],[aria-describedby]').forEach(function (el) {
      ['name', 'id', 'for'].forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v && v.indexOf(from) === 0) el.setAttribute(attr, to + v.slice(from.length));
      });
      el.removeAttribute('aria-invalid');
      el.removeAttribute('aria-describedby');
      if (el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio')) el.checked = false;
      else if (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') el.value = '';
      else if (el.tagName === 'SELECT')
        Array.prototype.forEach.call(el.options, function (o) {
          o.selected = false;
        });
    });
    container.appendChild(clone);
    clone.querySelectorAll('.checklist-items').forEach(enhanceChecklist);
    count.value = String(n + 1);
    if (n + 1 >= MAX) button.hidden = true;
    var first = clone.querySelector('input[type=text]');
    if (first) first.focus();
  });
})();
