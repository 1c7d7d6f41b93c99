// Pure: the six tools behind the coordinator's ToolExecutor: validation, confinement, the card's diff, and
// the run itself. File edits go through `applyPlan` (the extension applies a WorkspaceEdit, so Undo works;
// tests write to disk); commands run as child processes in the workspace, killed as a tree on Stop.
import type { ToolSpec } from '../../broker';
import { resolveInWorkspace } from './confinement';
import { applyPlanToDisk, planEdit, planWrite, type EditPlan } from './editTools';
import { listFilesTool, readFileTool, searchTextTool } from './readTools';
import { runCommand } from './runProcess';
import type { PreparedCall, RunReport, ToolExecutor } from './toolCoordinator';
import { toolSpecs, validateToolArgs } from './toolSpecs';
import type { ToolArgs, ToolContext, ToolFileSystem } from './types';

export type { EditPlan } from './editTools';

export interface WorkspaceAccess {
  roots(): string[];
  fs: ToolFileSystem;
  exclude?: (relative: string, root: string) => boolean;
  rgPath?: string;
  /** Applies a planned write or edit; default: straight to disk. Throws with a message the model can read. */
  applyPlan?(plan: EditPlan): Promise<void>;
  /** Runs a command in a terminal the user sees (its output does not come back). */
  openTerminal?(command: string, cwd: string): void;
  /** How long a command may run (default 60 s). */
  commandTimeoutMs?: number;
}

type Prepared = PreparedCall & { plan?: EditPlan };

export function createToolExecutor(access: WorkspaceAccess): ToolExecutor {
  const ctx = (signal?: AbortSignal): ToolContext => ({ roots: access.roots(), fs: access.fs, exclude: access.exclude, rgPath: access.rgPath, signal });

  return {
    specs: (): ToolSpec[] => toolSpecs(),
    roots: () => access.roots(),
    validate: (name, args) => validateToolArgs(name, args),

    async prepare(args: ToolArgs) {
      const roots = access.roots();
      if (roots.length === 0) return { ok: false, error: 'no folder is open in VS Code, so there is no workspace to work in' };
      switch (args.tool) {
        case 'read_file': {
          const r = await resolveInWorkspace(args.path, roots, access.fs, { exclude: access.exclude });
          return r.ok ? { ok: true, call: { args, paths: [r.path] } } : r;
        }
        case 'list_files':
        case 'search_text':
          return { ok: true, call: { args, paths: [] } };
        case 'write_file':
        case 'edit_file': {
          const planned = args.tool === 'write_file' ? await planWrite(args, ctx()) : await planEdit(args, ctx());
          if (!planned.ok) return planned;
          const plan = planned.plan;
          const call: Prepared = {
            args, paths: [plan.path], diff: plan.diff || '(no change)', overwrites: plan.existed,
            proposed: { absolute: plan.path.absolute, content: plan.newContent }, plan,
          };
          return { ok: true, call };
        }
        case 'run_command': {
          const r = await resolveInWorkspace(args.cwd ?? '.', roots, access.fs, { exclude: access.exclude });
          if (!r.ok) return r;
          return { ok: true, call: { args, paths: [r.path], cwd: r.path.absolute } };
        }
      }
    },

    async run(call: Prepared, { signal, onOutput }): Promise<RunReport> {
      const args = call.args;
      switch (args.tool) {
        case 'read_file':
        case 'list_files':
        case 'search_text': {
          const r = args.tool === 'read_file' ? await readFileTool(args, ctx(signal)) : args.tool === 'list_files' ? await listFilesTool(args, ctx(signal)) : await searchTextTool(args, ctx(signal));
          if (!r.ok) return { ok: false, result: `Error: ${r.error}`, outcome: `failed: ${r.error}` };
          return { ok: true, result: r.output, outcome: r.truncated ? 'output cut to 64 KB' : 'done' };
        }
        case 'write_file':
        case 'edit_file': {
          const plan = call.plan!;
          try {
            if (access.applyPlan) await access.applyPlan(plan);
            else {
              const w = await applyPlanToDisk(plan);
              if (!w.ok) throw new Error(w.error);
            }
          } catch (err) {
            const msg = (err as Error)?.message ?? String(err);
            return { ok: false, result: `Error: the change was not applied: ${msg}`, outcome: `failed: ${msg}` };
          }
          const what = `${plan.existed ? 'edited' : 'created'} ${plan.path.relative} (+${plan.added} -${plan.removed})`;
          return { ok: true, result: `OK: ${what}.`, outcome: what };
        }
        case 'run_command': {
          let live = '';
          const run = runCommand(args.command, {
            cwd: call.cwd!,
            timeoutMs: access.commandTimeoutMs,
            signal,
            onOutput: (chunk) => {
              live += chunk;
              onOutput(live);
            },
          });
          const r = await run.done;
          if (r.error) return { ok: false, result: `Error: the command could not start: ${r.error}`, outcome: `failed: ${r.error}` };
          const how = r.timedOut ? 'timed out and was killed' : r.killed ? 'was stopped' : r.signal ? `ended by ${r.signal}` : `exit code ${r.exitCode}`;
          const result = `${r.output}${r.output.endsWith('\n') || !r.output ? '' : '\n'}[${how}${r.truncated ? '; output cut, head and tail kept' : ''}]`;
          return { ok: r.exitCode === 0, result, outcome: how, exitCode: r.exitCode };
        }
      }
    },

    runInTerminal(call: PreparedCall) {
      if (call.args.tool !== 'run_command') return;
      access.openTerminal?.(call.args.command, call.cwd ?? access.roots()[0]);
    },
  };
}
