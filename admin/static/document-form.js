// Progressive enhancement for the directive-document form (admin/routes/documents.tsx): "Thêm nhiệm vụ" adds a
// blank task block in place instead of a round trip (which would also drop the chosen file). Without this
// script the button submits the form and the server re-renders it with one more block.
(function () {
  var form = document.querySelector('form.document-form');
  var button = document.getElementById('add-task');
  var count = document.getElementById('task_count');
  var container = document.getElementById('task-blocks');
  if (!form || !button || !count || !container) return;
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
    clone.querySelectorAll('.error-text').forEach(function (e) {
      e.remove();
    });
    clone.querySelectorAll('.has-error').forEach(function (e) {
      e.classList.remove('has-error');
    });
    clone.querySelectorAll('[name],[id],label[for]').forEach(function (el) {
      ['name', 'id', 'for'].forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v && v.indexOf(from) === 0) el.setAttribute(attr, to + v.slice(from.length));
      });
      el.removeAttribute('aria-invalid');
      if (el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio')) el.checked = false;
      else if (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') el.value = '';
      else if (el.tagName === 'SELECT')
        Array.prototype.forEach.call(el.options, function (o) {
          o.selected = false;
        });
    });
    container.appendChild(clone);
    count.value = String(n + 1);
    if (n + 1 >= MAX) button.hidden = true;
    var first = clone.querySelector('input[type=text]');
    if (first) first.focus();
  });
})();
