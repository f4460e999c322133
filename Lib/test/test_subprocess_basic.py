# subprocess end to end: pipes, input, env, cwd, errors, pass_fds,
# close_fds, signals.  Needs os.waitpid (SKIP until posixmodule has it).
import os
import sys

if not hasattr(os, 'waitpid') or not hasattr(os, 'waitstatus_to_exitcode'):
    print('SKIP: os.waitpid / os.waitstatus_to_exitcode not available')
    sys.exit(0)

import signal
import subprocess

print(subprocess.run(['/bin/echo', 'hello']).returncode)
print(subprocess.run(['/bin/echo', 'hi'], stdout=subprocess.PIPE))
print(subprocess.check_output(['/bin/sh', '-c', 'echo $FOO; pwd'],
                              env={'FOO': 'bar', 'PATH': '/bin:/usr/bin'},
                              cwd='/'))
print(subprocess.run(['/bin/cat'], input=b'abc' * 3, capture_output=True))
print(subprocess.run(['/bin/cat'], input='text\n', capture_output=True,
                     text=True).stdout)
print(subprocess.run(['/bin/sh', '-c', 'echo out; echo err >&2'],
                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT).stdout)
print(subprocess.run(['/bin/sh', '-c', 'echo out; echo err >&2'],
                     capture_output=True))
print(subprocess.run('echo shell; exit 3', shell=True,
                     stdout=subprocess.PIPE))

try:
    subprocess.check_output(['/bin/sh', '-c', 'echo partial; exit 7'])
except subprocess.CalledProcessError as e:
    print('CalledProcessError', e.returncode, e.output, e)
try:
    subprocess.run(['/bin/false'], check=True)
except subprocess.CalledProcessError as e:
    print('CalledProcessError', e.returncode)

p = subprocess.run(['/bin/sh', '-c', 'kill -TERM $$'])
print('killed', p.returncode, p.returncode == -signal.SIGTERM)

for args, kw in [(['/nonexistent/xx'], {}), (['no-such-prog-xq'], {}),
                 (['/bin/echo'], {'cwd': '/nonexistent-dir'}),
                 (['/etc/passwd'], {})]:
    try:
        subprocess.run(args, **kw)
    except OSError as e:
        print(type(e).__name__, e.errno, e.strerror, e.filename)

def bad_preexec():
    raise ValueError('no')

try:
    subprocess.run(['/bin/echo'], preexec_fn=bad_preexec)
except subprocess.SubprocessError as e:
    print(type(e).__name__, e)
print(subprocess.run(['/bin/echo', 'pre'], preexec_fn=lambda: None,
                     stdout=subprocess.PIPE).stdout)

r, w = os.pipe()
print(subprocess.run(['/bin/sh', '-c', 'echo passed >&%d' % w],
                     pass_fds=[w]).returncode)
os.close(w)
print(os.read(r, 100))
os.close(r)

# close_fds=True: an inheritable fd not in pass_fds is closed in the child.
r, w = os.pipe()
os.set_inheritable(w, True) if hasattr(os, 'set_inheritable') else None
res = subprocess.run(['/bin/sh', '-c', 'echo x >&%d' % w],
                     stderr=subprocess.DEVNULL)
print('closed fd write fails:', res.returncode != 0)
os.close(w)
os.close(r)

p = subprocess.Popen(['/bin/cat'], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE)
out, err = p.communicate(b'via communicate')
print(out, err, p.returncode)
with subprocess.Popen(['/bin/echo', 'ctx'], stdout=subprocess.PIPE) as p:
    print(p.stdout.read())
print(p.returncode)
print(subprocess.call(['/bin/sh', '-c', 'exit 5']))
print(subprocess.getoutput('echo getoutput'))
print(subprocess.getstatusoutput('exit 2'))
