import { strict as assert } from 'node:assert';
import { parseSettings } from '../../../src/config/parseSettings';

suite('settings: switchboard.summarize.*', () => {
  test('defaults: ask above $0.10, requests at once picked by endpoint, the built-in instruction', () => {
    const s = parseSettings({});
    assert.deepEqual(s.summarize, { confirmAboveUsd: 0.1, parallel: null, prompt: '' });
    assert.deepEqual(s.problems, []);
  });

  test('valid values are taken as they are', () => {
    const s = parseSettings({ summarize: { confirmAboveUsd: 0, parallel: 8, prompt: 'Bullet points only.' } });
    assert.deepEqual(s.summarize, { confirmAboveUsd: 0, parallel: 8, prompt: 'Bullet points only.' });
    assert.deepEqual(s.problems, []);
  });

  test('bad values are named with their paths and the defaults stand', () => {
    const s = parseSettings({ summarize: { confirmAboveUsd: -1, parallel: 0.5, prompt: 42 } });
    assert.deepEqual(s.summarize, { confirmAboveUsd: 0.1, parallel: null, prompt: '' });
    assert.deepEqual(s.problems.map((p) => p.path), ['switchboard.summarize.confirmAboveUsd', 'switchboard.summarize.parallel', 'switchboard.summarize.prompt']);
    assert.match(s.problems[0].message, /must be a number of US dollars, 0 or more, but is -1/);
    assert.match(s.problems[1].message, /whole number from 1 to 16, or null, but is 0\.5/);
    assert.match(s.problems[2].message, /must be text, but is 42/);
    assert.deepEqual(parseSettings({ summarize: { parallel: 17 } }).problems.map((p) => p.path), ['switchboard.summarize.parallel']);
  });
});
