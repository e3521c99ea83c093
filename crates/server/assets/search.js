// Live search for the search page: results as you type, from /api/search, with the
// page's own URLs kept in the address bar (a reload shows the same page, rendered by
// the server). The page works without this file.
//
// Safety: data from the API is only ever inserted as text (createTextNode,
// textContent). The engine's snippets carry <mark>; they are split on exactly
// <mark> and </mark>, which become elements, and the rest is decoded as text.
(function () {
  'use strict';
  var form = document.getElementById('search-form');
  var results = document.getElementById('results');
  if (!form || !results || !window.fetch || !window.URLSearchParams) return;
  var PAGE = 10;
  var FILTERS = [['sector', 'Sector'], ['region', 'Region'], ['section', 'Section'],
    ['level', 'Level'], ['kind', 'Resource kind'], ['source', 'Source']];
  var SECTIONS = { top_story: 'Top story', sector_story: 'Sector story', regional_story: 'Regional story',
    insight: 'Insight', hidden_signal: 'Hidden signal', resource: 'Resource', learning_path: 'Learning path' };
  var timer, controller, page = +(new URLSearchParams(location.search).get('page')) || 1;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) node.setAttribute(k, attrs[k]);
    if (text != null) node.textContent = text;
    return node;
  }
  // The same slug as the server's (backissue_issue::id::slug), to tell active facets.
  function slug(text) {
    var out = '', gap = false;
    for (var c of String(text)) {
      if (/[A-Za-z0-9]/.test(c) || (c > '\x7f' && /[\p{L}\p{N}]/u.test(c))) {
        if (gap && out) out += '-';
        gap = false;
        out += c.toLowerCase();
      } else if (/[&\s\-_/.]/.test(c)) gap = true;
    }
    return out || 'x';
  }
  function decode(text) {
    var named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, function (all, name) {
      if (named[name]) return named[name];
      var code = /^#x/i.test(name) ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      try { return name[0] === '#' ? String.fromCodePoint(code) : all; } catch (e) { return all; }
    });
  }
  function marked(parent, html) {
    var open = null;
    String(html).split(/(<\/?mark>)/).forEach(function (part) {
      if (part === '<mark>') { if (!open) open = parent.appendChild(el('mark')); }
      else if (part === '</mark>') open = null;
      else if (part) (open || parent).appendChild(document.createTextNode(decode(part)));
    });
  }
  function storyHref(id) { return '/stories/' + id.split('/').map(encodeURIComponent).join('/'); }

  // The page's parameters, read from the form (its hidden inputs hold the filters).
  function params(onPage) {
    var p = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== '' && !(key === 'mode' && value === 'hybrid') && !(key === 'sort' && value === 'relevance')) p.append(key, value);
    });
    if (onPage > 1) p.set('page', onPage);
    return p;
  }
  function pageHref(p) { return '/search?' + p.toString(); }
  function toggled(p, key, value) {
    var next = new URLSearchParams(), found = false;
    p.forEach(function (v, k) {
      if (k === 'page') return;
      if (k === key && slug(v) === slug(value)) found = true; else next.append(k, v);
    });
    if (!found) next.append(key, value);
    return next;
  }
  function has(p, key, value) {
    return p.getAll(key).some(function (v) { return slug(v) === slug(value); });
  }
  // Puts a page URL's parameters into the form.
  function apply(p) {
    form.querySelectorAll('input[type=hidden]').forEach(function (input) { input.remove(); });
    form.elements.q.value = p.get('q') || '';
    form.elements.sort.value = p.get('sort') || 'relevance';
    form.elements.from.value = p.get('from') || '';
    form.elements.to.value = p.get('to') || '';
    var mode = form.querySelector('input[name=mode][value="' + (p.get('mode') || 'hybrid') + '"]');
    if (mode) mode.checked = true;
    FILTERS.forEach(function (f) {
      p.getAll(f[0]).forEach(function (v) { form.appendChild(el('input', { type: 'hidden', name: f[0], value: v })); });
    });
    page = +p.get('page') || 1;
  }

  function run(how) {
    var p = params(page);
    history[how === 'push' ? 'pushState' : 'replaceState'](null, '', pageHref(p));
    var api = new URLSearchParams(p);
    api.delete('page');
    api.set('offset', (page - 1) * PAGE);
    api.set('limit', PAGE);
    if (controller) controller.abort();
    controller = new AbortController();
    results.setAttribute('aria-busy', 'true');
    fetch('/api/search?' + api, { signal: controller.signal, headers: { Accept: 'application/json' } })
      .then(function (r) { return r.json().then(function (body) { return [r.ok, body]; }); })
      .then(function (answer) {
        results.removeAttribute('aria-busy');
        if (answer[0]) render(answer[1], p);
        else fail(answer[1] && answer[1].error ? answer[1].error.message : 'The search failed.');
      })
      .catch(function (e) {
        if (e.name === 'AbortError') return;
        results.removeAttribute('aria-busy');
        fail('The search failed; press Enter to load the results page.');
      });
  }
  function fail(message) {
    results.replaceChildren(el('p', { class: 'notice error', role: 'alert' }, message));
  }

  function render(body, p) {
    var q = (p.get('q') || '').trim();
    var count = body.total === 1 ? '1 result' : body.total + ' results';
    var out = [el('p', { class: 'summary' }, q ? count + ' for “' + q + '”' : count + ', newest first')];
    var active = [];
    FILTERS.forEach(function (f) { p.getAll(f[0]).forEach(function (v) { active.push([f, v]); }); });
    if (active.length) {
      var chips = el('ul', { class: 'chips', 'aria-label': 'Active filters' });
      active.forEach(function (a) {
        var facet = (body.facets[a[0][0]] || []).filter(function (f) { return f.slug === slug(a[1]); })[0];
        var label = facet ? (SECTIONS[facet.value] || facet.value) : a[1];
        var link = el('a', { href: pageHref(toggled(p, a[0][0], a[1])), 'data-nav': '' }, a[0][1] + ': ' + label + ' ×');
        chips.appendChild(el('li')).appendChild(link);
      });
      out.push(chips);
    }
    (body.corrections || []).forEach(function (c) {
      out.push(el('p', { class: 'notice' }, 'No document has “' + c.from + '”; searched for ' +
        c.to.map(function (w) { return '“' + w + '”'; }).join(', ') + ' instead.'));
    });
    (body.notes || []).forEach(function (n) { out.push(el('p', { class: 'notice' }, n)); });
    var grid = el('div', { class: 'with-facets' });
    var aside = el('aside', { class: 'facets', 'aria-label': 'Filters' });
    FILTERS.forEach(function (f) {
      var values = (body.facets[f[0]] || []).slice(0, 8);
      if (!values.length) return;
      var section = aside.appendChild(el('section'));
      section.appendChild(el('h2', null, f[1]));
      var list = section.appendChild(el('ul'));
      values.forEach(function (v) {
        var on = has(p, f[0], v.slug);
        var link = el('a', { href: pageHref(toggled(p, f[0], v.slug)), 'data-nav': '', class: on ? 'facet on' : 'facet' },
          (SECTIONS[v.value] || v.value) + ' ');
        link.appendChild(el('span', { class: 'count' }, String(v.count)));
        if (on) link.appendChild(el('span', { class: 'vh' }, ' (selected; follow to remove)'));
        list.appendChild(el('li')).appendChild(link);
      });
    });
    if (aside.children.length) grid.appendChild(aside);
    if (!body.hits.length) {
      grid.appendChild(el('p', { class: 'empty' }, 'Nothing found. Try fewer words, another match mode, or fewer filters.'));
    } else {
      var hits = grid.appendChild(el('ol', { class: 'hits', start: String(body.offset + 1) }));
      body.hits.forEach(function (hit) { hits.appendChild(renderHit(hit)); });
    }
    out.push(grid);
    var pages = Math.ceil(body.total / PAGE);
    if (pages > 1) out.push(renderPages(p, Math.min(page, pages), pages));
    results.replaceChildren.apply(results, out);
  }
  function renderHit(hit) {
    var li = el('li', { class: 'hit' });
    var title = li.appendChild(el('h3')).appendChild(el('a', { href: storyHref(hit.id) }));
    marked(title, hit.title_html);
    var meta = li.appendChild(el('p', { class: 'meta' }));
    meta.appendChild(el('a', { href: '/issues/' + encodeURIComponent(hit.issue_id) }, hit.date));
    meta.appendChild(document.createTextNode(' · ' + (SECTIONS[hit.section] || hit.section)));
    var copies = hit.copies.length;
    if (copies) meta.appendChild(document.createTextNode(' · also told ' + copies + ' more time' + (copies === 1 ? '' : 's') + ' in the issue'));
    if (hit.url && /^https?:\/\//i.test(hit.url)) {
      meta.appendChild(document.createTextNode(' · '));
      meta.appendChild(el('a', { href: hit.url, rel: 'noopener' }, 'open'));
    }
    marked(li.appendChild(el('p', { class: 'snippet' })), hit.snippet);
    return li;
  }
  function renderPages(p, current, pages) {
    var list = el('ul');
    function item(n, text, rel) {
      var at = new URLSearchParams(p);
      if (n > 1) at.set('page', n); else at.delete('page');
      var attrs = { href: pageHref(at), 'data-nav': '' };
      if (rel) attrs.rel = rel;
      list.appendChild(el('li')).appendChild(el('a', attrs, text));
    }
    if (current > 1) item(current - 1, '← Previous', 'prev');
    var first = Math.max(1, current - 3), last = Math.min(pages, first + 6);
    for (var n = first; n <= last; n++) {
      if (n === current) list.appendChild(el('li')).appendChild(el('span', { 'aria-current': 'page' }, String(n)));
      else item(n, String(n));
    }
    if (current < pages) item(current + 1, 'Next →', 'next');
    var nav = el('nav', { class: 'pages', 'aria-label': 'Pages' });
    nav.appendChild(list);
    return nav;
  }

  form.elements.q.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { page = 1; run('replace'); }, 200);
  });
  form.addEventListener('change', function (e) {
    if (e.target.name !== 'q') { page = 1; run('push'); }
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    page = 1;
    run('push');
  });
  results.addEventListener('click', function (e) {
    var link = e.target.closest && e.target.closest('a[data-nav]');
    if (!link || e.ctrlKey || e.metaKey || e.shiftKey || e.button) return;
    e.preventDefault();
    apply(new URL(link.href).searchParams);
    run('push');
    form.elements.q.focus({ preventScroll: true });
  });
  window.addEventListener('popstate', function () {
    apply(new URLSearchParams(location.search));
    run('replace');
  });
})();
