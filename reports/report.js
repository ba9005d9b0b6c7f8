// susaudit HTML report: severity and server filters. Reads only data- attributes of the page;
// no report data is ever placed in this script. Without it every finding stays visible.
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form) {
    return;
  }
  var findings = document.querySelectorAll('article.finding');
  var boxes = form.querySelectorAll('input[name="severity"]');
  var select = form.querySelector('select[name="server"]');
  var counter = document.getElementById('shown');

  function apply() {
    var wanted = {};
    var i;
    for (i = 0; i < boxes.length; i++) {
      wanted[boxes[i].value] = boxes[i].checked;
    }
    var server = select ? select.value : '';
    var shown = 0;
    for (i = 0; i < findings.length; i++) {
      var f = findings[i];
      var visible = wanted[f.getAttribute('data-severity')] === true &&
        (server === '' || f.getAttribute('data-server') === server);
      f.hidden = !visible;
      if (visible) {
        shown++;
      }
    }
    if (counter) {
      counter.textContent = shown + ' of ' + findings.length + ' shown';
    }
  }

  form.addEventListener('change', apply);
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  form.hidden = false;
  apply();
}());
