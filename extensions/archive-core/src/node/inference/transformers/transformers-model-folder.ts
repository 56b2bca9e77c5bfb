import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ProviderHealth } from '../../../common/job-protocol';
import type { ModelFolderInfo } from '../image-embedder';

/**
 * Why a model folder cannot be used, with a stable code the views translate:
 * `no-path` (nothing set: the provider answers `not-configured`),
 * `path-not-absolute`, `folder-missing`, `not-a-folder`, `folder-unreadable`,
 * `file-missing`, `wrong-file` (a weights file that is not ONNX),
 * `config-unreadable`, `wrong-family`, `tokenizer-no-pad`, `load-failed`
 * (the files are there but the runtime cannot load them).
 */
export class ModelFolderError extends Error {
    constructor(readonly code: string, message: string) {
        super(message);
        this.name = 'ModelFolderError';
    }
}

/** The ONNX weights of one part of a model (`vision_model`, `text_model`, `model`) as found in `onnx/`. */
export interface OnnxWeights {
    /** transformers.js' `model_file_name`. */
    readonly name: string;
    /** The precision whose file is there (`fp32` unless only a quantized or half-precision export is). */
    readonly dtype: OnnxDtype;
    /** Whether the weights lie beside the graph in `<file>.onnx_data` (models over 2 GB). */
    readonly externalData: boolean;
    /** The graph's and its external data's bytes on disk. */
    readonly bytes: number;
    /** The file, relative to the folder. */
    readonly file: string;
}

export type OnnxDtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'q4f16' | 'bnb4';

/** The file-name suffix transformers.js looks for per precision, in the order one is preferred. */
const DTYPE_SUFFIXES: readonly (readonly [OnnxDtype, string])[] = [
    ['fp32', ''], ['fp16', '_fp16'], ['q8', '_quantized'], ['int8', '_int8'], ['uint8', '_uint8'], ['q4', '_q4'], ['q4f16', '_q4f16'], ['bnb4', '_bnb4']
];

/** A model folder as read without loading it: its `config.json` and the ONNX files found for each part. */
export interface ModelFolder {
    readonly path: string;
    readonly config: Readonly<Record<string, unknown>>;
    readonly weights: readonly OnnxWeights[];
    /** The folder's model id and size. */
    readonly info: ModelFolderInfo;
}

export interface ModelFolderRequirements {
    /** The files beside `config.json` the family needs (`tokenizer.json`, `preprocessor_config.json`). */
    readonly files: readonly string[];
    /** The ONNX parts under `onnx/` (`vision_model`, `text_model`). */
    readonly onnx: readonly string[];
    /** Throws a `wrong-family` {@link ModelFolderError} when `config.json` names a model this provider does not run. */
    checkFamily(config: Readonly<Record<string, unknown>>, folder: string): void;
    /** Files whose content changes what the model answers (pooling, prompts); hashed into the model id when present. */
    readonly optional?: readonly string[];
}

/**
 * Reads a model folder the way a provider needs it: an absolute path to a
 * folder holding `config.json`, the files the family needs and its ONNX
 * weights; throws a {@link ModelFolderError} naming what is wrong. Reads
 * only small JSON files and file sizes, never the weights.
 */
export async function readModelFolder(modelPath: string, requirements: ModelFolderRequirements): Promise<ModelFolder> {
    if (typeof modelPath !== 'string' || modelPath.trim() === '') {
        throw new ModelFolderError('no-path', 'No model folder is set.');
    }
    if (!path.isAbsolute(modelPath)) {
        throw new ModelFolderError('path-not-absolute', `The model path "${modelPath}" is not an absolute folder path; models load from local folders only.`);
    }
    const stat = await fs.promises.stat(modelPath).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'ENOTDIR') {
            throw new ModelFolderError('folder-missing', `The model folder ${modelPath} does not exist.`);
        }
        throw new ModelFolderError('folder-unreadable', `The model folder ${modelPath} cannot be read: ${error.message}`);
    });
    if (!stat.isDirectory()) {
        const hint = /\.gguf$/i.test(modelPath) ? ' A GGUF file is run by the llama-cpp provider.' : '';
        throw new ModelFolderError('not-a-folder', `The model path ${modelPath} is a file, not a folder.${hint}`);
    }
    const config = await readJsonFile(modelPath, 'config.json');
    requirements.checkFamily(config, modelPath);
    const weights = await Promise.all(requirements.onnx.map(name => findWeights(modelPath, name)));
    const missing = [
        ...(await Promise.all(requirements.files.map(async file => await isFile(path.join(modelPath, file)) ? undefined : file))),
        ...requirements.onnx.filter((name, i) => weights[i] === undefined).map(name => `onnx/${name}.onnx`)
    ].filter((file): file is string => file !== undefined);
    if (missing.length > 0) {
        throw new ModelFolderError('file-missing', `The model folder ${modelPath} lacks ${missing.join(', ')}.`);
    }
    const found = weights as OnnxWeights[];
    await Promise.all(found.map(weight => checkOnnxFile(modelPath, weight.file)));
    return { path: modelPath, config, weights: found, info: await folderInfo(modelPath, requirements, found) };
}

