/** How DTS writes an instant that has not come yet. */
export const NOT_YET = "0000-00-00 00:00:00";

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** `yyyy-mm-dd hh:mm:ss` in Beijing time, as DTS answers times; NOT_YET for undefined. */
export function beijingTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return NOT_YET;
  return new Date(Math.floor(ms / 1000) * 1000 + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace("T", " ");
}
