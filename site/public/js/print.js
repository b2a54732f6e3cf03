document.addEventListener('click', function (ev) {
  var b = ev.target.closest?.('.print-btn');
  if (b) window.print();
});
document.querySelectorAll('.print-btn').forEach(function (b) {
  b.hidden = false;
});
