/**
 * Every PROVIDERS.md fixture replayed by a real loopback server, cut into network reads in many ways.
 * The property: however the bytes are cut (whole, byte by byte, inside every multi-byte character, at
 * random points), the broker yields exactly the same events and ends the same way.
 */
import { strict as assert } from 'node:assert';
import { streamWith } from '../../../src/broker/chatStream';
import type { ChatOptions, ModelConfig } from '../../../src/broker';
import { IncludeUsageMemory } from '../../../src/broker';
import { FIXTURE_MODEL, FIXTURE_MODEL_ID, FIXTURE_NOW, providerFixtures, type ProviderFixture } from '../../fixtures/providers';
import { mulberry32, randomInt } from '../../support/prng';
import { SseServer, type Chunking } from '../../support/sseServer';
import { assertError, collect } from './brokerTestKit';

/** Override with BROKER_PROPERTY_SEED to replay a failure. */
const SEED = Number(process.env.BROKER_PROPERTY_SEED ?? 20250115);
const RANDOM_CHUNKINGS = 12;

suite('broker: provider fixtures replayed over loopback', () => {
  let server: SseServer;
  suiteSetup(async () => {
    server = await SseServer.start();
    console.log(`      property seed: ${SEED} (set BROKER_PROPERTY_SEED to replay)`);
  });
  suiteTeardown(() => server.close());

  function modelFor(f: ProviderFixture): ModelConfig {
    return { id: FIXTURE_MODEL_ID, endpoint: server.url, model: FIXTURE_MODEL, includeUsage: 'always', ...f.model };
  }
  const opts = (): ChatOptions => ({ now: () => FIXTURE_NOW, includeUsageMemory: new IncludeUsageMemory(), timeoutMs: 5000, idleTimeoutMs: 5000 });

  async function replay(f: ProviderFixture, chunking: Chunking, templates = true): Promise<void> {
    server.respond({ status: f.status ?? 200, headers: f.headers, body: f.body, chunking });
    const out = await collect(streamWith(modelFor(f), [{ role: 'user', content: 'hi' }], opts(), { templates }));
    const context = `${f.name} [chunking ${JSON.stringify(chunking)}${templates ? '' : ', no fast path'}]`;
    assert.deepStrictEqual(out.events, f.events, `${context}: events`);
    if (f.error) assertError(out.error, f.error, f.status ?? 200, context);
    else assert.equal(out.error, undefined, `${context}: unexpected ${out.error?.kind} error: ${out.error?.message}`);
  }

  test('there are at least 40 fixtures, with unique names', () => {
    assert.ok(providerFixtures.length >= 40, `${providerFixtures.length} fixtures`);
    assert.equal(new Set(providerFixtures.map((f) => f.name)).size, providerFixtures.length);
  });

  for (const f of providerFixtures) {
    test(`${f.name}: whole body, byte by byte, and split inside every multi-byte character give the expected outcome`, async () => {
      await replay(f, 'whole');
      await replay(f, 'bytes');
      await replay(f, 'utf8');
    });
  }

  test(`property: ${RANDOM_CHUNKINGS} random chunkings of every fixture, with and without the fast path, give identical events and outcome`, async () => {
    const rng = mulberry32(SEED);
    for (const f of providerFixtures) {
      for (let i = 0; i < RANDOM_CHUNKINGS; i++) {
        const seed = randomInt(rng, 1, 2 ** 31);
        await replay(f, { seed, maxPieces: randomInt(rng, 2, 48) }, i % 2 === 0);
      }
    }
  });
});
