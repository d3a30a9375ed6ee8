import { closeSync, readFileSync } from "node:fs";
import { setPriority } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import type { CgroupHost, RunCgroup } from "./cgroups.ts";
import { CappedOutput, type PhaseLimits, type PhaseOutcome, splitExitStatus, watchPhase } from "./outcome.ts";
import { WRITABLE } from "./workspace.ts";

/** Where the work dir appears inside the sandbox. */
export const BOX = "/box";

/** What a box needs from the executor's setup. */
export interface BoxHost {
  cgroups?: CgroupHost;
  binds: string[];
  bwrap: string;
  prlimit: string;
  setpriv: string;
  /** PATH inside the sandbox. */
  path: string;
}

export interface BoxSpec {
  /** Names the box's cgroup; unique among live boxes. */
  id: string;
  limits: PhaseLimits;
  /** Unprivileged host uid (and gid) the box runs as. */
  uid: number;
  /** The run's workspace on the host, whose subdirectories are bound read-write at /box, /tmp and /dev/shm. */
  hostWork: string;
}

/** The one command a box runs. */
export interface BoxCommand {
  argv: string[];
  /** Added to the sandbox's minimal environment. */
  env?: Record<string, string>;
  stdin: string;
  /** This command's wall time and output cap, when the run asked for its own (see `runPhaseLimits`). */
  limits?: Pick<PhaseLimits, "wallTimeMs" | "outputBytes">;
}

// Outside the sandbox: join the box's cgroups before anything else runs, so nothing escapes the limits.
const JOIN_CGROUPS =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n - 1)); done; exec "$@"';

// Inside the sandbox: wait on stdin for the command ("<env count> <argv count>", then one line per
// NAME=value and per argument, backslashes and newlines escaped for printf %b), then run it. A shell's
// `read` takes a pipe one byte at a time, never past the line, so what follows is the program's stdin.
const LAUNCHER = [
  "unset PWD",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a JS template
  'next() { IFS= read -r a || exit 125; case $a in *\\\\*) a=$(printf "%bx" "$a"); a=${a%x};; esac; }',
  "IFS=' ' read -r e n || exit 125",
  "set --",
  'while [ "$e" -gt 0 ]; do next; export "$a"; e=$((e - 1)); done',
  'while [ "$n" -gt 0 ]; do next; set -- "$@" "$a"; n=$((n - 1)); done',
  // Not exec: this shell stays the namespace's PID 1 (see --as-pid-1), so the program gets ordinary
  // signal semantics (an abort() still dies of SIGABRT); its status comes back as 128+signal.
  '"$@"',
].join("\n");

/** Nice value of boxes prepared ahead while they start. */
const AHEAD_NICE = 10;

function trySetPriority(pid: number, nice: number): boolean {
  try {
    setPriority(pid, nice);
    return true;
  } catch {
    return false;
  }
}

