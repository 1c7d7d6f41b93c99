// Opening a file an answer links to (`[a.ts](src/a.ts#L10)`, `src/a.ts:10`). The path comes from model output,
// so it is confined: it must name a regular file inside one of the workspace's folders after every `..` and
// every symbolic link is resolved; anything else is refused with a message, never opened.
import * as vscode from 'vscode';
import { resolveWorkspaceFile } from './workspacePath';

/** Opens `path` at `line` (1-based) in an editor if it is a file inside a workspace folder. */
export async function openWorkspaceFile(path: string, line: number | undefined, log: vscode.LogOutputChannel): Promise<void> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const file = await resolveWorkspaceFile(folders, path);
  if (!file) {
    log.info(`chat view: refused to open ${JSON.stringify(path.slice(0, 200))}: not a file in the workspace`);
    void vscode.window.showInformationMessage(`Switchboard: "${path.slice(0, 200)}" is not a file in this workspace.`);
    return;
  }
  const at = new vscode.Position(Math.max(0, (line ?? 1) - 1), 0);
  await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(at, at), preview: true });
}
