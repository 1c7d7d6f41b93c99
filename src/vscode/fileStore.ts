import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The part of a Memento the chat view needs. */
export interface SmallStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

/**
 * A few small values in one JSON file, written synchronously (to a temporary file, then renamed) before
 * `update` resolves: when it resolves, the value survives a window reload that follows at once. Workspace
 * state persists on its own schedule, so a draft typed just before a reload could be lost there.
 */
export class JsonFileStore implements SmallStore {
  private values: Record<string, unknown>;

  constructor(private readonly file: string, private readonly onError: (message: string) => void) {
    try {
      this.values = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      if (typeof this.values !== 'object' || this.values === null || Array.isArray(this.values)) this.values = {};
    } catch {
      this.values = {};
    }
  }

  get<T>(key: string): T | undefined {
    return this.values[key] as T | undefined;
  }

  update(key: string, value: unknown): Thenable<void> {
    this.values[key] = value;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.values));
      renameSync(tmp, this.file);
    } catch (err) {
      this.onError(`could not save the view's state: ${String(err)}`);
    }
    return Promise.resolve();
  }
}
