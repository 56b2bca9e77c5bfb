import type { AiTagSuggestion } from './ai-protocol';

export const ANNOTATION_SERVICE_PATH = '/services/imageparser/annotations';

/** One version of a comment: the first is what was written, each later one an edit. */
export interface CommentRevision {
    readonly revision: number;
    readonly body: string;
    readonly author: string;
    /** ISO 8601. */
    readonly writtenAt: string;
}

export interface AssetComment {
    readonly id: number;
    readonly assetId: number;
    /** Who wrote it first. */
    readonly author: string;
    /** The current text. */
    readonly body: string;
    readonly createdAt: string;
    readonly updatedAt: string;
    /** Every version, oldest first; the last is the current one. */
    readonly revisions: readonly CommentRevision[];
}

/** `ai-tags-accepted` / `ai-tags-rejected`: decisions on AI tag suggestions (accepted ones became user tags). */
export type EditKind = 'tags-added' | 'tags-removed' | 'rating' | 'ai-tags-accepted' | 'ai-tags-rejected';

/** What one tag or rating edit, or decision on AI tag suggestions, changed, as the journal keeps it for undo. */
export interface EditRecord {
    readonly id: number;
    readonly kind: EditKind;
    readonly author: string;
    readonly madeAt: string;
    /** The assets the edit changed (those it did not change are not listed). */
    readonly assetIds: readonly number[];
    /** The tags added or removed, or the new rating. */
    readonly tags?: readonly string[];
    readonly rating?: number;
}

/** An edit and what it changed; `record` is undefined when it changed nothing (nothing to undo). */
export interface EditOutcome {
    readonly changed: number;
    readonly record?: EditRecord;
}

export const AnnotationService = Symbol('AnnotationService');

/**
 * Tags, ratings and comments. Every edit is committed at once (and so found
 * by search at once); tag and rating edits go to a journal that `undo` walks
 * back, newest first, per author; so do decisions on AI tag suggestions.
 */
export interface AnnotationService {
    addTags(assetIds: readonly number[], tags: readonly string[]): Promise<EditOutcome>;
    removeTags(assetIds: readonly number[], tags: readonly string[]): Promise<EditOutcome>;
    /** Rating 0 (none) to 5 for every asset, in one transaction. */
    setRating(assetIds: readonly number[], rating: number): Promise<EditOutcome>;
    /** Undoes the caller's latest tag or rating edit not undone yet; undefined when there is none. */
    undo(): Promise<EditRecord | undefined>;
    /** The latest edit `undo` would take back, if any. */
    lastEdit(): Promise<EditRecord | undefined>;
    /**
     * The AI tags suggested for these assets that nobody decided on yet and
     * that are not their user tags already, one row per tag with how many of
     * the assets it is suggested for; most confident first.
     */
    aiTagSuggestions(assetIds: readonly number[]): Promise<AiTagSuggestion[]>;
    /**
     * Accepts these AI tags on every one of the assets they were suggested
     * for: they become user tags, the decision is remembered, and `undo`
     * takes it back (the suggestions are pending again).
     */
    acceptAiTags(assetIds: readonly number[], names: readonly string[]): Promise<EditOutcome>;
    /**
     * Rejects these AI tags on every one of the assets they were suggested
     * for: they are never suggested again for those assets (also when the
     * caption phase runs again), leave their searchable tags, and `undo` takes it back.
     */
    rejectAiTags(assetIds: readonly number[], names: readonly string[]): Promise<EditOutcome>;
    /** Existing tags starting with (then containing) the text, most used first. */
    suggestTags(text: string, limit?: number): Promise<string[]>;
    tagsOf(assetId: number): Promise<string[]>;
    comments(assetId: number): Promise<AssetComment[]>;
    addComment(assetId: number, body: string): Promise<AssetComment>;
    /** A new version of the comment; the earlier ones stay in its history. */
    editComment(commentId: number, body: string): Promise<AssetComment>;
    /** Hides the comment; its history stays in the archive. */
    deleteComment(commentId: number): Promise<void>;
}
