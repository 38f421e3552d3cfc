/**
 * Follows track_file files for FILE_CHECK (keepalived trackers/track_file.c: inotify on the file's directory, so
 * a file written by rename or created later is seen). Each change is read again and handed over as a number.
 */
import { closeSync, existsSync, openSync, readSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { parseTrackFileValue } from '../health/checkers/file.js';
import type { TrackFile } from '../model/config.js';

/** process_track_file reads at most this much. */
const READ_BYTES = 127;

/** The file's first bytes, or null when it cannot be opened (keepalived then reads 0). */
function readHead(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const buf = Buffer.alloc(READ_BYTES);
    const n = readSync(fd, buf, 0, READ_BYTES, 0);
    return buf.subarray(0, n).toString('latin1');
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

export interface TrackFileEvents {
  /** A file's value changed. */
  readonly changed: (name: string, value: number) => void;
  /**
   * A file held a number outside the int range (keepalived logs it and keeps the last value), or its directory
   * cannot be watched; `why` says which.
   */
  readonly invalid: (name: string, path: string, why: string) => void;
}

export class TrackFileWatcher {
  private readonly values = new Map<string, number>();
  private readonly watchers: FSWatcher[] = [];

  constructor(private readonly files: readonly TrackFile[], private readonly events: TrackFileEvents) {}

  /** Creates files that ask for it (track_file `init`), reads every file once and starts watching. */
  start(): void {
    const byDir = new Map<string, TrackFile[]>();
    for (const f of this.files) {
      if (f.init && (f.init.overwrite || !existsSync(f.path))) {
        try {
          writeFileSync(f.path, `${f.init.value}\n`);
        } catch (e) {
          this.events.invalid(f.name, f.path, `cannot create it: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
        }
      }
      this.values.set(f.name, this.read(f) ?? 0);
      const d = dirname(f.path);
      byDir.set(d, [...(byDir.get(d) ?? []), f]);
    }
    for (const [dir, files] of byDir) {
      try {
        const w = watch(dir, { persistent: false }, (_event, name) => {
          for (const f of files) if (name === null || name === basename(f.path)) this.update(f);
        });
        w.on('error', (e) => this.unwatchable(files, e));
        this.watchers.push(w);
      } catch (e) {
        this.unwatchable(files, e);
      }
    }
  }

  /** The value last read (0 for a file not known or not readable). */
  value(name: string): number {
    return this.values.get(name) ?? 0;
  }

  close(): void {
    for (const w of this.watchers.splice(0)) w.close();
  }

  private unwatchable(files: readonly TrackFile[], e: unknown): void {
    const why = `cannot watch ${dirname(files[0]?.path ?? '.')}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
    for (const f of files) this.events.invalid(f.name, f.path, why);
  }

  private read(f: TrackFile): number | null {
    const v = parseTrackFileValue(readHead(f.path));
    if (v === null) this.events.invalid(f.name, f.path, 'the value is outside the int range; the last value is kept');
    return v;
  }

  private update(f: TrackFile): void {
    const v = this.read(f);
    if (v === null || v === this.values.get(f.name)) return;
    this.values.set(f.name, v);
    this.events.changed(f.name, v);
  }
}
