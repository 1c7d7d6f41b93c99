import { strict as assert } from 'node:assert';
import { parseProbeAnswer, probeQuestion, SafetyProbe, type ProbeAsk, type ProbeAskOptions } from '../../../src/safety';

/** An `ask` that answers `text` and records what it was asked. */
function answering(text: string, calls: { opts: ProbeAskOptions; user: string }[] = []): ProbeAsk {
  return async (q, opts) => {
    calls.push({ opts, user: q.user });
    return { text, modelId: 'cheap', cost: 0.0001 };
  };
}

suite('safety: the probe', () => {
  test('asks a YES/NO question with 4 tokens and a 15 s timeout, the command fenced', async () => {
    const calls: { opts: ProbeAskOptions; user: string }[] = [];
    await new SafetyProbe(answering('NO', calls)).check('frob --all');
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.opts.maxTokens, 4);
    assert.equal(calls[0]!.opts.timeoutMs, 15_000);
    assert.ok(calls[0]!.opts.signal instanceof AbortSignal);
    assert.match(calls[0]!.user, /Answer YES or NO/);
    assert.match(calls[0]!.user, /```\nfrob --all\n```/);
    assert.match(probeQuestion('a ``` b').user, /~~~~\na ``` b\n~~~~/);
  });

  test('a clear NO keeps the command unsure and reports model and cost', async () => {
    const r = await new SafetyProbe(answering(' no. ')).check('frob');
    assert.deepEqual(r, { verdict: 'unsure', probe: { answer: 'no', modelId: 'cheap', cost: 0.0001, cached: false, detail: ' no. ' } });
  });

  test('YES makes it destructive', async () => {
    const r = await new SafetyProbe(answering('YES')).check('frob');
    assert.equal(r.verdict, 'destructive');
    assert.equal(r.probe.answer, 'yes');
  });

  test('anything but a clear NO makes it destructive', async () => {
    for (const text of ['', 'Probably not', 'NO, but', 'NOPE', 'N0', '<think>', 'Yes.']) {
      const r = await new SafetyProbe(answering(text)).check('frob');
      assert.equal(r.verdict, 'destructive', JSON.stringify(text));
    }
    assert.equal(parseProbeAnswer(undefined), 'unclear');
    assert.equal(parseProbeAnswer('**NO**'), 'no');
  });

  test('a throwing or malformed ask makes it destructive, and the failure is not cached', async () => {
    let n = 0;
    const probe = new SafetyProbe(async () => {
      n++;
      throw new Error('503 from the model');
    });
    const r = await probe.check('frob');
    assert.equal(r.verdict, 'destructive');
    assert.equal(r.probe.answer, 'error');
    assert.match(r.probe.detail, /503/);
    await probe.check('frob');
    assert.equal(n, 2);
    const sync = await new SafetyProbe((() => { throw new Error('sync'); }) as unknown as ProbeAsk).check('x');
    assert.equal(sync.probe.answer, 'error');
    const junk = await new SafetyProbe((async () => null) as unknown as ProbeAsk).check('x');
    assert.equal(junk.verdict, 'destructive');
  });

  test('a timeout aborts the request signal and makes it destructive', async () => {
    let seen: AbortSignal | undefined;
    const probe = new SafetyProbe((_q, opts) => {
      seen = opts.signal;
      return new Promise(() => undefined);
    }, { timeoutMs: 20 });
    const r = await probe.check('frob');
    assert.equal(r.verdict, 'destructive');
    assert.equal(r.probe.answer, 'timeout');
    assert.equal(seen?.aborted, true);
  });

  test("the caller's AbortSignal cancels the question (destructive, not cached)", async () => {
    const controller = new AbortController();
    let calls = 0;
    const probe = new SafetyProbe((_q, opts) => {
      calls++;
      return new Promise((_, reject) => opts.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    });
    const pending = probe.check('frob', controller.signal);
    controller.abort();
    const r = await pending;
    assert.equal(r.verdict, 'destructive');
    assert.equal(r.probe.answer, 'error');
    assert.equal(probe.size, 0);
    const already = await probe.check('frob', AbortSignal.abort());
    assert.equal(already.probe.answer, 'error');
    assert.equal(calls, 2);
  });

  test('answers are cached per exact command text; concurrent checks share one question', async () => {
    const calls: { opts: ProbeAskOptions; user: string }[] = [];
    const probe = new SafetyProbe(answering('NO', calls));
    const [a, b] = await Promise.all([probe.check('frob'), probe.check('frob')]);
    assert.equal(a.probe.cached, false);
    assert.equal(b.probe.cached, true);
    const c = await probe.check('frob');
    assert.equal(c.probe.cached, true);
    assert.equal(c.probe.modelId, 'cheap');
    await probe.check('frob ');
    assert.equal(calls.length, 2, 'a different text is a different question');
    probe.clear();
    await probe.check('frob');
    assert.equal(calls.length, 3);
  });

  test('the cache is bounded', async () => {
    const probe = new SafetyProbe(answering('NO'), { maxEntries: 3 });
    for (const c of ['a', 'b', 'c', 'd']) await probe.check(c);
    assert.equal(probe.size, 3);
  });
});
