import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { createUser, listAuditEvents } from '../../src/auth/index.js';
import { PROJECT_ROOT } from '../../src/config/index.js';
import { createRecordingStore } from '../../src/egress/index.js';
import { tempDir, testConfig } from '../helpers/app.js';
import {
  FIXTURE_LINES,
  seedFixtureCall,
  seedFixtureRecording,
  seedOtherCalls,
} from '../helpers/console-seed.js';
import { createTestDatabase } from '../helpers/databases.js';

/**
 * The console in a real browser: Debian's Chromium driven by playwright-core (nothing is
 * downloaded). Outside CI the suite is skipped, visibly, when Chromium is not installed; in CI it
 * must be there (.ci/run installs it).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) {
  throw new Error(`Chromium is required in CI but ${CHROMIUM} does not exist`);
}
if (!available) {
  console.warn(
    `[tests] ${CHROMIUM} not found: browser tests skipped (apt-get install -y chromium)`,
  );
}

/** The parts of HTMLAudioElement the test touches (the project compiles without DOM types). */
interface AudioLike {
  currentTime: number;
  play(): Promise<void>;
  pause(): void;
}

const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');
const PASSWORD = 'console browser test password';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Lets the test start playback without a user gesture (the click below is one anyway).
  '--autoplay-policy=no-user-gesture-required',
];

describe.skipIf(!available)('staff console in Chromium', () => {
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let callId: string;
  let recordingId: string;

  beforeAll(async () => {
    const config = testConfig({ RECORDINGS_DIR: tempDir() });
    app = await buildApp({
      config,
      database: await createTestDatabase('sqlite'),
      ownsDatabase: true,
    });
    await createUser(app.db, { email: 'sup@dealer.test', password: PASSWORD, role: 'supervisor' });
    await createUser(app.db, { email: 'view@dealer.test', password: PASSWORD, role: 'viewer' });
    const call = await seedFixtureCall(app.db);
    const recording = await seedFixtureRecording(
      app.db,
      createRecordingStore(config.recording.store),
      call,
    );
    await seedOtherCalls(app.db);
    callId = call.id;
    recordingId = recording.id;
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function logIn(page: Page, email: string) {
    await page.goto(`${base}/`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Calls' }).waitFor();
  }

  const playerTime = (page: Page) =>
    page.$eval('#player', (audio) => (audio as unknown as AudioLike).currentTime);
  /** Waits (polling in the page; the CSP forbids string evaluation) until the player is past `seconds`. */
  const playerReaches = (page: Page, seconds: number) =>
    page.waitForFunction((min) => {
      const { document } = globalThis as unknown as {
        document: { getElementById(id: string): AudioLike | null };
      };
      return (document.getElementById('player')?.currentTime ?? 0) >= min;
    }, seconds);
  const currentLine = (page: Page) =>
    page.$eval('.transcript', (list) =>
      [...list.querySelectorAll('li')].findIndex(
        (li) => li.getAttribute('aria-current') === 'true',
      ),
    );

  it('logs in, filters, opens a call, plays it with the transcript following, seeks, logs out', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await logIn(page, 'sup@dealer.test');
    await expect.poll(() => page.locator('table.calls tbody tr').count()).toBe(4);

    await page.getByLabel('Outcome').selectOption('appointment_booked');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.locator('table.calls tbody tr').count()).toBe(1);
    expect(page.url()).toContain('outcome=appointment_booked');
    await page.getByLabel('Summary contains').fill('no such words');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No calls match these filters.').waitFor();
    await page.getByLabel('Summary contains').fill('test drive');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.locator('table.calls tbody tr').count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-list.png'), fullPage: true });

    await page.locator(`tr[data-call-id="${callId}"] a`).click();
    await page.getByRole('heading', { name: /^Call / }).waitFor();
    await page.locator('#player').waitFor();
    expect(await page.getByRole('link', { name: 'Download' }).getAttribute('href')).toBe(
      `/api/recordings/${recordingId}/audio?download=1`,
    );
    expect(await page.locator('.transcript li').count()).toBe(FIXTURE_LINES.length);
    expect(await page.locator('.latency-chart rect.bar').count()).toBe(9);
    expect(await page.getByText('lookup_vehicle').count()).toBe(1);

    // Play: the player's clock advances and the first line is highlighted.
    await page.$eval('#player', (audio) => (audio as unknown as AudioLike).play());
    await playerReaches(page, 0.5);
    expect(await currentLine(page)).toBe(0);

    // Click the fourth line: the recording seeks to where it starts and it is highlighted.
    const fourth = FIXTURE_LINES[3]!;
    await page.locator('.transcript li').nth(3).getByRole('button').click();
    await playerReaches(page, fourth.startMs / 1000);
    const seeked = await playerTime(page);
    expect(seeked).toBeGreaterThanOrEqual(fourth.startMs / 1000);
    expect(seeked).toBeLessThan(fourth.endMs / 1000);
    await expect.poll(() => currentLine(page)).toBe(3);
    await page.$eval('#player', (audio) => (audio as unknown as AudioLike).pause());
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-detail.png'), fullPage: true });

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(`${base}/#/calls/${callId}`);
    await phone.locator('.transcript').waitFor();
    // Nothing wider than the phone's screen: no sideways scrolling of the page.
    const pageWidth = await phone.evaluate(() => {
      const { document } = globalThis as unknown as {
        document: { documentElement: { scrollWidth: number } };
      };
      return document.documentElement.scrollWidth;
    });
    expect(pageWidth).toBeLessThanOrEqual(390);
    await phone.screenshot({
      path: path.join(ARTIFACTS, 'console-detail-phone.png'),
      fullPage: true,
    });
    await phone.close();

    // Listening was audited once for this session, with the address.
    const listens = await listAuditEvents(app.db, { action: 'recording.listen' });
    expect(listens.items).toHaveLength(1);
    expect(listens.items[0]).toMatchObject({
      actor: { label: 'sup@dealer.test' },
      target: { type: 'recording', id: recordingId },
      ip: '127.0.0.1',
    });

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Staff console' }).waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(me).toBe(401);
    expect(errors).toEqual([]);
  });

  it('shows a viewer no download or delete button, and the API refuses both with 403', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, 'view@dealer.test');
    await page.goto(`${base}/#/calls/${callId}`);
    await page.locator('#player').waitFor();
    expect(await page.locator('#delete-recording').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Download' }).count()).toBe(0);
    expect(await page.locator('table.calls, [data-nav="admin"]:not([hidden])').count()).toBe(0);

    const statuses = await page.evaluate(async (id) => {
      const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
      const remove = await fetch(`/api/recordings/${id}`, {
        method: 'DELETE',
        headers: { 'x-csrf-token': me.csrfToken },
      });
      const download = await fetch(`/api/recordings/${id}/audio?download=1`);
      const listen = await fetch(`/api/recordings/${id}/audio`, {
        headers: { range: 'bytes=0-99' },
      });
      return { remove: remove.status, download: download.status, listen: listen.status };
    }, recordingId);
    expect(statuses).toEqual({ remove: 403, download: 403, listen: 206 });
  });
});
