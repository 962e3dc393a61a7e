/** `sr serve`'s static server against a temp folder: MIME types, isolation headers, traversal, 404. */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { startServer, resolveRequestPath, RunningServer } from './serve';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with the path sent exactly as given (no client-side normalisation of `..`). */
function request(url: string, rawPath: string, method = 'GET'): Promise<Reply> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: rawPath, method }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startServer', () => {
  let dir: string, root: string, server: RunningServer;
  const SECRET = 'top secret, outside the root';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-serve-'));
    root = path.join(dir, 'web');
    fs.mkdirSync(path.join(root, 'weights'), { recursive: true });
    fs.mkdirSync(path.join(root, 'ort'));
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>t</title>');
    fs.writeFileSync(path.join(root, 'weights', 'w.dgw'), Buffer.from([1, 2, 3, 4]));
    fs.writeFileSync(path.join(root, 'weights', 'w.manifest.json'), '{}');
    fs.writeFileSync(path.join(root, 'ort', 'ort-wasm-simd-threaded.wasm'), Buffer.from([0, 97, 115, 109]));
    fs.writeFileSync(path.join(root, 'ort', 'ort-wasm-simd-threaded.mjs'), 'export {};');
    fs.writeFileSync(path.join(root, 'style.css'), 'body{}');
    fs.writeFileSync(path.join(dir, 'secret.txt'), SECRET);
    server = await startServer({ root, port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('listens on 127.0.0.1 and reports its URL', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  test.each([
    ['/', 'text/html; charset=utf-8'],
    ['/index.html', 'text/html; charset=utf-8'],
    ['/style.css', 'text/css; charset=utf-8'],
    ['/ort/ort-wasm-simd-threaded.wasm', 'application/wasm'],
    ['/ort/ort-wasm-simd-threaded.mjs', 'text/javascript; charset=utf-8'],
    ['/weights/w.dgw', 'application/octet-stream'],
    ['/weights/w.manifest.json', 'application/json; charset=utf-8'],
    ['/weights/w.dgw?v=1', 'application/octet-stream'],
  ])('GET %s is %s', async (p, type) => {
    const r = await request(server.url, p);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe(type);
  });

  test('serves exact bytes with a Content-Length', async () => {
    const r = await request(server.url, '/weights/w.dgw');
    expect(Buffer.from(r.body, 'latin1')).toEqual(Buffer.from([1, 2, 3, 4]));
    expect(r.headers['content-length']).toBe('4');
  });

  test('sends COOP / COEP (cross-origin isolation for wasm threads) on every response', async () => {
    for (const p of ['/', '/ort/ort-wasm-simd-threaded.wasm', '/missing']) {
      const r = await request(server.url, p);
      expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(r.headers['cross-origin-embedder-policy']).toBe('require-corp');
    }
  });

  test.each([
    '/../secret.txt',
    '/../../../../../../etc/passwd',
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/weights/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/weights/%2e%2e/%2e%2e/secret.txt',
    '/secret.txt%00.html',
  ])('refuses traversal: %s', async (p) => {
    const r = await request(server.url, p);
    expect([403, 404]).toContain(r.status);
    expect(r.body).not.toContain(SECRET);
  });

  test('bad percent-encoding is refused', async () => {
    expect((await request(server.url, '/%E0%A4%A')).status).toBe(403);
  });

  test('404 for missing files and for folders without index.html', async () => {
    expect((await request(server.url, '/nope.js')).status).toBe(404);
    expect((await request(server.url, '/weights/')).status).toBe(404);
  });

  test('HEAD has the headers and no body; other methods are 405', async () => {
    const h = await request(server.url, '/weights/w.dgw', 'HEAD');
    expect(h.status).toBe(200);
    expect(h.headers['content-length']).toBe('4');
    expect(h.body).toBe('');
    const p = await request(server.url, '/index.html', 'POST');
    expect(p.status).toBe(405);
    expect(p.headers.allow).toBe('GET, HEAD');
  });

  test('resolveRequestPath keeps every path inside the root', () => {
    const r = path.resolve('/srv/web');
    expect(resolveRequestPath(r, '/a/b.js')).toBe(path.join(r, 'a', 'b.js'));
    expect(resolveRequestPath(r, '/a/../b.js')).toBe(path.join(r, 'b.js'));
    for (const p of ['/../x', '/..%2f..%2fx', '/%2e%2e%2f%2e%2e%2fx', '/..\\..\\x']) {
      const f = resolveRequestPath(r, p);
      if (f !== null) expect(path.relative(r, f).startsWith('..')).toBe(false);
    }
    expect(resolveRequestPath(r, '/x%00')).toBeNull();
  });

  test('a root without index.html is refused with a one-line error', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-serve-empty-'));
    try {
      await expect(startServer({ root: empty, port: 0 })).rejects.toThrow(/^no index\.html in /);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('sr serve (CLI arguments)', () => {
  /** Runs the CLI in this process, capturing stdout/stderr (main() never throws). */
  async function sr(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const { main } = await import('./cli');
    let out = '',
      err = '';
    const o = jest.spyOn(process.stdout, 'write').mockImplementation((s) => {
      out += String(s);
      return true;
    });
    const e = jest.spyOn(process.stderr, 'write').mockImplementation((s) => {
      err += String(s);
      return true;
    });
    try {
      return { code: await main(args), out, err };
    } finally {
      o.mockRestore();
      e.mockRestore();
      process.exitCode = undefined; // main() sets it; this test process must not inherit a failure code
    }
  }

  test('--help describes it, and the main help lists it', async () => {
    const h = await sr(['serve', '--help']);
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/^usage: sr serve \[--port N\] \[--host H\] \[--open\]/);
    expect((await sr(['--help'])).out).toMatch(/sr serve \[--port N\]/);
  });

  test.each([
    [['serve', '--port', '70000'], /^sr: invalid value for --port: 70000 \(must be an integer from 0 to 65535\)\n$/],
    [['serve', '--port', 'x'], /^sr: invalid value for --port: x \(must be an integer from 0 to 65535\)\n$/],
    [['serve', 'web'], /^sr: unexpected argument 'web' \(see sr serve --help\)\n$/],
    [['serve', '--scale', '4'], /^sr: unknown option --scale \(see sr serve --help\)\n$/],
  ])('%j fails with one line', async (args, message) => {
    const r = await sr(args);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });
});
