/**
 * CronJob schedules as Kubernetes reads them, in one place: the API server validates a CronJob's
 * schedule with robfig/cron v3's standard parser (kubernetes/kubernetes
 * pkg/apis/batch/validation/validation.go, validateScheduleFormat: cron.ParseStandard), whose rules
 * are in robfig/cron v3 parser.go and spec.go: five fields (minute 0-59, hour 0-23, day of month
 * 1-31, month 1-12 or JAN-DEC, day of week 0-6 or SUN-SAT; 7 is out of bounds), `*` or `?` for any,
 * ranges a-b, lists, /steps (a/step runs from a to the field's end), and the descriptors @yearly,
 * @annually, @monthly, @weekly, @daily, @midnight and @hourly (@every is not a calendar schedule and
 * is not taken here).
 */

/** The values one field allows, and whether it was unrestricted (`*` or `?`: spec.go's starBit). */
export interface CronField {
  readonly values: ReadonlySet<number>;
  readonly any: boolean;
}

export interface CronParseOptions {
  /**
   * Only numbers: no names, no `?`, no descriptors (a stricter subset, for config that says so).
   * @default false
   */
  readonly numericOnly?: boolean;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const FIELDS: readonly { readonly min: number; readonly max: number; readonly names?: readonly string[]; readonly base?: number }[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS, base: 1 },
  { min: 0, max: 6, names: DAYS, base: 0 },
];
const DESCRIPTORS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/** The five fields of a schedule, or why it is not one (a sentence to follow the value in an error). */
export function parseCronSchedule(text: string, o: CronParseOptions = {}): CronField[] | string {
  const trimmed = text.trim();
  const fields = ((o.numericOnly ? undefined : DESCRIPTORS[trimmed]) ?? trimmed).split(/\s+/);
  if (fields.length !== 5)
    return `must have five fields: minute hour day-of-month month day-of-week, such as "0 3 * * *"${o.numericOnly ? "" : ", or @hourly, @daily, @weekly, @monthly, @yearly"}`;
  const parsed: CronField[] = [];
  for (const [i, field] of fields.entries()) {
    const result = parseField(field, i, o);
    if (typeof result === "string") return result;
    parsed.push(result);
  }
  return parsed;
}

function parseField(text: string, i: number, o: CronParseOptions): CronField | string {
  const { min, max, names = [], base = 0 } = FIELDS[i]!;
  const where = `field ${i + 1} ("${text}")`;
  const shape = `${where} must be *, numbers${o.numericOnly ? "" : " or names"}, ranges a-b, lists and /steps`;
  const num = (s: string) => {
    const named = o.numericOnly ? -1 : names.indexOf(s.toUpperCase());
    return named >= 0 ? named + base : /^\d+$/.test(s) ? Number(s) : NaN;
  };
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^(\*|\?|[^-/]+(?:-[^-/]+)?)(?:\/(\d+))?$/.exec(part);
    if (!m || (o.numericOnly && m[1] === "?")) return shape;
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step === 0) return `${where} has a step of 0`;
    const range = m[1]!;
    const [lo, hi] = range === "*" || range === "?" ? [min, max] : range.includes("-") ? range.split("-").map(num) : [num(range), m[2] ? max : num(range)];
    if (!Number.isInteger(lo) || !Number.isInteger(hi)) return shape;
    if (lo! < min || hi! > max) return `${where} must stay within ${min}-${max}`;
    if (lo! > hi!) return `${where} has a range that runs backwards`;
    for (let v = lo!; v <= hi!; v += step) values.add(v);
  }
  return { values, any: text === "*" || text === "?" };
}
