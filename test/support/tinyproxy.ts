/**
 * A real forward proxy for tests: Debian's `tinyproxy`, started on a free loopback port with its own config
 * and log file. The log proves a request went through it.
 *
 *   const proxy = await Tinyproxy.start();            // or start({ basicAuth: ['user', 'pass'] })
 *   ... requests via proxy.url ...
 *   assert.match(proxy.log(), /POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions/);
 *   await proxy.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refusedPort } from './ports';

const BINARIES = ['/usr/bin/tinyproxy', '/usr/sbin/tinyproxy'];

export class Tinyproxy {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly port: number,
    private readonly output: () => string,
  ) {}

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(opts: { basicAuth?: [string, string] } = {}): Promise<Tinyproxy> {
    const bin = BINARIES.find((b) => existsSync(b));
    if (!bin) throw new Error('tinyproxy is not installed (Debian package tinyproxy; scripts/lib/prereqs.mjs installs it)');
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-tinyproxy-'));
    const port = await refusedPort();
    const conf = [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Timeout 30',
      `LogFile "${join(dir, 'tinyproxy.log')}"`,
      'LogLevel Info',
      'MaxClients 20',
      'Allow 127.0.0.1',
      'DisableViaHeader Yes',
      ...(opts.basicAuth ? [`BasicAuth ${opts.basicAuth[0]} ${opts.basicAuth[1]}`] : []),
    ].join('\n');
    writeFileSync(join(dir, 'tinyproxy.conf'), `${conf}\n`);
    let out = '';
    const child = spawn(bin, ['-d', '-c', join(dir, 'tinyproxy.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    const proxy = new Tinyproxy(child, dir, port, () => out);
    const deadline = Date.now() + 10_000;
    while (!(await accepts(port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await proxy.stop();
        throw new Error(`tinyproxy did not start (exit ${child.exitCode}): ${out.trim() || '(no output)'}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return proxy;
  }

  /** The proxy's log so far. */
  log(): string {
    const file = join(this.dir, 'tinyproxy.log');
    return existsSync(file) ? readFileSync(file, 'utf8') : this.output();
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      if (this.child.exitCode === null) this.child.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
