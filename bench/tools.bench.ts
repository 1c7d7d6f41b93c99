// The tool-call round trip, measured where users wait, in Switchboard's own code (no network, no model):
// (1) from the tool call's last byte (the broker's `tool_call` event) to the card's upsert leaving the
//     session (a pending card for a command; its arguments checked, its risk classified);
// (2) for an auto-approved read-only call, from the same event to the next request leaving (the call run,
//     its result appended). Medians and p95 over many runs; the file read is real (a temporary workspace).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrokerEvent, ChatMessage } from '../src/broker';
import { ChatSession, type Conversation, type ConversationStore } from '../src/chat/chatSession';
import { PendingDecisions } from '../src/chat/tools/decisions';
import { createToolExecutor } from '../src/chat/tools/executor';
import { nodeFileSystem } from '../src/chat/tools/nodeFileSystem';
import { ToolCoordinator } from '../src/chat/tools/toolCoordinator';
import { initSafety } from '../src/safety';
import { markdownTable, median, p95, writeJson } from './benchKit';

const RUNS = 200;
const now = () => Number(process.hrtime.bigint()) / 1e6;

class NoStore implements ConversationStore {
  list() { return []; }
  load(): Conversation | undefined { return undefined; }
  save() {}
  currentId() { return undefined; }
  setCurrentId() {}
}

async function main(): Promise<void> {
  await initSafety();
  const root = mkdtempSync(join(tmpdir(), 'sb-tools-bench-'));
  writeFileSync(join(root, 'a.ts'), 'export const a = 1;\n'.repeat(200));
  const decisions = new PendingDecisions();
  const coordinator = new ToolCoordinator({
    settings: () => ({ enabled: true, autoApprove: ['read_file'], autoApproveBudgetUsd: 10, rules: { allow: [], deny: [] }, llmProbe: false }),
    executor: createToolExecutor({ roots: () => [root], fs: nodeFileSystem }),
    decisions,
    addAllowRule: async () => {},
  });

  const toCard: number[] = [];
  const toNext: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const kind of ['command', 'read'] as const) {
      let emitted = 0;
      let nextRequest = 0;
      let request = 0;
      const id = `c${i}${kind}`;
      const stream = (_m: ChatMessage[]): AsyncIterable<BrokerEvent> => {
        request++;
        if (request === 2) nextRequest = now();
        return (async function* () {
          if (request > 1) {
            yield { kind: 'text', text: 'ok' } as BrokerEvent;
            yield { kind: 'done', finishReason: 'stop', model: null, modelId: 'm' } as BrokerEvent;
            return;
          }
          emitted = now();
          yield kind === 'command'
            ? { kind: 'tool_call', id, name: 'run_command', arguments: '{"command":"npm run build -- --watch=false"}' }
            : { kind: 'tool_call', id, name: 'read_file', arguments: '{"path":"a.ts","startLine":1,"endLine":50}' };
          yield { kind: 'done', finishReason: 'tool_calls', model: null, modelId: 'm' };
        })();
      };
      const session = new ChatSession({ store: new NoStore(), stream: (m) => stream(m), tools: coordinator, coalesceMs: 1 });
      let carded = 0;
      session.onDidUpdate((u) => {
        if (!carded && u.type === 'upsert' && u.message.role === 'assistant' && u.message.parts.some((p) => p.kind === 'toolCall' && p.state === 'pending' && p.card)) {
          carded = now();
          queueMicrotask(() => decisions.decide(id, { kind: 'reject' }));
        }
      });
      await session.send('go');
      if (kind === 'command') toCard.push(carded - emitted);
      else toNext.push(nextRequest - emitted);
    }
  }
  rmSync(root, { recursive: true, force: true });
  const result = {
    runs: RUNS,
    toolCallToCardMs: { median: median(toCard), p95: p95(toCard), target: 50 },
    autoApprovedReadToNextRequestMs: { median: median(toNext), p95: p95(toNext), target: 20 },
  };
  writeJson(join('bench', 'results', 'tools.json'), result);
  console.log(markdownTable(['Measure (Switchboard\'s own time)', 'median ms', 'p95 ms', 'target'], [
    ['tool call\'s last byte -> pending card published (command, classified)', result.toolCallToCardMs.median.toFixed(2), result.toolCallToCardMs.p95.toFixed(2), '< 50 ms'],
    ['auto-approved read_file: last byte -> next request leaves', result.autoApprovedReadToNextRequestMs.median.toFixed(2), result.autoApprovedReadToNextRequestMs.p95.toFixed(2), '< 20 ms'],
  ]));
}

void main();
