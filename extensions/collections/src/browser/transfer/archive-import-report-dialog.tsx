import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import { ReactDialog } from '@theia/core/lib/browser/dialogs/react-dialog';
import type { ImportReport } from '@imageparser/archive-core/lib/common/archive-transfer-protocol';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import { describeConflictKind } from './archive-transfer-messages';

/**
 * What an import did (or, checked only, would do): a count per kind of
 * thing, and every conflict, the value kept here beside the file's.
 */
export class ArchiveImportReportDialog extends ReactDialog<void> {

    constructor(protected readonly report: ImportReport) {
        super({
            title: report.dryRun
                ? nls.localize('imageparser/collections/transfer/reportDryRunTitle', 'Import Check: Nothing Was Changed')
                : nls.localize('imageparser/collections/transfer/reportTitle', 'Import Finished')
        });
        this.addClass('imageparser-transfer-dialog');
        this.addClass('imageparser-import-report');
        this.appendAcceptButton(nls.localize('imageparser/collections/transfer/close', 'Close'));
        this.update();
    }

    get value(): void {
        return undefined;
    }

    protected render(): React.ReactNode {
        const { report } = this;
        return <div className='imageparser-transfer-form'>
            <div className='imageparser-transfer-file'>{report.file}</div>
            <div className='imageparser-transfer-headline' data-role='headline'>{this.headline()}</div>
            {!report.unchanged && this.renderCounts()}
            {report.conflicts.length > 0 && this.renderConflicts()}
        </div>;
    }

    protected headline(): string {
        const { report } = this;
        if (report.unchanged) {
            return nls.localize('imageparser/collections/transfer/unchanged', 'Nothing to import: this archive already has everything the file holds.');
        }
        return report.dryRun
            ? nls.localize('imageparser/collections/transfer/wouldImport', 'An import would bring in:')
            : nls.localize('imageparser/collections/transfer/imported', 'Imported:');
    }

    protected renderCounts(): React.ReactNode {
        const { report } = this;
        const rows: [string, string, number][] = [
            ['assets-added', nls.localize('imageparser/collections/transfer/count/assetsAdded', 'New images'), report.assetsAdded],
            ['assets-merged', nls.localize('imageparser/collections/transfer/count/assetsMerged', 'Images already here, completed'), report.assetsMerged],
            ['files', nls.localize('imageparser/collections/transfer/count/files', 'Files'), report.filesAdded],
            ['tags', nls.localize('imageparser/collections/transfer/count/tags', 'Tags'), report.tagsAdded],
            ['ratings', nls.localize('imageparser/collections/transfer/count/ratings', 'Ratings'), report.ratingsSet],
            ['comments', nls.localize('imageparser/collections/transfer/count/comments', 'Comments'), report.commentsAdded],
            ['revisions', nls.localize('imageparser/collections/transfer/count/revisions', 'Comment revisions'), report.revisionsAdded],
            ['captions', nls.localize('imageparser/collections/transfer/count/captions', 'Captions'), report.captionsAdded],
            ['vectors', nls.localize('imageparser/collections/transfer/count/vectors', 'Similarity vectors'), report.vectorsAdded],
            ['media', nls.localize('imageparser/collections/transfer/count/media', 'Thumbnails and previews'), report.mediaAdded],
            ['collections-added', nls.localize('imageparser/collections/transfer/count/collectionsAdded', 'New collections'), report.collectionsAdded],
            ['collections-merged', nls.localize('imageparser/collections/transfer/count/collectionsMerged', 'Collections merged'), report.collectionsMerged]
        ];
        if (report.filesFound + report.filesNotFound > 0) {
            // An export without paths: its files were looked for under the folder chosen.
            rows.push(['files-found', nls.localize('imageparser/collections/transfer/count/filesFound', 'Files found in the folder chosen'), report.filesFound],
                ['files-not-found', nls.localize('imageparser/collections/transfer/count/filesNotFound', 'Files not found there (their images have no file yet)'), report.filesNotFound]);
        }
        return <table className='imageparser-transfer-counts'>
            <tbody>
                {rows.map(([key, label, count]) => <tr key={key} data-count={key}><td>{label}</td><td>{count.toLocaleString(nls.locale ?? 'en-US')}</td></tr>)}
            </tbody>
        </table>;
    }

    protected renderConflicts(): React.ReactNode {
        const { conflicts } = this.report;
        return <div className='imageparser-transfer-conflicts' data-role='conflicts'>
            <div>{plural(conflicts.length,
                nls.localize('imageparser/collections/transfer/conflicts/one', '{0} conflict: this archive\'s value was kept.', conflicts.length),
                nls.localize('imageparser/collections/transfer/conflicts/other', '{0} conflicts: this archive\'s values were kept.', conflicts.length))}</div>
            <table>
                <thead><tr>
                    <th>{nls.localize('imageparser/collections/transfer/conflictWhat', 'What')}</th>
                    <th>{nls.localize('imageparser/collections/transfer/conflictSubject', 'Of')}</th>
                    <th>{nls.localize('imageparser/collections/transfer/conflictHere', 'Here (kept)')}</th>
                    <th>{nls.localize('imageparser/collections/transfer/conflictIncoming', 'In the file')}</th>
                </tr></thead>
                <tbody>
                    {conflicts.map((conflict, index) => <tr key={index} data-conflict={conflict.kind}>
                        <td>{describeConflictKind(conflict.kind)}</td><td>{conflict.subject}</td><td>{conflict.local}</td><td>{conflict.incoming}</td>
                    </tr>)}
                </tbody>
            </table>
        </div>;
    }
}
