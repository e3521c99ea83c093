// Drives headless Chromium through the web pages and the widget. Started by
// tests/browser.rs, which serves a small real index and a "publisher" page:
//
//   node tests/browser/run.mjs <base-url> <publisher-url> <artifacts-dir>
//
// Exits 0 when every check passes; prints one line per check and saves a
// screenshot of each page in <artifacts-dir>.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [base, publisher, artifacts] = process.argv.slice(2);
if (!base || !publisher || !artifacts) {
  console.error('usage: node run.mjs <base-url> <publisher-url> <artifacts-dir>');
  process.exit(2);
}
mkdirSync(artifacts, { recursive: true });
const WAIT = { timeout: 20_000 };

// The flags keep Chromium off the network: without the background-networking ones
// its own connections are refused on a closed network and it stalls.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

let failed = 0;
const problems = [];
async function check(name, page, run) {
  try {
    await run();
    console.log(`ok - ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`not ok - ${name}\n  ${String(error.message || error).split('\n').join('\n  ')}`);
  } finally {
    if (page) await page.screenshot({ path: join(artifacts, `${name.replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => {});
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}
// Script errors, console errors and failed requests (but a missing favicon) fail
// the run, whichever page they come from.
function watch(page, label) {
  page.on('pageerror', (error) => problems.push(`${label}: ${error.message}`));
  page.on('console', (message) => {
    // A failed request is reported below, with its URL.
    if (message.type() === 'error' && !/^Failed to load resource/.test(message.text())) problems.push(`${label}: console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !/\/favicon\.ico$/.test(response.url())) problems.push(`${label}: ${response.status()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => problems.push(`${label}: ${request.failure()?.errorText} ${request.url()}`));
}

try {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  watch(page, 'pages');

  // A word from a real story's title: typing it must find (and mark) something.
  const probe = await page.request.get(`${base}/api/search?q=&section=top_story&limit=1&mode=keyword`);
  assert(probe.ok(), `GET /api/search answered ${probe.status()}`);
  const title = (await probe.json()).hits[0].title;
  const word = title.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 5).sort((a, b) => b.length - a.length)[0] || title.split(' ')[0];
  console.log(`# query: ${word} (from "${title}")`);

  await check('search as you type', page, async () => {
    await page.goto(`${base}/`);
    // Survives only if the results come without a page load.
    await page.evaluate(() => { window.stillHere = true; });
    await page.locator('#q').pressSequentially(word.toLowerCase(), { delay: 40 });
    await page.locator('#results .hit mark').first().waitFor(WAIT);
    assert(await page.evaluate(() => window.stillHere === true), 'the page reloaded instead of updating');
    assert(new URL(page.url()).searchParams.get('q') === word.toLowerCase(), `the URL was not updated: ${page.url()}`);
    const hits = await page.locator('#results .hit').count();
    assert(hits > 0 && hits <= 10, `expected 1 to 10 hits, got ${hits}`);
    // A facet narrows the results in place.
    const facet = page.locator('#results .facet').first();
    if (await facet.count()) {
      await facet.click();
      await page.locator('#results .facet.on').first().waitFor(WAIT);
      assert(await page.evaluate(() => window.stillHere === true), 'the facet reloaded the page');
    }
  });

  await check('story page with related stories', page, async () => {
    await page.goto(`${base}/search?q=${encodeURIComponent(word)}&section=top_story&mode=keyword`);
    await page.locator('.hit h3 a').first().click();
    await page.waitForURL(/\/stories\//, WAIT);
    await page.locator('article.story h1').waitFor(WAIT);
    await page.locator('.related-list li a').first().waitFor(WAIT);
    const why = await page.locator('.related-list .why').first().textContent();
    assert(why && why.trim().length > 0, 'a related story has no why');
    const issue = await page.locator('.crumbs a').getAttribute('href');
    assert(/^\/issues\//.test(issue), `the issue link is ${issue}`);
  });

  await check('trends chart', page, async () => {
    await page.goto(`${base}/trends?term=${encodeURIComponent(word)}`);
    const svg = page.locator('figure.chart svg[role=img]');
    await svg.waitFor(WAIT);
    assert(await svg.locator('polyline').count() >= 1, 'no polyline');
    assert((await svg.locator('title').first().textContent()).length > 0, 'the chart has no title');
    const csv = await page.locator('.downloads a').first().getAttribute('href');
    assert(/format=csv/.test(csv), `the CSV link is ${csv}`);
    const answer = await page.request.get(new URL(csv, base).href);
    assert(answer.ok(), `the CSV answered ${answer.status()}`);
    assert(/^week,/.test(await answer.text()), 'the CSV has no header');
  });

  await check('issue page', page, async () => {
    await page.goto(`${base}/issues`);
    await page.locator('ol.issues a').first().click();
    await page.locator('article.issue h1').waitFor(WAIT);
    assert(await page.locator('article.issue a[href^="/stories/"]').count() > 3, 'the issue links few stories');
  });

  await check('resources: one entry per work, paged', page, async () => {
    // A work the index holds at two levels and two URLs (tests/browser.rs adds an
    // issue that featured one again), as the API lists it.
    const answer = await page.request.get(`${base}/api/resources?limit=200`);
    assert(answer.ok(), `GET /api/resources answered ${answer.status()}`);
    const work = (await answer.json()).groups.flatMap((g) => g.items)
      .find((r) => r.levels.length > 1 && r.urls.length > 1);
    assert(work, 'no resource featured at two levels and URLs');
    await page.goto(`${base}/resources`);
    assert(await page.locator('section.resources section.level').count() >= 3, 'fewer than three level groups');
    const entry = page.locator('li.resource').filter({ has: page.getByRole('link', { name: work.title, exact: true }) });
    assert(await entry.count() === 1, `"${work.title}" is listed ${await entry.count()} times`);
    const levels = await entry.locator('.levels').textContent();
    for (const level of work.levels) assert(levels.includes(level), `its levels read "${levels}", not ${level}`);
    const also = entry.locator('.urls a');
    assert(await also.count() === work.urls.length - 1, `it links ${await also.count()} other URLs`);
    assert(work.urls.includes(await also.first().getAttribute('href')), 'the other URL is not one it was featured under');

    // Five a page at one level: next, then previous.
    const titles = () => page.locator('li.resource p.title a').allTextContents();
    await page.goto(`${base}/resources?level=intermediate&limit=5`);
    const first = await titles();
    assert(first.length === 5, `page 1 lists ${first.length}`);
    const count = (await page.locator('p.count').textContent()).trim();
    assert(/^Showing 1–5 of \d+ resources$/.test(count), `the count reads "${count}"`);
    await page.locator('nav.pages a[rel=next]').click();
    await page.waitForURL(/page=2/, WAIT);
    const second = await titles();
    assert(second.length > 0 && second.every((t) => !first.includes(t)), `page 2 repeats page 1: ${second}`);
    assert(/^Showing 6–/.test((await page.locator('p.count').textContent()).trim()), 'page 2 does not start at 6');
    await page.locator('nav.pages a[rel=prev]').click();
    await page.waitForURL((url) => !url.searchParams.has('page'), WAIT);
    assert(JSON.stringify(await titles()) === JSON.stringify(first), 'previous did not bring page 1 back');
  });

  await check('paths: steps linked with their time', page, async () => {
    await page.goto(`${base}/paths?sort=shortest`);
    const path = page.locator('article.path').first();
    await path.waitFor(WAIT);
    const steps = path.locator('ol > li');
    assert(await steps.count() > 0, 'a path without steps');
    let sum = 0;
    for (let i = 0; i < await steps.count(); i += 1) {
      const step = steps.nth(i);
      assert(/^https?:\/\//.test(await step.locator('a').getAttribute('href')), `step ${i + 1} is not linked`);
      sum += Number(await step.locator('.minutes').getAttribute('data-minutes'));
    }
    const total = path.locator('.total');
    assert(Number(await total.getAttribute('data-minutes')) === sum, 'the total is not the sum of the steps');
    assert(/ in all, \d+ steps$/.test((await total.textContent()).trim()), 'no total time shown');
    assert(await path.locator('.outcome').count() === 1, 'no outcome');
  });

  await check('widget on a publisher page', null, async () => {
    const publisherPage = await context.newPage();
    watch(publisherPage, 'publisher');
    await publisherPage.goto(publisher);
    // Playwright's CSS locators pierce open shadow roots.
    const link = publisherPage.locator('.backissue-related a').first();
    await link.waitFor(WAIT);
    const shadow = await publisherPage.evaluate(() => {
      const host = document.querySelector('.backissue-related');
      return {
        inShadow: !!host && !!host.shadowRoot && host.shadowRoot.querySelectorAll('li').length,
        afterScript: !!host && host.previousElementSibling && host.previousElementSibling.tagName === 'SCRIPT',
        leaked: document.querySelectorAll('li').length,
      };
    });
    assert(shadow.inShadow > 0, 'no list inside the shadow root');
    assert(shadow.afterScript, 'the widget is not right after its script tag');
    assert(shadow.leaked === 0, 'the widget wrote into the page outside its shadow root');
    const href = await link.getAttribute('href');
    assert(href.startsWith(`${base}/stories/`), `the widget links to ${href}`);
    await publisherPage.screenshot({ path: join(artifacts, 'widget.png'), fullPage: true });
    await publisherPage.close();
  });

  await check('search without JavaScript', null, async () => {
    const plain = await browser.newContext({ javaScriptEnabled: false });
    const noJs = await plain.newPage();
    await noJs.goto(`${base}/search?q=${encodeURIComponent(word)}&mode=keyword`);
    assert(await noJs.locator('.hit mark').count() > 0, 'no marked hit without JavaScript');
    await noJs.locator('#q').fill(word);
    await noJs.locator('#search-form button[type=submit]').click();
    await noJs.waitForURL(/\/search\?/, WAIT);
    assert(await noJs.locator('.hit').count() > 0, 'the form did not search');
    await noJs.screenshot({ path: join(artifacts, 'search-without-javascript.png'), fullPage: true });
    await plain.close();
  });

  if (problems.length) {
    failed += 1;
    console.log(`not ok - no script errors\n  ${problems.join('\n  ')}`);
  } else {
    console.log('ok - no script errors');
  }
} finally {
  await browser.close();
}
console.log(failed ? `${failed} browser check(s) failed; screenshots in ${artifacts}` : `all browser checks passed; screenshots in ${artifacts}`);
process.exit(failed ? 1 : 0);
