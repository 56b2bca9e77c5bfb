import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import type { FilterClause } from '@imageparser/archive-core/lib/common/search-protocol';
import type { SearchFilterContribution } from '@imageparser/search-view/lib/browser/search-filter-contribution';
import { Orientation, ORIENTATION_FILTER, ORIENTATIONS, OrientationClause } from '../common/orientation';

/** Orientation as a row of toggle buttons; the active one filters, clicking it again clears. */
export class OrientationFilterContribution implements SearchFilterContribution {
    readonly id = ORIENTATION_FILTER;
    readonly label = nls.localize('imageparser/sample-orientation-filter/label', 'Orientation');

    render(clause: FilterClause | undefined, onChange: (clause: FilterClause | undefined) => void): React.ReactNode {
        const active = (clause as OrientationClause | undefined)?.orientation;
        return <div className='imageparser-orientation-filter' role='group' aria-label={this.label}>
            {ORIENTATIONS.map(orientation => <button key={orientation} type='button'
                className={`theia-button ${orientation === active ? '' : 'secondary'}`}
                aria-pressed={orientation === active}
                onClick={() => onChange(orientation === active ? undefined : { kind: ORIENTATION_FILTER, orientation })}>
                {this.nameOf(orientation)}
            </button>)}
        </div>;
    }

    describe(clause: FilterClause): string {
        return `${this.label}: ${this.nameOf((clause as OrientationClause).orientation)}`;
    }

    protected nameOf(orientation: Orientation): string {
        switch (orientation) {
            case 'portrait': return nls.localize('imageparser/sample-orientation-filter/portrait', 'Portrait');
            case 'landscape': return nls.localize('imageparser/sample-orientation-filter/landscape', 'Landscape');
            default: return nls.localize('imageparser/sample-orientation-filter/square', 'Square');
        }
    }
}
