import { Transform, TransformCallback } from 'stream';
import { checkSignature, describeExpected, SIGNATURE_BYTES } from './image-signature';
import { UploadRefusal } from './upload-refusal';
import { formatBytes } from '../../common/byte-size';

/**
 * A stream stage between an upload's body and its file: counts bytes and
 * fails with 413 as soon as they pass `maxBytes`; holds back the first bytes
 * until they show the content is what the file's name says. When it is not,
 * the rest of the body is read and dropped (so the client, done sending,
 * reliably gets the answer) and the stage fails with 415 at the end; an empty
 * body fails with 400.
 */
export class UploadBodyCheck extends Transform {

    protected received = 0;
    protected head: Buffer[] = [];
    protected headLength = 0;
    protected verdict: 'pending' | 'matches' | 'mismatch' = 'pending';

    constructor(protected readonly name: string, protected readonly maxBytes: number) {
        super();
    }

    /** Bytes received so far. */
    get size(): number {
        return this.received;
    }

    override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
        this.received += chunk.length;
        if (this.received > this.maxBytes) {
            callback(tooLarge(this.maxBytes));
            return;
        }
        if (this.verdict === 'matches') {
            callback(undefined, chunk);
            return;
        }
        if (this.verdict === 'pending') {
            this.head.push(chunk);
            this.headLength += chunk.length;
            this.decide(false);
        }
        callback();
    }

    override _flush(callback: TransformCallback): void {
        if (this.received === 0) {
            callback(new UploadRefusal(400, 'The upload is empty: no bytes were sent.'));
            return;
        }
        if (this.verdict === 'pending') {
            this.decide(true);
        }
        callback(this.verdict === 'mismatch'
            ? new UploadRefusal(415, `The content is not ${describeExpected(this.name)}, as its name says; only PSD, PSB, PNG and JPEG images can be added.`)
            : undefined);
    }

    protected decide(complete: boolean): void {
        const head = Buffer.concat(this.head);
        const verdict = checkSignature(this.name, head.subarray(0, SIGNATURE_BYTES), complete);
        if (verdict === 'matches') {
            this.verdict = 'matches';
            this.push(head);
        } else if (verdict === 'mismatch') {
            this.verdict = 'mismatch';
        }
        if (this.verdict !== 'pending') {
            this.head = [];
        }
    }
}

/** The 413 refusal for a body past `maxBytes`. */
export function tooLarge(maxBytes: number): UploadRefusal {
    return new UploadRefusal(413, `The file is larger than the upload limit of ${formatBytes(maxBytes)}.`);
}

