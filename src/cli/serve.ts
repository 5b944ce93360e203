// Commands that serve until stopped (`emulator`, `docs`): they hold the process until Ctrl-C or
// SIGTERM, then close what they opened.

/** Keeps a server command alive until Ctrl-C or SIGTERM, then closes it; resolves to exit code 0. */
export function untilSignal(close: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    const stop = () => void close().then(() => resolve(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
