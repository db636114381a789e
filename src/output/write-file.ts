import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export type WriteOutcome = { readonly written: true } | { readonly written: false; readonly error: unknown };

/**
 * Writes a file whole or not at all, and never throws. The text goes to a temporary file in the
 * same folder under a name no one can guess, created exclusively (`wx`: a file or symlink planted
 * under that name makes it fail rather than be followed), which is then renamed over `path`
 * (rename replaces a symlink at `path`, never what it points to). On any failure, a full disk
 * included, the temporary file is removed and the failure returned. `render` makes the text; a
 * failure to make it is a failure to write it.
 */
export async function writeFileSafely(path: string, render: () => string): Promise<WriteOutcome> {
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${randomBytes(8).toString("hex")}.tmp`);
  let created = false;
  try {
    await mkdir(folder, { recursive: true });
    const file = await open(temporary, "wx", 0o644);
    created = true;
    try {
      await file.writeFile(render());
    } finally {
      await file.close();
    }
    await rename(temporary, path);
    return { written: true };
  } catch (error) {
    if (created) await rm(temporary, { force: true }).catch(() => {});
    return { written: false, error };
  }
}
