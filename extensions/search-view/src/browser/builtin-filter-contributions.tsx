import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import type { FilterClause } from '@imageparser/archive-core/lib/common/search-protocol';
import type { SearchFilterContribution } from './search-filter-contribution';

type Change = (clause: FilterClause | undefined) => void;

/** A number box that reports on Enter or when it loses focus, not on every keystroke. */
function NumberBox(props: { value: number | undefined; label: string; onCommit: (value: number | undefined) => void }): React.ReactElement {
    const [text, setText] = React.useState(props.value === undefined ? '' : String(props.value));
    React.useEffect(() => setText(props.value === undefined ? '' : String(props.value)), [props.value]);
    const commit = () => {
        const value = text.trim() === '' ? undefined : Number(text);
        if (value === undefined || Number.isFinite(value)) {
            props.onCommit(value);
        }
    };
    return <input className='theia-input imageparser-filter-number' type='number' min={0} aria-label={props.label} placeholder={props.label}
        value={text} onChange={event => setText(event.target.value)} onBlur={commit}
        onKeyDown={event => event.key === 'Enter' && commit()} />;
}

/** A min/max pair of number boxes for a range filter of `kind`. */
function rangeFilter(kind: string, label: string, unit?: string): SearchFilterContribution {
    const minLabel = nls.localize('imageparser/search-view/filter/min', 'min');
    const maxLabel = nls.localize('imageparser/search-view/filter/max', 'max');
    return {
        id: kind,
        label,
        render: (clause: FilterClause | undefined, onChange: Change) => {
            const min = clause?.min as number | undefined;
            const max = clause?.max as number | undefined;
            const update = (next: { min?: number; max?: number }) => {
                const merged = { min, max, ...next };
                onChange(merged.min === undefined && merged.max === undefined ? undefined : { kind, ...merged });
            };
            return <div className='imageparser-filter-range'>
                <NumberBox value={min} label={minLabel} onCommit={value => update({ min: value })} />
                <span>–</span>
                <NumberBox value={max} label={maxLabel} onCommit={value => update({ max: value })} />
                {unit && <span className='imageparser-filter-unit'>{unit}</span>}
            </div>;
        },
        describe: clause => `${label}: ${clause.min ?? ''}–${clause.max ?? ''}`
    };
}

/** A from/to pair of date inputs for a date filter of `kind`. */
function dateFilter(kind: string, label: string): SearchFilterContribution {
    return {
        id: kind,
        label,
        render: (clause: FilterClause | undefined, onChange: Change) => {
            const from = (clause?.from as string | undefined)?.slice(0, 10) ?? '';
            const to = (clause?.to as string | undefined)?.slice(0, 10) ?? '';
            const update = (next: { from?: string; to?: string }) => {
                const merged = { from: from || undefined, to: to || undefined, ...next };
                onChange(!merged.from && !merged.to ? undefined : { kind, ...merged });
            };
            return <div className='imageparser-filter-range'>
                <input className='theia-input' type='date' value={from} aria-label={nls.localize('imageparser/search-view/filter/dateFrom', '{0}: from', label)}
                    onChange={event => update({ from: event.target.value || undefined })} />
                <span>–</span>
                <input className='theia-input' type='date' value={to} aria-label={nls.localize('imageparser/search-view/filter/dateTo', '{0}: to', label)}
                    onChange={event => update({ to: event.target.value ? `${event.target.value}T23:59:59.999Z` : undefined })} />
            </div>;
        },
        describe: clause => `${label}: ${String(clause.from ?? '').slice(0, 10)}–${String(clause.to ?? '').slice(0, 10)}`
    };
}

const FILE_TYPES = ['psd', 'psb', 'png', 'jpeg'];

function stateName(state: string): string {
    switch (state) {
        case 'ok': return nls.localize('imageparser/search-view/filter/onDisk', 'On disk');
        case 'missing': return nls.localize('imageparser/search-view/filter/missing', 'Missing');
        case 'error': return nls.localize('imageparser/search-view/filter/failed', 'Failed to index');
        default: return state;
    }
}

