import { strict as assert } from 'node:assert';
import type { AnswerInfo } from '../../../src/protocol/messages';
import { describeAnswer } from '../../../webview/answerInfo';

const base: AnswerInfo = { modelId: 'mini', model: 'openai/gpt-4o-mini', fallbacks: [], usage: { promptTokens: 1200, completionTokens: 345 }, costNanos: 1_230_000, costUnknown: false, ttftMs: 420, steps: 1 };
const texts = (info: AnswerInfo | undefined, state: 'streaming' | 'done' | 'stopped' | 'error' = 'done') => describeAnswer(info, state).map((l) => l.text);

suite('the line under an answer', () => {
  test('names the model that answered, its tokens and cost, and the time to first token', () => {
    assert.deepEqual(texts(base), ['mini (openai/gpt-4o-mini)', '1,200 in · 345 out · $0.00123', 'first token 420 ms']);
  });

  test('after a fallback: "answered by B after A failed: <reason>"', () => {
    const t = texts({ ...base, fallbacks: [{ from: 'local', to: 'mini', reason: 'HTTP 503: model loading' }] });
    assert.equal(t[0], 'answered by mini (openai/gpt-4o-mini) after local failed: HTTP 503: model loading');
  });

  test('after a fallback whose last model failed too: "tried B after A failed", not "answered by"', () => {
    const t = texts({ ...base, usage: null, fallbacks: [{ from: 'local', to: 'mini', reason: 'HTTP 503: model loading' }] }, 'error');
    assert.equal(t[0], 'tried mini (openai/gpt-4o-mini) after local failed: HTTP 503: model loading');
  });

  test('unknown cost reads "cost unknown", and a partly known cost "$x + unknown", never $0', () => {
    assert.match(texts({ ...base, costNanos: 0, costUnknown: true })[1], /· cost unknown$/);
    assert.match(texts({ ...base, costUnknown: true })[1], /· \$0\.00123 \+ unknown$/);
    assert.deepEqual(texts({ ...base, usage: null, costNanos: 0, costUnknown: true }).slice(1, 2), ['usage not reported · cost unknown']);
  });

  test('a truly free answer reads $0.00', () => {
    assert.match(texts({ ...base, costNanos: 0 })[1], /· \$0\.00$/);
  });

  test('while streaming only the model line shows; a stopped answer says so', () => {
    assert.deepEqual(texts(base, 'streaming'), ['mini (openai/gpt-4o-mini)']);
    assert.equal(texts(base, 'stopped').at(-1), 'stopped');
  });
});
