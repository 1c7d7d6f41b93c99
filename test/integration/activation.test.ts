import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateSwitchboard, nextEvent } from './support';

suite('activation in a real extension host', () => {
  test('the extension activates and reports the VS Code version it runs in', async () => {
    console.log(`    running in VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.appHost})`);
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    const api = await activateSwitchboard();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    assert.equal(api.log.name, 'Switchboard');
  });

  test('the manifest contributes the Switchboard container, the Chat webview view and both commands', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    assert.deepEqual(pkg.contributes.viewsContainers.activitybar.map((c: { id: string }) => c.id), ['switchboard']);
    const view = pkg.contributes.views.switchboard.find((v: { id: string }) => v.id === 'switchboard.chat');
    assert.equal(view?.type, 'webview');
    assert.equal(view?.name, 'Chat');
    const titles = pkg.contributes.commands.map((c: { category: string; title: string }) => `${c.category}: ${c.title}`);
    assert.ok(titles.includes('Switchboard: Open Chat'), titles.join(', '));
    assert.ok(titles.includes('Switchboard: Show Log'), titles.join(', '));
  });

  test('every contributed command is registered by the running extension', async () => {
    await activateSwitchboard();
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const { command } of pkg.contributes.commands as { command: string }[]) {
      assert.ok(registered.has(command), `${command} is contributed but not registered`);
    }
  });

  test('Open Chat reveals the view and its webview completes the ready/snapshot handshake', async () => {
    const api = await activateSwitchboard();
    const handshake = nextEvent(api.chatView.onDidHandshake, 20_000, 'the chat webview handshake');
    await vscode.commands.executeCommand('switchboard.openChat');
    const info = await handshake;
    assert.equal(info.protocolVersion, api.protocolVersion);
    assert.equal(info.messageCount, 0);
  });

  test('Show Log runs without error', async () => {
    await activateSwitchboard();
    await vscode.commands.executeCommand('switchboard.showLog');
  });
});
