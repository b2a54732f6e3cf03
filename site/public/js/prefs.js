// Font size (A-/A/A+) and high contrast, remembered in localStorage. Loaded in <head> (external file: strict CSP)
// so the saved choice applies before the first paint.
(function () {
  var root = document.documentElement;
  var KEY = 'tdnv-prefs';
  var prefs = { size: 'md', contrast: false };
  try {
    prefs = Object.assign(prefs, JSON.parse(localStorage.getItem(KEY) || '{}'));
  } catch (_e) {
    /* private mode */
  }
  function apply() {
    root.classList.toggle('fs-sm', prefs.size === 'sm');
    root.classList.toggle('fs-lg', prefs.size === 'lg');
    root.classList.toggle('hc', !!prefs.contrast);
  }
  apply();
  function save() {
    try {
      localStorage.setItem(KEY, JSON.stringify(prefs));
    } catch (_e) {
      /* ignore */
    }
  }
  document.addEventListener('DOMContentLoaded', function () {
    var tools = document.getElementById('display-tools');
    if (!tools) return;
    tools.hidden = false;
    function sync() {
      tools.querySelectorAll('[data-size]').forEach(function (b) {
        b.setAttribute('aria-pressed', String(b.getAttribute('data-size') === prefs.size));
      });
      var c = tools.querySelector('[data-contrast]');
      if (c) c.setAttribute('aria-pressed', String(!!prefs.contrast));
    }
    tools.addEventListener('click', function (ev) {
      var b = ev.target.closest('button');
      if (!b) return;
      if (b.hasAttribute('data-size')) prefs.size = b.getAttribute('data-size');
      if (b.hasAttribute('data-contrast')) prefs.contrast = !prefs.contrast;
      apply();
      save();
      sync();
      document.dispatchEvent(new CustomEvent('prefs-changed'));
    });
    sync();
  });
})();
