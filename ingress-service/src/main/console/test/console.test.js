// The console in a real browser (Debian's Chromium through playwright-core) against a running,
// secured suite: CONSOLE_URL, RESEQ_ADMIN_KEY (ADMIN, READ, INGEST), RESEQ_READ_KEY (READ).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  adminKey, base, browser, eventually, named, readKey, receiver, route, screenshot, send, signedIn, status,
} from './support.js';

const OK = named('console-ok');
const BLOCKED = named('console-blocked');
const HELD = named('console-held');
let chrome;
let sink;

before(async () => {
  chrome = await browser();
  sink = await receiver();
});

after(async () => {
  await chrome?.close();
  sink?.close();
});

/** The text of a destination's cell in the list, by column header. */
function cell(page, name, column) {
  const index = ['Name', 'Type', 'Paused', 'Last', 'Released', 'Delivered', 'Backlog', 'Head of line',
    'Head age', 'Dead letters', 'No worker', 'Leaders'].indexOf(column);
  return page.locator(`tr[data-name="${name}"] > :nth-child(${index + 1})`);
}

async function textOf(locator) {
  return (await locator.count()) > 0 ? (await locator.first().textContent()) ?? '' : '';
}

async function confirm(page, button, confirmLabel) {
  await page.getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: confirmLabel, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

test('the page is open, its API asks for a key: a wrong one is refused, a good one signs in, sign out forgets it', async () => {
  const anonymous = await fetch(`${base}/admin/v1/destinations`);
  assert.equal(anonymous.status, 401);
  assert.equal((await fetch(`${base}/console/`)).status, 200);

  const page = await chrome.context.newPage();
  await page.goto(`${base}/console/`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('API key or access token').fill('not-a-key');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('The key was not accepted').waitFor();

  await page.getByLabel('API key or access token').fill(adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Destinations' }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('reseq.console.credential')), adminKey);
  assert.ok(!(await page.content()).includes(adminKey), 'the key is nowhere in the page');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('reseq.console.credential')), null);
  await page.close();
});

test('a destination created through the API shows its delivered sequence once messages are delivered', async () => {
  await route(OK, { type: 'HTTP', url: `${sink.url}/ok` });
  const page = await signedIn(chrome.context);
  await send(OK, [1, 2, 3, 4, 5].map((i) => ({ order: i, item: 'tea' })));

  await eventually(async () => (await textOf(cell(page, OK, 'Delivered'))) === '5', `${OK} delivered 5 in the list`);
  assert.equal(await textOf(cell(page, OK, 'Backlog')), '0');
  assert.equal(await textOf(cell(page, OK, 'Paused')), 'no');
  assert.ok(sink.received.length >= 5, 'the receiver got the five messages');
  // Both roles lead it: the suite's resequencer and egress instances, each with its epoch.
  await eventually(async () => /^resequencer .+ \(epoch \d+\), egress .+ \(epoch \d+\)$/
    .test(await textOf(cell(page, OK, 'Leaders'))), `${OK} shows its two leaders`);

  // Sorting by backlog is a keyboard-reachable button that marks its column.
  await page.getByRole('button', { name: 'Backlog' }).focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('th[aria-sort]').textContent(), 'Backlog');
  await page.close();
});

