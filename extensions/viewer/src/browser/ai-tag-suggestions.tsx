import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import type { AiTagSuggestion } from '@imageparser/archive-core/lib/common/ai-protocol';
import { plural } from '@imageparser/archive-core/lib/common/plural';

export interface AiTagSuggestionsProps {
    readonly suggestions: readonly AiTagSuggestion[];
    /** How many images the suggestions are over; with more than one, each says for how many of them it is suggested. */
    readonly imageCount: number;
    /** Both reject when the decision was not made; the list stays as it was. */
    readonly onAccept: (names: string[]) => Promise<unknown>;
    readonly onReject: (names: string[]) => Promise<unknown>;
    /** Shown when nothing is pending; nothing is rendered without it. */
    readonly emptyText?: string;
}

/** A confidence of 0..1 as a whole percentage, for people. */
export function confidenceText(confidence: number | undefined): string | undefined {
    return confidence === undefined ? undefined : nls.localize('imageparser/viewer/ai/confidence', '{0}%', Math.round(Math.min(1, Math.max(0, confidence)) * 100));
}

/**
 * The AI tags suggested for an image or a selection, each with its
 * confidence and Accept / Reject, and Accept all / Reject all. Every action
 * is a button (Tab, Enter, Space); ↑/↓ move between the suggestions. Hooks
 * for tests: `data-ai-tag` on each suggestion, `data-action` on each button.
 * The icons are spelled as codicon() spells them: the file stays clear of the
 * widget module, so it renders outside a browser too.
 */
export function AiTagSuggestions({ suggestions, imageCount, onAccept, onReject, emptyText }: AiTagSuggestionsProps): React.ReactElement | null {
    const [busy, setBusy] = React.useState(false);
    if (!suggestions.length && !emptyText) {
        return null;
    }
    const decide = (action: (names: string[]) => Promise<unknown>, names: string[]) => {
        setBusy(true);
        action(names).catch(() => undefined).finally(() => setBusy(false));
    };
    const names = suggestions.map(suggestion => suggestion.name);
    const moveFocus = (event: React.KeyboardEvent<HTMLLIElement>) => {
        const row = event.currentTarget;
        const next = event.key === 'ArrowDown' ? row.nextElementSibling : event.key === 'ArrowUp' ? row.previousElementSibling : undefined;
        const action = (event.target as HTMLElement).closest('[data-action]')?.getAttribute('data-action') ?? 'accept';
        const target = next?.querySelector<HTMLButtonElement>(`[data-action="${action}"]`);
        if (target) {
            event.preventDefault();
            target.focus();
        }
    };
    return <section className='imageparser-ai-suggestions' data-ai-suggestions aria-label={nls.localize('imageparser/viewer/ai/suggestions', 'AI tag suggestions')}>
        <div className='imageparser-viewer-section-label'>{nls.localize('imageparser/viewer/ai/suggestions', 'AI tag suggestions')}</div>
        {!suggestions.length && <div className='imageparser-viewer-empty'>{emptyText}</div>}
        {suggestions.length > 0 && <ul className='imageparser-ai-suggestion-list'>
            {suggestions.map(suggestion => <li key={suggestion.name} className='imageparser-ai-suggestion' data-ai-tag={suggestion.name} onKeyDown={moveFocus}>
                <span className='imageparser-ai-suggestion-name'>{suggestion.name}</span>
                {suggestion.confidence !== undefined && <span className='imageparser-ai-suggestion-confidence'
                    title={nls.localize('imageparser/viewer/ai/confidenceTitle', 'How sure the model is')}>{confidenceText(suggestion.confidence)}</span>}
                {imageCount > 1 && <span className='imageparser-ai-suggestion-count'>
                    {plural(imageCount, nls.localize('imageparser/viewer/ai/suggestedFor/one', '{0} of {1} image', suggestion.assetCount, imageCount),
                        nls.localize('imageparser/viewer/ai/suggestedFor/other', '{0} of {1} images', suggestion.assetCount, imageCount))}
                </span>}
                <button type='button' className={`imageparser-ai-suggestion-button codicon codicon-check`} data-action='accept' disabled={busy}
                    title={nls.localize('imageparser/viewer/ai/accept', 'Accept the AI tag {0}', suggestion.name)}
                    aria-label={nls.localize('imageparser/viewer/ai/accept', 'Accept the AI tag {0}', suggestion.name)}
                    onClick={() => decide(onAccept, [suggestion.name])} />
                <button type='button' className={`imageparser-ai-suggestion-button codicon codicon-close`} data-action='reject' disabled={busy}
                    title={nls.localize('imageparser/viewer/ai/reject', 'Reject the AI tag {0}', suggestion.name)}
                    aria-label={nls.localize('imageparser/viewer/ai/reject', 'Reject the AI tag {0}', suggestion.name)}
                    onClick={() => decide(onReject, [suggestion.name])} />
            </li>)}
        </ul>}
        {suggestions.length > 1 && <div className='imageparser-ai-suggestion-actions'>
            <button type='button' className='theia-button secondary' data-action='accept-all' disabled={busy} onClick={() => decide(onAccept, names)}>
                {nls.localize('imageparser/viewer/ai/acceptAll', 'Accept all')}
            </button>
            <button type='button' className='theia-button secondary' data-action='reject-all' disabled={busy} onClick={() => decide(onReject, names)}>
                {nls.localize('imageparser/viewer/ai/rejectAll', 'Reject all')}
            </button>
        </div>}
    </section>;
}
