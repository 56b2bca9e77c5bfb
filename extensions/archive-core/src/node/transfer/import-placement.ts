import * as fs from 'fs';
import * as path from 'path';
import type { ImportOptions } from '../../common/archive-transfer-protocol';
import { ExportFileRefusal, ExportFile } from '../store/export-file';
import type { ImportedFilePlace } from '../store/archive-import-repository';
import { FILES_TABLE } from './export-format';

/**
 * Where each of an export's files goes in this archive: under its root as
 * `rootMap` maps it (an unmapped root keeps its path), or, for a file
 * without paths, under `placeUnder` (by default a folder named after the
 * export file beside it). A path that would leave its root is refused as
 * `unsafe-path`: the real path of the deepest part of it that exists here
 * (a symlink in this machine's folders followed) must stay under the root's
 * real path.
 */
export function placeImportedFiles(source: ExportFile, options: ImportOptions): Map<number, ImportedFilePlace> {
    const roots = new Map<number, string>();
    for (const root of source.roots()) {
        const mapped = options.rootMap?.[root.path];
        roots.set(root.id, path.resolve(mapped ?? root.path));
    }
    const placeUnder = path.resolve(options.placeUnder ?? defaultPlaceUnder(source.file));
    const resolver = new RealPathResolver();
    const places = new Map<number, ImportedFilePlace>();
    for (const row of source.rows<{ id: number; root_id: number | null; relative_path: string }>(FILES_TABLE, 'id')) {
        const root = row.root_id === null ? placeUnder : roots.get(row.root_id)!;
        const target = path.join(root, ...row.relative_path.split('/'));
        const realRoot = resolver.resolve(root);
        const realTarget = resolver.resolve(target);
        if (realTarget !== realRoot && !realTarget.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep)) {
            throw new ExportFileRefusal('unsafe-path', source.file, `${row.relative_path} would lie at ${realTarget}, outside ${root}`);
        }
        places.set(row.id, { path: target, root, onDisk: resolver.isFile(target) });
    }
    return places;
}

/**
 * Maps a folder of the exporting machine to this one's by the roots the
 * import maps: a folder under a mapped root moves with it; any other stays.
 */
export function folderMapping(source: ExportFile, options: ImportOptions): (folder: string) => string {
    const mapped = source.roots().filter(root => options.rootMap?.[root.path] !== undefined)
        .map(root => ({ from: root.path.replace(/[\\/]+$/, ''), to: path.resolve(options.rootMap![root.path]) }))
        .sort((a, b) => b.from.length - a.from.length);
    return folder => {
        for (const { from, to } of mapped) {
            if (folder === from) {
                return to;
            }
            if (folder.startsWith(from + '/') || folder.startsWith(from + '\\')) {
                return path.join(to, ...folder.slice(from.length + 1).split(/[\\/]/));
            }
        }
        return folder;
    };
}

/** The folder a file without paths is placed under when none is given: beside the export, named after it. */
export function defaultPlaceUnder(file: string): string {
    const resolved = path.resolve(file);
    const name = path.basename(resolved).replace(/\.[^.]*$/, '') || 'import';
    return path.join(path.dirname(resolved), name);
}

/** Real paths of paths that may not exist yet: the deepest existing ancestor resolved, the rest appended; folders remembered. */
class RealPathResolver {

    protected readonly folders = new Map<string, string>();

    resolve(target: string): string {
        const missing: string[] = [];
        let current = target;
        let hops = 0;
        for (;;) {
            const known = this.folders.get(current);
            if (known !== undefined) {
                return path.join(known, ...missing.reverse());
            }
            let real: string | undefined;
            try {
                real = fs.realpathSync(current);
            } catch {
                real = undefined;
            }
            if (real !== undefined) {
                if (current !== target) {
                    this.folders.set(current, real);
                }
                return path.join(real, ...missing.reverse());
            }
            const link = this.danglingLink(current);
            if (link !== undefined && hops++ < 40) {
                // A link to something missing still points where a file would be read from.
                current = link;
                continue;
            }
            const parent = path.dirname(current);
            if (parent === current) {
                return target;
            }
            missing.push(path.basename(current));
            current = parent;
        }
    }

    protected danglingLink(file: string): string | undefined {
        try {
            return fs.lstatSync(file).isSymbolicLink() ? path.resolve(path.dirname(file), fs.readlinkSync(file)) : undefined;
        } catch {
            return undefined;
        }
    }

    isFile(target: string): boolean {
        try {
            return fs.statSync(target).isFile();
        } catch {
            return false;
        }
    }
}
