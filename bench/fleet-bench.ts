/**
 * `npm run bench:fleet`: the worker fleet's scheduling, side by side in one
 * run. Simulated workers (the claim → work → complete loop of a worker over
 * a real queue engine, models as fixed delays at the seed's per-phase times,
 * scaled down) take files through caption, visual and text:
 * - resident roles (the seed's 3 caption + 1 visual + 1 text for five
 *   machines; 18 + 1 + 1 for twenty) against as many all-in-one workers
 *   switching models (a load per phase per batch), printed as files/min in
 *   the seed's time beside the seed's estimate (17 vs 20 for five machines)
 *   and what the timings predict;
 * - the scheduling overhead per job (real ms in queue calls);
 * - claims/s per engine (20 clients claiming and completing no-op jobs).
 *
 *   --scale <s>       real seconds per seed second (0.02: a 10 s caption takes 200 ms)
 *   --workers <n>     the large fleet (20)
 *   --files <n>       files per worker in each arm (24)
 *   --claims <n>      jobs for the claim rate (2000)
 *   --engines <list>  engines by id: embedded, bullmq (in this process), server, server-bullmq (imageparser serve, HTTP)
 *   --rounds <n>      rounds, medians printed (1)
 */
import * as os from 'os';
import { ArmResult, describeShape, FleetShape, runArm } from './fleet/fleet-arms';
import type { FleetBenchEngine } from './fleet/fleet-bench-queue';
import { fleetBenchEngines } from './fleet/fleet-bench-engines';
import { claimRate } from './fleet/claim-rate';
import { expectedFilesPerMinute, SEED_ESTIMATE, SEED_TIMINGS, specialisedRoles } from './fleet/fleet-timings';

const log = (line: string) => process.stderr.write(`${line}\n`);

function parseArgs(args: string[]): Map<string, string> {
    const values = new Map<string, string>();
    for (let i = 0; i < args.length; i += 2) {
        if (!args[i].startsWith('--') || args[i + 1] === undefined) {
            throw new Error(`expected --name value pairs, got ${args.slice(i).join(' ')}; see the comment at the top of bench/fleet-bench.ts`);
        }
        values.set(args[i].slice(2), args[i + 1]);
    }
    return values;
}

function median(results: ArmResult[]): ArmResult {
    return [...results].sort((a, b) => a.filesPerMinute - b.filesPerMinute)[Math.floor(results.length / 2)];
}

interface Comparison {
    readonly engine: string;
    readonly machines: number;
    readonly roles: FleetShape;
    readonly all: FleetShape;
    readonly specialised: ArmResult;
    readonly allInOne: ArmResult;
    readonly scale: number;
}

async function compare(engine: FleetBenchEngine, machines: number, filesPerWorker: number, scale: number, rounds: number): Promise<Comparison> {
    const roles: FleetShape = { roles: specialisedRoles(machines) };
    const all: FleetShape = { allInOne: machines };
    const files = machines * filesPerWorker;
    const specialised: ArmResult[] = [];
    const allInOne: ArmResult[] = [];
    for (let round = 1; round <= rounds; round++) {
        allInOne.push(await runArm(engine, all, files, SEED_TIMINGS, scale));
        specialised.push(await runArm(engine, roles, files, SEED_TIMINGS, scale));
        log(`  ${engine.name}, ${machines} machines, round ${round}/${rounds}: ${describeShape(roles)} ${specialised[round - 1].filesPerMinute.toFixed(1)} files/min, `
            + `${describeShape(all)} ${allInOne[round - 1].filesPerMinute.toFixed(1)} files/min`);
    }
    return { engine: engine.name, machines, roles, all, specialised: median(specialised), allInOne: median(allInOne), scale };
}

