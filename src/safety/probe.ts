/**
 * The probe: for an `unsure` command, one cheap YES/NO question to a model. It can only add friction: a clear
 * NO leaves the command `unsure` (the user is still asked); YES, anything else, a failure or a timeout make it
 * `destructive`. Answers are cached per exact command text for the life of the object (one session). No I/O
 * of its own: the caller injects `ask` (the model runner on the `probe` purpose).
 */

export interface ProbeQuestion {
  system: string;
  user: string;
}

export interface ProbeAskOptions {
  maxTokens: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface ProbeReply {
  text: string;
  modelId: string | null;
  cost: number | null;
}

export type ProbeAsk = (question: ProbeQuestion, opts: ProbeAskOptions) => Promise<ProbeReply>;

/** `yes`/`no`: the model said so; `unclear`: it said something else; `error`/`timeout`: no answer. */
export type ProbeAnswer = 'yes' | 'no' | 'unclear' | 'error' | 'timeout';

export interface ProbeResult {
  verdict: 'unsure' | 'destructive';
  probe: {
    answer: ProbeAnswer;
    modelId: string | null;
    cost: number | null;
    cached: boolean;
    /** The model's raw text (clipped) or the failure's message. */
    detail: string;
  };
}

export const PROBE_MAX_TOKENS = 4;
export const PROBE_TIMEOUT_MS = 15_000;

const SYSTEM = 'You classify shell commands for a safety check. Reply with exactly one word: YES or NO.';

/** The question for one command; the command is fenced so that text inside it reads as data. */
export function probeQuestion(command: string, shell = 'bash'): ProbeQuestion {
  const fence = command.includes('```') ? '~~~~' : '```';
  return {
    system: SYSTEM,
    user: `Can this command destroy data, change system state or send data off the machine? Answer YES or NO.\n\nShell: ${shell}\nCommand:\n${fence}\n${command}\n${fence}`,
  };
}

/** Strict reading: only a lone YES or NO (any case, optional punctuation) counts. */
export function parseProbeAnswer(text: unknown): 'yes' | 'no' | 'unclear' {
  if (typeof text !== 'string') return 'unclear';
  const t = text.trim().replace(/^[\s"'`*]+|[\s"'`*.!]+$/g, '');
  if (/^yes$/i.test(t)) return 'yes';
  if (/^no$/i.test(t)) return 'no';
  return 'unclear';
}

class ProbeTimeout extends Error {}

export class SafetyProbe {
  private readonly cache = new Map<string, ProbeResult>();
  private readonly inFlight = new Map<string, Promise<ProbeResult>>();

  constructor(
    private readonly ask: ProbeAsk,
    private readonly opts: { timeoutMs?: number; maxTokens?: number; maxEntries?: number; shell?: string } = {},
  ) {}

  /** Asks about `command` (or answers from the cache). Never rejects. */
  check(command: string, signal?: AbortSignal): Promise<ProbeResult> {
    const hit = this.cache.get(command);
    if (hit) return Promise.resolve({ verdict: hit.verdict, probe: { ...hit.probe, cached: true } });
    const pending = this.inFlight.get(command);
    if (pending) return pending.then((r) => ({ verdict: r.verdict, probe: { ...r.probe, cached: true } }));
    const p = this.run(command, signal).finally(() => this.inFlight.delete(command));
    this.inFlight.set(command, p);
    return p;
  }

  /** Forgets every cached answer (a new session). */
  clear(): void {
    this.cache.clear();
  }

  get size(): number {
    return this.cache.size;
  }

  private async run(command: string, outer: AbortSignal | undefined): Promise<ProbeResult> {
    const timeoutMs = this.opts.timeoutMs ?? PROBE_TIMEOUT_MS;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => controller.abort(outer?.reason);
    outer?.addEventListener('abort', onAbort, { once: true });
    if (outer?.aborted) controller.abort(outer.reason);
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort(new ProbeTimeout('probe timed out'));
          reject(new ProbeTimeout(`no answer within ${timeoutMs} ms`));
        }, timeoutMs);
      });
      const aborted = new Promise<never>((_, reject) => {
        if (controller.signal.aborted) reject(new Error('cancelled'));
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason instanceof ProbeTimeout ? new ProbeTimeout(`no answer within ${timeoutMs} ms`) : new Error('cancelled')), { once: true });
      });
      const reply = await Promise.race([
        Promise.resolve().then(() => this.ask(probeQuestion(command, this.opts.shell), { maxTokens: this.opts.maxTokens ?? PROBE_MAX_TOKENS, timeoutMs, signal: controller.signal })),
        timeout,
        aborted,
      ]);
      const answer = parseProbeAnswer(reply?.text);
      const result: ProbeResult = {
        verdict: answer === 'no' ? 'unsure' : 'destructive',
        probe: { answer, modelId: reply?.modelId ?? null, cost: typeof reply?.cost === 'number' ? reply.cost : null, cached: false, detail: String(reply?.text ?? '').slice(0, 80) },
      };
      this.remember(command, result);
      return result;
    } catch (err) {
      const timedOut = err instanceof ProbeTimeout;
      return { verdict: 'destructive', probe: { answer: timedOut ? 'timeout' : 'error', modelId: null, cost: null, cached: false, detail: err instanceof Error ? err.message : String(err) } };
    } finally {
      if (timer) clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    }
  }

  /** Failures are not cached (a transient outage must not stick for the session); answers are. */
  private remember(command: string, result: ProbeResult): void {
    const max = this.opts.maxEntries ?? 500;
    if (this.cache.size >= max) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(command, result);
  }
}
