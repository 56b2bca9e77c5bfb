// Type-only: the layer record's fields, not the reader, come to the browser.
import type { LayerRecord } from '@imageparser/psd/lib/psd-layers';
import type { AssetAiDetails } from './ai-protocol';
import type { AssetLocation } from './asset-location';

export const ASSET_DETAILS_SERVICE_PATH = '/services/imageparser/asset-details';

/** One file holding the asset's content (copies share an asset). */
export interface AssetFileDetails {
    /** Where the file lies, for display; `LocalPathService` answers its OS path where a desktop action needs it. */
    readonly location: AssetLocation;
    readonly size: number;
    /** The file's modification time, ISO 8601. */
    readonly modifiedAt: string;
    /** indexed, missing, error, pending… */
    readonly state: string;
    readonly errorCode?: string;
    readonly error?: string;
    /** When the file was last indexed or checked. */
    readonly updatedAt: string;
}

/**
 * One layer, in document order (top of the layers panel first); `idx` names
 * it in render requests. The PSD reader's layer record, as the archive keeps it.
 */
export interface AssetLayerDetails extends Omit<LayerRecord, 'kind'> {
    /** pixel, group, text, adjustment, shape, smart-object, fill… (a string: an archive keeps what earlier readers stored) */
    readonly kind: string;
}

export interface AssetPhaseDetails {
    readonly phase: string;
    readonly state: string;
    readonly error?: string;
    readonly updatedAt: string;
}

/** Everything the metadata panel shows about one asset. */
export interface AssetDetails {
    readonly assetId: number;
    readonly contentHash: string;
    readonly kind: string;
    readonly width?: number;
    readonly height?: number;
    readonly colorMode?: string;
    readonly colorSpace?: string;
    readonly bitDepth?: number;
    readonly dpi?: number;
    readonly hasAlpha?: boolean;
    readonly iccProfile?: string;
    /** EXIF: orientation (1-8), capture time, camera, software. */
    readonly orientation?: number;
    readonly capturedAt?: string;
    readonly camera?: string;
    readonly software?: string;
    readonly rating: number;
    /** The user's tags (accepted AI tags among them); AI tags nobody decided on yet are suggestions, in `ai.aiTags`. */
    readonly tags: readonly string[];
    /** First registered in the archive. */
    readonly registeredAt: string;
    /** Last indexed (the parse phase's time). */
    readonly indexedAt?: string;
    readonly notes?: string;
    /**
     * Whether the asset is only an earlier version of a file: no file holds
     * its content any more, so its original bytes are gone and the viewer
     * shows its stored preview. Such an asset never shows in search.
     */
    readonly superseded?: boolean;
    readonly files: readonly AssetFileDetails[];
    readonly layers: readonly AssetLayerDetails[];
    readonly phases: readonly AssetPhaseDetails[];
    /** What the AI phases made of the asset: captions, AI tags, OCR text and the models behind each; absent when they made nothing yet. */
    readonly ai?: AssetAiDetails;
}

/** One content a file held (or holds); its thumbnail and preview come from the media routes by `assetId`. */
export interface AssetVersion {
    readonly assetId: number;
    readonly contentHash: string;
    /** The file's size and modification time (ISO 8601) when it held this content. */
    readonly size: number;
    readonly modifiedAt: string;
    /** When the archive first saw the file with this content, and when it saw other content there instead. */
    readonly firstSeenAt: string;
    readonly replacedAt?: string;
    /** Whether the file holds this content now. */
    readonly current: boolean;
    /** Whether no file holds this content any more: only its stored thumbnail, preview and layer tree remain. */
    readonly superseded: boolean;
}

/** The history of one file's content. */
export interface FileVersions {
    /** The file, for display (never an OS path). */
    readonly location: AssetLocation;
    /** Newest first: the current version, then each earlier one. */
    readonly versions: readonly AssetVersion[];
}

export const AssetDetailsService = Symbol('AssetDetailsService');

export interface AssetDetailsService {
    /** The asset's details; undefined when there is no such asset. */
    details(assetId: number): Promise<AssetDetails | undefined>;
    /**
     * The versions of the file this asset belongs to (the file holding it
     * now, of several the one with the longest history, else the file it is
     * an earlier version of); undefined when no file ever held it.
     */
    versions(assetId: number): Promise<FileVersions | undefined>;
}
