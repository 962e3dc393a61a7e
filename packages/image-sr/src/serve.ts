/**
 * `sr serve`: a tiny static file server for the browser page (apps/web, the @diffgan/web
 * package). Plain node:http, no dependencies.
 *
 * It sends Cross-Origin-Opener-Policy / Cross-Origin-Embedder-Policy so the page is
 * cross-origin isolated: that enables SharedArrayBuffer, and with it onnxruntime-web's
 * multi-threaded wasm backend.
 */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { DiffganError } from '@diffgan/core-models';

/**
 * The page: the installed @diffgan/web package's dist/ (it is not in this package's tarball), else
 * where `npm run build -w @diffgan/web` writes it in the repository (apps/web/dist, from src/ and dist/).
 */
export const DEFAULT_WEB_ROOT = installedWebRoot() ?? path.join(__dirname, '..', '..', '..', 'apps', 'web', 'dist');

function installedWebRoot(): string | null {
  try {
    return path.join(path.dirname(require.resolve('@diffgan/web/package.json')), 'dist');
  } catch {
    return null;
  }
}

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.dgw': 'application/octet-stream',
  '.onnx': 'application/octet-stream',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

/** Headers sent with every response. */
const COMMON_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'X-Content-Type-Options': 'nosniff',
  // the page is rebuilt in place; always revalidate so a rebuild is never half-cached
  'Cache-Control': 'no-cache',
};

export interface ServeOptions {
  /** Folder to serve (default: the package's web/ folder). */
  root?: string;
  /** Port (default 5180; 0 = any free port). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1: only this machine). */
  host?: string;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:5180/ */
  url: string;
  close(): Promise<void>;
}

/**
 * Maps a request path to a file under `root`, or null when it would leave `root`
 * (`..` segments, encoded or not, absolute paths, NUL bytes) or cannot be decoded.
 */
export function resolveRequestPath(root: string, urlPath: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(urlPath.split(/[?#]/, 1)[0]);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const file = path.resolve(root, '.' + path.posix.normalize('/' + pathname.replace(/\\/g, '/')));
  const rel = path.relative(root, file);
  // normalize('/' + p) already drops leading '..'; this check is the guarantee
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return file;
}

function send(res: http.ServerResponse, status: number, text: string, head: boolean): void {
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(head ? undefined : text);
}

async function handle(root: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'method not allowed\n', head);
  }
  let file = resolveRequestPath(root, req.url ?? '/');
  if (file === null) return send(res, 403, 'forbidden\n', head);
  const stat = (f: string) => fs.promises.stat(f).catch(() => null);
  let st = await stat(file);
  if (st?.isDirectory()) st = await stat((file = path.join(file, 'index.html')));
  if (!st?.isFile()) return send(res, 404, 'not found\n', head);
  res.writeHead(200, {
    ...COMMON_HEADERS,
    'Content-Type': MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': st.size,
  });
  if (head) return void res.end();
  fs.createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** Serves `root` over HTTP; resolves once listening. */
export async function startServer(opts: ServeOptions = {}): Promise<RunningServer> {
  const root = path.resolve(opts.root ?? DEFAULT_WEB_ROOT);
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 5180;
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    throw new DiffganError(
      opts.root === undefined
        ? 'the browser page is its own package: npm install @diffgan/web (in the repository: npm run build -w @diffgan/web)'
        : `no index.html in ${root}`,
    );
  }
  const server = http.createServer((req, res) => {
    handle(root, req, res).catch(() => res.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'EADDRINUSE' ? new DiffganError(`port ${port} is in use (try --port N)`) : e);
    });
    server.listen(port, host, () => {
      const { port: actual } = server.address() as AddressInfo;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shownHost}:${actual}/`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // keep-alive connections would otherwise hold close() open
            server.closeAllConnections();
          }),
      });
    });
  });
}
