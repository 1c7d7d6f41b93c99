import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { DisposableStore } from '../common/disposable';
import { Emitter } from '../common/event';
import { assertNever } from '../common/assert';
import { PROTOCOL_VERSION, parseWebviewMessage, type HostToWebview, type ViewState } from '../protocol/messages';
import { makeNonce, renderWebviewHtml } from './webviewHtml';

type Outgoing = HostToWebview extends infer M ? (M extends { seq: number } ? Omit<M, 'seq'> : never) : never;

/**
 * Serves the chat webview view. The host owns the conversation state; the webview renders only what it is
 * sent. A hidden webview receives nothing, so every `ready` (first load, reload, re-show) gets a full snapshot.
 */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'switchboard.chat';

  private view: vscode.WebviewView | undefined;
  private readonly viewDisposables = new DisposableStore();
  private seq = 0;
  private ready = false;
  private focusWhenReady = false;
  private readonly state: ViewState = { messages: [], problems: [] };
  private readonly _onDidHandshake = new Emitter<{ protocolVersion: number; messageCount: number }>();
  /** Fires each time a webview finished its handshake (it posted `ready` and was sent a snapshot). */
  readonly onDidHandshake = this._onDidHandshake.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    view.webview.html = renderWebviewHtml({
      cspSource: view.webview.cspSource,
      nonce: makeNonce((n) => randomBytes(n)),
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'chat.css')).toString(),
    });
    this.viewDisposables.add(view.webview.onDidReceiveMessage((raw) => this.onMessage(raw)));
    this.viewDisposables.add(
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
      }),
    );
  }

  /** Shows settings problems in the view's header (an empty list clears them). */
  setProblems(problems: string[]): void {
    this.state.problems = problems;
    if (this.ready) this.post({ type: 'problems', problems });
  }

  /** Reveals the view and puts the cursor in the message box (now, or as soon as the webview is ready). */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`);
    if (this.ready) this.post({ type: 'focusInput' });
    else this.focusWhenReady = true;
  }

  private onMessage(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.log.warn('chat view: ignored a malformed message from the webview');
      return;
    }
    switch (message.type) {
      case 'ready':
        if (message.protocolVersion !== PROTOCOL_VERSION) {
          this.log.error(`chat view: webview speaks protocol ${message.protocolVersion}, host ${PROTOCOL_VERSION}`);
          this.post({ type: 'protocolMismatch', hostVersion: PROTOCOL_VERSION, webviewVersion: message.protocolVersion });
          return;
        }
        this.ready = true;
        this.post({ type: 'snapshot', protocolVersion: PROTOCOL_VERSION, state: this.state });
        this._onDidHandshake.fire({ protocolVersion: message.protocolVersion, messageCount: this.state.messages.length });
        if (this.focusWhenReady) {
          this.focusWhenReady = false;
          this.post({ type: 'focusInput' });
        }
        return;
      case 'log':
        this.log[message.level](`chat view: ${message.message}`);
        return;
      case 'openSettings':
        void vscode.commands.executeCommand('switchboard.openSettings');
        return;
      default:
        assertNever(message, 'webview message');
    }
  }

  private post(message: Outgoing): void {
    if (!this.view) return;
    const full = { ...message, seq: ++this.seq } as HostToWebview;
    void this.view.webview.postMessage(full).then(undefined, (err: unknown) => {
      this.log.warn(`chat view: could not post ${full.type}: ${String(err)}`);
    });
  }

  dispose(): void {
    this._onDidHandshake.dispose();
    this.viewDisposables.dispose();
    this.view = undefined;
  }
}
