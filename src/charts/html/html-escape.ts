/** Text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * JSON that is safe inside `<script type="application/json">`: every `<` becomes `\u003c`, so neither `</script>`
 * nor `<!--` (which switches the HTML tokenizer into its script-escaped states) can appear, and U+2028/U+2029 are
 * escaped too. JSON.parse reads the result back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * JavaScript or CSS to inline in a `<script>`/`<style>` element. Their content ends at the first `</script` or
 * `</style` whatever the code means, so those sequences (and `<!--`) are broken up; in the code we inline they can
 * only occur inside string literals, where `<\/` means the same as `</`.
 */
export function inlineCode(code: string): string {
  return code.replace(/<\/(script|style)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}
