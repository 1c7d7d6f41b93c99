// A small OpenAI-compatible server for `npm run try`: it streams a markdown answer about the question over SSE,
// with a little reasoning first and a usage chunk (with a cost) at the end, the way a cloud gateway does.
// It is a demonstration, not a model: it says so in every answer.
import { createServer } from 'node:http';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function answerFor(question) {
  const q = question.replace(/\s+/g, ' ').trim().slice(0, 200) || '(empty)';
  return [
    `You asked: *${q.replace(/[*_`[\]]/g, '')}*`,
    '',
    'This answer comes from the **demo server** that `npm run try` started, so you can see how Switchboard',
    'streams, renders and accounts for an answer without a model of your own:',
    '',
    '1. The text streams in token by token and renders as markdown while it arrives.',
    '2. The line under the answer names the model that answered, the tokens, the cost and the time to first token.',
    '3. The status bar (bottom right) adds the cost to today\'s total; hover it for the tables.',
    '',
    '```ts',
    '// Point Switchboard at a real server in settings.json (Remote settings in a browser window):',
    'const models = {',
    '  local: { endpoint: "http://127.0.0.1:8080", model: "qwen2.5-coder-7b" },',
    '  mini: { endpoint: "https://openrouter.ai/api/v1", model: "openai/gpt-4o-mini", keyEnv: "OPENROUTER_API_KEY" },',
    '};',
    '```',
    '',
    '| what | where |',
    '| --- | --- |',
    '| models and chains | `switchboard.models`, `switchboard.chains` |',
    '| budgets | `switchboard.budget.daily`, `switchboard.budget.monthly` |',
    '',
    'Try **Stop** while an answer streams, or **Switchboard: Show Usage** from the command palette.',
  ].join('\n');
}

/** Starts the demo server on 127.0.0.1 (any free port unless given); resolves with { url, close }. */
export function startDemoServer({ port = 0, tokenDelayMs = 15 } = {}) {
  const server = createServer(async (req, res) => {
    if (req.method === 'GET' && /\/models$/.test(req.url ?? '')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'demo', object: 'model', owned_by: 'switchboard-demo' }] }));
      return;
    }
    if (req.method !== 'POST' || !/\/chat\/completions$/.test(req.url ?? '')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}`, type: 'not_found' } }));
      return;
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    let request;
    try {
      request = JSON.parse(body);
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'the request body is not JSON', type: 'invalid_request_error' } }));
      return;
    }
    const messages = Array.isArray(request.messages) ? request.messages : [];
    const question = String([...messages].reverse().find((m) => m?.role === 'user')?.content ?? '');
    const promptTokens = Math.max(1, Math.round(JSON.stringify(messages).length / 4));
    const text = answerFor(question);
    const pieces = text.match(/\s*\S+|\s+$/g) ?? [];
    let closed = false;
    req.on('close', () => (closed = true));
    res.on('close', () => (closed = true));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (obj) => res.write(`data: ${JSON.stringify({ id: 'demo', object: 'chat.completion.chunk', model: 'demo', ...obj })}\n\n`);
    send({ choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] });
    for (const r of ['Reading the question. ', 'Planning a short, useful answer.']) {
      if (closed) return;
      send({ choices: [{ index: 0, delta: { reasoning: r } }] });
      await sleep(tokenDelayMs * 4);
    }
    for (const piece of pieces) {
      if (closed) return; // the client stopped: stop generating, as real servers do
      send({ choices: [{ index: 0, delta: { content: piece } }] });
      await sleep(tokenDelayMs);
    }
    const completionTokens = pieces.length + 12;
    // Priced like a small cloud model: $0.15 / $0.60 per million tokens.
    const cost = (promptTokens * 0.15 + completionTokens * 0.6) / 1e6;
    send({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    if (request.stream_options?.include_usage) {
      send({ choices: [], usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens, cost } });
    }
    res.end('data: [DONE]\n\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: p } = server.address();
      resolve({ url: `http://127.0.0.1:${p}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}
