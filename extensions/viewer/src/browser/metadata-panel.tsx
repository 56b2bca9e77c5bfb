import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import type { AssetDetails } from '@imageparser/archive-core/lib/common/asset-details-protocol';

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
    return iso ? new Date(iso).toLocaleString() : undefined;
}

/** Paths (all of them), size, dimensions, colour, DPI, EXIF, dates and per-file errors of one asset. */
export function MetadataPanel({ details }: { readonly details: AssetDetails }): React.ReactElement {
    const rows: [string, React.ReactNode][] = [
        [nls.localize('imageparser/viewer/meta/type', 'Type'), details.kind.toUpperCase()],
        [nls.localize('imageparser/viewer/meta/dimensions', 'Dimensions'), details.width && details.height ? `${details.width} x ${details.height}` : undefined],
        [nls.localize('imageparser/viewer/meta/size', 'File size'), details.files[0] ? bytes(details.files[0].size) : undefined],
        [nls.localize('imageparser/viewer/meta/colorMode', 'Colour mode'), [details.colorMode, details.colorSpace].filter(Boolean).join(', ') || undefined],
        [nls.localize('imageparser/viewer/meta/bitDepth', 'Bit depth'), details.bitDepth ? `${details.bitDepth}-bit` : undefined],
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
            {details.files.map(file => <li key={file.path} className={file.state}>
                <span className='imageparser-viewer-path' title={file.path}>{file.path}</span>
                <span className='imageparser-viewer-file-state'>{file.state}</span>
                {file.error && <div className='imageparser-viewer-file-error'>{file.errorCode ? `${file.errorCode}: ` : ''}{file.error}</div>}
            </li>)}
        </ul>
        {details.phases.filter(phase => phase.error).map(phase => <div key={phase.phase} className='imageparser-viewer-file-error'>
            {nls.localize('imageparser/viewer/meta/phaseError', '{0} phase: {1}', phase.phase, phase.error!)}
        </div>)}
    </div>;
}
