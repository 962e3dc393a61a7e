/** One jest run over every package; tests import workspace packages from source. */
module.exports = {
  testEnvironment: '<rootDir>/jest.env.js',
  roots: ['<rootDir>/packages', '<rootDir>/apps'],
  testMatch: ['**/src/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  moduleNameMapper: { '^@diffgan/(core-models|eval|image-sr|video-gen|tts)$': '<rootDir>/packages/$1/src' },
  testTimeout: 120000,
};
