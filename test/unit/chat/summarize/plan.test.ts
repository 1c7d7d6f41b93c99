import { strict as assert } from 'node:assert';
import { estimateChars } from '../../../../src/chat/modelRunner';
import {
  DEFAULT_SUMMARY_PROMPT, SummaryPlanError, combineMessages, describeEstimate, needsConfirmation, parallelFor, partMessages, planSummary, type SummarySource,
  fencedBlock,
  selectionLines,
} from '../../../../src/chat/summarize/plan';
import type { ModelSettings, SummarizeSettings } from '../../../../src/config/settingsTypes';

const settings = (over: Partial<SummarizeSettings> = {}): SummarizeSettings => ({ confirmAboveUsd: 0.1, parallel: null, prompt: '', ...over });
const source = (lines: number, width = 40, startLine = 10): SummarySource => ({
  file: 'src/foo.ts',
  language: 'typescript',
  startLine,
  endLine: startLine + lines - 1,
  text: Array.from({ length: lines }, (_, i) => `const v${i} = ${'x'.repeat(Math.max(0, width - 12))};`.slice(0, width) + '\n').join(''),
});
const remote: ModelSettings = { id: 'mini', endpoint: 'https://api.example.com/v1', model: 'gpt-4o-mini', contextTokens: 2000, price: { inputPerMTok: 0.15, outputPerMTok: 0.6 } };
const local: ModelSettings = { id: 'local', endpoint: 'http://127.0.0.1:8080', model: 'qwen', contextTokens: 2000 };

