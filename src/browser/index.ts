/**
 * The one module that owns the browser: it finds Chromium, launches it with the flags this
 * machine needs, threads a timeout through, always closes it and removes its profile, and opens
 * pages that can read only the book's own files.
 */
import { accessSync, closeSync, constants, existsSync, openSync, readSync, statSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, HTTPRequest, Page } from 'puppeteer-core';
import { AnthologyError } from '../errors.js';
import { onCleanup, temporaryFolder } from '../fs/cleanup.js';
import { isInside } from '../fs/paths.js';

export type { Browser, Page } from 'puppeteer-core';

/** Environment variables that name a Chromium or Chrome binary, most specific first. */
const CHROMIUM_ENV_VARS = ['ANTHOLOGY_CHROMIUM', 'PUPPETEER_EXECUTABLE_PATH', 'CHROME_PATH'] as const;

/** Where Chromium and Chrome are usually installed, tried in this order. */
function chromiumCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const programFiles = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA]
    .filter((p): p is string => Boolean(p))
    .concat(['C:\\Program Files', 'C:\\Program Files (x86)']);
  const windows = [...new Set(programFiles)].flatMap((root) => [
    `${root}\\Google\\Chrome\\Application\\chrome.exe`,
    `${root}\\Chromium\\Application\\chrome.exe`,
    `${root}\\Microsoft\\Edge\\Application\\msedge.exe`,
  ]);
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/google-chrome',
    '/snap/bin/chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    ...windows,
  ];
}

/**
 * The path of the Chromium (or Chrome) binary to drive: the first environment override that is
 * set (ANTHOLOGY_CHROMIUM, PUPPETEER_EXECUTABLE_PATH, CHROME_PATH), else the first usual
 * install location that exists. Throws an AnthologyError that says how to get one.
 */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
): string {
  for (const name of CHROMIUM_ENV_VARS) {
    const value = env[name]?.trim();
    if (!value) continue;
    if (!exists(value)) {
      throw new AnthologyError(
        `${name} is set to ${value}, but no file is there. Point it at a Chromium or Chrome binary, or unset it.`,
      );
    }
    const problem = exists === existsSync ? notRunnable(value) : undefined;
    if (problem)
      throw new AnthologyError(
        `${name} is set to ${value}, but ${problem}. Point it at a Chromium or Chrome binary, or unset it.`,
      );
    return value;
  }
  for (const candidate of chromiumCandidates(env)) {
    if (exists(candidate)) return candidate;
  }
  throw new AnthologyError(
    'Chromium was not found; it is needed to make the PDF. Install it ' +
      '(Debian/Ubuntu: apt-get install chromium; macOS: install Google Chrome; Windows: install Chrome), ' +
      'or set ANTHOLOGY_CHROMIUM to the path of a Chromium or Chrome binary.',
  );
}

/** True when a Chromium can be found (for skipping browser tests on machines without one). */
export function chromiumAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  try {
    findChromium(env);
    return true;
  } catch {
    return false;
  }
}

/**
 * The flags every launch uses: headless, no sandbox (root in containers), and every background
 * service that would reach the network off, so that a build makes no DNS query and opens no
 * connection (checked with strace in the tests). Page requests are refused separately
 * (openConfinedPage); these are Chromium's own: component and safe-browsing updates, sync,
 * metrics, crash reports, field trials, DNS-over-HTTPS probes, translation, media routing.
 * `--host-resolver-rules` is the backstop: any host name that still gets looked up resolves to
 * nothing, without a query leaving the machine.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-component-extensions-with-background-pages',
  '--disable-extensions',
  '--disable-default-apps',
  '--disable-sync',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--disable-breakpad',
  '--disable-crash-reporter',
  '--disable-field-trial-config',
  '--metrics-recording-only',
  '--no-pings',
  '--no-first-run',
  '--no-default-browser-check',
  '--no-service-autorun',
  '--password-store=basic',
  '--use-mock-keychain',
  '--dns-prefetch-disable',
  '--disable-features=' +
    [
      'Translate',
      'OptimizationHints',
      'MediaRouter',
      'DialMediaRouteProvider',
      'AutofillServerCommunication',
      'CertificateTransparencyComponentUpdater',
      'NetworkTimeServiceQuerying',
      'DnsOverHttps',
      'AsyncDns',
      'InterestFeedContentSuggestions',
      'SafeBrowsingEnhancedProtection',
      'PrivacySandboxSettings4',
      'NetworkPrediction',
    ].join(','),
  '--host-resolver-rules=MAP * ~NOTFOUND',
] as const;

/** Generous by default: a book of 2,000 pages must print. */
export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

