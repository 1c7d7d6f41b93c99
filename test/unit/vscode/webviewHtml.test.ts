import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { contentSecurityPolicy, makeNonce, renderWebviewHtml } from '../../../src/vscode/webviewHtml';

const parts = { cspSource: 'https://file+.vscode-resource.example', nonce: 'N0nce', scriptUri: 'https://r/dist/webview.js', styleUris: ['https://r/media/chat.css', 'https://r/media/markdown.css'] };

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

suite('webview HTML and its content security policy', () => {
  test('scripts run only by nonce: no unsafe-inline, no unsafe-eval, no host sources', () => {
    const d = directives(contentSecurityPolicy(parts.cspSource, parts.nonce));
    assert.deepEqual(d.get('default-src'), ["'none'"]);
    assert.deepEqual(d.get('script-src'), ["'nonce-N0nce'"]);
    assert.ok(![...d.values()].flat().some((v) => v === "'unsafe-inline'" || v === "'unsafe-eval'"));
  });

  test('images load only from the extension or inline data, never from a remote host', () => {
    const d = directives(contentSecurityPolicy(parts.cspSource, parts.nonce));
    assert.deepEqual(d.get('img-src'), [parts.cspSource, 'data:']);
    assert.deepEqual(d.get('connect-src'), ["'none'"]);
  });

  test('the page carries the CSP meta tag, the nonce on its only script, and no inline script or style', () => {
    const html = renderWebviewHtml(parts);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-N0nce'/);
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0], /nonce="N0nce" src="https:\/\/r\/dist\/webview\.js"/);
    assert.doesNotMatch(html, /<style|style="/);
    assert.equal((html.match(/<link rel="stylesheet" href="https:\/\/r\/media\/[a-z]+\.css">/g) ?? []).length, 2);
  });

  test('nonces are 32 alphanumerics and differ between renders', () => {
    const a = makeNonce((n) => randomBytes(n));
    const b = makeNonce((n) => randomBytes(n));
    assert.match(a, /^[A-Za-z0-9]{32}$/);
    assert.notEqual(a, b);
  });
});
