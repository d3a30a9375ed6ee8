/**
 * The pseudo-terminal of a live run, made inside the sandbox (its own devpts) by a small Python
 * program that the box runs in front of the user's program: `python3 -c PTY_HELPER cols rows argv…`.
 * Outside, a pipe each way: the program's terminal output comes out raw on stdout; stdin carries
 * frames (`PtyFrame`) so that keystrokes, window sizes and interrupts share one ordered channel.
 * It exits with the program's status (128 + signal when a signal ended it), like the launcher.
 *
 * Inside rather than outside the sandbox: bubblewrap's `--new-session` (which stops a program from
 * pushing input into a terminal it does not own) detaches the box from any terminal we could give
 * it, and a terminal's Ctrl-C signals its whole foreground group — bwrap included — when outside.
 */
export const PtyFrame = { data: 0, resize: 1, interrupt: 2, eof: 3 } as const;

/** One frame of the helper's input: type, payload length (big-endian u32), payload. */
export function ptyFrame(type: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const frame = new Uint8Array(5 + payload.byteLength);
  frame[0] = type;
  new DataView(frame.buffer).setUint32(1, payload.byteLength);
  frame.set(payload, 5);
  return frame;
}

export function resizeFrame(cols: number, rows: number): Uint8Array {
  const payload = new Uint8Array(4);
  const view = new DataView(payload.buffer);
  view.setUint16(0, cols);
  view.setUint16(2, rows);
  return ptyFrame(PtyFrame.resize, payload);
}

export const PTY_HELPER = String.raw`
import os, sys, pty, fcntl, termios, struct, signal, select, errno
cols, rows = int(sys.argv[1]), int(sys.argv[2])
argv = sys.argv[3:]
pid, master = pty.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    except OSError as e:
        os.write(2, ("cannot run %s: %s\n" % (argv[0], e.strerror)).encode())
        os._exit(127)
def winsize(c, r):
    try:
        fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", r, c, 0, 0))
    except OSError:
        pass
winsize(cols, rows)
fcntl.fcntl(master, fcntl.F_SETFL, fcntl.fcntl(master, fcntl.F_GETFL) | os.O_NONBLOCK)
def interrupt():
    try:
        os.killpg(os.tcgetpgrp(master), signal.SIGINT)
    except OSError:
        try:
            os.kill(pid, signal.SIGINT)
        except OSError:
            pass
def out(data):
    while data:
        try:
            n = os.write(1, data)
        except InterruptedError:
            continue
        data = data[n:]
frames = b""
pending = b""
stdin_open = True
status = None
while True:
    if status is None:
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
    r = [master]
    if stdin_open:
        r.append(0)
    w = [master] if pending else []
    try:
        # Once the program has exited, its last output may still be on its way to the master (the
        # kernel moves pty data in a work queue): wait for it a little, until EIO says all is read.
        readable, writable, _ = select.select(r, w, [], 0.02 if status is None else 0.2)
    except InterruptedError:
        continue
    if master in readable:
        try:
            data = os.read(master, 65536)
        except OSError as e:
            if e.errno in (errno.EAGAIN, errno.EINTR):
                data = None
            else:
                data = b""
        if data:
            out(data)
        elif data == b"":
            if status is None:
                status = os.waitpid(pid, 0)[1]
            break
    elif status is not None:
        break
    if 0 in readable:
        chunk = os.read(0, 65536)
        if not chunk:
            stdin_open = False
        frames += chunk
        while len(frames) >= 5:
            kind = frames[0]
            size = struct.unpack(">I", frames[1:5])[0]
            if len(frames) < 5 + size:
                break
            payload = frames[5:5 + size]
            frames = frames[5 + size:]
            if kind == 0:
                pending += payload
            elif kind == 1 and size == 4:
                c, r2 = struct.unpack(">HH", payload)
                winsize(c, r2)
            elif kind == 2:
                interrupt()
            elif kind == 3:
                pending += b"\x04"
    if pending and master in writable:
        try:
            n = os.write(master, pending)
            pending = pending[n:]
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.EINTR):
                pending = b""
if os.WIFSIGNALED(status):
    sys.exit(128 + os.WTERMSIG(status))
sys.exit(os.WEXITSTATUS(status))
`;
