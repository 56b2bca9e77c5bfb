import type { JobError } from '@imageparser/archive-core/lib/common/job-protocol';
import {
    ClaimRequest, FailRequest, FleetApi, HeartbeatRequest, RegisterRequest, ThrottleLevel, WORKER_ROLES, WorkerCounters, WorkerMachine,
    WorkerResources, WorkerRole, WorkerSchedule, WorkerState
} from '../../common/fleet-protocol';
import { FleetApiRefusal } from './fleet-api-refusal';

/** The most jobs one claim takes. */
export const MAX_CLAIM = 256;
/** The most leases one heartbeat renews. */
export const MAX_HEARTBEAT_LEASES = 1024;
const MAX_TEXT = 500;
const STATES: readonly WorkerState[] = ['active', 'resting', 'idle', 'paused', 'stopping'];
const LEVELS: readonly ThrottleLevel[] = ['normal', 'warning', 'danger', 'critical'];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * Checks of what workers send, before anything is done with it: a body that
 * is not what the protocol says is refused with 400 and names the field.
 * Fields the protocol does not know are left out.
 */
export namespace FleetRequestChecks {

    export function register(body: unknown): RegisterRequest {
        const value = object(body, 'the request');
        if (value.protocol !== FleetApi.VERSION) {
            throw new FleetApiRefusal(400, 'protocol',
                `This server speaks worker protocol ${FleetApi.VERSION}; the worker sent ${JSON.stringify(value.protocol)}. Update the worker or the server.`);
        }
        const models = object(value.models ?? {}, 'models');
        return {
            protocol: FleetApi.VERSION,
            machine: machine(value.machine),
            role: role(value.role),
            schedule: value.schedule === undefined ? undefined : schedule(value.schedule),
            models: Object.fromEntries(Object.entries(models).map(([phase, model]) => [text(phase, 'models'), text(model, `models.${phase}`)])),
            startedBy: text(value.startedBy ?? 'cli', 'startedBy'),
            sentAt: optionalNumber(value.sentAt, 'sentAt')
        };
    }

    export function heartbeat(body: unknown): HeartbeatRequest {
        const value = object(body, 'the request');
        const tokens = value.leaseTokens ?? [];
        if (!Array.isArray(tokens) || tokens.length > MAX_HEARTBEAT_LEASES) {
            throw FleetApiRefusal.badRequest(`leaseTokens must be a list of at most ${MAX_HEARTBEAT_LEASES} lease tokens`);
        }
        const job = value.currentJob === undefined || value.currentJob === null ? undefined : object(value.currentJob, 'currentJob');
        return {
            state: oneOf(value.state, STATES, 'state'),
            resources: resources(value.resources),
            counters: counters(value.counters),
            currentJob: job && { assetId: wholeNumber(job.assetId, 'currentJob.assetId'), phase: text(job.phase, 'currentJob.phase') },
            leaseTokens: tokens.map(token => text(token, 'leaseTokens')),
            schedule: value.schedule === undefined ? undefined : schedule(value.schedule),
            sentAt: optionalNumber(value.sentAt, 'sentAt')
        };
    }

    export function claim(body: unknown, queryPhase: unknown): ClaimRequest {
        const value = body === undefined || body === null ? {} : object(body, 'the request');
        const phases = value.phases ?? [];
        if (!Array.isArray(phases) || phases.length > 64) {
            throw FleetApiRefusal.badRequest('phases must be a list of at most 64 phase ids');
        }
        const named = [...phases.map(phase => text(phase, 'phases')), ...typeof queryPhase === 'string' ? queryPhase.split(',').filter(Boolean) : []];
        const max = value.max === undefined ? 1 : wholeNumber(value.max, 'max');
        return { phases: [...new Set(named)], max: Math.max(1, Math.min(MAX_CLAIM, max)) };
    }

    export function fail(body: unknown): FailRequest {
        const value = object(body, 'the request');
        const error = object(value.error, 'error');
        const jobError: JobError = { code: text(error.code, 'error.code'), message: String(error.message ?? '').slice(0, 4000) };
        if (typeof value.retryable !== 'boolean') {
            throw FleetApiRefusal.badRequest('retryable must be true or false');
        }
        return { error: jobError, retryable: value.retryable };
    }

    /** The result of a complete call: present (it may be `null` for a phase whose result is nothing). */
    export function completion(body: unknown): unknown {
        const value = object(body, 'the request');
        if (!('result' in value)) {
            throw FleetApiRefusal.badRequest('A completion needs its result: { "result": … }');
        }
        return value.result;
    }

