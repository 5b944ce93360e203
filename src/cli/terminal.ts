// Text from a server, made safe for a terminal and for spreadsheets. A registry name or an error
// message is the server's to choose: control characters could clear the screen, retitle the
// window or forge lines (ESC, OSC, BEL, CR), bidirectional overrides could reorder what is shown,
// and a CSV cell that starts with `=` is a formula to a spreadsheet.

// C0 controls, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };

/** The text with every control or direction-changing character written as a visible escape (`\x1b`, `\u202e`). */
export function visible(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * A CSV cell's text: escaped like `visible`, and, as OWASP advises against CSV injection, a
 * leading `=`, `+`, `-` or `@` neutralised with a `'` so that no spreadsheet runs it as a formula.
 */
export function csvText(text: string): string {
  const safe = visible(text);
  return /^[=+\-@]/.test(safe) ? `'${safe}` : safe;
}