export interface BrowserOptions {
  /** Longest any one browser operation may take (launch, load, print). Default 10 minutes. */
  timeoutMs?: number;
  /** Override the binary (else findChromium()). */
  executablePath?: string;
}

/** A launched Chromium and its temporary profile, closed (and removed) together. */
interface Launched {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Why `path` cannot be run as a program, or undefined when it can: checked before launching,
 * because a failed spawn surfaces inside puppeteer as an unhandled 'error' event (a crash).
 */
function notRunnable(path: string): string | undefined {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    return 'no file is there';
  }
  if (!stat.isFile()) return 'it is not a file';
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return 'it is not an executable program';
  }
  // A script (Debian's /usr/bin/chromium is one) needs its interpreter.
  const head = Buffer.alloc(256);
  const fd = openSync(path, 'r');
  const length = (() => {
    try {
      return readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  })();
  const shebang = /^#!\s*(\S+)/.exec(head.subarray(0, length).toString('latin1'));
  if (shebang && notRunnable(shebang[1]!))
    return `it is a script whose interpreter ${shebang[1]} cannot be run`;
  return undefined;
}

async function launch(options: BrowserOptions): Promise<Launched> {
  const executablePath = options.executablePath ?? findChromium();
  const problem = notRunnable(executablePath);
  if (problem)
    throw new AnthologyError(
      `Could not start Chromium (${executablePath}): ${problem}. Point ANTHOLOGY_CHROMIUM at a Chromium or Chrome binary.`,
    );
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const profileFolder = temporaryFolder('chromium');
  const profile = profileFolder.path;
  let browser: Browser;
  try {
    // Loaded when a browser is first needed (a second of start-up otherwise, for every command).
    const { default: puppeteer } = await import('puppeteer-core');
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      pipe: true,
      // Our own flags only: puppeteer's defaults add --enable-automation and others we do not need.
      ignoreDefaultArgs: true,
      args: [
        ...CHROMIUM_FLAGS,
        `--user-data-dir=${profile}`,
        '--hide-scrollbars',
        '--mute-audio',
        'about:blank',
      ],
      timeout: Math.min(timeoutMs, 120_000),
      protocolTimeout: timeoutMs,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (error) {
    profileFolder.remove();
    throw new AnthologyError(
      `Could not start Chromium (${executablePath}): ${launchProblem(error as Error)}`,
    );
  }
  // If the build is interrupted (Ctrl-C, SIGTERM), Chromium and all its helpers (their own
  // process group) are killed and the profile removed, synchronously, before the CLI exits.
  const child = browser.process();
  const forget = onCleanup(() => {
    killGroup(child?.pid);
    profileFolder.remove();
  });
  return {
    browser,
    async close() {
      try {
        await browser.close();
      } catch {
        // The process may already be gone; make sure it is.
        killGroup(child?.pid);
      }
      forget();
      profileFolder.remove();
    },
  };
}

/** Kills Chromium and its helper processes (puppeteer starts it as the leader of a process group). */
function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * One line on why a launch failed. A program that is not Chromium (`/bin/false`) exits before it
 * speaks the DevTools protocol, which puppeteer reports as "Target closed" or with the whole
 * command line; the user needs neither.
 */
function launchProblem(error: Error): string {
  const first = error.message.split('\n')[0]!.trim();
  if (/Target closed|Failed to launch|exited|closed/i.test(error.message)) {
    return 'it exited before it could be used; is it a Chromium or Chrome binary? (set ANTHOLOGY_CHROMIUM to one)';
  }
  if (error.name === 'TimeoutError') return 'it did not answer in time';
  return first;
}

/**
 * Launch Chromium, hand it to `fn`, and always close it and remove its temporary profile,
 * whether `fn` succeeds or throws.
 */
export async function withBrowser<T>(
  fn: (browser: Browser) => Promise<T>,
  options: BrowserOptions = {},
): Promise<T> {
  const launched = await launch(options);
  try {
    return await fn(launched.browser);
  } finally {
    await launched.close();
  }
}

/**
 * One Chromium for a whole build, shared by the formats that need one (the PDF prints with it, the
 * EPUB draws its cover with it): launched on first use, never when no format asks, closed once.
 */
export interface BrowserPool {
  /** Whether a Chromium can be found, without launching it. */
  available(): boolean;
  /** The shared browser, launched on the first call. */
  get(): Promise<Browser>;
  /** Closes the browser if it was launched; safe to call more than once. */
  close(): Promise<void>;
}

export function createBrowserPool(options: BrowserOptions = {}): BrowserPool {
  let launching: Promise<Launched> | undefined;
  return {
    available: () => (options.executablePath ? existsSync(options.executablePath) : chromiumAvailable()),
    async get() {
      launching ??= launch(options);
      return (await launching).browser;
    },
    async close() {
      const pending = launching;
      launching = undefined;
      if (pending) await (await pending.catch(() => undefined))?.close();
    },
  };
}

/**
 * Decide whether a confined page may load `url`: data: URLs, and file: URLs whose real path
 * (symlinks resolved) lies inside one of `roots` (themselves real paths). Everything else no.
 */
export async function isAllowedUrl(url: string, roots: readonly string[]): Promise<boolean> {
  if (url.startsWith('data:')) return true;
  if (!url.startsWith('file:')) return false;
  let path: string;
  try {
    const parsed = new URL(url);
    if (parsed.host !== '' && parsed.host !== 'localhost') return false;
    // Reject any `..` segment as written (URL parsing normalizes most, encoded ones survive).
    if (decodeURIComponent(parsed.pathname).split(/[\\/]/).includes('..')) return false;
    path = fileURLToPath(parsed);
  } catch {
    return false;
  }
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return false; // a file that does not exist: nothing to load
  }
  return roots.some((root) => isInside(real, root));
}

