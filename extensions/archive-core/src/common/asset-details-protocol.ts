export const ASSET_DETAILS_SERVICE_PATH = '/services/imageparser/asset-details';

/** One file holding the asset's content (copies share an asset). */
export interface AssetFileDetails {
    readonly path: string;
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

/** One layer, in document order (top of the layers panel first); `idx` names it in render requests. */
export interface AssetLayerDetails {
    readonly idx: number;
    readonly parentIdx?: number;
    readonly depth: number;
    readonly name: string;
    /** pixel, group, text, adjustment, shape, smart-object, fill… */
    readonly kind: string;
    readonly visible: boolean;
    readonly opacity: number;
    readonly blendMode?: string;
    readonly clipping: boolean;
    readonly bounds?: { readonly top: number; readonly left: number; readonly bottom: number; readonly right: number };
    readonly text?: string;
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
    readonly tags: readonly string[];
    /** First registered in the archive. */
    readonly registeredAt: string;
    /** Last indexed (the parse phase's time). */
    readonly indexedAt?: string;
    readonly notes?: string;
    readonly files: readonly AssetFileDetails[];
    readonly layers: readonly AssetLayerDetails[];
    readonly phases: readonly AssetPhaseDetails[];
}

export const AssetDetailsService = Symbol('AssetDetailsService');

export interface AssetDetailsService {
    /** The asset's details; undefined when there is no such asset. */
    details(assetId: number): Promise<AssetDetails | undefined>;
}
