import type { ExportInspection, ExportReport, ImportReport, TransferErrorReason, TransferStep } from '../../common/archive-transfer-protocol';
import { formatBytes } from '../../common/byte-size';
import { printable } from '../../common/printable-text';

/** The command line's English words for archive export and import (the app words them through nls). */

/** Why a file was refused, for each reason, ready to follow "<file>: ". */
export const REFUSAL_TEXT: Readonly<Record<TransferErrorReason, string>> = {
    'not-found': 'cannot be read: there is no such file, or no permission to read it',
    'not-an-export': 'is not an ImageParser archive export',
    'newer-version': 'was written by a newer ImageParser; update this one to import it',
    'damaged': 'is damaged or incomplete (cut short, or not a whole database)',
    'size-mismatch': 'does not hold what it declares (counts or sizes differ); it may have been altered',
    'unsafe-path': 'holds a path that would lead outside its folders; it was refused for safety',
    'target-exists': 'exists already; add --overwrite to replace it',
    'cancelled': 'cancelled: nothing was written',
    'read-only': 'cannot be imported: this archive can only be read',
    'busy': 'must wait: another export or import is running'
};

export const STEP_TEXT: Readonly<Record<TransferStep, string>> = {
    snapshot: 'snapshot', select: 'selecting', strip: 'removing paths', media: 'thumbnails',
    check: 'checking', merge: 'merging', vectors: 'vectors', index: 'text index', commit: 'committing'
};

/** "1 asset", "2 assets". */
export function count(n: number, one: string, many: string): string {
    return `${n} ${n === 1 ? one : many}`;
}

export function exportReportText(report: ExportReport): string {
    const parts = [
        count(report.media, 'thumbnail or preview', 'thumbnails and previews'),
        count(report.vectors, 'vector', 'vectors'),
        count(report.collections, 'collection', 'collections')
    ];
    return `exported ${count(report.assets, 'asset', 'assets')} (${parts.join(', ')}) to ${printable(report.file)}: `
        + `${formatBytes(report.bytes)} in ${(report.tookMs / 1000).toFixed(1)} s`;
}

export function inspectionText(inspection: ExportInspection): string {
    const lines = [
        `${printable(inspection.file)}: ${count(inspection.assets, 'asset', 'assets')} (${printable(inspection.scopeLabel)}), `
        + `exported ${printable(inspection.createdAt)} by ${printable(inspection.generator)}, ${formatBytes(inspection.bytes)}`,
        `  ${inspection.includesMedia ? 'with thumbnails and previews' : 'without thumbnails or previews'}, `
        + `${inspection.includesPaths ? 'with the original paths' : 'without paths (file names only)'}`
    ];
    for (const root of inspection.roots) {
        lines.push(`  root ${printable(root.path)}: ${count(root.assets, 'asset', 'assets')}`);
    }
    return lines.join('\n');
}

export function importReportText(report: ImportReport): string[] {
    const lines: string[] = [];
    const counts = [
        `${count(report.assetsAdded, 'asset', 'assets')} added`, `${report.assetsMerged} merged`,
        count(report.filesAdded, 'file', 'files'), count(report.tagsAdded, 'tag', 'tags'), count(report.ratingsSet, 'rating', 'ratings'),
        `${count(report.commentsAdded, 'comment', 'comments')} (${count(report.revisionsAdded, 'revision', 'revisions')})`,
        count(report.captionsAdded, 'caption', 'captions'), count(report.vectorsAdded, 'vector', 'vectors'),
        count(report.mediaAdded, 'thumbnail or preview', 'thumbnails and previews'),
        `${count(report.collectionsAdded, 'collection', 'collections')} added`, `${report.collectionsMerged} merged`
    ];
    if (report.unchanged) {
        lines.push(`${report.dryRun ? 'dry run: ' : ''}nothing to import from ${printable(report.file)}: the archive has all it holds`);
    } else {
        lines.push(`${report.dryRun ? 'dry run, nothing written: would import' : 'imported'} ${printable(report.file)}: ${counts.join(', ')}`);
    }
    if (report.filesFound + report.filesNotFound > 0) {
        lines.push(`files without paths: ${count(report.filesFound, 'file', 'files')} found under the folder given, ${report.filesNotFound} not found`
            + (report.filesNotFound ? ' (their images arrive without a file until that folder holds them and is indexed)' : ''));
    }
    if (report.conflicts.length) {
        lines.push(`${count(report.conflicts.length, 'conflict', 'conflicts')} (this archive's value kept):`);
        for (const conflict of report.conflicts) {
            lines.push(`  ${conflict.kind} ${printable(conflict.subject)}: here ${printable(conflict.local)}, in the file ${printable(conflict.incoming)}`);
        }
    }
    return lines;
}
