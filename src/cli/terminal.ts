// Text from a server, made safe for a terminal and for spreadsheets. A name or an error message
// is the server's to choose: control characters could clear the screen, retitle the window or
// forge lines (ESC, OSC, BEL, CR), bidirectional overrides could reorder what is shown, and
// invisible characters (zero-width spaces and joiners, the byte-order mark, line and paragraph
// separators) could make `prod<U+200B>-db` look like `prod-db`. A CSV cell that starts with `=`
// is a formula to a spreadsheet.

// C0 controls, DEL, C1 controls, the Arabic letter mark, zero-width and directional marks, the
// line and paragraph separators, the bidirectional embeddings, overrides and isolates, the word
// joiner and the byte-order mark.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };

/** The text with every control, invisible or direction-changing character written as a visible escape (`\x1b`, `\u200b`). */
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
 * leading `=`, `+`, `-`, `@`, tab or carriage return neutralised with a `'` so that no
 * spreadsheet runs it as a formula.
 */
export function csvText(text: string): string {
  const safe = visible(text);
  return /^[=+\-@]|^\\[tr]/.test(safe) ? `'${safe}` : safe;
}
