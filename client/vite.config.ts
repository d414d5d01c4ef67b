import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const hub = process.env.DIEMCAU_DEV_HUB ?? 'https://127.0.0.1:8443';

// The client is served by the hub from client/dist (SPA fallback to index.html).
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // Source maps would hand out the client's full source; the hub serves none.
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: {
      '/api': { target: hub, secure: false, changeOrigin: true },
      // The hub accepts socket.io only from its own origin (or ALLOWED_ORIGINS): present the hub's.
      '/socket.io': { target: hub, secure: false, ws: true, changeOrigin: true, headers: { origin: hub } },
    },
  },
});
