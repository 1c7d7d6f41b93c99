// Pure: a unified line diff (Myers' O(ND) algorithm after trimming the common head and tail) for the cards and
// the model. Lines are compared with their endings, so a CRLF <-> LF change shows; a diff whose edit distance
// exceeds MAX_EDIT_DISTANCE is shown as the changed middle removed and re-added instead of searched further.

/** Beyond this many changed lines the search stops (its memory grows with the square of the distance). */
export const MAX_EDIT_DISTANCE = 4000;
const CONTEXT = 3;

type Op = { kind: ' ' | '-' | '+'; line: string };

/** A unified diff of two texts with `--- a/path` / `+++ b/path` headers (`/dev/null` for a new file); "" when equal. */
export function unifiedDiff(oldText: string | undefined, newText: string, path: string): { diff: string; added: number; removed: number } {
  const a = oldText === undefined ? [] : splitKeepingEnds(oldText);
  const b = splitKeepingEnds(newText);
  const ops = diffLines(a, b);
  const added = ops.filter((o) => o.kind === '+').length;
  const removed = ops.filter((o) => o.kind === '-').length;
  if (added === 0 && removed === 0) return { diff: '', added, removed };
  const header = `--- ${oldText === undefined ? '/dev/null' : `a/${path}`}\n+++ b/${path}\n`;
  return { diff: header + hunks(ops).join(''), added, removed };
}

/** Splits text into lines that keep their `\n` (the last may have none). */
export function splitKeepingEnds(text: string): string[] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g);
  return lines ?? [];
}

/** The edit script turning `a` into `b`: equal, removed and added lines in order. */
export function diffLines(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const middle = myers(midA, midB) ?? [...midA.map((line): Op => ({ kind: '-', line })), ...midB.map((line): Op => ({ kind: '+', line }))];
  const same = (line: string): Op => ({ kind: ' ', line });
  return [...a.slice(0, head).map(same), ...middle, ...a.slice(a.length - tail).map(same)];
}

function myers(a: string[], b: string[]): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= Math.min(max, MAX_EDIT_DISTANCE); d++) {
    // The furthest x on each diagonal k in [-d-1, d+1] before this round, for walking back.
    trace.push(v.slice(off - d - 1, off + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace, d);
    }
  }
  return undefined;
}

function backtrack(a: string[], b: string[], trace: Int32Array[], depth: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = depth; d > 0; d--) {
    const prev = trace[d];
    const at = (k: number) => prev[k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[--x] });
      y--;
    }
    if (x === prevX) ops.push({ kind: '+', line: b[--y] });
    else ops.push({ kind: '-', line: a[--x] });
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: ' ', line: a[--x] });
    y--;
  }
  return ops.reverse();
}

function hunks(ops: Op[]): string[] {
  const out: string[] = [];
  let i = 0;
  let oldLine = 0;
  let newLine = 0;
  const positions = ops.map((o) => {
    const p = { old: oldLine, new: newLine };
    if (o.kind !== '+') oldLine++;
    if (o.kind !== '-') newLine++;
    return p;
  });
  while (i < ops.length) {
    while (i < ops.length && ops[i].kind === ' ') i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - CONTEXT);
    let end = i;
    // Extend over changes closer than two contexts apart, so neighbouring hunks merge as in git.
    for (;;) {
      while (end < ops.length && ops[end].kind !== ' ') end++;
      let run = end;
      while (run < ops.length && ops[run].kind === ' ') run++;
      if (run < ops.length && run - end <= 2 * CONTEXT) end = run;
      else {
        end = Math.min(ops.length, end + CONTEXT);
        break;
      }
    }
    const slice = ops.slice(start, end);
    const oldCount = slice.filter((o) => o.kind !== '+').length;
    const newCount = slice.filter((o) => o.kind !== '-').length;
    const oldStart = positions[start].old + (oldCount ? 1 : 0);
    const newStart = positions[start].new + (newCount ? 1 : 0);
    let text = `@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@\n`;
    for (const o of slice) {
      const ended = o.line.endsWith('\n');
      // Only the \n goes: a CR stays in the line, as in git's output, so the diff applies back exactly.
      text += `${o.kind}${ended ? o.line.slice(0, -1) : o.line}\n${ended ? '' : '\\ No newline at end of file\n'}`;
    }
    out.push(text);
    i = end;
  }
  return out;
}

function range(start: number, count: number): string {
  return count === 1 ? String(start) : `${start},${count}`;
}
