// Pure: the user's decisions on pending tool calls. The coordinator waits here; the view's buttons resolve it.

/** What the user chose on a card. */
export type UserDecision =
  | { kind: 'approve'; confirmed: boolean }
  | { kind: 'reject'; reason?: string; /** Stop or a closing window, not the user's choice on the card. */ aborted?: boolean }
  /** Approve, and add the card's command prefix to the allow rules. */
  | { kind: 'alwaysAllow' }
  /** Run the command in a VS Code terminal instead (its output does not reach the model). */
  | { kind: 'runInTerminal' };

/** Pending calls by id; each waits for one decision or for the turn's abort signal. */
export class PendingDecisions {
  private readonly waiting = new Map<string, (d: UserDecision) => void>();

  /** Waits for the user's decision on `callId`; a Stop (abort) resolves it as a rejection. */
  wait(callId: string, signal: AbortSignal): Promise<UserDecision> {
    return new Promise((resolve) => {
      const done = (d: UserDecision) => {
        this.waiting.delete(callId);
        signal.removeEventListener('abort', onAbort);
        resolve(d);
      };
      // The abort's reason says why (a closing window passes its own); a plain Stop is "the answer was stopped".
      const onAbort = () => done({ kind: 'reject', reason: typeof signal.reason === 'string' ? signal.reason : 'the answer was stopped', aborted: true });
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.set(callId, done);
    });
  }

  /** Delivers a decision; false when no call with that id waits (already decided, stopped, or unknown). */
  decide(callId: string, decision: UserDecision): boolean {
    const resolve = this.waiting.get(callId);
    if (!resolve) return false;
    resolve(decision);
    return true;
  }

  isPending(callId: string): boolean {
    return this.waiting.has(callId);
  }
}
