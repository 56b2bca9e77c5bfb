import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import { codicon } from '@theia/core/lib/browser/widgets/widget';

export interface TagEditorProps {
    readonly tags: readonly string[];
    readonly suggest: (text: string) => Promise<string[]>;
    /** Rejects when the tags were not added; the input then keeps them. */
    readonly onAdd: (tags: string[]) => Promise<unknown>;
    readonly onRemove: (tag: string) => unknown;
}

/** Tag chips with a remove button each, and an input that suggests existing tags as you type (Enter or comma adds). */
export function TagEditor({ tags, suggest, onAdd, onRemove }: TagEditorProps): React.ReactElement {
    const [text, setText] = React.useState('');
    const [suggestions, setSuggestions] = React.useState<string[]>([]);
    const listId = React.useMemo(() => `imageparser-tag-suggestions-${Math.random().toString(36).slice(2)}`, []);
    React.useEffect(() => {
        let current = true;
        const value = text.trim();
        if (!value) {
            setSuggestions([]);
            return;
        }
        const timer = setTimeout(() => suggest(value).then(found => current && setSuggestions(found.filter(tag => !tags.includes(tag))), () => undefined), 120);
        return () => {
            current = false;
            clearTimeout(timer);
        };
    }, [text, tags]);
    const commit = () => {
        const names = text.split(',').map(name => name.trim()).filter(Boolean);
        if (names.length) {
            onAdd(names).then(() => setText(current => current === text ? '' : current), () => undefined);
        } else {
            setText('');
        }
    };
    return <div className='imageparser-viewer-tags'>
        <ul className='imageparser-viewer-tag-list' aria-label={nls.localize('imageparser/viewer/tags', 'Tags')}>
            {tags.map(tag => <li key={tag} className='imageparser-viewer-tag'>
                <span>{tag}</span>
                <button type='button' className={codicon('close')} title={nls.localize('imageparser/viewer/removeTag', 'Remove tag {0}', tag)}
                    aria-label={nls.localize('imageparser/viewer/removeTag', 'Remove tag {0}', tag)} onClick={() => onRemove(tag)} />
            </li>)}
            {!tags.length && <li className='imageparser-viewer-empty'>{nls.localize('imageparser/viewer/noTags', 'No tags yet')}</li>}
        </ul>
        <input className='theia-input imageparser-viewer-tag-input' list={listId} value={text} spellCheck={false}
            placeholder={nls.localize('imageparser/viewer/addTagPlaceholder', 'Add tags (Enter; commas separate)')}
            aria-label={nls.localize('imageparser/viewer/addTag', 'Add tag')}
            onChange={event => setText(event.target.value)}
            onKeyDown={event => {
                if (event.key === 'Enter' || (event.key === ',' && text.trim())) {
                    event.preventDefault();
                    commit();
                }
            }} />
        <datalist id={listId}>{suggestions.map(tag => <option key={tag} value={tag} />)}</datalist>
    </div>;
}
