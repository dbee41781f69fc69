import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The desktop shell loads the built files from ui/dist; `npm run dev` serves them for a browser
// with the IPC mocked in tests only. Two pages: the app (index.html) and the workshop room's
// page (room.html), which the room serves under /r/TOKEN/, hence relative asset addresses.
export default defineConfig({
  plugins: [react()],
  base: "./",
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: {
        index: "index.html",
        room: "room.html",
      },
    },
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    css: false,
  },
});
