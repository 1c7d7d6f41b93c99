import { strict as assert } from 'node:assert';
import { CSV_COLUMNS, toCsv, toJson } from '../../../src/usage/export';
import { compactCount, formatCost, formatTokens, statusBarText } from '../../../src/usage/format';
import { unknownUsageRecord, type UsageRecord } from '../../../src/usage/record';
import { addRecord, emptyTotals, summarize, type Totals } from '../../../src/usage/totals';
import { MAX_TABLE_ROWS, escapeMarkdown, usageTooltipMarkdown } from '../../../src/usage/tooltip';
import { record } from './usageTestKit';

function totalsOf(records: UsageRecord[]): Totals {
  const t = emptyTotals();
  for (const r of records) addRecord(t, r);
  return t;
}

const localModel = () => record({ modelId: 'local', model: 'local', cost: null, costSource: 'unknown', totalTokens: 12_345 });
const freeModel = () => record({ modelId: 'free', cost: 0, costSource: 'provider' });

/** Splits CSV text into rows of fields (RFC 4180 quoting), to check toCsv from the reader's side. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  return rows;
}

suite('usage formatting', () => {
  test('unknown cost reads "unknown", never $0; a free model reads $0.00', () => {
    assert.equal(formatCost(totalsOf([localModel()])), 'unknown');
    assert.equal(formatCost(totalsOf([freeModel()])), '$0.00');
    assert.equal(formatCost(totalsOf([freeModel(), localModel()])), '$0.00 + unknown');
    assert.equal(formatCost(totalsOf([record({ cost: 0.41 }), localModel()])), '$0.41 + unknown');
    assert.equal(formatCost(totalsOf([record({ cost: 0.0123 })])), '$0.0123');
  });

  test('a request without usage makes the cost partly unknown', () => {
    const noUsage = unknownUsageRecord({ modelId: 'mini', category: 'chat' }, { time: 0, sessionId: 's' });
    assert.equal(formatCost(totalsOf([record({ cost: 0.41 }), noUsage])), '$0.41 + unknown');
  });

  test('token counts are compact', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [950, '950'],
      [1000, '1k'],
      [12_345, '12.3k'],
      [123_456, '123k'],
      [999_960, '1M'],
      [1_234_567, '1.2M'],
      [2_500_000_000, '2.5B'],
    ];
    for (const [n, text] of cases) assert.equal(compactCount(n), text, String(n));
    assert.equal(formatTokens(12_345), '12.3k tok');
  });

  test('the status bar shows the cost, the cost plus unknown, or tokens when every cost is unknown', () => {
    assert.equal(statusBarText(totalsOf([record({ cost: 0.0123 })])), '$(pulse) $0.0123');
    assert.equal(statusBarText(totalsOf([record({ cost: 0.41 }), localModel()])), '$(pulse) $0.41 + unknown');
    assert.equal(statusBarText(totalsOf([localModel()])), '$(pulse) 12.3k tok');
    assert.equal(statusBarText(totalsOf([freeModel()])), '$(pulse) $0.00');
    assert.equal(statusBarText(emptyTotals()), '$(pulse) $0.00');
    assert.equal(statusBarText(totalsOf([unknownUsageRecord({ modelId: 'm', category: 'c' }, { time: 0, sessionId: 's' })])), '$(pulse) unknown');
    assert.equal(statusBarText(totalsOf([record({ cost: 0.0123 })]), { busy: true }), '$(loading~spin) $0.0123');
  });

  test('markdown escaping keeps table cells intact', () => {
    assert.equal(escapeMarkdown('a|b'), 'a\\|b');
    assert.equal(escapeMarkdown('line\nbreak'), 'line break');
    assert.equal(escapeMarkdown('<img src=x>'), '&lt;img src=x&gt;');
    assert.equal(escapeMarkdown('[x](command:evil)'), '\\[x\\]\\(command:evil\\)');
  });

  test('the tooltip has the period total, tables by model and category, the last request and the links', () => {
    const now = new Date(2024, 4, 17, 15, 0).getTime();
    const at = new Date(2024, 4, 17, 14, 3).getTime();
    const s = summarize(
      [
        record({ modelId: 'mini', category: 'chat', promptTokens: 1234, completionTokens: 567, cost: 0.0123 }, { time: at - 1000 }),
        record({ modelId: 'loc|al', model: 'loc|al', category: 'summarize', promptTokens: 10, completionTokens: 5, cost: null, costSource: 'unknown' }, { time: at }),
      ],
      { now, sessionId: 'x' },
    );
    const md = usageTooltipMarkdown(s, 'today', [
      { title: 'Show usage', uri: 'command:switchboard.showUsage' },
      { title: 'Settings', uri: 'command:switchboard.openSettings' },
    ]);
    const lines = md.split('\n');
    assert.ok(lines[0].startsWith('**Usage today:** \\$0\\.0123 \\+ unknown · 2 requests'), lines[0]);
    assert.ok(lines.includes('| Model | Requests | Prompt tokens | Completion tokens | Cost |'));
    assert.ok(lines.includes('| mini | 1 | 1,234 | 567 | \\$0\\.0123 |'));
    assert.ok(lines.includes('| loc\\|al | 1 | 10 | 5 | unknown |'), 'a pipe in a model id is escaped, and no cost reads unknown');
    assert.ok(lines.includes('| Category | Requests | Prompt tokens | Completion tokens | Cost |'));
    assert.ok(lines.includes('| summarize | 1 | 10 | 5 | unknown |'));
    assert.ok(lines.includes('**Last request:** loc\\|al · summarize · 10 → 5 tokens · cost unknown · 14:03'), md);
    assert.equal(lines.at(-1), '[Show usage](command:switchboard.showUsage) · [Settings](command:switchboard.openSettings)');
  });

  test('the tooltip for an empty period says so, and long tables end with a count of the rest', () => {
    const empty = usageTooltipMarkdown(summarize([], { now: 0, sessionId: 'x' }), 'month');
    assert.equal(empty, '**Usage this month:** no requests yet');
    const many = Array.from({ length: MAX_TABLE_ROWS + 3 }, (_, i) => record({ modelId: `m${i}` }, { time: 0 }));
    const md = usageTooltipMarkdown(summarize(many, { now: 0, sessionId: 'x' }), 'all');
    assert.ok(md.includes('| … 3 more | | | | |'));
  });

  test('CSV has a header, quotes commas, quotes and line breaks, and leaves an unknown cost empty', () => {
    const tricky = record({ model: 'a, "b"\nc', modelId: 'x', cost: 0.00042, costSource: 'price' }, { time: Date.UTC(2024, 0, 2, 3, 4, 5), id: 'id1' });
    const unknown = record({ model: '=cmd()', cost: null, costSource: 'unknown' }, { id: 'id2' });
    const csv = toCsv([tricky, unknown]);
    assert.ok(csv.endsWith('\r\n'));
    const rows = parseCsv(csv);
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    assert.equal(rows.length, 3);
    assert.equal(rows[1][col('model')], 'a, "b"\nc');
    assert.equal(rows[1][col('time')], '2024-01-02T03:04:05.000Z');
    assert.equal(rows[1][col('costUsd')], '0.00042');
    assert.equal(rows[1][col('costSource')], 'price');
    assert.equal(rows[2][col('costUsd')], '');
    assert.equal(rows[2][col('model')], "'=cmd()", 'a formula-like name is defused for spreadsheets');
    assert.ok(rows.every((r) => r.length === CSV_COLUMNS.length));
  });

  test('JSON export is the raw records', () => {
    const rs = [record(), localModel()];
    assert.deepEqual(JSON.parse(toJson(rs)), rs);
  });
});
