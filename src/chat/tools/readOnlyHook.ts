// Pure: the tools a delegated subtask may use: the read-only ones the user auto-approves, run without asking
// (a subtask has no card of its own to ask on). Anything else is refused and the subtask is told why.
import type { ToolSpec } from '../../broker';
import type { ToolCallOutcome, ToolCallRequest, ToolHook } from '../toolHook';
import { failed, type ToolExecutor } from './toolCoordinator';
import { READ_ONLY_TOOLS } from './types';

export function readOnlyHook(executor: ToolExecutor, allowed: () => readonly string[]): ToolHook {
  const names = () => READ_ONLY_TOOLS.filter((n) => allowed().includes(n));
  return {
    specs: (): ToolSpec[] => executor.specs().filter((s) => names().includes(s.function.name as (typeof READ_ONLY_TOOLS)[number])),
    async handle(call: ToolCallRequest, ctx): Promise<ToolCallOutcome> {
      if (!names().includes(call.name as (typeof READ_ONLY_TOOLS)[number])) {
        return { state: 'rejected', outcome: `rejected: "${call.name}" is not available in a subtask`, result: `"${call.name}" is not available in a subtask: only ${names().join(', ') || 'no tools'}.` };
      }
      const valid = executor.validate(call.name, call.args);
      if (!valid.ok) return failed(valid.error);
      const prepared = await executor.prepare(valid.args);
      if (!prepared.ok) return failed(prepared.error);
      ctx.update({ state: 'running' });
      const r = await executor.run(prepared.call, { signal: ctx.signal, onOutput: () => {} });
      return { state: r.ok ? 'done' : 'failed', outcome: `auto-approved in a subtask: ${r.outcome}`, result: r.result };
    },
  };
}
