import * as fs from 'fs';
import * as path from 'path';
import type { ProviderHealth } from '../../extensions/archive-core/src/common/job-protocol';
import type { CaptionSettings } from '../../extensions/archive-core/src/node/inference/ai-settings';
import type { Captioner, CaptionerProvider } from '../../extensions/archive-core/src/node/inference/captioner';
import type { ImageEmbedder, ImageEmbedderProvider, ModelFolderInfo } from '../../extensions/archive-core/src/node/inference/image-embedder';
import type { TextEmbedder, TextEmbedderProvider } from '../../extensions/archive-core/src/node/inference/text-embedder';

/**
 * Model families for tests: a model is a folder with `model.json`
 * (`{ "name": …, "bytes": … }`), checked as a real provider checks its
 * folder. The "model" computes a vector from a text's characters; only it
 * is a test double.
 */
abstract class FolderModelProvider {
    /** Paths loaded, in order. */
    readonly loads: string[] = [];
    readonly inspected: string[] = [];

    constructor(readonly id: string) { }

    async validate(modelPath: string): Promise<ProviderHealth> {
        if (!fs.existsSync(modelPath)) {
            return { state: 'invalid', code: 'folder-missing', message: `The model folder ${modelPath} does not exist.` };
        }
        if (!fs.statSync(modelPath).isDirectory()) {
            return { state: 'invalid', code: 'wrong-files', message: `${modelPath} is a file; the ${this.id} provider reads a folder.` };
        }
        const file = path.join(modelPath, 'model.json');
        if (!fs.existsSync(file)) {
            return { state: 'invalid', code: 'file-missing', message: `The model folder ${modelPath} has no model.json.` };
        }
        try {
            const { name, bytes } = JSON.parse(fs.readFileSync(file, 'utf8'));
            return typeof name === 'string' && typeof bytes === 'number' ? { state: 'ready' }
                : { state: 'invalid', code: 'wrong-files', message: `${file} names no model.` };
        } catch (error) {
            return { state: 'invalid', code: 'wrong-files', message: `${file} is not JSON: ${error instanceof Error ? error.message : String(error)}` };
        }
    }

    async inspect(modelPath: string): Promise<ModelFolderInfo> {
        this.inspected.push(modelPath);
        const { name, bytes } = JSON.parse(fs.readFileSync(path.join(modelPath, 'model.json'), 'utf8'));
        return { modelId: `${this.id}/${name}`, bytes };
    }

    protected embed(text: string): Float32Array {
        const vector = new Float32Array(8);
        [...text].forEach((char, i) => vector[i % 8] += char.codePointAt(0)! % 17);
        const norm = Math.hypot(...vector) || 1;
        return vector.map(value => value / norm);
    }
}

export class TestImageEmbedderProvider extends FolderModelProvider implements ImageEmbedderProvider {
    async load(modelPath: string): Promise<ImageEmbedder> {
        this.loads.push(modelPath);
        const { modelId } = await this.inspect(modelPath);
        return {
            modelId, dimensions: 8, imageSize: 64,
            embedImages: async images => images.map(image => this.embed(String(image.rgb.width))),
            embedTexts: async texts => texts.map(text => this.embed(text)),
            dispose: async () => undefined
        };
    }
}

export class TestTextEmbedderProvider extends FolderModelProvider implements TextEmbedderProvider {
    async load(modelPath: string): Promise<TextEmbedder> {
        this.loads.push(modelPath);
        const { modelId } = await this.inspect(modelPath);
        return { modelId, dimensions: 8, embed: async texts => texts.map(text => this.embed(text)), dispose: async () => undefined };
    }
}

/** A captioner family whose check asks the endpoint's `/models` over real HTTP; its captioner only records that it was disposed. */
export class TestCaptionerProvider implements CaptionerProvider {
    readonly created: (Captioner & { disposed: boolean })[] = [];

    constructor(readonly id = 'openai-compatible') { }

    async validate(settings: CaptionSettings): Promise<ProviderHealth> {
        let url: URL;
        try {
            url = new URL(settings.endpoint);
        } catch {
            return { state: 'invalid', code: 'invalid-url', message: `${settings.endpoint} is not a URL.` };
        }
        try {
            const response = await fetch(`${url.href.replace(/\/$/, '')}/models`, { signal: AbortSignal.timeout(2000) });
            return response.ok ? { state: 'ready' } : { state: 'down', code: 'endpoint-down', message: `${url.href} answered HTTP ${response.status}.` };
        } catch (error) {
            return { state: 'down', code: 'endpoint-down', message: `${url.href} does not answer: ${error instanceof Error ? error.message : String(error)}` };
        }
    }

    create(settings: CaptionSettings): Captioner {
        const captioner = {
            modelId: `${this.id}/${new URL(settings.endpoint).host}/${settings.model}`,
            disposed: false,
            caption: async () => ({ captions: [], tags: [] }),
            health: (): ProviderHealth => ({ state: 'ready' }),
            dispose: () => captioner.disposed = true
        };
        this.created.push(captioner);
        return captioner;
    }
}

/** Writes a test model folder. */
export function writeTestModel(folder: string, name: string, bytes: number): string {
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'model.json'), JSON.stringify({ name, bytes }));
    return folder;
}
