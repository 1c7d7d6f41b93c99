// The @vscode/test-electron contract: the extension host loads this file and awaits run().
// Used unchanged by a desktop VS Code (runTests) and by code-server (the `payload` URL).
import Mocha from 'mocha';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function list(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? list(path) : name.endsWith('.test.js') ? [path] : [];
  });
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', reporter: 'spec', color: false, timeout: 30_000 });
  const grep = process.env.SWITCHBOARD_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const file of list(__dirname).sort()) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const passed = runner.stats?.passes ?? 0;
        const failed = runner.stats?.failures ?? failures;
        const resultsFile = process.env.SWITCHBOARD_TEST_RESULTS;
        if (resultsFile) writeFileSync(resultsFile, JSON.stringify({ suite: 'integration', passed, failed }));
        console.log(`integration: ${passed} passed, ${failed} failed`);
        if (failed > 0) reject(new Error(`${failed} integration tests failed`));
        else resolve();
      });
    } catch (err) {
      reject(err);
    }
  });
}
