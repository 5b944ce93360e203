// Commands that serve until stopped (`emulator`, `docs`): they hold the process until Ctrl-C,
// SIGTERM, or the end of the process that started them, then close what they opened.

/**
 * Keeps a server command alive until Ctrl-C or SIGTERM, then closes it; resolves to exit code 0.
 * It also stops when its parent process goes: `npx swr-registries emulator &` runs it under npm,
 * and a `kill` of that job stops npm without passing the signal on, which would leave the server
 * holding its port with nobody to stop it.
 */
export function untilSignal(close: () => Promise<void>, parent = process.ppid): Promise<number> {
  return new Promise((resolve) => {
    const watch = setInterval(() => {
      if (process.ppid !== parent) stop();
    }, 500).unref();
    const stop = () => {
      clearInterval(watch);
      process.off('SIGINT', stop).off('SIGTERM', stop);
      void close().then(() => resolve(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
