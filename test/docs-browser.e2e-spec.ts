import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startStakingFixture, type StakingFixture } from './support/staking-fixture.js';

// Debian's chromium (scripts/test.sh installs it when missing); never a downloaded browser.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join('test-artifacts', 'browser');
const STATUS_PATH = '/api/v1/tron/staking/{address}/status';

/**
 * Swagger UI and ReDoc in a real headless Chromium against the real app, devnet, DB and Redis:
 * authorize with a token, "Try it out" on an address view, see the chain's answer; ReDoc renders
 * the API. Screenshots are kept in test-artifacts/browser (ignored by git).
 */
describe('API docs in a real browser (headless Chromium)', () => {
  let f: StakingFixture;
  let browser: Browser;
  let base: string;
  let address: string;

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    f = await startStakingFixture('docs-browser');
    address = await f.managedAccount(1_000);
    const stake = await f.post('/api/v1/tron/staking/freeze', {
      address,
      amount: 250,
      resource: 'ENERGY',
    });
    expect(stake.statusCode).toBe(201);
    await f.settle();
    await f.t.app.listen(0, '127.0.0.1');
    const { port } = f.t.app.getHttpServer().address() as AddressInfo;
    base = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await f?.close();
  });

  it('Swagger UI: authorize with a token, try GET …/{address}/status, see 200 and the frozen TRX', async () => {
    const page = await browser.newPage();
    const offOrigin: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:'))
        offOrigin.push(r.url());
    });
    await page.goto(`${base}/docs`);
    await page.locator('.btn.authorize').first().click();
    const token = f.auth.authorization.replace(/^Bearer /, '');
    const bearer = page.locator('.auth-container').filter({ hasText: 'bearer' });
    await bearer.locator('input').first().fill(token);
    await bearer.locator('.auth-btn-wrapper button.authorize').click();
    // Once authorized, the form offers "Logout" instead: the token was taken.
    await bearer.getByRole('button', { name: 'Remove authorization' }).waitFor();
    await page.locator('.btn-done').first().click();

    const op = page.locator('.opblock').filter({
      has: page.locator(`.opblock-summary-path[data-path="${STATUS_PATH}"]`),
    });
    await op.locator('.opblock-summary').click();
    await op.locator('.try-out__btn').click();
    await op.locator('tr[data-param-name="address"] input').fill(address);
    await op.locator('.execute').click();
    const live = op.locator('.live-responses-table .response');
    await live.first().waitFor({ timeout: 20_000 });
    await live.first().scrollIntoViewIfNeeded();
    await shot(page, 'swagger-status-try-it-out');
    expect((await live.locator('.response-col_status').first().innerText()).trim()).toBe('200');
    const body = JSON.parse(await live.locator('.microlight').first().innerText()) as {
      address: string;
      frozen: { energy: number };
    };
    expect(body.address).toBe(address);
    expect(body.frozen.energy).toBe(250);
    expect(offOrigin).toEqual([]);
    await page.close();
  });

  it('ReDoc: renders the API title and an operation, with its bundle from this service', async () => {
    const page = await browser.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    await page.goto(`${base}/redoc`);
    await page
      .getByRole('heading', { name: /TRON Staking Service/ })
      .first()
      .waitFor({
        timeout: 20_000,
      });
    const text = await page.locator('body').innerText();
    expect(text).toContain('TRON Staking Service');
    expect(text).toMatch(/freeze/i);
    await shot(page, 'redoc');
    expect(scripts).toContain(`${base}/redoc/redoc.standalone.js`);
    expect(scripts.every((s) => s.startsWith(base) || s.startsWith('blob:'))).toBe(true);
    await page.close();
  });
});
