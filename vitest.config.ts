import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // every temporary folder the tests make is inside one folder of the run, removed at its end
    globalSetup: ['test/global-setup.ts'],
    // Book tests start Chromium and epubcheck (a JVM): give them room on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Files run in parallel by default; cap it so two Chromiums and a JVM do not starve each other.
    maxWorkers: 2,
  },
});
