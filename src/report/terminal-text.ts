/**
 * Characters that can change what a terminal or a CI log shows beyond the character itself: C0 controls (newline,
 * carriage return, ESC that starts ANSI sequences, backspace ...), DEL, C1 controls (U+009B is a one-character CSI),
 * the line and paragraph separators, and the bidirectional overrides and isolates that reorder a line as displayed.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * A string from a report file (a phase name, a CPU model, a path), made safe to print: every character in
 * {@link UNSAFE} is shown escaped (`\n`, `\x1b`, `\u202e`), so a crafted name can neither start a new line — and
 * forge a "0 regression(s)" line in a CI log — nor colour, move, hide or reorder what is printed around it.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, escape);
}

/**
 * JSON for a terminal or a log. JSON.stringify already escapes C0 controls; this also escapes the rest of
 * {@link UNSAFE} as \uXXXX, which is valid JSON for the same string, so a parser reads back exactly the same data.
 */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