function printComparison(lines: string[], comparison: Comparison): void {
    const { specialised, allInOne, machines, scale } = comparison;
    const expectedRoles = expectedFilesPerMinute(SEED_TIMINGS, comparison.roles);
    const expectedAll = expectedFilesPerMinute(SEED_TIMINGS, comparison.all);
    const seed = machines === SEED_ESTIMATE.machines
        ? `seed's estimate ${SEED_ESTIMATE.specialised} vs ${SEED_ESTIMATE.allInOne} = ${(SEED_ESTIMATE.specialised / SEED_ESTIMATE.allInOne).toFixed(2)}x`
        : 'seed: caption workers scale linearly';
    lines.push(`${comparison.engine}, ${machines} machines: ${describeShape(comparison.roles)} vs ${describeShape(comparison.all)}`);
    lines.push(`  files/min (seed time)   specialised ${specialised.filesPerMinute.toFixed(1).padStart(6)} | all-in-one ${allInOne.filesPerMinute.toFixed(1).padStart(6)} | `
        + `ratio ${(specialised.filesPerMinute / allInOne.filesPerMinute).toFixed(2)}x`);
    lines.push(`  expected from timings   specialised ${expectedRoles.toFixed(1).padStart(6)} | all-in-one ${expectedAll.toFixed(1).padStart(6)} | `
        + `ratio ${(expectedRoles / expectedAll).toFixed(2)}x   (${seed})`);
    lines.push(`  model loads/unloads     specialised ${specialised.loads}/${specialised.unloads} | all-in-one ${allInOne.loads}/${allInOne.unloads} `
        + `(${allInOne.files} files; ${(allInOne.loads / allInOne.files).toFixed(1)} loads per file all-in-one)`);
    const meanJobMs = 1000 * (SEED_TIMINGS.parse + SEED_TIMINGS.perFile.caption + SEED_TIMINGS.perFile.visual + SEED_TIMINGS.perFile.text) / 3;
    const share = (ms: number) => `${(100 * ms / meanJobMs).toFixed(2)} %`;
    lines.push(`  scheduling overhead     specialised ${specialised.overheadMsPerJob.toFixed(2)} ms/job | all-in-one ${allInOne.overheadMsPerJob.toFixed(2)} ms/job `
        + `(real ms a worker waits in claims that got jobs, completions and enqueues; ${share(specialised.overheadMsPerJob)} and ${share(allInOne.overheadMsPerJob)} `
        + `of the mean job's ${(meanJobMs / 1000).toFixed(1)} s at full scale)`);
    lines.push(`  measured / expected     specialised ${(100 * specialised.filesPerMinute / expectedRoles).toFixed(0)} % | all-in-one ${(100 * allInOne.filesPerMinute / expectedAll).toFixed(0)} % `
        + `(${specialised.files} files x 3 phases in ${specialised.seconds.toFixed(2)} s and ${allInOne.seconds.toFixed(2)} s; the rest is overhead at this scale and the last batches' tail)`);
    const load = (arm: ArmResult) => (arm.files * 3 / arm.seconds).toFixed(0);
    lines.push(`  queue load              specialised ${load(specialised)} jobs/s | all-in-one ${load(allInOne)} jobs/s real `
        + `(time runs ${(1 / scale).toFixed(0)}x fast: as much as ${(machines / scale).toFixed(0)} workers at full scale would ask; past the engine's claims/s below, overhead grows)`);
    lines.push(`  empty claims (waiting)  specialised ${specialised.emptyClaims} (${specialised.emptyClaimMs.toFixed(0)} ms) | all-in-one ${allInOne.emptyClaims} (${allInOne.emptyClaimMs.toFixed(0)} ms)`);
}

async function main(): Promise<void> {
    const args = parseArgs(process.argv.slice(2));
    const scale = Number(args.get('scale') ?? '0.02');
    const workers = Number(args.get('workers') ?? '20');
    const filesPerWorker = Number(args.get('files') ?? '24');
    const claims = Number(args.get('claims') ?? '2000');
    const rounds = Number(args.get('rounds') ?? '1');
    const wanted = args.get('engines')?.split(',');
    const engines = fleetBenchEngines().filter(engine => !wanted || wanted.includes(engine.id));
    const lines = [
        `ImageParser fleet benchmark: ${os.cpus().length} cores; simulated workers, fixed-delay models at the seed's times x ${scale}`,
        `(caption ${SEED_TIMINGS.perFile.caption} s + parse ${SEED_TIMINGS.parse} s, visual ${SEED_TIMINGS.perFile.visual} s batch ${SEED_TIMINGS.batch.visual}, `
        + `text ${SEED_TIMINGS.perFile.text} s batch ${SEED_TIMINGS.batch.text}; loads ${SEED_TIMINGS.load.caption} / ${SEED_TIMINGS.load.visual} / ${SEED_TIMINGS.load.text} s)`,
        ''
    ];
    try {
        for (const engine of engines) {
            log(`bench: ${engine.id}`);
            for (const machines of [SEED_ESTIMATE.machines, workers]) {
                printComparison(lines, await compare(engine, machines, filesPerWorker, scale, rounds));
            }
            const rate = await claimRate(engine, Math.ceil(claims / 2), workers);
            lines.push(`${engine.name}: ${(rate.claims / rate.seconds).toFixed(0)} claims/s (claim 1 + complete, ${workers} clients, ${rate.claims} no-op jobs in ${rate.seconds.toFixed(2)} s)`, '');
        }
    } finally {
        for (const engine of engines) {
            await engine.dispose();
        }
    }
    process.stdout.write(`${lines.join('\n')}\n`);
}

main().then(() => process.exit(0), error => {
    process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
});
