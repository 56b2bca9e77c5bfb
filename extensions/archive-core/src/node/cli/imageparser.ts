#!/usr/bin/env node
/**
 * The `imageparser` command: indexes folders into the archive the app uses,
 * with the same ingester, and runs the phases' queued jobs, safely while
 * the app runs (SQLite WAL, busy timeout, BEGIN IMMEDIATE, leased jobs).
 * `imageparser index <folder>`, `imageparser phases`, `imageparser run`.
 */
import 'reflect-metadata';
import * as fs from 'fs';
import * as path from 'path';
import { SingleBar } from 'cli-progress';
import { AiModels } from '../inference/ai-models';
import { ArchiveIngester } from '../ingest/archive-ingester';
import { ArchiveStore } from '../store/archive-store';
import { ArchiveLocation } from '../store/archive-location';
import { SqliteIngestRepository } from '../store/ingest-repository';
import { SqliteFileProblemRepository } from '../store/file-problem-repository';
import { printable } from '../../common/printable-text';
import { cliArchiveLocation } from './cli-archive-location';
import { closeCliContainer, createCliContainer, PHASE_MODULES_ENV } from './cli-container';
import { printPhases, runPhases } from './phase-commands';
import { CONTRIBUTED_COMMANDS, loadContributedCommand } from './contributed-commands';
import { parseTransferArguments, runTransferCommand, TRANSFER_USAGE } from './transfer-commands';

const USAGE = `usage: imageparser index <folder> [--archive <folder>] [--threads <n>]
       imageparser phases [--archive <folder>]
       imageparser run [--archive <folder>]
${TRANSFER_USAGE.commands}
${Object.values(CONTRIBUTED_COMMANDS).map(command => `       imageparser ${command.usage}`).join('\n')}

  index <folder>      add the folder to the archive and index its PSD, PSB, PNG and JPG files
  phases              print each phase's counts: done, queued, in progress, failed, rate, time left
  run                 work the phases' queued jobs until none is left (also while the app runs)
${TRANSFER_USAGE.explained}
  --archive <folder>  the archive folder (default: as the app: IMAGEPARSER_HOME, the preference, ~/.imageparser)
  --threads <n>       parse threads (default: the number of cores)

  ${PHASE_MODULES_ENV}  modules (separated like PATH) whose inversify ContainerModule contributes phases

exit status: 0 the command ran to its end (files that failed to index are listed, each with its reason),
             1 it could not run (no such folder or file, an archive it cannot open), 2 wrong arguments,
${TRANSFER_USAGE.exitStatus}
             130 interrupted (Ctrl+C): what was indexed stays, and the same command goes on from there;
                 an interrupted export leaves no file, an interrupted import changes nothing`;

interface Options {
    readonly command: string;
    readonly folder: string;
    readonly archive?: string;
    readonly threads?: number;
}

/** What the arguments ask for: a command to run, help, or why they are wrong. */
type Parsed = Options | { readonly help: true } | { readonly error: string };

function parseArguments(args: string[]): Parsed {
    const positional: string[] = [];
    let archive: string | undefined;
    let threads: number | undefined;
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        // An option's value is the next argument, unless there is none or it is another option.
        const value = i + 1 < args.length && !args[i + 1].startsWith('-') ? args[i + 1] : undefined;
        if (arg === '--archive') {
            if (value === undefined) {
                return { error: '--archive needs a folder' };
            }
            archive = value;
            i++;
        } else if (arg === '--threads') {
            threads = Number(value);
            if (value === undefined || !Number.isInteger(threads) || threads < 1) {
                return { error: value === undefined ? '--threads needs a whole number of at least 1' : `--threads needs a whole number of at least 1, not ${printable(value)}` };
            }
            i++;
        } else if (arg === '--help' || arg === '-h') {
            return { help: true };
        } else if (arg.startsWith('-')) {
            return { error: `unknown option ${printable(arg)}` };
        } else {
            positional.push(arg);
        }
    }
    if ((positional[0] === 'phases' || positional[0] === 'run') && positional.length === 1) {
        return { command: positional[0], folder: '', archive, threads };
    }
    if (!positional.length) {
        return { error: 'no command given' };
    }
    if (positional[0] === 'index' && positional.length === 1) {
        return { error: 'index needs the folder to index' };
    }
    if (positional[0] !== 'index' || positional.length !== 2) {
        return { error: `unknown command: ${printable(positional.join(' '))}` };
    }
    return { command: 'index', folder: path.resolve(positional[1]), archive, threads };
}

/** "2 symbolic links and 1 FIFO, socket or device". */
function describeSkipped({ links, special }: { links: number; special: number }): string {
    const parts: string[] = [];
    if (links) {
        parts.push(`${links} symbolic ${links === 1 ? 'link' : 'links'}`);
    }
    if (special) {
        parts.push(`${special} ${special === 1 ? 'FIFO, socket or device' : 'FIFOs, sockets or devices'}`);
    }
    return parts.join(' and ');
}

