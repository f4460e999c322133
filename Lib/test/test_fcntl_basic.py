# fcntl: fcntl/ioctl/flock/lockf on pipes and files; constants; errors.
import fcntl
import os

print([n for n in dir(fcntl) if not n.startswith('_')])
print(fcntl.F_GETFD, fcntl.F_SETFD, fcntl.F_GETFL, fcntl.F_SETFL,
      fcntl.FD_CLOEXEC, fcntl.LOCK_SH, fcntl.LOCK_EX, fcntl.LOCK_NB,
      fcntl.LOCK_UN)

r, w = os.pipe()
print(fcntl.fcntl(r, fcntl.F_GETFD) & fcntl.FD_CLOEXEC)
fcntl.fcntl(r, fcntl.F_SETFD, 0)
print(fcntl.fcntl(r, fcntl.F_GETFD) & fcntl.FD_CLOEXEC)
fl = fcntl.fcntl(w, fcntl.F_GETFL)
fcntl.fcntl(w, fcntl.F_SETFL, fl | os.O_NONBLOCK)
print(bool(fcntl.fcntl(w, fcntl.F_GETFL) & os.O_NONBLOCK))


class FD:
    def fileno(self):
        return r


print(fcntl.fcntl(FD(), fcntl.F_GETFD))
print(fcntl.fcntl(r, fcntl.F_GETFD, b'abcd'))
print(fcntl.fcntl(r, fcntl.F_GETFD, 'str'))
print(fcntl.fcntl(r, fcntl.F_GETPIPE_SZ) > 0)

# FIONREAD (0x541B on Linux) through ioctl with int, bytes and buffers.
os.write(w, b'12345')
FIONREAD = 0x541B
buf = bytearray(4)
print(fcntl.ioctl(r, FIONREAD, buf, True), int.from_bytes(buf, 'little'))
print(fcntl.ioctl(r, FIONREAD, bytes(4)) == (5).to_bytes(4, 'little'))
buf = bytearray(4)
print(fcntl.ioctl(r, FIONREAD, buf, False) == (5).to_bytes(4, 'little'),
      buf)
big = bytearray(2000)
print(fcntl.ioctl(r, FIONREAD, big), int.from_bytes(big[:4], 'little'))

path = '/tmp/plait_fcntl_%d' % os.getpid()
with open(path, 'wb+') as f:
    fcntl.flock(f, fcntl.LOCK_EX)
    fcntl.flock(f.fileno(), fcntl.LOCK_UN)
    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    fcntl.lockf(f, fcntl.LOCK_SH, 10, 5, 0)
    fcntl.lockf(f, fcntl.LOCK_UN)
    print('locks ok')
    for c in (0, 4, 16, 100):
        try:
            fcntl.lockf(f, c)
            print(c, 'no error')
        except ValueError as e:
            print(c, 'ValueError', e)

os.unlink(path)

cases = [
    'fcntl.fcntl(-1, 1)', 'fcntl.fcntl("x", 1)',
    'fcntl.fcntl(r, 1, "x" * 2000)', 'fcntl.fcntl(r, 1, 1.5)',
    'fcntl.flock(-1, fcntl.LOCK_EX)', 'fcntl.lockf(-1, fcntl.LOCK_EX)',
    'fcntl.ioctl(-1, 1)', 'fcntl.fcntl(r, 2**40)',
    'fcntl.ioctl(r, 1, b"x" * 2000)', 'fcntl.fcntl()', 'fcntl.fcntl(0, 1, 2, 3)',
    'fcntl.ioctl(r, fcntl.F_GETFD, [])', 'fcntl.fcntl(r, 1, [])',
    'fcntl.fcntl(99999, fcntl.F_GETFD)', 'fcntl.flock(r, 0)',
    'fcntl.ioctl(r, 1.0)',
]
for c in cases:
    try:
        eval(c)
        print(c, 'no error')
    except Exception as e:
        print(c, type(e).__name__, e)
os.close(r)
os.close(w)
