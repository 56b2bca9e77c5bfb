import { ContainerModule } from '@theia/core/shared/inversify';

/**
 * The lightbox, compare view, PSD layer explorer and the metadata, tag,
 * rating and comment panels. They read assets through archive-core's protocol.
 */
export default new ContainerModule(() => {
    // The lightbox and its panels are bound here as they land.
});
