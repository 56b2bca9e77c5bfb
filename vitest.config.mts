import { defineConfig } from 'vitest/config';

export default defineConfig({
    test: {
        // Two files at a time, also on a 2-core machine (vitest's default there is one): most of an end-to-end
        // test's time is the app and the browser working, so a unit file or a second e2e file fits beside it.
        maxWorkers: 2,
        projects: [
            {
                extends: true,
                test: {
                    name: 'unit',
                    include: ['packages/*/src/**/*.spec.ts', 'extensions/*/src/**/*.spec.ts', 'tests/**/*.spec.ts', 'extensions/*/src/**/*.slow-spec.ts', 'tests/**/*.slow-spec.ts'],
                    exclude: ['tests/e2e/**', '**/node_modules/**'],
                    environment: 'node',
                    setupFiles: ['tests/setup/reflect-metadata.ts'],
                    // Some tests run compiled code (the command-line tool, worker threads): compile the sources first.
                    globalSetup: ['tests/setup/compile-sources.ts'],
                    testTimeout: 30_000,
                    expect: { poll: { timeout: 10_000 } }
                }
            },
            {
                // Kills the indexer at random points over the corpus (one to two minutes): run on its own, after the others.
                extends: true,
                test: {
                    name: 'chaos',
                    include: ['tests/chaos/**/*.chaos.ts'],
                    environment: 'node',
                    setupFiles: ['tests/setup/reflect-metadata.ts'],
                    globalSetup: ['tests/setup/compile-sources.ts'],
                    testTimeout: 300_000,
                    fileParallelism: false
                }
            },
            {
                extends: true,
                test: {
                    name: 'e2e',
                    include: ['tests/e2e/**/*.e2e.ts'],
                    environment: 'node',
                    // The second fails a test during which a page of the app threw an uncaught error or left a rejection unhandled.
                    setupFiles: ['tests/setup/reflect-metadata.ts', 'tests/setup/e2e-page-errors.ts'],
                    // One app over the search fixtures, shared by the files that only read them (openSharedSearchFixturesApp).
                    globalSetup: ['tests/setup/e2e-shared-app.ts'],
                    testTimeout: 180_000,
                    hookTimeout: 180_000,
                    // Polls wait on backend work (indexing, pyramids, layer renders): sized for a slow, busy CI machine, not vitest's 1 s.
                    expect: { poll: { timeout: 30_000 } }
                }
            }
        ]
    }
});
