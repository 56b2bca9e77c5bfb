import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { PhaseContribution } from '../../extensions/archive-core/src/node/jobs/phase-contribution';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { writeNoisePngs } from '../ingest/generated-images';
import { disposeArchiveTestContainer, ingest, phaseContainer } from './phase-test-archive';

/** The noise PNGs a phase spec indexes: how many, their side in pixels, and the seed of their noise. */
export interface PhaseSuiteArt {
    readonly images: number;
    readonly size: number;
    readonly seed: number;
}

/** A real archive of a phase spec, in its own folder, with its backend's phase services. */
export interface PhaseTestArchive {
    readonly folder: string;
    readonly container: Container;
}

/** The archives of a phase spec over one folder of noise PNGs (see {@link usePhaseArchives}). */
export interface PhaseArchives {
    /** The folder of noise PNGs (once the suite's `beforeAll` ran). */
    readonly art: string;
    /** A new archive (`name`, else `archive-N`) with these phases, not yet indexed; disposed after the test. */
    create(phases: readonly PhaseContribution[], name?: string): PhaseTestArchive;
    /** A new archive with these phases that has indexed {@link art}; disposed after the test. */
    indexed(phases: readonly PhaseContribution[]): Promise<PhaseTestArchive>;
}

/**
 * Registers the hooks of a `describe` block whose tests run phases on real
 * archives: before all, the noise PNGs in a temp folder; after each test,
 * every archive it made disposed (`beforeDispose` first, for what the spec
 * bound into the container); after all, the temp folder removed.
 */
export function usePhaseArchives(art: PhaseSuiteArt, beforeDispose?: (container: Container) => Promise<void>): PhaseArchives {
    let temp: ReturnType<typeof makeTempFolder>;
    let artFolder: string;
    let count = 0;
    const containers: Container[] = [];

    beforeAll(async () => {
        temp = makeTempFolder();
        artFolder = path.join(temp.folder, 'art');
        await writeNoisePngs(artFolder, art.images, art.size, art.seed);
    }, 60_000);
    afterEach(async () => {
        for (const container of containers.splice(0)) {
            await beforeDispose?.(container);
            await disposeArchiveTestContainer(container);
        }
    });
    afterAll(() => temp.remove());

    const create = (phases: readonly PhaseContribution[], name = `archive-${++count}`): PhaseTestArchive => {
        const folder = path.join(temp.folder, name);
        const container = phaseContainer(folder, phases);
        containers.push(container);
        return { folder, container };
    };
    return {
        get art() {
            return artFolder;
        },
        create,
        async indexed(phases) {
            const archive = create(phases);
            await ingest(archive.container, artFolder);
            return archive;
        }
    };
}
