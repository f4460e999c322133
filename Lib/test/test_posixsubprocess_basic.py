# _posixsubprocess.fork_exec driven directly (the way subprocess.py calls
# it), reading the child's output and the errpipe protocol.  Children are
# not reaped here, so this runs without os.waitpid.
import os
import _posixsubprocess

print([n for n in dir(_posixsubprocess) if not n.startswith('_')])


def spawn(args, exe=None, cwd=None, env=None, stdin=-1, pass_fds=(),
          close_fds=True, preexec=None, want_stderr=False, umask=-1):
    """Run ARGS; return (stdout bytes, errpipe bytes)."""
    c2pread, c2pwrite = os.pipe()
    errpipe_read, errpipe_write = os.pipe()
    errread, errwrite = (os.pipe() if want_stderr else (-1, -1))
    exe = exe or args[0]
    keep = tuple(sorted(set(pass_fds) | {errpipe_write}))
    env_list = None
    if env is not None:
        env_list = [os.fsencode(k) + b'=' + os.fsencode(v)
                    for k, v in env.items()]
    if os.path.dirname(exe):
        exe_list = (os.fsencode(exe),)
    else:
        exe_list = tuple(os.path.join(os.fsencode(d), os.fsencode(exe))
                         for d in ('/usr/bin', '/bin'))
    pid = _posixsubprocess.fork_exec(
        args, exe_list, close_fds, keep, cwd, env_list,
        stdin, -1, c2pread, c2pwrite, errread, errwrite,
        errpipe_read, errpipe_write, True, False, -1,
        None, None, None, umask, preexec, False)
    os.close(c2pwrite)
    os.close(errpipe_write)
    if errwrite != -1:
        os.close(errwrite)
    err = b''
    while True:
        part = os.read(errpipe_read, 1000)
        if not part:
            break
        err += part
    os.close(errpipe_read)
    out = b''
    for fd in (c2pread, errread):
        if fd == -1:
            continue
        while True:
            part = os.read(fd, 1000)
            if not part:
                break
            out += part
        os.close(fd)
    return isinstance(pid, int) and pid > 0, out, err


def decode_err(err):
    if not err:
        return err
    name, hexerr, msg = err.split(b':', 2)
    return (name, int(hexerr, 16), msg)


print(spawn(['/bin/echo', 'hello', 'world']))
print(spawn([b'/bin/echo', b'bytes args']))
print(spawn(['echo', 'found on path']))
print(spawn(['/bin/sh', '-c', 'echo $A-$B'], env={'A': '1', 'B': 'two'}))
print(spawn(['/bin/sh', '-c', 'pwd'], cwd='/'))
print(spawn(['/bin/sh', '-c', 'pwd'], cwd=b'/tmp'))
print(spawn(['/bin/sh', '-c', 'umask'], umask=0o027))
print(spawn(['/bin/sh', '-c', 'echo out; echo err >&2'], want_stderr=True))

ok, out, err = spawn(['/nonexistent/prog'])
print(ok, out, decode_err(err))
ok, out, err = spawn(['no-such-prog-xq'])
print(ok, out, decode_err(err))
ok, out, err = spawn(['/bin/echo'], cwd='/nonexistent-dir')
print(ok, out, decode_err(err))
ok, out, err = spawn(['/etc/passwd'])
print(ok, out, decode_err(err))


def boom():
    raise ValueError('x')


ok, out, err = spawn(['/bin/echo', 'never'], preexec=boom)
print(ok, out, err)
print(spawn(['/bin/echo', 'after preexec'], preexec=lambda: None))

# stdin from a pipe; pass_fds keeps an fd open.
r, w = os.pipe()
os.write(w, b'from stdin\n')
os.close(w)
print(spawn(['/bin/cat'], stdin=r))
os.close(r)
r, w = os.pipe()
print(spawn(['/bin/sh', '-c', 'echo kept >&%d' % w], pass_fds=(w,)))
os.close(w)
print(os.read(r, 100))
os.close(r)

bad = [
    ('args', ['/bin/echo'], ('/bin/echo',), True, (1, 0)),
    ('args', ['/bin/echo'], ('/bin/echo',), True, 5),
    ('args', [1], (b'/bin/echo',), True, ()),
]
r, w = os.pipe()
for _, args, exes, close_fds, keep in bad:
    for errpipe_write in (-1, w):
        try:
            _posixsubprocess.fork_exec(args, exes, close_fds, keep, None,
                                       None, -1, -1, -1, -1, -1, -1, r,
                                       errpipe_write, True, False, -1,
                                       None, None, None, -1, None, False)
            print('no error')
        except Exception as e:
            print(type(e).__name__, e)
os.close(r)
os.close(w)
try:
    _posixsubprocess.fork_exec()
except TypeError as e:
    print('TypeError', e)
