import * as fs from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { nls } from '@theia/core/lib/common/nls';
import { bindContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { CommandContribution, CommandRegistry } from '@theia/core/lib/common/command';
import { ILogger } from '@theia/core/lib/common/logger';
import { MockLogger } from '@theia/core/lib/common/test/mock-logger';
import { MessageService } from '@theia/core/lib/common/message-service';
import { MessageClient, ProgressMessage, ProgressUpdate } from '@theia/core/lib/common/message-service-protocol';
import { IngestProgress } from '../../common/ingest-protocol';
import { formatDuration } from '../../common/duration-text';
import { ArchiveStatusModel } from '../archive-status-model';
import { IngestProgressReporter } from './ingest-progress-reporter';

/** The notification area: keeps what each progress notification last said. */
class ShownNotifications extends MessageClient {
    readonly progress: string[] = [];

    override async showProgress(): Promise<string | undefined> {
        return undefined;
    }

    override async reportProgress(_id: string, update: ProgressUpdate, _message: ProgressMessage): Promise<void> {
        if (update.message) {
            this.progress.push(update.message);
        }
    }
}

function displayLanguage(language: 'ko' | undefined): void {
    (nls as { locale: string | undefined }).locale = language;
    nls.localization = language
        ? { languageId: language, translations: JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../../locales/ko-KR.json'), 'utf8')) }
        : undefined;
}

/** The reporter as the frontend module binds it, with the notifications it shows kept. */
function reporter(): { reporter: IngestProgressReporter; shown: ShownNotifications } {
    const container = new Container();
    const shown = new ShownNotifications();
    container.bind(MessageClient).toConstantValue(shown);
    container.bind(MessageService).toSelf().inSingletonScope();
    container.bind(ILogger).to(MockLogger);
    bindContributionProvider(container, CommandContribution);
    container.bind(CommandRegistry).toSelf().inSingletonScope();
    // The asset count in the status bar is not what these tests look at.
    container.bind(ArchiveStatusModel).toConstantValue({ refresh: () => Promise.resolve() } as unknown as ArchiveStatusModel);
    container.bind(IngestProgressReporter).toSelf().inSingletonScope();
    return { reporter: container.get(IngestProgressReporter), shown };
}

const running: IngestProgress = {
    runId: 1, rootLabel: 'art', rootId: 1, state: 'running', total: 40, indexed: 12, failed: 1, failedInFolder: 1, missingInFolder: 0,
    currentFile: { fileId: 7, rootId: 1, root: 'art', relativePath: 'poster.psd' }, rate: 2.5, etaSeconds: 0.2
};

describe('the ingest progress notification', () => {
    afterEach(() => displayLanguage(undefined));

    it('says the time left in Korean units in Korean ("남은 시간 0초", "2분 5초"), with no English unit left', async () => {
        displayLanguage('ko');
        const { reporter: ingest, shown } = reporter();
        ingest.onIngestProgress(running);
        ingest.onIngestProgress({ ...running, indexed: 20, etaSeconds: 125 });
        await expect.poll(() => shown.progress.length).toBe(2);
        expect(shown.progress).toEqual([
            '40개 중 13개 · 초당 2.5개 · 남은 시간 0초 · poster.psd',
            '40개 중 21개 · 초당 2.5개 · 남은 시간 2분 5초 · poster.psd'
        ]);
    });

    it('says it in English units in English', async () => {
        const { reporter: ingest, shown } = reporter();
        ingest.onIngestProgress({ ...running, etaSeconds: 3725 });
        await expect.poll(() => shown.progress.length).toBe(1);
        expect(shown.progress[0]).toBe('13 of 40 · 2.5 files/s · 1h 2m left · poster.psd');
    });
});

describe('formatDuration', () => {
    it('writes the two largest units that are not zero', () => {
        expect([0, 0.4, 42, 60, 125, 3600, 3725, 90061].map(seconds => formatDuration(seconds))).toEqual(['0s', '0s', '42s', '1m', '2m 5s', '1h', '1h 2m', '25h 1m']);
        expect([0, 42, 125, 7260].map(seconds => formatDuration(seconds, 'ko'))).toEqual(['0초', '42초', '2분 5초', '2시간 1분']);
    });
});
