import * as vscode from 'vscode';
import { withoutPrompts, type BrokerLogSink } from '../broker';

const MAX_REPLAYS = 20;

/**
 * The broker's log sink for the extension: one line per request into the Switchboard log, and each replay
 * record (already redacted by the broker) as a JSON file in the extension's log folder, newest 20 kept.
 * Records keep the prompts only while `keepPrompts()` says so (`switchboard.log.keepFailedRequests`).
 */
export function createBrokerLogSink(log: vscode.LogOutputChannel, logUri: vscode.Uri, keepPrompts: () => boolean = () => true): BrokerLogSink {
  const dir = vscode.Uri.joinPath(logUri, 'replays');
  const written: vscode.Uri[] = [];
  return (entry) => {
    if (entry.type === 'request') {
      if (entry.outcome === 'ok') log.info(entry.line);
      else log.warn(entry.line);
      return;
    }
    const r = keepPrompts() ? entry.record : withoutPrompts(entry.record);
    const name = `${r.time.replace(/[:.]/g, '-')}-${r.modelId.replace(/[^A-Za-z0-9._-]/g, '_')}-${r.kind}.json`;
    const file = vscode.Uri.joinPath(dir, name);
    void (async () => {
      try {
        await vscode.workspace.fs.createDirectory(dir);
        await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify(r, null, 2)));
        written.push(file);
        log.info(`replay record for the ${r.kind} failure of "${r.modelId}": ${file.fsPath}`);
        const old = written.splice(0, Math.max(0, written.length - MAX_REPLAYS));
        for (const f of old) await vscode.workspace.fs.delete(f).then(undefined, () => undefined);
      } catch (err) {
        log.warn(`could not write a replay record: ${String(err)}`);
      }
    })();
  };
}
