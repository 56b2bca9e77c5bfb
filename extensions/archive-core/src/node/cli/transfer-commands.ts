import * as fs from 'fs';
import * as path from 'path';
import { SingleBar } from 'cli-progress';
import { Container } from '@theia/core/shared/inversify';
import { ApplicationError } from '@theia/core/lib/common/application-error';
import { ExportOptions, ExportScope, ImportOptions, TransferErrorData, TransferErrors } from '../../common/archive-transfer-protocol';
import { printable } from '../../common/printable-text';
import { SqliteCollectionRepository } from '../store/collection-repository';
import { ArchiveExporter, TransferProgressCallback } from '../transfer/archive-exporter';
import { ArchiveImporter } from '../transfer/archive-importer';
import { collectionsNamed } from './cli-collection-names';
import { exportReportText, importReportText, inspectionText, REFUSAL_TEXT, STEP_TEXT } from './transfer-text';

/** The lines `imageparser --help` shows for export and import. */
export const TRANSFER_USAGE = {
    commands: `       imageparser export <file> [--collection <name|id>] [--folder <path>] [--query <text>] [--no-media] [--no-paths] [--overwrite] [--archive <folder>]
       imageparser import <file> [--map <from>=<to>]... [--place-under <folder>] [--dry-run] [--archive <folder>]`,
    explained: `  export <file>       write the archive, or a part of it, to one file (default: the whole archive)
    --collection      only a collection's assets (a folder: all its collections'); the collections travel too
    --folder          only assets with a file in this folder or below it
    --query           only the hits of this search
    --no-media        leave thumbnails and previews out (the importing app makes them again from the images)
    --no-paths        only file names travel: no folder path of this machine is anywhere in the file
    --overwrite       replace the file when it exists
  import <file>       merge an export file into the archive (by content: what is here already is kept)
    --map <from>=<to> the exported root folder <from> lies at <to> here (repeatable)
    --place-under     for a file without paths: the folder its files are looked for in (subfolders too)
    --dry-run         check the file and print what an import would do, writing nothing`,
    exitStatus: `             3 export or import: the file was refused (the reason is printed; nothing was written)`
};

/** The export and import commands' exit statuses besides 0, 1, 2 and 130. */
export const EXIT_REFUSED = 3;

export type TransferCommand =
    | { readonly command: 'export'; readonly file: string; readonly archive?: string; readonly scope: ParsedScope;
        readonly includeMedia: boolean; readonly includePaths: boolean; readonly overwrite: boolean }
    | { readonly command: 'import'; readonly file: string; readonly archive?: string; readonly rootMap: Record<string, string>;
        readonly placeUnder?: string; readonly dryRun: boolean };

/** The scope as typed: a collection is looked up by name once the archive is open. */
export type ParsedScope = Exclude<ExportScope, { kind: 'collection' }> | { readonly kind: 'collection-named'; readonly nameOrId: string };

/** Parses the arguments after `export` or `import`: the command, or why they are wrong. */
export function parseTransferArguments(command: 'export' | 'import', args: readonly string[]): TransferCommand | { readonly error: string } {
    const positional: string[] = [];
    const flags = new Set<string>();
    const values = new Map<string, string>();
    const maps: string[] = [];
    const takesValue = command === 'export' ? ['--collection', '--folder', '--query', '--archive'] : ['--map', '--place-under', '--archive'];
    const isFlag = command === 'export' ? ['--no-media', '--no-paths', '--overwrite'] : ['--dry-run'];
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
        const name = equals > 0 ? arg.slice(0, equals) : arg;
        if (takesValue.includes(name)) {
            const value = equals > 0 ? arg.slice(equals + 1) : args[++i];
            if (value === undefined || value === '') {
                return { error: `${name} needs a value` };
            }
            if (name === '--map') {
                maps.push(value);
            } else if (values.has(name)) {
                return { error: `${name} is given twice` };
            } else {
                values.set(name, value);
            }
        } else if (isFlag.includes(arg)) {
            flags.add(arg);
        } else if (arg.startsWith('-') && arg !== '-') {
            return { error: `unknown option for ${command}: ${printable(arg)}` };
        } else {
            positional.push(arg);
        }
    }
    if (positional.length !== 1) {
        return { error: positional.length ? `${command} takes one file, not ${positional.length}` : `${command} needs the file to ${command === 'export' ? 'write' : 'read'}` };
    }
    const file = path.resolve(positional[0]);
    const archive = values.get('--archive');
    if (command === 'export') {
        const scopes = ['--collection', '--folder', '--query'].filter(option => values.has(option));
        if (scopes.length > 1) {
            return { error: `export takes one of --collection, --folder and --query, not ${scopes.join(' and ')}` };
        }
        const scope: ParsedScope = values.has('--collection') ? { kind: 'collection-named', nameOrId: values.get('--collection')! }
            : values.has('--folder') ? { kind: 'folder', path: path.resolve(values.get('--folder')!) }
                : values.has('--query') ? { kind: 'query', query: { text: values.get('--query') } }
                    : { kind: 'archive' };
        return {
            command, file, archive, scope,
            includeMedia: !flags.has('--no-media'), includePaths: !flags.has('--no-paths'), overwrite: flags.has('--overwrite')
        };
    }
    const entries: [string, string][] = [];
    for (const map of maps) {
        const mapped = parseRootMap(map);
        if ('error' in mapped) {
            return mapped;
        }
        entries.push([mapped.from, mapped.to]);
    }
    // Object.fromEntries makes own properties: a root named "__proto__" stays a root.
    const rootMap = Object.fromEntries(entries);
    const placeUnder = values.get('--place-under');
    return { command, file, archive, rootMap, placeUnder: placeUnder && path.resolve(placeUnder), dryRun: flags.has('--dry-run') };
}

