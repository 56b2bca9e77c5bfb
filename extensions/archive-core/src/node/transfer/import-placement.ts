import * as fs from 'fs';
import * as path from 'path';
import type { ImportOptions } from '../../common/archive-transfer-protocol';
import { ExportFileRefusal, ExportFile } from '../store/export-file';
import type { ImportedFilePlace } from '../store/archive-import-repository';
import { FILES_TABLE } from './export-format';

/**
 * Where each of an export's files with a root goes in this archive: under
 * its root as `rootMap` maps it (an unmapped root keeps its path). Files
 * without paths are left out: they are looked for under `placeUnder` (see
 * `findImportedFiles`). A path that would leave its root is refused as
 * `unsafe-path`: the real path of the deepest part of it that exists here
 * (a symlink in this machine's folders followed) must stay under the root's
 * real path. Two paths of different content that name one file here (a
 * disk that does not tell case or Unicode forms apart) are refused too.
 */
export function placeImportedFiles(source: ExportFile, options: ImportOptions): Map<number, ImportedFilePlace> {
    const roots = new Map<number, string>();
    for (const root of source.roots()) {
        const mapped = options.rootMap?.[root.path];
        roots.set(root.id, path.resolve(mapped ?? root.path));
    }
    const resolver = new RealPathResolver();
    const places = new Map<number, ImportedFilePlace>();
    const onDisk = new Map<string, { relativePath: string; target: string; assetId: number }>();
    for (const row of source.iterate<{ id: number; asset_id: number; root_id: number | null; relative_path: string }>(FILES_TABLE, 'id')) {
        if (row.root_id === null) {
            continue;
        }
        const root = roots.get(row.root_id)!;
        const target = path.join(root, ...row.relative_path.split('/'));
        const realRoot = resolver.resolve(root);
        const realTarget = resolver.resolve(target);
        if (realTarget !== realRoot && !realTarget.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep)) {
            throw new ExportFileRefusal('unsafe-path', source.file, `${row.relative_path} would lie at ${realTarget}, outside ${root}`);
        }
        const identity = resolver.fileIdentity(target);
        const same = identity === undefined ? undefined : onDisk.get(identity);
        if (same && same.target !== target && same.assetId !== row.asset_id) {
            // A disk that does not tell case or Unicode forms apart: two of the file's paths (of other content) name one file here.
            throw new ExportFileRefusal('unsafe-path', source.file, `${same.relativePath} and ${row.relative_path} are the same file at ${target}`);
        }
        if (identity !== undefined && !same) {
            onDisk.set(identity, { relativePath: row.relative_path, target, assetId: row.asset_id });
        }
        places.set(row.id, { path: target, root, onDisk: identity !== undefined });
    }
    return places;
}

/**
 * Refuses an import that leaves a root folder of the file unmapped where
 * its path names no folder of this machine (a Windows `C:\…` root on Linux):
 * its files would be recorded below the backend's working folder.
 * (Inspecting the file answers such roots, for the user to map.)
 */
export function checkUnmappedRoots(source: ExportFile, options: ImportOptions): void {
    for (const root of source.roots()) {
        if (options.rootMap?.[root.path] === undefined && !path.isAbsolute(root.path)) {
            throw new ExportFileRefusal('unsafe-path', source.file,
                `the root folder ${JSON.stringify(root.path)} is not a folder of this machine; map it to one to import its files`);
        }
    }
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

/** The folder files without paths are looked for in when none is given: beside the export, named after it. */
export function defaultPlaceUnder(file: string): string {
    const resolved = path.resolve(file);
    const name = path.basename(resolved).replace(/\.[^.]*$/, '') || 'import';
    return path.join(path.dirname(resolved), name);
}

/**
 * Real paths of paths that may not exist yet: the deepest existing ancestor
 * resolved, the rest appended. Every path resolved is remembered, so the
 * folders of many files are looked up once each.
 */
class RealPathResolver {

    protected readonly known = new Map<string, string>();

    resolve(target: string, hops = 0): string {
        const known = this.known.get(target);
        if (known !== undefined) {
            return known;
        }
        // One lstat answers most paths of an import (files not there yet) without an exception.
        const entry = fs.lstatSync(target, { throwIfNoEntry: false });
        let real: string | undefined;
        if (entry) {
            try {
                real = fs.realpathSync.native(target);
            } catch {
                real = undefined;
            }
        }
        if (real === undefined) {
            const parent = path.dirname(target);
            const link = entry?.isSymbolicLink() ? this.linkTarget(target) : undefined;
            if (link !== undefined && hops < 40) {
                // A link to something missing still points where a file would be read from.
                real = this.resolve(link, hops + 1);
            } else {
                real = parent === target ? target : path.join(this.resolve(parent, hops), path.basename(target));
            }
        }
        this.known.set(target, real);
        return real;
    }

    protected linkTarget(link: string): string | undefined {
        try {
            return path.resolve(path.dirname(link), fs.readlinkSync(link));
        } catch {
            return undefined;
        }
    }

    /** The file's identity on disk (device and inode) when a regular file is there. */
    fileIdentity(target: string): string | undefined {
        try {
            const stat = fs.statSync(target, { bigint: true, throwIfNoEntry: false });
            return stat?.isFile() ? `${stat.dev}:${stat.ino}` : undefined;
        } catch {
            return undefined;
        }
    }
}
