import swc from 'unplugin-swc';
import tsconfigPaths from 'vite-tsconfig-paths';
import { defineConfig } from 'vitest/config';

// SWC instead of the default transform: Nest's DI needs emitDecoratorMetadata.
const plugins = [tsconfigPaths(), swc.vite({ module: { type: 'es6' } })];

export default defineConfig({
  plugins,
  test: {
    globals: true,
    root: './',
    reporters: process.env.CI ? ['default'] : ['default'],
    projects: [
      {
        plugins,
        test: {
          name: 'unit',
          globals: true,
          include: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts'],
        },
      },
      {
        plugins,
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
