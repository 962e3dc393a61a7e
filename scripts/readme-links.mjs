#!/usr/bin/env node
/**
 * Package READMEs are shown on the registry page, away from the repository: a relative link or
 * image there is broken. This rewrites them to absolute GitHub URLs (pages: github.com/.../blob/main/,
 * images: raw.githubusercontent.com/.../main/), from each package's `repository` field.
 *
 *   node scripts/readme-links.mjs [--check] [package dirs...]   (default: every published workspace)
 *
 * --check lists the relative links and exits 1 when there are any (the pack-install test runs it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
let dirs = args.filter((a) => !a.startsWith('--'));
if (dirs.length === 0) {
  const ws = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).workspaces;
  dirs = ws
    .flatMap((w) => (w.endsWith('/*') ? fs.readdirSync(path.join(ROOT, w.slice(0, -2))).map((d) => `${w.slice(0, -2)}/${d}`) : [w]))
    .filter((d) => fs.existsSync(path.join(ROOT, d, 'package.json')) && !JSON.parse(fs.readFileSync(path.join(ROOT, d, 'package.json'), 'utf8')).private);
}

const IMAGE = /\.(png|jpe?g|gif|svg|webp)$/i;
/** [text](target) and ![alt](target); not http(s):, mailto:, #anchors or absolute /paths. */
const LINK = /(!?\[[^\]]*\]\()([^)\s]+)(\))/g;
const isRelative = (t) => !/^([a-z][a-z0-9+.-]*:|#|\/)/i.test(t);

let found = 0;
let generated = 0;
for (const dir of dirs) {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8'));
  const m = /github\.com\/([^/]+\/[^/.]+)/.exec(pkg.repository?.url ?? '');
  if (!m) throw new Error(`${dir}: no GitHub repository field`);
  const file = path.join(ROOT, dir, 'README.md');
  if (!fs.existsSync(file)) continue;
  const text = fs.readFileSync(file, 'utf8');
  // blocks a benchmark writes (<!-- bench:start --> ... <!-- bench:end -->, <!-- x:begin --> ... <!-- x:end -->)
  // belong to their generator, whose tests compare them byte for byte: left as they are, counted apart
  const parts = text.split(/(<!-- [\w-]+:(?:start|begin) -->[\s\S]*?<!-- [\w-]+:end -->)/);
  const out = parts.map((part, i) => (i % 2 === 1 ? countGenerated(dir, part) : rewrite(part))).join('');
  if (!check && out !== text) fs.writeFileSync(file, out);
  function rewrite(part) {
    return part.replace(LINK, (all, open, target, close) => {
      if (!isRelative(target)) return all;
      found++;
      const [p, anchor = ''] = target.split(/(?=#)/);
      const repoPath = path.posix.normalize(path.posix.join(pkg.repository.directory ?? dir, p));
      if (repoPath.startsWith('..')) throw new Error(`${dir}/README.md: ${target} leaves the repository`);
      const base = IMAGE.test(p) ? `https://raw.githubusercontent.com/${m[1]}/main/` : `https://github.com/${m[1]}/blob/main/`;
      if (check) console.log(`${dir}/README.md: relative link ${target}`);
      return `${open}${base}${repoPath}${anchor}${close}`;
    });
  }
}

function countGenerated(dir, block) {
  const n = [...block.matchAll(LINK)].filter((m) => isRelative(m[2])).length;
  if (n) console.log(`${dir}/README.md: ${n} relative link(s) in a generated block (its generator writes them; left)`);
  generated += n;
  return block;
}
if (check && generated) console.log(`${generated} relative link(s) in generated blocks: their generators write them`);
if (check && found) {
  console.log(`${found} relative link(s): run node scripts/readme-links.mjs`);
  process.exit(1);
}
