import { statfsSync } from "node:fs";
import { chown, mkdir } from "node:fs/promises";
import { join } from "node:path";

/** What one run may write, in total, across its writable directories. */
export interface WorkspaceLimits {
  /** Bytes of file data (tmpfs `size=`). */
  bytes: number;
  /** Files and directories (tmpfs `nr_inodes=`). */
  files: number;
}

const SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";
const MOUNT = Bun.which("mount", { PATH: SYSTEM_PATH }) ?? "mount";
const UMOUNT = Bun.which("umount", { PATH: SYSTEM_PATH }) ?? "umount";

export const defaultWorkspaceLimits: WorkspaceLimits = { bytes: 64 * 1024 * 1024, files: 8192 };

/** The writable directories of a run, as subdirectories of its workspace and where the run sees them. */
export const WRITABLE = [
  { dir: "box", at: "/box" },
  { dir: "tmp", at: "/tmp" },
  { dir: "shm", at: "/dev/shm" },
] as const;

/**
 * A run's only writable space: a tmpfs of its own, limited in size and in number of files, mounted at
 * `root` on the host and holding the run's `/box`, `/tmp` and `/dev/shm`. Whatever the code writes lives in
 * memory (charged to the run's memory cgroup), never on the disk that holds the database, and goes away
 * with the unmount. Needs root (as the sandbox does).
 */
export class Workspace {
  private constructor(
    readonly root: string,
    readonly limits: WorkspaceLimits,
  ) {}

  /** Mounts the tmpfs at `root` (an existing empty directory) with each writable directory owned by `uid`. */
  static async mount(root: string, uid: number, limits: WorkspaceLimits): Promise<Workspace> {
    const options = `size=${limits.bytes},nr_inodes=${limits.files},mode=0711,nosuid,nodev`;
    await run([MOUNT, "-t", "tmpfs", "-o", options, "pairpad-run", root]);
    const workspace = new Workspace(root, limits);
    try {
      for (const { dir } of WRITABLE) {
        await mkdir(join(root, dir), { mode: 0o700 });
        await chown(join(root, dir), uid, uid);
      }
    } catch (error) {
      await workspace.unmount().catch(() => {});
      throw error;
    }
    return workspace;
  }

  /** The host path of a writable directory. */
  path(dir: (typeof WRITABLE)[number]["dir"]): string {
    return join(this.root, dir);
  }

  /** True when the run used up its bytes or its files (then its writes failed with ENOSPC). */
  full(): boolean {
    try {
      const stats = statfsSync(this.root);
      // A few blocks may stay free when the last write was larger than what was left.
      return stats.bavail * stats.bsize < 64 * 1024 || stats.ffree === 0;
    } catch {
      return false;
    }
  }

  /** Unmounts the tmpfs: everything the run wrote is gone at once, however many files. */
  unmount(): Promise<void> {
    return unmount(this.root);
  }
}

/** Unmounts a workspace left mounted at `root` (by a server that died mid-run); nothing when none is. */
export async function unmount(root: string): Promise<void> {
  // Lazy: a process of the run still dying cannot keep the mount busy; the memory is freed once it is gone.
  await run([UMOUNT, "--lazy", root], /not mounted|no mount point|not found/);
}

async function run(argv: string[], ignore?: RegExp): Promise<void> {
  const proc = Bun.spawn(argv, { stdin: "ignore", stdout: "ignore", stderr: "pipe", env: {} });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0 && !ignore?.test(stderr)) {
    throw new Error(`${argv.join(" ")} failed (${code}): ${stderr.trim()}`);
  }
}

/** How `limits` reads in a message, e.g. "64 MiB in at most 8192 files". */
export function describeWorkspace(limits: WorkspaceLimits): string {
  return `${Math.round(limits.bytes / 1024 / 1024)} MiB in at most ${limits.files} files`;
}
