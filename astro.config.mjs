// Astro configuration of the public site. The build script (admin/publication/site-build.ts) sets SITE_OUT_DIR
// to a fresh release folder and SITE_DATA_DIR to the publication files; the site reads nothing else.
import { defineConfig } from 'astro/config';

export default defineConfig({
  srcDir: './site',
  publicDir: './site/public',
  outDir: process.env.SITE_OUT_DIR ?? './data/site/dist',
  // each build gets its own Vite cache so concurrent builds (tests, bench) never share one
  cacheDir: process.env.SITE_CACHE_DIR ?? './node_modules/.astro',
  site: process.env.SITE_URL ?? 'http://localhost:3000',
  trailingSlash: 'always',
  build: {
    format: 'directory',
    // strict CSP (no 'unsafe-inline'): never inline stylesheets or scripts
    inlineStylesheets: 'never',
    assets: '_assets',
  },
  vite: { build: { assetsInlineLimit: 0 } },
  devToolbar: { enabled: false },
  compressHTML: true,
});
