/**
 * `npm run bench:phases`: how fast the phases work, each part side by side
 * with its baseline in the same run, one process per core.
 *
 *   --processes <n>  worker processes for "ours" (one per core)
 *   --only <list>    sections to run by id (all)
 *   --data <folder>  where generated inputs are kept between runs (.bench-data)
 *   --jobs <n>       queue: no-op jobs to claim and complete (100000)
 *   --batch <n>      queue: jobs per claim (32)
 *   --rounds <n>     queue: rounds, medians printed (1)
 * A section may read more options of its own; see its file.
 */
import * as os from 'os';
import * as path from 'path';
import { PhasesBenchContext, PhasesBenchRow, PhasesBenchSection } from './phases/bench-section';
import { captionSection } from './phases/caption-section';
import { embeddingSection } from './phases/embedding-section';
import { ocrSection } from './phases/ocr-section';
import { queueSection } from './phases/queue-section';

/**
 * The sections, in the order they run. A new one (the OCR phase against the
 * `tesseract` command line) is a file exporting a {@link PhasesBenchSection},
 * imported here and added to this list; nothing else changes.
 */
const SECTIONS: readonly PhasesBenchSection[] = [queueSection, ocrSection, embeddingSection, captionSection];

const root = path.resolve(__dirname, '..', '..', '..');
const log = (line: string) => process.stderr.write(`${line}\n`);

function parseArgs(args: string[]): Map<string, string> {
    const values = new Map<string, string>();
    for (let i = 0; i < args.length; i += 2) {
        if (!args[i].startsWith('--') || args[i + 1] === undefined) {
            throw new Error(`expected --name value pairs, got ${args.slice(i).join(' ')}; see the comment at the top of bench/phases-bench.ts`);
        }
        values.set(args[i].slice(2), args[i + 1]);
    }
    return values;
}

function printRows(rows: PhasesBenchRow[], processes: number): void {
    const rate = (count: number, seconds: number) => (count / seconds).toFixed(1).padStart(10);
    const lines = [
        `ImageParser phases benchmark: ${os.cpus().length} cores, ${processes} processes for ours`,
        '',
        'section                                              | ours                     /s | baseline                 /s | ratio',
        '-'.repeat(118)
    ];
    for (const row of rows) {
        const ratio = (row.ours.count / row.ours.seconds) / (row.baseline.count / row.baseline.seconds);
        const target = row.target === undefined ? '' : `  >= ${row.target.toFixed(2)}x ${ratio >= row.target ? 'met' : 'NOT met'}`;
        lines.push(`${row.name.padEnd(52)} | ${row.ours.name.padEnd(14)} ${rate(row.ours.count, row.ours.seconds)} | `
            + `${row.baseline.name.padEnd(14)} ${rate(row.baseline.count, row.baseline.seconds)} | ${ratio.toFixed(2).padStart(5)}x${target}`);
        lines.push(`${''.padEnd(52)}   ${row.unit}/s; ours ${row.ours.count} ${row.unit} in ${row.ours.seconds.toFixed(2)} s, `
            + `baseline ${row.baseline.count} in ${row.baseline.seconds.toFixed(2)} s`);
        row.notes?.forEach(note => lines.push(`${''.padEnd(52)}   ${note}`));
    }
    process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
    const args = parseArgs(process.argv.slice(2));
    const processes = Number(args.get('processes') ?? os.availableParallelism());
    const only = args.has('only') ? new Set(args.get('only')!.split(',')) : undefined;
    const context: PhasesBenchContext = {
        processes,
        data: path.resolve(args.get('data') ?? path.join(root, '.bench-data')),
        option: (name, fallback) => args.get(name) ?? fallback,
        log
    };
    const rows: PhasesBenchRow[] = [];
    for (const section of SECTIONS.filter(each => !only || only.has(each.id))) {
        log(`bench: ${section.id}`);
        rows.push(...await section.run(context));
    }
    printRows(rows, processes);
}

main().catch(error => {
    process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
});
