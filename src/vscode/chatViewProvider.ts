import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { DisposableStore } from '../common/disposable';
import { Emitter } from '../common/event';
import { assertNever } from '../common/assert';
import type { ChatSession, SessionUpdate } from '../chat/chatSession';
import { PROTOCOL_VERSION, parseWebviewMessage, type ChainChoice, type HostToWebview, type ViewState, type WebviewToHost } from '../protocol/messages';
import type { UserDecision } from '../chat/tools/decisions';
import type { SmallStore } from './fileStore';
import { makeNonce, renderWebviewHtml } from './webviewHtml';
import { openWorkspaceFile } from './workspaceFiles';

type Outgoing = HostToWebview extends infer M ? (M extends { seq: number } ? Omit<M, 'seq'> : never) : never;

export interface ChatViewDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  session: ChatSession;
  /** The chains and single models the header offers. */
  chainChoices(): ChainChoice[];
  selectedChain(): string;
  selectChain(id: string): void;
  /** Fetches an image the user asked to load, as a data: URL. */
  fetchImage(src: string): Promise<string>;
  /** Where the draft and scroll position are kept between reloads (written before `update` resolves). */
  uiStore: SmallStore;
  /** Decisions on pending tool calls, and the diff editor for an edit's card. */
  tools: {
    decide(callId: string, decision: UserDecision): boolean;
    showDiff(messageId: string, callId: string): Promise<void>;
  };
}

const UI_KEY = 'switchboard.viewUi';
interface StoredUi {
  draft: string;
  /** The webview's clock when it saved the draft. */
  at?: number;
  scrollTop: number;
  conversationId: string;
}