async function main(): Promise<number> {
    const name = process.argv[2];
    if (name !== undefined && Object.prototype.hasOwnProperty.call(CONTRIBUTED_COMMANDS, name)) {
        return loadContributedCommand(name).run(process.argv.slice(3));
    }
    if (name === 'export' || name === 'import') {
        return transfer(name, process.argv.slice(3));
    }
    const options = parseArguments(process.argv.slice(2));
    if ('help' in options) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    if ('error' in options) {
        process.stderr.write(`imageparser: ${options.error}\n${USAGE}\n`);
        return 2;
    }
    if (options.command === 'index' && !fs.existsSync(options.folder)) {
        // Checked before the archive opens: a mistyped folder neither creates an archive nor becomes one of its folders.
        process.stderr.write(`imageparser: no such folder or file: ${printable(options.folder)}\n`);
        return 1;
    }
    const location = cliArchiveLocation(options.archive);
    const container = createCliContainer(location, options.threads);
    if (options.command !== 'index') {
        process.stderr.write(`imageparser: archive ${printable(location.folder)}\n`);
        try {
            return options.command === 'phases' ? await printPhases(container) : await runPhases(container);
        } finally {
            await closeCliContainer(container);
        }
    }

    const store = container.get<ArchiveStore>(ArchiveStore);
    const ingester = container.get<ArchiveIngester>(ArchiveIngester);
    process.stderr.write(`imageparser: archive ${printable(location.folder)}\nimageparser: indexing ${printable(options.folder)}\n`);
    const bar = new SingleBar({
        format: '{bar} {value}/{total} | {rate} files/s | {left} left | {file}',
        stream: process.stderr,
        hideCursor: true
    });
    bar.start(0, 0, { rate: '0.0', left: '–', file: '' });
    const subscription = ingester.onProgress(progress => {
        bar.setTotal(progress.total);
        bar.update(progress.indexed + progress.failed, {
            rate: progress.rate.toFixed(1),
            left: progress.etaSeconds === undefined ? '–' : `${Math.ceil(progress.etaSeconds)}s`,
            file: progress.currentFile ? printable(progress.currentFile.relativePath) : progress.state
        });
    });
    let runId: number;
    try {
        // Each parsed file queues the AI phases that are on, and they are on once their models' settings are checked: check them first.
        await container.get<AiModels>(AiModels).refresh();
        runId = await ingester.start(options.folder);
    } catch (error) {
        bar.stop();
        process.stderr.write(`imageparser: ${error instanceof Error ? error.message : String(error)}\n`);
        return 1;
    }
    process.once('SIGINT', () => ingester.cancel(runId));
    const result = await ingester.finished(runId);
    subscription.dispose();
    bar.stop();

    const { database } = await store.open();
    const failures = new SqliteIngestRepository(database).failures(runId);
    const ending = result.state !== 'cancelled' ? '' : result.othersContinue ? ' (cancelled here; another process goes on indexing this folder)' : ' (cancelled)';
    process.stdout.write(`${result.indexed} indexed, ${result.failed} failed${ending}\n`);
    for (const failure of failures) {
        process.stdout.write(`  ${printable(path.relative(options.folder, failure.path))}: ${failure.code}: ${printable(failure.message)}\n`);
    }
    if (result.skipped) {
        process.stdout.write(`skipped ${describeSkipped(result.skipped)}: only regular files are indexed\n`);
    }
    const failedBefore = result.failedInFolder - result.failed;
    if (failedBefore > 0) {
        // Unchanged files that failed in an earlier run are not read again: say they still fail, and why.
        const earlier = new SqliteFileProblemRepository(database).list({ states: ['failed'], rootId: result.rootId, limit: 1000 }).problems
            .filter(problem => !failures.some(failure => failure.id === problem.fileId));
        process.stdout.write(`${failedBefore} ${failedBefore === 1 ? 'file that failed before still fails' : 'files that failed before still fail'}\n`);
        for (const problem of earlier) {
            process.stdout.write(`  ${printable(problem.location.relativePath)}: ${problem.code}: ${printable(problem.message ?? '')}\n`);
        }
    }
    // Opening the archive started the sweep of temporary files stopped processes left; it finishes before the database closes.
    await closeCliContainer(container);
    return result.state === 'cancelled' ? 130 : 0;
}

/** `imageparser export` and `imageparser import`. */
async function transfer(name: 'export' | 'import', args: string[]): Promise<number> {
    if (args.includes('--help') || args.includes('-h')) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    const command = parseTransferArguments(name, args);
    if ('error' in command) {
        process.stderr.write(`imageparser: ${command.error}\n${USAGE}\n`);
        return 2;
    }
    const location = cliArchiveLocation(command.archive);
    if (command.command === 'export' && !fs.existsSync(ArchiveLocation.databaseFile(location))) {
        // Checked before the archive opens: exporting from a mistyped folder does not create an empty archive there.
        process.stderr.write(`imageparser: no archive in ${printable(location.folder)}\n`);
        return 1;
    }
    const container = createCliContainer(location);
    process.stderr.write(`imageparser: archive ${printable(location.folder)}\n`);
    try {
        return await runTransferCommand(container, command);
    } finally {
        await closeCliContainer(container);
    }
}

main().then(code => process.exit(code), error => {
    process.stderr.write(`imageparser: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
});