suite('summarize: the plan and the estimate before anything is sent', () => {
  test('a selection that fits is one part with the whole selection, its file name and language in the request', () => {
    const s = source(20);
    const plan = planSummary(s, remote, settings());
    assert.equal(plan.title, 'Summary of src/foo.ts:10-29');
    assert.equal(plan.chunks.length, 1);
    assert.equal(plan.instruction, DEFAULT_SUMMARY_PROMPT);
    const [system, user] = partMessages(plan.instruction, s, plan.chunks[0], 0, 1);
    assert.equal(system.content, DEFAULT_SUMMARY_PROMPT);
    assert.match(user.content as string, /^File: src\/foo\.ts \(typescript\), lines 10-29\.\n\n```typescript\nconst v0/);
    assert.ok((user.content as string).includes(s.text));
    assert.equal(plan.estimate.requests, 1);
  });

  test('a selection over the context is split so that every part request fits the context with room for the answer', () => {
    const s = source(1000); // about 10,000 tokens against a 2,000-token context
    const plan = planSummary(s, remote, settings());
    assert.ok(plan.chunks.length >= 5, `${plan.chunks.length} parts`);
    for (const [i, c] of plan.chunks.entries()) {
      const sent = estimateChars(partMessages(plan.instruction, s, c, i, plan.chunks.length));
      assert.ok(sent + 500 <= remote.contextTokens!, `part ${i + 1} sends ${sent} tokens into a 2,000-token context`);
    }
    assert.equal(plan.chunks[0].startLine, 10);
    assert.equal(plan.chunks.at(-1)!.endLine, 1009);
    assert.equal(plan.estimate.requests, plan.chunks.length + 1, 'one request per part and the combining pass');
  });

  test('the estimate counts exactly what the part requests send, plus the combining pass, priced by the first model', () => {
    const s = source(1000);
    const plan = planSummary(s, remote, settings());
    const parts = plan.chunks.reduce((sum, c, i) => sum + estimateChars(partMessages(plan.instruction, s, c, i, plan.chunks.length)), 0);
    const combine = estimateChars(combineMessages(plan.instruction, s, plan.chunks.map((c) => ({ ...c, summary: 'x'.repeat(1200) }))));
    assert.equal(plan.estimate.inputTokens, parts + combine);
    assert.equal(plan.estimate.outputTokens, plan.estimate.requests * 300);
    const cost = (plan.estimate.inputTokens * 0.15 + plan.estimate.outputTokens * 0.6) / 1e6;
    assert.ok(Math.abs(plan.estimate.costUsd! - cost) < 1e-12);
    assert.match(describeEstimate(plan.estimate, 'mini'), /^about [\d,]+ input tokens in \d+ requests to mini, about \$0\.\d{4}$/);
  });

  test('no price means "cost unknown", never $0', () => {
    const plan = planSummary(source(20), local, settings());
    assert.equal(plan.estimate.costUsd, null);
    assert.match(describeEstimate(plan.estimate, 'local'), /cost unknown \(no price set for "local"\)/);
  });

  test('it asks above confirmAboveUsd; with the cost unknown only for a remote model making several requests', () => {
    const big = source(1000);
    const priced = planSummary(big, remote, settings());
    assert.equal(needsConfirmation(priced, priced.estimate.costUsd! - 0.000001), true);
    assert.equal(needsConfirmation(priced, priced.estimate.costUsd!), false, 'at the threshold is not above it');
    assert.equal(needsConfirmation(priced, 0.1), false);
    const unpricedRemote = { ...remote, price: undefined };
    assert.equal(needsConfirmation(planSummary(big, unpricedRemote, settings()), 0.1), true);
    assert.equal(needsConfirmation(planSummary(source(20), unpricedRemote, settings()), 0.1), false, 'one request: nothing to warn about');
    assert.equal(needsConfirmation(planSummary(big, local, settings()), 0.1), false, 'a loopback model does not charge');
  });

  test('requests at once: the setting, else 1 for loopback and 4 for remote endpoints', () => {
    assert.equal(parallelFor(local, null), 1);
    assert.equal(parallelFor({ endpoint: 'http://localhost:11434' }, null), 1);
    assert.equal(parallelFor({ endpoint: 'http://[::1]:8080/v1' }, null), 1);
    assert.equal(parallelFor(remote, null), 4);
    assert.equal(parallelFor({ endpoint: 'http://192.168.1.20:8080' }, null), 4);
    assert.equal(parallelFor(local, 3), 3);
    assert.equal(planSummary(source(20), remote, settings({ parallel: 2 })).parallel, 2);
  });

  test('switchboard.summarize.prompt replaces the instruction in every request', () => {
    const plan = planSummary(source(1000), remote, settings({ prompt: 'List the exported names only.' }));
    assert.equal(plan.instruction, 'List the exported names only.');
    assert.equal(partMessages(plan.instruction, plan.source, plan.chunks[1], 1, plan.chunks.length)[0].content, 'List the exported names only.');
    assert.equal(combineMessages(plan.instruction, plan.source, [])[0].content, 'List the exported names only.');
  });

  test('bad inputs are clear errors naming what to change: an empty selection, a line too long, a context too small', () => {
    assert.throws(() => planSummary({ ...source(1), text: ' \n\t\n' }, remote, settings()), (e: unknown) => e instanceof SummaryPlanError && /nothing to summarize/.test(e.message));
    const long = { ...source(3), text: 'a\n' + 'x'.repeat(20_000) + '\nb\n' };
    assert.throws(() => planSummary(long, remote, settings()), (e: unknown) => e instanceof SummaryPlanError && /line 11 alone is about 5001 tokens/.test(e.message) && e.setting === 'switchboard.models.mini.contextTokens');
    assert.throws(() => planSummary(source(3), { ...remote, contextTokens: 100 }, settings()), (e: unknown) => e instanceof SummaryPlanError && /contextTokens 100/.test(e.message));
  });

  test('without contextTokens the selection is sent whole (nothing to split against)', () => {
    const plan = planSummary(source(1000), { ...remote, contextTokens: undefined }, settings());
    assert.equal(plan.chunks.length, 1);
    assert.equal(plan.budget, null);
  });
});

suite('a selection as lines and as a fenced block', () => {
  test('a selection ending at the start of a line leaves that line out; one ending inside a line keeps it', () => {
    assert.deepEqual(selectionLines({ line: 4 }, { line: 9, character: 0 }), { startLine: 5, endLine: 9 });
    assert.deepEqual(selectionLines({ line: 4 }, { line: 9, character: 3 }), { startLine: 5, endLine: 10 });
    assert.deepEqual(selectionLines({ line: 4 }, { line: 4, character: 0 }), { startLine: 5, endLine: 5 });
  });

  test('the fence is longer than any fence in the text, and the block ends with one line end before it', () => {
    assert.equal(fencedBlock('a = 1', 'python'), '```python\na = 1\n```');
    assert.equal(fencedBlock('```js\nx\n```\n', 'md'), '````md\n```js\nx\n```\n````');
  });
});
