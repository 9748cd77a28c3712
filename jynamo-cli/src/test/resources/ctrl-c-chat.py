"""Drives `jynamo run in=text` through a pseudo-terminal as a user at a keyboard: /help, /reset, a
message whose answer is stopped by Ctrl-C, another message answered in full, then Ctrl-C twice at the
prompt. Usage: ctrl-c-chat.py JAVA ARGS...; exit 0 when every step was seen, else 1 with the transcript."""
import os, pty, select, sys, time

argv = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)

transcript = b""
pending = b""


def fail(why):
    sys.stdout.write("FAILED: " + why + "\n--- transcript ---\n" + transcript.decode("utf-8", "replace") + "\n")
    sys.stdout.flush()
    try:
        os.kill(pid, 9)
    except OSError:
        pass
    sys.exit(1)


def expect(text, timeout=120):
    """Reads until `text` shows; what came before it is consumed."""
    global pending, transcript
    want = text.encode()
    deadline = time.time() + timeout
    while want not in pending:
        left = deadline - time.time()
        if left <= 0:
            fail("no %r within %d s" % (text, timeout))
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if not data:
                fail("the process ended while waiting for %r" % text)
            pending += data
            transcript += data
    pending = pending[pending.index(want) + len(want):]


def send(data):
    os.write(fd, data.encode())


expect("> ")
send("/help\n")
expect("/reset")
expect("> ")
send("/reset\n")
expect("(conversation reset)")
expect("> ")
# A long prompt: the echo engine answers with it, one token per --echo-delay-ms, so the answer is far
# from done when the first of it shows.
send("tell " * 200 + "ENDMARK\n")
expect("ENDMARK\r\n")  # the terminal's echo of the line typed
expect("tell")         # the answer has begun
send("\x03")
expect("[stopped after")
expect("> ")
send("hi\n")
expect(" tokens, ")    # answered in full after the stop
expect("> ")
send("\x03")
expect("Ctrl-C again to leave")
send("\x03")
deadline = time.time() + 60
while time.time() < deadline:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        try:
            while True:
                ready, _, _ = select.select([fd], [], [], 0.1)
                if not ready:
                    break
                data = os.read(fd, 65536)
                if not data:
                    break
                transcript += data
        except OSError:
            pass
        if os.waitstatus_to_exitcode(status) != 0:
            fail("exit status %d" % os.waitstatus_to_exitcode(status))
        sys.stdout.write(transcript.decode("utf-8", "replace"))
        sys.exit(0)
    select.select([fd], [], [], 0.2)
    try:
        ready, _, _ = select.select([fd], [], [], 0)
        if ready:
            transcript += os.read(fd, 65536)
    except OSError:
        pass
fail("still running 60 s after the second Ctrl-C at the prompt")
