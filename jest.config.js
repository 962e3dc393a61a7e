/** One jest run over every package; tests import workspace packages from source. */
const fs = require('fs');
const path = require('path');

/**
 * Each workspace package's `exports` map, mirrored onto its sources: one rule per declared
 * entry (`@diffgan/core-models/portable` -> packages/core-models/src/portable), so tests import
 * exactly what callers can import and every package sees one copy of each class.
 */
function sourceMappings() {
  const rules = {};
  for (const group of ['packages', 'apps']) {
    for (const dir of fs.readdirSync(path.join(__dirname, group))) {
      const file = path.join(__dirname, group, dir, 'package.json');
      if (!fs.existsSync(file)) continue;
      const { name, exports: entries = {} } = JSON.parse(fs.readFileSync(file, 'utf8'));
      for (const [subpath, target] of Object.entries(entries)) {
        const built = typeof target === 'string' ? target : target.default;
        const m = /^\.\/dist\/(.+)\.m?js$/.exec(built ?? '');
        if (!m) continue; // ./package.json, weights
        const escaped = (name + subpath.slice(1)).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        rules[`^${escaped}$`] = `<rootDir>/${group}/${dir}/src/${m[1]}`;
      }
    }
  }
  return rules;
}

module.exports = {
  testEnvironment: '<rootDir>/jest.env.js',
  roots: ['<rootDir>/packages', '<rootDir>/apps'],
  testMatch: ['**/src/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  moduleNameMapper: sourceMappings(),
  testTimeout: 120000,
};