const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/**
 * Serves the chat webview view and translates between the chat session and the protocol. The host owns
 * the conversation; the webview renders only what it is sent. A hidden webview receives nothing, so every
 * `ready` (first load, reload, re-show) gets a full snapshot.
 */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'switchboard.chat';

  private view: vscode.WebviewView | undefined;
  private viewDisposables = new DisposableStore();
  private readonly disposables = new DisposableStore();
  private seq = 0;
  private ready = false;
  private focusWhenReady = false;
  private problems: string[] = [];
  private pendingAttachments: string[] = [];
  private readonly _onDidHandshake = new Emitter<{ protocolVersion: number; messageCount: number }>();
  /** Fires each time a webview finished its handshake (it posted `ready` and was sent a snapshot). */
  readonly onDidHandshake = this._onDidHandshake.event;

  constructor(private readonly deps: ChatViewDeps) {
    this.disposables.add(deps.session.onDidUpdate((u) => this.onSessionUpdate(u)));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.viewDisposables.dispose();
    this.viewDisposables = new DisposableStore();
    this.view = view;
    this.ready = false;
    const dist = vscode.Uri.joinPath(this.deps.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.deps.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    view.webview.html = renderWebviewHtml({
      cspSource: view.webview.cspSource,
      nonce: makeNonce((n) => randomBytes(n)),
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUris: ['chat.css', 'markdown.css'].map((f) => view.webview.asWebviewUri(vscode.Uri.joinPath(media, f)).toString()),
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
    this.problems = problems;
    if (this.ready) this.post({ type: 'problems', problems });
  }

  /** Re-sends the whole state (a new or reopened conversation). */
  refresh(): void {
    if (this.ready) this.post({ type: 'snapshot', protocolVersion: PROTOCOL_VERSION, state: this.snapshot() });
  }

  /** Re-sends only the header (chain choices changed): the transcript is not re-sent or re-rendered. */
  refreshHeader(): void {
    if (this.ready) this.post({ type: 'header', chains: this.deps.chainChoices(), selectedChain: this.deps.selectedChain() });
  }

  /** Reveals the view and puts the cursor in the message box (now, or as soon as the webview is ready). */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`);
    if (this.ready) this.post({ type: 'focusInput' });
    else this.focusWhenReady = true;
  }

  /** Adds text to the message box's draft and reveals the view. */
  async attach(text: string): Promise<void> {
    this.pendingAttachments.push(text);
    await this.reveal();
    this.flushAttachments();
  }

  private flushAttachments(): void {
    if (!this.ready) return;
    for (const text of this.pendingAttachments.splice(0)) this.post({ type: 'attach', text });
  }

  private snapshot(): ViewState {
    const s = this.deps.session;
    const ui = this.deps.uiStore.get<StoredUi>(UI_KEY);
    return {
      draft: ui?.draft ?? '',
      draftAt: ui?.at ?? 0,
      scrollTop: ui && ui.conversationId === s.conversationId ? ui.scrollTop : null,
      conversationId: s.conversationId,
      messages: structuredClone([...s.messages]),
      problems: this.problems,
      busy: s.busy,
      conversations: s.conversations(),
      chains: this.deps.chainChoices(),
      selectedChain: this.deps.selectedChain(),
    };
  }

  private onSessionUpdate(u: SessionUpdate): void {
    if (!this.ready) return; // the next `ready` gets a snapshot
    switch (u.type) {
      case 'upsert':
        this.post({ type: 'upsert', message: u.message, busy: this.deps.session.busy });
        return;
      case 'delta':
        this.post({ type: 'delta', messageId: u.messageId, index: u.index, step: u.step, text: u.text, reasoning: u.reasoning });
        return;
      case 'reset':
        this.refresh();
        return;
      case 'conversations':
        this.post({ type: 'conversations', conversations: this.deps.session.conversations() });
        return;
      default:
        assertNever(u, 'session update');
    }
  }

  private onMessage(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.deps.log.warn('chat view: ignored a malformed message from the webview');
      return;
    }
    void this.handle(message).catch((err: unknown) => this.deps.log.error(`chat view: ${message.type} failed: ${String(err)}`));
  }

  private async handle(message: WebviewToHost): Promise<void> {
    const { session, log } = this.deps;
    switch (message.type) {
      case 'ready':
        if (message.protocolVersion !== PROTOCOL_VERSION) {
          log.error(`chat view: webview speaks protocol ${message.protocolVersion}, host ${PROTOCOL_VERSION}`);
          this.post({ type: 'protocolMismatch', hostVersion: PROTOCOL_VERSION, webviewVersion: message.protocolVersion });
          return;
        }
        this.ready = true;
        this.post({ type: 'snapshot', protocolVersion: PROTOCOL_VERSION, state: this.snapshot() });
        this._onDidHandshake.fire({ protocolVersion: message.protocolVersion, messageCount: session.messages.length });
        this.flushAttachments();
        if (this.focusWhenReady) {
          this.focusWhenReady = false;
          this.post({ type: 'focusInput' });
        }
        return;
      case 'log':
        log[message.level](`chat view: ${message.message}`);
        return;
      case 'openSettings':
        await vscode.commands.executeCommand('switchboard.openSettings');
        return;
      case 'showLog':
        log.show(true);
        return;
      case 'send':
        if (session.busy) return;
        await session.send(message.text);
        return;
      case 'stop':
        await session.stop();
        return;
      case 'retry':
        if (!session.busy) await session.retry();
        return;
      case 'newChat':
        await session.newChat();
        return;
      case 'openConversation':
        await session.open(message.id);
        return;
      case 'selectChain':
        this.deps.selectChain(message.id);
        this.refreshHeader();
        return;
      case 'openLink': {
        let uri: vscode.Uri;
        try {
          const url = new URL(message.href);
          if (!LINK_SCHEMES.has(url.protocol)) throw new Error(url.protocol);
          uri = vscode.Uri.parse(url.href, true);
        } catch {
          log.warn('chat view: refused to open a link that is not http(s) or mailto');
          return;
        }
        // openExternal asks the user to confirm untrusted domains, as everywhere in VS Code.
        await vscode.env.openExternal(uri);
        return;
      }
      case 'openFile':
        await openWorkspaceFile(message.path, message.line, log);
        return;
      case 'loadImage':
        try {
          const dataUrl = await this.deps.fetchImage(message.src);
          this.post({ type: 'imageLoaded', requestId: message.requestId, dataUrl });
        } catch (err) {
          this.post({ type: 'imageLoaded', requestId: message.requestId, error: (err as Error)?.message ?? String(err) });
        }
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        return;
      case 'uiState': {
        // Saves may arrive out of order (a debounced save racing an immediate one): the newest wins.
        const stored = this.deps.uiStore.get<StoredUi>(UI_KEY);
        if ((stored?.at ?? 0) <= message.at) {
          await this.deps.uiStore.update(UI_KEY, { draft: message.draft, scrollTop: message.scrollTop, at: message.at, conversationId: session.conversationId } satisfies StoredUi);
        }
        this.post({ type: 'uiSaved', at: message.at });
        return;
      }
      case 'toolDecision': {
        const d: UserDecision = message.decision === 'approve' ? { kind: 'approve', confirmed: message.confirmed === true }
          : message.decision === 'reject' ? { kind: 'reject', reason: message.reason }
          : { kind: message.decision };
        if (!this.deps.tools.decide(message.callId, d)) log.info(`chat view: no tool call ${message.callId} waits for a decision (already decided or stopped)`);
        return;
      }
      case 'undoCompaction':
        session.undoCompaction(message.id);
        return;
      case 'showDiff':
        await this.deps.tools.showDiff(message.messageId, message.callId);
        return;
      case 'insert': {
        const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
        if (!editor) {
          void vscode.window.showInformationMessage('Switchboard: open a file to insert the code into.');
          return;
        }
        await editor.edit((b) => {
          for (const sel of editor.selections) b.replace(sel, message.text);
        });
        return;
      }
      default:
        assertNever(message, 'webview message');
    }
  }

  private post(message: Outgoing): void {
    if (!this.view) return;
    const full = { ...message, seq: ++this.seq } as HostToWebview;
    void this.view.webview.postMessage(full).then(undefined, (err: unknown) => {
      this.deps.log.warn(`chat view: could not post ${full.type}: ${String(err)}`);
    });
  }

  dispose(): void {
    this._onDidHandshake.dispose();
    this.viewDisposables.dispose();
    this.disposables.dispose();
    this.view = undefined;
  }
}
