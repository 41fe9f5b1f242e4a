import { Command } from 'commander';
import { resolve } from 'node:path';
import { diffHeapSnapshotFiles } from '../../heap/diff/diff-files.js';
import { diffHtml } from '../../heap/output/diff-html.js';
import { diffText } from '../../heap/output/diff-text.js';
import { invalidOption } from '../../internal/errors.js';
import { writeFileAtomic } from '../../report/atomic-write.js';
import { intIn } from './plot.js';

interface HeapDiffFlags {
  html?: string;
  json?: boolean;
  top: number;
  paths: number;
}

export function heapDiffCommand(): Command {
  return new Command('heap-diff')
    .description('what grew between two heap snapshots of one process, and who holds it: new objects by constructor, ranked by retained-size growth, with retainer paths')
    .argument('<before>', 'the earlier .heapsnapshot')
    .argument('<after>', 'the later .heapsnapshot of the same process')
    .option('--html <file>', 'also write a self-contained HTML page (.html)')
    .option('--json', 'print the diff as JSON instead of text')
    .option('--top <n>', 'constructors listed, 1 to 10000', intIn('--top', 1, 10_000), 25)
    .option('--paths <n>', 'top constructors shown with a retainer path, 0 to 100', intIn('--paths', 0, 100), 5)
    .action(async (before: string, after: string, flags: HeapDiffFlags) => {
      await heapDiff(before, after, flags);
    });
}

async function heapDiff(before: string, after: string, flags: HeapDiffFlags): Promise<void> {
  const html = flags.html;
  if (html !== undefined) {
    // Guards against `--html after.heapsnapshot`, which would overwrite an input.
    if (!/\.html?$/i.test(html)) throw invalidOption('--html', 'a file name ending in .html', html);
    if ([before, after].some((p) => resolve(p) === resolve(html))) throw invalidOption('--html', 'a file other than the snapshots', html);
  }
  const diff = await diffHeapSnapshotFiles(before, after, { top: flags.top, paths: Math.min(flags.paths, flags.top) });
  if (html !== undefined) await writeFileAtomic(html, diffHtml(diff, `Heap diff: ${after}`));
  if (flags.json === true) console.log(JSON.stringify(diff));
  else for (const line of diffText(diff)) console.log(line);
  if (html !== undefined && flags.json !== true) console.log(`\nmemscope heap-diff: wrote ${html}`);
}
