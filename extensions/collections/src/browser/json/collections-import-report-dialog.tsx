import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import { ReactDialog } from '@theia/core/lib/browser/dialogs/react-dialog';
import type { CollectionsImportReport } from '@imageparser/archive-core/lib/common/collection-protocol';
import { plural } from '@imageparser/archive-core/lib/common/plural';

/**
 * What importing collections JSON did: collections added and merged,
 * presets added, members matched by content or by path, and every member
 * that matched no image here, listed with its collection, content hash and
 * paths so the user can find the image.
 */
export class CollectionsImportReportDialog extends ReactDialog<void> {

    constructor(protected readonly file: string, protected readonly report: CollectionsImportReport) {
        // At most this wide (Theia's dialogs have no limit): a long path in the title is cut short, not the dialog pushed off the window.
        super({ title: nls.localize('imageparser/collections/json/reportTitle', 'Collections Imported from {0}', file), maxWidth: 960 });
        this.addClass('imageparser-collections-import-report');
        this.titleFile(file);
        this.appendCloseButton(nls.localize('imageparser/collections/json/close', 'Close'));
        this.update();
    }

    /**
     * The title on one line however long the file's path: its folder is cut
     * short with an ellipsis, the file's name stays whole, and the title's
     * tooltip has all of it.
     */
    protected titleFile(file: string): void {
        const title = this.titleNode.textContent ?? '';
        const at = title.lastIndexOf(file);
        this.titleNode.title = title;
        this.titleNode.classList.add('imageparser-collections-import-report-title');
        if (at < 0) {
            return;
        }
        const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1;
        const part = (className: string, text: string) => {
            const span = document.createElement('span');
            span.className = className;
            span.textContent = text;
            return span;
        };
        this.titleNode.replaceChildren(
            part('imageparser-collections-import-report-title-text', title.slice(0, at)),
            part('imageparser-collections-import-report-title-folder', file.slice(0, cut)),
            part('imageparser-collections-import-report-title-name', file.slice(cut)),
            part('imageparser-collections-import-report-title-text', title.slice(at + file.length)));
    }

    get value(): void {
        return undefined;
    }

    protected render(): React.ReactNode {
        const report = this.report;
        const count = (value: number) => value.toLocaleString(nls.locale);
        return <div className='imageparser-collections-import-report-body'>
            <ul className='imageparser-collections-import-counts'>
                <li data-count='collectionsAdded'>{plural(report.collectionsAdded,
                    nls.localize('imageparser/collections/json/collectionsAdded/one', '{0} collection added', count(report.collectionsAdded)),
                    nls.localize('imageparser/collections/json/collectionsAdded/other', '{0} collections added', count(report.collectionsAdded)))}</li>
                <li data-count='collectionsMerged'>{plural(report.collectionsMerged,
                    nls.localize('imageparser/collections/json/collectionsMerged/one', '{0} collection already here, merged', count(report.collectionsMerged)),
                    nls.localize('imageparser/collections/json/collectionsMerged/other', '{0} collections already here, merged', count(report.collectionsMerged)))}</li>
                <li data-count='presetsAdded'>{plural(report.presetsAdded,
                    nls.localize('imageparser/collections/json/presetsAdded/one', '{0} filter preset added', count(report.presetsAdded)),
                    nls.localize('imageparser/collections/json/presetsAdded/other', '{0} filter presets added', count(report.presetsAdded)))}</li>
                <li data-count='membersAdded'>{plural(report.membersAdded,
                    nls.localize('imageparser/collections/json/membersAdded/one', '{0} image added to collections', count(report.membersAdded)),
                    nls.localize('imageparser/collections/json/membersAdded/other', '{0} images added to collections', count(report.membersAdded)))}</li>
                <li data-count='matched'>{nls.localize('imageparser/collections/json/matched', 'Found here: {0} by content, {1} by path only',
                    count(report.matchedByHash), count(report.matchedByPath))}</li>
            </ul>
            {report.unmatched.length ? this.renderUnmatched() : <p className='imageparser-collections-import-all'>
                {nls.localize('imageparser/collections/json/allMatched', 'Every image of the file was found in this archive.')}
            </p>}
        </div>;
    }

    protected renderUnmatched(): React.ReactNode {
        const unmatched = this.report.unmatched;
        return <div className='imageparser-collections-import-unmatched'>
            <p>{plural(unmatched.length,
                nls.localize('imageparser/collections/json/unmatched/one', '{0} image was not found in this archive (by content or by path):', unmatched.length.toLocaleString(nls.locale)),
                nls.localize('imageparser/collections/json/unmatched/other', '{0} images were not found in this archive (by content or by path):', unmatched.length.toLocaleString(nls.locale)))}</p>
            <table>
                <thead><tr>
                    <th>{nls.localize('imageparser/collections/json/column/collection', 'Collection')}</th>
                    <th>{nls.localize('imageparser/collections/json/column/paths', 'Paths in the file')}</th>
                    <th>{nls.localize('imageparser/collections/json/column/hash', 'Content hash')}</th>
                </tr></thead>
                <tbody>
                    {unmatched.map((member, index) => <tr key={index} className='imageparser-collections-import-missing'>
                        <td>{member.collection}</td>
                        <td>{member.paths.length ? member.paths.join('\n') : nls.localize('imageparser/collections/json/noPaths', '(no path in the file)')}</td>
                        <td title={member.contentHash}>{member.contentHash ? member.contentHash.slice(0, 12) : '—'}</td>
                    </tr>)}
                </tbody>
            </table>
        </div>;
    }
}
