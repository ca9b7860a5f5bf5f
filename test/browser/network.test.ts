/**
 * Chromium quiet and confined: a PDF build, traced with strace, makes no DNS query and opens no
 * TCP connection (Chromium's background services are off, and any host name it still looks up
 * resolves to nothing inside Chromium); a program that is not Chromium gives one clear line.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../../src/browser/index.js';
import { BookTest } from '../book-test.js';
import { commandExists, ROOT, runCli } from '../helpers.js';

/**
 * What in an strace log reaches the network: a connect to port 53 (DNS), any TCP socket of the
 * Internet families, a datagram sent with an Internet address. (Chromium connects a UDP socket to
 * a public address to learn whether IPv6 is routed: that sends nothing, and is allowed.)
 */
function networkUse(log: string): string[] {
  const found: string[] = [];
  for (const line of log.split('\n')) {
    if (/socket\(AF_INET6?, SOCK_STREAM/.test(line)) found.push(line);
    else if (/connect\(.*sa_family=AF_INET6?, sin6?_port=htons\(53\)/.test(line)) found.push(line);
    else if (/send(to|msg|mmsg)\(.*sa_family=AF_INET/.test(line)) found.push(line);
  }
  return found;
}

describe('networkUse', () => {
  it('finds DNS queries and TCP connections in an strace log, and nothing in a quiet one', () => {
    expect(
      networkUse(
        '1 connect(22, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.53")}, 16) = 0',
      ),
    ).toHaveLength(1);
    expect(networkUse('1 socket(AF_INET6, SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_IP) = 5')).toHaveLength(1);
    expect(
      networkUse('1 sendto(9, "x", 1, 0, {sa_family=AF_INET, sin_port=htons(443)}, 16) = 1'),
    ).toHaveLength(1);
    expect(
      networkUse(
        '1 socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 35\n1 connect(35, {sa_family=AF_INET6, sin6_port=htons(443)}, 28) = 0\n1 connect(3, {sa_family=AF_UNIX, sun_path="/run/dbus"}, 20) = 0',
      ),
    ).toEqual([]);
  });
});

describe.skipIf(!commandExists('strace') || !chromiumAvailable())('a PDF build under strace', () => {
  it('makes no DNS query and no TCP connection', { timeout: 300_000 }, async () => {
    const book = BookTest.create('anthology-strace-')
      .toml('[book]\ntitle = "Quiet"\nlanguage = "en"\n')
      .article(
        'a/index.md',
        'A paragraph with a [link](https://example.com/) and a remote picture ![x](https://example.com/x.png).\n\n一段文字。\n',
      );
    const log = join(book.dir, 'strace.log');
    try {
      await promisify(execFile)(
        'strace',
        [
          '-f',
          '-qq',
          '-e',
          'trace=socket,connect,sendto,sendmsg,sendmmsg',
          '-o',
          log,
          process.execPath,
          '--import',
          'tsx',
          join(ROOT, 'src', 'cli.ts'),
          'build',
          book.dir,
          '--format',
          'pdf',
          '--quiet',
        ],
        { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
      );
      const trace = readFileSync(log, 'utf8');
      expect(trace).toMatch(/AF_UNIX/); // strace did see the build's sockets
      expect(networkUse(trace)).toEqual([]);
    } finally {
      book.remove();
    }
  });
});

describe('a program that is not Chromium', () => {
  const book = () =>
    BookTest.create('anthology-notchromium-')
      .toml('[book]\ntitle = "T"\nlanguage = "en"\n')
      .article('a.md', 'Text.\n\n文字。\n');

  it('gives one clear line and exit 1: a file that is not a program, one that exits at once, a script without its interpreter', {
    timeout: 120_000,
  }, async () => {
    const b = book();
    const script = join(b.dir, 'chrome.sh');
    writeFileSync(script, '#!/nonexistent/interpreter\n', { mode: 0o755 });
    try {
      for (const [exe, said] of [
        ['/etc/passwd', 'it is not an executable program'],
        ['/bin/false', 'it exited before it could be used'],
        [script, 'it is a script whose interpreter /nonexistent/interpreter cannot be run'],
      ] as const) {
        const run = await runCli(['build', b.dir, '--format', 'pdf'], { env: { ANTHOLOGY_CHROMIUM: exe } });
        expect(run.code, exe).toBe(1);
        const lines = run.stderr.trim().split('\n');
        expect(lines, exe).toHaveLength(1);
        expect(lines[0]).toContain(said);
      }
    } finally {
      b.remove();
    }
  });
});