/** The filters every archive has, contributed through the same point as anyone else's. */
export function builtinFilterContributions(): SearchFilterContribution[] {
    const typeLabel = nls.localize('imageparser/search-view/filter/type', 'File type');
    const ratingLabel = nls.localize('imageparser/search-view/filter/rating', 'Rating at least');
    const tagsLabel = nls.localize('imageparser/search-view/filter/tags', 'Tags');
    const folderLabel = nls.localize('imageparser/search-view/filter/folder', 'Folder');
    const stateLabel = nls.localize('imageparser/search-view/filter/state', 'State');
    return [
        {
            id: 'type',
            label: typeLabel,
            render: (clause, onChange) => {
                const types = new Set((clause?.types as string[] | undefined) ?? []);
                return <div className='imageparser-filter-choices'>
                    {FILE_TYPES.map(type => <label key={type}>
                        <input type='checkbox' checked={types.has(type)} onChange={event => {
                            const next = new Set(types);
                            if (event.target.checked) {
                                next.add(type);
                            } else {
                                next.delete(type);
                            }
                            onChange(next.size ? { kind: 'type', types: [...next] } : undefined);
                        }} />{type.toUpperCase()}
                    </label>)}
                </div>;
            },
            describe: clause => `${typeLabel}: ${(clause.types as string[]).join(', ').toUpperCase()}`
        },
        {
            id: 'rating',
            label: ratingLabel,
            render: (clause, onChange) => <select className='theia-select' aria-label={ratingLabel} value={String(clause?.min ?? 0)}
                onChange={event => onChange(Number(event.target.value) ? { kind: 'rating', min: Number(event.target.value) } : undefined)}>
                {[0, 1, 2, 3, 4, 5].map(value => <option key={value} value={value}>{value ? '★'.repeat(value) : nls.localize('imageparser/search-view/filter/any', 'Any')}</option>)}
            </select>,
            describe: clause => `${ratingLabel}: ${'★'.repeat(Number(clause.min))}`
        },
        rangeFilter('layers', nls.localize('imageparser/search-view/filter/layers', 'Layers')),
        rangeFilter('resolution', nls.localize('imageparser/search-view/filter/resolution', 'Longer side'), 'px'),
        dateFilter('modified', nls.localize('imageparser/search-view/filter/modified', 'Modified')),
        dateFilter('added', nls.localize('imageparser/search-view/filter/added', 'Added')),
        {
            id: 'tags',
            label: tagsLabel,
            render: (clause, onChange) => {
                const tags = (clause?.tags as string[] | undefined) ?? [];
                const mode = (clause?.mode as string | undefined) ?? 'any';
                const commit = (text: string, nextMode: string) => {
                    const list = text.split(',').map(tag => tag.trim()).filter(Boolean);
                    onChange(list.length ? { kind: 'tags', tags: list, mode: nextMode } : undefined);
                };
                return <div className='imageparser-filter-range'>
                    <input className='theia-input' defaultValue={tags.join(', ')} key={tags.join(',')} aria-label={tagsLabel}
                        placeholder={nls.localize('imageparser/search-view/filter/tagsPlaceholder', 'tag, tag…')}
                        onBlur={event => commit(event.target.value, mode)}
                        onKeyDown={event => event.key === 'Enter' && commit(event.currentTarget.value, mode)} />
                    <select className='theia-select' value={mode} aria-label={tagsLabel}
                        onChange={event => tags.length && onChange({ kind: 'tags', tags, mode: event.target.value })}>
                        <option value='any'>{nls.localize('imageparser/search-view/filter/anyTag', 'any')}</option>
                        <option value='all'>{nls.localize('imageparser/search-view/filter/allTags', 'all')}</option>
                    </select>
                </div>;
            },
            describe: clause => `${tagsLabel}: ${(clause.tags as string[]).join(clause.mode === 'all' ? ' + ' : ' / ')}`
        },
        {
            id: 'folder',
            label: folderLabel,
            render: (clause, onChange) => <input className='theia-input' aria-label={folderLabel} key={String(clause?.path ?? '')}
                defaultValue={String(clause?.path ?? '')} placeholder={nls.localize('imageparser/search-view/filter/folderPlaceholder', '/path/to/folder')}
                onBlur={event => onChange(event.target.value.trim() ? { kind: 'folder', path: event.target.value.trim() } : undefined)}
                onKeyDown={event => event.key === 'Enter' && onChange(event.currentTarget.value.trim()
                    ? { kind: 'folder', path: event.currentTarget.value.trim() } : undefined)} />,
            describe: clause => `${folderLabel}: ${clause.path}`
        },
        {
            id: 'state',
            label: stateLabel,
            render: (clause, onChange) => <select className='theia-select' aria-label={stateLabel} value={String(clause?.state ?? '')}
                onChange={event => onChange(event.target.value ? { kind: 'state', state: event.target.value } : undefined)}>
                <option value=''>{nls.localize('imageparser/search-view/filter/any', 'Any')}</option>
                <option value='ok'>{nls.localize('imageparser/search-view/filter/onDisk', 'On disk')}</option>
                <option value='missing'>{nls.localize('imageparser/search-view/filter/missing', 'Missing')}</option>
                <option value='error'>{nls.localize('imageparser/search-view/filter/failed', 'Failed to index')}</option>
            </select>,
            describe: clause => `${stateLabel}: ${stateName(String(clause.state))}`
        }
    ];
}