/** A JSON file of the folder as an object; `file-missing` or `config-unreadable` when it is not one. */
export async function readJsonFile(folder: string, file: string): Promise<Record<string, unknown>> {
    let text: string;
    try {
        text = await fs.promises.readFile(path.join(folder, file), 'utf8');
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw code === 'ENOENT'
            ? new ModelFolderError('file-missing', `The model folder ${folder} lacks ${file}.`)
            : new ModelFolderError('config-unreadable', `${file} in ${folder} cannot be read: ${(error as Error).message}`);
    }
    try {
        const value = JSON.parse(text.replace(/^\uFEFF/, ''));
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
            return value;
        }
    } catch {
        // Answered below, as any other content that is not a JSON object.
    }
    throw new ModelFolderError('config-unreadable', `${file} in ${folder} is not a JSON object.`);
}

/** The same folder's health, as `validate()` answers it: never throws. */
export function folderHealth(error: unknown): ProviderHealth {
    if (error instanceof ModelFolderError) {
        return { state: error.code === 'no-path' ? 'not-configured' : 'invalid', code: error.code, message: error.message };
    }
    return { state: 'invalid', code: 'folder-unreadable', message: error instanceof Error ? error.message : String(error) };
}

/**
 * The first bytes of an ONNX file are a protobuf `ModelProto`'s first field
 * tag (`ir_version` 0x08 as exporters write it, or another of its fields);
 * a GGUF, safetensors or text file, or an empty one, is refused here
 * rather than by the runtime's parser.
 */
async function checkOnnxFile(folder: string, file: string): Promise<void> {
    const handle = await fs.promises.open(path.join(folder, file), 'r');
    try {
        const { bytesRead, buffer } = await handle.read(Buffer.alloc(24), 0, 24, 0);
        const tags = new Set([0x08, 0x12, 0x1a, 0x22, 0x28, 0x32, 0x3a, 0x42, 0x72, 0x7a, 0x82]);
        if (bytesRead === 0 || !tags.has(buffer[0])) {
            const head = buffer.subarray(0, bytesRead).toString('latin1');
            const start = bytesRead === 0 ? 'it is empty'
                : head.startsWith('version https://git-lfs') ? 'it is a Git LFS pointer: the weights themselves were never fetched'
                    : `it starts with ${JSON.stringify(head.slice(0, 8))}`;
            throw new ModelFolderError('wrong-file', `${file} in ${folder} is not an ONNX model (${start}).`);
        }
    } finally {
        await handle.close();
    }
}

/** The weights a folder loads, for the log: `onnx/vision_model.onnx fp32, onnx/text_model_quantized.onnx q8`. */
export function describeWeights(folder: ModelFolder): string {
    return folder.weights.map(weight => `${weight.file} ${weight.dtype}`).join(', ');
}

async function findWeights(folder: string, name: string): Promise<OnnxWeights | undefined> {
    for (const [dtype, suffix] of DTYPE_SUFFIXES) {
        const file = `onnx/${name}${suffix}.onnx`;
        const graph = await fileSize(path.join(folder, file));
        if (graph !== undefined) {
            const data = await fileSize(path.join(folder, `${file}_data`));
            return { name, dtype, externalData: data !== undefined, bytes: graph + (data ?? 0), file };
        }
    }
    return undefined;
}

/**
 * `transformers/<folder name>@<12 hex digits>`: the hash covers what makes
 * the model answer differently (its configs, its weights' names and sizes),
 * not where the folder lies, so a copied folder keeps its id and cached vectors.
 */
async function folderInfo(folder: string, requirements: ModelFolderRequirements, weights: readonly OnnxWeights[]): Promise<ModelFolderInfo> {
    const hash = createHash('sha256');
    const small = ['config.json', ...requirements.files.filter(file => file !== 'tokenizer.json' && file.endsWith('.json')), ...(requirements.optional ?? [])];
    for (const file of small) {
        const content = await fs.promises.readFile(path.join(folder, file)).catch(() => undefined);
        hash.update(`${file}\0${content === undefined ? '-' : content.toString('base64')}\0`);
    }
    hash.update(`tokenizer.json\0${await fileSize(path.join(folder, 'tokenizer.json')) ?? '-'}\0`);
    weights.forEach(weight => hash.update(`${weight.file}\0${weight.bytes}\0`));
    const name = path.basename(folder).replace(/[^\p{L}\p{N}._-]+/gu, '-');
    return {
        modelId: `transformers/${name}@${hash.digest('hex').slice(0, 12)}`,
        bytes: weights.reduce((sum, weight) => sum + weight.bytes, 0)
    };
}

async function fileSize(file: string): Promise<number | undefined> {
    const stat = await fs.promises.stat(file).catch(() => undefined);
    return stat?.isFile() ? stat.size : undefined;
}

async function isFile(file: string): Promise<boolean> {
    return (await fileSize(file)) !== undefined;
}