/**
 * `<from>=<to>`: the exported root as the file names it (`--dry-run` lists
 * them) and where it lies here, relative to the current folder or absolute.
 * Both may hold '=': the split is at the first '=' followed by an absolute
 * path, else at the first '='.
 */
function parseRootMap(map: string): { from: string; to: string } | { error: string } {
    const splits: number[] = [];
    for (let at = map.indexOf('='); at > 0; at = map.indexOf('=', at + 1)) {
        splits.push(at);
    }
    const at = splits.find(each => path.isAbsolute(map.slice(each + 1))) ?? splits[0];
    if (at === undefined || at === map.length - 1) {
        return { error: `--map needs <exported root>=<local folder>, not ${printable(map)}` };
    }
    const from = map.slice(0, at);
    return { from: from.length > 1 ? from.replace(/\/+$/, '') : from, to: path.resolve(map.slice(at + 1)) };
}

/**
 * Runs a parsed `export` or `import` over the archive in `container`:
 * a progress bar on stderr, the report on stdout, Ctrl+C aborts (the
 * export's temporary file is removed, the import changes nothing).
 * Answers the exit status.
 */
export async function runTransferCommand(container: Container, command: TransferCommand): Promise<number> {
    const controller = new AbortController();
    const onInterrupt = () => controller.abort();
    process.once('SIGINT', onInterrupt);
    const bar = new SingleBar({ format: '{step} {bar} {value}/{total}', stream: process.stderr, hideCursor: true });
    let started = false;
    const progress: TransferProgressCallback = p => {
        if (!started) {
            bar.start(p.total, p.done, { step: STEP_TEXT[p.step] });
            started = true;
        }
        bar.setTotal(p.total);
        bar.update(p.done, { step: STEP_TEXT[p.step] });
    };
    try {
        if (command.command === 'export') {
            const scope = await resolveScope(container, command.scope);
            if (typeof scope === 'string') {
                process.stderr.write(`imageparser: ${scope}\n`);
                return 1;
            }
            const options: ExportOptions = {
                file: command.file, scope, includeMedia: command.includeMedia, includePaths: command.includePaths, overwrite: command.overwrite
            };
            const report = await service<ArchiveExporter>(container, ArchiveExporter, 'export').export(options, progress, controller.signal);
            bar.stop();
            process.stdout.write(`${exportReportText(report)}\n`);
            return 0;
        }
        const importer = service<ArchiveImporter>(container, ArchiveImporter, 'import');
        if (command.dryRun) {
            process.stdout.write(`${inspectionText(await importer.inspect(command.file))}\n`);
        }
        const options: ImportOptions = { file: command.file, rootMap: command.rootMap, placeUnder: command.placeUnder, dryRun: command.dryRun };
        const report = await importer.import(options, progress, controller.signal);
        bar.stop();
        if (controller.signal.aborted && !report.dryRun) {
            // The merge is one write that no signal interrupts: Ctrl+C during it is heard only once it has committed.
            process.stderr.write('imageparser: Ctrl+C came while the import was being written into the archive; it is complete\n');
        }
        process.stdout.write(`${importReportText(report).join('\n')}\n`);
        return 0;
    } catch (error) {
        bar.stop();
        const refusal = refusalOf(error) ?? (controller.signal.aborted ? { reason: 'cancelled' as const, file: command.file } : undefined);
        if (refusal) {
            process.stderr.write(`imageparser: ${printable(refusal.file)} ${REFUSAL_TEXT[refusal.reason]}${refusal.detail ? ` (${printable(refusal.detail)})` : ''}\n`);
            return refusal.reason === 'cancelled' ? 130 : EXIT_REFUSED;
        }
        throw error;
    } finally {
        process.removeListener('SIGINT', onInterrupt);
    }
}

function refusalOf(error: unknown): TransferErrorData | undefined {
    return error instanceof Error && TransferErrors.Refused.is(error as ApplicationError<number, TransferErrorData>)
        ? (error as ApplicationError<number, TransferErrorData>).data : undefined;
}

function service<T>(container: Container, id: symbol, command: string): T {
    if (!container.isBound(id)) {
        throw new Error(`${command} is not available in this build`);
    }
    return container.get<T>(id);
}

/** The export scope with a collection named by its id; a message when no collection, or more than one, has that name. */
async function resolveScope(container: Container, scope: ParsedScope): Promise<ExportScope | string> {
    if (scope.kind === 'folder' && !fs.existsSync(scope.path)) {
        // An archive root that is offline still exports what the archive knows of it: only say so.
        process.stderr.write(`imageparser: note: ${printable(scope.path)} is not on this machine now; exporting what the archive holds of it\n`);
    }
    if (scope.kind !== 'collection-named') {
        return scope;
    }
    // The collections repository over the CLI's archive store (the command-line tool binds no collection service).
    const found = collectionsNamed(await container.resolve(SqliteCollectionRepository).list(), scope.nameOrId);
    if (found.length === 1) {
        return { kind: 'collection', collectionId: found[0].collection.id };
    }
    if (!found.length) {
        return `no collection is named ${printable(scope.nameOrId)}`;
    }
    const listed = found.map(({ collection, folders }) =>
        `  ${collection.id}: ${printable([...folders, collection.name].join(' / '))} (${collection.kind})`).join('\n');
    return `${found.length} collections are named ${printable(scope.nameOrId)}; give the id of the one to export:\n${listed}`;
}
