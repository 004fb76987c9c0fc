import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC instead of the default transform: Nest's DI needs emitDecoratorMetadata.
const plugins = [swc.vite({ module: { type: 'es6' } })];
const resolve = { tsconfigPaths: true };

export default defineConfig({
  plugins,
  resolve,
  test: {
    globals: true,
    root: './',
    projects: [
      {
        plugins,
        resolve,
        test: {
          name: 'unit',
          globals: true,
          include: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts'],
        },
      },
      {
        plugins,
        resolve,
        test: {
          name: 'e2e',
          globals: true,
          include: ['test/**/*.e2e-spec.ts', 'apps/*/test/**/*.e2e-spec.ts'],
          // Suites share one database and one Redis; running files one by one keeps them honest.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          globalSetup: ['test/setup/global-setup.ts'],
        },
      },
    ],
  },
});
