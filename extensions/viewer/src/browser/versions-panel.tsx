import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import { AssetLocation } from '@imageparser/archive-core/lib/common/asset-location';
import type { AssetVersion, FileVersions } from '@imageparser/archive-core/lib/common/asset-details-protocol';
import { MediaRoutes } from '@imageparser/archive-core/lib/common/media-protocol';
import { formatDateTime } from '@imageparser/archive-core/lib/browser/display-date';
import { enlargeSmallImage } from '@imageparser/archive-core/lib/browser/small-image';
import { bytes } from './metadata-panel';

export interface VersionsPanelProps {
    readonly versions: FileVersions;
    /** The asset the viewer shows. */
    readonly shown: number;
    readonly onOpen: (version: AssetVersion) => void;
    readonly onCompare: (version: AssetVersion) => void;
}

/**
 * The contents one file has held, newest first: each with its thumbnail,
 * when the archive saw it and the file's size and date then. A version opens
 * in the viewer; an earlier one compares with the current one side by side.
 */
export function VersionsPanel({ versions, shown, onOpen, onCompare }: VersionsPanelProps): React.ReactElement {
    return <div className='imageparser-viewer-versions'>
        <div className='imageparser-viewer-note'>{nls.localize('imageparser/viewer/versionsOf', 'Every version of {0}, newest first.', AssetLocation.display(versions.location))}</div>
        <ol className='imageparser-viewer-version-list'>
            {versions.versions.map((version, index) => <li key={`${version.assetId}-${index}`} data-asset-id={version.assetId}
                className={`imageparser-viewer-version${version.current ? ' current' : ''}${version.assetId === shown ? ' shown' : ''}`}>
                <img className='imageparser-viewer-version-thumb' loading='lazy' alt='' src={MediaRoutes.url('thumbnail', version.assetId)}
                    onLoad={event => enlargeSmallImage(event.currentTarget)}
                    onError={event => (event.target as HTMLImageElement).style.visibility = 'hidden'} />
                <div className='imageparser-viewer-version-text'>
                    <span className='imageparser-viewer-version-label'>
                        {version.current
                            ? nls.localize('imageparser/viewer/versionCurrent', 'Current version')
                            : nls.localize('imageparser/viewer/versionEarlier', 'Version {0}', versions.versions.length - index)}
                    </span>
                    <span className='imageparser-viewer-version-date'>
                        {nls.localize('imageparser/viewer/versionSeen', 'Indexed {0}', formatDateTime(version.firstSeenAt))}
                    </span>
                    <span className='imageparser-viewer-version-meta'>
                        {nls.localize('imageparser/viewer/versionModified', 'Saved {0}, {1}', formatDateTime(version.modifiedAt), bytes(version.size))}
                    </span>
                    <span className='imageparser-viewer-version-actions'>
                        <button type='button' className='theia-button secondary' disabled={version.assetId === shown} onClick={() => onOpen(version)}>
                            {nls.localize('imageparser/viewer/versionOpen', 'Open')}
                        </button>
                        {!version.current && <button type='button' className='theia-button secondary' onClick={() => onCompare(version)}>
                            {nls.localize('imageparser/viewer/versionCompare', 'Compare with current')}
                        </button>}
                    </span>
                </div>
            </li>)}
        </ol>
    </div>;
}
