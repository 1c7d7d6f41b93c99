import * as vscode from 'vscode';
import type { NetworkSettings } from '../broker';

/**
 * VS Code's proxy settings (`http.proxy`, `http.noProxy`, `http.proxyStrictSSL`, `http.proxyAuthorization`),
 * read live: the value is re-read when any of them changes, and each request takes the current one.
 * The broker bundles its own HTTP client, which VS Code's proxy support does not reach, so it applies them.
 */
export class NetworkSettingsReader implements vscode.Disposable {
  private value: NetworkSettings;
  private readonly sub: vscode.Disposable;

  constructor() {
    this.value = readNetworkSettings();
    this.sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('http')) this.value = readNetworkSettings();
    });
  }

  /** The settings for the next request. */
  get current(): NetworkSettings {
    return this.value;
  }

  dispose(): void {
    this.sub.dispose();
  }
}

/** The `http.*` proxy settings now; empty values are left out. */
export function readNetworkSettings(): NetworkSettings {
  const c = vscode.workspace.getConfiguration('http');
  const out: NetworkSettings = {};
  const proxy = c.get<unknown>('proxy');
  if (typeof proxy === 'string' && proxy.trim() !== '') out.proxy = proxy.trim();
  const noProxy = c.get<unknown>('noProxy');
  if (Array.isArray(noProxy)) {
    const list = noProxy.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
    if (list.length) out.noProxy = list;
  }
  if (c.get<unknown>('proxyStrictSSL') === false) out.proxyStrictSSL = false;
  const auth = c.get<unknown>('proxyAuthorization');
  if (typeof auth === 'string' && auth.trim() !== '') out.proxyAuthorization = auth.trim();
  return out;
}
