import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrokerEvent, ChatMessage, ToolSpec, Usage } from '../../../src/broker';
import { DELEGATE_SYSTEM, runSubtask, validateDelegateArgs } from '../../../src/chat/delegation';
import type { ToolCallContext } from '../../../src/chat/toolHook';
import { PendingDecisions } from '../../../src/chat/tools/decisions';
import { createToolExecutor } from '../../../src/chat/tools/executor';
import { nodeFileSystem } from '../../../src/chat/tools/nodeFileSystem';
import { readOnlyHook } from '../../../src/chat/tools/readOnlyHook';
import { ToolCoordinator } from '../../../src/chat/tools/toolCoordinator';
import type { AssistantMessage, SubtaskView, ToolCallPart } from '../../../src/protocol/transcript';

const usage = (cost: number): Usage => ({ promptTokens: 100, completionTokens: 50, totalTokens: 150, cost, costSource: 'provider', modelId: 'strong', model: 's', category: 'delegate' });

suite('delegated subtasks: a fresh context, read-only tools, a budget', () => {
  let root: string;
  setup(() => {
    root = mkdtempSync(join(tmpdir(), 'sb-deleg-'));
    writeFileSync(join(root, 'notes.md'), 'the answer is 42\n');
  });
  teardown(() => rmSync(root, { recursive: true, force: true }));

  const executor = () => createToolExecutor({ roots: () => [root], fs: nodeFileSystem });

  test('the subtask starts from the task alone, may read the workspace without asking, and returns its answer', async () => {
    const requests: { messages: ChatMessage[]; tools: ToolSpec[] }[] = [];
    const steps: (() => AsyncGenerator<BrokerEvent>)[] = [
      async function* () {
        yield { kind: 'tool_call', id: 's1', name: 'read_file', arguments: '{"path":"notes.md"}' };
        yield { kind: 'usage', usage: usage(0.01) };
        yield { kind: 'done', finishReason: 'tool_calls', model: 's', modelId: 'strong' };
      },
      async function* () {
        yield { kind: 'text', text: 'It is 42.' };
        yield { kind: 'usage', usage: usage(0.01) };
        yield { kind: 'done', finishReason: 'stop', model: 's', modelId: 'strong' };
      },
    ];
    const updates: AssistantMessage[] = [];
    const r = await runSubtask('Find the answer in notes.md', 'It is a markdown file.', {
      stream: (messages, opts) => {
        requests.push({ messages: structuredClone(messages), tools: opts.tools });
        return steps[requests.length - 1]();
      },
      tools: readOnlyHook(executor(), () => ['read_file', 'list_files', 'search_text']),
      budgetNanos: 250_000_000, maxSteps: 10, newId: () => 'sub', now: Date.now,
      onUpdate: (a) => updates.push(structuredClone(a)),
    }, new AbortController().signal);
    assert.deepEqual(requests[0].messages, [{ role: 'system', content: DELEGATE_SYSTEM }, { role: 'user', content: 'Find the answer in notes.md\n\nContext:\nIt is a markdown file.' }]);
    assert.deepEqual(requests[0].tools.map((t) => t.function.name), ['read_file', 'list_files', 'search_text']);
    assert.match(String(requests[1].messages.at(-1)?.content), /the answer is 42/);
    assert.equal(r.text, 'It is 42.');
    assert.equal(r.answer.state, 'done');
    assert.equal(r.answer.info.costNanos, 20_000_000);
    assert.equal(r.stoppedAtBudget, false);
    assert.ok(updates.length > 0);
  });

  test('a subtask whose cost passes its budget stops and keeps what it had', async () => {
    let requests = 0;
    const r = await runSubtask('loop', undefined, {
      stream: () => (async function* (): AsyncGenerator<BrokerEvent> {
        requests++;
        yield { kind: 'text', text: `part ${requests}. ` };
        yield { kind: 'tool_call', id: `c${requests}`, name: 'list_files', arguments: '{"glob":"*"}' };
        yield { kind: 'usage', usage: usage(0.1) };
        yield { kind: 'done', finishReason: 'tool_calls', model: 's', modelId: 'strong' };
      })(),
      tools: readOnlyHook(executor(), () => ['list_files']),
      budgetNanos: 250_000_000, maxSteps: 10, newId: () => 'sub', now: Date.now, onUpdate: () => {},
    }, new AbortController().signal);
    assert.equal(r.stoppedAtBudget, true);
    assert.equal(requests, 3, 'stopped in the request that passed $0.25');
    assert.match(r.text, /part 1/);
  });

  test('a subtask may not write, edit or run anything; it is told so', async () => {
    const hook = readOnlyHook(executor(), () => ['read_file']);
    const ctx = { signal: new AbortController().signal, update: () => {}, turnCost: () => ({ nanos: 0, unknown: false }), addSubtaskCost: () => {} } as ToolCallContext;
    const out = await hook.handle({ id: 'w', name: 'write_file', args: { path: 'x', content: 'y' }, answerId: 'a' }, ctx);
    assert.equal(out.state, 'rejected');
    assert.match(out.result, /not available in a subtask: only read_file/);
  });

  test('arguments: task required, only task and context, sizes bounded', () => {
    assert.equal(validateDelegateArgs({ task: 'x' }).ok, true);
    assert.match((validateDelegateArgs({}) as { error: string }).error, /needs "task"/);
    assert.match((validateDelegateArgs({ task: 'x', model: 'gpt' }) as { error: string }).error, /not "model"/);
  });

  test('through the coordinator: a delegation always asks; approved, its answer is the result and its cost rolls up apart', async () => {
    const decisions = new PendingDecisions();
    const coordinator = new ToolCoordinator({
      settings: () => ({ enabled: true, autoApprove: ['read_file', 'list_files', 'search_text', 'run_command'], autoApproveBudgetUsd: 100, rules: { allow: [], deny: [] }, llmProbe: false }),
      executor: executor(),
      decisions,
      addAllowRule: async () => {},
      outputIntervalMs: 1,
      delegate: {
        enabled: () => true,
        chain: () => 'strong',
        budgetUsd: () => 0.25,
        run: async (task, context, ctx) => {
          const r = await runSubtask(task, context, {
            stream: () => (async function* (): AsyncGenerator<BrokerEvent> {
              yield { kind: 'text', text: 'Subtask result.' };
              yield { kind: 'usage', usage: usage(0.004) };
              yield { kind: 'done', finishReason: 'stop', model: 's', modelId: 'strong' };
            })(),
            tools: readOnlyHook(executor(), () => []), budgetNanos: ctx.budgetNanos, maxSteps: 3, newId: () => 's', now: Date.now,
            onUpdate: (a) => ctx.onUpdate({ parts: a.parts, info: a.info, state: a.state, stoppedAtBudget: false }),
          }, ctx.signal);
          const view: SubtaskView = { parts: r.answer.parts, info: r.answer.info, state: r.answer.state, stoppedAtBudget: r.stoppedAtBudget };
          return { view, text: r.text };
        },
      },
    });
    assert.ok(coordinator.specs().some((s) => s.function.name === 'delegate_task'));
    const patches: Partial<ToolCallPart>[] = [];
    const subtaskCosts: number[] = [];
    const ctx: ToolCallContext = { signal: new AbortController().signal, update: (p) => patches.push(p), turnCost: () => ({ nanos: 0, unknown: false }), addSubtaskCost: (n) => subtaskCosts.push(n) };
    const done = coordinator.handle({ id: 'd1', name: 'delegate_task', args: { task: 'Summarize the notes' }, answerId: 'a' }, ctx);
    for (let i = 0; i < 200 && !decisions.isPending('d1'); i++) await new Promise((r) => setTimeout(r, 2));
    const card = patches.find((p) => p.card)?.card;
    assert.equal(card?.delegate?.chain, 'strong');
    assert.equal(card?.delegate?.budgetNanos, 250_000_000);
    decisions.decide('d1', { kind: 'approve', confirmed: false });
    const out = await done;
    assert.equal(out.state, 'done');
    assert.equal(out.result, 'Subtask result.');
    assert.match(out.outcome, /the subtask finished \(\$0\.004\)/);
    assert.deepEqual(subtaskCosts, [4_000_000]);
    assert.equal(patches.filter((p) => p.subtask).at(-1)?.subtask?.state, 'done');
  });
});
