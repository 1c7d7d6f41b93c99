// What the UI-test runner (scripts/run-e2e.mjs) hands to the UI tests: a running code-server with the packaged
// extension installed, and a headless Chromium. Tests open pages through here so failures can be screenshotted.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BrowserContext, Page, FrameLocator, Locator } from 'playwright-core';

export interface E2EContext {
  /** The workbench URL with the sample workspace open. */
  workbenchUrl: string;
  browser: BrowserContext;
  /** Where screenshots go (failures, and chosen views on success). */
  screenshotDir: string;
  /** The user settings.json of the running code-server. */
  settingsFile: string;
  /** The machine ("Remote") settings.json: where machine-scoped settings such as models and chains apply. */
  machineSettingsFile: string;
  /** The code-server's user-data folder (global storage of extensions lives under User/globalStorage). */
  userDataDir: string;
  /** The VS Code version the workbench runs, e.g. "1.139.1". */
  vscodeVersion: string;
  /** The page of the test running now (set by openWorkbench); screenshotted when a test fails. */
  page?: Page;
}

export function e2e(): E2EContext {
  const ctx = (globalThis as { switchboardE2E?: E2EContext }).switchboardE2E;
  if (!ctx) throw new Error('UI tests must be run by scripts/run-e2e.mjs (no workbench context found)');
  return ctx;
}

/** Replaces the machine ("Remote") settings, where Switchboard's models and chains apply; the workbench picks it up live. */
export function writeMachineSettings(value: object): void {
  const file = e2e().machineSettingsFile;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 2));
}

/** Opens a fresh workbench tab and waits until the workbench is interactive. */
export async function openWorkbench(): Promise<Page> {
  const ctx = e2e();
  const page = await ctx.browser.newPage();
  ctx.page = page;
  await page.goto(ctx.workbenchUrl);
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  // The status bar is the last part to render; its presence means the layout is settled.
  await page.locator('.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
  return page;
}

/** The chat webview's document: two nested iframes inside the workbench. */
export function chatFrame(page: Page): FrameLocator {
  // Only Switchboard's view: other webviews (a markdown preview restored from an earlier test) may be open too.
  return page.frameLocator('iframe.webview.ready[src*="extensionId=switchboard.switchboard"]').frameLocator('#active-frame');
}

/** Opens the Switchboard container and waits for the chat webview's handshake (set only once the snapshot arrived). */
export async function openChatView(page: Page): Promise<FrameLocator> {
  await page.locator('.activitybar .action-item a[aria-label^="Switchboard"]').click();
  // The pointer would stay on the activity-bar item, whose hover ("Switchboard") can open over the top of the
  // view and take a click meant for a button there: it rests on the editor area instead.
  const editor = await page.locator('.part.editor').boundingBox();
  if (editor) await page.mouse.move(editor.x + editor.width / 2, editor.y + editor.height / 2);
  const frame = chatFrame(page);
  await frame.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 30_000 });
  await frame.locator('[role="log"][aria-label="Conversation"]').waitFor({ state: 'visible' });
  return frame;
}

/** Runs a command from the command palette by its full title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await input.press('Enter');
  // Done when the palette's own query is gone: the widget hides, or (a command that asks something, on
  // VS Code 1.139) it is reused at once for the command's own quick pick.
  await page.waitForFunction(
    () => ![...document.querySelectorAll<HTMLInputElement>('.quick-input-widget input')].some((i) => i.offsetParent !== null && i.value.startsWith('>')),
    undefined,
    { timeout: 10_000 },
  );
}

/** Sends `text` from the chat view's message box; resolves once it is in the transcript, with the answer after it. */
export async function sendMessage(frame: FrameLocator, text: string): Promise<Locator> {
  const box = frame.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await frame.locator('[role="log"] [data-role="user"]', { hasText: text }).waitFor();
  return frame.locator('[role="log"] [data-role="assistant"]').last();
}

/** Starts a new chat and waits until the view shows it empty (conversations persist: counts start from zero). */
export async function newChat(frame: FrameLocator): Promise<void> {
  await frame.getByRole('button', { name: 'New Chat' }).click();
  await frame.locator('[data-testid="empty-conversation"]').waitFor({ timeout: 10_000 });
}

/** Sends a message and waits for its own answer to finish (an earlier answer may already be done). */
export async function askAndWait(frame: FrameLocator, text: string): Promise<Locator> {
  const answers = frame.locator('[role="log"] [data-role="assistant"]');
  const before = await answers.count();
  const box = frame.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await answers.nth(before).and(frame.locator('[data-state="done"]')).waitFor({ timeout: 20_000 });
  return answers.nth(before);
}
