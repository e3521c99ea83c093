/* backissue related-stories widget. On any page:
 *   <script src="https://HOST/widget.js" data-story="2026-03-27/top/2" async></script>
 * or data-text="…" instead of data-story; data-limit="N" (1-10, default 5).
 * Renders right after the script tag, inside a shadow root (the page's styles and
 * ours stay apart). Data is only ever set as textContent. */
(function (d) {
  var s = d.currentScript;
  if (!s || !window.fetch || !s.parentNode) return;
  var base = new URL(s.src, location.href).origin;
  var story = s.getAttribute('data-story');
  var text = s.getAttribute('data-text');
  var limit = Math.min(Math.max(parseInt(s.getAttribute('data-limit'), 10) || 5, 1), 10);
  if (!story && !text) return;
  var host = d.createElement('div');
  host.className = 'backissue-related';
  s.parentNode.insertBefore(host, s.nextSibling);
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  var path = function (id) { return id.split('/').map(encodeURIComponent).join('/'); };
  var url = story
    ? base + '/api/stories/' + path(story) + '/related?limit=' + limit
    : base + '/api/related?limit=' + limit + '&text=' + encodeURIComponent(text.slice(0, 1000));
  function el(tag, cls, txt) {
    var e = d.createElement(tag);
    if (cls) e.className = cls;
    if (txt != null) e.textContent = txt;
    return e;
  }
  fetch(url, { credentials: 'omit' })
    .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
    .then(function (data) {
      var list = (data && data.related) || [];
      if (!list.length) return host.remove();
      var css = el('style');
      css.textContent =
        ':host{all:initial;display:block;margin:1em 0}' +
        '.b{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1d21;' +
        'background:#fff;border:1px solid #dfe2e6;border-radius:8px;padding:.6em 1em;max-width:40em}' +
        'h2{font-size:1em;margin:.2em 0 .5em}ul{margin:0;padding:0;list-style:none}' +
        'li{margin:0 0 .6em}a{color:#0b5cad;font-weight:600;text-decoration:none}a:hover{text-decoration:underline}' +
        '.m{display:block;color:#5b616b;font-size:.85em}';
      var box = el('aside', 'b');
      box.setAttribute('aria-label', 'Related stories');
      box.appendChild(el('h2', '', 'Related stories'));
      var ul = box.appendChild(el('ul'));
      list.forEach(function (r) {
        var li = ul.appendChild(el('li'));
        var a = li.appendChild(el('a', '', r.title));
        a.href = base + '/stories/' + path(r.id);
        li.appendChild(el('span', 'm', r.date + (r.why ? ' · ' + r.why : '')));
      });
      root.appendChild(css);
      root.appendChild(box);
    })
    .catch(function () { host.remove(); });
})(document);
