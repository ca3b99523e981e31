/**
 * Runs `read` and names `file` in the message of a recording error (`run.ndjson: line 4: invalid JSON …`),
 * so a command reading several recordings says which one is bad.
 * @example const run = await inFile(path, () => readRecording(path, name, warn));
 */
export async function inFile<T>(file: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    const err = e as Error;
    if (err.name === "NdjsonError" || err.name === "RecordingError") err.message = `${file}: ${err.message}`;
    throw err;
  }
}