/** The URLs a confined page refused to load, kept on the page for callers and tests. */
const blockedByPage = new WeakMap<Page, string[]>();

export function blockedRequests(page: Page): readonly string[] {
  return blockedByPage.get(page) ?? [];
}

/**
 * A new page whose content cannot run JavaScript and can read only data: URLs and files inside
 * `allowedRoots` (symlinks resolved, `..` refused). Everything else, the network included, is aborted.
 */
export async function openConfinedPage(browser: Browser, allowedRoots: string[]): Promise<Page> {
  const roots: string[] = [];
  for (const root of allowedRoots) {
    try {
      roots.push(await realpath(resolve(root)));
    } catch {
      // A root that does not exist allows nothing.
    }
  }
  const page = await browser.newPage();
  const blocked: string[] = [];
  blockedByPage.set(page, blocked);
  try {
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
  } catch (error) {
    await page.close().catch(() => undefined);
    throw error;
  }
  page.on('request', (request: HTTPRequest) => {
    void decide(request);
  });
  async function decide(request: HTTPRequest): Promise<void> {
    if (request.isInterceptResolutionHandled()) return;
    const url = request.url();
    let allowed = false;
    try {
      allowed = await isAllowedUrl(url, roots);
    } catch {
      allowed = false;
    }
    try {
      if (allowed) {
        await request.continue();
      } else {
        blocked.push(url);
        await request.abort('accessdenied');
      }
    } catch {
      // The page or the request went away meanwhile.
    }
  }
  return page;
}
