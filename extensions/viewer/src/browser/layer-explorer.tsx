import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import { codicon } from '@theia/core/lib/browser/widgets/widget';
import type { AssetLayerDetails } from '@imageparser/archive-core/lib/common/asset-details-protocol';
import { MediaRoutes } from '@imageparser/archive-core/lib/common/media-protocol';
import { enlargeSmallImage } from '@imageparser/archive-core/lib/browser/small-image';
import { AssetLabels } from '@imageparser/archive-core/lib/browser/asset-labels';
import { approximationText } from './approximation-text';
import type { ViewerModel } from './viewer-model';

export interface LayerExplorerProps {
    readonly model: ViewerModel;
}

/**
 * The PSD's layer tree, top of the stack first: groups fold, each layer shows
 * a small thumbnail, its kind, blend mode, opacity and, for text layers, the
 * text. The eye switches a layer on or off and "solo" shows it alone; both
 * re-render the composite on the backend. What the renderer approximates is
 * stated under the tree.
 */
export function LayerExplorer({ model }: LayerExplorerProps): React.ReactElement {
    const [folded, setFolded] = React.useState<ReadonlySet<number>>(new Set());
    const layers = model.layers;
    const assetId = model.assetId!;
    // The original bytes are gone (an earlier version, or a missing file): the tree is shown as indexed, nothing can be re-rendered.
    const readOnly = model.previewOnly;
    const hiddenByFold = (layer: AssetLayerDetails): boolean => {
        for (let parent = layer.parentIdx; parent !== undefined; parent = layers[parent]?.parentIdx) {
            if (folded.has(parent)) {
                return true;
            }
        }
        return false;
    };
    const toggleFold = (idx: number) => {
        const next = new Set(folded);
        if (!next.delete(idx)) {
            next.add(idx);
        }
        setFolded(next);
    };
    return <div className='imageparser-viewer-layers'>
        <div className='imageparser-viewer-layers-bar'>
            <span>{plural(layers.length, nls.localize('imageparser/viewer/layerCount/one', '{0} layer', layers.length),
                nls.localize('imageparser/viewer/layerCount/other', '{0} layers', layers.length))}</span>
            {model.rendering && <span className='imageparser-viewer-busy'>{nls.localize('imageparser/viewer/rendering', 'Rendering…')}</span>}
            {!readOnly && <button type='button' className='theia-button secondary' disabled={!model.hasLayerChanges} onClick={() => model.resetLayers()}>
                {nls.localize('imageparser/viewer/resetLayers', 'Show as saved')}
            </button>}
        </div>
        <ul className='imageparser-viewer-layer-tree' role='tree' aria-label={nls.localize('imageparser/viewer/layers', 'Layers')}>
            {layers.filter(layer => !hiddenByFold(layer)).map(layer => {
                const visible = model.isVisible(layer);
                const isGroup = layer.kind === 'group';
                return <li key={layer.idx} role='treeitem' aria-level={layer.depth + 1} aria-expanded={isGroup ? !folded.has(layer.idx) : undefined}
                    className={`imageparser-viewer-layer${visible ? '' : ' hidden'}${model.solo === layer.idx ? ' solo' : ''}`}
                    data-layer-idx={layer.idx} style={{ paddingLeft: `${layer.depth * 14 + 4}px` }}>
                    {isGroup
                        ? <button type='button' className={`imageparser-viewer-fold ${codicon(folded.has(layer.idx) ? 'chevron-right' : 'chevron-down')}`}
                            aria-label={nls.localize('imageparser/viewer/foldGroup', 'Fold or unfold {0}', layer.name)} onClick={() => toggleFold(layer.idx)} />
                        : <span className='imageparser-viewer-fold' />}
                    {readOnly ? <span className={`imageparser-viewer-eye ${codicon(visible ? 'eye' : 'eye-closed')}`} /> : <button type='button' className={`imageparser-viewer-eye ${codicon(visible ? 'eye' : 'eye-closed')}`} aria-pressed={visible}
                        title={visible ? nls.localize('imageparser/viewer/hideLayer', 'Hide {0}', layer.name) : nls.localize('imageparser/viewer/showLayer', 'Show {0}', layer.name)}
                        aria-label={visible ? nls.localize('imageparser/viewer/hideLayer', 'Hide {0}', layer.name) : nls.localize('imageparser/viewer/showLayer', 'Show {0}', layer.name)}
                        onClick={() => model.toggleLayer(layer)} />}
                    {isGroup || readOnly
                        ? <span className={`imageparser-viewer-layer-thumb ${codicon(isGroup ? 'folder' : 'file-media')}`} />
                        : <img className='imageparser-viewer-layer-thumb' loading='lazy' alt='' src={MediaRoutes.layerThumbnailUrl(assetId, layer.idx)}
                            onLoad={event => enlargeSmallImage(event.currentTarget)}
                            onError={event => (event.target as HTMLImageElement).style.visibility = 'hidden'} />}
                    <span className='imageparser-viewer-layer-text'>
                        <span className='imageparser-viewer-layer-name'>{layer.clipping && <span className={codicon('arrow-small-down')} title={nls.localize('imageparser/viewer/clipped', 'Clipped to the layer below')} />}{layer.name || nls.localize('imageparser/viewer/unnamed', '(unnamed)')}</span>
                        <span className='imageparser-viewer-layer-meta'>
                            {[AssetLabels.layerKind(layer.kind), layer.blendMode && layer.blendMode !== 'normal' && layer.blendMode !== 'pass through' ? AssetLabels.blendMode(layer.blendMode) : undefined,
                                layer.opacity < 1 ? `${Math.round(layer.opacity * 100)}%` : undefined].filter(Boolean).join(' · ')}
                        </span>
                        {layer.text && <span className='imageparser-viewer-layer-content'>“{layer.text}”</span>}
                    </span>
                    {!readOnly && <button type='button' className={`imageparser-viewer-solo${model.solo === layer.idx ? ' active' : ''}`} aria-pressed={model.solo === layer.idx}
                        title={nls.localize('imageparser/viewer/soloLayer', 'Show only {0}', layer.name)} onClick={() => model.toggleSolo(layer)}>
                        {nls.localize('imageparser/viewer/solo', 'Solo')}
                    </button>}
                </li>;
            })}
        </ul>
        <div className='imageparser-viewer-note'>
            {readOnly
                ? nls.localize('imageparser/viewer/layersAsIndexed', 'The layer tree as it was indexed. It cannot be rendered again: the file no longer holds this content.')
                : nls.localize('imageparser/viewer/renderNote', 'Rendered here: normal blending, opacity, groups, clipping and layer masks exactly; other blend modes by the standard formulas. Layer effects, adjustment layers and vector masks are not drawn.')}
        </div>
        {model.approximations.map(note => approximationText(note)).map(text => <div key={text} className='imageparser-viewer-note warning'>{text}</div>)}
    </div>;
}
