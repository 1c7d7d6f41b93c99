// Pure: builds the chat webview's HTML. Kept free of `vscode` so its CSP can be checked in unit tests.

export interface WebviewHtmlParts {
  /** `webview.cspSource`: the origin the webview may load local resources from. */
  cspSource: string;
  /** A fresh random nonce per render; the only way a script may run. */
  nonce: string;
  /** `asWebviewUri` of dist/webview.js. */
  scriptUri: string;
  /** `asWebviewUri` of the stylesheets in media/. */
  styleUris: string[];
}

/**
 * The strict content security policy: nothing by default; scripts only with the nonce (no unsafe-inline,
 * no unsafe-eval); styles and fonts only from the extension; images only from the extension and inline data
 * (model output must not be able to make the webview fetch a remote URL); no network connections at all.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

const ATTR_ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };
function attr(value: string): string {
  return value.replace(/[&"<>]/g, (c) => ATTR_ESCAPES[c]);
}

export function renderWebviewHtml(parts: WebviewHtmlParts): string {
  const csp = contentSecurityPolicy(parts.cspSource, parts.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${parts.styleUris.map((u) => `<link rel="stylesheet" href="${attr(u)}">`).join('\n')}
<title>Switchboard Chat</title>
</head>
<body>
<div id="app" aria-busy="true"></div>
<script nonce="${attr(parts.nonce)}" src="${attr(parts.scriptUri)}"></script>
</body>
</html>`;
}

/** 32 random alphanumerics from the given random source (crypto in production). */
export function makeNonce(randomBytes: (n: number) => Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(32), (b) => alphabet[b % alphabet.length]).join('');
}
