/**
 * One part of `npm run bench:phases`: it measures something of ours and a
 * baseline in the same run and answers rows the bench prints side by side.
 * The queue section is one; the OCR section (images/s through the phase
 * against the `tesseract` command line) is another.
 */
export interface PhasesBenchContext {
    /** Processes to run side by side: one per core unless `--processes` says otherwise. */
    readonly processes: number;
    /** Where generated inputs are kept between runs (`--data`, default .bench-data). */
    readonly data: string;
    /** A section's own option (`--name value`), or the fallback. */
    option(name: string, fallback: string): string;
    /** Progress lines (stderr). */
    log(line: string): void;
}

/** A measured run: how many units in how many seconds. */
export interface BenchMeasure {
    readonly name: string;
    readonly count: number;
    readonly seconds: number;
}

/** One printed line: ours against the baseline, as units per second and their ratio. */
export interface PhasesBenchRow {
    readonly name: string;
    /** What is counted: `jobs`, `images`. */
    readonly unit: string;
    readonly ours: BenchMeasure;
    readonly baseline: BenchMeasure;
    /** The ratio ours/baseline the issue asks for, when it asks for one. */
    readonly target?: number;
    /** Extra facts for the line below the row. */
    readonly notes?: string[];
}

export interface PhasesBenchSection {
    /** The name `--only` selects the section by. */
    readonly id: string;
    run(context: PhasesBenchContext): Promise<PhasesBenchRow[]>;
}
