import { onnx } from 'onnx-proto';

/** A dimension: a fixed size or a symbolic name (`batch`, `sequence`). */
export type OnnxDim = number | string;

type AttributeValue = number | number[] | { float: number };

/**
 * Writes a small ONNX graph from JS (opset 13, one default-domain graph):
 * inputs, outputs, initializers and nodes, encoded as the bytes of a
 * `.onnx` file onnxruntime loads. Only what the tiny test models need.
 */
export class OnnxGraph {
    static readonly OPSET = 13;

    protected readonly nodes: onnx.INodeProto[] = [];
    protected readonly initializers: onnx.ITensorProto[] = [];
    protected readonly inputs: onnx.IValueInfoProto[] = [];
    protected readonly outputs: onnx.IValueInfoProto[] = [];
    protected counter = 0;

    constructor(protected readonly name: string) { }

    input(name: string, type: 'float' | 'int64', dims: OnnxDim[]): string {
        this.inputs.push(valueInfo(name, type, dims));
        return name;
    }

    output(name: string, type: 'float' | 'int64', dims: OnnxDim[]): string {
        this.outputs.push(valueInfo(name, type, dims));
        return name;
    }

    /** A float32 initializer; answers its name. */
    floats(name: string, dims: number[], values: ArrayLike<number>): string {
        const data = Float32Array.from(values);
        if (data.length !== dims.reduce((a, b) => a * b, 1)) {
            throw new Error(`initializer ${name}: ${data.length} values for shape [${dims.join(', ')}]`);
        }
        this.initializers.push({ name, dataType: onnx.TensorProto.DataType.FLOAT, dims, rawData: new Uint8Array(data.buffer) });
        return name;
    }

    /** An int64 initializer; answers its name. */
    int64s(name: string, dims: number[], values: readonly number[]): string {
        const data = BigInt64Array.from(values.map(BigInt));
        this.initializers.push({ name, dataType: onnx.TensorProto.DataType.INT64, dims, rawData: new Uint8Array(data.buffer) });
        return name;
    }

    /**
     * Adds a node and answers its (first) output's name: `out` when given,
     * else a fresh one. Attributes: a number is an INT, `{ float }` a FLOAT, an array INTS.
     */
    node(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, out?: string): string {
        const output = out ?? `${opType.toLowerCase()}_${this.counter++}`;
        this.nodes.push({
            opType,
            name: `${opType}_${this.counter++}`,
            input: inputs,
            output: [output],
            attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value))
        });
        return output;
    }

    /** The `.onnx` file's bytes. */
    encode(): Uint8Array {
        const model = onnx.ModelProto.create({
            irVersion: 8,
            producerName: 'imageparser-tiny-models',
            opsetImport: [{ domain: '', version: OnnxGraph.OPSET }],
            graph: {
                name: this.name,
                node: this.nodes,
                initializer: this.initializers,
                input: this.inputs,
                output: this.outputs
            }
        });
        return onnx.ModelProto.encode(model).finish();
    }
}

function valueInfo(name: string, type: 'float' | 'int64', dims: OnnxDim[]): onnx.IValueInfoProto {
    return {
        name,
        type: {
            tensorType: {
                elemType: type === 'float' ? onnx.TensorProto.DataType.FLOAT : onnx.TensorProto.DataType.INT64,
                shape: { dim: dims.map(dim => typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim }) }
            }
        }
    };
}

function attribute(name: string, value: AttributeValue): onnx.IAttributeProto {
    if (Array.isArray(value)) {
        return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: value };
    }
    if (typeof value === 'number') {
        return { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
    }
    return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value.float };
}
