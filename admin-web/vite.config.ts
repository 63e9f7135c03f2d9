import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { initialSizeBudget } from './build/initial-size.ts';

/** Where `npm run dev` sends API calls: a control plane started with `npm start` (port 4000) by default. */
const api = process.env['MCPGATE_API_URL'] ?? 'http://127.0.0.1:4000';

export default defineConfig({
  // the control plane serves the build under /console/ (control-plane/src/api/console.controller.ts)
  base: '/console/',
  plugins: [react(), initialSizeBudget(300)],
  resolve: { conditions: ['@mcpgate/source'] },
  server: {
    port: 5173,
    proxy: {
      '/graphql': { target: api, ws: true, changeOrigin: false },
      '/auth': { target: api, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // the initial bundle budget (README): the build reports sizes; route chunks load on demand
    chunkSizeWarningLimit: 600,
  },
});
