/* Runs before the console in every browser, including Internet Explorer: plain ES3, no modules.
   IE (documentMode is set only there; Trident/MSIE in the user agent) gets a Japanese page
   asking for Microsoft Edge instead of a blank screen. */
(function () {
  var ua = window.navigator.userAgent || '';
  var isIE = !!document.documentMode || ua.indexOf('MSIE ') >= 0 || ua.indexOf('Trident/') >= 0;
  if (!isIE) return;
  document.documentElement.className += ' unsupported-browser';
  var root = document.getElementById('root');
  var notice = document.getElementById('unsupported-browser');
  var edge = document.getElementById('open-in-edge');
  if (root) root.style.display = 'none';
  if (edge) edge.href = 'microsoft-edge:' + window.location.href;
  if (notice) notice.style.display = 'block';
  else window.location.replace('/unsupported-browser.html');
})();
