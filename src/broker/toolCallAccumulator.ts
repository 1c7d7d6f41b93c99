/**
 * Assembles streamed tool-call fragments into whole calls. Servers key fragments by `index` (which may
 * start at 1), or send no index at all (a new non-empty `id` opens a call, a fragment without one continues
 * the last). Later fragments may repeat `"id": ""` or `"name": ""`: the first non-empty value stands.
 */
import type { ToolCall } from './types';

interface PendingCall {
  id: string;
  name: string;
  args: string;
}

/** Collects tool-call deltas for one response. */
export class ToolCallAccumulator {
  private readonly calls: PendingCall[] = [];
  private readonly byIndex = new Map<number, PendingCall>();
  private readonly byId = new Map<string, PendingCall>();
  private last: PendingCall | undefined;

  /** True once any fragment arrived. */
  get started(): boolean {
    return this.calls.length > 0;
  }

  /** Adds one element of a delta's `tool_calls` array. Anything that is not an object is ignored. */
  add(fragment: unknown): void {
    if (typeof fragment !== 'object' || fragment === null) return;
    const f = fragment as Record<string, unknown>;
    const fn = typeof f.function === 'object' && f.function !== null ? (f.function as Record<string, unknown>) : undefined;
    const id = typeof f.id === 'string' ? f.id : '';
    const name = fn && typeof fn.name === 'string' ? fn.name : '';

    let call: PendingCall | undefined;
    if (typeof f.index === 'number') {
      call = this.byIndex.get(f.index);
      if (!call) {
        call = (id !== '' ? this.byId.get(id) : undefined) ?? this.open();
        this.byIndex.set(f.index, call);
      }
    } else if (id !== '') {
      call = this.byId.get(id) ?? this.open();
    } else {
      call = this.last ?? this.open();
    }

    if (call.id === '' && id !== '') {
      call.id = id;
      this.byId.set(id, call);
    }
    if (call.name === '' && name !== '') call.name = name;
    const args = fn?.arguments;
    if (typeof args === 'string') call.args += args;
    else if (typeof args === 'object' && args !== null) call.args += JSON.stringify(args); // some servers send parsed arguments
    this.last = call;
  }

  /** The completed calls in the order they were opened; empty arguments become "{}". */
  finish(): ToolCall[] {
    return this.calls.map((c, i) => ({
      id: c.id !== '' ? c.id : `call_${i}`,
      name: c.name,
      arguments: c.args.trim() === '' ? '{}' : c.args,
    }));
  }

  private open(): PendingCall {
    const call: PendingCall = { id: '', name: '', args: '' };
    this.calls.push(call);
    return call;
  }
}
