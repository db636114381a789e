import { constants } from "node:fs";
import { access, mkdir, stat } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Makes sure a file the run will write at its end can be written, before the first request: its
 * missing parent folders are created (as pytest and jest-junit do), the folder must be writable,
 * and the path, when it exists, must be a writable file. Resolves to why not, or undefined.
 */
export async function prepareOutputPath(path: string, what: string): Promise<string | undefined> {
  const folder = dirname(path);
  try {
    await mkdir(folder, { recursive: true });
    await access(folder, constants.W_OK);
    const existing = await stat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    if (existing?.isDirectory()) return `${what} ${path} is a folder, not a file`;
    if (existing) await access(path, constants.W_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return `${what} ${path} cannot be written (${code ?? (error instanceof Error ? error.message : String(error))})`;
  }
}
