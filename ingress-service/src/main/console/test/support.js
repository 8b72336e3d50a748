// What the browser tests need around the page: the suite under test (from the environment),
// admin calls made directly, a receiver to deliver to, and a headless Chromium.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const base = required('CONSOLE_URL').replace(/\/$/, '');
export const adminKey = required('RESEQ_ADMIN_KEY');
export const readKey = required('RESEQ_READ_KEY');
export const screenshots = resolve(process.env.SCREENSHOT_DIR ?? '../../../../deploy/target/console-screenshots');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the browser tests run against a suite the caller started`);
  return value;
}

const run = Date.now().toString(36);
/** A name unique to this run, so the tests can run again against the same suite. */
export const named = (prefix) => `${prefix}-${run}`;

/** An admin call with the operator key; returns the parsed body, or throws with the problem. */
export async function admin(method, path, body, key = adminKey) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export async function send(channel, bodies) {
  for (const body of bodies) {
    const response = await fetch(`${base}/api/v1/channels/${channel}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 202) throw new Error(`send to ${channel}: ${response.status} ${await response.text()}`);
  }
}

/** A destination and a channel routing to it alone, both named `name`. */
export async function route(name, configuration) {
  await admin('PUT', `/admin/v1/destinations/${name}`, configuration);
  await admin('PUT', `/admin/v1/channels/${name}`, { destinations: [name] });
}

export const status = async (name) => (await admin('GET', `/admin/v1/destinations/${name}`)).status;

/**
 * The receiver destinations deliver to: /ok accepts, /reject refuses for good (400, which egress
 * holds under BLOCK), /transform-fail answers an http transform 422 (a failure for good).
 */
export async function receiver() {
  const received = [];
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/ok') {
        received.push(Buffer.concat(chunks).toString());
        response.writeHead(200).end();
      } else if (request.url === '/reject') {
        response.writeHead(400, { 'Content-Type': 'text/plain' }).end('the receiver refuses this');
      } else {
        response.writeHead(422, { 'Content-Type': 'text/plain' }).end('cannot transform this');
      }
    });
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  return { url: `http://127.0.0.1:${server.address().port}`, received, close: () => server.close() };
}

/** Debian's Chromium, headless, with a fresh profile that is removed afterwards. */
export async function browser() {
  const profile = mkdtempSync(join(tmpdir(), 'reseq-console-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page, file) {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, file), fullPage: false });
}

/** Opens the console in a new tab and signs in with `key`. */
export async function signedIn(context, key = adminKey, path = '') {
  const page = await context.newPage();
  await page.goto(`${base}/console/${path}`);
  await page.getByLabel('API key or access token').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1 }).filter({ hasNotText: 'Sign in' }).waitFor();
  return page;
}

export async function eventually(check, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
