// @imageparser/psd: reads PSD/PSB files and composites their layers, with no Theia, no database and no DI container.
export { formatBytes } from './byte-size';
export { encodeCmykTiff } from './cmyk-tiff';
export { BAND_BYTES, BANDED_PIXELS, BandSource, collectBands, rowsPerBand, shrinkFactor } from './image-bands';
export { compositeLayerBands, compositeLayers, LayerBands, LayerVisibility, readLayeredPsd, RenderedLayers, renderSingleLayer } from './layer-compositor';
export { ParseError, ParseErrorCode } from './parse-error';
export { DEFAULT_PARSE_LIMITS, ParseLimits } from './parse-limits';
export { DecodedPsd, DecodeOptions, decodePsd } from './psd-decoder';
export { PSD_COLOR_MODES, PsdHeader, readPsdHeader } from './psd-header';
export { layerCapsProblem, measureLayerTree } from './psd-layer-caps';
export { flattenLayers, LayerKind, LayerRecord } from './psd-layers';
export { RgbaImage } from './psd-merged-image';
export type { Psd } from 'ag-psd';
export { PsdSurvey, surveyPsdBytes, surveyPsdFile } from './psd-survey';
export { RenderNote, RenderNoteCode, STORED_PIXEL_NOTES } from './render-note';
