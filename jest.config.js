/** One jest run over every package; tests import workspace packages from source. */
module.exports = {
  testEnvironment: '<rootDir>/jest.env.js',
  roots: ['<rootDir>/packages', '<rootDir>/apps'],
  testMatch: ['**/src/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  moduleNameMapper: {
    '^@diffgan/(core-models|eval|image-sr|video-gen|tts)$': '<rootDir>/packages/$1/src',
    // browser-safe deep imports (e.g. @diffgan/core-models/dist/portable) also come from source, so classes stay identical
    '^@diffgan/(core-models|eval|image-sr|video-gen|tts)/dist/(.*)$': '<rootDir>/packages/$1/src/$2',
  },
  testTimeout: 120000,
};
