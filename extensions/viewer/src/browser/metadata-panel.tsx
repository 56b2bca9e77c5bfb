import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import { AssetLocation } from '@imageparser/archive-core/lib/common/asset-location';
import type { AssetDetails } from '@imageparser/archive-core/lib/common/asset-details-protocol';
import { AssetLabels } from '@imageparser/archive-core/lib/browser/asset-labels';
import { formatDateTime } from '@imageparser/archive-core/lib/browser/display-date';

/** A byte count for people: `512 B`, `1.5 MB`. */
export function bytes(size: number): string {
    const units = ['B', 'KB', 'MB', 'GB'];
    let value = size, unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return `${value.toFixed(unit ? 1 : 0)} ${units[unit]}`;
}

function date(iso: string | undefined): string | undefined {
    return iso ? formatDateTime(iso) : undefined;
}

/** The colour mode and colour space, each once (they are often the same). */
function colour(details: AssetDetails): string | undefined {
    const labels = [details.colorMode, details.colorSpace].filter((mode): mode is string => !!mode).map(AssetLabels.colorMode);
    return [...new Set(labels)].join(', ') || undefined;
}

/** Paths (all of them), size, dimensions, colour, DPI, EXIF, dates and per-file errors of one asset. */
export function MetadataPanel({ details }: { readonly details: AssetDetails }): React.ReactElement {
    const rows: [string, React.ReactNode][] = [
        [nls.localize('imageparser/viewer/meta/type', 'Type'), details.kind.toUpperCase()],
        [nls.localize('imageparser/viewer/meta/dimensions', 'Dimensions'), details.width && details.height ? `${details.width} x ${details.height}` : undefined],
        [nls.localize('imageparser/viewer/meta/size', 'File size'), details.files[0] ? bytes(details.files[0].size) : undefined],
        [nls.localize('imageparser/viewer/meta/colorMode', 'Colour mode'), colour(details)],
        [nls.localize('imageparser/viewer/meta/bitDepth', 'Bit depth'), details.bitDepth ? nls.localize('imageparser/viewer/meta/bits', '{0}-bit', details.bitDepth) : undefined],
        [nls.localize('imageparser/viewer/meta/alpha', 'Transparency'), details.hasAlpha === undefined ? undefined : details.hasAlpha ? nls.localize('imageparser/viewer/yes', 'Yes') : nls.localize('imageparser/viewer/no', 'No')],
        [nls.localize('imageparser/viewer/meta/dpi', 'DPI'), details.dpi ? Math.round(details.dpi) : undefined],
        [nls.localize('imageparser/viewer/meta/profile', 'ICC profile'), details.iccProfile],
        [nls.localize('imageparser/viewer/meta/layers', 'Layers'), details.layers.length || undefined],
        [nls.localize('imageparser/viewer/meta/captured', 'Taken'), date(details.capturedAt)],
        [nls.localize('imageparser/viewer/meta/camera', 'Camera'), details.camera],
        [nls.localize('imageparser/viewer/meta/software', 'Software'), details.software],
        [nls.localize('imageparser/viewer/meta/orientation', 'EXIF orientation'), details.orientation],
        [nls.localize('imageparser/viewer/meta/modified', 'Modified'), date(details.files[0]?.modifiedAt)],
        [nls.localize('imageparser/viewer/meta/added', 'Added to archive'), date(details.registeredAt)],
        [nls.localize('imageparser/viewer/meta/indexed', 'Indexed'), date(details.indexedAt)],
        [nls.localize('imageparser/viewer/meta/hash', 'Content hash'), <code>{details.contentHash.slice(0, 16)}…</code>],
        [nls.localize('imageparser/viewer/meta/notes', 'Notes'), details.notes]
    ];
    return <div className='imageparser-viewer-metadata'>
        <table>
            <tbody>
                {rows.filter(([, value]) => value !== undefined && value !== '').map(([label, value]) => <tr key={label}><th>{label}</th><td>{value}</td></tr>)}
            </tbody>
        </table>
        <div className='imageparser-viewer-section-label'>{nls.localize('imageparser/viewer/meta/paths', 'Files ({0})', details.files.length)}</div>
        <ul className='imageparser-viewer-paths'>
            {details.files.map(file => <li key={file.location.fileId} className={file.state}>
                <span className='imageparser-viewer-path' title={AssetLocation.display(file.location)}>{AssetLocation.display(file.location)}</span>
                <span className='imageparser-viewer-file-state' data-state={file.state}>{AssetLabels.fileState(file.state)}</span>
                {file.error && <div className='imageparser-viewer-file-error' title={file.error}>{file.errorCode ? AssetLabels.parseError(file.errorCode) : file.error}</div>}
            </li>)}
        </ul>
        {details.phases.filter(phase => phase.error).map(phase => <div key={phase.phase} className='imageparser-viewer-file-error' title={phase.error}>
            {nls.localize('imageparser/viewer/meta/phaseError', '{0}: {1}', AssetLabels.phase(phase.phase), AssetLabels.phaseState(phase.state))}
        </div>)}
    </div>;
}