test('a blocked head shows its error in the list and in words; skip, confirmed, moves the line on', async () => {
  await route(BLOCKED, {
    type: 'HTTP', url: `${sink.url}/ok`, onFailure: 'BLOCK',
    transforms: [{ type: 'http', url: `${sink.url}/transform-fail` }],
  });
  await send(BLOCKED, [{ first: 'poison' }, { second: 'poison' }]);
  const page = await signedIn(chrome.context);

  await eventually(async () => (await textOf(cell(page, BLOCKED, 'Head of line'))).includes('FAILED'),
    `${BLOCKED} head FAILED in the list`);
  assert.match(await textOf(cell(page, BLOCKED, 'Head of line')), /^1 FAILED: .*422/);
  await screenshot(page, 'destinations-1280x800.png');

  await page.getByRole('link', { name: BLOCKED }).click();
  const head = page.locator('[data-head]');
  await eventually(async () => /sequence 1: transform failed after 1 attempt: .*422/.test(await textOf(head)),
    'the head of line in words');

  await confirm(page, 'Skip head', 'Skip');
  await page.getByText('Skip of sequence 1 queued').waitFor();
  await eventually(async () => /sequence 2: transform failed/.test(await textOf(head)), 'the line moved on to 2');
  assert.equal((await status(BLOCKED)).releasedSequence, 1);

  const letter = page.locator('table.dead-letters tr[data-sequence="1"]');
  await eventually(async () => (await textOf(letter)).includes('SKIPPED'), 'the skipped head among the dead letters');
  await eventually(async () => (await textOf(letter.locator('code.payload'))).includes('"first":"poison"'),
    'the dead letter\'s payload preview');
  await eventually(async () => /SKIP.*console-ops/.test(await textOf(page.locator('table.action-log tbody tr').first())),
    'the skip in the action log, by the key\'s name');

  // Redelivery sends the skipped message once, outside the order, to the destination's URL.
  await letter.getByRole('button', { name: 'Redeliver' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Redeliver', exact: true }).click();
  await page.getByText('Redelivery of sequence 1 queued').waitFor();
  await eventually(async () => (await textOf(letter.locator('td').nth(5))) !== '–', 'redeliveredAt set');
  assert.ok(sink.received.some((body) => body.includes('"first":"poison"')), 'the receiver got the redelivery');
  await screenshot(page, 'destination-1280x800.png');
  await page.close();
});

test('a message egress holds (the receiver answers 400) shows as HELD with its error', async () => {
  await route(HELD, { type: 'HTTP', url: `${sink.url}/reject`, onFailure: 'BLOCK' });
  await send(HELD, [{ rejected: true }]);
  const page = await signedIn(chrome.context);

  await eventually(async () => (await textOf(cell(page, HELD, 'Head of line'))).includes('HELD'),
    `${HELD} held by egress`, 60_000);
  assert.match(await textOf(cell(page, HELD, 'Head of line')), /^1 HELD: .*400/);
  await page.getByRole('link', { name: HELD }).click();
  await eventually(async () => /held by egress at sequence 1: .*400/.test(await textOf(page.locator('[data-head]'))),
    'the held head in words');
  await page.close();
});

test('pause and resume from the page take effect, and a paused destination delivers nothing', async () => {
  const page = await signedIn(chrome.context, adminKey, `#/destinations/${OK}`);
  const paused = page.locator('dd[data-fact="Paused"]');
  await eventually(async () => (await textOf(paused)) === 'no', 'the page shows the destination running');

  // Escape cancels the dialog: nothing is done.
  await page.getByRole('button', { name: 'Pause', exact: true }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('dialog').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel');
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  assert.equal((await status(OK)).paused, false);

  await confirm(page, 'Pause', 'Pause');
  await eventually(async () => (await status(OK)).paused === true, 'status.paused after pause');
  await eventually(async () => (await textOf(paused)) === 'yes, paused', 'the page shows it paused');
  await send(OK, [{ order: 6, item: 'while paused' }]);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await status(OK)).deliveredSequence, 5, 'nothing delivered while paused');

  await confirm(page, 'Resume', 'Resume');
  await eventually(async () => (await status(OK)).paused === false, 'status.paused after resume');
  await eventually(async () => (await textOf(page.locator('dd[data-fact="Delivered sequence"]'))) === '6',
    'the page shows the message delivered after resume');
  const log = await textOf(page.locator('table.action-log tbody'));
  assert.match(log, /RESUME/);
  assert.match(log, /PAUSE/);
  await page.close();
});

test('a read-only key sees the 403 problem and loses the action buttons', async () => {
  const page = await signedIn(chrome.context, readKey, `#/destinations/${OK}`);
  const pause = page.getByRole('button', { name: 'Pause', exact: true });
  await eventually(async () => !(await pause.isDisabled()), 'the pause button enabled before any refusal');

  await confirm(page, 'Pause', 'Pause');
  await page.getByText('Your key lacks the role for this').waitFor();
  assert.match(await textOf(page.locator('.outcome')), /This needs the role ADMIN/);
  assert.ok(await pause.isDisabled(), 'actions are disabled for a read-only key');
  assert.equal((await status(OK)).paused, false, 'nothing was paused');
  await page.close();
});

test('the pages read at phone width without sideways scrolling; channels list their destinations', async () => {
  const page = await signedIn(chrome.context);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('link', { name: 'Channels' }).click();
  await page.getByRole('heading', { name: 'Channels' }).waitFor();
  await page.locator(`tr[data-name="${OK}"]`).getByRole('link', { name: OK }).waitFor();

  await page.goto(`${base}/console/#/destinations/${BLOCKED}`);
  await page.locator('[data-head]').filter({ hasText: 'transform failed' }).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the phone`);
  await screenshot(page, 'destination-phone-390x844.png');
  await page.close();
});

test('the console needs nothing from another origin and holds no credential in its source', async () => {
  const page = await chrome.context.newPage();
  const origins = new Set();
  page.on('request', (request) => origins.add(new URL(request.url()).origin));
  await page.goto(`${base}/console/`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.deepEqual([...origins].filter((o) => o !== base && o !== 'data:' && o !== 'null'), []);
  const source = await (await fetch(`${base}/console/`)).text();
  assert.ok(!source.includes(adminKey) && !source.includes(readKey));
  await page.close();

});
