import type { ServiceContext } from '../services/context.js';

/** What a step receives: the acting context, the instance, and what earlier steps recorded. */
export interface StepContext {
  svc: ServiceContext;
  job: string;
  /** The instance's business date ('YYYY-MM-DD', business time zone). */
  date: string;
  /** The hour ('HH') of an hourly job's instance; absent for daily jobs. */
  slot?: string;
  /** Results recorded by steps that already completed (in this attempt or an earlier one). */
  recorded: Readonly<Record<string, unknown>>;
  /** Directory for files the job writes (setting `reports.dir`, else `<data dir>/reports`). */
  reportsDir: string;
  /** Where clearing files go when the setting `settlement.outDir` is empty. */
  clearingDir?: string;
  /** One line for the scheduler's log. */
  log(event: string, fields?: Record<string, unknown>): void;
}

/** One step of a job. Its result (JSON-serialisable) is recorded so a failed instance resumes after it. */
export interface JobStep {
  name: string;
  run(sc: StepContext): Promise<unknown>;
}

export interface JobDefinition {
  name: string;
  /** Default time of day (HH:mm, business time zone); settings `jobs.<name>.schedule` override it. */
  defaultTime: string;
  /** Settlement jobs run only on working days; the CRM's jobs run every day. */
  workingDaysOnly: boolean;
  /**
   * Runs every hour of the working day (the hours of `service.workingHours`): an instance is (job, business
   * date, hour). Daily jobs leave it unset.
   */
  hourly?: boolean;
  steps: JobStep[];
}

/** The jobs a process knows about, in the day's order. */
export type JobRegistry = readonly JobDefinition[];