    function machine(body: unknown): WorkerMachine {
        const value = object(body, 'machine');
        const gpus = value.gpus ?? [];
        if (!Array.isArray(gpus) || gpus.length > 64) {
            throw FleetApiRefusal.badRequest('machine.gpus must be a list');
        }
        return {
            hostname: text(value.hostname, 'machine.hostname'), platform: text(value.platform ?? '', 'machine.platform', true),
            cpuModel: text(value.cpuModel ?? '', 'machine.cpuModel', true), cpuCores: wholeNumber(value.cpuCores ?? 0, 'machine.cpuCores'),
            memoryTotalMb: number(value.memoryTotalMb ?? 0, 'machine.memoryTotalMb'),
            gpus: gpus.map(gpu => {
                const each = object(gpu, 'machine.gpus');
                return { name: text(each.name, 'machine.gpus.name', true), memoryTotalMb: number(each.memoryTotalMb ?? 0, 'machine.gpus.memoryTotalMb') };
            })
        };
    }

    function resources(body: unknown): WorkerResources {
        const value = object(body, 'resources');
        const percent = (field: string) => {
            const given = optionalNumber(value[field], `resources.${field}`);
            return given === undefined ? {} : { [field]: given };
        };
        return {
            ...percent('gpuTemperatureC'), ...percent('gpuMemoryPercent'), ...percent('gpuUtilizationPercent'),
            cpuPercent: number(value.cpuPercent ?? 0, 'resources.cpuPercent'), memoryPercent: number(value.memoryPercent ?? 0, 'resources.memoryPercent'),
            throttle: oneOf(value.throttle ?? 'normal', LEVELS, 'resources.throttle')
        };
    }

    function counters(body: unknown): WorkerCounters {
        const value = object(body ?? {}, 'counters');
        return {
            done: wholeNumber(value.done ?? 0, 'counters.done'), failed: wholeNumber(value.failed ?? 0, 'counters.failed'),
            loads: wholeNumber(value.loads ?? 0, 'counters.loads'), unloads: wholeNumber(value.unloads ?? 0, 'counters.unloads')
        };
    }

    function schedule(body: unknown): WorkerSchedule {
        const value = object(body, 'schedule');
        const days = value.activeDays;
        if (days !== undefined && (!Array.isArray(days) || days.some(day => !DAYS.includes(day)))) {
            throw FleetApiRefusal.badRequest(`schedule.activeDays must be a list of ${DAYS.join(', ')}`);
        }
        return {
            ...value.activeHours === undefined ? {} : { activeHours: text(value.activeHours, 'schedule.activeHours') },
            ...days === undefined ? {} : { activeDays: days },
            ...value.timezone === undefined ? {} : { timezone: text(value.timezone, 'schedule.timezone') },
            idleUnloadMinutes: number(value.idleUnloadMinutes ?? 10, 'schedule.idleUnloadMinutes')
        };
    }

    function role(value: unknown): WorkerRole {
        return oneOf(value ?? 'auto', WORKER_ROLES, 'role');
    }

    function object(value: unknown, name: string): Record<string, unknown> {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
            throw FleetApiRefusal.badRequest(value === undefined && name === 'the request'
                ? 'The request needs a JSON body sent as Content-Type: application/json'
                : `${name} must be a JSON object`);
        }
        return value as Record<string, unknown>;
    }

    function text(value: unknown, name: string, allowEmpty = false): string {
        if (typeof value !== 'string' || (!allowEmpty && !value.trim()) || value.length > MAX_TEXT) {
            throw FleetApiRefusal.badRequest(`${name} must be ${allowEmpty ? 'a' : 'a non-empty'} string of at most ${MAX_TEXT} characters`);
        }
        return value;
    }

    function number(value: unknown, name: string): number {
        if (typeof value !== 'number' || !Number.isFinite(value)) {
            throw FleetApiRefusal.badRequest(`${name} must be a number`);
        }
        return value;
    }

    function optionalNumber(value: unknown, name: string): number | undefined {
        return value === undefined || value === null ? undefined : number(value, name);
    }

    function wholeNumber(value: unknown, name: string): number {
        if (!Number.isSafeInteger(value) || (value as number) < 0) {
            throw FleetApiRefusal.badRequest(`${name} must be a whole number of 0 or more`);
        }
        return value as number;
    }

    function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
        if (!allowed.includes(value as T)) {
            throw FleetApiRefusal.badRequest(`${name} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`);
        }
        return value as T;
    }
}
