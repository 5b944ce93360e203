/** A one-line progress count on a TTY's stderr; does nothing elsewhere. */
export function createProgress(stream: { write(text: string): unknown }, enabled: boolean, noun = 'items') {
  let drawn = false;
  return {
    update(fetched: number, total: number | undefined) {
      if (!enabled) return;
      const width = 30;
      if (total === undefined) {
        // No total from the service: a count, not a bar.
        stream.write(`\r${fetched} ${noun} so far`);
        drawn = true;
        return;
      }
      const done = total > 0 ? Math.min(width, Math.round((fetched / total) * width)) : width;
      stream.write(`\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${fetched}/${total} ${noun}`);
      drawn = true;
    },
    clear() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
