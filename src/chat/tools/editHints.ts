// Pure: what to tell a model whose edit_file oldText matched nothing, so its next try matches. The usual
// causes: line numbers copied from read_file, indentation or trailing spaces that differ, or a stale copy.

/** One sentence or two: why oldText may not match, and the file's line closest to it. */
export function closestLineHint(text: string, oldText: string): string {
  const fileLines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const wanted = oldText.split('\n').map((l) => l.replace(/\r$/, ''));
  const nonBlank = wanted.filter((l) => l.trim() !== '');
  if (nonBlank.length > 0 && nonBlank.every((l) => /^\s*\d+\t/.test(l))) {
    return 'It seems to include the line numbers read_file shows: send the text without them.';
  }
  const indentFree = findIgnoringIndent(fileLines, wanted);
  if (indentFree !== undefined) {
    return `It matches at line ${indentFree} if indentation and trailing spaces are ignored: copy those lines exactly, with their whitespace.`;
  }
  const first = nonBlank[0]?.trim();
  if (!first) return 'Read the file again and copy the text to replace exactly.';
  let best = -1;
  let bestScore = 0;
  fileLines.forEach((line, i) => {
    const score = similarity(first, line.trim());
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  });
  if (best < 0 || bestScore < 0.4) return 'No line resembles its first line: read the file again and copy the text to replace exactly.';
  const shown = fileLines[best].length > 200 ? `${fileLines[best].slice(0, 200)}…` : fileLines[best];
  return `The closest line to its first line is line ${best + 1}: ${JSON.stringify(shown)}. Read the file again and copy the text to replace exactly.`;
}

function findIgnoringIndent(fileLines: string[], wanted: string[]): number | undefined {
  const w = trimBlankEnds(wanted.map((l) => l.trim()));
  if (w.length === 0) return undefined;
  const f = fileLines.map((l) => l.trim());
  for (let i = 0; i + w.length <= f.length; i++) {
    let all = true;
    for (let j = 0; j < w.length && all; j++) all = f[i + j] === w[j];
    if (all) return i + 1;
  }
  return undefined;
}

function trimBlankEnds(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start] === '') start++;
  while (end > start && lines[end - 1] === '') end--;
  return lines.slice(start, end);
}

/** Dice coefficient over character bigrams: 1 for equal strings, near 0 for unrelated ones. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const counts = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) counts.set(a.slice(i, i + 2), (counts.get(a.slice(i, i + 2)) ?? 0) + 1);
  let shared = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const g = b.slice(i, i + 2);
    const n = counts.get(g) ?? 0;
    if (n > 0) {
      shared++;
      counts.set(g, n - 1);
    }
  }
  return (2 * shared) / (a.length + b.length - 2);
}
