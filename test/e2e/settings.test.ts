import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { e2e, openChatView, openWorkbench, writeMachineSettings } from './context';

suite('settings problems in the real workbench', () => {
  let page: Page;
  suiteSetup(async () => {
    page = await openWorkbench();
  });

  suiteTeardown(async () => {
    writeMachineSettings({});
    await page?.close();
  });

  test('a chain naming an unknown model shows in the chat view header, live, and Open Settings opens the settings editor', async () => {
    const frame = await openChatView(page);
    const problems = frame.getByRole('status', { name: 'Settings problems' });
    assert.equal(await problems.isVisible(), false, 'no problems with the default settings');

    writeMachineSettings({ 'switchboard.chains': { chat: ['typo-model'], summarize: ['local'], probe: ['local'] } });
    await problems.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await problems.innerText(), /switchboard\.chains\.chat\[0\].*"typo-model"/s);

    await problems.getByRole('button', { name: 'Open Settings' }).click();
    await page.locator('.settings-editor').waitFor({ state: 'visible', timeout: 20_000 });
    await page.screenshot({ path: `${e2e().screenshotDir}/settings-problem.png` });

    writeMachineSettings({});
    await problems.waitFor({ state: 'hidden', timeout: 20_000 });
  });
});
