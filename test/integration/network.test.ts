import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { SseServer } from '../support/sseServer';
import { Tinyproxy } from '../support/tinyproxy';
import { DONE, sse } from '../fixtures/providers/build';
import { activateSwitchboard, answerAt, until } from './support';
import { answerText } from '../../src/protocol/transcript';

const answer = sse(
  { choices: [{ index: 0, delta: { role: 'assistant', content: 'through the proxy' } }] },
  { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
  DONE,
);

suite("VS Code's http.proxy setting, in the real extension host", () => {
  let server: SseServer;
  let proxy: Tinyproxy;
  let savedNoProxy: string | undefined;

  suiteSetup(async () => {
    server = await SseServer.start();
    server.setDefault({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: answer });
    proxy = await Tinyproxy.start();
    // The endpoint is on loopback, which goes direct by default; a NO_PROXY that is present (even empty)
    // alone decides, as curl's users expect. The extension reads the environment per request.
    savedNoProxy = process.env.NO_PROXY;
    process.env.NO_PROXY = '';
    const api = await activateSwitchboard();
    await vscode.workspace.getConfiguration('switchboard').update('models', { proxied: { endpoint: server.url, model: 'p' } }, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('switchboard').update('chains', { chat: ['proxied'], summarize: ['proxied'], probe: ['proxied'] }, vscode.ConfigurationTarget.Global);
    await until('the chain setting', () => api.settings.settings.chains.chat.join() === 'proxied');
  });

  suiteTeardown(async () => {
    if (savedNoProxy === undefined) delete process.env.NO_PROXY;
    else process.env.NO_PROXY = savedNoProxy;
    await vscode.workspace.getConfiguration('http').update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('switchboard').update('models', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('switchboard').update('chains', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
    await proxy?.stop();
  });

  test('with http.proxy set through the settings API, a chat turn goes through tinyproxy (its log shows the request) and answers', async () => {
    const api = await activateSwitchboard();
    const target = `${server.url}/v1/chat/completions`;
    await api.session.newChat();
    await api.session.send('direct first');
    assert.equal(answerAt(api, 1).state, 'done', JSON.stringify(answerAt(api, 1).error));
    assert.ok(!proxy.log().includes(target), 'without http.proxy the request goes direct');

    await vscode.workspace.getConfiguration('http').update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
    await until('the proxy setting to apply', () => api.network.current.proxy === proxy.url);
    await api.session.newChat();
    await api.session.send('through the proxy, please');
    const reply = answerAt(api, 1);
    assert.equal(reply.state, 'done', JSON.stringify(reply.error));
    assert.equal(answerText(reply), 'through the proxy');
    assert.ok(proxy.log().includes(`POST ${target}`), `tinyproxy log:\n${proxy.log()}`);
  });
});
