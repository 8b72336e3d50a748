import { defineConfig } from 'vite';

// Built into ingress's classes, so Spring serves it from the classpath at /console/ with no
// server of its own; hashed asset names let browsers cache them for as long as they like.
export default defineConfig({
  base: '/console/',
  // Outside src: deploy/local/up rebuilds when a file under src is newer than its launcher.
  cacheDir: '../../../target/console-vite-cache',
  build: {
    outDir: '../../../target/classes/static/console',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
  },
});