/** PID 1 of a PID namespace below ours: its `NSpid` line ends in 1 (and has more than one entry). */
function isNamespaceInit(pid: number): boolean {
  try {
    const line = /^NSpid:\s+(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    const ids = line?.trim().split(/\s+/) ?? [];
    return ids.length > 1 && ids.at(-1) === "1";
  } catch {
    return false;
  }
}

function pidsIn(cgroup: RunCgroup): number[] {
  const file = cgroup.procsFiles[0];
  if (!file) return [];
  try {
    return readFileSync(file, "utf8")
      .split("\n")
      .map(Number)
      .filter((pid) => pid > 0);
  } catch {
    return [];
  }
}

/** One line of the launcher's protocol: `\` and newline as octal escapes, which `printf %b` turns back. */
function protocolLine(value: string): string {
  if (value.includes("\0")) throw new Error("a command or environment value holds a NUL byte");
  return `${value.replace(/\\/g, "\\0134").replace(/\n/g, "\\0012")}\n`;
}

/** The command as the launcher reads it, followed by the program's stdin. */
export function commandInput(command: BoxCommand): string {
  const env = Object.entries(command.env ?? {}).map(([key, value]) => `${key}=${value}`);
  return [
    `${env.length} ${command.argv.length}\n`,
    ...env.map(protocolLine),
    ...command.argv.map(protocolLine),
    command.stdin,
  ].join("");
}

/**
 * One sandbox (bubblewrap under its own cgroup, rlimits and uid) that runs exactly one command. It is
 * spawned before the command is known — ahead of the run, when pooled — with every limit and namespace
 * already in place, and waits in a shell for the command on stdin; the wall-clock limit starts when the
 * command is delivered. Used once, then destroyed.
 */
export class Box {
  private used = false;
  private destroyed?: Promise<void>;

  private constructor(
    readonly spec: BoxSpec,
    private readonly proc: Subprocess<"pipe", "pipe", "pipe">,
    private readonly statusFd: number,
    private readonly cgroup: RunCgroup | undefined,
    private niced: boolean,
  ) {}

  /**
   * `ahead`: spawned for a later run, at a low CPU priority so that preparing it does not slow the runs in
   * progress; {@link execute} restores the normal priority before delivering the command.
   */
  static async spawn(host: BoxHost, spec: BoxSpec, ahead = false): Promise<Box> {
    const { limits } = spec;
    const cgroup = host.cgroups
      ? await host.cgroups.create(spec.id, { memoryBytes: limits.memoryBytes, pids: limits.pids })
      : undefined;
    const env: Record<string, string> = {
      PATH: host.path,
      HOME: "/tmp",
      TMPDIR: "/tmp",
      LANG: "C.UTF-8",
      LC_ALL: "C.UTF-8",
    };
    const argv = [
      "/bin/sh",
      "-c",
      JOIN_CGROUPS,
      "sh",
      String(cgroup?.procsFiles.length ?? 0),
      ...(cgroup?.procsFiles ?? []),
      host.prlimit,
      `--cpu=${limits.cpuTimeSeconds}:${limits.cpuTimeSeconds + 1}`,
      `--fsize=${limits.fileSizeBytes}`,
      `--nofile=${limits.openFiles}`,
      "--core=0",
      // Without a pids cgroup, RLIMIT_NPROC (per uid, and each concurrent run has its own uid) stands in.
      ...(cgroup ? [] : [`--nproc=${limits.pids}`]),
      host.setpriv,
      `--reuid=${spec.uid}`,
      `--regid=${spec.uid}`,
      "--clear-groups",
      "--no-new-privs",
      host.bwrap,
      "--unshare-all",
      "--unshare-user",
      "--disable-userns",
      "--die-with-parent",
      "--new-session",
      // No separate init inside: bwrap's own init was re-parented to the host's PID 1 when the outer
      // bwrap exited first, and left a zombie per run wherever PID 1 does not reap (the server itself
      // as a container's PID 1). With the launcher as PID 1, the outer bwrap waits for it directly.
      "--as-pid-1",
      "--hostname",
      "pairpad",
      ...host.binds,
      "--proc",
      "/proc",
      "--dev",
      "/dev",
      // The only writable places, all on the run's own size- and inode-limited tmpfs (see Workspace).
      ...WRITABLE.flatMap(({ dir, at }) => ["--bind", join(spec.hostWork, dir), at]),
      "--chdir",
      BOX,
      "--remount-ro",
      "/",
      "--clearenv",
      ...Object.entries(env).flatMap(([key, value]) => ["--setenv", key, value]),
      "--json-status-fd",
      "3",
      "--",
      "/bin/sh",
      "-c",
      LAUNCHER,
      "sh",
    ];
    let proc: Subprocess<"pipe", "pipe", "pipe">;
    try {
      proc = Bun.spawn(argv, { stdio: ["pipe", "pipe", "pipe", "pipe"], env: {} }) as Subprocess<
        "pipe",
        "pipe",
        "pipe"
      >;
    } catch (error) {
      await cgroup?.remove().catch(() => {});
      throw error;
    }
    // Only with a cgroup, which lists every process of the box for execute() to reprioritise. The chain
    // execs three times before bwrap forks, so its processes inherit this.
    const niced = ahead && cgroup !== undefined && trySetPriority(proc.pid, AHEAD_NICE);
    return new Box(spec, proc, proc.stdio[3] as unknown as number, cgroup, niced);
  }

  /** Still waiting for its command (its sandbox did not fail or get killed meanwhile). */
  get ready(): boolean {
    return !this.used && !this.destroyed && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Delivers the command, waits for it to end (or be stopped) and kills whatever it left behind. */
  async execute(command: BoxCommand, signal?: AbortSignal): Promise<PhaseOutcome> {
    if (this.used || this.destroyed) throw new Error(`box ${this.spec.id} was already used`);
    this.used = true;
    const limits = { ...this.spec.limits, ...command.limits };
    const { proc, cgroup } = this;
    const input = commandInput(command);
    if (this.niced && cgroup) {
      // Back to the normal priority (only root may lower the nice value) before the program runs.
      for (const pid of pidsIn(cgroup)) trySetPriority(pid, 0);
      this.niced = false;
    }
    const stdout = new CappedOutput(limits.outputBytes);
    const stderr = new CappedOutput(limits.outputBytes);
    let outputLimited = false;

    let killing: Promise<void> | undefined;
    const stop = () => {
      killing ??= this.terminate();
    };
    const started = performance.now();
    const watch = watchPhase(limits.wallTimeMs, signal, stop);

    // The program may never read its stdin, or exit early: a broken pipe here is not a fault.
    const feeding = (async () => {
      try {
        proc.stdin.write(input);
        await proc.stdin.end();
      } catch {}
    })();
    const flood = () => {
      outputLimited = true;
      stop();
    };
    await Promise.all([
      stdout.drain(proc.stdout, flood),
      stderr.drain(proc.stderr, flood),
      proc.exited,
      feeding,
    ]);
    const timeMs = performance.now() - started;
    watch.dispose();
    return this.outcome({
      stdout: stdout.text(),
      stderr: stderr.text(),
      truncated: stdout.truncated || stderr.truncated,
      outputLimited,
      timedOut: watch.timedOut,
      cancelled: watch.cancelled,
      timeMs,
      killing,
    });
  }

  /**
   * What the box's program came to, once it ended: its exit status from bwrap's status file, the
   * cgroup's memory figures; whatever outlived the program (daemonised children) dies first.
   */
  private async outcome(ended: {
    stdout: string;
    stderr: string;
    truncated: boolean;
    outputLimited: boolean;
    timedOut: boolean;
    cancelled: boolean;
    timeMs: number;
    killing: Promise<unknown> | undefined;
  }): Promise<PhaseOutcome> {
    const { proc, cgroup } = this;
    let status = "";
    try {
      status = await Bun.file(this.statusFd).text();
    } catch {}
    this.closeStatus();
    const childStarted = /"child-pid"/.test(status);
    const exitMatch = /"exit-code":\s*(\d+)/.exec(status);
    const stats = await cgroup?.stats();
    await (ended.killing ?? cgroup?.kill());
    const killedByUs = ended.timedOut || ended.outputLimited || ended.cancelled;
    const exit = exitMatch ? splitExitStatus(Number(exitMatch[1])) : { exitCode: null, signal: "SIGKILL" };
    return {
      started: childStarted || killedByUs,
      exitCode: killedByUs && !exitMatch ? null : exit.exitCode,
      signal: killedByUs && !exitMatch ? "SIGKILL" : exit.signal,
      stdout: ended.stdout,
      stderr: ended.stderr,
      truncated: ended.truncated,
      outputLimited: ended.outputLimited,
      timedOut: ended.timedOut,
      oomKilled: stats?.oomKilled ?? false,
      cancelled: ended.cancelled,
      timeMs: ended.timeMs,
      memoryKb: stats?.memoryPeakKb,
      internalError: childStarted
        ? undefined
        : `the sandbox did not start (exit ${proc.exitCode ?? proc.signalCode}): ${ended.stderr.slice(0, 500)}`,
    };
  }

  /**
   * Delivers the command and keeps the box's stdin open for `write` (a live run): stdout is handed to
   * `onOutput` as it arrives, up to the output cap (over it the box is stopped, `outputLimited`); stderr
   * is kept for the result. `stop` ends the box early (reported as cancelled). Same limits and the same
   * outcome as {@link execute}, with stdout left empty (it went to `onOutput`).
   */
  stream(
    command: Omit<BoxCommand, "stdin">,
    onOutput: (chunk: Uint8Array) => void,
    signal?: AbortSignal,
  ): { write(data: Uint8Array): void; done: Promise<PhaseOutcome> } {
    if (this.used || this.destroyed) throw new Error(`box ${this.spec.id} was already used`);
    this.used = true;
    const limits = { ...this.spec.limits, ...command.limits };
    const { proc, cgroup } = this;
    if (this.niced && cgroup) {
      for (const pid of pidsIn(cgroup)) trySetPriority(pid, 0);
      this.niced = false;
    }
    let open = true;
    const closed = () => {
      open = false;
    };
    const write = (data: Uint8Array) => {
      if (!open) return;
      try {
        // A write or flush the pipe could not take at once settles later: a program that exited
        // meanwhile makes it reject (EPIPE), and a rejection left unhandled ends the whole server.
        const wrote = proc.stdin.write(data);
        if (wrote instanceof Promise) wrote.catch(closed);
        const flushed = proc.stdin.flush();
        if (flushed instanceof Promise) flushed.catch(closed);
      } catch {
        closed();
      }
    };
    write(new TextEncoder().encode(commandInput({ ...command, stdin: "" })));
    const done = (async (): Promise<PhaseOutcome> => {
      const stderr = new CappedOutput(limits.outputBytes);
      let outputLimited = false;
      let killing: Promise<void> | undefined;
      const stop = () => {
        killing ??= this.terminate();
      };
      const started = performance.now();
      const watch = watchPhase(limits.wallTimeMs, signal, stop);
      let sent = 0;
      let truncated = false;
      const streamOut = async () => {
        const reader = proc.stdout.getReader();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            const room = limits.outputBytes - sent;
            if (value.byteLength > room) {
              if (room > 0) onOutput(value.subarray(0, room));
              sent = limits.outputBytes;
              truncated = true;
              outputLimited = true;
              stop();
              await reader.cancel().catch(() => {});
              return;
            }
            sent += value.byteLength;
            onOutput(value);
          }
        } catch {
          // The pipe broke because the box was killed.
        } finally {
          reader.releaseLock();
        }
      };
      await Promise.all([
        streamOut(),
        stderr.drain(proc.stderr, () => {
          outputLimited = true;
          stop();
        }),
        proc.exited,
      ]);
      open = false;
      try {
        await proc.stdin.end();
      } catch {}
      const timeMs = performance.now() - started;
      watch.dispose();
      return this.outcome({
        stdout: "",
        stderr: stderr.text(),
        truncated: truncated || stderr.truncated,
        outputLimited,
        timedOut: watch.timedOut,
        cancelled: watch.cancelled,
        timeMs,
        killing,
      });
    })();
    return { write, done };
  }

  /** Kills the box (used or not) with everything in it and removes its cgroup. Idempotent. */
  destroy(): Promise<void> {
    this.destroyed ??= (async () => {
      await this.terminate();
      await this.proc.exited;
      this.closeStatus();
      await this.cgroup?.remove();
    })();
    return this.destroyed;
  }

  /**
   * Kills bwrap and everything in the box's cgroup. The inside goes first: when the namespace's PID 1
   * dies the kernel kills the rest of it, and the outer bwrap reaps it and exits by itself. Killed
   * together, the outer one could go first and leave its child to the host's PID 1 as a zombie.
   */
  private async terminate(): Promise<void> {
    const alive = () => this.proc.exitCode === null && this.proc.signalCode === null;
    const deadline = Date.now() + 1000;
    while (this.cgroup && alive() && Date.now() < deadline) {
      const inside = pidsIn(this.cgroup).filter((pid) => pid !== this.proc.pid);
      // Nothing forked yet: killing bwrap itself orphans no one.
      if (inside.length === 0) break;
      // bwrap keeps an intermediate process between itself and the namespace: only the namespace's
      // PID 1 is killed, so each parent is still alive to reap its child. While bwrap is still
      // setting the namespace up there is no PID 1 yet: wait for it rather than orphan it.
      const init = inside.filter(isNamespaceInit);
      for (const pid of init) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {}
      }
      await Promise.race([this.proc.exited, Bun.sleep(init.length > 0 ? 100 : 10)]);
    }
    this.proc.kill("SIGKILL");
    await this.cgroup?.kill();
  }

  private statusClosed = false;
  private closeStatus() {
    if (this.statusClosed) return;
    this.statusClosed = true;
    try {
      closeSync(this.statusFd);
    } catch {}
  }
}
