/**
 * `anthology preview`: the book in a browser while it is edited. A node:http server on
 * 127.0.0.1 only; the book is compiled in this process and rebuilt when the content folder,
 * book.toml, the templates or the styles change (fs.watch, recursive), each article's parse and
 * pair results kept in memory so that a rebuild parses only what changed. Open pages hear of a
 * rebuild by server-sent events and swap in the new page themselves. Serves the pages, the
 * book's images (as the build found them), the bundled fonts and the book folder's own files;
 * nothing else, and loads nothing from the network (a Content-Security-Policy says so to the browser).
 */
import { createReadStream, realpathSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { compileBook } from '../compile/index.js';
import { type BuildOptions, loadConfig } from '../config/index.js';
import { AnthologyError, formatLocation } from '../errors.js';
import { type ArticleCacheStats, type ArticleMemory, openArticleCache } from '../incremental/index.js';
import { LAYOUTS, type LayoutName } from '../model.js';
import { loadTheme } from '../theme/index.js';
import { watchBook } from '../watch/index.js';
import { CLIENT_SCRIPT } from './client.js';
import {
  articlePage,
  CLIENT_PATH,
  contentsPage,
  EVENTS_PATH,
  FONT_PATH,
  fontFiles,
  type PreviewState,
  printPage,
} from './pages.js';
import { resolveBookFile } from './paths.js';

export interface PreviewOptions extends Pick<BuildOptions, 'bookDir' | 'content' | 'layout' | 'order'> {
  /** 0 (the default): a free port. */
  port?: number;
  onEvent?: (event: PreviewEvent) => void;
}

export type PreviewEvent =
  | { type: 'rebuilt'; ms: number; articles: ArticleCacheStats; problems: number; changed: string[] }
  | { type: 'failed'; message: string; changed: string[] };

export interface PreviewServer {
  url: string;
  /** The book folder. */
  bookDir: string;
  /** Rebuild now (the watcher calls it; tests may too). */
  rebuild(changed?: string[]): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.toml': 'text/plain; charset=utf-8',
  '.hbs': 'text/plain; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/** Nothing but the preview itself: no CDN, no remote image, no remote font. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'";

export async function startPreview(options: PreviewOptions = {}): Promise<PreviewServer> {
  const state: PreviewState = {};
  const memory: ArticleMemory = new Map();
  const request = {
    bookDir: options.bookDir,
    content: options.content,
    layout: options.layout,
    order: options.order,
  };
  const emit = options.onEvent ?? (() => {});
  const clients = new Set<ServerResponse>();

  const rebuild = (changed: string[] = []) => {
    const started = performance.now();
    try {
      const config = loadConfig(request);
      const articles = openArticleCache({ memory });
      const book = compileBook(config, articles);
      void articles.prune(); // memory only (no folder): synchronous in effect
      Object.assign(state, { config, book, theme: loadTheme(config, book.meta.language), error: undefined });
      emit({
        type: 'rebuilt',
        ms: performance.now() - started,
        articles: articles.stats,
        problems: book.diagnostics.length,
        changed,
      });
    } catch (error) {
      if (!(error instanceof AnthologyError)) throw error;
      state.error = `${formatLocation(error.file, error.line)}${error.detail}`;
      emit({ type: 'failed', message: state.error, changed });
    }
    for (const client of clients) client.write(`event: rebuilt\ndata: ${Date.now()}\n\n`);
  };
  // The first build: an error here (no content folder, a bad book.toml) stops the command, as `build` does.
  const first = loadConfig(request);
  // watching before the first build: a file saved while it runs makes another
  const watcher = watchBook(first, (changed) => rebuild(changed));
  rebuild();
  if (!state.book) {
    watcher.close();
    throw new AnthologyError(state.error ?? 'the book did not build', { file: first.bookDir });
  }
  const bookDir = first.bookDir;
  const root = realpathSync(bookDir);
  const fonts = fontFiles();

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      send(res, 500, 'text/plain; charset=utf-8', `internal error: ${(error as Error).message}`);
    }
  });

  function handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
    // A web page elsewhere could point a name of its own at 127.0.0.1 (DNS rebinding) and read the
    // book through the reader's browser: only requests made to this machine by its names are served.
    if (!LOCAL_HOST.test(req.headers.host ?? ''))
      return send(
        res,
        403,
        'text/plain; charset=utf-8',
        'refused: the preview answers only to 127.0.0.1 and localhost',
      );
    const raw = req.url ?? '/';
    const [rawPath = '/', query = ''] = raw.split('?', 2);
    const params = new URLSearchParams(query);
    if (rawPath === '/' || rawPath === '/index.html')
      return send(res, 200, TYPES['.html']!, contentsPage(state));
    if (rawPath === '/print') return send(res, 200, TYPES['.html']!, printPage(state));
    if (rawPath === CLIENT_PATH) return send(res, 200, TYPES['.js']!, CLIENT_SCRIPT);
    if (rawPath === EVENTS_PATH) return subscribe(req, res);
    const article = /^\/a\/([A-Za-z0-9_-]+)$/.exec(rawPath);
    if (article) {
      const layout = params.get('layout');
      const page = articlePage(
        state,
        article[1]!,
        LAYOUTS.includes(layout as LayoutName) ? (layout as LayoutName) : undefined,
      );
      return page
        ? send(res, 200, TYPES['.html']!, page)
        : send(res, 404, 'text/plain; charset=utf-8', 'no such article');
    }
    const font = new RegExp(`^${FONT_PATH}(\\d+)$`).exec(rawPath);
    if (font) {
      const file = fonts[Number(font[1])];
      return file ? stream(res, file) : send(res, 404, 'text/plain; charset=utf-8', 'no such font');
    }
    // An article's image, by the place the images pass gave it (`images/...`), on article pages and the print view.
    const image = /^(?:\/a)?\/(images\/[^/]+)$/.exec(rawPath);
    const asset = image && state.book?.assets.find((a) => a.href === image[1]);
    if (asset) return stream(res, asset.path);
    // Anything else: a file of the book folder itself, confined to it.
    const resolved = resolveBookFile(rawPath, root);
    if (!resolved.ok)
      return send(res, resolved.status, 'text/plain; charset=utf-8', `refused: ${resolved.reason}`);
    return stream(res, resolved.file);
  }

  function subscribe(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write('retry: 500\n\n');
    clients.add(res);
    req.on('close', () => clients.delete(res));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      watcher.close();
      // taken by another program, or a port this user may not open: the user's to fix, said plainly
      if (error.code === 'EADDRINUSE')
        reject(
          new AnthologyError(
            `port ${options.port} on 127.0.0.1 is in use (another preview?); choose another with --port, or leave it out for a free one`,
          ),
        );
      else if (error.code === 'EACCES')
        reject(
          new AnthologyError(
            `port ${options.port} on 127.0.0.1 may not be opened by this user; choose one above 1023`,
          ),
        );
      else reject(error);
    });
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    bookDir,
    rebuild,
    close: async () => {
      watcher.close();
      for (const client of clients) client.end();
      clients.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The Host of a request made to this machine by its own names. */
const LOCAL_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/i;

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function stream(res: ServerResponse, file: string): void {
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
  });
  if (res.req.method === 'HEAD') return void res.end();
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}
