/**
 * `text` cut to `max` UTF-16 code units, the last one `…` to show the cut; a surrogate pair is never split (a lone
 * surrogate is not valid UTF-8 in the exposition).
 */
export function truncateName(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
