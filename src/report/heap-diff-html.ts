import { escapeHtml } from '../charts/html/html-escape.js';
import { diffSectionHtml } from '../heap/output/diff-html.js';
import type { HeapDiffSection } from './heap-diff-section.js';

/**
 * A report's heap diff as a section of its HTML page: the diff's table and retainer paths (the heap-diff page's own
 * code), with the snapshot files and the time the diff took; or the one line saying why there is none or why it
 * failed.
 */
export function heapDiffSectionHtml(section: HeapDiffSection, heading: string): string {
  const h = escapeHtml;
  const files = section.before === null ? '' : `<p class="muted">Snapshots: <code>${h(section.before)}</code> → <code>${h(section.after ?? '')}</code>` +
    `${section.diffMs === null ? '' : ` · diffed in ${(section.diffMs / 1000).toFixed(1)} s`} · <code>memscope heap-diff</code> on them gives every group.</p>`;
  if (section.status === 'diffed' && section.diff !== null) {
    return diffSectionHtml(section.diff, heading).replace(/<\/section>$/, `${files}\n<p class="muted">${h(section.note)}</p>\n</section>`);
  }
  return `<section class="heap-diff">\n<h2>${h(heading)}</h2>\n<p class="${section.status === 'failed' ? 'warning' : 'muted'}">${h(section.note)}</p>\n${files}\n</section>`;
}

/**
 * Adds sections at the end of a rendered report page (before `</body>`): the charts' HTML report knows nothing of
 * heap diffs, and the diff's sections are self-contained (their own style), so they are appended, not woven in.
 */
export function appendHtmlSections(page: string, sections: readonly string[]): string {
  if (sections.length === 0) return page;
  const at = page.lastIndexOf('</body>');
  const body = `${sections.join('\n')}\n`;
  return at < 0 ? `${page}${body}` : `${page.slice(0, at)}${body}${page.slice(at)}`;
}
