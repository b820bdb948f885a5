#!/usr/bin/env python3
# Runs a command in a real pty and presses Ctrl-C as a user would: once the
# output matches READY, one Ctrl-C; with COUNT 2, a second one once the output
# that came after the first matches AFTER_FIRST. Prints one JSON line:
# {"exit": code|null, "signal": n|null, "pid": n, "timedOut": bool, "output": text}.
# Usage: pty-ctrlc.py READY AFTER_FIRST COUNT TIMEOUT_S -- CMD ARGS...
import json, os, pty, re, select, sys, time

ready, after_first, count, timeout_s = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
cmd = sys.argv[sys.argv.index('--') + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)

out = b''
mark = 0  # where the output after the first Ctrl-C begins
sent = 0
status = None
deadline = time.time() + timeout_s
while time.time() < deadline:
    text = out.decode('utf8', 'replace')
    if sent == 0 and re.search(ready, text):
        os.write(fd, b'\x03')
        sent, mark = 1, len(text)
    elif sent == 1 and count > 1 and re.search(after_first, text[mark:]):
        os.write(fd, b'\x03')
        sent = 2
    readable, _, _ = select.select([fd], [], [], 0.05)
    if readable:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            chunk = b''
        out += chunk
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        status = st
        break
text = out.decode('utf8', 'replace')
if status is None:
    print(json.dumps({"exit": None, "signal": None, "pid": pid, "timedOut": True, "output": text}))
    sys.exit(0)
code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
print(json.dumps({"exit": code, "signal": sig, "pid": pid, "timedOut": False, "ctrlC": sent, "output": text}))
