#!/usr/bin/env node
/**
 * `npm run release`: build from clean, pack every published workspace into out/release/, and, only
 * when NPM_TOKEN is set, publish those tarballs (the files the pack-install test installs), in
 * dependency order, skipping versions the registry already has.
 *
 * Versions and changelogs come first, from changesets: `npx changeset` records a change,
 * `npx changeset version` bumps versions, internal ranges and CHANGELOG.md; commit that, then release.
 *
 *   npm run release                      # build + pack (a dry run: nothing leaves the machine)
 *   NPM_TOKEN=... npm run release        # build + pack + publish
 *   npm run release -- --skip-build      # pack what is built
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'out', 'release');
const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' };

function run(cmd, args, opts = {}) {
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env, ...opts });
  if (r.status !== 0) {
    console.error(`release: ${cmd} ${args[0]} failed (exit ${r.status})`);
    process.exit(1);
  }
}

const workspaces = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).workspaces.flatMap((w) =>
  w.endsWith('/*') ? fs.readdirSync(path.join(ROOT, w.slice(0, -2))).map((d) => `${w.slice(0, -2)}/${d}`) : [w],
);
const packages = workspaces
  .filter((d) => fs.existsSync(path.join(ROOT, d, 'package.json')))
  .map((dir) => ({ dir, pkg: JSON.parse(fs.readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => !pkg.private);

// dependencies before dependents (npm would refuse nothing, but a user installing mid-release should not hit a missing version)
const ordered = [];
const visit = (p) => {
  if (ordered.includes(p)) return;
  for (const dep of Object.keys(p.pkg.dependencies ?? {})) {
    const q = packages.find((x) => x.pkg.name === dep);
    if (q) visit(q);
  }
  ordered.push(p);
};
packages.forEach(visit);

if (!process.argv.includes('--skip-build')) {
  // from clean: tsc -b never deletes the output of a removed source file, and npm pack would ship it
  for (const { dir } of packages) fs.rmSync(path.join(ROOT, dir, 'dist'), { recursive: true, force: true });
  run('npm', ['run', 'build']);
}
run(process.execPath, ['scripts/readme-links.mjs', '--check']);

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
run('npm', ['pack', '--ignore-scripts', '--pack-destination', OUT, ...ordered.flatMap(({ pkg }) => ['-w', pkg.name])], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
const tarball = ({ pkg }) => path.join(OUT, `${pkg.name.slice(1).replace('/', '-')}-${pkg.version}.tgz`);
for (const p of ordered) {
  if (!fs.existsSync(tarball(p))) throw new Error(`npm pack wrote no ${tarball(p)}`);
  console.log(`${p.pkg.name}@${p.pkg.version}  ${(fs.statSync(tarball(p)).size / 1e6).toFixed(1)} MB  ${path.relative(ROOT, tarball(p))}`);
}

// biome-ignore lint/suspicious/noUndeclaredEnvVars: the release is not a turbo task
if (!process.env.NPM_TOKEN) {
  console.log('release: packed; NPM_TOKEN is not set, so nothing was published');
  process.exit(0);
}
// the token goes to a throw-away userconfig, never into the repository's .npmrc
const userconfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'diffgan-release-')), '.npmrc');
// biome-ignore lint/suspicious/noTemplateCurlyInString: npm expands ${NPM_TOKEN} from the environment itself
fs.writeFileSync(userconfig, '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n', { mode: 0o600 });
try {
  for (const p of ordered) {
    const seen = spawnSync('npm', ['view', `${p.pkg.name}@${p.pkg.version}`, 'version'], { cwd: OUT, encoding: 'utf8', env });
    if (seen.status === 0 && seen.stdout.trim() === p.pkg.version) {
      console.log(`${p.pkg.name}@${p.pkg.version} is on the registry already: skipped`);
      continue;
    }
    run('npm', ['publish', tarball(p), '--access', 'public', '--userconfig', userconfig], { cwd: OUT });
  }
} finally {
  fs.rmSync(path.dirname(userconfig), { recursive: true, force: true });
}
