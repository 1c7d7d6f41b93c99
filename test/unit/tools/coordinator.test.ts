import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ToolCallContext } from '../../../src/chat/toolHook';
import { PendingDecisions } from '../../../src/chat/tools/decisions';
import { createToolExecutor } from '../../../src/chat/tools/executor';
import { nodeFileSystem } from '../../../src/chat/tools/nodeFileSystem';
import { ToolCoordinator, type ToolSettings } from '../../../src/chat/tools/toolCoordinator';
import type { ToolCallPart } from '../../../src/protocol/transcript';
import { initSafety, type ProbeResult } from '../../../src/safety';

type Patch = Partial<ToolCallPart>;

suite('tool coordinator: what asks, what runs, and what the card says (real files, real processes)', () => {
  let root: string;
  let settings: ToolSettings;
  let decisions: PendingDecisions;
  let allowAdded: string[];
  let probeAnswer: ProbeResult | undefined;
  let coordinator: ToolCoordinator;

  suiteSetup(() => initSafety());
  setup(() => {
    root = mkdtempSync(join(tmpdir(), 'sb-coord-'));
    writeFileSync(join(root, 'a.txt'), 'alpha\nbeta\n');
    settings = { enabled: true, autoApprove: ['read_file', 'list_files', 'search_text'], autoApproveBudgetUsd: 0.5, rules: { allow: [], deny: [] }, llmProbe: true };
    decisions = new PendingDecisions();
    allowAdded = [];
    probeAnswer = undefined;
    coordinator = new ToolCoordinator({
      settings: () => settings,
      executor: createToolExecutor({ roots: () => [root], fs: nodeFileSystem }),
      decisions,
      probe: async () => probeAnswer ?? { verdict: 'unsure', probe: { answer: 'no', modelId: 'cheap', cost: 0.00001, cached: false, detail: 'NO' } },
      addAllowRule: async (p) => {
        allowAdded.push(p);
        settings.rules.allow.push(p);
      },
      outputIntervalMs: 1,
    });
  });
  teardown(() => rmSync(root, { recursive: true, force: true }));

  function run(id: string, name: string, args: Record<string, unknown>, costNanos = 0) {
    const abort = new AbortController();
    const patches: Patch[] = [];
    const subtasks: { nanos: number; unknown: boolean }[] = [];
    const ctx: ToolCallContext = { signal: abort.signal, update: (p) => patches.push(p), turnCost: () => ({ nanos: costNanos, unknown: false }), addSubtaskCost: (nanos, unknown) => subtasks.push({ nanos, unknown }) };
    const done = coordinator.handle({ id, name, args, answerId: 'a1' }, ctx);
    const card = () => patches.map((p) => p.card).filter(Boolean).at(-1);
    const pending = async () => {
      for (let i = 0; i < 500 && !decisions.isPending(id); i++) await new Promise((r) => setTimeout(r, 5));
      assert.ok(decisions.isPending(id), `call ${id} should wait for a decision`);
    };
    return { done, patches, card, pending, abort, subtasks };
  }

  test('a read-only tool on the list runs without asking, and the card says which rule approved it', async () => {
    const r = run('r1', 'read_file', { path: 'a.txt' });
    const out = await r.done;
    assert.equal(out.state, 'done');
    assert.match(out.result, /alpha/);
    assert.match(out.outcome, /auto-approved: read-only tool "read_file"/);
    assert.equal(r.card()?.risk.level, 'safe');
  });

  test('past the budget, even a read-only call asks, and says why', async () => {
    const r = run('r2', 'read_file', { path: 'a.txt' }, 600_000_000);
    await r.pending();
    assert.match(r.card()?.policy ?? '', /auto-approval paused: this turn has cost \$0\.60, over the \$0\.50 budget/);
    decisions.decide('r2', { kind: 'approve', confirmed: false });
    assert.equal((await r.done).state, 'done');
  });

  test('a path outside the workspace is refused without asking; the model is told why', async () => {
    const out = await run('r3', 'read_file', { path: '../../etc/passwd' }).done;
    assert.equal(out.state, 'failed');
    assert.match(out.result, /outside|workspace/i);
  });

  test('a destructive command needs the second confirmation: a bare Approve keeps it waiting', async () => {
    writeFileSync(join(root, 'keep.txt'), 'x');
    const r = run('d1', 'run_command', { command: 'rm -rf keep.txt' });
    await r.pending();
    const card = r.card()!;
    assert.equal(card.risk.level, 'destructive');
    assert.equal(card.needsSecondConfirm, true);
    assert.equal(card.allowPrefix, undefined, 'no "Always allow" for a destructive command');
    decisions.decide('d1', { kind: 'approve', confirmed: false });
    await new Promise((res) => setTimeout(res, 20));
    assert.ok(decisions.isPending('d1'), 'still waiting for the second confirmation');
    decisions.decide('d1', { kind: 'alwaysAllow' });
    await new Promise((res) => setTimeout(res, 20));
    assert.ok(decisions.isPending('d1'), '"Always allow" cannot skip it either');
    assert.ok(existsSync(join(root, 'keep.txt')));
    decisions.decide('d1', { kind: 'approve', confirmed: true });
    const out = await r.done;
    assert.equal(out.state, 'done');
    assert.equal(existsSync(join(root, 'keep.txt')), false);
    assert.match(out.outcome, /after a second confirmation/);
  });

  test('an allow rule that covers every part of a command runs it without asking; a deny rule always asks', async () => {
    settings.rules = { allow: ['echo', 'ls'], deny: [] };
    const ok = await run('c1', 'run_command', { command: 'echo hi && ls' }).done;
    assert.equal(ok.state, 'done');
    assert.match(ok.outcome, /allowed by your rules "echo", "ls"/);
    settings.rules = { allow: ['echo'], deny: ['echo secret'] };
    const r = run('c2', 'run_command', { command: 'echo secret' });
    await r.pending();
    assert.match(r.card()?.policy ?? '', /deny rule "echo secret"/);
    decisions.decide('c2', { kind: 'reject', reason: 'no secrets' });
    const out = await r.done;
    assert.equal(out.state, 'rejected');
    assert.match(out.result, /rejected this tool call, saying: no secrets/);
  });

  test('"Always allow" adds the card\'s prefix to the user\'s rules and runs the command', async () => {
    const r = run('c3', 'run_command', { command: 'echo allowed-now' });
    await r.pending();
    decisions.decide('c3', { kind: 'alwaysAllow' });
    const out = await r.done;
    assert.ok(r.card()?.allowPrefix, 'the card offers a prefix');
    assert.deepEqual(allowAdded, [r.card()!.allowPrefix]);
    assert.equal(out.state, 'done');
    assert.match(out.result, /allowed-now/);
  });

  test('an unsure command goes to the probe; a YES makes it destructive, with the probe on the card', async () => {
    probeAnswer = { verdict: 'destructive', probe: { answer: 'yes', modelId: 'cheap', cost: 0.00002, cached: false, detail: 'YES' } };
    const r = run('p1', 'run_command', { command: 'frobnicate --everything' });
    await r.pending();
    const card = r.card()!;
    assert.equal(card.risk.level, 'destructive');
    assert.equal(card.risk.probe?.answer, 'yes');
    assert.equal(card.risk.probe?.costNanos, 20_000);
    assert.match(card.risk.reasons.join(), /probe model says/);
    r.abort.abort();
    assert.equal((await r.done).state, 'rejected', 'Stop rejects a pending call');
  });

  test('an edit shows a diff, and applies only when approved', async () => {
    const r = run('e1', 'edit_file', { path: 'a.txt', oldText: 'beta', newText: 'gamma' });
    await r.pending();
    assert.match(r.card()?.diff ?? '', /^-beta$/m);
    assert.match(r.card()?.diff ?? '', /^\+gamma$/m);
    assert.equal(readFileSync(join(root, 'a.txt'), 'utf8'), 'alpha\nbeta\n');
    decisions.decide('e1', { kind: 'approve', confirmed: false });
    assert.equal((await r.done).state, 'done');
    assert.equal(readFileSync(join(root, 'a.txt'), 'utf8'), 'alpha\ngamma\n');
  });

  test('invalid arguments and unknown tools fail with a message for the model, asking no one', async () => {
    assert.match((await run('x1', 'read_file', {}).done).result, /path/);
    assert.match((await run('x2', 'delete_everything', {}).done).result, /there is no tool named "delete_everything"/);
  });

  test('with tools turned off, calls are refused and no tools are offered', async () => {
    settings.enabled = false;
    assert.deepEqual(coordinator.specs(), []);
    assert.equal((await run('o1', 'read_file', { path: 'a.txt' }).done).state, 'rejected');
  });
});
