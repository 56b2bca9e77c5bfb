import * as fs from 'fs';
import * as path from 'path';

/** The languages read: Korean and English together (Korean alone misreads Latin text). */
export const OCR_LANGUAGES: readonly string[] = ['kor', 'eng'];

/** The OCR model id results are keyed by: the engine's major version and its languages. */
export const OCR_MODEL_ID = `tesseract-5/${OCR_LANGUAGES.join('+')}`;

/** The environment variable naming another tessdata folder (holding `kor.traineddata` and `eng.traineddata`). */
export const TESSDATA_ENV = 'IMAGEPARSER_TESSDATA';

/** Where Debian's tesseract-ocr-kor and tesseract-ocr-eng put their data (Tesseract 5, then 4). */
export const SYSTEM_TESSDATA_FOLDERS: readonly string[] = ['/usr/share/tesseract-ocr/5/tessdata', '/usr/share/tesseract-ocr/4.00/tessdata', '/usr/share/tessdata'];

/** How the OCR thread refuses a download; nothing the OCR phase does ever needs the network. */
export const OCR_NETWORK_REFUSAL = 'The OCR engine never downloads anything; a network request was refused';

/** The tessdata folder: `IMAGEPARSER_TESSDATA` when set, else the first system folder holding every language, else the first system folder. */
export function tessdataFolder(env: NodeJS.ProcessEnv = process.env): string {
    const configured = env[TESSDATA_ENV];
    if (configured) {
        return path.resolve(configured);
    }
    return SYSTEM_TESSDATA_FOLDERS.find(folder => hasLanguageData(folder)) ?? SYSTEM_TESSDATA_FOLDERS[0];
}

/** Whether every language's `.traineddata` file is in the folder. */
export function hasLanguageData(folder: string = tessdataFolder()): boolean {
    return OCR_LANGUAGES.every(language => {
        try {
            return fs.statSync(path.join(folder, `${language}.traineddata`)).isFile();
        } catch {
            return false;
        }
    });
}
