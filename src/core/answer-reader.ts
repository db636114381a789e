import { clean } from "./text.js";

const MAX_NOTES = 5;
const MAX_TEXT = 200;

/**
 * What every validating step of an answer shares: any JSON in, typed fields out. A field of the
 * documented type is kept; null or absent is null; a value of another type is kept as text for the
 * report (a number `5` for Status becomes "5", an object its JSON, cut short) and noted, so that it
 * can never equal a word the verdict depends on by accident of type. Every string is cleaned
 * (`clean`): no control character or line break of API origin goes further.
 */
export class Reader {
  readonly anomalies: string[] = [];
  /** Fields that did not have their documented type, all of them (the notes keep only a few). */
  count = 0;
  note(where: string, what: string) {
    this.count++;
    if (this.anomalies.length < MAX_NOTES) this.anomalies.push(`${where} ${what}`);
    else if (this.anomalies.length === MAX_NOTES) this.anomalies.push("and more fields of an unexpected type");
  }

  text(value: unknown, where: string): string | null {
    if (value === null || value === undefined) return null;
    if (typeof value === "string") return clean(value);
    const shown = textOf(value);
    this.note(where, `was ${kindOf(value)} ${shown}, not a string`);
    return shown;
  }

  /**
   * A word the verdict depends on (Status, CheckFlag, StepStatus, CheckResult): kept only when it
   * is already clean text, else shown as its JSON, so that "succ\u0007ess" can never read as "success".
   */
  word(value: unknown, where: string): string | null {
    if (typeof value !== "string") return this.text(value, where);
    // Cleaned once: the clean text is the word itself, or the sign that it was not clean.
    if (clean(value) === value) return value;
    const shown = textOf(JSON.stringify(value));
    this.note(where, `held control characters or line breaks: ${shown}`);
    return shown;
  }

  texts(value: unknown, where: string): string[] | null {
    if (value === null || value === undefined) return null;
    if (!Array.isArray(value)) {
      this.note(where, `was ${kindOf(value)}, not an array`);
      return [this.text(value, where) ?? ""];
    }
    const texts: string[] = [];
    for (let index = 0; index < value.length; index++) {
      const entry = value[index];
      if (entry === null || entry === undefined) continue;
      texts.push(this.text(entry, `${where}[${index}]`) ?? "");
    }
    return texts;
  }

  number(value: unknown, where: string): number | null {
    if (value === null || value === undefined) return null;
    if (typeof value === "number" && Number.isFinite(value)) return value;
    this.note(where, `was ${kindOf(value)} ${textOf(value)}, not a number`);
    return null;
  }

  /** A flag that is not a boolean counts as not set: a step is skipped only when the API says so. */
  flag(value: unknown, where: string): boolean | null {
    if (value === null || value === undefined) return null;
    if (typeof value === "boolean") return value;
    this.note(where, `was ${kindOf(value)} ${textOf(value)}, not a boolean`);
    return null;
  }

  objects(value: unknown, where: string): Record<string, unknown>[] | null {
    if (value === null || value === undefined) return null;
    if (!Array.isArray(value)) {
      this.note(where, `was ${kindOf(value)}, not an array`);
      return null;
    }
    const objects: Record<string, unknown>[] = [];
    for (let index = 0; index < value.length; index++) {
      const entry: unknown = value[index];
      if (isRecord(entry)) objects.push(entry);
      else this.note(`${where}[${index}]`, `was ${kindOf(entry)}, not an object: left out`);
    }
    return objects;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" ? "an object" : `a ${type}`;
}

/** A short one-line text of any JSON value; never throws (a deeply nested value is not walked). */
export function textOf(value: unknown): string {
  let text: string;
  try {
    text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = Array.isArray(value) ? "[…]" : "{…}";
  }
  const cleaned = clean(text);
  return cleaned.length > MAX_TEXT ? `${cleaned.slice(0, MAX_TEXT - 1)}…` : cleaned;
}
